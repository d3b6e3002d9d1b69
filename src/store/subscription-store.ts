import { addDays } from '../papers/paper.js';
import type { DeliveryDays } from '../subscriptions/schedule.js';
import type { Db } from './database.js';

export type DeliveryMode = 'digest' | 'per-paper' | 'thread';
export type PauseKind = 'manual' | 'missing-access' | 'missing-permissions' | 'unknown-channel';

export interface Topic {
  readonly query: string;
  /** A floor for this topic only, on top of the channel's. */
  readonly minUpvotes: number | null;
}

export interface ChannelSettings {
  readonly time: string;
  readonly timezone: string;
  readonly days: DeliveryDays;
  readonly mode: DeliveryMode;
  readonly maxPapers: number;
  readonly minUpvotes: number;
}

export interface ChannelSubscription extends ChannelSettings {
  readonly channelId: string;
  readonly guildId: string;
  readonly topics: readonly Topic[];
  readonly paused: { readonly kind: PauseKind; readonly reason: string; readonly at: string } | null;
  readonly nextRunAt: string;
  readonly lastListDay: string | null;
  readonly createdAt: string;
}

export interface SubscriptionStore {
  get(channelId: string): ChannelSubscription | null;
  /** Creates the channel's subscription with these settings when it has none; returns whether it did. */
  ensure(
    channelId: string,
    guildId: string,
    settings: ChannelSettings,
    nextRunAt: Date,
    lastListDay: string | null,
    now: Date,
  ): boolean;
  /** Adds a topic (or updates its floor); false when it was already there with the same floor. */
  addTopic(channelId: string, topic: Topic, now: Date): boolean;
  removeTopic(channelId: string, query: string): boolean;
  updateSettings(channelId: string, settings: ChannelSettings, nextRunAt: Date, now: Date): void;
  /** Pauses an active channel; false when it was already paused (so a reason is recorded once). */
  pause(channelId: string, kind: PauseKind, reason: string, now: Date): boolean;
  /** Resumes a paused channel; false when it was not paused. */
  resume(channelId: string, nextRunAt: Date, now: Date): boolean;
  /** Records a scheduled run at `now`, sets the next one, and moves the cursor to `handledDay` when newer. */
  advance(channelId: string, nextRunAt: Date, now: Date, handledDay: string | null): void;
  /**
   * A list day that arrived late (HF was down at delivery time): every active channel whose last run came after
   * that day was complete, and which has not had it, is made due now. Returns how many.
   */
  wakeForLateDay(day: string, now: Date): number;
  /** Active channels whose next delivery is due at `now`, earliest first. */
  due(now: Date, limit: number): ChannelSubscription[];
  /** Every channel of a guild, for /subscribe list and the guild-delete event. */
  inGuild(guildId: string): ChannelSubscription[];
  remove(channelId: string): boolean;
  removeGuild(guildId: string): number;
  count(): number;
}

/**
 * A row of CHANNEL_COLUMNS, in their order. Channels are read raw (as arrays): reading the 10,000 due channels of a
 * planning pass as objects cost ~25 ms more, mostly in building the objects. The type is asserted, not checked:
 * the store's test reading every field back of a paused channel with topics is what holds the order.
 */
type ChannelRow = [
  channelId: string,
  guildId: string,
  time: string,
  timezone: string,
  days: DeliveryDays,
  mode: DeliveryMode,
  maxPapers: number,
  minUpvotes: number,
  pausedKind: PauseKind | null,
  pausedReason: string | null,
  pausedAt: string | null,
  nextRunAt: string,
  lastListDay: string | null,
  createdAt: string,
  /** JSON: [[query, min_upvotes], ...]. */
  topics: string,
];

/** A channel's row with its topics (as a JSON array, oldest first): one statement for 10,000 due channels. */
const CHANNEL_COLUMNS = `channel_id, guild_id, time, timezone, days, mode, max_papers, min_upvotes, paused_kind,
  paused_reason, paused_at, next_run_at, last_list_day, created_at,
  (SELECT json_group_array(json_array(t.query, t.min_upvotes) ORDER BY t.created_at, t.query)
   FROM topics t WHERE t.channel_id = channels.channel_id) AS topics`;

export function createSubscriptionStore(db: Db): SubscriptionStore {
  const byId = db.prepare<[string], ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE channel_id = ?`).raw();
  const insert = db.prepare(`
    INSERT INTO channels (channel_id, guild_id, time, timezone, days, mode, max_papers, min_upvotes, next_run_at,
      last_list_day, created_at, updated_at)
    VALUES (@channel_id, @guild_id, @time, @timezone, @days, @mode, @max_papers, @min_upvotes, @next_run_at,
      @last_list_day, @now, @now)
    ON CONFLICT (channel_id) DO NOTHING`);
  const upsertTopic = db.prepare<[string, string, number | null, string]>(`
    INSERT INTO topics (channel_id, query, min_upvotes, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (channel_id, query) DO UPDATE SET min_upvotes = excluded.min_upvotes
    WHERE topics.min_upvotes IS NOT excluded.min_upvotes`);
  const deleteTopic = db.prepare<[string, string]>('DELETE FROM topics WHERE channel_id = ? AND query = ?');
  const updateSettings = db.prepare(`
    UPDATE channels SET time = @time, timezone = @timezone, days = @days, mode = @mode, max_papers = @max_papers,
      min_upvotes = @min_upvotes, next_run_at = @next_run_at, updated_at = @now
    WHERE channel_id = @channel_id`);
  const pause = db.prepare<[string, string, string, string, string]>(`
    UPDATE channels SET paused_kind = ?, paused_reason = ?, paused_at = ?, updated_at = ?
    WHERE channel_id = ? AND paused_kind IS NULL`);
  const resume = db.prepare<[string, string, string]>(`
    UPDATE channels SET paused_kind = NULL, paused_reason = NULL, paused_at = NULL, next_run_at = ?, updated_at = ?
    WHERE channel_id = ? AND paused_kind IS NOT NULL`);
  const advance = db.prepare<[string, string, string | null, string | null, string, string]>(`
    UPDATE channels SET next_run_at = ?, last_run_at = ?,
      last_list_day = CASE WHEN ? IS NULL THEN last_list_day ELSE max(coalesce(last_list_day, ''), ?) END,
      updated_at = ?
    WHERE channel_id = ?`);
  const wake = db.prepare<[string, string, string, string, string]>(`
    UPDATE channels SET next_run_at = ?, updated_at = ?
    WHERE paused_kind IS NULL AND last_run_at >= ? AND (last_list_day IS NULL OR last_list_day < ?) AND next_run_at > ?`);
  const due = db
    .prepare<[string, number], ChannelRow>(
      `SELECT ${CHANNEL_COLUMNS} FROM channels
       WHERE paused_kind IS NULL AND next_run_at <= ? ORDER BY next_run_at, channel_id LIMIT ?`,
    )
    .raw();
  const inGuild = db
    .prepare<[string], ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE guild_id = ? ORDER BY channel_id`)
    .raw();
  const removeOne = db.prepare<[string]>('DELETE FROM channels WHERE channel_id = ?');
  const removeGuild = db.prepare<[string]>('DELETE FROM channels WHERE guild_id = ?');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM channels');

  // Indexes follow CHANNEL_COLUMNS (ChannelRow's labels say which is which).
  const toSubscription = (row: ChannelRow): ChannelSubscription => ({
    channelId: row[0],
    guildId: row[1],
    time: row[2],
    timezone: row[3],
    days: row[4],
    mode: row[5],
    maxPapers: row[6],
    minUpvotes: row[7],
    paused: row[8] === null ? null : { kind: row[8], reason: row[9] ?? '', at: row[10] ?? row[13] },
    nextRunAt: row[11],
    lastListDay: row[12],
    createdAt: row[13],
    topics: (JSON.parse(row[14]) as [string, number | null][]).map(([query, minUpvotes]) => ({ query, minUpvotes })),
  });
  const settingsRow = (settings: ChannelSettings) => ({
    time: settings.time,
    timezone: settings.timezone,
    days: settings.days,
    mode: settings.mode,
    max_papers: settings.maxPapers,
    min_upvotes: settings.minUpvotes,
  });

  return {
    get(channelId) {
      const row = byId.get(channelId);
      return row === undefined ? null : toSubscription(row);
    },
    ensure(channelId, guildId, settings, nextRunAt, lastListDay, now) {
      const result = insert.run({
        channel_id: channelId,
        guild_id: guildId,
        ...settingsRow(settings),
        next_run_at: nextRunAt.toISOString(),
        last_list_day: lastListDay,
        now: now.toISOString(),
      });
      return result.changes > 0;
    },
    addTopic: (channelId, topic, now) =>
      upsertTopic.run(channelId, topic.query, topic.minUpvotes, now.toISOString()).changes > 0,
    removeTopic: (channelId, query) => deleteTopic.run(channelId, query).changes > 0,
    updateSettings(channelId, settings, nextRunAt, now) {
      updateSettings.run({
        channel_id: channelId,
        ...settingsRow(settings),
        next_run_at: nextRunAt.toISOString(),
        now: now.toISOString(),
      });
    },
    pause: (channelId, kind, reason, now) =>
      pause.run(kind, reason, now.toISOString(), now.toISOString(), channelId).changes > 0,
    resume: (channelId, nextRunAt, now) =>
      resume.run(nextRunAt.toISOString(), now.toISOString(), channelId).changes > 0,
    advance(channelId, nextRunAt, now, handledDay) {
      const at = now.toISOString();
      advance.run(nextRunAt.toISOString(), at, handledDay, handledDay, at, channelId);
    },
    wakeForLateDay(day, now) {
      const dayEnded = `${addDays(day, 1)}T00:00:00.000Z`;
      const at = now.toISOString();
      return wake.run(at, at, dayEnded, day, at).changes;
    },
    due: (now, limit) => due.all(now.toISOString(), limit).map(toSubscription),
    inGuild: (guildId) => inGuild.all(guildId).map(toSubscription),
    remove: (channelId) => removeOne.run(channelId).changes > 0,
    removeGuild: (guildId) => removeGuild.run(guildId).changes,
    count: () => countAll.get()?.n ?? 0,
  };
}
