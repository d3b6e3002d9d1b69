import { Writable } from 'node:stream';
import { runCli, type CliIo } from '../../src/cli/program.js';
import type { AppOverrides } from '../../src/app.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Parsed JSON log lines. */
  readonly logs: Record<string, unknown>[];
}

/** HTTP settings that keep retries quick in tests. */
export const FAST_HTTP = { timeoutMs: 2_000, maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5, maxRateLimitWaitMs: 50 };

/** Runs the CLI in-process with captured output, as `paperboy <argv>` would run with `env`. */
export async function runCliCaptured(
  argv: readonly string[],
  env: Record<string, string>,
  options: { overrides?: AppOverrides; stderrIsTTY?: boolean; signal?: AbortSignal } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const logs: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const stderrStream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        stderr += chunk.toString('utf8');
        done();
      },
    }),
    {
      isTTY: options.stderrIsTTY ?? false,
      columns: 100,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    },
  );
  const io: CliIo = {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: stderrStream,
    logDestination,
    overrides: { http: FAST_HTTP, ...options.overrides },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, logs };
}
