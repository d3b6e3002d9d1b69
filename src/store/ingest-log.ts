import type { Db } from './database.js';

export type IngestOutcome = 'ok' | 'not-yet' | 'failed';

export interface IngestRun {
  readonly listDay: string;
  /** 'api', 'page', 'page-cards', 'file'; null when nothing answered. */
  readonly source: string | null;
  readonly outcome: IngestOutcome;
  readonly paperCount: number;
  readonly newCount: number;
  readonly error: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface IngestLog {
  record(run: IngestRun): void;
  /** The most recent successful ingest of any day. */
  lastSuccess(): IngestRun | null;
  /** The most recent run of any outcome. */
  lastRun(): IngestRun | null;
  /** The most recent run that Hugging Face answered (a list, or 'no list yet'): HF is reachable. */
  lastAnswered(): IngestRun | null;
  /** The most recent run for one list day. */
  lastRunFor(day: string): IngestRun | null;
  /** List days in [from, to] with a successful ingest. */
  succeededDays(from: string, to: string): Set<string>;
}

interface IngestRow {
  list_day: string;
  source: string | null;
  outcome: IngestOutcome;
  paper_count: number;
  new_count: number;
  error: string | null;
  started_at: string;
  finished_at: string;
}

const COLUMNS = 'list_day, source, outcome, paper_count, new_count, error, started_at, finished_at';

export function createIngestLog(db: Db): IngestLog {
  const insert = db.prepare<IngestRow>(`
    INSERT INTO ingest_runs (${COLUMNS})
    VALUES (@list_day, @source, @outcome, @paper_count, @new_count, @error, @started_at, @finished_at)`);
  const lastOk = db.prepare<[], IngestRow>(
    `SELECT ${COLUMNS} FROM ingest_runs WHERE outcome = 'ok' ORDER BY finished_at DESC, id DESC LIMIT 1`,
  );
  const answered = db.prepare<[], IngestRow>(
    `SELECT ${COLUMNS} FROM ingest_runs WHERE outcome != 'failed' AND source IS NOT 'file' ORDER BY finished_at DESC, id DESC LIMIT 1`,
  );
  const last = db.prepare<[], IngestRow>(
    `SELECT ${COLUMNS} FROM ingest_runs ORDER BY finished_at DESC, id DESC LIMIT 1`,
  );
  const lastForDay = db.prepare<[string], IngestRow>(
    `SELECT ${COLUMNS} FROM ingest_runs WHERE list_day = ? ORDER BY finished_at DESC, id DESC LIMIT 1`,
  );
  const okDays = db.prepare<[string, string], { list_day: string }>(
    `SELECT DISTINCT list_day FROM ingest_runs WHERE outcome = 'ok' AND list_day BETWEEN ? AND ?`,
  );
  return {
    record(run) {
      insert.run({
        list_day: run.listDay,
        source: run.source,
        outcome: run.outcome,
        paper_count: run.paperCount,
        new_count: run.newCount,
        error: run.error,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
      });
    },
    lastSuccess: () => toRun(lastOk.get()),
    lastRun: () => toRun(last.get()),
    lastAnswered: () => toRun(answered.get()),
    lastRunFor: (day) => toRun(lastForDay.get(day)),
    succeededDays: (from, to) => new Set(okDays.all(from, to).map((row) => row.list_day)),
  };
}

function toRun(row: IngestRow | undefined): IngestRun | null {
  if (row === undefined) return null;
  return {
    listDay: row.list_day,
    source: row.source,
    outcome: row.outcome,
    paperCount: row.paper_count,
    newCount: row.new_count,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
