import type { Logger } from 'pino';
import type { ListedPaper } from '../papers/paper.js';
import { unexpectedStatusError, type HttpClient } from './http.js';
import {
  assertIsoDay,
  mapDailyItems,
  parseDailyItems,
  parseJsonText,
  validateDailyItems,
  type HfDailyItem,
  type HfDayResult,
  type ParseOptions,
} from './hf-schema.js';

/** HF's largest accepted page size for /api/daily_papers (its default is 50). */
export const API_PAGE_LIMIT = 100;
/** A real day has well under 100 papers; this only stops a runaway loop. */
export const API_MAX_PAGES = 10;

export interface FetchDayOptions {
  readonly logger?: Logger | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** `{base}/api/daily_papers?date=D&limit=100&p=N` */
export function apiDayUrl(baseUrl: string, day: string, page: number, limit = API_PAGE_LIMIT): string {
  return `${trimBase(baseUrl)}/api/daily_papers?date=${day}&limit=${String(limit)}&p=${String(page)}`;
}

/**
 * Fetches one day's list from the JSON API, every page of it, and validates all of it before returning anything.
 * A 400 on the first page is HF's answer for a day whose list is not open yet: `{ kind: 'not-yet' }`.
 * Throws HfSourceError ('http-status', 'network', 'timeout', 'rate-limited', 'invalid-json', 'schema').
 */
export async function fetchApiDay(
  http: HttpClient,
  baseUrl: string,
  day: string,
  options: FetchDayOptions = {},
): Promise<HfDayResult> {
  assertIsoDay(day);
  const firstUrl = apiDayUrl(baseUrl, day, 0);
  const items: HfDailyItem[] = [];
  const seenIds = new Set<string>();
  for (let page = 0; page < API_MAX_PAGES; page += 1) {
    const url = apiDayUrl(baseUrl, day, page);
    const response = await http.get(url, { accept: 'application/json', signal: options.signal });
    if (response.status === 400) {
      if (page === 0) return { kind: 'not-yet', day, url };
      // A page past the end answered 400 rather than []: the list is complete.
      options.logger?.warn({ url, day, page }, 'HF API answered 400 for a later page; treating the list as complete');
      break;
    }
    if (response.status < 200 || response.status >= 300) throw unexpectedStatusError(response);
    const json = parseJsonText(response.body, url, 'API response');
    // Each page is validated on its own so that an error names the page's URL and the item index within it;
    // nothing is returned unless every page passed.
    const pageItems = validateDailyItems(json, url, 'API response');
    const newIds = pageItems.filter((item) => !seenIds.has(item.paper.id));
    for (const item of pageItems) seenIds.add(item.paper.id);
    items.push(...pageItems);
    if (pageItems.length < API_PAGE_LIMIT) break;
    if (newIds.length === 0) {
      options.logger?.warn({ url, day, page }, 'HF API repeated a page (paging ignored?); stopping');
      break;
    }
    if (page === API_MAX_PAGES - 1) {
      options.logger?.warn({ url, day, pages: API_MAX_PAGES }, 'HF API list longer than the page cap; truncated');
    }
  }
  const papers = mapDailyItems(items, day, firstUrl, { logger: options.logger });
  return { kind: 'list', day, source: 'api', url: firstUrl, papers };
}

/**
 * Validates and maps a whole `/api/daily_papers` response (an array of items): for the CLI's import of a saved
 * response too. Throws HfSourceError 'schema' naming the item and field; returns papers sorted by upvotes.
 */
export function parseApiResponse(
  json: unknown,
  requestedDay: string,
  url: string,
  options: ParseOptions = {},
): ListedPaper[] {
  return parseDailyItems(json, requestedDay, url, 'API response', options);
}

export function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/u, '');
}
