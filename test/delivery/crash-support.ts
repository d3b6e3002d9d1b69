/**
 * Support for the crash tests: a seeded PRNG, a real `kill -9` of the bot process, and read-only looks at the
 * bot's database and at what the fake Discord received.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ChildBot } from '../support/child-bot.js';
import type { FakeMessage, RecordedRequest } from '../support/fake-discord/index.js';

export { seededRandom } from '../support/random.js';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than null, or throws after `timeoutMs` with `describe()`. */
export async function pollUntil<T>(
  check: () => T | null,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${String(timeoutMs)} ms: ${describe()}`);
    await sleep(intervalMs);
  }
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** `kill -9` of the bot (one process: node with tsx's loader), returning once it is gone. */
export async function killHard(bot: ChildBot): Promise<{ exit: number | string }> {
  const pid = bot.child.pid;
  if (pid === undefined) throw new Error('the bot process has no pid');
  bot.child.kill('SIGKILL');
  const exit = await bot.exited;
  await pollUntil(
    () => (isAlive(pid) ? null : true),
    5_000,
    () => `process ${String(pid)} still alive after SIGKILL`,
  );
  return { exit };
}

/** SIGTERM to the bot, and its exit code. */
export async function stopGracefully(bot: ChildBot): Promise<number | string> {
  bot.child.kill('SIGTERM');
  return bot.exited;
}

/** Runs `read` on a fresh read-only connection to the bot's database (WAL: safe while the bot writes). */
export function readDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return read(db);
  } finally {
    db.close();
  }
}

export interface OutboxRow {
  readonly channel_id: string;
  readonly list_day: string;
  readonly delivery_id: number;
  readonly status: string;
  readonly part: number;
  readonly state: string;
  readonly paper_ids: string;
  readonly thread_name: string | null;
  readonly message_id: string | null;
  readonly thread_id: string | null;
}

export function outboxRows(path: string): OutboxRow[] {
  return readDb(path, (db) =>
    db
      .prepare<[], OutboxRow>(
        `SELECT d.channel_id, d.list_day, d.id AS delivery_id, d.status, o.part, o.state, o.paper_ids, o.thread_name,
           o.message_id, o.thread_id
         FROM deliveries d JOIN outbox o ON o.delivery_id = d.id ORDER BY d.channel_id, d.list_day, o.part`,
      )
      .all(),
  );
}

/** Deliveries recorded, those fully sent (threads included), and outbox parts not finished. */
export function progress(path: string): { deliveries: number; sent: number; openParts: number } {
  return readDb(path, (db) => {
    const row = db
      .prepare<[], { deliveries: number; sent: number; openParts: number }>(
        `SELECT (SELECT count(*) FROM deliveries) AS deliveries,
           (SELECT count(*) FROM deliveries WHERE status = 'sent') AS sent,
           (SELECT count(*) FROM outbox WHERE state != 'sent' OR (thread_name IS NOT NULL AND thread_id IS NULL))
             AS openParts`,
      )
      .get();
    return row ?? { deliveries: 0, sent: 0, openParts: 0 };
  });
}

/** The paper ids a channel's messages link to (embed urls `.../papers/<id>`), in order. */
export function postedIds(messages: readonly FakeMessage[]): string[] {
  return messages.flatMap((message) =>
    message.embeds.map((embed) => /\/papers\/([^/?#]+)$/u.exec(String(embed.url))?.[1] ?? `?${String(embed.url)}`),
  );
}

export function duplicatesOf(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}

const MESSAGE_POST = /^\/channels\/\d+\/messages$/u;
const THREAD_POST = /^\/channels\/\d+\/messages\/\d+\/threads$/u;

export function isMessagePost(request: RecordedRequest): boolean {
  return request.method === 'POST' && MESSAGE_POST.test(request.path);
}

export function isThreadPost(request: RecordedRequest): boolean {
  return request.method === 'POST' && THREAD_POST.test(request.path);
}

function responseField(request: RecordedRequest, field: string): unknown {
  const body = request.responseBody;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
}

/**
 * What the message requests tell. A nonce "resend" is a request Discord handled (200) for a nonce it had already
 * handled: the bot's resend after a crash, or a request of the dead process answered after the new one. Each must
 * have been answered with the earlier message (nonce dedupe). Retries after a 429 are not counted: the first try
 * never reached the handler.
 */
export function nonceFigures(requests: readonly RecordedRequest[]): {
  posts: number;
  created: number;
  nonceResends: number;
  dedupedByNonce: number;
  withoutNonce: number;
} {
  const posts = requests.filter(isMessagePost);
  const handled = posts
    .filter((request) => request.status === 200)
    .sort((a, b) => (a.answeredAt ?? 0) - (b.answeredAt ?? 0) || a.seq - b.seq);
  const firstIdByNonce = new Map<string, string>();
  const ids = new Set<string>();
  let nonceResends = 0;
  let dedupedByNonce = 0;
  for (const request of handled) {
    const body = request.body as { nonce?: unknown } | undefined;
    const key = `${request.path} ${String(body?.nonce)}`;
    const id = String(responseField(request, 'id'));
    const first = firstIdByNonce.get(key);
    if (first === undefined) firstIdByNonce.set(key, id);
    else {
      nonceResends += 1;
      if (first === id) dedupedByNonce += 1;
    }
    ids.add(id);
  }
  const withoutNonce = posts.filter((request) => {
    const body = request.body as { nonce?: unknown; enforce_nonce?: unknown } | undefined;
    return typeof body?.nonce !== 'string' || body.enforce_nonce !== true;
  }).length;
  return { posts: posts.length, created: ids.size, nonceResends, dedupedByNonce, withoutNonce };
}

/** Discord error code of an answer, if any. */
export function errorCode(request: RecordedRequest): unknown {
  return responseField(request, 'code');
}
