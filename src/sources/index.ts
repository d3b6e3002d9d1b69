export {
  describeZodIssues,
  HfSourceError,
  HfSourcesFailedError,
  isHfSourceError,
  type HfSourceErrorDetails,
  type HfSourceErrorKind,
} from './errors.js';
export {
  createHttpClient,
  DEFAULT_USER_AGENT,
  parseRateLimitHeader,
  parseRetryAfter,
  rateLimitWaitMs,
  unexpectedStatusError,
  type HttpClient,
  type HttpClientOptions,
  type HttpRequestOptions,
  type HttpResponse,
} from './http.js';
export {
  hfDailyItemSchema,
  hfDailyListSchema,
  hfPaperSchema,
  mapDailyItems,
  parseDailyItems,
  parseJsonText,
  sortListedPapers,
  toListedPaper,
  validateDailyItems,
  type HfDailyItem,
  type HfDayResult,
  type HfListSource,
  type ParseOptions,
} from './hf-schema.js';
export {
  API_MAX_PAGES,
  API_PAGE_LIMIT,
  apiDayUrl,
  fetchApiDay,
  parseApiResponse,
  type FetchDayOptions,
} from './hf-api.js';
export { fetchPageDay, pageDayUrl, parsePage, type ParsedPage } from './hf-page.js';
export {
  createHfSource,
  type HfFetchDayOptions,
  type HfFetchVia,
  type HfSource,
  type HfSourceDeps,
} from './hf-source.js';
