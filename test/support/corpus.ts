import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importFile } from '../../src/ingest/import-file.js';
import type { Db } from '../../src/store/database.js';
import { createIngestLog } from '../../src/store/ingest-log.js';
import { createPaperStore } from '../../src/store/paper-store.js';

/**
 * The real corpus (9,581 daily-list items) lives in ../shared beside the project, not in the repository.
 * A fresh clone has no ../shared: tests over the corpus are skipped then, with this reason printed.
 */
const CANDIDATE = fileURLToPath(
  new URL('../../../shared/fixtures/corpus/hf-daily-papers_2024-05-27_2026-08-21.jsonl.gz', import.meta.url),
);

export const CORPUS_PATH: string | null = existsSync(CANDIDATE) ? CANDIDATE : null;

export const CORPUS_SKIP_REASON = `the corpus is not at ${CANDIDATE} (../shared is absent in a fresh clone); corpus tests skipped`;

/** Warns once per file that corpus tests are skipped, so a skip is never silent. */
export function warnIfCorpusMissing(): void {
  if (CORPUS_PATH === null) {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED: ${CORPUS_SKIP_REASON}`);
  }
}

/** Imports the corpus through the real import path (as `paperboy import --file` does). Returns papers stored. */
export async function loadCorpus(db: Db, now = new Date('2026-08-22T12:00:00.000Z')): Promise<number> {
  if (CORPUS_PATH === null) throw new Error(CORPUS_SKIP_REASON);
  const papers = createPaperStore(db);
  await importFile({ papers, ingestLog: createIngestLog(db), clock: { now: () => now } }, CORPUS_PATH);
  return papers.count();
}
