import { fitPlain, hasVisibleText } from './escape.js';
import { THREAD_NAME_MAX } from './limits.js';

const FALLBACK_THREAD_NAME = 'Paper discussion';

/**
 * A thread name from a paper title: one line, 1 to 100 code points, shortened with "…". Thread names are plain text
 * (no markdown, no mentions), so nothing is escaped; a title with nothing visible gets a generic name.
 */
export function threadName(title: string): string {
  if (!hasVisibleText(title)) return FALLBACK_THREAD_NAME;
  return fitPlain(title, THREAD_NAME_MAX, { wordBoundary: true });
}
