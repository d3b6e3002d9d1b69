import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { UserFacingError } from '../errors.js';
import { isIsoDay, type ListedPaper } from '../papers/paper.js';
import {
  describeZodIssues,
  hfDailyItemSchema,
  HfSourceError,
  mapDailyItems,
  parseApiResponse,
  parseJsonText,
  parsePage,
} from '../sources/index.js';
import type { IngestLog } from '../store/ingest-log.js';
import type { PaperStore } from '../store/paper-store.js';

export type ImportFormat = 'api-response' | 'page' | 'corpus';

export interface ImportResult {
  readonly format: ImportFormat;
  /** List days found, oldest first. */
  readonly days: readonly string[];
  /** Items read (a paper on two days counts twice). */
  readonly items: number;
  readonly inserted: number;
  readonly updated: number;
}

export interface ImportDeps {
  readonly papers: PaperStore;
  readonly ingestLog: IngestLog;
  readonly clock: Clock;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const corpusLineSchema = z.object({
  listDate: z.string().refine(isIsoDay, 'listDate must be YYYY-MM-DD'),
  item: hfDailyItemSchema,
});
const DAY_IN_NAME = /(\d{4}-\d{2}-\d{2})/;
const MAX_LINE_ERRORS_SHOWN = 5;
/** Stands in for a day nobody gave, so that a list whose items carry their own day still imports. */
const UNKNOWN_DAY = '1970-01-01';

/**
 * Imports a saved `/api/daily_papers` response, a saved list page, or the corpus (JSON lines of
 * `{listDate, item}`, optionally gzipped), detected by content rather than by name. The whole file is validated
 * before anything is stored, so a bad file changes nothing; then each list day is stored in its own transaction
 * and logged like an ingest from source 'file'.
 */
export async function importFile(
  deps: ImportDeps,
  path: string,
  options: { date?: string } = {},
): Promise<ImportResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserFacingError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { format, listed } = parseFile(bytes, path, options.date);
  const byDay = new Map<string, ListedPaper[]>();
  for (const entry of listed) {
    const group = byDay.get(entry.listDay);
    if (group === undefined) byDay.set(entry.listDay, [entry]);
    else group.push(entry);
  }
  const days = [...byDay.keys()].sort();
  let inserted = 0;
  let updated = 0;
  for (const day of days) {
    const entries = byDay.get(day) ?? [];
    const startedAt = deps.clock.now().toISOString();
    const result = deps.papers.upsertListed(entries, deps.clock.now());
    inserted += result.inserted;
    updated += result.updated;
    deps.ingestLog.record({
      listDay: day,
      source: 'file',
      outcome: 'ok',
      paperCount: entries.length,
      newCount: result.inserted,
      error: null,
      startedAt,
      finishedAt: deps.clock.now().toISOString(),
    });
  }
  return { format, days, items: listed.length, inserted, updated };
}

/** Detects the format and parses the whole file. Upstream-data problems become UserFacingErrors naming the file. */
export function parseFile(
  bytes: Buffer,
  path: string,
  date: string | undefined,
): { format: ImportFormat; listed: ListedPaper[] } {
  try {
    return parseByContent(bytes, path, date);
  } catch (error) {
    if (error instanceof HfSourceError) throw new UserFacingError(`${path}: ${error.detail}. Nothing was imported.`);
    throw error;
  }
}

function parseByContent(
  bytes: Buffer,
  path: string,
  date: string | undefined,
): { format: ImportFormat; listed: ListedPaper[] } {
  const gzipped = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  let text: string;
  try {
    text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    throw new UserFacingError(`${path} looks gzipped but cannot be decompressed: is it truncated?`);
  }
  const start = text.trimStart();
  const url = `file:${path}`;
  const day = date ?? dayFromName(path);
  const needDay = (what: string) =>
    new UserFacingError(
      `${path} is ${what}, but neither it, its name nor --date says which list day it is: add --date YYYY-MM-DD.`,
    );
  if (start.startsWith('<')) {
    // A page normally names its own day in its props; only a cards-only page needs one from outside.
    const parsed = parsePage(text, day ?? UNKNOWN_DAY, url);
    if (parsed.papers.some((entry) => entry.listDay === UNKNOWN_DAY)) throw needDay('a saved list page');
    return { format: 'page', listed: parsed.papers };
  }
  if (start.startsWith('[')) {
    const json = parseJsonText(text, url, 'saved API response');
    const listed = parseApiResponse(json, day ?? UNKNOWN_DAY, url);
    if (listed.some((entry) => entry.listDay === UNKNOWN_DAY)) throw needDay('a saved API response');
    return { format: 'api-response', listed };
  }
  if (start.startsWith('{')) return { format: 'corpus', listed: parseCorpus(text, path) };
  throw new UserFacingError(
    `${path} is not something paperboy can import: expected a saved API response (JSON array), a saved list page (HTML) or the corpus (JSON lines, optionally .gz).`,
  );
}

function parseCorpus(text: string, path: string): ListedPaper[] {
  const problems: string[] = [];
  const listed: ListedPaper[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`line ${String(index + 1)}: not valid JSON`);
      continue;
    }
    const parsed = corpusLineSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(`line ${String(index + 1)}: ${describeZodIssues(parsed.error.issues)}`);
      continue;
    }
    listed.push(...mapDailyItems([parsed.data.item], parsed.data.listDate, `file:${path}#${String(index + 1)}`));
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_LINE_ERRORS_SHOWN).map((problem) => `  ${problem}`);
    const more = problems.length > shown.length ? `\n  ...and ${String(problems.length - shown.length)} more` : '';
    throw new UserFacingError(
      `${path}: ${String(problems.length)} bad lines, nothing imported:\n${shown.join('\n')}${more}`,
    );
  }
  return listed;
}

function dayFromName(path: string): string | null {
  const match = DAY_IN_NAME.exec(basename(path));
  return match?.[1] !== undefined && isIsoDay(match[1]) ? match[1] : null;
}
