import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { machineInfo, type MachineInfo } from './machine.js';

export const BENCH_DIR = fileURLToPath(new URL('../', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export type Cell = string | number | boolean | null;

export interface BenchReport {
  readonly name: string;
  /** What it measures, one line. */
  readonly title: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly durationMs: number;
  /** Rows shown in the printed table (the same figures as `data`, formatted). */
  readonly table: Record<string, Cell>[];
  /** Target checks: description, met or not. */
  readonly targets: { readonly target: string; readonly value: string; readonly met: boolean }[];
  readonly notes: string[];
  readonly data: unknown;
}

export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

export function currentMachine(): MachineInfo {
  return machineInfo(sqliteVersion());
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value >= 100) return `${value.toFixed(0)}x`;
  return value >= 10 ? `${value.toFixed(1)}x` : `${value.toFixed(2)}x`;
}

/** Prints a table with aligned columns. */
export function printTable(rows: readonly Record<string, Cell>[]): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const text = (cell: Cell | undefined): string => (cell === null || cell === undefined ? '' : String(cell));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => text(row[column]).length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(columns.map((column) => text(row[column]))));
}

/** Prints the report's table and targets, and writes bench/results/<name>.json. */
export function publish(report: BenchReport): void {
  console.log(`\n## ${report.name}: ${report.title}`);
  printTable(report.table);
  for (const target of report.targets) {
    console.log(`target ${target.met ? 'MET   ' : 'MISSED'} ${target.target}: ${target.value}`);
  }
  for (const note of report.notes) console.log(`note: ${note}`);
  console.log(`(${ms(report.durationMs)}; reproduce: ${report.command})`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${report.name}.json`, `${JSON.stringify(report, null, 2)}\n`);
}

export function commandFor(name: string): string {
  return `npm run bench -- --only ${name}`;
}

/** Progress lines go to stderr, so stdout holds the tables. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
