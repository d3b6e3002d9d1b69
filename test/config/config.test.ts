import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, envSchema, loadConfig } from '../../config/index.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.fake-token-for-tests-only';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('GIVEN an empty environment THEN the documented defaults apply', () => {
    expect(loadConfig({})).toEqual({
      discord: { token: null, applicationId: null, apiBase: null, guildId: null },
      hf: { baseUrl: 'https://huggingface.co', token: null },
      databasePath: './data/paperboy.db',
      ingestCron: '*/30 * * * *',
      logLevel: 'info',
      httpPort: null,
    });
  });

  it('GIVEN every variable set THEN each lands in its place, URLs without trailing slash', () => {
    const config = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_API_BASE: 'http://127.0.0.1:8080/api/',
      DISCORD_GUILD_ID: '223456789012345678',
      HF_BASE_URL: 'http://127.0.0.1:9090/',
      HF_TOKEN: 'hf_abc',
      DATABASE_PATH: '/var/lib/paperboy/db.sqlite',
      INGEST_CRON: '5,35 * * * *',
      LOG_LEVEL: 'debug',
      HTTP_PORT: '9464',
    });
    expect(config).toEqual({
      discord: {
        token: TOKEN,
        applicationId: '123456789012345678',
        apiBase: 'http://127.0.0.1:8080/api',
        guildId: '223456789012345678',
      },
      hf: { baseUrl: 'http://127.0.0.1:9090', token: 'hf_abc' },
      databasePath: '/var/lib/paperboy/db.sqlite',
      ingestCron: '5,35 * * * *',
      logLevel: 'debug',
      httpPort: 9464,
    });
  });

  it('GIVEN empty strings (FOO= in a .env file) THEN they count as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', HTTP_PORT: '', HF_BASE_URL: '' }).hf.baseUrl).toBe('https://huggingface.co');
  });

  it('GIVEN several bad variables THEN every problem is reported at once, each naming its variable', () => {
    const problems = problemsOf({
      DISCORD_APPLICATION_ID: 'my-app',
      DISCORD_API_BASE: 'not a url',
      HF_BASE_URL: 'ftp://example.com',
      INGEST_CRON: 'every half hour',
      LOG_LEVEL: 'loud',
      HTTP_PORT: '99999',
    });
    expect(problems).toHaveLength(6);
    for (const name of [
      'DISCORD_APPLICATION_ID',
      'DISCORD_API_BASE',
      'HF_BASE_URL',
      'INGEST_CRON',
      'LOG_LEVEL',
      'HTTP_PORT',
    ]) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
    expect(problems.find((p) => p.startsWith('LOG_LEVEL'))).toMatch(/one of fatal, error, warn, info/);
    expect(problems.find((p) => p.startsWith('HTTP_PORT'))).toMatch(/between 1 and 65535/);
  });

  it('GIVEN a ConfigError THEN its message lists every problem on its own line', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud', HTTP_PORT: 'abc' })).toThrow(
      /Invalid configuration:\n {2}- LOG_LEVEL.*\n {2}- HTTP_PORT/,
    );
  });

  it('GIVEN .env.example THEN it documents exactly the variables of the schema', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});
