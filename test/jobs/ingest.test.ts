import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../config/index.js';
import { catchUpDays, ingestDay, ingestDays, recentDays } from '../../src/jobs/ingest.js';
import { FAST_HTTP } from '../support/cli.js';
import { loadFixtureJson, startFakeHf, type FakeHf } from '../support/fake-hf.js';
import { build2026Page } from '../sources/helpers.js';

const API_2026_08_21 = 'hf-api/daily_papers_date-2026-08-21_filtered-reindented.json';
const NOW = new Date('2026-08-22T15:00:00.000Z');

let hf: FakeHf;
let app: App | null = null;
beforeAll(async () => {
  hf = await startFakeHf({ days: { '2026-08-21': { api: loadFixtureJson(API_2026_08_21) as unknown[] } } });
});
afterAll(async () => {
  await hf.close();
});
function freshApp(): App {
  const config = loadConfig({ HF_BASE_URL: hf.baseUrl, DATABASE_PATH: ':memory:' });
  const created = createApp(config, pino({ level: 'silent' }), { clock: { now: () => NOW }, http: FAST_HTTP });
  app = created;
  return created;
}
afterEach(() => {
  hf.clearFaults();
  app?.close();
  app = null;
});

function must<T>(value: T | null): T {
  if (value === null) throw new Error('expected a value');
  return value;
}

describe('catchUpDays', () => {
  it('GIVEN a week with some days stored THEN the routine 3 days plus every unfetched day of the last 7', () => {
    const deps = freshApp();
    const ok = (listDay: string) => {
      deps.ingestLog.record({
        listDay,
        source: 'api',
        outcome: 'ok',
        paperCount: 1,
        newCount: 1,
        error: null,
        startedAt: '',
        finishedAt: '',
      });
    };
    ['2026-08-22', '2026-08-21', '2026-08-19', '2026-08-17'].forEach(ok);
    expect(catchUpDays(NOW, deps.ingestLog)).toEqual([
      '2026-08-22',
      '2026-08-21',
      '2026-08-20',
      '2026-08-18',
      '2026-08-16',
    ]);
  });
});

describe('recentDays', () => {
  it('GIVEN an instant THEN today and the two previous UTC days, newest first', () => {
    expect(recentDays(new Date('2026-03-01T00:30:00.000Z'))).toEqual(['2026-03-01', '2026-02-28', '2026-02-27']);
  });
});

describe('ingestDay', () => {
  it('GIVEN a list THEN it is stored and logged as ok with counts', async () => {
    const deps = freshApp();
    const run = must(await ingestDay(deps, '2026-08-21'));
    expect(run).toMatchObject({ listDay: '2026-08-21', outcome: 'ok', source: 'api', paperCount: 17, newCount: 17 });
    expect(deps.papers.count()).toBe(17);
    const again = must(await ingestDay(deps, '2026-08-21'));
    expect(again.newCount).toBe(0);
    expect(deps.ingestLog.lastSuccess()?.listDay).toBe('2026-08-21');
  });

  it('GIVEN a day without a list THEN not-yet, nothing stored', async () => {
    const deps = freshApp();
    expect(must(await ingestDay(deps, '2026-08-23')).outcome).toBe('not-yet');
    expect(deps.papers.count()).toBe(0);
  });

  it('GIVEN HF down for API and page THEN failed with a one-line reason naming both, nothing stored', async () => {
    const deps = freshApp();
    hf.failNext({ path: '/', times: 50, status: 502 });
    const run = must(await ingestDay(deps, '2026-08-21'));
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/^API: .*502.*; page: .*502/);
    expect(run.error).not.toContain('\n');
    expect(deps.papers.count()).toBe(0);
    expect(deps.ingestLog.lastRun()?.outcome).toBe('failed');
  });

  it('GIVEN a truncated API body THEN nothing of it is stored and the day comes from the page', async () => {
    const deps = freshApp();
    const items = loadFixtureJson(API_2026_08_21) as unknown[];
    hf.setDay('2026-08-21', { api: items, page: build2026Page('2026-08-21', items) });
    hf.failNext({ path: '/api/', times: 10, truncate: true });
    const run = must(await ingestDay(deps, '2026-08-21'));
    expect(run).toMatchObject({ outcome: 'ok', source: 'page', paperCount: 17 });
    expect(deps.papers.get('2608.19880')?.upvotes).toBe(163);
  });
});

describe('ingestDays', () => {
  it('GIVEN several days THEN oldest first, one failure not stopping the others', async () => {
    const deps = freshApp();
    hf.failNext({ path: '/api/daily_papers', times: 2, status: 500 });
    hf.failNext({ path: '/papers/date/', times: 2, status: 500 });
    const runs = await ingestDays(deps, ['2026-08-21', '2026-08-20']);
    expect(runs.map((run) => [run.listDay, run.outcome])).toEqual([
      ['2026-08-20', 'failed'],
      ['2026-08-21', 'ok'],
    ]);
  });

  it('GIVEN a shutdown during a fetch THEN nothing is recorded as failed and no further day is fetched', async () => {
    const deps = freshApp();
    const abort = new AbortController();
    hf.failNext({ path: '/api/', delayMs: 200 });
    setTimeout(() => {
      abort.abort(new Error('shutting down'));
    }, 50);
    const runs = await ingestDays(deps, ['2026-08-21', '2026-08-20'], { signal: abort.signal });
    expect(runs).toEqual([]);
    expect(deps.ingestLog.lastRun()).toBeNull();
  });

  it('GIVEN an aborted signal THEN no further day is fetched', async () => {
    const deps = freshApp();
    const abort = new AbortController();
    abort.abort();
    const before = hf.requests.length;
    expect(await ingestDays(deps, ['2026-08-21'], { signal: abort.signal })).toEqual([]);
    expect(hf.requests.length).toBe(before);
  });
});
