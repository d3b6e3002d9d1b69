import { mkdtempSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/database.js';
import { OptionType, startFakeDiscord, type FakeDiscord } from '../test/support/fake-discord/index.js';
import { startBenchBot, type BenchBot } from './support/bot.js';
import { benchStores, cachedStore, copyStore, loadCorpusItems, type StoreName } from './support/databases.js';
import { benchQueries, type BenchQuery } from './support/queries.js';
import { commandFor, currentMachine, ms, progress, type BenchReport, type Cell } from './support/report.js';
import { latencyStats, since, type LatencyStats } from './support/stats.js';
import { seedSubscriptions } from './support/subscriptions.js';

const STORES = benchStores(['corpus', '300k']);
const WARM_UP = 20;
/** One interaction every PACE_MS: 20 a second, under discord.js's own limit of 50 REST requests a second. */
const PACE_MS = 50;
/** Channels delivering while interactions come in (the "during a delivery" phase): 10 s at 50 messages/s. */
const DELIVERING_CHANNELS = 500;
const DURING_DELIVERY = 100;
const TARGET_P99_MS = 100;

type Phase = 'paced' | 'back to back' | 'during a delivery';

interface Sample {
  readonly query: string;
  readonly sort: string;
  readonly ack: number;
  readonly reply: number;
  readonly deferred: boolean;
}

interface Figures {
  readonly store: StoreName;
  readonly phase: Phase;
  readonly papers: number;
  /** INTERACTION_CREATE to the first callback (the deferral). */
  readonly ack: LatencyStats;
  /** INTERACTION_CREATE to the results on screen (the deferred reply edited). */
  readonly reply: LatencyStats;
  readonly refused: number;
  readonly slowest: Sample[];
}

const sortOf = (i: number) => (i % 2 === 0 ? 'relevance' : 'upvotes');

async function ask(discord: FakeDiscord, query: string, sort: string): Promise<Sample> {
  const start = performance.now();
  const interaction = discord.injectSlashCommand({
    name: 'papers',
    subcommand: 'search',
    options: [
      { name: 'query', type: OptionType.String, value: query },
      { name: 'sort', type: OptionType.String, value: sort },
    ],
  });
  const first = await interaction.response();
  const ack = since(start);
  await interaction.reply();
  return { query, sort, ack, reply: since(start), deferred: first.type === 5 };
}

/** The queries one after another; with `paceMs`, each starts paceMs after the previous one started. */
async function askAll(discord: FakeDiscord, queries: readonly BenchQuery[], paceMs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const [i, { query }] of queries.entries()) {
    const started = performance.now();
    samples.push(await ask(discord, query, sortOf(i)));
    const rest = paceMs - since(started);
    if (rest > 0) await sleep(rest);
  }
  return samples;
}

function figuresOf(store: StoreName, phase: Phase, papers: number, samples: readonly Sample[]): Figures {
  return {
    store,
    phase,
    papers,
    ack: latencyStats(samples.map((s) => s.ack)),
    reply: latencyStats(samples.map((s) => s.reply)),
    refused: samples.filter((s) => !s.deferred).length,
    slowest: [...samples].sort((a, b) => b.reply - a.reply).slice(0, 5),
  };
}

/** Subscribes DELIVERING_CHANNELS new channels (due now) and starts a delivery tick without waiting for it. */
function startDelivery(discord: FakeDiscord, bench: BenchBot, path: string): Promise<void> {
  const guildId = discord.guild.id;
  const channels = Array.from({ length: DELIVERING_CHANNELS }, (_, i) => ({
    channelId: discord.createChannel(guildId, { name: `busy-${String(i)}` }).id,
    guildId,
  }));
  const db = openDatabase(path);
  seedSubscriptions(db, channels, {
    topics: [],
    dueAt: new Date('2026-08-22T09:00:00.000Z'),
    lastListDay: '2026-08-20',
  });
  db.close();
  bench.clock.set('2026-08-22T09:00:30.000Z');
  return bench.bot.scheduler.runNow('deliver');
}

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const queries = benchQueries(loadCorpusItems());
  const figures: Figures[] = [];
  for (const store of STORES) {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-interaction-'));
    const discord = await startFakeDiscord({ waitTimeoutMs: 60_000 });
    try {
      progress(`interaction ${store}: starting the bot in this process against the fake Discord`);
      const path = copyStore(await cachedStore(store), dir);
      const bench = await startBenchBot(discord, path, '2026-08-22T08:00:00.000Z');
      try {
        const papers = bench.bot.app.papers.count();
        await askAll(discord, queries.slice(0, WARM_UP), PACE_MS);
        // The warm-up started the upvotes head, built in the background: as in a bot that has been up a while.
        await bench.bot.app.search.idle();
        progress(`interaction ${store}: ${String(queries.length)} searches, one every ${String(PACE_MS)} ms`);
        figures.push(figuresOf(store, 'paced', papers, await askAll(discord, queries, PACE_MS)));
        progress(`interaction ${store}: the same, back to back`);
        figures.push(figuresOf(store, 'back to back', papers, await askAll(discord, queries, 0)));
        if (store === STORES[0]) {
          progress(
            `interaction ${store}: ${String(DURING_DELIVERY)} searches while ${String(DELIVERING_CHANNELS)} channels get their digest`,
          );
          const delivery = startDelivery(discord, bench, path);
          await sleep(500);
          const during = await askAll(discord, queries.slice(0, DURING_DELIVERY), PACE_MS);
          await delivery;
          figures.push(figuresOf(store, 'during a delivery', papers, during));
        }
      } finally {
        await bench.close();
      }
    } finally {
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const table: Record<string, Cell>[] = figures.map((f) => ({
    store: f.store,
    papers: f.papers,
    searches: f.phase,
    n: f.reply.n,
    'deferral p50': ms(f.ack.p50),
    'deferral p99': ms(f.ack.p99),
    'results p50': ms(f.reply.p50),
    'results p95': ms(f.reply.p95),
    'results p99': ms(f.reply.p99),
    'results max': ms(f.reply.max),
  }));
  const paced300 = figures.find((f) => f.store === '300k' && f.phase === 'paced');
  const pacedCorpus = figures.find((f) => f.store === 'corpus' && f.phase === 'paced');
  return {
    name: 'interaction',
    title: '/papers search: INTERACTION_CREATE sent by the fake Discord to the response received (bot in this process)',
    command: commandFor('interaction'),
    machine: currentMachine(),
    durationMs: since(started),
    table,
    targets:
      paced300 === undefined
        ? []
        : [
            {
              target: `results on screen p99 < ${String(TARGET_P99_MS)} ms at 300k (one search every ${String(PACE_MS)} ms)`,
              value: ms(paced300.reply.p99),
              met: paced300.reply.p99 < TARGET_P99_MS,
            },
          ],
    notes: [
      `the ${String(queries.length)} queries of the search benchmark, sorts alternating relevance/upvotes, after ${String(WARM_UP)} warm-up searches; the bot defers, then edits the reply with the first page; "results" is until the edit is visible`,
      'paced: one search every 50 ms (20/s); back to back: the next search as soon as the previous reply shows (100-200/s); during a delivery: paced, while 500 channels get their digest at 50 messages/s',
      paced300 !== undefined && pacedCorpus !== undefined
        ? `baseline: the same searches on the real corpus (10k papers): results p50 ${ms(pacedCorpus.reply.p50)}, p99 ${ms(pacedCorpus.reply.p99)}`
        : '',
      'the fake Discord runs in the same process as the bot: its own work (validation, gateway frames) is inside the figures',
      `searches refused (not deferred): ${figures.map((f) => `${f.store} ${f.phase} ${String(f.refused)}`).join(', ')}`,
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ].filter(Boolean),
    data: { figures },
  };
}
