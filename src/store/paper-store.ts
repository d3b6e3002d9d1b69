import type { ListedPaper, Paper } from '../papers/paper.js';
import type { Db } from './database.js';

/** A stored paper: the Paper plus what the store knows about its appearances. */
export interface StoredPaper extends Paper {
  /** Every list day it appeared on, oldest first. */
  readonly listDays: readonly string[];
  readonly firstSeenAt: string;
}

export interface UpsertResult {
  /** Papers stored for the first time. */
  readonly inserted: number;
  /** Papers already known, refreshed. */
  readonly updated: number;
}

export interface PaperStore {
  /** Stores one list's papers in one transaction: all of them or, on error, none. */
  upsertListed(listed: readonly ListedPaper[], now: Date): UpsertResult;
  get(id: string): StoredPaper | null;
  getMany(ids: readonly string[]): StoredPaper[];
  count(): number;
  /** Papers of one list day, most upvoted first. */
  onDay(day: string): StoredPaper[];
  /** The newest list day with any papers, or null for an empty store. */
  latestDay(): string | null;
  /** List days holding papers, newest first. */
  days(limit: number): string[];
  /** The most upvoted papers listed on a day in [from, to], and how many papers those days hold. */
  topBetween(from: string, to: string, limit: number): { papers: StoredPaper[]; total: number };
}

interface PaperRow {
  rowid: number;
  id: string;
  title: string;
  abstract: string;
  authors: string;
  org_name: string | null;
  org_fullname: string | null;
  upvotes: number;
  comments: number | null;
  ai_summary: string | null;
  ai_keywords: string;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  thumbnail: string | null;
  published_at: string | null;
  first_seen_at: string;
  list_days: string;
}

/** SELECT list producing a PaperRow; `p` is the papers table. */
export const PAPER_COLUMNS = `
  p.rowid, p.id, p.title, p.abstract, p.authors, p.org_name, p.org_fullname, p.upvotes, p.comments,
  p.ai_summary, p.ai_keywords, p.github_repo, p.github_stars, p.project_page, p.thumbnail, p.published_at,
  p.first_seen_at,
  (SELECT group_concat(list_day, ',') FROM (SELECT list_day FROM paper_days d WHERE d.paper_id = p.id ORDER BY list_day)) AS list_days`;

export function rowToPaper(row: PaperRow): StoredPaper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: parseStringArray(row.authors),
    organization: row.org_name === null ? null : { name: row.org_name, fullname: row.org_fullname },
    upvotes: row.upvotes,
    comments: row.comments,
    aiSummary: row.ai_summary,
    aiKeywords: parseStringArray(row.ai_keywords),
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    thumbnail: row.thumbnail,
    publishedAt: row.published_at,
    listDays: row.list_days === '' ? [] : row.list_days.split(','),
    firstSeenAt: row.first_seen_at,
  };
}

export type { PaperRow };

function parseStringArray(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function createPaperStore(db: Db): PaperStore {
  // First-seen data is kept; counts are refreshed. Counts only move forward: an older snapshot (a corpus
  // import after a live fetch, a re-run backfill) must not lower what a fresher one recorded. Fields that
  // HF fills in later (ai_summary early in the day, a GitHub repo added by the authors) are filled when missing.
  const upsert = db.prepare<Record<string, unknown>>(`
    INSERT INTO papers (id, title, abstract, authors, org_name, org_fullname, upvotes, comments, ai_summary,
      ai_keywords, github_repo, github_stars, project_page, thumbnail, published_at, first_list_day, last_list_day,
      first_seen_at, updated_at)
    VALUES (@id, @title, @abstract, @authors, @org_name, @org_fullname, @upvotes, @comments, @ai_summary,
      @ai_keywords, @github_repo, @github_stars, @project_page, @thumbnail, @published_at, @list_day, @list_day,
      @now, @now)
    ON CONFLICT (id) DO UPDATE SET
      abstract       = CASE WHEN papers.abstract = '' THEN excluded.abstract ELSE papers.abstract END,
      authors        = CASE WHEN papers.authors = '[]' THEN excluded.authors ELSE papers.authors END,
      org_name       = coalesce(papers.org_name, excluded.org_name),
      org_fullname   = coalesce(papers.org_fullname, excluded.org_fullname),
      upvotes        = max(papers.upvotes, excluded.upvotes),
      comments       = max(coalesce(papers.comments, excluded.comments), coalesce(excluded.comments, papers.comments)),
      ai_summary     = coalesce(papers.ai_summary, excluded.ai_summary),
      ai_keywords    = CASE WHEN papers.ai_keywords = '[]' THEN excluded.ai_keywords ELSE papers.ai_keywords END,
      github_repo    = coalesce(papers.github_repo, excluded.github_repo),
      github_stars   = max(coalesce(papers.github_stars, excluded.github_stars), coalesce(excluded.github_stars, papers.github_stars)),
      project_page   = coalesce(papers.project_page, excluded.project_page),
      thumbnail      = coalesce(papers.thumbnail, excluded.thumbnail),
      published_at   = coalesce(papers.published_at, excluded.published_at),
      first_list_day = min(papers.first_list_day, excluded.first_list_day),
      last_list_day  = max(papers.last_list_day, excluded.last_list_day),
      updated_at     = excluded.updated_at
  `);
  const exists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM papers WHERE id = ?');
  const addDay = db.prepare<[string, string]>('INSERT OR IGNORE INTO paper_days (list_day, paper_id) VALUES (?, ?)');
  const byId = db.prepare<[string], PaperRow>(`SELECT ${PAPER_COLUMNS} FROM papers p WHERE p.id = ?`);
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM papers');
  const byDay = db.prepare<[string], PaperRow>(`
    SELECT ${PAPER_COLUMNS} FROM paper_days d JOIN papers p ON p.id = d.paper_id
    WHERE d.list_day = ? ORDER BY p.upvotes DESC, p.id`);
  const newestDay = db.prepare<[], { day: string | null }>('SELECT max(list_day) AS day FROM paper_days');
  const recentDays = db.prepare<[number], { list_day: string }>(
    'SELECT DISTINCT list_day FROM paper_days ORDER BY list_day DESC LIMIT ?',
  );

  const topRange = db.prepare<[string, string, number], PaperRow>(`
    SELECT ${PAPER_COLUMNS} FROM papers p
    WHERE p.id IN (SELECT paper_id FROM paper_days WHERE list_day BETWEEN ? AND ?)
    ORDER BY p.upvotes DESC, p.id LIMIT ?`);
  const countRange = db.prepare<[string, string], { n: number }>(
    'SELECT count(DISTINCT paper_id) AS n FROM paper_days WHERE list_day BETWEEN ? AND ?',
  );

  const upsertAll = db.transaction((listed: readonly ListedPaper[], now: string): UpsertResult => {
    let inserted = 0;
    let updated = 0;
    for (const { listDay, paper } of listed) {
      const known = exists.get(paper.id) !== undefined;
      upsert.run(toRow(paper, listDay, now));
      addDay.run(listDay, paper.id);
      if (known) updated += 1;
      else inserted += 1;
    }
    return { inserted, updated };
  });

  return {
    upsertListed: (listed, now) => upsertAll(listed, now.toISOString()),
    get(id) {
      const row = byId.get(id);
      return row === undefined ? null : rowToPaper(row);
    },
    getMany(ids) {
      return ids.flatMap((id) => {
        const row = byId.get(id);
        return row === undefined ? [] : [rowToPaper(row)];
      });
    },
    count: () => countAll.get()?.n ?? 0,
    onDay: (day) => byDay.all(day).map(rowToPaper),
    latestDay: () => newestDay.get()?.day ?? null,
    days: (limit) => recentDays.all(limit).map((row) => row.list_day),
    topBetween: (from, to, limit) => ({
      papers: topRange.all(from, to, limit).map(rowToPaper),
      total: countRange.get(from, to)?.n ?? 0,
    }),
  };
}

function toRow(paper: Paper, listDay: string, now: string): Record<string, unknown> {
  return {
    id: paper.id,
    title: paper.title,
    abstract: paper.abstract,
    authors: JSON.stringify(paper.authors),
    org_name: paper.organization?.name ?? null,
    org_fullname: paper.organization?.fullname ?? null,
    upvotes: paper.upvotes,
    comments: paper.comments,
    ai_summary: paper.aiSummary,
    ai_keywords: JSON.stringify(paper.aiKeywords),
    github_repo: paper.githubRepo,
    github_stars: paper.githubStars,
    project_page: paper.projectPage,
    thumbnail: paper.thumbnail,
    published_at: paper.publishedAt,
    list_day: listDay,
    now,
  };
}
