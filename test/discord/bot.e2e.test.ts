import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../support/cli.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { loadFixtureJson, startFakeHf, type FakeHf } from '../support/fake-hf.js';

const NOW = new Date('2026-08-22T15:00:00.000Z');
const clock = { now: () => NOW };

let hf: FakeHf;
let discord: FakeDiscord;
let dir: string;
beforeAll(async () => {
  hf = await startFakeHf({
    days: {
      '2026-08-21': {
        api: loadFixtureJson('hf-api/daily_papers_date-2026-08-21_filtered-reindented.json') as unknown[],
      },
    },
  });
});
afterAll(async () => {
  await hf.close();
});
beforeEach(async () => {
  discord = await startFakeDiscord();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-e2e-'));
});
afterEach(async () => {
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    HF_BASE_URL: hf.baseUrl,
    DATABASE_PATH: join(dir, 'paperboy.db'),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Starts the bot exactly as `npm start` does (the CLI's start command), until `stop()`. */
function startBot(environment: Record<string, string>) {
  const abort = new AbortController();
  const running: Promise<CliRun> = runCliCaptured(['start'], environment, {
    overrides: { clock },
    signal: abort.signal,
  });
  return {
    running,
    stop: async () => {
      abort.abort();
      return running;
    },
  };
}

describe('the bot against the fake Discord and fake HF', () => {
  it('GIVEN npm start with a token THEN it logs in, registers its commands, ingests, and answers /papers status', async () => {
    const bot = startBot(env());
    await discord.waitForRequest((request) => request.method === 'PUT' && request.path.endsWith('/commands'), 5000);
    expect(discord.registeredCommands().map((command) => command.name)).toEqual(['papers', 'subscribe']);
    // The start-up ingest reaches HF for the recent days.
    await expect.poll(() => hf.requestsTo('/api/daily_papers').length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    await expect
      .poll(
        async () => {
          const command = discord.injectSlashCommand({ name: 'papers', subcommand: 'status' });
          return (await command.reply()).content;
        },
        { timeout: 5000 },
      )
      .toContain('Papers stored: 17');

    const status = discord.injectSlashCommand({ name: 'papers', subcommand: 'status' });
    const response = await status.response();
    expect(response.type).toBe(4);
    const reply = await status.reply();
    expect(reply.content).toContain('Last successful fetch: list day 2026-08-21, 17 papers from the Hugging Face API');
    expect(reply.flags & 64).toBe(64);
    // Client-wide: nothing is parsed, and replies do not ping the replied-to user either.
    expect(reply.allowedMentions).toEqual({ parse: [], replied_user: false });

    const run = await bot.stop();
    expect(run.code).toBe(0);
    expect(run.logs.some((line) => line.msg === 'connected to Discord')).toBe(true);
    expect(run.logs.some((line) => line.msg === 'stopped')).toBe(true);
  });

  it('GIVEN a restart with unchanged commands THEN it registers nothing; GIVEN DISCORD_GUILD_ID THEN it registers to that guild', async () => {
    const first = startBot(env());
    await discord.waitForRequest((request) => request.method === 'PUT', 5000);
    await first.stop();
    expect(discord.commandRegistrationCount()).toBe(1);

    const second = startBot(env());
    await expect
      .poll(() => discord.requests().filter((r) => r.path === '/gateway/bot').length, { timeout: 5000 })
      .toBe(2);
    const answered = discord.injectSlashCommand({ name: 'papers', subcommand: 'status' });
    expect((await answered.reply()).content).toContain('paperboy status');
    const secondRun = await second.stop();
    expect(secondRun.logs.some((line) => line.msg === 'slash commands unchanged; not registering')).toBe(true);
    expect(discord.commandRegistrationCount()).toBe(1);

    const third = startBot(env({ DISCORD_GUILD_ID: discord.guild.id }));
    await discord.waitForRequest((request) => request.method === 'PUT' && request.path.includes('/guilds/'), 5000);
    await third.stop();
    expect(discord.registeredCommands(discord.guild.id).map((command) => command.name)).toEqual([
      'papers',
      'subscribe',
    ]);
  });

  it('GIVEN a wrong token THEN start fails with a clear message and exit code 2', async () => {
    const run = await runCliCaptured(['start'], env({ DISCORD_TOKEN: 'x'.repeat(30) + '.wrong.token' }), {
      overrides: { clock },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Discord rejected DISCORD_TOKEN');
  });
});
