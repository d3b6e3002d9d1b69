import { pino } from 'pino';
import { loadConfig } from '../../config/index.js';
import { startBot, type BotHandle } from '../../src/main.js';
import { manualClock, type ManualClock } from '../../test/support/bot-harness.js';
import { FAST_HTTP } from '../../test/support/cli.js';
import { startFakeHf, type FakeHf } from '../../test/support/fake-hf.js';

export interface BenchBot {
  readonly bot: BotHandle;
  readonly hf: FakeHf;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

/**
 * The bot as `npm start` builds it (startBot), on an existing database file, against a fake Discord (given, so
 * that the caller chooses where it runs) and an empty fake HF, with a clock moved by hand; as
 * test/support/bot-harness.ts does. Resolves once the start-up catch-up has finished.
 */
export async function startBenchBot(
  discord: { readonly token: string; readonly apiBase: string },
  databasePath: string,
  start: string,
): Promise<BenchBot> {
  const hf = await startFakeHf();
  const clock = manualClock(start);
  const config = loadConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    HF_BASE_URL: hf.baseUrl,
    DATABASE_PATH: databasePath,
    INGEST_CRON: '0 0 1 1 *',
  });
  const bot = await startBot(config, pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }), {
    clock,
    http: FAST_HTTP,
  });
  await bot.caughtUp;
  return {
    bot,
    hf,
    clock,
    async close() {
      await bot.stop();
      await hf.close();
    },
  };
}
