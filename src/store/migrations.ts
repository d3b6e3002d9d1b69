import type Database from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Versioned schema changes, applied in order at start. Never edit a migration that has shipped: add one.
 * PRAGMA user_version records the last version applied.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'papers, list days, full-text index, ingest log',
    sql: `
      CREATE TABLE papers (
        id             TEXT PRIMARY KEY,
        title          TEXT NOT NULL,
        abstract       TEXT NOT NULL DEFAULT '',
        authors        TEXT NOT NULL DEFAULT '[]',   -- JSON array of names
        org_name       TEXT,
        org_fullname   TEXT,
        upvotes        INTEGER NOT NULL DEFAULT 0,
        comments       INTEGER,
        ai_summary     TEXT,
        ai_keywords    TEXT NOT NULL DEFAULT '[]',   -- JSON array
        github_repo    TEXT,
        github_stars   INTEGER,
        project_page   TEXT,
        thumbnail      TEXT,
        published_at   TEXT,
        first_list_day TEXT NOT NULL,
        last_list_day  TEXT NOT NULL,
        first_seen_at  TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX papers_last_list_day ON papers (last_list_day);
      CREATE INDEX papers_upvotes ON papers (upvotes DESC);

      -- A paper can be on more than one list day (the corpus has 4 such ids).
      CREATE TABLE paper_days (
        list_day TEXT NOT NULL,
        paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        PRIMARY KEY (list_day, paper_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX paper_days_paper ON paper_days (paper_id);

      -- External-content FTS5 index over the papers table, kept in sync by triggers. Column order matters:
      -- bm25() weights are given per column (title, keywords, abstract, authors). JSON arrays index fine:
      -- the unicode61 tokenizer drops the brackets and quotes.
      CREATE VIRTUAL TABLE papers_fts USING fts5 (
        title, ai_keywords, abstract, authors,
        content = 'papers', content_rowid = 'rowid',
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3 4'
      );
      CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
        INSERT INTO papers_fts (rowid, title, ai_keywords, abstract, authors)
        VALUES (new.rowid, new.title, new.ai_keywords, new.abstract, new.authors);
      END;
      CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts (papers_fts, rowid, title, ai_keywords, abstract, authors)
        VALUES ('delete', old.rowid, old.title, old.ai_keywords, old.abstract, old.authors);
      END;
      -- Only text changes touch the index: refreshing upvotes must stay cheap.
      CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, ai_keywords, abstract, authors ON papers BEGIN
        INSERT INTO papers_fts (papers_fts, rowid, title, ai_keywords, abstract, authors)
        VALUES ('delete', old.rowid, old.title, old.ai_keywords, old.abstract, old.authors);
        INSERT INTO papers_fts (rowid, title, ai_keywords, abstract, authors)
        VALUES (new.rowid, new.title, new.ai_keywords, new.abstract, new.authors);
      END;

      CREATE TABLE ingest_runs (
        id          INTEGER PRIMARY KEY,
        list_day    TEXT NOT NULL,
        source      TEXT,
        outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'not-yet', 'failed')),
        paper_count INTEGER NOT NULL DEFAULT 0,
        new_count   INTEGER NOT NULL DEFAULT 0,
        error       TEXT,
        started_at  TEXT NOT NULL,
        finished_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ingest_runs_day ON ingest_runs (list_day, finished_at);
      CREATE INDEX ingest_runs_outcome ON ingest_runs (outcome, finished_at);
    `,
  },
  {
    version: 2,
    name: 'small named values the bot keeps between runs',
    sql: `
      CREATE TABLE app_state (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/** Applies every migration newer than the database, each in its own transaction. Returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this paperboy (${latest}). Upgrade paperboy or use another DATABASE_PATH.`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${String(migration.version)}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
