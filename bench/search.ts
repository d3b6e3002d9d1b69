import { loadavg } from 'node:os';
import { parseQuery } from '../src/search/index.js';
import { createSearchService } from '../src/search/search-service.js';
import { openDatabase } from '../src/store/database.js';
import { loadScanPapers, scanSearch } from './support/baseline.js';
import { benchStores, cachedStore, loadCorpusItems, type StoreName } from './support/databases.js';
import { benchQueries, type BenchQuery } from './support/queries.js';
import { commandFor, currentMachine, ms, progress, ratio, type BenchReport, type Cell } from './support/report.js';
import { latencyStats, since, startStopwatch, stop, type LatencyStats } from './support/stats.js';

/** As /papers search asks: its first page (PAGE_SIZE in src/discord/handlers/papers-search.ts). */
const PAGE = 5;
const SORTS = ['relevance', 'upvotes'] as const;
type Sort = (typeof SORTS)[number];
const STORES = benchStores(['corpus', '100k', '300k']);
const TARGET_P99_MS = 20;
const TARGET_SPEEDUP = 50;

interface QueryTiming {
  readonly query: string;
  readonly kind: BenchQuery['kind'];
  readonly ms: number;
  readonly cpuMs: number;
  readonly total: number;
}

interface SortFigures {
  readonly store: StoreName;
  readonly papers: number;
  readonly sort: Sort;
  readonly ours: LatencyStats;
  readonly oursCpu: LatencyStats;
  readonly baseline: LatencyStats;
  readonly baselineCpu: LatencyStats;
  readonly speedupP50: number;
  readonly speedupP50Cpu: number;
  readonly speedupMean: number;
  readonly slowest: QueryTiming[];
  readonly perKindP99: Record<string, number>;
  readonly timings: { ours: QueryTiming[]; baseline: QueryTiming[] };
}

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const queries = benchQueries(loadCorpusItems());
  const figures: SortFigures[] = [];
  for (const store of STORES) {
    const path = await cachedStore(store);
    const db = openDatabase(path);
    try {
      const papers = (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
      const service = createSearchService(db);
      const ours = (sort: Sort): QueryTiming[] =>
        queries.map(({ query, kind }) => {
          const start = startStopwatch();
          const result = service.search(query, { sort, limit: PAGE, offset: 0 });
          return { query, kind, ...stop(start), total: result.total };
        });
      progress(`search ${store}: warming up`);
      for (const sort of SORTS) ours(sort);
      // The warm-up also started the upvotes head (built in the background, as in the running bot).
      await service.idle();
      const oursTimings = new Map(SORTS.map((sort) => [sort, ours(sort)]));

      progress(`search ${store}: baseline (linear scan in memory)`);
      const scanPapers = loadScanPapers(db);
      const baseline = (sort: Sort, subset = queries): QueryTiming[] =>
        subset.map(({ query, kind }) => {
          const start = startStopwatch();
          const result = scanSearch(scanPapers, parseQuery(query), sort, PAGE);
          return { query, kind, ...stop(start), total: result.total };
        });
      baseline('relevance', queries.slice(0, 10));
      for (const sort of SORTS) {
        const mine = oursTimings.get(sort) ?? [];
        const theirs = baseline(sort);
        const oursStats = latencyStats(mine.map((t) => t.ms));
        const baseStats = latencyStats(theirs.map((t) => t.ms));
        const oursCpu = latencyStats(mine.map((t) => t.cpuMs));
        const baselineCpu = latencyStats(theirs.map((t) => t.cpuMs));
        const kinds = [...new Set(queries.map((q) => q.kind))];
        figures.push({
          store,
          papers,
          sort,
          ours: oursStats,
          oursCpu,
          baseline: baseStats,
          baselineCpu,
          speedupP50: baseStats.p50 / oursStats.p50,
          speedupP50Cpu: baselineCpu.p50 / oursCpu.p50,
          speedupMean: baseStats.mean / oursStats.mean,
          slowest: [...mine].sort((a, b) => b.ms - a.ms).slice(0, 5),
          perKindP99: Object.fromEntries(
            kinds.map((kind) => [kind, latencyStats(mine.filter((t) => t.kind === kind).map((t) => t.ms)).p99]),
          ),
          timings: { ours: mine, baseline: theirs },
        });
      }
    } finally {
      db.close();
    }
  }

  const table: Record<string, Cell>[] = figures.map((f) => ({
    store: f.store,
    papers: f.papers,
    sort: f.sort,
    'p50 (ours)': ms(f.ours.p50),
    'p95 (ours)': ms(f.ours.p95),
    'p99 (ours)': ms(f.ours.p99),
    'p99 CPU (ours)': ms(f.oursCpu.p99),
    'p50 (scan)': ms(f.baseline.p50),
    'p95 (scan)': ms(f.baseline.p95),
    'p99 (scan)': ms(f.baseline.p99),
    'x faster (p50)': ratio(f.speedupP50),
    'x faster (mean)': ratio(f.speedupMean),
    'x faster (p50 CPU)': ratio(f.speedupP50Cpu),
  }));
  const at300 = figures.filter((f) => f.store === '300k');
  const targets = at300.flatMap((f) => [
    {
      target: `p99 < ${String(TARGET_P99_MS)} ms at 300k, sort ${f.sort}`,
      value: ms(f.ours.p99),
      met: f.ours.p99 < TARGET_P99_MS,
    },
    {
      target: `p99 < ${String(TARGET_P99_MS)} ms at 300k, sort ${f.sort}, in CPU time`,
      value: ms(f.oursCpu.p99),
      met: f.oursCpu.p99 < TARGET_P99_MS,
    },
    {
      target: `>= ${String(TARGET_SPEEDUP)}x faster than the linear scan at 300k (medians), sort ${f.sort}`,
      value: ratio(f.speedupP50),
      met: f.speedupP50 >= TARGET_SPEEDUP,
    },
  ]);
  const notes = at300.map(
    (f) =>
      `slowest at 300k by ${f.sort}: ${f.slowest
        .slice(0, 3)
        .map((t) => `${t.query} (${ms(t.ms)}, ${String(t.total)} found)`)
        .join('; ')}`,
  );
  notes.push(
    `load average during the run: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  return {
    name: 'search',
    title: `search latency, ${String(queries.length)} mixed queries, first page of ${String(PAGE)}, vs a linear scan`,
    command: commandFor('search'),
    machine: currentMachine(),
    durationMs: since(started),
    table,
    targets,
    notes,
    data: { queries, figures },
  };
}
