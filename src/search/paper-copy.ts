import Database from 'better-sqlite3';
import type { Db } from '../store/database.js';
import type { SqlValue } from './query-compiler.js';

/**
 * An in-memory copy of some of the store's papers: the store's own papers table and full-text index (their CREATE
 * statements, the index without its prefix option, which only speeds up `foo*` queries), under the same rowids.
 * Whether a paper matches a query depends only on that paper's text and the query (matching has no corpus
 * statistics), so a copy answers for its papers exactly as the store does, without FTS5 walking the store's long
 * doclists.
 */
export interface PaperCopy {
  readonly db: Db;
  /** The store's rows (rowid first, then every column) of the papers `rowids` gives: SQL over the store. */
  rows(rowids: string, params: readonly SqlValue[]): unknown[][];
  /** Puts such rows in the copy and indexes them (wrap many in a transaction on `db`). */
  insert(rows: readonly unknown[][]): void;
}

export function createPaperCopy(store: Db): PaperCopy {
  const schema = (name: string): string => {
    const row = store.prepare<[string], { sql: string }>('SELECT sql FROM sqlite_master WHERE name = ?').get(name);
    if (row === undefined) throw new Error(`the store has no ${name}`);
    return row.sql;
  };
  const columns = store
    .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('papers')")
    .all()
    .map((column) => `"${column.name}"`);
  const db = new Database(':memory:');
  try {
    db.exec(schema('papers'));
    // Empty: a search service over the copy prepares statements that read it (the list days of a result).
    db.exec(schema('paper_days'));
    db.exec(schema('papers_fts').replace(/,\s*prefix\s*=\s*'[^']*'/iu, ''));
    const insertRow = db.prepare(
      `INSERT INTO papers (rowid, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
    );
    const index = db.prepare(`INSERT INTO papers_fts (rowid, title, ai_keywords, abstract, authors)
      SELECT rowid, title, ai_keywords, abstract, authors FROM papers WHERE rowid = ?`);
    return {
      db,
      rows: (rowids, params) =>
        store
          .prepare<SqlValue[], unknown[]>(`SELECT rowid, ${columns.join(', ')} FROM papers WHERE rowid IN (${rowids})`)
          .raw()
          .all(...params),
      insert(rows) {
        for (const row of rows) {
          insertRow.run(...row);
          index.run(row[0]);
        }
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
