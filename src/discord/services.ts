import type { Clock } from '../clock.js';
import type { SearchService } from '../search/index.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import type { IngestLog } from '../store/ingest-log.js';
import type { PaperStore } from '../store/paper-store.js';
import type { SearchSessions } from '../store/search-sessions.js';
import type { SubscriptionStore } from '../store/subscription-store.js';

/** What interaction handlers may use. Built once in the composition root and passed to the dispatcher. */
export interface BotServices {
  readonly papers: PaperStore;
  readonly ingestLog: IngestLog;
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly search: SearchService;
  readonly searchSessions: SearchSessions;
  readonly clock: Clock;
  readonly hfBaseUrl: string;
}
