import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/main.js';
import { addDays, utcDay } from '../../src/papers/paper.js';
import { parseApiResponse } from '../../src/sources/index.js';
import { openDatabase } from '../../src/store/database.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { createSubscriptionStore } from '../../src/store/subscription-store.js';
import { redate } from '../support/bot-harness.js';
import { spawnBot } from '../support/child-bot.js';
import { runCliCaptured } from '../support/cli.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { loadFixtureJson, startFakeHf, type FakeHf } from '../support/fake-hf.js';

let discord: FakeDiscord;
let hf: FakeHf;
let dir: string;
beforeEach(async () => {
  discord = await startFakeDiscord();
  hf = await startFakeHf();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-process-'));
});
afterEach(async () => {
  await discord.close();
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('the bot process on %s', (signal) => {
  it('GIVEN a running bot THEN it disconnects, closes the database and exits 0', async () => {
    const bot = spawnBot(['start'], {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      HF_BASE_URL: hf.baseUrl,
      DATABASE_PATH: join(dir, 'paperboy.db'),
    });
    await bot.waitForLog((line) => line.msg === 'connected to Discord');
    const sentAt = Date.now();
    bot.child.kill(signal);
    expect(await bot.exited).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(bot.logs.find((line) => line.msg === 'shutting down')).toMatchObject({ reason: signal });
    expect(bot.logs.some((line) => line.msg === 'stopped')).toBe(true);
  });
});

describe('a shutdown while Discord hangs', () => {
  it('GIVEN a message send that never answers THEN the bot still exits 0 within the shutdown bound', async () => {
    const path = join(dir, 'paperboy.db');
    const now = new Date();
    const yesterday = addDays(utcDay(now), -1);
    const db = openDatabase(path);
    const items = redate(
      loadFixtureJson('hf-api/daily_papers_date-2026-08-21_filtered-reindented.json') as unknown[],
      yesterday,
    );
    createPaperStore(db).upsertListed(parseApiResponse(items, yesterday, 'fixture'), now);
    const settings = {
      time: '00:00',
      timezone: 'UTC',
      days: 'every-day',
      mode: 'digest',
      maxPapers: 10,
      minUpvotes: 0,
    } as const;
    createSubscriptionStore(db).ensure(
      discord.channel.id,
      discord.guild.id,
      settings,
      new Date(now.getTime() - 60_000),
      null,
      now,
    );
    db.close();
    discord.addFault({ method: 'POST', path: '/channels/*/messages', hang: true });

    const abort = new AbortController();
    const env = {
      DISCORD_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      HF_BASE_URL: hf.baseUrl,
      DATABASE_PATH: path,
    };
    const running = runCliCaptured(['start'], env, { signal: abort.signal });
    await discord.waitForRequest((request) => request.method === 'POST' && request.path.endsWith('/messages'), 15_000);
    const stoppedAt = Date.now();
    abort.abort();
    const run = await running;
    expect(run.code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 3_000);
    expect(
      run.logs.some((line) => line.msg === 'shutdown took too long; exiting with work left for the next start'),
    ).toBe(true);
  }, 30_000);
});
