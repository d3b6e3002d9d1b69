/**
 * One ingest measurement in a fresh process (so that its peak RSS is its own):
 *   import <db>  the corpus through importFile into a fresh store (what `paperboy import --file` does)
 *   parse        the same file read, decompressed, parsed and validated, nothing stored
 *   plain <db>   baseline: the file decompressed and JSON-parsed without validation, the papers inserted with one
 *                prepared INSERT into a bare table (no full-text index, no other index), one transaction
 * Prints one JSON line: { papers, ms, rssMb, peakMb }.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { importFile, parseFile } from '../../src/ingest/import-file.js';
import { openDatabase } from '../../src/store/database.js';
import { createIngestLog } from '../../src/store/ingest-log.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { CORPUS_PATH } from '../../test/support/corpus.js';
import { procMemory } from './machine.js';

const [mode, dbPath] = process.argv.slice(2);
if (CORPUS_PATH === null) throw new Error('no corpus');
const corpus = CORPUS_PATH;
const start = performance.now();
let papers: number;
if (mode === 'import' && dbPath !== undefined) {
  const db = openDatabase(dbPath);
  const store = createPaperStore(db);
  await importFile({ papers: store, ingestLog: createIngestLog(db), clock: { now: () => new Date() } }, corpus);
  papers = store.count();
  db.close();
} else if (mode === 'parse') {
  papers = new Set(parseFile(readFileSync(corpus), corpus, undefined).listed.map((l) => l.paper.id)).size;
} else if (mode === 'plain' && dbPath !== undefined) {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE papers (id TEXT PRIMARY KEY, day TEXT, title TEXT, abstract TEXT, authors TEXT, upvotes INTEGER)',
  );
  const insert = db.prepare('INSERT OR IGNORE INTO papers VALUES (?, ?, ?, ?, ?, ?)');
  interface Line {
    listDate: string;
    item: { paper: { id: string; title: string; summary?: string; upvotes?: number; authors?: { name: string }[] } };
  }
  const lines = gunzipSync(readFileSync(corpus)).toString('utf8').split('\n');
  db.transaction(() => {
    for (const line of lines) {
      if (line.trim() === '') continue;
      const { listDate, item } = JSON.parse(line) as Line;
      const p = item.paper;
      const names = JSON.stringify((p.authors ?? []).map((a) => a.name));
      insert.run(p.id, listDate, p.title, p.summary ?? '', names, p.upvotes ?? 0);
    }
  })();
  papers = (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  db.close();
} else {
  throw new Error(`usage: ingest-child import|parse|plain <db>`);
}
const elapsed = performance.now() - start;
const memory = procMemory();
console.log(JSON.stringify({ papers, ms: elapsed, rssMb: memory.rssMb, peakMb: memory.peakMb }));
