import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './support/child.js';
import { commandFor, currentMachine, ms, progress, ratio, type BenchReport, type Cell } from './support/report.js';
import { median, since } from './support/stats.js';

/** Each mode is run this many times, alternating, in fresh processes; medians are reported. */
const RUNS = 3;
const MODES = [
  { mode: 'import', label: 'importFile into a fresh store (validated, FTS5 index, WAL)' },
  { mode: 'parse', label: 'read + gunzip + parse + validate only (nothing stored)' },
  { mode: 'plain', label: 'baseline: JSON.parse + one INSERT per paper into a bare table' },
] as const;

interface ChildResult {
  readonly papers: number;
  readonly ms: number;
  readonly rssMb: number;
  readonly peakMb: number;
}

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const runs = new Map<string, ChildResult[]>(MODES.map(({ mode }) => [mode, []]));
  for (let i = 0; i < RUNS; i += 1) {
    for (const { mode } of MODES) {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-ingest-'));
      try {
        progress(`ingest: ${mode} (${String(i + 1)}/${String(RUNS)})`);
        runs.get(mode)?.push(await runChild<ChildResult>('./ingest-child.ts', [mode, join(dir, 'ingest.db')]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const summary = MODES.map(({ mode, label }) => {
    const results = runs.get(mode) ?? [];
    const papers = results[0]?.papers ?? 0;
    const time = median(results.map((r) => r.ms));
    return {
      mode,
      label,
      papers,
      ms: time,
      perSecond: papers / (time / 1000),
      peakMb: median(results.map((r) => r.peakMb)),
    };
  });
  const imported = summary.find((s) => s.mode === 'import');
  const plain = summary.find((s) => s.mode === 'plain');
  const table: Record<string, Cell>[] = summary.map((s) => ({
    what: s.label,
    papers: s.papers,
    'time (median)': ms(s.ms),
    'papers/s': Math.round(s.perSecond),
    'peak RSS (MB)': Math.round(s.peakMb),
  }));
  return {
    name: 'ingest',
    title: `the whole corpus into a fresh database, each mode ${String(RUNS)} times in a fresh process`,
    command: commandFor('ingest'),
    machine: currentMachine(),
    durationMs: since(started),
    table,
    targets: [],
    notes: [
      imported !== undefined && plain !== undefined
        ? `importFile is ${ratio(imported.ms / plain.ms)} the time of the bare baseline; the FTS5 index (porter, prefixes 2-4) is most of the difference`
        : '',
      'peak RSS is the process VmHWM (Node and the whole file held in memory included)',
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ].filter(Boolean),
    data: { runs: Object.fromEntries(runs), summary },
  };
}
