import type { Clock } from '../clock.js';
import type { IngestLog } from '../store/ingest-log.js';
import type { PaperStore } from '../store/paper-store.js';

/** What interaction handlers may use. Built once in the composition root and passed to the dispatcher. */
export interface BotServices {
  readonly papers: PaperStore;
  readonly ingestLog: IngestLog;
  readonly clock: Clock;
}
