import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createIngestLog } from '../../src/store/ingest-log.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { CORPUS_PATH, warnIfCorpusMissing } from '../support/corpus.js';
import { runCliCaptured } from '../support/cli.js';
import { loadFixtureJson, startFakeHf, type FakeHf } from '../support/fake-hf.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const API_2026_08_21 = 'hf-api/daily_papers_date-2026-08-21_filtered-reindented.json';
const API_2024_08_01 = 'hf-api/daily_papers_date-2024-08-01_filtered-reindented.json';
const PAGE_2024_08_01 = 'hf-html/papers-list_date-2024-08-01.html';
/** A Saturday afternoon after the 2026-08-21 list (a Friday): today is 08-22, the routine days are 08-20..22. */
const NOW = new Date('2026-08-22T15:00:00.000Z');
const clock = { now: () => NOW };

let hf: FakeHf;
let dir: string;
beforeAll(async () => {
  hf = await startFakeHf({
    days: {
      '2026-08-20': { api: [] },
      '2026-08-21': { api: loadFixtureJson(API_2026_08_21) as unknown[] },
      '2024-08-01': { api: loadFixtureJson(API_2024_08_01) as unknown[] },
    },
  });
});
afterAll(async () => {
  await hf.close();
});
let counter = 0;
function freshEnv(extra: Record<string, string> = {}): Record<string, string> {
  counter += 1;
  dir = mkdtempSync(join(tmpdir(), `paperboy-cli-${String(counter)}-`));
  return { HF_BASE_URL: hf.baseUrl, DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'info', ...extra };
}
afterEach(() => {
  hf.clearFaults();
  rmSync(dir, { recursive: true, force: true });
});

function storeAt(env: Record<string, string>) {
  const db = openDatabase(env.DATABASE_PATH ?? '');
  return { db, papers: createPaperStore(db), ingestLog: createIngestLog(db) };
}

describe('paperboy ingest', () => {
  it('GIVEN no --date THEN it fetches today and the two previous UTC days and stores what exists', async () => {
    const env = freshEnv();
    const run = await runCliCaptured(['ingest'], env, { overrides: { clock } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-08-21: 17 papers (17 new) from api');
    expect(run.stdout).toContain('2026-08-22: no list yet');
    expect(run.stdout).toContain('2026-08-20: 0 papers');
    const asked = hf.requestsTo('/api/daily_papers').map((request) => request.query.date);
    expect(asked).toEqual(expect.arrayContaining(['2026-08-20', '2026-08-21', '2026-08-22']));
    const { db, papers, ingestLog } = storeAt(env);
    expect(papers.count()).toBe(17);
    expect(papers.get('2608.19880')?.upvotes).toBe(163);
    expect(ingestLog.lastSuccess()?.listDay).toBe('2026-08-21');
    db.close();
  });

  it('GIVEN HF failing for the day THEN the exit code is 1, the failure is logged and nothing is stored', async () => {
    const env = freshEnv();
    hf.failNext({ path: '/', times: 100, status: 503 });
    const run = await runCliCaptured(['ingest', '--date', '2026-08-21'], env, { overrides: { clock } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/2026-08-21: failed: .*503/);
    const { db, papers, ingestLog } = storeAt(env);
    expect(papers.count()).toBe(0);
    expect(ingestLog.lastRun()?.outcome).toBe('failed');
    db.close();
  });
});

describe('paperboy backfill', () => {
  it('GIVEN a range THEN it stores each day, logs progress lines off a terminal, and a re-run skips what is done', async () => {
    const env = freshEnv();
    const args = ['backfill', '--from', '2026-08-20', '--to', '2026-08-22', '--pause-ms', '0'];
    const first = await runCliCaptured(args, env, { overrides: { clock } });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 days stored, 1 without a list, 0 failed, 0 already stored');
    expect(first.logs.filter((line) => line.msg === 'day done').map((line) => line.listDay)).toEqual([
      '2026-08-20',
      '2026-08-21',
      '2026-08-22',
    ]);
    const requestsBefore = hf.requestsTo('/api/daily_papers').length;
    const second = await runCliCaptured(args, env, { overrides: { clock } });
    expect(second.stdout).toContain('0 failed, 2 already stored');
    // Only the day without a list is asked again.
    expect(
      hf
        .requestsTo('/api/daily_papers')
        .slice(requestsBefore)
        .map((r) => r.query.date),
    ).toEqual(['2026-08-22']);
  });

  it('GIVEN a terminal THEN it draws a progress bar', async () => {
    const env = freshEnv();
    const run = await runCliCaptured(
      ['backfill', '--from', '2026-08-21', '--to', '2026-08-21', '--pause-ms', '0'],
      env,
      {
        overrides: { clock },
        stderrIsTTY: true,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/backfill \|.*\| 1\/1 days \| 2026-08-21 ok/);
  });

  it('GIVEN --from after --to THEN it says so and exits 2', async () => {
    const run = await runCliCaptured(['backfill', '--from', '2026-08-22', '--to', '2026-08-01'], freshEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from (2026-08-22) is after --to (2026-08-01)');
  });
});

describe('paperboy import', () => {
  it('GIVEN a saved API response named with its day THEN its papers are stored under that day', async () => {
    const env = freshEnv();
    const run = await runCliCaptured(['import', '--file', join(FIXTURES, API_2024_08_01)], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('as api-response: 11 items, 2024-08-01..2024-08-01');
    const { db, papers } = storeAt(env);
    expect(papers.onDay('2024-08-01')[0]?.title).toBe('The Llama 3 Herd of Models');
    db.close();
  });

  it('GIVEN a saved list page THEN it is detected by content and takes the day from the page', async () => {
    const env = freshEnv();
    const path = join(dir, 'saved.html');
    copyFileSync(join(FIXTURES, PAGE_2024_08_01), path);
    const run = await runCliCaptured(['import', '--file', path], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('as page: 13 items, 2024-08-01..2024-08-01');
  });

  it('GIVEN an API response whose name and items do not say the day THEN it asks for --date, and --date works', async () => {
    const env = freshEnv();
    const path = join(dir, 'response.json');
    copyFileSync(join(FIXTURES, API_2024_08_01), path);
    const without = await runCliCaptured(['import', '--file', path], env);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('add --date YYYY-MM-DD');
    const withDate = await runCliCaptured(['import', '--file', path, '--date', '2024-08-01'], env);
    expect(withDate.code).toBe(0);
  });

  it.each([
    ['truncated JSON', '[{"paper": {"id": "2608.00001", "title": "x"', /not valid JSON/],
    ['a schema mismatch', '[{"paper": {"id": "2608.00001", "title": "x", "upvotes": "many"}}]', /upvotes/],
    ['neither JSON nor HTML', 'hello', /not something paperboy can import/],
    ['a corpus line that is broken', '{"listDate":"2026-08-21","item":{"paper":{"id":"1"}}}\n{oops', /2 bad lines/],
  ])('GIVEN %s THEN it exits 2 naming the problem and stores nothing', async (_what, content, message) => {
    const env = freshEnv();
    const path = join(dir, 'bad-2026-08-21.json');
    writeFileSync(path, content);
    const run = await runCliCaptured(['import', '--file', path], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    const { db, papers } = storeAt(env);
    expect(papers.count()).toBe(0);
    db.close();
  });

  it('GIVEN a file that does not exist THEN it says so', async () => {
    const run = await runCliCaptured(['import', '--file', '/nonexistent/list.json'], freshEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot read /nonexistent/list.json: ENOENT');
  });

  describe.skipIf(CORPUS_PATH === null)('the real corpus', () => {
    it('GIVEN the whole corpus THEN 9,577 distinct papers are stored from 9,581 items', async () => {
      const env = freshEnv();
      const run = await runCliCaptured(['import', '--file', CORPUS_PATH ?? ''], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('as corpus: 9581 items, 2024-05-27..2026-08-21 (558 list days)');
      const { db, papers } = storeAt(env);
      expect(papers.count()).toBe(9577);
      db.close();
    });
  });
  warnIfCorpusMissing();
});

describe('paperboy preview', () => {
  it('GIVEN a stored day THEN it prints the headline and the top papers, readable', async () => {
    const env = freshEnv();
    await runCliCaptured(['import', '--file', join(FIXTURES, API_2026_08_21)], env);
    const run = await runCliCaptured(['preview', '--date', '2026-08-21'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Hugging Face Daily Papers, 2026-08-21: 10 of 17 papers');
    expect(run.stdout).toContain(' 1. EnvHarness: Awakening Static Worlds for Agent Learning');
    expect(run.stdout).toContain('https://huggingface.co/papers/2608.19880');
    expect(run.stdout.match(/^ ?\d+\. /gm)).toHaveLength(10);
  });

  it('GIVEN no date THEN it shows the latest complete day', async () => {
    const env = freshEnv();
    await runCliCaptured(['import', '--file', join(FIXTURES, API_2026_08_21)], env);
    const run = await runCliCaptured(['preview'], env, { overrides: { clock } });
    expect(run.stdout.split('\n')[0]).toBe('Hugging Face Daily Papers, 2026-08-21: 10 of 17 papers');
  });

  it('GIVEN a day without papers THEN it explains and exits 1', async () => {
    const run = await runCliCaptured(['preview', '--date', '2026-08-23'], freshEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('No papers are stored for 2026-08-23');
  });
});

describe('paperboy start without a token', () => {
  it('GIVEN HF unreachable and a stored corpus day THEN it says the live fetch failed, previews offline, explains Discord', async () => {
    const env = freshEnv({ HF_BASE_URL: 'http://127.0.0.1:9' });
    await runCliCaptured(['import', '--file', join(FIXTURES, API_2026_08_21)], env);
    const run = await runCliCaptured(['start'], env, { overrides: { clock } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No DISCORD_TOKEN set');
    expect(run.stdout).toMatch(/The live fetch from Hugging Face failed \(.+\)/);
    expect(run.stdout).toContain('Hugging Face Daily Papers, 2026-08-21: 10 of 17 papers');
    expect(run.stdout).toContain('DISCORD_TOKEN=...');
  });
});

describe('arguments and configuration', () => {
  it.each([
    [['ingest', '--date', '2026-02-30'], /expected a date as YYYY-MM-DD, got "2026-02-30"/],
    [['ingest', '--via', 'carrier-pigeon'], /Allowed choices are auto, api, page/],
    [['backfill', '--from', '2026-08-01'], /required option '--to <YYYY-MM-DD>' not specified/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /Missing command|Usage/],
  ])('GIVEN %j THEN a clear message and exit code 2', async (argv, message) => {
    const run = await runCliCaptured(argv, freshEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('GIVEN a bad configuration THEN every problem is listed and the command does not run', async () => {
    const before = hf.requests.length;
    const run = await runCliCaptured(['ingest'], freshEnv({ LOG_LEVEL: 'loud', HTTP_PORT: 'x' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/LOG_LEVEL.*\n.*HTTP_PORT/);
    expect(hf.requests.length).toBe(before);
  });

  it('GIVEN --help THEN it lists every command and exits 0', async () => {
    const run = await runCliCaptured(['--help'], freshEnv());
    expect(run.code).toBe(0);
    for (const command of ['start', 'ingest', 'backfill', 'import', 'preview', 'deploy-commands']) {
      expect(run.stdout).toContain(command);
    }
  });
});
