/**
 * The Paper record: everything paperboy shows users about one paper, independent of where it came from.
 * Sources (HF API, HF page, the corpus file) produce these; the store keeps them; renderers read them.
 */
export interface Paper {
  /** Canonical arXiv id without version suffix, e.g. "2405.12345". */
  readonly id: string;
  readonly title: string;
  /** Whitespace-normalised abstract; "" when the source had none. */
  readonly abstract: string;
  /** Author display names, in paper order. */
  readonly authors: readonly string[];
  /** HF organisation slug and display name, when the paper is claimed by one. */
  readonly organization: { readonly name: string; readonly fullname: string | null } | null;
  readonly upvotes: number;
  readonly comments: number | null;
  /** HF's one-line TL;DR (absent early in the day and before ~2025-05). */
  readonly aiSummary: string | null;
  readonly aiKeywords: readonly string[];
  readonly githubRepo: string | null;
  readonly githubStars: number | null;
  readonly projectPage: string | null;
  readonly thumbnail: string | null;
  /** arXiv publication time as an ISO string (date-only in 2026 data), when known. */
  readonly publishedAt: string | null;
}

/** A paper as it appeared on one Daily Papers list day (a UTC date, YYYY-MM-DD). */
export interface ListedPaper {
  readonly listDay: string;
  readonly paper: Paper;
}

const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
const OLD_ARXIV_ID = /^(?:arxiv:)?([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i;

/**
 * The canonical form of an arXiv id: no "arXiv:" prefix, no version suffix.
 * Returns null for anything that is not an arXiv id.
 */
export function canonicalPaperId(raw: string): string | null {
  const trimmed = raw.trim();
  const modern = ARXIV_ID.exec(trimmed);
  if (modern?.[1] !== undefined) return modern[1];
  const old = OLD_ARXIV_ID.exec(trimmed);
  if (old?.[1] !== undefined) return old[1].toLowerCase();
  return null;
}

/** Collapses arXiv's hard line wraps and runs of white space into single spaces. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Adds (or subtracts) whole days to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return utcDay(date);
}

/** HF's page for a paper. */
export function hfPaperUrl(id: string, hfBaseUrl = 'https://huggingface.co'): string {
  return `${hfBaseUrl}/papers/${id}`;
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}
