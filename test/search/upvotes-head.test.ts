import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSearchService, type SearchOptions, type SearchService } from '../../src/search/search-service.js';
import { createUpvotesHead } from '../../src/search/upvotes-head.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createPaperStore, type PaperStore } from '../../src/store/paper-store.js';
import { listed, makePaper } from '../support/papers.js';

const NOW = new Date('2026-08-21T08:00:00.000Z');
const ORDER = 'p.upvotes DESC, p.last_list_day DESC, p.rowid DESC';
const FIRST_BY_UPVOTES = `SELECT p.rowid AS rowid FROM papers_fts CROSS JOIN papers p ON p.rowid = papers_fts.rowid
  WHERE papers_fts MATCH ? ORDER BY ${ORDER} LIMIT ?`;

/**
 * 600 papers; every 7th says "sparse phrase" in its title, every 3rd is from NVIDIA; upvotes spread so that the
 * most upvoted are not the newest.
 */
function seed(papers: PaperStore): void {
  papers.upsertListed(
    Array.from({ length: 600 }, (_, i) =>
      listed(
        `2026-0${String(1 + (i % 8))}-${String(10 + (i % 17))}`,
        makePaper({
          id: `2604.${String(40000 + i)}`,
          title: i % 7 === 0 ? `A sparse phrase study ${String(i)}` : `Plain study ${String(i)}`,
          upvotes: (i * 53) % 211,
          organization: i % 3 === 0 ? { name: 'nvidia', fullname: 'NVIDIA' } : null,
        }),
      ),
    ),
    NOW,
  );
}

describe('the upvotes head', () => {
  let db: Db;
  let papers: PaperStore;
  /** Every match listed and sorted: the reference. */
  let plain: SearchService;
  /** Pages from a head of the 60 most upvoted papers whenever it holds them. */
  let withHead: SearchService;

  beforeEach(() => {
    db = openDatabase(':memory:');
    papers = createPaperStore(db);
    seed(papers);
    plain = createSearchService(db, { plan: { upvotesHead: 0, sortAllUpTo: 100_000 } });
    withHead = createSearchService(db, { plan: { upvotesHead: 60, sortAllUpTo: 0 } });
  });
  afterEach(async () => {
    await withHead.idle();
    db.close();
  });

  const pages = (service: SearchService, query: string, options: Partial<SearchOptions> = {}) =>
    [0, 3, 10, 40].map((offset) =>
      service
        .search(query, { sort: 'upvotes', limit: 5, offset, ...options })
        .results.map((hit) => [hit.paper.id, hit.paper.upvotes]),
    );

  it('GIVEN queries, filters and pages, before and after the head is built THEN the pages are those of sorting every match', async () => {
    const queries = ['"sparse phrase"', 'study', 'study -sparse', 'org:nvidia study', 'sparse OR plain'];
    const filters = [{}, { minUpvotes: 100 }, { since: '2026-05-01' }];
    for (const round of ['while the head is built', 'from the head']) {
      for (const query of queries) {
        for (const options of filters) {
          expect(pages(withHead, query, options), `${round}: ${query} ${JSON.stringify(options)}`).toEqual(
            pages(plain, query, options),
          );
        }
      }
      await withHead.idle();
    }
  });

  it('GIVEN a built head THEN it answers pages it holds, and says when it holds fewer matches than a page', async () => {
    const head = createUpvotesHead(db, 60, ORDER);
    // The first call finds no head yet (it starts building one): the store must answer.
    expect(head.firstMatches(FIRST_BY_UPVOTES, ['"sparse phrase"'], 5)).toBeNull();
    await head.idle();
    const expected = plain
      .search('"sparse phrase"', { sort: 'upvotes', limit: 5, offset: 0 })
      .results.map((hit) => hit.paper.id);
    const rowids = head.firstMatches(FIRST_BY_UPVOTES, ['"sparse phrase"'], 5) ?? [];
    const ids = rowids.map(
      (rowid) => (db.prepare('SELECT id FROM papers WHERE rowid = ?').get(rowid) as { id: string }).id,
    );
    expect(ids).toEqual(expected);
    // 600 / 7 = 86 papers say "sparse phrase": about 9 of them among the 60 most upvoted.
    expect(head.firstMatches(FIRST_BY_UPVOTES, ['"sparse phrase"'], 40)).toBeNull();
  });

  it('GIVEN upvotes that change after the head was built THEN searches see the new order at once', async () => {
    pages(withHead, '"sparse phrase"');
    await withHead.idle();
    // The least upvoted paper with the phrase becomes the most upvoted of all.
    const last = plain.search('"sparse phrase"', { sort: 'upvotes', limit: 5, offset: 80 }).results.at(-1)?.paper;
    expect(last).toBeDefined();
    papers.upsertListed([listed('2026-08-20', { ...(last ?? makePaper()), upvotes: 5_000 })], NOW);
    // The head is stale now: the store answers while a new one is built, then the new one.
    expect(pages(withHead, '"sparse phrase"')[0]?.[0]).toEqual([last?.id, 5_000]);
    await withHead.idle();
    expect(pages(withHead, '"sparse phrase"')).toEqual(pages(plain, '"sparse phrase"'));
  });
});

describe('papers_version (migration 6)', () => {
  it('GIVEN an ingest that changes nothing THEN the counter stays; a real change moves it', () => {
    const db = openDatabase(':memory:');
    try {
      const papers = createPaperStore(db);
      const version = () => (db.prepare('SELECT n FROM papers_version').get() as { n: number }).n;
      const paper = makePaper({ id: '2608.00001', upvotes: 10 });
      papers.upsertListed([listed('2026-08-20', paper)], NOW);
      const afterInsert = version();
      expect(afterInsert).toBeGreaterThan(0);
      papers.upsertListed([listed('2026-08-20', paper)], NOW);
      expect(version()).toBe(afterInsert);
      papers.upsertListed([listed('2026-08-20', { ...paper, upvotes: 11 })], NOW);
      expect(version()).toBe(afterInsert + 1);
    } finally {
      db.close();
    }
  });
});
