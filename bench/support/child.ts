import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs a TypeScript file of bench/support in its own Node process (`node --import tsx`) and parses every stdout
 * line that starts with `{` as JSON. Its stderr goes to ours.
 */
export async function runChildLines<T>(
  script: string,
  args: readonly string[],
  nodeOptions: readonly string[] = [],
  timeoutMs = 600_000,
): Promise<T[]> {
  const child = spawn(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} exited with ${String(code)}: ${out.slice(-2000)}`);
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as T);
}

/** As runChildLines, for a child that reports one JSON line (its last). */
export async function runChild<T>(script: string, args: readonly string[]): Promise<T> {
  const lines = await runChildLines<T>(script, args);
  const last = lines.at(-1);
  if (last === undefined) throw new Error(`${script} reported nothing`);
  return last;
}
