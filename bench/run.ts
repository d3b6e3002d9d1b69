/**
 * Runs the benchmarks: `npm run bench` (all of them) or `npm run bench -- --only search,fanout`.
 * Each prints a table and writes bench/results/<name>.json. See BENCHMARKS.md for the figures.
 */
import { cachedStore } from './support/databases.js';
import { progress, publish, type BenchReport } from './support/report.js';

const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<BenchReport> }>> = {
  search: () => import('./search.js'),
  autocomplete: () => import('./autocomplete.js'),
  ingest: () => import('./ingest.js'),
  matching: () => import('./matching.js'),
  fanout: () => import('./fanout.js'),
  memory: () => import('./memory.js'),
  interaction: () => import('./interaction.js'),
};

function selected(argv: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--only') names.push(...(argv[i + 1] ?? '').split(','));
    else if (arg.startsWith('--only=')) names.push(...arg.slice('--only='.length).split(','));
    if (arg === '--only') i += 1;
  }
  const chosen = names.map((name) => name.trim()).filter(Boolean);
  const unknown = chosen.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  return chosen.length === 0 ? Object.keys(BENCHMARKS) : chosen;
}

async function main(): Promise<void> {
  const names = selected(process.argv.slice(2));
  const started = performance.now();
  if (process.argv.includes('--build-only')) {
    for (const store of ['corpus', '100k', '300k'] as const) await cachedStore(store);
    return;
  }
  const failed: string[] = [];
  for (const name of names) {
    const load = BENCHMARKS[name];
    if (load === undefined) continue;
    progress(`running ${name}`);
    try {
      const bench = await load();
      publish(await bench.run());
    } catch (error) {
      failed.push(name);
      console.error(`benchmark ${name} failed:`, error);
    }
  }
  console.log(`\nbenchmarks done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
