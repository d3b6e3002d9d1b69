import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/database.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { createIngestLog } from '../../src/store/ingest-log.js';
import { listed, makePaper } from '../support/papers.js';

const NOW = new Date('2026-08-21T10:00:00.000Z');
const LATER = new Date('2026-08-22T10:00:00.000Z');

const dbs: Db[] = [];
function freshDb(): Db {
  const db = openDatabase(':memory:');
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('migrations', () => {
  it('GIVEN an empty file THEN every migration is applied, WAL and foreign keys are on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-store-'));
    try {
      const db = openDatabase(join(dir, 'nested', 'paperboy.db'));
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)?.version);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(['papers', 'paper_days', 'papers_fts', 'ingest_runs']));
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a migrated database THEN running the migrations again applies nothing and keeps data', () => {
    const db = freshDb();
    createPaperStore(db).upsertListed([listed('2026-08-21', makePaper({ id: '2608.00001' }))], NOW);
    expect(migrate(db)).toEqual([]);
    expect(createPaperStore(db).get('2608.00001')?.id).toBe('2608.00001');
  });

  it('GIVEN a database from a newer paperboy THEN it refuses with a clear message', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/schema version 999, newer than this paperboy/);
    db.close();
  });

  it('GIVEN a failing migration THEN nothing of it is applied', () => {
    const db = new Database(':memory:');
    const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('paper store upserts', () => {
  it('GIVEN a new paper THEN every field reads back as stored', () => {
    const store = createPaperStore(freshDb());
    const paper = makePaper({
      id: '2608.19880',
      title: 'EnvHarness: Awakening Static Worlds for Agent Learning',
      organization: { name: 'google', fullname: 'Google' },
      aiSummary: 'Env harnesses.',
      aiKeywords: ['LLM agents', 'reinforcement learning'],
      githubRepo: 'https://github.com/google-research/envharness',
      githubStars: 8,
      projectPage: 'https://envharness.com/',
      thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.19880.png',
      upvotes: 163,
    });
    expect(store.upsertListed([listed('2026-08-21', paper)], NOW)).toEqual({ inserted: 1, updated: 0 });
    expect(store.get('2608.19880')).toEqual({
      ...paper,
      listDays: ['2026-08-21'],
      firstSeenAt: NOW.toISOString(),
    });
    expect(store.count()).toBe(1);
  });

  it('GIVEN a known paper seen again THEN counts refresh, first-seen data stays, missing fields fill in', () => {
    const store = createPaperStore(freshDb());
    const first = makePaper({ id: '2608.00002', title: 'Original title', upvotes: 5, comments: 0, aiSummary: null });
    store.upsertListed([listed('2026-08-21', first)], NOW);
    const again = {
      ...first,
      title: 'Edited title',
      upvotes: 40,
      comments: 3,
      githubStars: 12,
      aiSummary: 'A TL;DR that arrived later.',
    };
    expect(store.upsertListed([listed('2026-08-21', again)], LATER)).toEqual({ inserted: 0, updated: 1 });
    const stored = store.get('2608.00002');
    expect(stored?.title).toBe('Original title');
    expect(stored?.upvotes).toBe(40);
    expect(stored?.comments).toBe(3);
    expect(stored?.githubStars).toBe(12);
    expect(stored?.aiSummary).toBe('A TL;DR that arrived later.');
    expect(stored?.firstSeenAt).toBe(NOW.toISOString());
  });

  it('GIVEN an older snapshot after a fresher one THEN counts are not lowered', () => {
    const store = createPaperStore(freshDb());
    store.upsertListed([listed('2026-08-21', makePaper({ id: '2608.00003', upvotes: 90, comments: 7 }))], NOW);
    store.upsertListed([listed('2026-08-21', makePaper({ id: '2608.00003', upvotes: 4, comments: null }))], LATER);
    expect(store.get('2608.00003')?.upvotes).toBe(90);
    expect(store.get('2608.00003')?.comments).toBe(7);
  });

  it('GIVEN a paper on two list days THEN it is stored once with both days', () => {
    const store = createPaperStore(freshDb());
    const paper = makePaper({ id: '2608.00004' });
    store.upsertListed([listed('2026-08-20', paper)], NOW);
    store.upsertListed([listed('2026-08-21', paper)], NOW);
    expect(store.count()).toBe(1);
    expect(store.get('2608.00004')?.listDays).toEqual(['2026-08-20', '2026-08-21']);
    expect(store.onDay('2026-08-20').map((p) => p.id)).toEqual(['2608.00004']);
    expect(store.latestDay()).toBe('2026-08-21');
    expect(store.days(10)).toEqual(['2026-08-21', '2026-08-20']);
  });

  it('GIVEN a batch that fails midway THEN none of it is stored', () => {
    const store = createPaperStore(freshDb());
    const good = makePaper({ id: '2608.00005' });
    const bad = { ...makePaper({ id: '2608.00006' }), title: null as unknown as string };
    expect(() => store.upsertListed([listed('2026-08-21', good), listed('2026-08-21', bad)], NOW)).toThrow();
    expect(store.count()).toBe(0);
  });

  it('GIVEN a day THEN its papers come most upvoted first', () => {
    const store = createPaperStore(freshDb());
    store.upsertListed(
      [
        listed('2026-08-21', makePaper({ id: '2608.00010', upvotes: 3 })),
        listed('2026-08-21', makePaper({ id: '2608.00011', upvotes: 30 })),
        listed('2026-08-22', makePaper({ id: '2608.00012', upvotes: 300 })),
      ],
      NOW,
    );
    expect(store.onDay('2026-08-21').map((p) => p.id)).toEqual(['2608.00011', '2608.00010']);
  });
});

describe('full-text index', () => {
  function seeded(): Db {
    const db = freshDb();
    createPaperStore(db).upsertListed(
      [
        listed(
          '2026-08-21',
          makePaper({
            id: '2608.00020',
            title: 'Phased Consistency Models',
            authors: ['Fu-Yun Wang', 'Zhaoyang Huang'],
            aiKeywords: ['latent consistency'],
          }),
        ),
        listed(
          '2026-08-21',
          makePaper({ id: '2608.00021', title: 'Mamba state spaces', authors: ['Albert Gu'], aiKeywords: ['RLHF'] }),
        ),
      ],
      NOW,
    );
    return db;
  }
  const match = (db: Db, query: string) =>
    db
      .prepare(
        'SELECT p.id FROM papers_fts f JOIN papers p ON p.rowid = f.rowid WHERE papers_fts MATCH ? ORDER BY p.id',
      )
      .pluck()
      .all(query);

  it.each([
    ['a title word, stemmed', 'model', ['2608.00020']],
    ['an author', 'authors : "albert gu"', ['2608.00021']],
    ['a keyword', 'ai_keywords : rlhf', ['2608.00021']],
    ['an abstract word', 'results', ['2608.00020', '2608.00021']],
  ])('GIVEN %s THEN FTS finds the paper', (_what, query, expected) => {
    expect(match(seeded(), query)).toEqual(expected);
  });

  it('GIVEN a paper whose text changes THEN the index follows, and deletes leave no ghost', () => {
    const db = seeded();
    db.prepare("UPDATE papers SET title = 'Renamed entirely' WHERE id = '2608.00021'").run();
    expect(match(db, 'mamba')).toEqual([]);
    expect(match(db, 'renamed')).toEqual(['2608.00021']);
    db.prepare("DELETE FROM papers WHERE id = '2608.00021'").run();
    expect(match(db, 'renamed')).toEqual([]);
    db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
  });
});

describe('ingest log', () => {
  it('GIVEN runs of several outcomes THEN it reports the last success, the last run and the days done', () => {
    const log = createIngestLog(freshDb());
    const run = (listDay: string, outcome: 'ok' | 'failed' | 'not-yet', finishedAt: string) => {
      log.record({
        listDay,
        source: outcome === 'failed' ? null : 'api',
        outcome,
        paperCount: outcome === 'ok' ? 12 : 0,
        newCount: outcome === 'ok' ? 12 : 0,
        error: outcome === 'failed' ? 'HF answered 503' : null,
        startedAt: finishedAt,
        finishedAt,
      });
    };
    expect(log.lastSuccess()).toBeNull();
    run('2026-08-20', 'ok', '2026-08-21T08:00:00.000Z');
    run('2026-08-21', 'ok', '2026-08-21T09:00:00.000Z');
    run('2026-08-22', 'failed', '2026-08-21T10:00:00.000Z');
    run('2026-08-23', 'not-yet', '2026-08-21T10:00:01.000Z');
    expect(log.lastSuccess()?.listDay).toBe('2026-08-21');
    expect(log.lastRun()?.outcome).toBe('not-yet');
    expect(log.lastRunFor('2026-08-22')?.error).toBe('HF answered 503');
    expect(log.succeededDays('2026-08-19', '2026-08-22')).toEqual(new Set(['2026-08-20', '2026-08-21']));
  });
});
