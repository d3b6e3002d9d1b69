import type { Logger } from 'pino';
import { z } from 'zod';
import {
  canonicalPaperId,
  isIsoDay,
  normalizeWhitespace,
  utcDay,
  type ListedPaper,
  type Paper,
} from '../papers/paper.js';
import { describeZodIssues, HfSourceError } from './errors.js';

/*
 * One Daily Papers item, as served by `/api/daily_papers` and embedded in the list page's `data-props`.
 * See docs/hf-data.md. Only `paper.id`, `paper.title` and `paper.upvotes` are required; every other field we read
 * may be absent or null (HF adds and drops fields over time). Fields we do not read are not declared, so they can
 * change freely; extra fields are tolerated. A field we read with the wrong type is a schema error: garbage is never
 * turned into a post.
 */

const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { error: 'expected a date string' });

const hfAuthorSchema = z.object({
  name: z.string(),
  /** The author hid this paper from their HF profile; they are still an author of the paper. */
  hidden: z.boolean().nullish(),
  user: z.looseObject({ user: z.string().nullish(), fullname: z.string().nullish() }).nullish(),
});

const hfOrganizationSchema = z.object({
  name: z.string(),
  fullname: z.string().nullish(),
});

export const hfPaperSchema = z.object({
  id: z.string(),
  title: z.string(),
  upvotes: z.number().int().nonnegative(),
  summary: z.string().nullish(),
  authors: z.array(hfAuthorSchema).nullish(),
  /** arXiv publication time (date-only since 2026). */
  publishedAt: instant.nullish(),
  /** THE list day (since 2025-03-17). */
  submittedOnDailyAt: instant.nullish(),
  ai_summary: z.string().nullish(),
  ai_keywords: z.array(z.string()).nullish(),
  githubRepo: z.string().nullish(),
  githubStars: z.number().int().nonnegative().nullish(),
  projectPage: z.string().nullish(),
  mediaUrls: z.array(z.string()).nullish(),
  organization: hfOrganizationSchema.nullish(),
});

export const hfDailyItemSchema = z.object({
  paper: hfPaperSchema,
  // Top-level `publishedAt` is deliberately not read: it stopped being the list day in 2025-03.
  summary: z.string().nullish(),
  thumbnail: z.string().nullish(),
  mediaUrls: z.array(z.string()).nullish(),
  /** Singular form, May-June 2024 only. */
  mediaUrl: z.string().nullish(),
  numComments: z.number().int().nonnegative().nullish(),
  organization: hfOrganizationSchema.nullish(),
});

export const hfDailyListSchema = z.array(hfDailyItemSchema);

export type HfDailyItem = z.infer<typeof hfDailyItemSchema>;

/** Where a day's list came from: the JSON API, the page's embedded JSON, or (last resort) the page's cards. */
export type HfListSource = 'api' | 'page' | 'page-cards';

/**
 * The outcome of fetching one list day. 'not-yet': HF has no list for that day (yet). 'list': the papers,
 * sorted by upvotes (desc) then id. `source: 'page-cards'` papers are partial: no abstract, no authors.
 */
export type HfDayResult =
  | {
      readonly kind: 'list';
      readonly day: string;
      readonly source: HfListSource;
      readonly url: string;
      readonly papers: readonly ListedPaper[];
    }
  | { readonly kind: 'not-yet'; readonly day: string; readonly url: string };

export interface ParseOptions {
  /** Receives a warning for each item skipped (an id that is not an arXiv id). */
  readonly logger?: Logger | undefined;
}

/**
 * Maps a validated item to the domain record, or returns null when its id is not an arXiv id.
 * The list day is `paper.submittedOnDailyAt`'s UTC day when present, else the day that was asked for.
 */
export function toListedPaper(item: HfDailyItem, requestedDay: string): ListedPaper | null {
  const { paper } = item;
  const id = canonicalPaperId(paper.id);
  if (id === null) return null;
  const record: Paper = {
    id,
    title: normalizeWhitespace(paper.title),
    abstract: normalizeWhitespace(paper.summary ?? item.summary ?? ''),
    // Hidden authors are kept: `hidden` only hides the paper from that author's HF profile; the name is still on
    // the paper (and on arXiv), and author: searches must find it.
    authors: (paper.authors ?? []).map((author) => normalizeWhitespace(author.name)).filter((name) => name !== ''),
    organization: toOrganization(paper.organization ?? item.organization),
    upvotes: paper.upvotes,
    comments: item.numComments ?? null,
    aiSummary: nonEmpty(paper.ai_summary),
    aiKeywords: (paper.ai_keywords ?? []).map(normalizeWhitespace).filter((keyword) => keyword !== ''),
    githubRepo: nonEmpty(paper.githubRepo),
    githubStars: paper.githubStars ?? null,
    projectPage: nonEmpty(paper.projectPage),
    thumbnail: pickThumbnail(item),
    publishedAt: paper.publishedAt == null ? null : new Date(paper.publishedAt).toISOString(),
  };
  const listDay = paper.submittedOnDailyAt == null ? requestedDay : utcDay(new Date(paper.submittedOnDailyAt));
  return { listDay, paper: record };
}

/**
 * Validates a whole array of items (any failure rejects all of it), maps them, skips non-arXiv ids with a warning,
 * dedupes by canonical id (keeping the higher upvote count) and sorts by upvotes desc, then id.
 * `what` names the data in error messages, e.g. "API response" or "page data-props dailyPapers".
 */
export function parseDailyItems(
  json: unknown,
  requestedDay: string,
  url: string,
  what: string,
  options: ParseOptions = {},
): ListedPaper[] {
  assertIsoDay(requestedDay);
  return mapDailyItems(validateDailyItems(json, url, what), requestedDay, url, options);
}

/** The schema check alone: throws an HfSourceError 'schema' naming the item index and field. */
export function validateDailyItems(json: unknown, url: string, what: string): HfDailyItem[] {
  const parsed = hfDailyListSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const shape = Array.isArray(json) ? '' : ` (expected an array of items, got ${describeJsonType(json)})`;
  throw new HfSourceError(
    'schema',
    url,
    `${what} does not match the expected shape${shape}: ${describeZodIssues(parsed.error.issues)}`,
  );
}

/** Maps validated items: skips non-arXiv ids (with a warning), dedupes by canonical id, sorts. */
export function mapDailyItems(
  items: readonly HfDailyItem[],
  requestedDay: string,
  url: string,
  options: ParseOptions = {},
): ListedPaper[] {
  const byId = new Map<string, ListedPaper>();
  for (const [index, item] of items.entries()) {
    const listed = toListedPaper(item, requestedDay);
    if (listed === null) {
      options.logger?.warn({ url, index, rawId: item.paper.id }, 'HF item skipped: its id is not an arXiv id');
      continue;
    }
    const existing = byId.get(listed.paper.id);
    if (existing === undefined || listed.paper.upvotes > existing.paper.upvotes) byId.set(listed.paper.id, listed);
  }
  return sortListedPapers([...byId.values()]);
}

/** Upvotes desc, then id asc: HF's own order is not stable (unsorted in 2026). */
export function sortListedPapers(papers: ListedPaper[]): ListedPaper[] {
  return papers.sort(
    (a, b) => b.paper.upvotes - a.paper.upvotes || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0),
  );
}

/** JSON.parse that fails with an 'invalid-json' HfSourceError naming the URL (truncated bodies end up here). */
export function parseJsonText(text: string, url: string, what = 'response'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HfSourceError(
      'invalid-json',
      url,
      `${what} is not valid JSON (${String(text.length)} chars; ${reason})`,
      {
        cause: error,
      },
    );
  }
}

export function assertIsoDay(day: string): void {
  if (!isIsoDay(day)) throw new RangeError(`Not a YYYY-MM-DD day: ${JSON.stringify(day)}`);
}

function toOrganization(
  org: { name: string; fullname?: string | null | undefined } | null | undefined,
): Paper['organization'] {
  if (org == null || org.name.trim() === '') return null;
  return { name: org.name.trim(), fullname: nonEmpty(org.fullname) };
}

const VIDEO_URL = /\.(?:mp4|webm|mov|m4v|mkv)(?:[?#]|$)/iu;

/** `thumbnail`, else the first image among the media URLs (videos cannot be embed thumbnails), else `mediaUrl`. */
function pickThumbnail(item: HfDailyItem): string | null {
  const media = [...(item.mediaUrls ?? []), ...(item.paper.mediaUrls ?? [])];
  const candidates = [item.thumbnail, ...media.filter((url) => !VIDEO_URL.test(url)), item.mediaUrl];
  for (const candidate of candidates) {
    const url = nonEmpty(candidate);
    if (url !== null) return url;
  }
  return null;
}

function nonEmpty(value: string | null | undefined): string | null {
  if (value == null) return null;
  const normalized = normalizeWhitespace(value);
  return normalized === '' ? null : normalized;
}

function describeJsonType(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  return typeof json === 'object' ? 'an object' : typeof json;
}
