import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createDeliveryStore } from '../../src/store/delivery-store.js';
import { migrate } from '../../src/store/migrations.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { createSubscriptionStore, type ChannelSettings } from '../../src/store/subscription-store.js';
import { listed, makePaper } from '../support/papers.js';

const NOW = new Date('2026-08-21T08:00:00.000Z');
const NEXT = new Date('2026-08-21T09:00:00.000Z');
const SETTINGS: ChannelSettings = {
  time: '09:00',
  timezone: 'UTC',
  days: 'weekdays',
  mode: 'digest',
  maxPapers: 10,
  minUpvotes: 0,
};
const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const OTHER = '200000000000000002';

const dbs: Db[] = [];
function stores() {
  const db = openDatabase(':memory:');
  dbs.push(db);
  return { db, subs: createSubscriptionStore(db), deliveries: createDeliveryStore(db), papers: createPaperStore(db) };
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('subscription store', () => {
  it('GIVEN a new channel THEN ensure creates it once with its settings', () => {
    const { subs } = stores();
    expect(subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, '2026-08-20', NOW)).toBe(true);
    expect(subs.ensure(CHANNEL, GUILD, { ...SETTINGS, maxPapers: 3 }, NEXT, null, NOW)).toBe(false);
    expect(subs.get(CHANNEL)).toMatchObject({
      channelId: CHANNEL,
      guildId: GUILD,
      ...SETTINGS,
      topics: [],
      paused: null,
      nextRunAt: NEXT.toISOString(),
      lastListDay: '2026-08-20',
    });
  });

  it('GIVEN topics THEN they are added once, their floor updated, and removed', () => {
    const { subs } = stores();
    subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    expect(subs.addTopic(CHANNEL, { query: 'diffusion', minUpvotes: null }, NOW)).toBe(true);
    expect(subs.addTopic(CHANNEL, { query: 'diffusion', minUpvotes: null }, NOW)).toBe(false);
    expect(subs.addTopic(CHANNEL, { query: 'diffusion', minUpvotes: 20 }, NOW)).toBe(true);
    subs.addTopic(CHANNEL, { query: 'author:"Yann LeCun"', minUpvotes: null }, NOW);
    expect(subs.get(CHANNEL)?.topics).toEqual([
      { query: 'author:"Yann LeCun"', minUpvotes: null },
      { query: 'diffusion', minUpvotes: 20 },
    ]);
    expect(subs.removeTopic(CHANNEL, 'diffusion')).toBe(true);
    expect(subs.removeTopic(CHANNEL, 'diffusion')).toBe(false);
  });

  it('GIVEN a pause THEN it is recorded once, hides the channel from due, and resume brings it back', () => {
    const { subs } = stores();
    subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    const later = new Date('2026-08-21T10:00:00.000Z');
    expect(subs.due(later, 10).map((c) => c.channelId)).toEqual([CHANNEL]);
    expect(subs.pause(CHANNEL, 'missing-access', 'Missing Access (50001)', NOW)).toBe(true);
    expect(subs.pause(CHANNEL, 'missing-permissions', 'second reason', NOW)).toBe(false);
    expect(subs.get(CHANNEL)?.paused).toEqual({
      kind: 'missing-access',
      reason: 'Missing Access (50001)',
      at: NOW.toISOString(),
    });
    expect(subs.due(later, 10)).toEqual([]);
    expect(subs.resume(CHANNEL, later, later)).toBe(true);
    expect(subs.resume(CHANNEL, later, later)).toBe(false);
    expect(subs.get(CHANNEL)?.paused).toBeNull();
  });

  it('GIVEN a paused channel with topics THEN every field reads back from its row, by get, due and inGuild alike', () => {
    const { subs } = stores();
    const created = new Date('2026-08-01T07:00:00.000Z');
    const pausedAt = new Date('2026-08-02T08:00:00.000Z');
    const settings: ChannelSettings = { ...SETTINGS, days: 'every-day', mode: 'thread', maxPapers: 7, minUpvotes: 3 };
    subs.ensure(CHANNEL, GUILD, settings, NEXT, '2026-07-31', created);
    subs.addTopic(CHANNEL, { query: 'agents', minUpvotes: 5 }, created);
    subs.addTopic(CHANNEL, { query: '"world models"', minUpvotes: null }, pausedAt);
    const expected = {
      channelId: CHANNEL,
      guildId: GUILD,
      ...settings,
      topics: [
        { query: 'agents', minUpvotes: 5 },
        { query: '"world models"', minUpvotes: null },
      ],
      paused: null,
      nextRunAt: NEXT.toISOString(),
      lastListDay: '2026-07-31',
      createdAt: created.toISOString(),
    };
    expect(subs.get(CHANNEL)).toEqual(expected);
    expect(subs.due(NEXT, 10)).toEqual([expected]);
    subs.pause(CHANNEL, 'manual', 'paused by an admin', pausedAt);
    const paused = {
      ...expected,
      paused: { kind: 'manual', reason: 'paused by an admin', at: pausedAt.toISOString() },
    };
    expect(subs.get(CHANNEL)).toEqual(paused);
    expect(subs.inGuild(GUILD)).toEqual([paused]);
  });

  it('GIVEN several channels THEN due lists only those whose time has come, earliest first', () => {
    const { subs } = stores();
    subs.ensure(OTHER, GUILD, SETTINGS, new Date('2026-08-21T09:30:00Z'), null, NOW);
    subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    subs.ensure('200000000000000003', GUILD, SETTINGS, new Date('2026-08-22T09:00:00Z'), null, NOW);
    expect(subs.due(new Date('2026-08-21T10:00:00Z'), 10).map((c) => c.channelId)).toEqual([CHANNEL, OTHER]);
    expect(subs.due(new Date('2026-08-21T10:00:00Z'), 1).map((c) => c.channelId)).toEqual([CHANNEL]);
  });

  it('GIVEN a guild removed THEN its channels, topics and history go; other guilds stay', () => {
    const { subs, db } = stores();
    subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    subs.addTopic(CHANNEL, { query: 'x', minUpvotes: null }, NOW);
    subs.ensure(OTHER, '100000000000000002', SETTINGS, NEXT, null, NOW);
    expect(subs.removeGuild(GUILD)).toBe(1);
    expect(subs.get(CHANNEL)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM topics').pluck().get()).toBe(0);
    expect(subs.count()).toBe(1);
  });
});

describe('delivery store', () => {
  function planned() {
    const s = stores();
    s.subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    s.papers.upsertListed(
      ['2608.00001', '2608.00002', '2608.00003'].map((id) => listed('2026-08-20', makePaper({ id }))),
      NOW,
    );
    const id = s.deliveries.plan({
      channelId: CHANNEL,
      listDay: '2026-08-20',
      mode: 'digest',
      parts: [
        { body: { content: 'header', embeds: [] }, paperIds: ['2608.00001', '2608.00002'], threadName: null },
        { body: { embeds: [] }, paperIds: ['2608.00003'], threadName: null },
      ],
      now: NOW,
    });
    return { ...s, delivery: id === null ? null : s.deliveries.get(id) };
  }

  it('GIVEN a plan THEN the delivery, its parts and the posted papers are recorded, the cursor left to the planner', () => {
    const { delivery, deliveries, subs } = planned();
    expect(delivery).toMatchObject({ channelId: CHANNEL, listDay: '2026-08-20', status: 'pending', attempts: 0 });
    expect(delivery?.parts.map((p) => [p.part, p.state, p.paperIds])).toEqual([
      [0, 'pending', ['2608.00001', '2608.00002']],
      [1, 'pending', ['2608.00003']],
    ]);
    expect(deliveries.alreadyPosted(CHANNEL, ['2608.00001', '2608.00003', '2608.09999'])).toEqual(
      new Set(['2608.00001', '2608.00003']),
    );
    expect(subs.get(CHANNEL)?.lastListDay).toBeNull();
  });

  it('GIVEN the same channel and day planned twice THEN the second plan records nothing', () => {
    const { deliveries } = planned();
    const again = deliveries.plan({ channelId: CHANNEL, listDay: '2026-08-20', mode: 'digest', parts: [], now: NOW });
    expect(again).toBeNull();
    expect(deliveries.pending()).toHaveLength(1);
    expect(deliveries.pendingChannels(NOW)).toEqual([CHANNEL]);
  });

  it('GIVEN a paper already posted THEN planning it again fails whole, recording nothing', () => {
    const { db, deliveries } = planned();
    expect(() =>
      deliveries.plan({
        channelId: CHANNEL,
        listDay: '2026-08-21',
        mode: 'digest',
        parts: [{ body: {}, paperIds: ['2608.00001'], threadName: null }],
        now: NOW,
      }),
    ).toThrow(/UNIQUE/);
    expect(deliveries.pending().map((d) => d.listDay)).toEqual(['2026-08-20']);
    expect(deliveries.get(1)?.parts).toHaveLength(2);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM posted').pluck().get()).toBe(3);
  });

  it('GIVEN parts sent one by one THEN the delivery completes only after the last', () => {
    const { delivery, deliveries } = planned();
    const id = delivery?.id ?? -1;
    deliveries.markInFlight(id, 0, NOW);
    expect(deliveries.get(id)?.parts[0]).toMatchObject({ state: 'in-flight', attemptAt: NOW.toISOString() });
    deliveries.markSent(id, 0, '300000000000000001', NOW);
    expect(deliveries.completeIfDone(id, NOW)).toBe(false);
    deliveries.markInFlight(id, 1, NOW);
    deliveries.markSent(id, 1, '300000000000000002', NOW);
    expect(deliveries.completeIfDone(id, NOW)).toBe(true);
    expect(deliveries.get(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(deliveries.pending()).toEqual([]);
    expect(deliveries.pendingChannels(NOW)).toEqual([]);
  });

  it('GIVEN a thread part THEN the delivery waits for the thread too', () => {
    const { deliveries, subs } = stores();
    subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    const id =
      deliveries.plan({
        channelId: CHANNEL,
        listDay: '2026-08-20',
        mode: 'thread',
        parts: [{ body: {}, paperIds: ['2608.00001'], threadName: 'A paper' }],
        now: NOW,
      }) ?? -1;
    deliveries.markSent(id, 0, '300000000000000001', NOW);
    expect(deliveries.completeIfDone(id, NOW)).toBe(false);
    deliveries.markThread(id, 0, '300000000000000001');
    expect(deliveries.completeIfDone(id, NOW)).toBe(true);
  });
});

describe('delivery store: embeds shared between messages', () => {
  const embed = (id: string, topics: string[] = []) => ({
    title: `Paper ${id}`,
    url: `https://hf.co/papers/${id}`,
    topics,
  });
  function channels(count: number) {
    const s = stores();
    const ids = Array.from({ length: count }, (_, i) => `2000000000000001${String(i).padStart(2, '0')}`);
    for (const id of ids) s.subs.ensure(id, GUILD, SETTINGS, NEXT, null, NOW);
    return { ...s, ids };
  }
  const embedRows = (db: Db) => (db.prepare('SELECT count(*) AS n FROM outbox_embeds').get() as { n: number }).n;
  const digest = (channelId: string, embeds: object[], paperIds: string[]) => ({
    channelId,
    listDay: '2026-08-20',
    mode: 'digest' as const,
    parts: [{ body: { content: 'Top papers', embeds, allowed_mentions: { parse: [] } }, paperIds, threadName: null }],
    now: NOW,
  });

  it('GIVEN channels getting the same papers THEN each distinct embed is stored once and every message reads back whole', () => {
    const { db, deliveries, ids } = channels(3);
    const a = embed('2608.00001');
    const b = embed('2608.00002', ['agents']);
    const planned = deliveries.batch((plan) => [
      plan(digest(ids[0] ?? '', [a, b], ['2608.00001', '2608.00002'])),
      plan(digest(ids[1] ?? '', [b], ['2608.00002'])),
      // Equal content in another object (rendered again, or on another tick) is the same row too.
      plan(digest(ids[2] ?? '', [embed('2608.00001'), b], ['2608.00001', '2608.00002'])),
    ]);
    expect(embedRows(db)).toBe(2);
    const bodies = planned.map((id) => deliveries.get(id ?? -1)?.parts.map((part) => part.body));
    expect(bodies).toEqual([
      [{ content: 'Top papers', embeds: [a, b], allowed_mentions: { parse: [] } }],
      [{ content: 'Top papers', embeds: [b], allowed_mentions: { parse: [] } }],
      [{ content: 'Top papers', embeds: [a, b], allowed_mentions: { parse: [] } }],
    ]);
    // Keys keep their order: the body sent is the body planned.
    expect(JSON.stringify(deliveries.get(planned[0] ?? -1)?.parts[0]?.body)).toBe(
      JSON.stringify({ content: 'Top papers', embeds: [a, b], allowed_mentions: { parse: [] } }),
    );
  });

  it('GIVEN a delivery that fails inside a batch THEN its new embeds go with it and later deliveries still store theirs', () => {
    const { db, deliveries, ids } = channels(2);
    const a = embed('2608.00001');
    const b = embed('2608.00002');
    const outcome = deliveries.batch((plan) => {
      const first = plan(digest(ids[0] ?? '', [a], ['2608.00001']));
      // The same paper twice in one channel breaks `posted`: this delivery's savepoint rolls back, embed b with it.
      expect(() =>
        deliveries.savepoint(() => plan({ ...digest(ids[0] ?? '', [b], ['2608.00001']), listDay: '2026-08-21' })),
      ).toThrow(/UNIQUE/);
      const second = plan(digest(ids[1] ?? '', [a, b], ['2608.00001', '2608.00002']));
      return { first, second };
    });
    expect(embedRows(db)).toBe(2);
    expect(deliveries.get(outcome.second ?? -1)?.parts[0]?.body).toMatchObject({ embeds: [a, b] });
    expect(deliveries.pending().map((d) => [d.channelId, d.listDay])).toEqual([
      [ids[0], '2026-08-20'],
      [ids[1], '2026-08-20'],
    ]);
  });

  it('GIVEN embeds recorded by an earlier batch THEN a later batch reuses their rows without a statement', () => {
    const statements: string[] = [];
    const db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
    dbs.push(db);
    db.pragma('foreign_keys = ON');
    migrate(db);
    const subs = createSubscriptionStore(db);
    const deliveries = createDeliveryStore(db);
    for (const id of [CHANNEL, OTHER]) subs.ensure(id, GUILD, SETTINGS, NEXT, null, NOW);
    const a = embed('2608.00001');
    deliveries.batch((plan) => plan(digest(CHANNEL, [a], ['2608.00001'])));
    statements.length = 0;
    const second = deliveries.batch((plan) => plan(digest(OTHER, [a], ['2608.00001'])));
    expect(statements.filter((sql) => sql.includes('outbox_embeds'))).toEqual([]);
    expect(embedRows(db)).toBe(1);
    expect(deliveries.get(second ?? -1)?.parts[0]?.body).toMatchObject({ embeds: [a] });
  });

  it('GIVEN a batch rolled back, alone or with the transaction around it THEN its embeds are stored again later', () => {
    const { db, deliveries, ids } = channels(2);
    const a = embed('2608.00001');
    const b = embed('2608.00002');
    expect(() =>
      deliveries.batch((plan) => {
        plan(digest(ids[0] ?? '', [a], ['2608.00001']));
        throw new Error('planning broke');
      }),
    ).toThrow('planning broke');
    expect(() =>
      db.transaction(() => {
        deliveries.batch((plan) => plan(digest(ids[0] ?? '', [b], ['2608.00002'])));
        throw new Error('the caller rolled back');
      })(),
    ).toThrow('the caller rolled back');
    expect(embedRows(db)).toBe(0);
    const id = deliveries.batch((plan) => plan(digest(ids[1] ?? '', [a, b], ['2608.00001', '2608.00002'])));
    expect(embedRows(db)).toBe(2);
    expect(deliveries.get(id ?? -1)?.parts[0]?.body).toMatchObject({ embeds: [a, b] });
  });

  it('GIVEN a batch whose COMMIT fails THEN its embeds are stored again by the next batch', () => {
    const { db, deliveries, ids } = channels(1);
    const a = embed('2608.00001');
    // Foreign keys checked at COMMIT: a delivery for a channel that does not exist fails there, after everything ran.
    db.pragma('defer_foreign_keys = ON');
    expect(() => deliveries.batch((plan) => plan(digest('299999999999999999', [a], ['2608.00001'])))).toThrow(
      /FOREIGN KEY/,
    );
    expect(embedRows(db)).toBe(0);
    const id = deliveries.batch((plan) => plan(digest(ids[0] ?? '', [a], ['2608.00001'])));
    expect(embedRows(db)).toBe(1);
    expect(deliveries.get(id ?? -1)?.parts[0]?.body).toMatchObject({ embeds: [a] });
  });

  it("GIVEN a delivery failing inside the caller's own savepoint THEN the embeds stored for it are not reused", () => {
    const { deliveries, db, ids } = channels(3);
    const [a, b, c] = [embed('2608.00001'), embed('2608.00002'), embed('2608.00003')];
    const second = deliveries.batch((plan) => {
      plan(digest(ids[0] ?? '', [a], ['2608.00001']));
      // Embed b is stored, then the posted paper breaks UNIQUE; the caller's savepoint undoes both.
      expect(() =>
        db.transaction(() => plan({ ...digest(ids[0] ?? '', [b], ['2608.00001']), listDay: '2026-08-21' }))(),
      ).toThrow(/UNIQUE/);
      const id = plan(digest(ids[1] ?? '', [b], ['2608.00002']));
      // c would take b's old row id: a stale id for b would show c's embed in the message above.
      plan(digest(ids[2] ?? '', [c], ['2608.00003']));
      return id;
    });
    expect(deliveries.get(second ?? -1)?.parts[0]?.body).toMatchObject({ embeds: [b] });
  });

  it('GIVEN a batch that throws THEN none of its deliveries or embeds are kept', () => {
    const { db, deliveries, ids } = channels(1);
    expect(() =>
      deliveries.batch((plan) => {
        plan(digest(ids[0] ?? '', [embed('2608.00001')], ['2608.00001']));
        throw new Error('planning broke');
      }),
    ).toThrow('planning broke');
    expect(deliveries.pending()).toEqual([]);
    expect(embedRows(db)).toBe(0);
    expect(deliveries.alreadyPosted(ids[0] ?? '', ['2608.00001']).size).toBe(0);
  });

  it('GIVEN a message planned before embeds were shared (inline, migration 4) THEN it reads back as stored', () => {
    const { db, deliveries } = channels(0);
    const s = createSubscriptionStore(db);
    s.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    db.prepare(
      `INSERT INTO deliveries (id, channel_id, list_day, mode, status, planned_at) VALUES (7, ?, '2026-08-20', 'digest', 'pending', ?)`,
    ).run(CHANNEL, NOW.toISOString());
    const body = { content: 'old', embeds: [embed('2608.00009')] };
    db.prepare(
      `INSERT INTO outbox (delivery_id, part, body, paper_ids, state) VALUES (7, 0, ?, '["2608.00009"]', 'pending')`,
    ).run(JSON.stringify(body));
    expect(deliveries.get(7)?.parts[0]?.body).toEqual(body);
  });
});

describe('delivery backoff', () => {
  it('GIVEN a failure that may pass THEN the channel waits until its retry time, counting failures', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    const subs = createSubscriptionStore(db);
    const deliveries = createDeliveryStore(db);
    subs.ensure(CHANNEL, GUILD, SETTINGS, NEXT, null, NOW);
    const id =
      deliveries.plan({ channelId: CHANNEL, listDay: '2026-08-20', mode: 'digest', parts: [], now: NOW }) ?? -1;
    const retry = new Date('2026-08-21T08:02:00.000Z');
    deliveries.recordFailure(id, 'Discord 503 after retries', retry);
    expect(deliveries.get(id)).toMatchObject({
      failures: 1,
      retryAfter: retry.toISOString(),
      lastError: 'Discord 503 after retries',
    });
    expect(deliveries.pendingChannels(new Date('2026-08-21T08:01:59.000Z'))).toEqual([]);
    expect(deliveries.pendingChannels(retry)).toEqual([CHANNEL]);
  });
});
