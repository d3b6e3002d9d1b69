import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../config/index.js';
import { startBot, type BotHandle } from '../../src/main.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { FAST_HTTP } from './cli.js';
import { Permission, startFakeDiscord, type FakeDiscord } from './fake-discord/index.js';
import { startFakeHf, type FakeHf } from './fake-hf.js';

/** A clock the test moves by hand: the bot's idea of "now", with no waiting for real minutes. */
export interface ManualClock {
  now(): Date;
  set(iso: string): void;
}

export function manualClock(start: string): ManualClock {
  let current = new Date(start);
  return {
    now: () => current,
    set: (iso) => {
      current = new Date(iso);
    },
  };
}

export const MANAGER = { permissions: Permission.ManageChannels | Permission.ViewChannel | Permission.SendMessages };

/** HF items re-dated to another list day (a deep copy): real fixture items standing in for a later day. */
export function redate(items: readonly unknown[], day: string): unknown[] {
  return items.map((item) => {
    const copy = structuredClone(item) as { paper: Record<string, unknown> };
    copy.paper.submittedOnDailyAt = `${day}T00:00:00.000Z`;
    return copy;
  });
}

export interface Harness {
  readonly discord: FakeDiscord;
  readonly hf: FakeHf;
  readonly clock: ManualClock;
  readonly bot: BotHandle;
  readonly dir: string;
  /** Runs a delivery tick now (at the clock's time) and waits for it. */
  deliver(): Promise<void>;
  ingest(): Promise<void>;
  close(): Promise<void>;
}

/** The bot as npm start builds it, against a fake Discord and a fake HF, with a clock the test moves. */
export async function startHarness(
  start: string,
  options: {
    discord?: FakeDiscord;
    hf?: FakeHf;
    httpPort?: number;
    /** Fills the database before the bot starts (the corpus, hand-made papers). */
    seed?: (db: Db) => void | Promise<void>;
  } = {},
): Promise<Harness> {
  const discord = options.discord ?? (await startFakeDiscord());
  const hf = options.hf ?? (await startFakeHf());
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-harness-'));
  const clock = manualClock(start);
  if (options.seed !== undefined) {
    const db = openDatabase(join(dir, 'paperboy.db'));
    try {
      await options.seed(db);
    } finally {
      db.close();
    }
  }
  const config = loadConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    HF_BASE_URL: hf.baseUrl,
    DATABASE_PATH: join(dir, 'paperboy.db'),
    // Scheduled ticks are driven by the test; the cron must not fire on its own meanwhile.
    INGEST_CRON: '0 0 1 1 *',
    ...(options.httpPort === undefined ? {} : { HTTP_PORT: String(options.httpPort) }),
  });
  const bot = await startBot(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
    clock,
    http: FAST_HTTP,
  });
  // The start-up catch-up reads the clock when it runs: let it finish before the test moves the clock.
  await bot.caughtUp;
  return {
    discord,
    hf,
    clock,
    bot,
    dir,
    deliver: () => bot.scheduler.runNow('deliver'),
    ingest: () => bot.scheduler.runNow('ingest'),
    async close() {
      await bot.stop();
      await discord.close();
      await hf.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
