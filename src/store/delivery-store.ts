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

export interface DeliveryStore {
  /**
   * Records a delivery of `listDay` to a channel with its outbox and the papers it posts, and moves the channel's
   * cursor, all in one transaction. Returns its id, or null when that channel already has a delivery for that day.
   */
  plan(input: {
    channelId: string;
    listDay: string;
    mode: DeliveryMode;
    parts: readonly PlannedPart[];
    now: Date;
  }): number | null;
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
  const insertPart = db.prepare<[number, number, string, string, string | null]>(`
    INSERT INTO outbox (delivery_id, part, body, paper_ids, thread_name, state) VALUES (?, ?, ?, ?, ?, 'pending')`);
  const insertPosted = db.prepare<[string, string, number]>(
    'INSERT INTO posted (channel_id, paper_id, delivery_id) VALUES (?, ?, ?)',
  );
  const moveCursor = db.prepare<[string, string, string]>(`
    UPDATE channels SET last_list_day = max(coalesce(last_list_day, ''), ?), updated_at = ? WHERE channel_id = ?`);
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
      body: JSON.parse(part.body) as unknown,
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

  const plan = db.transaction((input: Parameters<DeliveryStore['plan']>[0]): number | null => {
    const now = input.now.toISOString();
    const inserted = insertDelivery.run(input.channelId, input.listDay, input.mode, now);
    if (inserted.changes === 0) return null;
    const id = Number(inserted.lastInsertRowid);
    input.parts.forEach((part, index) => {
      insertPart.run(id, index, JSON.stringify(part.body), JSON.stringify(part.paperIds), part.threadName);
      for (const paperId of part.paperIds) insertPosted.run(input.channelId, paperId, id);
    });
    moveCursor.run(input.listDay, now, input.channelId);
    return id;
  });

  return {
    plan: (input) => plan(input),
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
