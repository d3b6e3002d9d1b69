import type { Db } from '../store/database.js';
import { openDatabase } from '../store/database.js';
import { createSearchService, type SearchService } from './search-service.js';

/** Topic matching over a fixed set of papers; close() frees it. */
export interface CandidateMatcher extends Pick<SearchService, 'matchingIds'> {
  close(): void;
}

/**
 * Matches queries against a few papers (one list day) held in a throwaway in-memory database with the store's own
 * schema, triggers and full-text index. Whether a paper matches depends only on that paper's text and the query
 * (matching has no corpus statistics), so the answers are the store's, and FTS5 no longer walks the store's
 * doclists: at 300,000 papers a topic costs 1-4 ms against the store and a few microseconds here. The planner
 * matches hundreds of distinct topics against each day; building the copy costs about 1 ms.
 */
export function createCandidateMatcher(db: Db, paperIds: readonly string[]): CandidateMatcher {
  const copy = openDatabase(':memory:');
  try {
    const names = copy
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('papers')")
      .all()
      .map((column) => `"${column.name}"`);
    const columns = names.join(', ');
    const rows = db
      .prepare<[string], unknown[]>(`SELECT ${columns} FROM papers WHERE id IN (SELECT value FROM json_each(?))`)
      .raw()
      .all(JSON.stringify(paperIds));
    const insert = copy.prepare(`INSERT INTO papers (${columns}) VALUES (${names.map(() => '?').join(', ')})`);
    copy.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
  } catch (error) {
    copy.close();
    throw error;
  }
  const search = createSearchService(copy, { plan: { upvotesHead: 0 } });
  return {
    matchingIds: (query, candidateIds) => search.matchingIds(query, candidateIds),
    close: () => {
      copy.close();
    },
  };
}
