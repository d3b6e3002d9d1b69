import type Database from 'better-sqlite3';
import { UserFacingError } from '../errors.js';
import { isIsoDay, normalizeWhitespace } from '../papers/paper.js';
import type { Db } from '../store/database.js';
import { PAPER_COLUMNS, rowToPaper, type PaperRow, type StoredPaper } from '../store/paper-store.js';
import {
  compileQuery,
  compileTerms,
  quoteFts,
  relaxQuery,
  type CompiledQuery,
  type SqlFragment,
  type SqlValue,
} from './query-compiler.js';
import { parseQuery, positiveTerms, type ParsedQuery } from './query-parser.js';
import { createUpvotesHead } from './upvotes-head.js';

export type SearchSort = 'relevance' | 'upvotes' | 'newest';

export interface SearchOptions {
  readonly sort: SearchSort;
  /** Only papers whose last list day is this day (YYYY-MM-DD) or later. */
  readonly since?: string;
  readonly minUpvotes?: number;
  /** Page size, 1 to MAX_SEARCH_LIMIT. */
  readonly limit: number;
  /** 0 to MAX_SEARCH_OFFSET. */
  readonly offset: number;
}

export interface SearchHit {
  readonly paper: StoredPaper;
  /**
   * The relevance score (higher is better) when sorting by relevance. With the other sorts the order is the
   * sort key itself and the score is 0.
   */
  readonly score: number;
}

export interface SearchResult {
  /** Matching papers, counted up to SEARCH_TOTAL_CAP. */
  readonly total: number;
  /** True when there are more than SEARCH_TOTAL_CAP matches: show "1000+". */
  readonly totalCapped: boolean;
  /**
   * True when no paper matched all the words, and these results match some of them instead (see relaxQuery).
   * Tell the user ("No paper has all of these words; papers with most of them:").
   */
  readonly relaxed: boolean;
  readonly results: SearchHit[];
}

export interface TopicMatch {
  /** The query's terms (outside exclusions) this paper contains, canonically written: why it matched. */
  readonly matchedTerms: string[];
}

export interface TitleSuggestion {
  readonly id: string;
  /** At most SUGGESTION_TITLE_MAX code points (Discord's limit for a choice name). */
  readonly title: string;
}

export interface SearchService {
  /** Throws a UserFacingError (QuerySyntaxError for the query) for anything a user got wrong. */
  search(query: string | ParsedQuery, options: SearchOptions): SearchResult;
  /**
   * Which of the candidate papers (e.g. one day's list) match the query (e.g. a channel's topic), each with
   * the terms it matched. Strict: never relaxed. Throws a QuerySyntaxError for an invalid query string.
   */
  matchingIds(query: string | ParsedQuery, candidateIds: readonly string[]): Map<string, TopicMatch>;
  /** Titles for autocomplete: a few milliseconds at any store size; never throws (answers [] instead). */
  suggestTitles(prefix: string, limit?: number): TitleSuggestion[];
  /** Settles when no background work runs (the upvotes head being built): for tests and benchmarks. */
  idle(): Promise<void>;
}

/**
 * relevance = text × popularity × freshness, where
 *   text       = -bm25 with the column weights below (FTS5's bm25 is negative: better is lower),
 *   popularity = 1 + upvoteWeight × ln(1 + upvotes),
 *   freshness  = 1 + freshnessWeight × 0.5^(age / freshnessHalfLifeDays), age in days from the store's
 *                newest list day (not the clock: deterministic, and an old corpus is not all "stale").
 * Column weights: a word in the title says most about what a paper is, HF's ai_keywords are a curated
 * summary of it, the abstract is long and wordy, author names only matter to name queries.
 * The boosts multiply because bm25's scale varies a lot from query to query: a product keeps the text match
 * the main signal whatever the scale. Upvotes are heavy-tailed (median ~10, the top 500+) and log-scaled:
 * 0 → 10 upvotes is ×1.24, 0 → 1000 is ×1.69. Freshness is a tie-breaker between similar matches (×1.1 for
 * today's papers, ×1.05 at six months): the channel is a daily feed, but old papers must stay findable.
 * Checked on test/search's 43 known-item queries (top 3): 41 on a plateau that these weights sit in the middle
 * of (upvote weight 0.05-0.2 with freshness 0-0.1, for every column weighting tried between 3/2/1/1 and
 * 10/5/3/3); without the upvote boost 38-40; freshness 0.2 costs one or two.
 */
export interface Ranking {
  readonly bm25: {
    readonly title: number;
    readonly keywords: number;
    readonly abstract: number;
    readonly authors: number;
  };
  readonly upvoteWeight: number;
  readonly freshnessWeight: number;
  readonly freshnessHalfLifeDays: number;
}

export const DEFAULT_RANKING: Ranking = {
  bm25: { title: 10, keywords: 5, abstract: 2, authors: 1.5 },
  upvoteWeight: 0.1,
  freshnessWeight: 0.1,
  freshnessHalfLifeDays: 180,
};

export interface SearchServiceOptions {
  /** Told about an unexpected failure that suggestTitles swallowed (to log it). */
  readonly onSuggestError?: (error: unknown) => void;
  /** Ranking weights, for tuning and benchmarks; DEFAULT_RANKING otherwise. */
  readonly ranking?: Ranking;
  /** Query-plan thresholds, for tests (to take every path on a small store) and benchmarks. */
  readonly plan?: Partial<SearchPlan>;
}

/** Thresholds that choose how a search reads SQLite; they change speed, never results (except rankWindow). */
export interface SearchPlan {
  /**
   * Queries with at most this many matches (a query typed to find a paper, a rare word) are ranked with bm25.
   * Broader ones rank their newest this many by title match, popularity and freshness instead (see rankBroad):
   * bm25 computes each phrase's IDF by counting every paper that holds it, whatever the LIMIT, 5-35 ms at 300k
   * papers for common words and phrases (`"language models"`, 133k matches). The known-item set ranks the same
   * with 1,000 as with 10,000. The price: for broad queries, older papers are not ranked at all (sort by
   * upvotes still sees them), which the shown total (1000+) and its pages hide anyway.
   */
  readonly rankWindow: number;
  /** since/min_upvotes/org: filters that leave at most this many papers are applied as a rowid set. */
  readonly selectiveFilter: number;
  /**
   * The upvotes and newest sorts join and sort every match when there are at most this many (about 1 µs a
   * match). With more, when the matches are dense they test the first rows of the sort's index one by one,
   * which finds a page at once when most papers match; otherwise, or failing that, they list the matches and
   * walk the index until a page is full (see pageOfMany).
   */
  readonly sortAllUpTo: number;
  /**
   * Beyond that, the upvotes sort looks for a page first among this many most upvoted papers, held in memory
   * (see upvotes-head.ts: about 15 MB for 2,000 papers). 0: never.
   */
  readonly upvotesHead: number;
}

export const DEFAULT_PLAN: SearchPlan = {
  rankWindow: 1_000,
  selectiveFilter: 20_000,
  sortAllUpTo: 1_000,
  upvotesHead: 2_000,
};

export const MAX_SEARCH_LIMIT = 100;
export const MAX_SEARCH_OFFSET = 10_000;
export const SEARCH_TOTAL_CAP = 1000;
export const MAX_SUGGESTIONS = 25;
export const SUGGESTION_TITLE_MAX = 100;

/**
 * Only the best RERANK_POOL papers by bm25 are re-ranked with popularity and freshness: the boosts are bounded
 * (×1.9 at most), so a paper outside bm25's top 200 would not reach the first pages anyway. Beyond the pool,
 * pages follow bm25 order: the overall order stays fixed however the user pages.
 */
const RERANK_POOL = 200;
/** Rows of the sort's index tested beyond twice the rows wanted, before listing every match (see run). */
const PROBE_SLACK = 20;
const EPOCH_DAY = '1970-01-01';
const DAY_MS = 86_400_000;

export function relevanceScore(ranking: Ranking, text: number, upvotes: number, ageDays: number): number {
  const popularity = 1 + ranking.upvoteWeight * Math.log1p(Math.max(0, upvotes));
  const freshness = 1 + ranking.freshnessWeight * 0.5 ** (Math.max(0, ageDays) / ranking.freshnessHalfLifeDays);
  return text * popularity * freshness;
}

/** Orders of the other sorts, with the index (migration 1) that serves their first key. */
interface SortOrder {
  readonly sql: string;
  readonly index: string;
}
const SORT_ORDER: Record<Exclude<SearchSort, 'relevance'>, SortOrder> = {
  upvotes: { sql: 'p.upvotes DESC, p.last_list_day DESC, p.rowid DESC', index: 'papers_upvotes' },
  newest: { sql: 'p.last_list_day DESC, p.upvotes DESC, p.rowid DESC', index: 'papers_last_list_day' },
};

interface PageRow {
  rowid: number;
  score: number;
}
/** A query's matches: FROM ... WHERE over papers_fts (joined to `p` when a filter needs it), and its parts. */
interface Matches {
  readonly sql: string;
  /** The same matches, always joined to `p` (to order by its columns). */
  readonly joinedSql: string;
  readonly params: readonly SqlValue[];
  readonly match: string;
  /** Every condition besides the MATCH, on `p`. */
  readonly rowConditions: readonly SqlFragment[];
}
type Page = Omit<SearchResult, 'results' | 'relaxed'>;

const NOTHING: Omit<SearchResult, 'relaxed'> = { total: 0, totalCapped: false, results: [] };

function and(conditions: readonly SqlFragment[], prefix: string): string {
  return conditions.map((c) => `${prefix}${c.sql}`).join('');
}

function paramsOf(conditions: readonly SqlFragment[]): SqlValue[] {
  return conditions.flatMap((c) => c.params);
}

export function createSearchService(db: Db, serviceOptions: SearchServiceOptions = {}): SearchService {
  const ranking = serviceOptions.ranking ?? DEFAULT_RANKING;
  const plan: SearchPlan = { ...DEFAULT_PLAN, ...serviceOptions.plan };
  const { bm25: weights } = ranking;
  const bm25 = `bm25(papers_fts, ${[weights.title, weights.keywords, weights.abstract, weights.authors].map((w) => w.toFixed(3)).join(', ')})`;
  // relevanceScore with text = 1, for queries without a full-text part; `?` is the reference day.
  const sqlBoost = `(1 + ${ranking.upvoteWeight.toFixed(6)} * ln(1 + max(p.upvotes, 0)))
    * (1 + ${ranking.freshnessWeight.toFixed(6)} * pow(0.5, max(julianday(?) - julianday(p.last_list_day), 0) / ${ranking.freshnessHalfLifeDays.toFixed(6)}))`;

  // Queries differ in shape (how many conditions), not in number: statements are cached by their text.
  const statements = new Map<string, Database.Statement<SqlValue[]>>();
  const prepare = (sql: string): Database.Statement<SqlValue[]> => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<SqlValue[]>(sql);
      if (statements.size >= 200) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
  const all = <T>(sql: string, params: readonly SqlValue[]): T[] => prepare(sql).all(...params) as T[];
  const count = (sql: string, params: readonly SqlValue[]): number =>
    (prepare(sql).get(...params) as { n: number } | undefined)?.n ?? 0;

  // With an index on org_name COLLATE NOCASE (the migration proposed with this module), org: filters can be
  // applied as rowid sets like since and min_upvotes.
  const orgIndexed = hasNocaseIndex(db, 'org_name');
  const upvotesHead = plan.upvotesHead > 0 ? createUpvotesHead(db, plan.upvotesHead, SORT_ORDER.upvotes.sql) : null;
  const lastRowid = db.prepare<[], { rowid: number | null }>('SELECT max(rowid) AS rowid FROM papers');
  const newestDay = db.prepare<[], { day: string | null }>('SELECT max(last_list_day) AS day FROM papers');
  const byRowids = db.prepare<[string], PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM papers p WHERE p.rowid IN (SELECT value FROM json_each(?))`,
  );
  const recentTitles = db.prepare<[number], { id: string; title: string }>(
    'SELECT id, title FROM papers ORDER BY last_list_day DESC, upvotes DESC, rowid DESC LIMIT ?',
  );
  const recentTitlesStartingWith = db.prepare<[string, number], { id: string; title: string }>(
    `SELECT id, title FROM papers WHERE title LIKE ? ESCAPE '\\' ORDER BY last_list_day DESC, upvotes DESC, rowid DESC LIMIT ?`,
  );
  const titleMatches = db.prepare<[string, number], { id: string; title: string; upvotes: number }>(`
    SELECT p.id, p.title, p.upvotes FROM papers_fts CROSS JOIN papers p ON p.rowid = papers_fts.rowid
    WHERE papers_fts MATCH ? ORDER BY papers_fts.rowid DESC LIMIT ?`);

  const referenceDay = (): string => newestDay.get()?.day ?? EPOCH_DAY;
  const ageInDays = (reference: string, day: string): number =>
    (Date.parse(`${reference}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS;

  const papersInOrder = (rows: readonly PageRow[]): SearchHit[] => {
    if (rows.length === 0) return [];
    const papers = new Map(byRowids.all(JSON.stringify(rows.map((row) => row.rowid))).map((row) => [row.rowid, row]));
    return rows.flatMap((row) => {
      const paper = papers.get(row.rowid);
      return paper === undefined ? [] : [{ paper: rowToPaper(paper), score: row.score }];
    });
  };

  function search(query: string | ParsedQuery, options: SearchOptions): SearchResult {
    checkPaging(options);
    const parsed = typeof query === 'string' ? parseQuery(query) : query;
    const optionFilters = optionConditions(options);
    const strict = run(compileQuery(parsed, 'set'), optionFilters, options, false);
    if (strict.total > 0) return { ...strict, relaxed: false };
    const relaxed = relaxQuery(parsed);
    if (relaxed === null) return { ...strict, relaxed: false };
    return { ...run(compileQuery(relaxed, 'set'), optionFilters, options, true), relaxed: true };
  }

  function run(
    compiled: CompiledQuery,
    optionFilters: readonly SqlFragment[],
    options: SearchOptions,
    relaxed: boolean,
  ): Omit<SearchResult, 'relaxed'> {
    if (compiled.match === null) return runWithoutText([...optionFilters, ...compiled.filters], options);
    const { limit, offset } = options;
    const match = compiled.match;

    // Where each condition is tested while FTS5 reads its matches. Joining `papers` costs about 1 µs a match,
    // so filters that an index answers (since, min_upvotes, a plain org:) and that leave few papers become a
    // rowid set tested without the join, plus a rowid floor that lets FTS5 skip older doclist entries.
    const isIndexed = (f: (typeof compiled.filters)[number]): boolean => f.org && orgIndexed;
    const indexed = [...optionFilters, ...compiled.filters.filter(isIndexed)];
    const ftsFilters: SqlFragment[] = [];
    const rowFilters: SqlFragment[] = compiled.filters.filter((f) => !isIndexed(f));
    if (indexed.length > 0) {
      const indexedSql = indexed.map((c) => c.sql).join(' AND ');
      const selected = prepare(
        `SELECT count(*) AS n, min(rowid) AS lo FROM (SELECT p.rowid AS rowid FROM papers p WHERE ${indexedSql} LIMIT ?)`,
      ).get(...paramsOf(indexed), plan.selectiveFilter + 1) as { n: number; lo: number | null };
      if (selected.n === 0 || selected.lo === null) return NOTHING;
      if (selected.n <= plan.selectiveFilter) {
        // FTS5 seeks to a rowid bound only if it is an INTEGER, and better-sqlite3 binds numbers as REAL.
        ftsFilters.push({ sql: 'papers_fts.rowid >= CAST(? AS INTEGER)', params: [selected.lo] });
        // `+ 0` keeps SQLite from handing the set to FTS5 as rowid lookups (each would redo bm25's statistics).
        ftsFilters.push({
          sql: `papers_fts.rowid + 0 IN (SELECT p.rowid FROM papers p WHERE ${indexedSql})`,
          params: paramsOf(indexed),
        });
      } else {
        rowFilters.unshift(...indexed);
      }
    }
    const filters = [...ftsFilters, ...rowFilters];
    // One walk of the matches, newest first (FTS5 reads its doclists backwards and stops at the LIMIT): it
    // counts them up to what is shown and what chooses the plan, lists all of them when there are not too
    // many, and is the window that a broad query ranks. CROSS JOIN keeps FTS5 as the outer loop.
    const relevance = options.sort === 'relevance';
    const listUpTo = Math.max(relevance ? plan.rankWindow : plan.sortAllUpTo, SEARCH_TOTAL_CAP);
    const joined = 'papers_fts CROSS JOIN papers p ON p.rowid = papers_fts.rowid';
    const where = ` WHERE papers_fts MATCH ?${and(filters, ' AND ')}`;
    const matches: Matches = {
      match,
      sql: `${rowFilters.length === 0 ? 'papers_fts' : joined}${where}`,
      joinedSql: `${joined}${where}`,
      params: [match, ...paramsOf(filters)],
      rowConditions: [...optionFilters, ...compiled.filters],
    };
    const newest = all<{ rowid: number }>(
      `SELECT papers_fts.rowid AS rowid FROM ${matches.sql} ORDER BY papers_fts.rowid DESC LIMIT ?`,
      [...matches.params, listUpTo + 1],
    ).map((row) => row.rowid);
    const counted = newest.length;
    const page: Page = { total: Math.min(counted, SEARCH_TOTAL_CAP), totalCapped: counted > SEARCH_TOTAL_CAP };
    if (counted === 0 || (counted <= listUpTo && offset >= counted)) return { ...page, results: [] };
    if (!relevance && counted > plan.sortAllUpTo) {
      return { ...page, results: papersInOrder(pageOfMany(matches, newest, SORT_ORDER[options.sort], options)) };
    }

    if (relevance) {
      // A relaxed query (some of the words, OR-ed) is always ranked by bm25, which puts the papers with most of
      // the rarest words first: what relaxing relies on, and what a title match cannot tell.
      const rankMatch = compiled.rankMatch ?? match;
      const window = newest.slice(0, plan.rankWindow);
      const ordered =
        counted <= plan.rankWindow || relaxed
          ? rankByBm25(window, rankMatch, offset + limit)
          : rankBroad(window, rankMatch);
      return { ...page, results: papersInOrder(ordered.slice(offset, offset + limit)) };
    }
    // Not too many matches: the walk above listed them all; sort them (about 1 µs a match).
    const rows = all<PageRow>(
      `SELECT p.rowid AS rowid, 0 AS score FROM papers p WHERE p.rowid IN (SELECT value FROM json_each(?))
       ORDER BY ${SORT_ORDER[options.sort].sql} LIMIT ? OFFSET ?`,
      [JSON.stringify(newest), limit, offset],
    );
    return { ...page, results: papersInOrder(rows) };
  }

  /**
   * A page of the upvotes or newest sort of a query with more than plan.sortAllUpTo matches, `newest` being
   * the newest of them. How far back they reach tells how dense the matches are, so whether the first rows of
   * the sort's index likely hold a page: a query that most papers match (`language model`) finds it there,
   * testing each row with a correlated MATCH by rowid (70-170 µs each at 300k papers: FTS5 opens every term
   * in every segment). A sparser one (`"for agentic"`, 1.5% of the papers) would mostly fail the probe, and
   * pay for it on top of listing every match, so it lists them at once.
   */
  function pageOfMany(
    matches: Matches,
    newest: readonly number[],
    order: SortOrder,
    options: SearchOptions,
  ): PageRow[] {
    const { limit, offset } = options;
    const wanted = offset + limit;
    if (order === SORT_ORDER.upvotes && upvotesHead !== null) {
      const first = upvotesHead.firstMatches(
        `SELECT p.rowid AS rowid FROM ${matches.joinedSql} ORDER BY ${order.sql} LIMIT ?`,
        matches.params,
        wanted,
      );
      if (first !== null) return first.slice(offset).map((rowid) => ({ rowid, score: 0 }));
    }
    const headSize = 2 * wanted + PROBE_SLACK;
    const span = (lastRowid.get()?.rowid ?? 0) + 1 - (newest.at(-1) ?? 0);
    // Expected matches in the head: at least half a page's worth. (The head is often denser than the average:
    // popular papers use the common words.)
    if ((newest.length / Math.max(1, span)) * headSize >= wanted / 2) {
      const firstMatches = matchesInHead(matches, order, headSize);
      if (firstMatches.length >= wanted)
        return firstMatches.slice(offset, wanted).map((rowid) => ({ rowid, score: 0 }));
    }
    // List the matching rowids once (about 0.1 µs a match, no join), then walk the index keeping rows in that
    // set until a page is full. (Testing every row with a correlated MATCH instead can take a second when the
    // matches sit low in the index: a phrase at 300k papers.) `+` keeps the set from driving.
    const where = matches.rowConditions.map((c) => `${c.sql} AND `).join('');
    return all<PageRow>(
      `SELECT p.rowid AS rowid, 0 AS score FROM papers p INDEXED BY ${order.index}
       WHERE ${where}+p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)
       ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
      [...paramsOf(matches.rowConditions), matches.match, limit, offset],
    );
  }

  /** The matches among the first `size` rows of the sort's index that pass the other conditions, in its order. */
  function matchesInHead(matches: Matches, order: SortOrder, size: number): number[] {
    const where = matches.rowConditions.map((c) => `${c.sql} AND `).join('');
    const head = all<{ rowid: number }>(
      `SELECT p.rowid AS rowid FROM papers p INDEXED BY ${order.index} WHERE ${where}1 ORDER BY ${order.sql} LIMIT ?`,
      [...paramsOf(matches.rowConditions), size],
    ).map((row) => row.rowid);
    const inHead = new Set(
      all<{ rowid: number }>(
        `SELECT value AS rowid FROM json_each(?)
         WHERE EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = value)`,
        [JSON.stringify(head), matches.match],
      ).map((row) => row.rowid),
    );
    return head.filter((rowid) => inHead.has(rowid));
  }

  /**
   * The matches in `window` (all of a query's with at most plan.rankWindow, a known item or a rare word; the
   * newest of a relaxed one) ranked by bm25, the best RERANK_POOL re-ranked with popularity and freshness.
   * bm25 sees the query without its exclusions (see CompiledQuery.rankMatch), and only the window's rows count:
   * the walk is bounded to their rowids, the set drops any that an exclusion or a filter had left out.
   */
  function rankByBm25(window: readonly number[], rankMatch: string, wanted: number): PageRow[] {
    // Newest first: the bounds are the last and the first. FTS5 seeks to a rowid bound only if it is an
    // INTEGER, and better-sqlite3 binds numbers as REAL; `+ 0` keeps SQLite from handing the set to FTS5 as
    // rowid lookups (each would redo bm25's statistics).
    const ranked = all<{ rowid: number; rank: number; upvotes: number; day: string }>(
      `SELECT f.rowid AS rowid, f.rank AS rank, p.upvotes AS upvotes, p.last_list_day AS day
       FROM (SELECT papers_fts.rowid AS rowid, ${bm25} AS rank FROM papers_fts
             WHERE papers_fts MATCH ? AND papers_fts.rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER)
               AND papers_fts.rowid + 0 IN (SELECT value FROM json_each(?))
             ORDER BY rank LIMIT ?) f
       CROSS JOIN papers p ON p.rowid = f.rowid`,
      [rankMatch, window.at(-1) ?? 0, window[0] ?? 0, JSON.stringify(window), Math.max(RERANK_POOL, wanted)],
    );
    const reference = referenceDay();
    const scored = ranked
      .sort((a, b) => a.rank - b.rank || b.rowid - a.rowid)
      .map((row) => ({
        rowid: row.rowid,
        score: relevanceScore(ranking, -row.rank, row.upvotes, ageInDays(reference, row.day)),
      }));
    const pool = scored.slice(0, RERANK_POOL).sort((a, b) => b.score - a.score || b.rowid - a.rowid);
    return [...pool, ...scored.slice(RERANK_POOL)];
  }

  /**
   * A broad query (more than plan.rankWindow matches: `language models` matches 133k of 300k papers). bm25
   * would cost 5-35 ms whatever the LIMIT (see SearchPlan), and says little here: every match has the words.
   * The window of its newest plan.rankWindow matches is ranked instead by relevanceScore with text = 2 for the
   * papers whose title matches the query (1 otherwise): titles first, each group by popularity and freshness.
   * The title test is one MATCH bounded below by the window's oldest rowid: FTS5 seeks there and stops.
   */
  function rankBroad(window: readonly number[], rankMatch: string): PageRow[] {
    const inTitle = new Set(
      all<{ rowid: number }>('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid >= CAST(? AS INTEGER)', [
        `{title} : (${rankMatch})`,
        window.at(-1) ?? 0,
      ]).map((row) => row.rowid),
    );
    const reference = referenceDay();
    return all<{ rowid: number; upvotes: number; day: string }>(
      `SELECT p.rowid AS rowid, p.upvotes AS upvotes, p.last_list_day AS day FROM papers p
       WHERE p.rowid IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(window)],
    )
      .map((row) => ({
        rowid: row.rowid,
        score: relevanceScore(ranking, inTitle.has(row.rowid) ? 2 : 1, row.upvotes, ageInDays(reference, row.day)),
      }))
      .sort((a, b) => b.score - a.score || b.rowid - a.rowid);
  }

  /** Queries without a full-text part that drives them (org: alone, org: OR text): filter the papers table. */
  function runWithoutText(conditions: readonly SqlFragment[], options: SearchOptions): Omit<SearchResult, 'relaxed'> {
    const { limit, offset } = options;
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.map((c) => c.sql).join(' AND ')}`;
    const params = paramsOf(conditions);
    const counted = count(`SELECT count(*) AS n FROM (SELECT 1 FROM papers p ${where} LIMIT ?)`, [
      ...params,
      SEARCH_TOTAL_CAP + 1,
    ]);
    const page: Page = { total: Math.min(counted, SEARCH_TOTAL_CAP), totalCapped: counted > SEARCH_TOTAL_CAP };
    if (counted === 0 || (counted <= SEARCH_TOTAL_CAP && offset >= counted)) return { ...page, results: [] };
    if (options.sort === 'relevance') {
      const reference = referenceDay();
      const rows = all<{ rowid: number; upvotes: number; day: string }>(
        `SELECT p.rowid AS rowid, p.upvotes AS upvotes, p.last_list_day AS day FROM papers p ${where}
         ORDER BY ${sqlBoost} DESC, p.rowid DESC LIMIT ? OFFSET ?`,
        [...params, reference, limit, offset],
      );
      const scored = rows.map((row) => ({
        rowid: row.rowid,
        score: relevanceScore(ranking, 1, row.upvotes, ageInDays(reference, row.day)),
      }));
      return { ...page, results: papersInOrder(scored) };
    }
    const rows = all<PageRow>(
      `SELECT p.rowid AS rowid, 0 AS score FROM papers p ${where} ORDER BY ${SORT_ORDER[options.sort].sql} LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    return { ...page, results: papersInOrder(rows) };
  }

  function matchingIds(query: string | ParsedQuery, candidateIds: readonly string[]): Map<string, TopicMatch> {
    const parsed = typeof query === 'string' ? parseQuery(query) : query;
    const matches = new Map<string, TopicMatch>();
    if (candidateIds.length === 0) return matches;
    // Correlated lookups: FTS5 checks each candidate by rowid instead of listing every match in the store.
    const compiled = compileQuery(parsed, 'row');
    const conditions: SqlFragment[] = [...compiled.filters];
    if (compiled.match !== null) {
      conditions.unshift({
        sql: 'EXISTS (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? AND papers_fts.rowid = p.rowid)',
        params: [compiled.match],
      });
    }
    const inCandidates = 'SELECT p.id AS id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?))';
    const found = new Set(
      all<{ id: string }>(`${inCandidates}${and(conditions, ' AND ')}`, [
        JSON.stringify(candidateIds),
        ...paramsOf(conditions),
      ]).map((row) => row.id),
    );
    // In the order the candidates were given.
    const ids = [...new Set(candidateIds)].filter((id) => found.has(id));
    if (ids.length === 0) return matches;

    const matched = JSON.stringify(ids);
    const why = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const { label, condition } of compileTerms(positiveTerms(parsed.root))) {
      for (const row of all<{ id: string }>(`${inCandidates} AND ${condition.sql}`, [matched, ...condition.params])) {
        const labels = why.get(row.id);
        if (labels !== undefined && !labels.includes(label)) labels.push(label);
      }
    }
    for (const id of ids) matches.set(id, { matchedTerms: why.get(id) ?? [] });
    return matches;
  }

  function suggestTitles(prefix: string, limit: number = MAX_SUGGESTIONS): TitleSuggestion[] {
    try {
      const size = Number.isFinite(limit) ? Math.min(Math.max(Math.trunc(limit), 0), MAX_SUGGESTIONS) : MAX_SUGGESTIONS;
      if (size === 0) return [];
      const typed = normalizeWhitespace(Array.from(prefix).slice(0, MAX_SUGGESTION_INPUT).join('')).toLowerCase();
      const words = (typed.match(WORD_PATTERN) ?? []).slice(-MAX_SUGGESTION_WORDS);
      const last = words.at(-1);
      const earlier = words.slice(0, -1);
      let rows: { id: string; title: string }[];
      if (last === undefined) {
        rows = recentTitles.all(size);
      } else if (Array.from(last).length < 2 && earlier.length === 0) {
        // A one-letter prefix has no prefix index (prefix='2 3 4') and would merge huge doclists: recent
        // titles starting with it instead.
        rows = recentTitlesStartingWith.all(`${escapeLike(last)}%`, size);
      } else {
        // The last word is being typed: a prefix query on it (two to four letters use the prefix index).
        // A one-letter last word after others is left out, for the same reason as above.
        const complete = earlier.map(quoteFts);
        const typing = Array.from(last).length < 2 ? [] : [`${quoteFts(last)} *`];
        const expression = `{title} : (${[...complete, ...typing].join(' AND ')})`;
        // The newest matches (FTS5 walks rowids backwards and stops), then the popular ones first; titles that
        // begin with what was typed before titles that only contain it.
        const pool = titleMatches.all(expression, SUGGESTION_POOL);
        rows = pool
          .map((row) => ({ row, starts: normalizeWhitespace(row.title).toLowerCase().startsWith(typed) }))
          .sort((a, b) => Number(b.starts) - Number(a.starts) || b.row.upvotes - a.row.upvotes)
          .slice(0, size)
          .map(({ row }) => row);
      }
      return rows.map((row) => ({
        id: row.id,
        title: truncateCodePoints(normalizeWhitespace(row.title), SUGGESTION_TITLE_MAX),
      }));
    } catch (error) {
      serviceOptions.onSuggestError?.(error);
      return [];
    }
  }

  return { search, matchingIds, suggestTitles, idle: async () => upvotesHead?.idle() };
}

/** Runs of characters the FTS5 unicode61 tokenizer keeps together (letters, numbers, private use, marks). */
const WORD_PATTERN = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;
const MAX_SUGGESTION_INPUT = 200;
const MAX_SUGGESTION_WORDS = 8;
const SUGGESTION_POOL = 200;

/** True when `papers` has an index whose first column is `column` with COLLATE NOCASE. */
function hasNocaseIndex(db: Db, column: string): boolean {
  const indexes = db.prepare<[], { name: string }>("SELECT name FROM pragma_index_list('papers')").all();
  const firstColumn = db.prepare<[string], { name: string | null; coll: string }>(
    'SELECT name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno LIMIT 1',
  );
  return indexes.some(({ name }) => {
    const first = firstColumn.get(name);
    return first?.name === column && first.coll.toUpperCase() === 'NOCASE';
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function truncateCodePoints(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

function checkPaging(options: SearchOptions): void {
  if (!Number.isSafeInteger(options.limit) || options.limit < 1 || options.limit > MAX_SEARCH_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}, got ${options.limit}`);
  }
  if (!Number.isSafeInteger(options.offset) || options.offset < 0 || options.offset > MAX_SEARCH_OFFSET) {
    throw new RangeError(`offset must be an integer from 0 to ${MAX_SEARCH_OFFSET}, got ${options.offset}`);
  }
}

function optionConditions(options: SearchOptions): SqlFragment[] {
  const conditions: SqlFragment[] = [];
  if (options.since !== undefined) {
    if (!isIsoDay(options.since)) {
      throw new UserFacingError('"since" must be a date written YYYY-MM-DD, such as 2026-08-01');
    }
    conditions.push({ sql: 'p.last_list_day >= ?', params: [options.since] });
  }
  if (options.minUpvotes !== undefined) {
    if (!Number.isSafeInteger(options.minUpvotes) || options.minUpvotes < 0) {
      throw new UserFacingError('The minimum number of upvotes must be a whole number, 0 or more');
    }
    if (options.minUpvotes > 0) conditions.push({ sql: 'p.upvotes >= ?', params: [options.minUpvotes] });
  }
  return conditions;
}
