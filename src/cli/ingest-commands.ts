import { SingleBar } from 'cli-progress';
import { createApp } from '../app.js';
import { sleep } from '../clock.js';
import { UserFacingError } from '../errors.js';
import { ingestDays, recentDays } from '../jobs/ingest.js';
import { addDays } from '../papers/paper.js';
import type { HfFetchVia } from '../sources/index.js';
import type { IngestRun } from '../store/ingest-log.js';
import { EXIT_FAILURE, EXIT_OK, type CliContext } from './program.js';

/** A backfill longer than this is almost certainly a typo in a year. */
const MAX_BACKFILL_DAYS = 3 * 366;

export async function ingest(context: CliContext, options: { date?: string; via: HfFetchVia }): Promise<number> {
  const app = createApp(context.config, context.logger, context.io.overrides);
  try {
    const days = options.date === undefined ? recentDays(app.clock.now()) : [options.date];
    const runs = await ingestDays(app, days, { via: options.via });
    for (const run of runs) context.io.stdout.write(`${describeRun(run)}\n`);
    return runs.some((run) => run.outcome === 'failed') ? EXIT_FAILURE : EXIT_OK;
  } finally {
    app.close();
  }
}

export async function backfill(
  context: CliContext,
  options: { from: string; to: string; pauseMs: number; force: boolean; via: HfFetchVia },
): Promise<number> {
  if (options.from > options.to) {
    throw new UserFacingError(`--from (${options.from}) is after --to (${options.to}): give the earlier day first.`);
  }
  const allDays = daysBetween(options.from, options.to);
  if (allDays.length > MAX_BACKFILL_DAYS) {
    throw new UserFacingError(
      `That is ${String(allDays.length)} days; backfill at most ${String(MAX_BACKFILL_DAYS)} at a time.`,
    );
  }
  const app = createApp(context.config, context.logger, context.io.overrides);
  try {
    // Resumable: a day already stored successfully is not fetched again, so an interrupted backfill picks up
    // where it stopped. --force re-fetches (to refresh upvotes of old days, say).
    const done = options.force ? new Set<string>() : app.ingestLog.succeededDays(options.from, options.to);
    const days = allDays.filter((day) => !done.has(day));
    const log = context.logger.child({ job: 'backfill' });
    log.info(
      { from: options.from, to: options.to, days: days.length, skipped: allDays.length - days.length },
      'backfill starting',
    );

    const bar =
      context.io.stderr.isTTY === true
        ? new SingleBar({
            format: 'backfill |{bar}| {value}/{total} days | {day} {outcome} | eta {eta_formatted}',
            stream: context.io.stderr as NodeJS.WritableStream,
            hideCursor: true,
          })
        : null;
    bar?.start(days.length, 0, { day: '', outcome: '' });
    const runs = await ingestDays(app, days, {
      via: options.via,
      pauseMs: options.pauseMs,
      sleep,
      onDay: (run) => {
        if (bar !== null) bar.increment({ day: run.listDay, outcome: run.outcome });
        else log.info({ listDay: run.listDay, outcome: run.outcome, papers: run.paperCount }, 'day done');
      },
    });
    bar?.stop();

    const count = (outcome: IngestRun['outcome']) => runs.filter((run) => run.outcome === outcome).length;
    const failed = runs.filter((run) => run.outcome === 'failed');
    context.io.stdout.write(
      `Backfill ${options.from}..${options.to}: ${String(count('ok'))} days stored, ${String(count('not-yet'))} without a list, ` +
        `${String(failed.length)} failed, ${String(allDays.length - days.length)} already stored.\n`,
    );
    for (const run of failed) context.io.stdout.write(`  ${describeRun(run)}\n`);
    if (failed.length > 0) context.io.stdout.write('Run the same command again to retry the failed days.\n');
    return failed.length > 0 ? EXIT_FAILURE : EXIT_OK;
  } finally {
    app.close();
  }
}

export function describeRun(run: IngestRun): string {
  switch (run.outcome) {
    case 'ok':
      return `${run.listDay}: ${String(run.paperCount)} papers (${String(run.newCount)} new) from ${run.source ?? '?'}`;
    case 'not-yet':
      return `${run.listDay}: no list yet`;
    case 'failed':
      return `${run.listDay}: failed: ${run.error ?? 'unknown error'}`;
  }
}

function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}
