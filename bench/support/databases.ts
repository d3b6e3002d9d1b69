import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importFile, parseFile } from '../../src/ingest/import-file.js';
import { addDays, type ListedPaper, type Paper } from '../../src/papers/paper.js';
import type { Db } from '../../src/store/database.js';
import { createIngestLog } from '../../src/store/ingest-log.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { CORPUS_PATH, CORPUS_SKIP_REASON } from '../../test/support/corpus.js';
import { progress } from './report.js';
import { seededRandom, since } from './stats.js';

/**
 * The benchmark stores: the real corpus (9,577 papers), and stores of 100k and 300k papers made of the corpus
 * replicated. Each replica r (1, 2, ...) of a paper has:
 * - a distinct id: the arXiv year digits 24-26 replaced by 30-32 in replica 1, 33-35 in replica 2 and so on
 *   (2405.15738 -> 3005.15738 in replica 1; three digits from replica 24 on);
 * - perturbed text: each word of the title and abstract replaced, with probability 15%, by a word drawn from
 *   the corpus's own titles or abstracts (so word frequencies keep their shape), and 2% of abstract words
 *   turned into new words (a suffix per replica: the vocabulary grows with the store, as it does for real);
 *   30% of AI keywords swapped for other corpus keywords; half the authors re-made from a random first name
 *   and a random surname of the corpus; 10% of organisations swapped; upvotes scaled by 0.5-1.5;
 * - list days moved back in time by r x the corpus's span (818 days), so the store reads as decades of
 *   Daily Papers at the corpus's own daily rate, the real corpus being the newest part. Replicas are stored
 *   oldest first and the real corpus last, so rowids grow with list days as they do in a live store.
 * The real corpus goes in through importFile (the `paperboy import` path); replicas through
 * PaperStore.upsertListed, one list day at a time, many days per transaction, without journal or syncs, and their
 * full-text index in one FTS5 'rebuild' pass (not 'optimize'd: segments are left as the build made them).
 */
export const GENERATOR_VERSION = 1;
export const STORE_SIZES = { corpus: 0, '100k': 100_000, '300k': 300_000 } as const;
export type StoreName = keyof typeof STORE_SIZES;

export const CACHE_DIR = join(tmpdir(), 'paperboy-bench-cache');
const NOW = new Date('2026-08-22T06:00:00.000Z');
const TITLE_SWAP = 0.15;
const ABSTRACT_SWAP = 0.15;
const NEW_WORD = 0.02;
const KEYWORD_SWAP = 0.3;
const AUTHOR_REMAKE = 0.5;
const ORG_SWAP = 0.1;
const PAPERS_PER_TRANSACTION = 20_000;

export function corpusPath(): string {
  if (CORPUS_PATH === null) throw new Error(CORPUS_SKIP_REASON);
  return CORPUS_PATH;
}

let corpusItems: ListedPaper[] | null = null;
/** The corpus's list items, parsed and validated as importFile does (9,581 items, 9,577 papers). */
export function loadCorpusItems(): ListedPaper[] {
  corpusItems ??= parseFile(readFileSync(corpusPath()), corpusPath(), undefined).listed;
  return corpusItems;
}

function cacheKey(name: StoreName): string {
  const stat = statSync(corpusPath());
  // The schema as written (a migration edited in place changes it too), the generator, the corpus file.
  const schema = createHash('sha256').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 10);
  return `papers-${name}-g${String(GENERATOR_VERSION)}-s${schema}-c${String(stat.size)}.db`;
}

/**
 * The path of the cached store (built on first use). Treat it as read-only: copy it (copyStore) before writing.
 */
export async function cachedStore(name: StoreName): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, cacheKey(name));
  if (existsSync(path)) return path;
  // Per process: two benchmark runs building the same store at once each finish their own, and the last rename wins.
  const partial = `${path}.${String(process.pid)}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  const start = performance.now();
  progress(`building the ${name} store in ${partial} (cached for later runs)`);
  const count = await buildStore(partial, STORE_SIZES[name]);
  renameSync(partial, path);
  progress(`${name} store: ${String(count)} papers in ${(since(start) / 1000).toFixed(1)} s`);
  return path;
}

/** A writable copy of a cached store, in `dir`. */
export function copyStore(source: string, dir: string, fileName = 'paperboy.db'): string {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, fileName);
  copyFileSync(source, target);
  return target;
}

async function buildStore(path: string, size: number): Promise<number> {
  // The schema of openDatabase (migrate), without a journal or syncs while building; WAL mode afterwards.
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('foreign_keys = ON');
  migrate(db);
  try {
    const items = loadCorpusItems();
    const unique = new Set(items.map((item) => item.paper.id)).size;
    if (size > unique) {
      // Tokenizing is most of the cost: the full-text index is built in one pass after the rows (FTS5's
      // 'rebuild', about twice as fast as the triggers row by row), then the triggers are put back.
      const triggers = db
        .prepare<[], { name: string; sql: string }>(
          "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'papers'",
        )
        .all();
      for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
      insertReplicas(db, items, size - unique);
      progress('  building the full-text index');
      db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')");
      for (const trigger of triggers) db.exec(trigger.sql);
    }
    const papers = createPaperStore(db);
    await importFile({ papers, ingestLog: createIngestLog(db), clock: { now: () => NOW } }, corpusPath());
    return papers.count();
  } finally {
    db.pragma('journal_mode = WAL');
    db.close();
  }
}

interface Pools {
  readonly titleWords: string[];
  readonly abstractWords: string[];
  readonly keywords: string[];
  readonly firstNames: string[];
  readonly surnames: string[];
  readonly orgs: Paper['organization'][];
}

function poolsOf(items: readonly ListedPaper[]): Pools {
  const pools: Pools = { titleWords: [], abstractWords: [], keywords: [], firstNames: [], surnames: [], orgs: [] };
  for (const { paper } of items) {
    pools.titleWords.push(...paper.title.split(' ').filter(Boolean));
    pools.abstractWords.push(...paper.abstract.split(' ').filter(Boolean));
    pools.keywords.push(...paper.aiKeywords);
    for (const name of paper.authors) {
      const space = name.lastIndexOf(' ');
      if (space <= 0) continue;
      pools.firstNames.push(name.slice(0, space));
      pools.surnames.push(name.slice(space + 1));
    }
    if (paper.organization !== null) pools.orgs.push(paper.organization);
  }
  return pools;
}

/** Replica r's id: the arXiv year digits become 30 + r, so no replica id is a real (or another replica's) id. */
export function replicaId(id: string, replica: number): string {
  const year = /^(\d{2})\d{2}\./.exec(id)?.[1];
  const offset = year === undefined ? -1 : Number(year) - 24;
  if (offset < 0 || offset > 2) return `r${String(replica)}-${id}`;
  return `${String(30 + 3 * (replica - 1) + offset)}${id.slice(2)}`;
}

function draw<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function perturbWords(
  text: string,
  random: () => number,
  pool: readonly string[],
  swap: number,
  newWord: number,
  suffix: string,
): string {
  if (text === '') return text;
  const words = text.split(' ');
  for (let i = 0; i < words.length; i += 1) {
    const roll = random();
    if (roll < swap) words[i] = draw(random, pool);
    else if (roll < swap + newWord) words[i] = `${words[i] ?? ''}${suffix}`;
  }
  return words.join(' ');
}

function replicaSuffix(replica: number): string {
  let suffix = '';
  for (let n = replica; n > 0; n = Math.floor((n - 1) / 26)) suffix = String.fromCharCode(97 + ((n - 1) % 26)) + suffix;
  return `x${suffix}`;
}

export function perturbPaper(paper: Paper, replica: number, random: () => number, pools: Pools): Paper {
  const suffix = replicaSuffix(replica);
  return {
    ...paper,
    id: replicaId(paper.id, replica),
    title: perturbWords(paper.title, random, pools.titleWords, TITLE_SWAP, 0, suffix),
    abstract: perturbWords(paper.abstract, random, pools.abstractWords, ABSTRACT_SWAP, NEW_WORD, suffix),
    aiKeywords: paper.aiKeywords.map((keyword) => (random() < KEYWORD_SWAP ? draw(random, pools.keywords) : keyword)),
    authors: paper.authors.map((name) =>
      random() < AUTHOR_REMAKE ? `${draw(random, pools.firstNames)} ${draw(random, pools.surnames)}` : name,
    ),
    organization: random() < ORG_SWAP && pools.orgs.length > 0 ? draw(random, pools.orgs) : paper.organization,
    upvotes: Math.round(paper.upvotes * (0.5 + random())),
  };
}

/** The corpus's span in days (first to last list day, inclusive): replicas are shifted by multiples of it. */
export function corpusSpanDays(items: readonly ListedPaper[]): number {
  const days = items.map((item) => item.listDay).sort();
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) return 1;
  return Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000) + 1;
}

function insertReplicas(db: Db, items: readonly ListedPaper[], wanted: number): void {
  const pools = poolsOf(items);
  const span = corpusSpanDays(items);
  const unique = new Set(items.map((item) => item.paper.id)).size;
  const replicas = Math.ceil(wanted / unique);
  const papers = createPaperStore(db);
  // Newest items first, so that a partial (the oldest) replica keeps the newest part of its span.
  const newestFirst = [...items].sort((a, b) => (a.listDay < b.listDay ? 1 : a.listDay > b.listDay ? -1 : 0));
  let pending: ListedPaper[] = [];
  const flush = db.transaction((batch: readonly ListedPaper[]) => {
    let day: string | null = null;
    let group: ListedPaper[] = [];
    for (const entry of batch) {
      if (entry.listDay !== day && group.length > 0) {
        papers.upsertListed(group, NOW);
        group = [];
      }
      day = entry.listDay;
      group.push(entry);
    }
    if (group.length > 0) papers.upsertListed(group, NOW);
  });
  for (let replica = replicas; replica >= 1; replica -= 1) {
    const random = seededRandom(0x5eed + replica);
    const quota = replica === replicas ? wanted - unique * (replicas - 1) : unique;
    const ids = new Set<string>();
    const chosen: ListedPaper[] = [];
    for (const item of newestFirst) {
      if (!ids.has(item.paper.id) && ids.size >= quota) continue;
      ids.add(item.paper.id);
      chosen.push(item);
    }
    const shifted = new Map<string, string>();
    const perturbed = new Map<string, Paper>();
    const entries = chosen.reverse().map((item) => {
      let day = shifted.get(item.listDay);
      if (day === undefined) {
        day = addDays(item.listDay, -replica * span);
        shifted.set(item.listDay, day);
      }
      // A paper listed on two days gets the same perturbed text both times.
      let paper = perturbed.get(item.paper.id);
      if (paper === undefined) {
        paper = perturbPaper(item.paper, replica, random, pools);
        perturbed.set(item.paper.id, paper);
      }
      return { listDay: day, paper };
    });
    for (const entry of entries) {
      pending.push(entry);
      if (pending.length >= PAPERS_PER_TRANSACTION) {
        flush(pending);
        pending = [];
      }
    }
    progress(`  replica ${String(replica)}: ${String(ids.size)} papers`);
  }
  if (pending.length > 0) flush(pending);
}

/** The stores a benchmark runs on: its defaults, or those of BENCH_STORES (e.g. `BENCH_STORES=corpus`) among them. */
export function benchStores(defaults: readonly StoreName[]): StoreName[] {
  const wanted = process.env.BENCH_STORES?.split(',').map((name) => name.trim());
  if (wanted === undefined || wanted.length === 0) return [...defaults];
  return defaults.filter((name) => wanted.includes(name));
}
