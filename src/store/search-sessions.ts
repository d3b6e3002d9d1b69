import type { Db } from './database.js';

export interface SearchSession {
  readonly id: number;
  readonly userId: string;
  readonly query: string;
  readonly sort: 'relevance' | 'upvotes' | 'newest';
  readonly since: string | null;
  readonly minUpvotes: number | null;
  readonly createdAt: string;
}

/** How long a results message's buttons keep working. */
export const SEARCH_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export interface SearchSessions {
  create(session: Omit<SearchSession, 'id' | 'createdAt'>, now: Date): SearchSession;
  /** The session, or null when unknown or expired. */
  get(id: number, now: Date): SearchSession | null;
}

interface Row {
  id: number;
  user_id: string;
  query: string;
  sort: SearchSession['sort'];
  since: string | null;
  min_upvotes: number | null;
  created_at: string;
}

export function createSearchSessions(db: Db): SearchSessions {
  const insert = db.prepare<[string, string, string, string | null, number | null, string]>(
    'INSERT INTO search_sessions (user_id, query, sort, since, min_upvotes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const expire = db.prepare<[string]>('DELETE FROM search_sessions WHERE created_at < ?');
  const byId = db.prepare<[number, string], Row>('SELECT * FROM search_sessions WHERE id = ? AND created_at >= ?');
  const cutoff = (now: Date) => new Date(now.getTime() - SEARCH_SESSION_TTL_MS).toISOString();
  return {
    create(session, now) {
      expire.run(cutoff(now));
      const createdAt = now.toISOString();
      const id = Number(
        insert.run(session.userId, session.query, session.sort, session.since, session.minUpvotes, createdAt)
          .lastInsertRowid,
      );
      return { ...session, id, createdAt };
    },
    get(id, now) {
      const row = byId.get(id, cutoff(now));
      if (row === undefined) return null;
      return {
        id: row.id,
        userId: row.user_id,
        query: row.query,
        sort: row.sort,
        since: row.since,
        minUpvotes: row.min_upvotes,
        createdAt: row.created_at,
      };
    },
  };
}
