import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { addDays, utcDay } from '../papers/paper.js';
import { HfSourceError, HfSourcesFailedError, type HfFetchVia, type HfSource } from '../sources/index.js';
import type { IngestLog, IngestRun } from '../store/ingest-log.js';
import type { PaperStore } from '../store/paper-store.js';

export interface IngestDeps {
  readonly source: HfSource;
  readonly papers: PaperStore;
  readonly ingestLog: IngestLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** How many recent UTC days a routine ingest covers: upvotes keep growing for days, so recent lists are re-fetched. */
export const ROUTINE_INGEST_DAYS = 3;

/** After downtime, list days missed are fetched at start for at most this many days back. */
export const INGEST_CATCH_UP_DAYS = 7;

/**
 * What to fetch at start: the routine recent days, plus every day of the catch-up window that has no successful
 * ingest yet (the bot was down, or HF was). Newest first.
 */
export function catchUpDays(now: Date, ingestLog: IngestLog): string[] {
  const routine = new Set(recentDays(now));
  const window = recentDays(now, INGEST_CATCH_UP_DAYS);
  const done = ingestLog.succeededDays(window.at(-1) ?? '', window[0] ?? '');
  return window.filter((day) => routine.has(day) || !done.has(day));
}

/** Today and the previous days (UTC), newest first. */
export function recentDays(now: Date, count = ROUTINE_INGEST_DAYS): string[] {
  const today = utcDay(now);
  return Array.from({ length: count }, (_, index) => addDays(today, -index));
}

/**
 * Fetches one list day and stores it. A failure is recorded and returned, not thrown: one bad day must not
 * stop the others. Nothing is stored unless the source returned a whole, validated list. Null when `signal`
 * (shutdown) interrupted it.
 */
export async function ingestDay(
  deps: IngestDeps,
  day: string,
  options: { via?: HfFetchVia; signal?: AbortSignal } = {},
): Promise<IngestRun | null> {
  const startedAt = deps.clock.now().toISOString();
  const logger = deps.logger.child({ listDay: day });
  let run: IngestRun;
  try {
    const result = await deps.source.fetchDay(day, options);
    if (result.kind === 'not-yet') {
      run = finished(deps, {
        listDay: day,
        source: null,
        outcome: 'not-yet',
        paperCount: 0,
        newCount: 0,
        error: null,
        startedAt,
      });
      logger.info('no list yet for this day');
    } else {
      const { inserted } = deps.papers.upsertListed(result.papers, deps.clock.now());
      run = finished(deps, {
        listDay: day,
        source: result.source,
        outcome: 'ok',
        paperCount: result.papers.length,
        newCount: inserted,
        error: null,
        startedAt,
      });
      logger.info({ source: result.source, papers: result.papers.length, new: inserted }, 'list stored');
    }
  } catch (error) {
    // A shutdown interrupting the fetch is not HF failing: nothing is recorded, the next start fetches the day.
    if (options.signal?.aborted === true) {
      logger.info('ingest interrupted by shutdown; nothing recorded');
      return null;
    }
    const reason = describeIngestError(error);
    run = finished(deps, {
      listDay: day,
      source: null,
      outcome: 'failed',
      paperCount: 0,
      newCount: 0,
      error: reason,
      startedAt,
    });
    // HF being down or changing its data is expected now and then: a reason, not a stack. Anything else is a bug.
    if (isExpectedSourceFailure(error)) logger.warn({ reason }, 'ingest failed');
    else logger.error({ err: error }, 'ingest failed');
  }
  deps.ingestLog.record(run);
  return run;
}

/** Ingests several days one after another (HF asks clients not to hammer it), oldest first. */
export async function ingestDays(
  deps: IngestDeps,
  days: readonly string[],
  options: {
    via?: HfFetchVia;
    signal?: AbortSignal;
    pauseMs?: number;
    sleep?: (ms: number) => Promise<void>;
    onDay?: (run: IngestRun) => void;
  } = {},
): Promise<IngestRun[]> {
  const runs: IngestRun[] = [];
  const ordered = [...days].sort();
  for (const [index, day] of ordered.entries()) {
    if (options.signal?.aborted === true) break;
    if (index > 0 && options.pauseMs !== undefined && options.pauseMs > 0 && options.sleep !== undefined) {
      await options.sleep(options.pauseMs);
    }
    const run = await ingestDay(deps, day, {
      ...(options.via === undefined ? {} : { via: options.via }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (run === null) break;
    runs.push(run);
    options.onDay?.(run);
  }
  return runs;
}

function isExpectedSourceFailure(error: unknown): boolean {
  return error instanceof HfSourceError || error instanceof HfSourcesFailedError;
}

/** One line for the ingest log, /papers status and the terminal: what failed, without stacks. */
export function describeIngestError(error: unknown): string {
  if (error instanceof HfSourcesFailedError) {
    return `API: ${error.apiError.detail}; page: ${error.pageError.detail}`;
  }
  if (error instanceof HfSourceError) return `${error.detail} (${error.url})`;
  return error instanceof Error ? error.message : String(error);
}

function finished(deps: IngestDeps, run: Omit<IngestRun, 'finishedAt'>): IngestRun {
  return { ...run, finishedAt: deps.clock.now().toISOString() };
}
