import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchService, type SearchService } from '../../src/search/search-service.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { CORPUS_PATH, loadCorpus, warnIfCorpusMissing } from '../support/corpus.js';
import { KNOWN_ITEMS } from './known-items.js';

/** Share of known-item queries that must rank their paper in the top 3. */
const REQUIRED_HIT_RATE = 0.9;
const TOP = 3;

warnIfCorpusMissing();

describe.skipIf(CORPUS_PATH === null)('relevance on the real corpus', () => {
  let db: Db;
  let service: SearchService;

  beforeAll(async () => {
    db = openDatabase(':memory:');
    await loadCorpus(db);
    service = createSearchService(db);
  }, 60_000);
  afterAll(() => {
    db.close();
  });

  it(`GIVEN ${String(KNOWN_ITEMS.length)} known-item queries THEN at least ${String(REQUIRED_HIT_RATE * 100)}% rank their paper in the top ${String(TOP)}`, () => {
    const misses: string[] = [];
    for (const item of KNOWN_ITEMS) {
      const result = service.search(item.query, { sort: 'relevance', limit: 10, offset: 0 });
      const rank = result.results.findIndex((hit) => hit.paper.id === item.id) + 1;
      if (rank === 0 || rank > TOP) {
        const where = rank === 0 ? 'not in the top 10' : `rank ${String(rank)}`;
        const top = result.results
          .slice(0, TOP)
          .map((hit) => hit.paper.title)
          .join(' | ');
        misses.push(
          `  ${JSON.stringify(item.query)} → ${item.about}: ${where}${result.relaxed ? ' (relaxed)' : ''}; top: ${top}`,
        );
      }
    }
    const hits = KNOWN_ITEMS.length - misses.length;
    const rate = hits / KNOWN_ITEMS.length;
    // eslint-disable-next-line no-console
    console.info(
      `Known-item search: ${String(hits)}/${String(KNOWN_ITEMS.length)} in the top ${String(TOP)} (${(rate * 100).toFixed(1)}%)` +
        (misses.length === 0 ? '' : `\nMisses:\n${misses.join('\n')}`),
    );
    expect(rate).toBeGreaterThanOrEqual(REQUIRED_HIT_RATE);
  });

  it('GIVEN the corpus THEN autocomplete finds a famous title from its first words', () => {
    const titles = service.suggestTitles('convllava hier').map((s) => s.id);
    expect(titles).toContain('2405.15738');
  });

  it('GIVEN the corpus THEN org: finds an organisation by slug and by display name alike', () => {
    const bySlug = service.search('org:nvidia', { sort: 'newest', limit: 100, offset: 0 });
    const byName = service.search('org:NVIDIA', { sort: 'newest', limit: 100, offset: 0 });
    expect(bySlug.total).toBeGreaterThan(50);
    expect(byName.results.map((h) => h.paper.id)).toEqual(bySlug.results.map((h) => h.paper.id));
    expect(bySlug.results.every((h) => h.paper.organization?.name === 'nvidia')).toBe(true);
  });
});
