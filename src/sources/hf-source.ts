import type { Logger } from 'pino';
import { HfSourceError, HfSourcesFailedError } from './errors.js';
import { fetchApiDay } from './hf-api.js';
import { fetchPageDay } from './hf-page.js';
import type { HfDayResult } from './hf-schema.js';
import type { HttpClient } from './http.js';

/** 'auto': the JSON API, falling back to the HTML page; 'api' / 'page': that one only. */
export type HfFetchVia = 'auto' | 'api' | 'page';

export interface HfFetchDayOptions {
  readonly via?: HfFetchVia;
  /** Cancels in-flight requests (shutdown). */
  readonly signal?: AbortSignal;
}

export interface HfSource {
  /**
   * One list day (YYYY-MM-DD, UTC). Resolves to the validated, sorted list or to 'not-yet'.
   * Throws HfSourceError (one source), HfSourcesFailedError (API and page both failed in 'auto'),
   * RangeError for a malformed day.
   */
  fetchDay(day: string, options?: HfFetchDayOptions): Promise<HfDayResult>;
}

export interface HfSourceDeps {
  readonly http: HttpClient;
  /** e.g. https://huggingface.co (HF_BASE_URL); the API and the pages live under it. */
  readonly baseUrl: string;
  readonly logger: Logger;
}

export function createHfSource({ http, baseUrl, logger }: HfSourceDeps): HfSource {
  async function fetchDay(day: string, options: HfFetchDayOptions = {}): Promise<HfDayResult> {
    const via = options.via ?? 'auto';
    const fetchOptions = { logger, signal: options.signal };
    if (via === 'api') return fetchApiDay(http, baseUrl, day, fetchOptions);
    if (via === 'page') return fetchPageDay(http, baseUrl, day, fetchOptions);
    try {
      return await fetchApiDay(http, baseUrl, day, fetchOptions);
    } catch (apiError) {
      // A rate limit is per IP across API and pages: asking the page now would only dig the hole deeper.
      if (!(apiError instanceof HfSourceError) || apiError.kind === 'rate-limited') throw apiError;
      // An expected outage, not a bug: the reason and URL, no stack.
      logger.warn(
        { day, kind: apiError.kind, reason: apiError.message },
        'HF API failed; falling back to the HTML page',
      );
      try {
        return await fetchPageDay(http, baseUrl, day, fetchOptions);
      } catch (pageError) {
        if (!(pageError instanceof HfSourceError)) throw pageError;
        throw new HfSourcesFailedError(day, apiError, pageError);
      }
    }
  }
  return { fetchDay };
}
