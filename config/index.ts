import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';

/**
 * The environment contract (product.md, "Configuration contract"). This is the only module that reads
 * environment variables; everything else receives a Config.
 */

const SNOWFLAKE = /^\d{17,20}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Unset and empty both mean "not given": `FOO=` in a .env file should not count as a value. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

function httpUrl(name: string) {
  return z
    .url({ protocol: /^https?$/, error: `${name} must be an http(s) URL, e.g. https://example.com` })
    .transform((url) => url.replace(/\/+$/, ''));
}

export const DEFAULT_HF_BASE_URL = 'https://huggingface.co';
export const DEFAULT_DATABASE_PATH = './data/paperboy.db';
export const DEFAULT_INGEST_CRON = '*/30 * * * *';

/** Each variable: its schema, and the line `.env.example` and the README print for it. */
export const envSchema = z.object({
  DISCORD_TOKEN: optional(z.string().min(20, 'DISCORD_TOKEN looks too short to be a bot token')),
  DISCORD_APPLICATION_ID: optional(
    z.string().regex(SNOWFLAKE, 'DISCORD_APPLICATION_ID must be a numeric snowflake id'),
  ),
  DISCORD_API_BASE: optional(httpUrl('DISCORD_API_BASE')),
  DISCORD_GUILD_ID: optional(z.string().regex(SNOWFLAKE, 'DISCORD_GUILD_ID must be a numeric snowflake id')),
  HF_BASE_URL: optional(httpUrl('HF_BASE_URL')).transform((value) => value ?? DEFAULT_HF_BASE_URL),
  HF_TOKEN: optional(z.string().min(1)),
  DATABASE_PATH: optional(z.string().min(1)).transform((value) => value ?? DEFAULT_DATABASE_PATH),
  INGEST_CRON: optional(z.string())
    .transform((value) => value ?? DEFAULT_INGEST_CRON)
    .refine((value) => isCronExpression(value), 'INGEST_CRON must be a cron expression, e.g. "*/30 * * * *"'),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)).transform(
    (value) => value ?? 'info',
  ),
  HTTP_PORT: optional(
    z.coerce
      .number({ error: 'HTTP_PORT must be a port number' })
      .int('HTTP_PORT must be a whole number')
      .min(1, 'HTTP_PORT must be between 1 and 65535')
      .max(65535, 'HTTP_PORT must be between 1 and 65535'),
  ),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly discord: {
    readonly token: string | null;
    readonly applicationId: string | null;
    /** REST base for a proxy or a local fake, without the /v10 part; null means Discord's own. */
    readonly apiBase: string | null;
    readonly guildId: string | null;
  };
  readonly hf: {
    readonly baseUrl: string;
    readonly token: string | null;
  };
  readonly databasePath: string;
  readonly ingestCron: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly httpPort: number | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Validates the environment, reporting every problem at once, each naming its variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    discord: {
      token: e.DISCORD_TOKEN ?? null,
      applicationId: e.DISCORD_APPLICATION_ID ?? null,
      apiBase: e.DISCORD_API_BASE ?? null,
      guildId: e.DISCORD_GUILD_ID ?? null,
    },
    hf: { baseUrl: e.HF_BASE_URL, token: e.HF_TOKEN ?? null },
    databasePath: e.DATABASE_PATH,
    ingestCron: e.INGEST_CRON,
    logLevel: e.LOG_LEVEL,
    httpPort: e.HTTP_PORT ?? null,
  };
}
