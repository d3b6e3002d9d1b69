import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.js';

const silent = pino({ level: 'silent' });
/** A cron that will not fire during a test (once a year). */
const RARELY = '0 0 1 1 *';

describe('scheduler', () => {
  it('GIVEN a run in progress THEN another request joins it instead of starting a second run', async () => {
    let started = 0;
    let release: () => void = () => undefined;
    const scheduler = startScheduler(
      [
        {
          name: 'slow',
          cron: RARELY,
          run: async () => {
            started += 1;
            if (started > 1) return;
            await new Promise<void>((resolve) => {
              release = resolve;
            });
          },
        },
      ],
      silent,
    );
    const first = scheduler.runNow('slow');
    const second = scheduler.runNow('slow');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toBe(1);
    release();
    await Promise.all([first, second]);
    // Once finished, the next request starts a new run.
    await scheduler.runNow('slow');
    expect(started).toBe(2);
    await scheduler.stop();
  });

  it('GIVEN a failing job THEN the failure is logged, not thrown, and the job can run again', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    let runs = 0;
    const scheduler = startScheduler(
      [
        {
          name: 'flaky',
          cron: RARELY,
          run: () => {
            runs += 1;
            return Promise.reject(new Error('HF is down'));
          },
        },
      ],
      logger,
    );
    await scheduler.runNow('flaky');
    await scheduler.runNow('flaky');
    expect(runs).toBe(2);
    // Each run logs through its own child logger: job name and run number on every line.
    expect(lines.filter((line) => line.msg === 'job failed').map((line) => [line.job, line.run])).toEqual([
      ['flaky', 1],
      ['flaky', 2],
    ]);
    await scheduler.stop();
  });

  it('GIVEN stop during a run THEN the run is told to stop and stop waits for it', async () => {
    let sawAbort = false;
    let finished = false;
    const scheduler = startScheduler(
      [
        {
          name: 'long',
          cron: RARELY,
          run: async (signal) => {
            await new Promise<void>((resolve) => {
              signal.addEventListener(
                'abort',
                () => {
                  resolve();
                },
                { once: true },
              );
            });
            sawAbort = signal.aborted;
            await new Promise((resolve) => setTimeout(resolve, 20));
            finished = true;
          },
        },
      ],
      silent,
    );
    void scheduler.runNow('long');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await scheduler.stop();
    expect(sawAbort).toBe(true);
    expect(finished).toBe(true);
  });

  it('GIVEN an unknown job name THEN runNow rejects', async () => {
    const scheduler = startScheduler([], silent);
    await expect(scheduler.runNow('nope')).rejects.toThrow('No job named nope');
    await scheduler.stop();
  });
});
