import type { z } from 'zod';

/**
 * What went wrong talking to Hugging Face. Callers branch on `kind`:
 * - 'http-status': a status we do not handle (or 5xx after every retry); `status` is set.
 * - 'network' / 'timeout': no usable response after every retry.
 * - 'rate-limited': HF answered 429 and asked us to wait longer than we are allowed to (or kept answering 429);
 *   `retryAfterMs` says how long it asked for.
 * - 'invalid-json': the body is not JSON (for example a truncated response).
 * - 'schema': JSON that does not have the shape we rely on.
 * - 'layout-drift': the HTML page has neither the embedded list nor the paper cards.
 */
export type HfSourceErrorKind =
  'http-status' | 'network' | 'timeout' | 'rate-limited' | 'invalid-json' | 'schema' | 'layout-drift';

export interface HfSourceErrorDetails {
  readonly status?: number | null;
  readonly retryAfterMs?: number | null;
  readonly cause?: unknown;
}

/** A failure of one HF request or of what it returned. The message names the URL and what was wrong. */
export class HfSourceError extends Error {
  override readonly name = 'HfSourceError';
  readonly kind: HfSourceErrorKind;
  readonly url: string;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  /** What was wrong, without the URL (the message is this plus the URL). */
  readonly detail: string;

  constructor(kind: HfSourceErrorKind, url: string, detail: string, details: HfSourceErrorDetails = {}) {
    super(`${detail} (${url})`, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.detail = detail;
    this.url = url;
    this.status = details.status ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** Both the API and the page failed for one day ('auto' mode). Carries both causes. */
export class HfSourcesFailedError extends AggregateError {
  override readonly name = 'HfSourcesFailedError';
  readonly day: string;
  readonly apiError: HfSourceError;
  readonly pageError: HfSourceError;

  constructor(day: string, apiError: HfSourceError, pageError: HfSourceError) {
    super(
      [apiError, pageError],
      `Hugging Face list of ${day} unavailable: API: ${apiError.message}; page: ${pageError.message}`,
    );
    this.day = day;
    this.apiError = apiError;
    this.pageError = pageError;
  }
}

export function isHfSourceError(error: unknown): error is HfSourceError {
  return error instanceof HfSourceError;
}

const MAX_ISSUES_IN_MESSAGE = 3;

/**
 * A short, readable summary of zod issues: "item 3: paper.upvotes: expected number, received string".
 * A leading numeric path segment (an index into an array of items) reads "item N".
 */
export function describeZodIssues(
  issues: readonly z.core.$ZodIssue[],
  pathPrefix: readonly PropertyKey[] = [],
): string {
  const parts = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => {
    const path = [...pathPrefix, ...issue.path];
    const [first, ...rest] = path;
    const where =
      typeof first === 'number'
        ? [`item ${String(first)}`, rest.map(String).join('.')].filter((part) => part !== '').join(': ')
        : path.map(String).join('.');
    const message = issue.message.replace(/^Invalid input: /u, '');
    return where === '' ? message : `${where}: ${message}`;
  });
  const more = issues.length > MAX_ISSUES_IN_MESSAGE ? ` (+${String(issues.length - MAX_ISSUES_IN_MESSAGE)} more)` : '';
  return `${parts.join('; ')}${more}`;
}
