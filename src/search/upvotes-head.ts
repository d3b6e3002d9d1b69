import type Database from 'better-sqlite3';
import type { Db } from '../store/database.js';
import { createPaperCopy } from './paper-copy.js';
import type { SqlValue } from './query-compiler.js';

/** Papers indexed per turn of the event loop while the head is built: a few milliseconds each. */
const BUILD_CHUNK = 100;
const STATEMENTS_MAX = 100;

/**
 * The most upvoted papers, copied into memory (createPaperCopy: the store's papers table and full-text index).
 * The upvotes sort of a query with many but sparse matches (a phrase of common words: `"for agentic"` matches
 * 4,445 of 300k papers) finds its first page there in about a millisecond, where FTS5 needs 15-20 ms to list every
 * match in the store (it reads the doclist of `for`, in 268k papers). The head is the first `size` papers of the
 * upvotes order, so the first matches found there, in that order, are the first matches of the whole store,
 * whatever the filters.
 *
 * It is only used while it matches the store: papers_version (migration 6, kept by triggers) counts the changes
 * that matter. When it is stale, searches go to the store and a new head is built in the background, a chunk of
 * papers per turn of the event loop (about 0.4 s of work for 2,000 papers at 300k, once per ingest that changed
 * something).
 */
export interface UpvotesHead {
  /**
   * Runs `sql` on the head: a SELECT of `p.rowid AS rowid` over papers_fts and papers p, in the upvotes order,
   * ending with `LIMIT ?` (bound to `wanted`). The rowids; or null when the head is not ready (being built after a
   * change) or holds fewer than `wanted` matches: then only the store can tell.
   */
  firstMatches(sql: string, params: readonly SqlValue[], wanted: number): number[] | null;
  /** Settles when no build is running (tests, benchmarks). */
  idle(): Promise<void>;
}

interface Head {
  readonly version: number;
  readonly copy: Db;
  readonly statements: Map<string, Database.Statement<SqlValue[]>>;
}

export function createUpvotesHead(db: Db, size: number, order: string): UpvotesHead {
  const version = db.prepare<[], { n: number }>('SELECT n FROM papers_version WHERE id = 1');
  let head: Head | null = null;
  let building: Promise<void> | null = null;

  const build = async (at: number): Promise<void> => {
    const copy = createPaperCopy(db);
    try {
      const rows = copy.rows(`SELECT p.rowid FROM papers p INDEXED BY papers_upvotes ORDER BY ${order} LIMIT ?`, [
        size,
      ]);
      for (let start = 0; start < rows.length; start += BUILD_CHUNK) {
        if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        copy.db.transaction(() => {
          copy.insert(rows.slice(start, start + BUILD_CHUNK));
        })();
      }
    } catch (error) {
      copy.db.close();
      throw error;
    }
    head?.copy.close();
    // Built from the store as it was at `at`; if papers changed meanwhile, it is stale already and rebuilt.
    head = { version: at, copy: copy.db, statements: new Map() };
  };

  const current = (): Head | null => {
    const now = version.get()?.n ?? 0;
    if (head?.version === now) return head;
    building ??= build(now)
      .catch(() => {
        // A failed build leaves searches on the store; the next search tries again.
      })
      .finally(() => {
        building = null;
      });
    return null;
  };

  return {
    firstMatches(sql, params, wanted) {
      const ready = current();
      if (ready === null) return null;
      let statement = ready.statements.get(sql);
      if (statement === undefined) {
        statement = ready.copy.prepare<SqlValue[]>(sql);
        if (ready.statements.size >= STATEMENTS_MAX) ready.statements.clear();
        ready.statements.set(sql, statement);
      }
      const rows = statement.all(...params, wanted) as { rowid: number }[];
      return rows.length >= wanted ? rows.map((row) => row.rowid) : null;
    },
    idle: async () => {
      await building;
    },
  };
}
