import type { Db } from '../store/database.js';
import { createPaperCopy } from './paper-copy.js';
import { createSearchService, type SearchService } from './search-service.js';

/** Topic matching over a fixed set of papers; close() frees it. */
export interface CandidateMatcher extends Pick<SearchService, 'matchingIds'> {
  close(): void;
}

/**
 * Matches queries against a few papers (one list day) held in an in-memory copy (createPaperCopy): the answers are
 * the store's, and at 300,000 papers a topic costs 1-4 ms against the store and a few microseconds here. The
 * planner matches hundreds of distinct topics against each day; building the copy costs about 1 ms.
 */
export function createCandidateMatcher(db: Db, paperIds: readonly string[]): CandidateMatcher {
  const copy = createPaperCopy(db);
  try {
    const rows = copy.rows('SELECT rowid FROM papers WHERE id IN (SELECT value FROM json_each(?))', [
      JSON.stringify(paperIds),
    ]);
    copy.db.transaction(() => {
      copy.insert(rows);
    })();
  } catch (error) {
    copy.db.close();
    throw error;
  }
  const search = createSearchService(copy.db, { plan: { upvotesHead: 0 } });
  return {
    matchingIds: (query, candidateIds) => search.matchingIds(query, candidateIds),
    close: () => {
      copy.db.close();
    },
  };
}
