import { relaxQuery, type ParsedQuery, type QueryNode, type TermNode } from '../../src/search/index.js';
import type { Db } from '../../src/store/database.js';

/**
 * The baseline: a naive linear scan over every paper held in memory, as arxiv-sanity-lite searches
 * (search_rank in its serve.py): for each query word, 20 points if the title contains it, 10 if the authors
 * do, and its count in the abstract up to 3; substring tests on lower-cased text, no index.
 * It answers the same parsed queries as the service (phrases, OR, exclusions and fields evaluated on the
 * text, AI keywords searched with the abstract), with the same relaxation when nothing matches all words.
 * It is given lower-cased copies of the fields made once in advance (arxiv-sanity-lite lower-cases each
 * field for every query), so it is a stronger baseline than the original.
 */
export interface ScanPaper {
  readonly id: string;
  readonly title: string;
  readonly authors: string;
  /** Abstract and AI keywords. */
  readonly text: string;
  readonly org: string;
  readonly orgFull: string;
  readonly upvotes: number;
  readonly day: string;
}

export interface ScanResult {
  readonly total: number;
  readonly ids: string[];
}

/** Every paper of the store, or only those listed on `day`. */
export function loadScanPapers(db: Db, day?: string): ScanPaper[] {
  const rows = db
    .prepare<
      [string | null, string | null],
      {
        id: string;
        title: string;
        authors: string;
        abstract: string;
        ai_keywords: string;
        org_name: string | null;
        org_fullname: string | null;
        upvotes: number;
        last_list_day: string;
      }
    >(
      `SELECT id, title, authors, abstract, ai_keywords, org_name, org_fullname, upvotes, last_list_day FROM papers p
       WHERE ? IS NULL OR p.id IN (SELECT paper_id FROM paper_days WHERE list_day = ?) ORDER BY rowid`,
    )
    .all(day ?? null, day ?? null);
  return rows.map((row) => ({
    id: row.id,
    title: row.title.toLowerCase(),
    authors: (JSON.parse(row.authors) as string[]).join(', ').toLowerCase(),
    text: `${row.abstract} ${(JSON.parse(row.ai_keywords) as string[]).join(', ')}`.toLowerCase(),
    org: (row.org_name ?? '').toLowerCase(),
    orgFull: (row.org_fullname ?? '').toLowerCase(),
    upvotes: row.upvotes,
    day: row.last_list_day,
  }));
}

function termMatches(term: TermNode, paper: ScanPaper): boolean {
  const text = term.text.toLowerCase();
  switch (term.field) {
    case null:
      return paper.title.includes(text) || paper.authors.includes(text) || paper.text.includes(text);
    case 'title':
      return paper.title.includes(text);
    case 'author':
      return paper.authors.includes(text);
    case 'keyword':
      return paper.text.includes(text);
    case 'org':
      return paper.org === text || paper.orgFull === text;
  }
}

export function scanMatches(node: QueryNode, paper: ScanPaper): boolean {
  switch (node.kind) {
    case 'term':
      return termMatches(node, paper);
    case 'and':
      return node.children.every((child) => scanMatches(child, paper));
    case 'or':
      return node.children.some((child) => scanMatches(child, paper));
    case 'not':
      return !scanMatches(node.child, paper);
  }
}

function positiveTexts(node: QueryNode, into: string[] = []): string[] {
  if (node.kind === 'term') {
    if (node.field !== 'org') into.push(node.text.toLowerCase());
  } else if (node.kind !== 'not') {
    for (const child of node.children) positiveTexts(child, into);
  }
  return into;
}

function countUpTo(haystack: string, needle: string, max: number): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1 && count < max; at = haystack.indexOf(needle, at + needle.length)) {
    count += 1;
  }
  return count;
}

function score(words: readonly string[], paper: ScanPaper): number {
  let total = 0;
  for (const word of words) {
    if (paper.authors.includes(word)) total += 10;
    if (paper.title.includes(word)) total += 20;
    total += countUpTo(paper.text, word, 3);
  }
  return total;
}

function scanOnce(
  papers: readonly ScanPaper[],
  parsed: ParsedQuery,
  sort: 'relevance' | 'upvotes',
  limit: number,
): ScanResult {
  const words = positiveTexts(parsed.root);
  const found: { paper: ScanPaper; score: number }[] = [];
  for (const paper of papers) {
    if (scanMatches(parsed.root, paper)) found.push({ paper, score: sort === 'relevance' ? score(words, paper) : 0 });
  }
  found.sort((a, b) =>
    sort === 'relevance'
      ? b.score - a.score || b.paper.upvotes - a.paper.upvotes
      : b.paper.upvotes - a.paper.upvotes || (a.paper.day < b.paper.day ? 1 : a.paper.day > b.paper.day ? -1 : 0),
  );
  return { total: found.length, ids: found.slice(0, limit).map((hit) => hit.paper.id) };
}

export function scanSearch(
  papers: readonly ScanPaper[],
  parsed: ParsedQuery,
  sort: 'relevance' | 'upvotes',
  limit: number,
): ScanResult {
  const strict = scanOnce(papers, parsed, sort, limit);
  if (strict.total > 0) return strict;
  const relaxed = relaxQuery(parsed);
  return relaxed === null ? strict : scanOnce(papers, relaxed, sort, limit);
}

/** Autocomplete's baseline: every title tested for the typed text; titles starting with it first, then upvotes. */
export function scanTitles(papers: readonly ScanPaper[], typed: string, limit: number): string[] {
  const needle = typed.toLowerCase().replace(/\s+/g, ' ').trim();
  const found: { paper: ScanPaper; starts: boolean }[] = [];
  for (const paper of papers) {
    const at = paper.title.indexOf(needle);
    if (at !== -1) found.push({ paper, starts: at === 0 });
  }
  found.sort((a, b) => Number(b.starts) - Number(a.starts) || b.paper.upvotes - a.paper.upvotes);
  return found.slice(0, limit).map((hit) => hit.paper.id);
}
