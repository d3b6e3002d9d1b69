import { loadavg } from 'node:os';
import { createSearchService, MAX_SUGGESTIONS } from '../src/search/search-service.js';
import { openDatabase } from '../src/store/database.js';
import { loadScanPapers, scanTitles } from './support/baseline.js';
import { benchStores, cachedStore, loadCorpusItems, type StoreName } from './support/databases.js';
import { autocompleteInputs } from './support/queries.js';
import { commandFor, currentMachine, ms, progress, ratio, type BenchReport, type Cell } from './support/report.js';
import { latencyStats, since, type LatencyStats } from './support/stats.js';

const STORES = benchStores(['corpus', '100k', '300k']);
const TARGET_P99_MS = 50;

interface Figures {
  readonly store: StoreName;
  readonly papers: number;
  readonly ours: LatencyStats;
  readonly baseline: LatencyStats;
  readonly speedupP50: number;
  readonly slowest: { input: string; ms: number }[];
}

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const inputs = autocompleteInputs(loadCorpusItems());
  const figures: Figures[] = [];
  for (const store of STORES) {
    const db = openDatabase(await cachedStore(store));
    try {
      const papers = (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
      const errors: unknown[] = [];
      const service = createSearchService(db, { onSuggestError: (error) => errors.push(error) });
      const time = (input: string, suggest: (text: string) => unknown) => {
        const start = performance.now();
        suggest(input);
        return since(start);
      };
      progress(`autocomplete ${store}: ${String(inputs.length)} inputs`);
      for (const input of inputs) service.suggestTitles(input, MAX_SUGGESTIONS);
      const ours = inputs.map((input) => ({
        input,
        ms: time(input, (text) => service.suggestTitles(text, MAX_SUGGESTIONS)),
      }));
      if (errors.length > 0) throw new Error(`suggestTitles failed: ${String(errors[0])}`);
      const scan = loadScanPapers(db);
      const baseline = inputs.map((input) => time(input, (text) => scanTitles(scan, text, MAX_SUGGESTIONS)));
      const oursStats = latencyStats(ours.map((t) => t.ms));
      const baseStats = latencyStats(baseline);
      figures.push({
        store,
        papers,
        ours: oursStats,
        baseline: baseStats,
        speedupP50: baseStats.p50 / oursStats.p50,
        slowest: [...ours].sort((a, b) => b.ms - a.ms).slice(0, 5),
      });
    } finally {
      db.close();
    }
  }
  const table: Record<string, Cell>[] = figures.map((f) => ({
    store: f.store,
    papers: f.papers,
    inputs: f.ours.n,
    'p50 (ours)': ms(f.ours.p50),
    'p95 (ours)': ms(f.ours.p95),
    'p99 (ours)': ms(f.ours.p99),
    'p50 (scan)': ms(f.baseline.p50),
    'p99 (scan)': ms(f.baseline.p99),
    'x faster (p50)': ratio(f.speedupP50),
  }));
  const at300 = figures.find((f) => f.store === '300k');
  return {
    name: 'autocomplete',
    title: 'title autocomplete (suggestTitles) on prefixes typed keystroke by keystroke, vs a scan of every title',
    command: commandFor('autocomplete'),
    machine: currentMachine(),
    durationMs: since(started),
    table,
    targets:
      at300 === undefined
        ? []
        : [
            {
              target: `p99 < ${String(TARGET_P99_MS)} ms at 300k`,
              value: ms(at300.ours.p99),
              met: at300.ours.p99 < TARGET_P99_MS,
            },
          ],
    notes: [
      ...figures.map(
        (f) => `slowest at ${f.store}: ${f.slowest.map((s) => `${JSON.stringify(s.input)} ${ms(s.ms)}`).join(', ')}`,
      ),
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ],
    data: { inputs, figures },
  };
}
