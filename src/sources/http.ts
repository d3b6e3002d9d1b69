import type { Logger } from 'pino';
import { HfSourceError } from './errors.js';

/** Descriptive User-Agent, as HF asks of automated clients: names the project and its homepage. */
export const DEFAULT_USER_AGENT = 'paperboy/0.1 (+https://github.com/paperboy-bot/paperboy)';

export interface HttpClientOptions {
  /** Injectable for tests and proxies; the global fetch by default. */
  readonly fetch?: typeof fetch;
  readonly userAgent: string;
  /** HF token: sent as `Authorization: Bearer` only when set. Never logged. */
  readonly token?: string | null;
  /** Per attempt, covering the headers and the whole body read. */
  readonly timeoutMs: number;
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  readonly maxRetries: number;
  /** Backoff: full jitter over min(maxDelayMs, baseDelayMs * 2^retry). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Longest wait a 429 may ask for (Retry-After / RateLimit). Longer than this, the request fails at once with a
   * 'rate-limited' error naming the wait, instead of sleeping. Defaults to maxDelayMs.
   */
  readonly maxRateLimitWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); Math.random by default. */
  readonly random?: () => number;
  /** Epoch milliseconds, for Retry-After given as an HTTP date; Date.now by default. */
  readonly now?: () => number;
  readonly logger: Logger;
}

export interface HttpRequestOptions {
  /** The Accept header; JSON by default. */
  readonly accept?: string;
  /** Cancels the request and any further retry (shutdown). Its reason is rethrown as is. */
  readonly signal?: AbortSignal;
}

/** A complete response: any status that is not retried (2xx, 3xx after redirects, 4xx other than 429). */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** How many requests it took (1 when the first succeeded). */
  readonly attempts: number;
}

export interface HttpClient {
  /**
   * GET with timeout, retries and rate-limit handling.
   * Throws HfSourceError: 'http-status' (5xx after every retry), 'network', 'timeout', 'rate-limited'.
   * Any other status is returned for the caller to interpret.
   */
  get(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
}

type AttemptOutcome =
  { readonly ok: true; readonly response: HttpResponse } | { readonly ok: false; readonly error: HfSourceError };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const { logger, timeoutMs, maxRetries, baseDelayMs, maxDelayMs } = options;
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? maxDelayMs;
  const token = options.token?.trim() ?? '';
  const maxAttempts = maxRetries + 1;

  function backoffMs(retryIndex: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
    return Math.floor(random() * ceiling);
  }

  async function attemptOnce(url: string, attempt: number, request: HttpRequestOptions): Promise<AttemptOutcome> {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      accept: request.accept ?? 'application/json',
    };
    if (token !== '') headers.authorization = `Bearer ${token}`;
    const timer = new AbortController();
    const timeout = setTimeout(() => {
      timer.abort();
    }, timeoutMs);
    const signal = request.signal === undefined ? timer.signal : AbortSignal.any([timer.signal, request.signal]);
    try {
      const response = await fetchImpl(url, { headers, signal, redirect: 'follow' });
      // The body read is under the same signal, so a server that stalls mid-body times out too.
      const body = await response.text();
      return {
        ok: true,
        response: { url, status: response.status, headers: response.headers, body, attempts: attempt },
      };
    } catch (error) {
      if (request.signal?.aborted === true) throw request.signal.reason;
      if (timer.signal.aborted) {
        return {
          ok: false,
          error: new HfSourceError('timeout', url, `HF did not answer within ${String(timeoutMs)} ms`, {
            cause: error,
          }),
        };
      }
      return {
        ok: false,
        error: new HfSourceError('network', url, `network error talking to HF: ${describeNetworkError(error)}`, {
          cause: error,
        }),
      };
    } finally {
      clearTimeout(timeout);
    }
  }

  async function get(url: string, request: HttpRequestOptions = {}): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await attemptOnce(url, attempt, request);
      const canRetry = attempt < maxAttempts;
      let delayMs: number;
      let reason: string;
      if (!outcome.ok) {
        if (!canRetry) throw withAttempts(outcome.error, attempt);
        delayMs = backoffMs(attempt - 1);
        reason = outcome.error.kind;
      } else {
        const { response } = outcome;
        if (response.status === 429) {
          const askedMs = rateLimitWaitMs(response.headers, now());
          if (askedMs !== null && askedMs > maxRateLimitWaitMs) {
            throw new HfSourceError(
              'rate-limited',
              url,
              `HF rate limit: asked to wait ${formatSeconds(askedMs)}, more than the ${formatSeconds(maxRateLimitWaitMs)} allowed`,
              { status: 429, retryAfterMs: askedMs },
            );
          }
          if (!canRetry) {
            throw new HfSourceError('rate-limited', url, `HF rate limit: still 429 after ${String(attempt)} attempts`, {
              status: 429,
              retryAfterMs: askedMs,
            });
          }
          delayMs = askedMs ?? backoffMs(attempt - 1);
          reason = 'status 429';
        } else if (response.status >= 500) {
          if (!canRetry) {
            throw new HfSourceError(
              'http-status',
              url,
              `HF answered ${String(response.status)} after ${String(attempt)} attempts${bodySnippet(response)}`,
              { status: response.status },
            );
          }
          const askedMs = parseRetryAfter(response.headers.get('retry-after'), now());
          const backoff = backoffMs(attempt - 1);
          delayMs = askedMs !== null && askedMs <= maxDelayMs ? Math.max(askedMs, backoff) : backoff;
          reason = `status ${String(response.status)}`;
        } else {
          return response;
        }
      }
      logger.warn({ url, attempt, maxAttempts, reason, delayMs }, 'HF request failed; retrying');
      await sleep(delayMs);
      if (request.signal?.aborted === true) throw request.signal.reason;
    }
  }

  return { get };
}

/** An HfSourceError for a status the caller does not handle (names the URL, the status and a hint of the body). */
export function unexpectedStatusError(response: HttpResponse): HfSourceError {
  return new HfSourceError(
    'http-status',
    response.url,
    `HF answered ${String(response.status)}${bodySnippet(response)}`,
    {
      status: response.status,
    },
  );
}

/**
 * How long a 429 asks us to wait, in ms: the longer of `Retry-After` and the reset time of the exhausted
 * `RateLimit` policy (HF: `RateLimit: "api";r=0;t=42`). Null when the response names no wait.
 */
export function rateLimitWaitMs(headers: Headers, nowMs: number): number | null {
  const waits = [
    parseRetryAfter(headers.get('retry-after'), nowMs),
    parseRateLimitHeader(headers.get('ratelimit')),
    parseSecondsHeader(headers.get('ratelimit-reset')),
  ].filter((wait): wait is number => wait !== null);
  return waits.length === 0 ? null : Math.max(...waits);
}

/** `Retry-After`: delta-seconds or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const seconds = parseSecondsHeader(value);
  if (seconds !== null) return seconds;
  const date = Date.parse(value.trim());
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/**
 * The IETF `RateLimit` header (draft-ietf-httpapi-ratelimit-headers): a list of `"policy";r=<remaining>;t=<reset s>`.
 * Returns the longest reset among the exhausted policies (r=0), else among all; also reads the older
 * `limit=.., remaining=.., reset=..` form. Null when no reset time is given.
 */
export function parseRateLimitHeader(value: string | null): number | null {
  if (value === null) return null;
  const policies: { remaining: number | null; resetMs: number | null }[] = [];
  let legacy: { remaining: number | null; resetMs: number | null } | null = null;
  for (const item of value.split(',')) {
    const segments = item.split(';').map((segment) => segment.trim());
    const params = new Map<string, string>();
    for (const [index, segment] of segments.entries()) {
      const eq = segment.indexOf('=');
      if (eq === -1) continue; // the policy name (a token or quoted string)
      if (index === 0 && segment.startsWith('"')) continue;
      const key = segment.slice(0, eq).trim().toLowerCase();
      const raw = segment
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/u, '$1');
      params.set(key, raw);
    }
    const remaining = toNumber(params.get('r') ?? params.get('remaining'));
    const reset = toNumber(params.get('t') ?? params.get('reset'));
    const resetMs = reset === null ? null : Math.ceil(reset * 1000);
    const isLegacyPart = segments.length === 1 && params.size === 1;
    if (isLegacyPart) {
      legacy ??= { remaining: null, resetMs: null };
      if (remaining !== null) legacy.remaining = remaining;
      if (resetMs !== null) legacy.resetMs = resetMs;
    } else if (remaining !== null || resetMs !== null) {
      policies.push({ remaining, resetMs });
    }
  }
  if (legacy !== null) policies.push(legacy);
  const exhausted = policies.filter((policy) => policy.remaining === 0 && policy.resetMs !== null);
  const candidates = (exhausted.length > 0 ? exhausted : policies)
    .map((policy) => policy.resetMs)
    .filter((ms): ms is number => ms !== null);
  return candidates.length === 0 ? null : Math.max(...candidates);
}

function parseSecondsHeader(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!/^\d+(?:\.\d+)?$/u.test(trimmed)) return null;
  return Math.ceil(Number(trimmed) * 1000);
}

function toNumber(value: string | undefined): number | null {
  if (value === undefined || !/^\d+(?:\.\d+)?$/u.test(value)) return null;
  return Number(value);
}

function withAttempts(error: HfSourceError, attempts: number): HfSourceError {
  if (attempts <= 1) return error;
  return new HfSourceError(error.kind, error.url, `${error.detail} after ${String(attempts)} attempts`, {
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    cause: error.cause,
  });
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code === undefined ? `${error.message}: ${cause.message}` : `${error.message}: ${code}`;
  }
  return error.message;
}

const SNIPPET_LENGTH = 160;

function bodySnippet(response: HttpResponse): string {
  const type = response.headers.get('content-type') ?? '';
  if (!/json|text\/plain/u.test(type)) return '';
  const text = response.body.replace(/\s+/gu, ' ').trim();
  if (text === '') return '';
  return `: ${text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text}`;
}

function formatSeconds(ms: number): string {
  return `${String(Math.round(ms / 100) / 10)} s`;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}
