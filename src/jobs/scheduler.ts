import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

export interface Job {
  readonly name: string;
  /** A cron expression, evaluated in UTC; null for a job that only runs when asked (start-up catch-up). */
  readonly cron: string | null;
  /**
   * The work, given a stop signal and a child logger for this run (fields `job` and `run`). Runs never overlap:
   * a tick that finds the previous run still going is skipped.
   */
  readonly run: (signal: AbortSignal, logger: Logger) => Promise<unknown>;
}

export interface Scheduler {
  /** Runs a job now (start-up catch-up), unless it is already running. */
  runNow(name: string): Promise<void>;
  /** Stops the ticks, asks running jobs to stop, and waits for them. */
  stop(): Promise<void>;
}

/**
 * A thin wrapper over node-cron: one cron task per job, UTC, no overlapping runs, every failure logged (a job's
 * error must never become an unhandled rejection), and a stop that waits for the work in flight.
 */
export function startScheduler(jobs: readonly Job[], logger: Logger): Scheduler {
  const abort = new AbortController();
  const running = new Map<string, Promise<void>>();
  const byName = new Map(jobs.map((job) => [job.name, job]));
  let runs = 0;

  function launch(job: Job): Promise<void> {
    const existing = running.get(job.name);
    if (existing !== undefined) {
      logger.debug({ job: job.name }, 'previous run still going; tick skipped');
      return existing;
    }
    runs += 1;
    const log = logger.child({ job: job.name, run: runs });
    const run = (async () => {
      const started = performance.now();
      try {
        await job.run(abort.signal, log);
        log.debug({ ms: Math.round(performance.now() - started) }, 'job finished');
      } catch (error) {
        log.error({ err: error }, 'job failed');
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, run);
    return run;
  }

  const tasks: ScheduledTask[] = jobs.flatMap((job) =>
    job.cron === null
      ? []
      : [
          schedule(
            job.cron,
            async () => {
              if (!abort.signal.aborted) await launch(job);
            },
            { name: job.name, timezone: 'UTC', noOverlap: true },
          ),
        ],
  );

  return {
    async runNow(name) {
      const job = byName.get(name);
      if (job === undefined) throw new Error(`No job named ${name}`);
      // Stopping: no new work (the start-up chain asks for the delivery catch-up after the ingest one).
      if (abort.signal.aborted) return;
      await launch(job);
    },
    async stop() {
      abort.abort(new Error('shutting down'));
      await Promise.all(
        tasks.map(async (task) => {
          await task.destroy();
        }),
      );
      await Promise.all(running.values());
    },
  };
}
