import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from './clock.js';
import type { IngestDeps } from './jobs/ingest.js';
import { createHfSource, createHttpClient, DEFAULT_USER_AGENT, type HfSource } from './sources/index.js';
import { openDatabase, type Db } from './store/database.js';
import { createIngestLog, type IngestLog } from './store/ingest-log.js';
import { createPaperStore, type PaperStore } from './store/paper-store.js';
import { createSearchService, type SearchService } from './search/index.js';
import { createCandidateMatcher, type CandidateMatcher } from './search/candidate-index.js';
import { createDeliveryStore, type DeliveryStore } from './store/delivery-store.js';
import { createSubscriptionStore, type SubscriptionStore } from './store/subscription-store.js';

export interface HfHttpSettings {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRateLimitWaitMs: number;
}

/** HTTP settings for Hugging Face: patient enough for a slow day, bounded so a job never hangs. */
export const HF_HTTP_DEFAULTS: HfHttpSettings = {
  timeoutMs: 15_000,
  maxRetries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 5 * 60_000,
};

export interface AppOverrides {
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  readonly http?: Partial<HfHttpSettings>;
}

/** The parts every entry point shares: the store, the HF source, the clock. Discord is added by the bot. */
export interface App extends IngestDeps {
  readonly config: Config;
  readonly db: Db;
  readonly papers: PaperStore;
  readonly ingestLog: IngestLog;
  readonly source: HfSource;
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly search: SearchService;
  /** Topic matching over a few papers held apart (the planner's list days). */
  readonly matcherFor: (paperIds: readonly string[]) => CandidateMatcher;
  close(): void;
}

export function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): App {
  const db = openDatabase(config.databasePath);
  const http = createHttpClient({
    ...HF_HTTP_DEFAULTS,
    ...overrides.http,
    ...(overrides.fetch === undefined ? {} : { fetch: overrides.fetch }),
    userAgent: DEFAULT_USER_AGENT,
    token: config.hf.token,
    logger: logger.child({ component: 'hf-http' }),
  });
  return {
    config,
    db,
    papers: createPaperStore(db),
    ingestLog: createIngestLog(db),
    subscriptions: createSubscriptionStore(db),
    deliveries: createDeliveryStore(db),
    search: createSearchService(db),
    matcherFor: (paperIds) => createCandidateMatcher(db, paperIds),
    source: createHfSource({ http, baseUrl: config.hf.baseUrl, logger: logger.child({ component: 'hf-source' }) }),
    clock: overrides.clock ?? systemClock,
    logger,
    close: () => {
      db.close();
    },
  };
}
