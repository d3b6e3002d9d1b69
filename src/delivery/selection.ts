import type { StoredPaper } from '../store/paper-store.js';

/** What a channel gets when it changes nothing (product.md: "Defaults"). */
export const DEFAULT_MAX_PAPERS = 10;
export const DEFAULT_MIN_UPVOTES = 0;

export interface SelectionSettings {
  readonly maxPapers: number;
  readonly minUpvotes: number;
  /** Papers already posted to the channel on an earlier day. */
  readonly alreadyPosted?: ReadonlySet<string>;
}

export interface Selection {
  readonly day: string;
  /** Papers of the day that passed the filters, before the top-N cut. */
  readonly eligible: number;
  /** All papers of the day. */
  readonly total: number;
  readonly papers: readonly StoredPaper[];
}

/** The papers a channel gets for a list day: at or above the floor, not posted before, most upvoted first, top N. */
export function selectPapers(day: string, papersOfDay: readonly StoredPaper[], settings: SelectionSettings): Selection {
  const eligible = papersOfDay
    .filter((paper) => paper.upvotes >= settings.minUpvotes && !(settings.alreadyPosted?.has(paper.id) ?? false))
    .sort((a, b) => b.upvotes - a.upvotes || a.id.localeCompare(b.id));
  return { day, eligible: eligible.length, total: papersOfDay.length, papers: eligible.slice(0, settings.maxPapers) };
}

/** "Hugging Face Daily Papers, 2026-08-21: 10 of 17 papers" */
export function digestHeadline(selection: Pick<Selection, 'day' | 'total' | 'papers'>): string {
  const shown = selection.papers.length;
  const noun = selection.total === 1 ? 'paper' : 'papers';
  return `Hugging Face Daily Papers, ${selection.day}: ${String(shown)} of ${String(selection.total)} ${noun}`;
}

/**
 * The latest complete list day before `today` (a UTC day) that has papers: HF's day is a UTC date, and a day's list
 * is only complete once that day has ended. Weekend days with no list are skipped because they hold no papers.
 */
export function latestCompleteDay(daysNewestFirst: readonly string[], today: string): string | null {
  return daysNewestFirst.find((day) => day < today) ?? null;
}
