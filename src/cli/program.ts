import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { DestinationStream } from 'pino';
import { ConfigError, loadConfig, type Config } from '../../config/index.js';
import type { AppOverrides } from '../app.js';
import { createLogger, type Logger } from '../log/logger.js';
import { isIsoDay } from '../papers/paper.js';
import { UserFacingError } from '../errors.js';

/** Where a CLI run reads and writes: the real process in bin.ts, captured streams in tests. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Tests capture log lines here; the process logs to stderr. */
  readonly logDestination?: DestinationStream;
  readonly overrides?: AppOverrides;
  /** Ends a running bot (tests); the process uses SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
}

/** What a command needs, built once the arguments and the configuration are known to be good. */
export interface CliContext {
  readonly io: CliIo;
  readonly config: Config;
  readonly logger: Logger;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function parseDay(value: string): string {
  if (!isIsoDay(value)) throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, got "${value}".`);
  return value;
}

function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number of milliseconds, got "${value}".`);
  return Number(value);
}

type Action = (context: CliContext) => number | Promise<number>;

/**
 * Runs one CLI invocation and returns its exit code: 0 done, 1 the work failed, 2 bad arguments or configuration.
 * Never calls process.exit, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Set by the chosen sub-command's commander action; run after the configuration is known to be good.
  const chosen: { action: Action | null } = { action: null };
  const program = new Command('paperboy')
    .description('Hugging Face Daily Papers for Discord')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run "paperboy --help" for usage)');

  const via = new Option(
    '--via <source>',
    'where to read lists: the API, the page, or the API with the page as fallback',
  )
    .choices(['auto', 'api', 'page'])
    .default('auto');

  program
    .command('start')
    .description('run the bot (without DISCORD_TOKEN: print the latest digest and explain how to connect)')
    .action(() => {
      chosen.action = async (context) => (await import('./start.js')).start(context);
    });

  program
    .command('ingest')
    .description('fetch list days from Hugging Face into the database (default: today and the two previous UTC days)')
    .option('--date <YYYY-MM-DD>', 'one list day', parseDay)
    .addOption(via)
    .action((options: { date?: string; via: 'auto' | 'api' | 'page' }) => {
      chosen.action = async (context) => (await import('./ingest-commands.js')).ingest(context, options);
    });

  program
    .command('backfill')
    .description('fetch every list day in a range, paced and resumable (days already stored are skipped)')
    .requiredOption('--from <YYYY-MM-DD>', 'first day', parseDay)
    .requiredOption('--to <YYYY-MM-DD>', 'last day', parseDay)
    .option('--pause-ms <ms>', 'pause between days, to stay well inside HF rate limits', parseNonNegativeInt, 1000)
    .option('--force', 'fetch days again even when already stored', false)
    .addOption(via)
    .action((options: { from: string; to: string; pauseMs: number; force: boolean; via: 'auto' | 'api' | 'page' }) => {
      chosen.action = async (context) => (await import('./ingest-commands.js')).backfill(context, options);
    });

  program
    .command('import')
    .description(
      'import a saved API response, a saved list page, or the corpus (.jsonl or .jsonl.gz): detected by content',
    )
    .requiredOption('--file <path>', 'the file to import')
    .option('--date <YYYY-MM-DD>', 'the list day of a saved API response whose items do not say it', parseDay)
    .action((options: { file: string; date?: string }) => {
      chosen.action = async (context) => (await import('./import-command.js')).importCommand(context, options);
    });

  program
    .command('preview')
    .description('print the digest a channel with default settings would get')
    .option('--date <YYYY-MM-DD>', 'list day (default: the latest complete day stored)', parseDay)
    .action((options: { date?: string }) => {
      chosen.action = async (context) => (await import('./preview-command.js')).previewCommand(context, options);
    });

  program
    .command('deploy-commands')
    .description('register the slash commands (globally, or to DISCORD_GUILD_ID); skipped when unchanged')
    .option('--force', 'register even when the definitions are unchanged', false)
    .action((options: { force: boolean }) => {
      chosen.action = async (context) => (await import('./deploy-command.js')).deployCommand(context, options);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what the user asked for.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    throw error;
  }
  const action = chosen.action;
  if (action === null) {
    io.stderr.write('Missing command. Run "paperboy --help" for the list.\n');
    return EXIT_USAGE;
  }

  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\nFix these in your environment or .env file (see .env.example).\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.hf.token],
    stderr: true,
    ...(io.logDestination === undefined ? {} : { destination: io.logDestination }),
  });
  try {
    return await action({ io, config, logger });
  } catch (error) {
    if (error instanceof UserFacingError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    logger.error({ err: error }, 'command failed');
    return EXIT_FAILURE;
  }
}
