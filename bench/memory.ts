import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.js';
import { startFakeDiscord, type ChannelInfo } from '../test/support/fake-discord/index.js';
import { runChildLines } from './support/child.js';
import { cachedStore, copyStore, loadCorpusItems } from './support/databases.js';
import { topicPool } from './support/queries.js';
import { commandFor, currentMachine, ms, progress, type BenchReport } from './support/report.js';
import { seedSubscriptions } from './support/subscriptions.js';
import { since } from './support/stats.js';

const GUILDS = 1_000;
const CHANNELS_PER_GUILD = 10;
const TARGET_MB = 300;

interface Snapshot {
  readonly phase: string;
  readonly rssMb: number;
  readonly peakMb: number;
  readonly anonMb: number;
  readonly fileMb: number;
  readonly shmemMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly [key: string]: unknown;
}

/**
 * The bot as `npm start` runs it, sending at Discord's pace (50 requests/s: what a delivery is), then two stress
 * runs with the rate limits lifted on both sides (7,371 messages in seconds: garbage far faster than a real
 * delivery makes it), as is and with V8's old space capped (a deployment setting: NODE_OPTIONS).
 */
interface Variant {
  readonly name: string;
  readonly paced: boolean;
  readonly nodeArgs: readonly string[];
}
const VARIANTS: readonly Variant[] = [
  { name: "as is, at Discord's pace", paced: true, nodeArgs: [] },
  { name: 'as is, rate limits lifted', paced: false, nodeArgs: [] },
  { name: '--max-old-space-size=128, rate limits lifted', paced: false, nodeArgs: ['--max-old-space-size=128'] },
];

interface Outcome {
  readonly variant: string;
  readonly paced: boolean;
  readonly started: Snapshot;
  readonly delivered: Snapshot;
  readonly afterGc: Snapshot;
  readonly topics: number;
  readonly requests: number;
}

async function measure(variant: Variant): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-memory-'));
  const discord = await startFakeDiscord({
    seedGuild: false,
    // Paced: the fake's default bucket model, as the fan-out benchmark uses it.
    ...(variant.paced ? {} : { rateLimits: false }),
    waitTimeoutMs: 300_000,
  });
  try {
    progress(
      `memory, ${variant.name}: ${String(GUILDS)} guilds x ${String(CHANNELS_PER_GUILD)} channels in the fake Discord`,
    );
    const channels: ChannelInfo[] = [];
    for (let g = 0; g < GUILDS; g += 1) {
      const guild = discord.createGuild({
        name: `guild ${String(g)}`,
        channels: Array.from({ length: CHANNELS_PER_GUILD }, (_, c) => ({ name: `papers-${String(c)}` })),
      });
      channels.push(...guild.channels);
    }
    progress(`memory, ${variant.name}: copying the 300k store and subscribing every channel`);
    const path = copyStore(await cachedStore('300k'), dir);
    const db = openDatabase(path);
    const { topics } = seedSubscriptions(
      db,
      channels.map((channel) => ({ channelId: channel.id, guildId: channel.guildId })),
      {
        // Every channel follows 1-5 topics, as in the matching benchmark.
        topics: topicPool(loadCorpusItems()),
        dueAt: new Date('2026-08-22T09:00:00.000Z'),
        lastListDay: '2026-08-20',
      },
    );
    db.close();
    progress(`memory, ${variant.name}: the bot in a child process, delivering to every channel`);
    const lines = await runChildLines<Snapshot>(
      './memory-child.ts',
      [path, discord.apiBase, discord.token, ...(variant.paced ? [] : ['unlimited'])],
      ['--expose-gc', ...variant.nodeArgs],
    );
    const started = lines.find((line) => line.phase === 'started');
    const delivered = lines.find((line) => line.phase === 'delivered');
    if (started === undefined || delivered === undefined) throw new Error('the bot child did not report');
    return {
      variant: variant.name,
      paced: variant.paced,
      started,
      delivered,
      afterGc: delivered.afterGc as Snapshot,
      topics,
      requests: discord.stats().totalRequests,
    };
  } finally {
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const outcomes: Outcome[] = [];
  for (const variant of VARIANTS) outcomes.push(await measure(variant));
  const table = outcomes.flatMap((o) => [
    { bot: o.variant, when: 'started, caught up', ...row(o.started) },
    {
      bot: o.variant,
      when: `delivered to every channel (${String(o.delivered.ticks)} ticks, ${ms(Number(o.delivered.tickMs))})`,
      ...row(o.delivered),
    },
    { bot: o.variant, when: 'then a full GC', ...row(o.afterGc) },
  ]);
  return {
    name: 'memory',
    title: 'RSS of the running bot (child process) holding 300k papers and 10,000 subscriptions, after a delivery',
    command: commandFor('memory'),
    machine: currentMachine(),
    durationMs: since(started),
    table,
    // The target is about a delivery, which Discord paces; the stress runs are there to compare.
    targets: outcomes
      .filter((o) => o.paced)
      .map((o) => ({
        target: `RSS after a delivery < ${String(TARGET_MB)} MB (${o.variant})`,
        value: `${o.delivered.rssMb.toFixed(0)} MB (peak ${o.delivered.peakMb.toFixed(0)} MB)`,
        met: o.delivered.rssMb < TARGET_MB,
      })),
    notes: [
      ...outcomes.map(
        (o) =>
          `${o.variant}: ${String(GUILDS * CHANNELS_PER_GUILD)} channels in ${String(GUILDS)} guilds, ${String(o.topics)} topics; deliveries ${JSON.stringify(o.delivered.byStatus)}; ${String(o.requests)} requests to the fake Discord; highest JS heap seen between ticks ${Number(o.delivered.peakHeapUsedMb).toFixed(0)} MB`,
      ),
      "at Discord's pace: the fake's bucket model (50 requests/s global, 5 messages per 5 s per channel) and the bot's own limiters, as in production",
      'rate limits lifted: on both sides (fake: rateLimits false; both REST clients of the bot, for interactions and for deliveries: globalRequestsPerSecond raised); a stress run, not a delivery Discord allows',
      '--max-old-space-size=128: the same bot with V8 told to keep its old generation under 128 MB (NODE_OPTIONS); V8 otherwise lets the heap grow before collecting, and keeps the pages',
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ],
    data: { outcomes },
  };
}

function row(snapshot: Snapshot): Record<string, string> {
  return {
    'RSS (MB)': snapshot.rssMb.toFixed(0),
    'peak RSS (MB)': snapshot.peakMb.toFixed(0),
    'of RSS: anonymous / file / shared (MB)': `${snapshot.anonMb.toFixed(0)} / ${snapshot.fileMb.toFixed(0)} / ${snapshot.shmemMb.toFixed(0)}`,
    'JS heap used (MB)': snapshot.heapUsedMb.toFixed(0),
    'JS heap total (MB)': snapshot.heapTotalMb.toFixed(0),
    'external (MB)': snapshot.externalMb.toFixed(0),
  };
}
