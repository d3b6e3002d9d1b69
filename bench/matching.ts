import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { pino } from 'pino';
import {
  MAX_CHANNELS_PER_TICK,
  createDayView,
  planDueDeliveries,
  planForDay,
  type PlannerDeps,
} from '../src/delivery/planner.js';
import { parseQuery } from '../src/search/index.js';
import { createSearchService } from '../src/search/search-service.js';
import { openDatabase, type Db } from '../src/store/database.js';
import { createDeliveryStore, type DeliveryStore } from '../src/store/delivery-store.js';
import { createCandidateMatcher } from '../src/search/candidate-index.js';
import { createPaperStore } from '../src/store/paper-store.js';
import { createSubscriptionStore } from '../src/store/subscription-store.js';
import { loadScanPapers, scanMatches } from './support/baseline.js';
import { benchStores, cachedStore, copyStore, loadCorpusItems, type StoreName } from './support/databases.js';
import { topicPool } from './support/queries.js';
import { commandFor, currentMachine, ms, progress, ratio, type BenchReport, type Cell } from './support/report.js';
import { seedSubscriptions, syntheticChannels } from './support/subscriptions.js';
import { since, startStopwatch, stop } from './support/stats.js';

const CHANNELS = 10_000;
const DAY = '2026-08-21';
const NOW = new Date('2026-08-22T09:00:30.000Z');
const TARGET_MS = 1000;
const STORES = benchStores(['corpus', '300k']);

/**
 * 'as is': as the bot plans (each list day's papers copied into a small in-memory index to match topics against).
 * 'topics matched in the store': the same planner matching every topic against the whole store, as before.
 */
type Variant = 'as is' | 'topics matched in the store';
const VARIANTS: readonly Variant[] = ['as is', 'topics matched in the store'];

interface Figures {
  readonly store: StoreName;
  readonly variant: Variant;
  readonly papers: number;
  readonly dayPapers: number;
  readonly topics: number;
  /** planForDay for every channel: matching and selection, nothing rendered or recorded. */
  readonly selectMs: number;
  readonly selectCpuMs: number;
  /** planDueDeliveries until no channel is due: matching, selection, rendering, recording. */
  readonly planMs: number;
  readonly planCpuMs: number;
  readonly ticks: number;
  readonly deliveries: number;
  /** Time inside each dependency during planDueDeliveries. */
  readonly breakdown: Record<string, { ms: number; calls: number }>;
  readonly baselineMs: number;
}

function add(into: Figures['breakdown'], name: string, ms: number): void {
  const entry = (into[name] ??= { ms: 0, calls: 0 });
  entry.ms += ms;
  entry.calls += 1;
}

/** Times every method call of a dependency, into `into`. */
function timed<T extends object>(name: string, target: T, into: Figures['breakdown']): T {
  // Wrapped once (not a Proxy making a closure on every call): the pass makes ~40,000 calls and the timing must
  // stay small beside it.
  const wrapped: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      wrapped[property] = value;
      continue;
    }
    const entry = (into[`${name}.${property}`] ??= { ms: 0, calls: 0 });
    wrapped[property] = (...args: unknown[]) => {
      const start = performance.now();
      try {
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      } finally {
        entry.ms += performance.now() - start;
        entry.calls += 1;
      }
    };
  }
  return wrapped as T;
}

/** The store with its batches' `plan` timed as deliveries.plan (the batch itself is timed as deliveries.batch). */
function batchTimed(deliveries: DeliveryStore, into: Figures['breakdown']): DeliveryStore {
  return {
    ...deliveries,
    batch: (fn) =>
      deliveries.batch((plan) => {
        const start = performance.now();
        try {
          return fn(timed('deliveries', { plan }, into).plan);
        } finally {
          add(into, 'batch.inside', since(start));
        }
      }),
  };
}

async function measure(store: StoreName, variant: Variant, pool: readonly string[]): Promise<Figures> {
  const dir = mkdtempSync(`${tmpdir()}/paperboy-bench-matching-`);
  let db: Db | null = null;
  try {
    progress(`matching ${store}, ${variant}: copying the store, subscribing ${String(CHANNELS)} channels`);
    const source = await cachedStore(store);
    const seeded = (name: string) => {
      const copy = openDatabase(copyStore(source, dir, name));
      const { topics } = seedSubscriptions(copy, syntheticChannels(CHANNELS), {
        topics: pool,
        dueAt: new Date(NOW.getTime() - 30_000),
        lastListDay: '2026-08-20',
      });
      return { db: copy, topics };
    };
    const first = seeded('timed.db');
    db = first.db;
    const { topics } = first;
    const logger = pino({ level: 'silent' });
    const plannerOf = (database: Db) => {
      const matcherFor =
        variant === 'as is' ? (ids: readonly string[]) => createCandidateMatcher(database, ids) : undefined;
      return {
        subscriptions: createSubscriptionStore(database),
        deliveries: createDeliveryStore(database),
        papers: createPaperStore(database),
        search: createSearchService(database),
        matcherFor,
        logger,
      } satisfies PlannerDeps;
    };
    const plain = plannerOf(db);
    const { subscriptions, deliveries } = plain;

    // Matching and selection alone, for every due channel (nothing written).
    const due = subscriptions.due(NOW, CHANNELS);
    const selectDeps = { ...plain, deliveries };
    const selectStart = startStopwatch();
    // One day view for the pass, as planDueDeliveries makes one per tick.
    const view = createDayView(selectDeps);
    for (const channel of due) planForDay(selectDeps, channel, DAY, view);
    view.close();
    const select = stop(selectStart);

    // Baseline: the same topics matched naively in memory against the day's papers.
    const dayScan = loadScanPapers(db, DAY);
    const parsed = due.map((channel) => ({
      maxPapers: channel.maxPapers,
      topics: channel.topics.map((topic) => parseQuery(topic.query)),
    }));
    const baselineStart = performance.now();
    for (const channel of parsed) {
      dayScan
        .filter((paper) => channel.topics.some((topic) => scanMatches(topic.root, paper)))
        .sort((a, b) => b.upvotes - a.upvotes)
        .slice(0, channel.maxPapers);
    }
    const baselineMs = since(baselineStart);

    const planAll = async (deps: PlannerDeps): Promise<number> => {
      let ticks = 0;
      while ((await planDueDeliveries(deps, NOW)).channels > 0) {
        ticks += 1;
        // Channels whose planning fails stay due: do not loop on them.
        if (ticks > 10) throw new Error('channels still due after 10 planning passes: planning is failing');
      }
      return ticks;
    };

    // First, where the time goes: every dependency timed (which costs a little). This pass also warms the code up,
    // as a bot that plans every day is (the search benchmarks warm up the same way).
    progress(`matching ${store}, ${variant}: planning every delivery, each dependency timed`);
    const breakdown: Figures['breakdown'] = {};
    const { matcherFor } = plain;
    await planAll({
      subscriptions: timed('subscriptions', subscriptions, breakdown),
      deliveries: timed('deliveries', batchTimed(deliveries, breakdown), breakdown),
      papers: timed('papers', plain.papers, breakdown),
      search: timed('search', plain.search, breakdown),
      matcherFor:
        matcherFor === undefined
          ? undefined
          : (ids) => {
              const start = performance.now();
              const matcher = matcherFor(ids);
              add(breakdown, 'matcherFor', since(start));
              return timed('matcher', matcher, breakdown);
            },
      logger,
    });

    // Then the figure against the target: the same pass, untimed, on a fresh copy of the store.
    progress(`matching ${store}, ${variant}: planning every delivery again, untimed, on a fresh copy`);
    const second = seeded('untimed.db');
    // The copy just written (1.9 GB at 300k) is still being flushed to disk: let it finish first, or the pass
    // measures the page cache's writeback as much as the planner.
    execFileSync('sync');
    const database = second.db;
    let plan: ReturnType<typeof stop>;
    let ticks: number;
    let deliveriesPlanned: number;
    try {
      const planStart = startStopwatch();
      ticks = await planAll(plannerOf(database));
      plan = stop(planStart);
      deliveriesPlanned = (database.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
    } finally {
      database.close();
    }
    const count = (sql: string) => (first.db.prepare(sql).get() as { n: number }).n;
    return {
      store,
      variant,
      papers: count('SELECT count(*) AS n FROM papers'),
      dayPapers: plain.papers.onDay(DAY).length,
      topics,
      selectMs: select.ms,
      selectCpuMs: select.cpuMs,
      planMs: plan.ms,
      planCpuMs: plan.cpuMs,
      ticks,
      deliveries: deliveriesPlanned,
      breakdown,
      baselineMs,
    };
  } finally {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Topic matching: against the store, or building the day copies and matching against them. */
function matchingMs(f: Figures): number {
  const b = f.breakdown;
  return (b['search.matchingIds']?.ms ?? 0) + (b['matcher.matchingIds']?.ms ?? 0) + (b['matcherFor']?.ms ?? 0);
}

/**
 * Writing: the deliveries (outbox, posted papers), the channels advanced, and each batch's own cost (begin,
 * commit): a batch's time less what ran inside it.
 */
function recordingMs(f: Figures): number {
  const b = f.breakdown;
  const inside = b['batch.inside']?.ms ?? 0;
  const batches = (b['deliveries.batch']?.ms ?? 0) - inside;
  return (b['deliveries.plan']?.ms ?? 0) + (b['subscriptions.advance']?.ms ?? 0) + Math.max(0, batches);
}

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const pool = topicPool(loadCorpusItems());
  const figures: Figures[] = [];
  for (const store of STORES) for (const variant of VARIANTS) figures.push(await measure(store, variant, pool));
  const table: Record<string, Cell>[] = figures.map((f) => ({
    store: f.store,
    papers: f.papers,
    planner: f.variant,
    'select (match + choose)': ms(f.selectMs),
    'select CPU': ms(f.selectCpuMs),
    'plan every delivery': ms(f.planMs),
    'plan CPU': ms(f.planCpuMs),
    'of which matching': ms(matchingMs(f)),
    'of which recording': ms(recordingMs(f)),
    deliveries: f.deliveries,
    'baseline (match in memory)': ms(f.baselineMs),
    'select / baseline': ratio(f.selectMs / f.baselineMs),
  }));
  return {
    name: 'matching',
    title: `${String(CHANNELS)} digest channels with 1-5 topics each, planned against one list day (${DAY}, ${String(figures[0]?.dayPapers ?? 0)} papers)`,
    command: commandFor('matching'),
    machine: currentMachine(),
    durationMs: since(started),
    table,
    targets: figures.flatMap((f) => [
      {
        target: `plan every delivery < ${String(TARGET_MS)} ms (${f.store}, ${f.variant})`,
        value: `${ms(f.planMs)} (CPU ${ms(f.planCpuMs)})`,
        met: f.planMs < TARGET_MS,
      },
      {
        target: `match and select for every channel < ${String(TARGET_MS)} ms (${f.store}, ${f.variant})`,
        value: `${ms(f.selectMs)} (CPU ${ms(f.selectCpuMs)})`,
        met: f.selectMs < TARGET_MS,
      },
    ]),
    notes: [
      `planDueDeliveries plans at most ${String(MAX_CHANNELS_PER_TICK)} channels a call: "plan every delivery" is every call until none is due, each delivery rendered and recorded with its outbox; "select" is planForDay for every channel (topics matched, papers chosen), nothing rendered or written`,
      '"plan every delivery" is the second of two passes, each on a fresh copy of the store: the first, with every dependency timed for the breakdown columns, warms the code up as a bot that plans every day is',
      '"topics matched in the store": the planner without its day copies, every topic matched against the whole store (as before they were added)',
      `${String(figures[0]?.topics ?? 0)} topics drawn from a pool of ${String(pool.length)} (words, phrases, OR, org:, author:, exclusions); the baseline matches them naively in memory and picks the top papers; it renders and records nothing`,
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ],
    data: { figures, pool },
  };
}
