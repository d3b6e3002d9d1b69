import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnBot } from '../support/child-bot.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';
import { startFakeHf, type FakeHf } from '../support/fake-hf.js';

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
