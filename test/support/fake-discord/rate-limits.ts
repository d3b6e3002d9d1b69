/**
 * Discord-like rate limits on real time (Date.now): discord.js sleeps on real timers, so a fake clock
 * here could only make it wait forever.
 *
 * - A per-channel bucket on message creation (observed on Discord: 5 per 5 s). Every answer of that
 *   route carries the X-RateLimit-* headers so discord.js's own limiter queues like it does in production.
 * - A global limit (50 requests/s) over all authenticated bot routes; interaction callbacks and
 *   interaction webhooks are exempt, as on Discord.
 *
 * Both are fixed windows opened by the first request, which is how @discordjs/rest models them too.
 */

export interface RateLimitOptions {
  /** Messages per channel per window. Default 5. */
  readonly messagesPer5s?: number;
  /** Length of the per-channel window. Default 5000 ms. */
  readonly messageWindowMs?: number;
  /** Requests per second over all authenticated bot routes. Default 50. */
  readonly globalPerSecond?: number;
}

/** A stable-looking bucket hash, as Discord sends in X-RateLimit-Bucket. */
const MESSAGE_BUCKET_HASH = '80c17d2f203122d936070c88c8d10f33';
const GLOBAL_WINDOW_MS = 1000;

interface Window {
  count: number;
  resetAt: number;
}

export type LimitDecision =
  | { readonly allowed: true; readonly headers: Record<string, string> }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly headers: Record<string, string> };

export class RateLimiter {
  #options: Required<RateLimitOptions> | null;
  readonly #buckets = new Map<string, Window>();
  #global: Window = { count: 0, resetAt: 0 };

  constructor(options: RateLimitOptions | false | undefined) {
    this.#options = normalize(options);
  }

  configure(options: RateLimitOptions | false): void {
    this.#options = normalize(options);
    this.#buckets.clear();
    this.#global = { count: 0, resetAt: 0 };
  }

  get enabled(): boolean {
    return this.#options !== null;
  }

  /** Counts one request against the global limit. */
  takeGlobal(): LimitDecision {
    if (this.#options === null) return { allowed: true, headers: {} };
    const now = Date.now();
    if (now >= this.#global.resetAt) this.#global = { count: 0, resetAt: now + GLOBAL_WINDOW_MS };
    if (this.#global.count >= this.#options.globalPerSecond) {
      const retryAfterMs = this.#global.resetAt - now;
      return {
        allowed: false,
        retryAfterMs,
        headers: {
          'Retry-After': retryAfterHeader(retryAfterMs),
          'X-RateLimit-Global': 'true',
          'X-RateLimit-Scope': 'global',
        },
      };
    }
    this.#global.count += 1;
    return { allowed: true, headers: {} };
  }

  /** Counts one message create in `channelId`'s bucket; the headers go on the answer either way. */
  takeMessageCreate(channelId: string): LimitDecision {
    if (this.#options === null) return { allowed: true, headers: {} };
    const { messagesPer5s: limit, messageWindowMs } = this.#options;
    const now = Date.now();
    let window = this.#buckets.get(channelId);
    if (!window || now >= window.resetAt) {
      window = { count: 0, resetAt: now + messageWindowMs };
      this.#buckets.set(channelId, window);
    }
    const allowed = window.count < limit;
    if (allowed) window.count += 1;
    const resetAfterMs = window.resetAt - now;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(limit - window.count),
      'X-RateLimit-Reset': (window.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': (resetAfterMs / 1000).toFixed(3),
      'X-RateLimit-Bucket': MESSAGE_BUCKET_HASH,
    };
    if (allowed) return { allowed, headers };
    return {
      allowed,
      retryAfterMs: resetAfterMs,
      headers: { ...headers, 'Retry-After': retryAfterHeader(resetAfterMs), 'X-RateLimit-Scope': 'user' },
    };
  }
}

function normalize(options: RateLimitOptions | false | undefined): Required<RateLimitOptions> | null {
  if (options === false) return null;
  return {
    messagesPer5s: options?.messagesPer5s ?? 5,
    messageWindowMs: options?.messageWindowMs ?? 5000,
    globalPerSecond: options?.globalPerSecond ?? 50,
  };
}

/** Discord sends whole seconds, rounded up, in Retry-After (the body has the precise float). */
function retryAfterHeader(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
