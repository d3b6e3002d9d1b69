import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths pino redacts wherever a secret could be logged by accident. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  '*.*.token',
  'DISCORD_TOKEN',
  'HF_TOKEN',
  '*.DISCORD_TOKEN',
  '*.HF_TOKEN',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.*.headers.authorization',
  'config.discord.token',
  'config.hf.token',
];

export interface LoggerSettings {
  readonly level: string;
  /** Human-readable output; by default when stdout is a terminal. */
  readonly pretty?: boolean;
  /** Secret values to scrub from any string that is logged (tokens inside URLs or error messages). */
  readonly secrets?: readonly (string | null)[];
  /** Where to write; stdout by default. Tests pass a stream to read the lines back. */
  readonly destination?: DestinationStream;
  /** Write to stderr instead of stdout (CLI commands whose stdout is their output). */
  readonly stderr?: boolean;
}

/** The one root logger of a process. Child loggers per job run and per interaction come from it. */
export function createLogger(settings: LoggerSettings): Logger {
  const secrets = (settings.secrets ?? []).filter((secret): secret is string => secret !== null && secret.length >= 8);
  const options: LoggerOptions = {
    level: settings.level,
    base: { app: 'paperboy' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: secrets.length > 0 ? { log: (object) => scrubObject(object, secrets) } : {},
    hooks:
      secrets.length > 0
        ? {
            logMethod(args, method) {
              method.apply(
                this,
                args.map((arg) => (typeof arg === 'string' ? scrub(arg, secrets) : arg)) as Parameters<typeof method>,
              );
            },
          }
        : {},
    serializers: { err: pino.stdSerializers.err },
  };
  if (settings.destination !== undefined) return pino(options, settings.destination);
  const fd = settings.stderr === true ? 2 : 1;
  const pretty = settings.pretty ?? (fd === 2 ? process.stderr.isTTY : process.stdout.isTTY);
  if (pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', destination: fd },
      },
    });
  }
  return pino(options, pino.destination({ fd, sync: true }));
}

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}

function scrubObject(value: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  return scrubValue(value, secrets, 0) as Record<string, unknown>;
}

function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  // Errors are serialised here (pino would do it after this formatter) so their message and stack are scrubbed too.
  if (value instanceof Error) return scrubValue(pino.stdSerializers.err(value), secrets, depth + 1);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, secrets, depth + 1);
  return out;
}
