/**
 * The bot in its own process for the memory benchmark: started on `<db>` against the fake Discord at
 * `<apiBase>` (run by the parent, so the fake's memory is not counted), then one delivery tick.
 * Prints JSON lines: {"phase":"started",...} after the start-up catch-up, {"phase":"delivered",...} after the
 * tick (RSS as it is, then after a full GC), and exits.
 * With `unlimited`, the bot's REST clients' global limiters are lifted to match a fake without rate limits: a
 * stress run (7,371 messages in seconds, not the 2.5 minutes Discord allows; V8 then grows its heap further).
 */
import { getHeapStatistics } from 'node:v8';
import { DefaultRestOptions, type REST } from 'discord.js';
import { procMemory } from './machine.js';
import { startBenchBot } from './bot.js';

const [databasePath, apiBase, token, unlimited] = process.argv.slice(2);
if (databasePath === undefined || apiBase === undefined || token === undefined) {
  throw new Error('usage: memory-child <db> <apiBase> <token> [unlimited]');
}

function memory(phase: string, extra: Record<string, unknown> = {}): string {
  const usage = process.memoryUsage();
  const proc = procMemory();
  return JSON.stringify({
    phase,
    rssMb: proc.rssMb,
    peakMb: proc.peakMb,
    anonMb: proc.anonMb,
    fileMb: proc.fileMb,
    shmemMb: proc.shmemMb,
    heapUsedMb: usage.heapUsed / 2 ** 20,
    heapTotalMb: usage.heapTotal / 2 ** 20,
    externalMb: usage.external / 2 ** 20,
    arrayBuffersMb: usage.arrayBuffers / 2 ** 20,
    v8: Object.fromEntries(
      Object.entries(getHeapStatistics())
        .filter(([key]) => key.endsWith('_size') || key.includes('malloced'))
        .map(([key, value]) => [key, Math.round((value / 2 ** 20) * 10) / 10]),
    ),
    ...extra,
  });
}

const bench = await startBenchBot({ apiBase, token }, databasePath, '2026-08-22T08:00:00.000Z');
if (unlimited === 'unlimited') {
  for (const rest of [bench.bot.client.rest, bench.bot.deliveryRest]) {
    const options = (rest as REST & { options: { globalRequestsPerSecond: number; makeRequest: unknown } }).options;
    options.globalRequestsPerSecond = 1_000_000;
    // Deliveries' own pacing (DELIVERY_REQUESTS_PER_SECOND) off too.
    options.makeRequest = DefaultRestOptions.makeRequest;
  }
}
// A bot that has been up a while has answered searches: one sorted by upvotes builds search's in-memory head of
// the most upvoted papers (see src/search/upvotes-head.ts), which then stays in memory.
bench.bot.app.search.search('"for agentic"', { sort: 'upvotes', limit: 5, offset: 0 });
await bench.bot.app.search.idle();
console.log(memory('started', { guilds: bench.bot.client.guilds.cache.size }));
bench.clock.set('2026-08-22T09:00:30.000Z');
// The highest JS heap and RSS seen while delivering, sampled every 50 ms.
const peak = { heapUsedMb: 0, rssMb: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peak.heapUsedMb = Math.max(peak.heapUsedMb, usage.heapUsed / 2 ** 20);
  peak.rssMb = Math.max(peak.rssMb, usage.rss / 2 ** 20);
}, 50);
const start = performance.now();
// A tick plans at most MAX_CHANNELS_PER_TICK channels: tick until none is due.
let ticks = 0;
do {
  await bench.bot.scheduler.runNow('deliver');
  ticks += 1;
} while (bench.bot.app.subscriptions.due(bench.clock.now(), 1).length > 0 && ticks < 10);
const tickMs = performance.now() - start;
clearInterval(sampler);
const count = (sql: string) => (bench.bot.app.db.prepare(sql).get() as { n: number }).n;
const facts = {
  tickMs,
  ticks,
  peakHeapUsedMb: peak.heapUsedMb,
  byStatus: bench.bot.app.db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as {
    status: string;
    n: number;
  }[],
  notSent: bench.bot.app.db
    .prepare(
      `SELECT d.id, d.channel_id, d.attempts, d.last_error, d.planned_at, group_concat(o.state) AS parts
       FROM deliveries d LEFT JOIN outbox o ON o.delivery_id = d.id WHERE d.status != 'sent' GROUP BY d.id LIMIT 30`,
    )
    .all(),
  papers: count('SELECT count(*) AS n FROM papers'),
  channels: count('SELECT count(*) AS n FROM channels'),
  deliveries: count('SELECT count(*) AS n FROM deliveries'),
  sent: count("SELECT count(*) AS n FROM deliveries WHERE status = 'sent'"),
  guilds: bench.bot.client.guilds.cache.size,
  cachedChannels: bench.bot.client.channels.cache.size,
};
const asIs = JSON.parse(memory('delivered', facts)) as Record<string, unknown>;
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const afterGc = JSON.parse(memory('after-gc')) as Record<string, unknown>;
await bench.close();
console.log(JSON.stringify({ ...asIs, afterGc }));
