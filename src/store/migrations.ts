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
  {
    version: 3,
    name: 'channel subscriptions, topics, deliveries with their outbox, papers posted per channel',
    sql: `
      -- One row per subscribed channel: its schedule and settings. paused_kind NULL means active.
      CREATE TABLE channels (
        channel_id     TEXT PRIMARY KEY,
        guild_id       TEXT NOT NULL,
        time           TEXT NOT NULL,
        timezone       TEXT NOT NULL,
        days           TEXT NOT NULL CHECK (days IN ('weekdays', 'every-day')),
        mode           TEXT NOT NULL CHECK (mode IN ('digest', 'per-paper', 'thread')),
        max_papers     INTEGER NOT NULL CHECK (max_papers BETWEEN 1 AND 25),
        min_upvotes    INTEGER NOT NULL CHECK (min_upvotes >= 0),
        paused_kind    TEXT CHECK (paused_kind IN ('manual', 'missing-access', 'missing-permissions', 'unknown-channel')),
        paused_reason  TEXT,
        paused_at      TEXT,
        next_run_at    TEXT NOT NULL,
        -- When the channel's last scheduled run happened (lets a late list day reach channels that missed it).
        last_run_at    TEXT,
        -- The newest list day this channel has had (or, for a new subscription, the one before its first).
        last_list_day  TEXT,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX channels_due ON channels (next_run_at) WHERE paused_kind IS NULL;
      CREATE INDEX channels_guild ON channels (guild_id);

      CREATE TABLE topics (
        channel_id  TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        query       TEXT NOT NULL,
        min_upvotes INTEGER CHECK (min_upvotes >= 0),
        created_at  TEXT NOT NULL,
        PRIMARY KEY (channel_id, query)
      ) STRICT, WITHOUT ROWID;

      -- A delivery is one list day for one channel, recorded once: UNIQUE is the at-most-once guarantee.
      CREATE TABLE deliveries (
        id           INTEGER PRIMARY KEY,
        channel_id   TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        list_day     TEXT NOT NULL,
        mode         TEXT NOT NULL,
        -- 'failed': Discord refused it in a way retrying cannot fix (an invalid body); kept for the record.
        status       TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        planned_at   TEXT NOT NULL,
        completed_at TEXT,
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        -- After a failure that may pass (Discord 5xx, network), not before: backoff that survives restarts.
        failures     INTEGER NOT NULL DEFAULT 0,
        retry_after  TEXT,
        UNIQUE (channel_id, list_day)
      ) STRICT;
      CREATE INDEX deliveries_pending ON deliveries (status) WHERE status = 'pending';

      -- The messages of a delivery, rendered when planned, sent in part order. A message goes out with a nonce
      -- derived from (delivery, part); 'in-flight' is written before the send, the message id after it.
      CREATE TABLE outbox (
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        part        INTEGER NOT NULL,
        body        TEXT NOT NULL,
        paper_ids   TEXT NOT NULL,
        thread_name TEXT,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'in-flight', 'sent')),
        attempt_at  TEXT,
        message_id  TEXT,
        thread_id   TEXT,
        sent_at     TEXT,
        PRIMARY KEY (delivery_id, part)
      ) STRICT, WITHOUT ROWID;

      -- Every paper ever planned into a channel: a paper is never posted to the same channel twice.
      CREATE TABLE posted (
        channel_id  TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
        paper_id    TEXT NOT NULL,
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        PRIMARY KEY (channel_id, paper_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'search sessions behind the paging buttons; indexes for org: searches',
    sql: `
      -- A query can be 300 characters, a button's custom_id only 100: the buttons carry a session id and a page.
      CREATE TABLE search_sessions (
        id          INTEGER PRIMARY KEY,
        user_id     TEXT NOT NULL,
        query       TEXT NOT NULL,
        sort        TEXT NOT NULL,
        since       TEXT,
        min_upvotes INTEGER,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX search_sessions_created ON search_sessions (created_at);

      -- org: matches the slug or the display name, case-insensitively (400 ms -> 3 ms at 300k papers).
      CREATE INDEX papers_org_name ON papers (org_name COLLATE NOCASE) WHERE org_name IS NOT NULL;
      CREATE INDEX papers_org_fullname ON papers (org_fullname COLLATE NOCASE) WHERE org_fullname IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'embeds shared by outbox messages',
    sql: `
      -- Thousands of channels get the same papers on the same day: each distinct embed is stored once, and a
      -- message lists its embeds by id (an outbox row was ~6 KB of JSON, 44 MB a day for 10,000 channels).
      CREATE TABLE outbox_embeds (
        id   INTEGER PRIMARY KEY,
        -- sha256 of the body, base64url: identical embeds are one row.
        hash TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL
      ) STRICT;
      -- The message's embeds, in order, as outbox_embeds ids (JSON array); its body then holds "embeds": [].
      -- NULL: the body holds its embeds itself (messages planned before this migration).
      ALTER TABLE outbox ADD COLUMN embed_ids TEXT;
    `,
  },
  {
    version: 6,
    name: 'a counter of changes to papers',
    sql: `
      -- Bumped whenever papers change in anything search's in-memory head of the most upvoted papers holds
      -- (src/search/upvotes-head.ts): which papers, their order, their text, what filters test.
      CREATE TABLE papers_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        n  INTEGER NOT NULL
      ) STRICT;
      INSERT INTO papers_version (id, n) VALUES (1, 0);
      CREATE TRIGGER papers_version_insert AFTER INSERT ON papers BEGIN
        UPDATE papers_version SET n = n + 1 WHERE id = 1;
      END;
      CREATE TRIGGER papers_version_delete AFTER DELETE ON papers BEGIN
        UPDATE papers_version SET n = n + 1 WHERE id = 1;
      END;
      -- Ingest rewrites every row it sees: only real changes count.
      CREATE TRIGGER papers_version_update AFTER UPDATE ON papers
      WHEN old.upvotes IS NOT new.upvotes OR old.last_list_day IS NOT new.last_list_day
        OR old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors
        OR old.ai_keywords IS NOT new.ai_keywords OR old.org_name IS NOT new.org_name
        OR old.org_fullname IS NOT new.org_fullname
      BEGIN
        UPDATE papers_version SET n = n + 1 WHERE id = 1;
      END;
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
