import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import type { DeliveryMode } from './subscription-store.js';

/** One message of a delivery, rendered when the delivery was planned. */
export interface OutboxPart {
  readonly deliveryId: number;
  readonly part: number;
  /** The message body as sent to Discord (JSON), without the nonce. */
  readonly body: unknown;
  readonly paperIds: readonly string[];
  /** Thread mode: the thread to open on this message. */
  readonly threadName: string | null;
  readonly state: 'pending' | 'in-flight' | 'sent';
  /** When the send was last started ('in-flight' since then). */
  readonly attemptAt: string | null;
  readonly messageId: string | null;
  readonly threadId: string | null;
}

export interface Delivery {
  readonly id: number;
  readonly channelId: string;
  readonly listDay: string;
  readonly mode: DeliveryMode;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly plannedAt: string;
  readonly attempts: number;
  readonly lastError: string | null;
  /** Failures that may pass, so far; the delivery is not tried before `retryAfter`. */
  readonly failures: number;
  readonly retryAfter: string | null;
  readonly parts: readonly OutboxPart[];
}

export interface PlannedPart {
  readonly body: unknown;
  readonly paperIds: readonly string[];
  readonly threadName: string | null;
}

export interface PlanInput {
  readonly channelId: string;
  readonly listDay: string;
  readonly mode: DeliveryMode;
  readonly parts: readonly PlannedPart[];
  readonly now: Date;
}

/**
 * Records a delivery of `listDay` to a channel with its outbox and the papers it posts. Returns its id, or null when
 * that channel already has a delivery for that day. Moving the channel's cursor is the caller's, in the same
 * transaction: the planner relies on every delivery of a channel being of a day up to its cursor (it advances the
 * channel in the same batch).
 */
export type PlanDelivery = (input: PlanInput) => number | null;

/**
 * Thrown by `savepoint` when the statement that failed made SQLite roll back the whole transaction (a full disk,
 * for one), not only the savepoint: everything the batch had written is gone, and what runs next would not be in it.
 */
export class TransactionLostError extends Error {
  constructor(options: ErrorOptions) {
    super('the database rolled the whole transaction back', options);
  }
}

export interface DeliveryStore {
  /** Records one delivery in its own transaction (not inside a batch: use the batch's `plan` there). */
  plan: PlanDelivery;
  /**
   * Runs `fn` in one transaction (other stores' writes inside it join it), giving it a `plan` that looks each
   * distinct embed up once: the planner records thousands of deliveries sharing a day's embeds. Whatever throws out
   * of `fn` rolls the whole batch back; a `plan` that throws may have written part of its delivery, so let it
   * throw out of the batch or call it inside `savepoint`.
   */
  batch<T>(fn: (plan: PlanDelivery) => T): T;
  /**
   * Inside a batch: runs `fn` as a savepoint, so that when it throws, its writes (of every store) are undone and
   * the batch's others stand; throws TransactionLostError when SQLite undid the whole batch instead. Outside a batch
   * it is a transaction of its own. Inside a batch, undo writes only this way: the batch remembers the embeds it
   * stored, and only `savepoint` tells it when they are gone.
   */
  savepoint<T>(fn: () => T): T;
  get(id: number): Delivery | null;
  /** Deliveries not yet fully sent, oldest first; for one channel when given. */
  pending(channelId?: string): Delivery[];
  /**
   * Channels with deliveries not yet fully sent and not backing off after a failure at `now`, the one waiting
   * longest first (the sender loads one channel at a time).
   */
  pendingChannels(now: Date): string[];
  /** Of `paperIds`, those already posted to the channel. */
  alreadyPosted(channelId: string, paperIds: readonly string[]): Set<string>;
  markInFlight(deliveryId: number, part: number, now: Date): void;
  markSent(deliveryId: number, part: number, messageId: string, now: Date): void;
  markThread(deliveryId: number, part: number, threadId: string): void;
  /** Marks the delivery sent once every part is; returns whether it is complete. */
  completeIfDone(deliveryId: number, now: Date): boolean;
  /** A failure that may pass: counted, and the delivery waits until `retryAfter` before it is tried again. */
  recordFailure(deliveryId: number, error: string, retryAfter: Date): void;
  /** Gives up on a delivery that cannot succeed by retrying (Discord refused its body). */
  markFailed(deliveryId: number, error: string, now: Date): void;
  /** The latest deliveries of a channel, newest first (for /papers status). */
  recent(channelId: string, limit: number): Delivery[];
}

interface DeliveryRow {
  id: number;
  channel_id: string;
  list_day: string;
  mode: DeliveryMode;
  status: 'pending' | 'sent' | 'failed';
  planned_at: string;
  attempts: number;
  last_error: string | null;
  failures: number;
  retry_after: string | null;
}

interface PartRow {
  delivery_id: number;
  part: number;
  body: string;
  embed_ids: string | null;
  paper_ids: string;
  thread_name: string | null;
  state: 'pending' | 'in-flight' | 'sent';
  attempt_at: string | null;
  message_id: string | null;
  thread_id: string | null;
}

const DELIVERY_COLUMNS =
  'id, channel_id, list_day, mode, status, planned_at, attempts, last_error, failures, retry_after';

export function createDeliveryStore(db: Db): DeliveryStore {
  const insertDelivery = db.prepare<[string, string, string, string]>(`
    INSERT INTO deliveries (channel_id, list_day, mode, status, planned_at) VALUES (?, ?, ?, 'pending', ?)
    ON CONFLICT (channel_id, list_day) DO NOTHING`);
  const insertPart = db.prepare<[number, number, string, string | null, string, string | null]>(`
    INSERT INTO outbox (delivery_id, part, body, embed_ids, paper_ids, thread_name, state)
    VALUES (?, ?, ?, ?, ?, ?, 'pending')`);
  const embedByHash = db.prepare<[string], { id: number }>('SELECT id FROM outbox_embeds WHERE hash = ?');
  const insertEmbed = db.prepare<[string, string]>(
    'INSERT INTO outbox_embeds (hash, body) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING',
  );
  const embedsById = db.prepare<[string], { id: number; body: string }>(
    'SELECT id, body FROM outbox_embeds WHERE id IN (SELECT value FROM json_each(?))',
  );
  const insertPosted = db.prepare<[string, number, string]>(
    'INSERT INTO posted (channel_id, paper_id, delivery_id) SELECT ?, value, ? FROM json_each(?)',
  );
  const byId = db.prepare<[number], DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ?`);
  const partsOf = db.prepare<[number], PartRow>('SELECT * FROM outbox WHERE delivery_id = ? ORDER BY part');
  const pendingAll = db.prepare<[], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE status = 'pending' ORDER BY planned_at, id`,
  );
  const pendingOne = db.prepare<[string], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE status = 'pending' AND channel_id = ? ORDER BY planned_at, id`,
  );
  const inFlight = db.prepare<[string, number, number]>(`
    UPDATE outbox SET state = 'in-flight', attempt_at = ? WHERE delivery_id = ? AND part = ? AND state != 'sent'`);
  const countAttempt = db.prepare<[number]>('UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?');
  const sent = db.prepare<[string, string, number, number]>(`
    UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ? WHERE delivery_id = ? AND part = ?`);
  const thread = db.prepare<[string, number, number]>(
    'UPDATE outbox SET thread_id = ? WHERE delivery_id = ? AND part = ?',
  );
  const unsent = db.prepare<[number], { n: number }>(`
    SELECT count(*) AS n FROM outbox
    WHERE delivery_id = ? AND (state != 'sent' OR (thread_name IS NOT NULL AND thread_id IS NULL))`);
  const complete = db.prepare<[string, number]>(
    `UPDATE deliveries SET status = 'sent', completed_at = ?, last_error = NULL WHERE id = ?`,
  );
  const failure = db.prepare<[string, string, number]>(
    'UPDATE deliveries SET last_error = ?, failures = failures + 1, retry_after = ? WHERE id = ?',
  );
  const failed = db.prepare<[string, string, number]>(
    `UPDATE deliveries SET status = 'failed', last_error = ?, completed_at = ? WHERE id = ?`,
  );
  const postedAmong = db.prepare<[string, string], { paper_id: string }>(
    'SELECT paper_id FROM posted WHERE channel_id = ? AND paper_id IN (SELECT value FROM json_each(?))',
  );
  const recent = db.prepare<[string, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE channel_id = ? ORDER BY list_day DESC, id DESC LIMIT ?`,
  );

  const toDelivery = (row: DeliveryRow): Delivery => ({
    id: row.id,
    channelId: row.channel_id,
    listDay: row.list_day,
    mode: row.mode,
    status: row.status,
    plannedAt: row.planned_at,
    attempts: row.attempts,
    lastError: row.last_error,
    failures: row.failures,
    retryAfter: row.retry_after,
    parts: partsOf.all(row.id).map((part) => ({
      deliveryId: part.delivery_id,
      part: part.part,
      body: withEmbeds(JSON.parse(part.body) as Record<string, unknown>, part.embed_ids),
      paperIds: JSON.parse(part.paper_ids) as string[],
      threadName: part.thread_name,
      state: part.state,
      attemptAt: part.attempt_at,
      messageId: part.message_id,
      threadId: part.thread_id,
    })),
  });

  // A channel backing off waits as a whole: its messages go out in order.
  const pendingChannels = db.prepare<[string], { channel_id: string }>(`
    SELECT channel_id FROM deliveries WHERE status = 'pending'
    GROUP BY channel_id HAVING max(coalesce(retry_after, '')) <= ?
    ORDER BY min(planned_at), min(id)`);

  /** A stored message's body with its embeds put back (rows from before migration 5 hold them inline). */
  function withEmbeds(body: Record<string, unknown>, embedIds: string | null): unknown {
    if (embedIds === null) return body;
    const ids = JSON.parse(embedIds) as number[];
    const bodies = new Map(embedsById.all(embedIds).map((row) => [row.id, row.body]));
    const embeds = ids.map((id) => {
      const embed = bodies.get(id);
      if (embed === undefined) throw new Error(`outbox embed ${String(id)} is missing from the store`);
      return JSON.parse(embed) as unknown;
    });
    return { ...body, embeds };
  }

  /**
   * Embed object -> row id, for embeds of committed transactions: a planning pass hands the same (memoised) embed
   * objects to every slice it records. Rows of outbox_embeds are never deleted (a job pruning them would have to
   * forget these).
   */
  const committedEmbeds = new WeakMap<object, number>();
  /** The same for the batch running now: trusted only while the writes that made them stand. */
  let batchEmbeds: Map<object, number> | null = null;

  const embedIdOf = (embed: object, known: Map<object, number>): number => {
    let embedId = known.get(embed) ?? committedEmbeds.get(embed);
    if (embedId === undefined) {
      const { json, hash } = serialized(embed);
      const inserted = insertEmbed.run(hash, json);
      embedId = inserted.changes > 0 ? Number(inserted.lastInsertRowid) : embedByHash.get(hash)?.id;
      if (embedId === undefined) throw new Error('an outbox embed was neither inserted nor found');
      known.set(embed, embedId);
    }
    return embedId;
  };

  const record = (input: PlanInput, known: Map<object, number>): number | null => {
    try {
      const inserted = insertDelivery.run(input.channelId, input.listDay, input.mode, input.now.toISOString());
      if (inserted.changes === 0) return null;
      const id = Number(inserted.lastInsertRowid);
      input.parts.forEach((part, index) => {
        const stored = storedBody(part.body, (embed) => embedIdOf(embed, known));
        const paperIds = JSON.stringify(part.paperIds);
        insertPart.run(id, index, stored.body, stored.embedIds, paperIds, part.threadName);
        insertPosted.run(input.channelId, id, paperIds);
      });
      return id;
    } catch (error) {
      // Half a delivery was written: whoever undoes it may undo embeds stored for it too (their ids are reused).
      known.clear();
      throw error;
    }
  };

  const batch = <T>(fn: (plan: PlanDelivery) => T): T => {
    if (batchEmbeds !== null) throw new Error('delivery batches do not nest');
    const known = new Map<object, number>();
    batchEmbeds = known;
    try {
      const result = db.transaction(() => fn((input) => record(input, known)))();
      // Inside a caller's transaction this was a savepoint, which that transaction may still roll back.
      if (!db.inTransaction) for (const [embed, id] of known) committedEmbeds.set(embed, id);
      return result;
    } finally {
      batchEmbeds = null;
    }
  };

  const savepoint = <T>(fn: () => T): T => {
    const inBatch = batchEmbeds !== null;
    try {
      return db.transaction(fn)();
    } catch (error) {
      // Rows written inside the savepoint are gone: forget the ids learnt in this batch (some may be theirs).
      batchEmbeds?.clear();
      if (inBatch && !db.inTransaction) throw new TransactionLostError({ cause: error });
      throw error;
    }
  };

  return {
    plan: (input) => batch((plan) => plan(input)),
    batch,
    savepoint,
    get(id) {
      const row = byId.get(id);
      return row === undefined ? null : toDelivery(row);
    },
    pending: (channelId) => (channelId === undefined ? pendingAll.all() : pendingOne.all(channelId)).map(toDelivery),
    pendingChannels: (now) => pendingChannels.all(now.toISOString()).map((row) => row.channel_id),
    alreadyPosted(channelId, paperIds) {
      if (paperIds.length === 0) return new Set();
      return new Set(postedAmong.all(channelId, JSON.stringify(paperIds)).map((row) => row.paper_id));
    },
    markInFlight(deliveryId, part, now) {
      db.transaction(() => {
        inFlight.run(now.toISOString(), deliveryId, part);
        countAttempt.run(deliveryId);
      })();
    },
    markSent(deliveryId, part, messageId, now) {
      sent.run(messageId, now.toISOString(), deliveryId, part);
    },
    markThread(deliveryId, part, threadId) {
      thread.run(threadId, deliveryId, part);
    },
    completeIfDone(deliveryId, now) {
      if ((unsent.get(deliveryId)?.n ?? 1) > 0) return false;
      complete.run(now.toISOString(), deliveryId);
      return true;
    },
    recordFailure(deliveryId, error, retryAfter) {
      failure.run(error, retryAfter.toISOString(), deliveryId);
    },
    markFailed(deliveryId, error, now) {
      failed.run(error, now.toISOString(), deliveryId);
    },
    recent: (channelId, limit) => recent.all(channelId, limit).map(toDelivery),
  };
}

/**
 * JSON and content hash of an embed, computed once per object: the planner hands the same (memoised) embed
 * objects to thousands of deliveries. Embeds are not modified once rendered.
 */
const serializedEmbeds = new WeakMap<object, { json: string; hash: string }>();

function serialized(embed: object): { json: string; hash: string } {
  let known = serializedEmbeds.get(embed);
  if (known === undefined) {
    const json = JSON.stringify(embed);
    known = { json, hash: createHash('sha256').update(json).digest('base64url') };
    serializedEmbeds.set(embed, known);
  }
  return known;
}

/** A message body as stored: its embeds replaced by `"embeds": []` and listed by id, when it has any. */
function storedBody(body: unknown, embedId: (embed: object) => number): { body: string; embedIds: string | null } {
  const embeds = (body as { embeds?: unknown }).embeds;
  if (!Array.isArray(embeds) || embeds.length === 0 || !embeds.every(isObject)) {
    return { body: JSON.stringify(body), embedIds: null };
  }
  return { body: JSON.stringify({ ...(body as object), embeds: [] }), embedIds: JSON.stringify(embeds.map(embedId)) };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
