import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { retryAfter } from '../../src/delivery/outbox.js';
import {
  createDayView,
  daysToDeliver,
  planDueDeliveries,
  planForDay,
  renderPlan,
  type PlannerDeps,
} from '../../src/delivery/planner.js';
import { createCandidateMatcher } from '../../src/search/candidate-index.js';
import { createSearchService } from '../../src/search/index.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createDeliveryStore, type DeliveryStore, type PlanInput } from '../../src/store/delivery-store.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { createSubscriptionStore, type ChannelSubscription } from '../../src/store/subscription-store.js';
import { listed, makePaper } from '../support/papers.js';

const NOW = new Date('2026-08-21T09:00:30.000Z');
const GUILD = '100000000000000001';
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function channel(overrides: Partial<ChannelSubscription> = {}): ChannelSubscription {
  return {
    channelId: '200000000000000001',
    guildId: GUILD,
    time: '09:00',
    timezone: 'UTC',
    days: 'weekdays',
    mode: 'digest',
    maxPapers: 10,
    minUpvotes: 0,
    topics: [],
    paused: null,
    nextRunAt: '2026-08-21T09:00:00.000Z',
    lastListDay: null,
    createdAt: '2026-08-01T00:00:00.000Z',
    ...overrides,
  };
}

function deps(): PlannerDeps & { db: Db } {
  const db = openDatabase(':memory:');
  dbs.push(db);
  return {
    db,
    subscriptions: createSubscriptionStore(db),
    deliveries: createDeliveryStore(db),
    papers: createPaperStore(db),
    search: createSearchService(db),
    matcherFor: (ids) => createCandidateMatcher(db, ids),
    logger: pino({ level: 'silent' }),
  };
}

describe('daysToDeliver', () => {
  const stored = ['2026-08-21', '2026-08-20', '2026-08-19', '2026-08-18', '2026-08-17', '2026-08-10'];
  it.each([
    ['a new channel gets only the newest complete day (today is not complete)', null, ['2026-08-20']],
    ['a channel that had 08-19 gets 08-20', '2026-08-19', ['2026-08-20']],
    ['after an outage: at most 3 days, oldest first', '2026-08-10', ['2026-08-18', '2026-08-19', '2026-08-20']],
    ['up to date: nothing', '2026-08-20', []],
  ])('%s', (_what, lastListDay, expected) => {
    expect(daysToDeliver(channel({ lastListDay }), stored, NOW)).toEqual(expected);
  });

  it('GIVEN days older than the 7-day catch-up window THEN they are not delivered; the edge day is', () => {
    const old = ['2026-08-14', '2026-08-13', '2026-08-12'];
    expect(daysToDeliver(channel({ lastListDay: '2026-08-01' }), old, NOW)).toEqual(['2026-08-14']);
  });
});

describe('planForDay', () => {
  function seeded() {
    const d = deps();
    d.papers.upsertListed(
      [
        listed('2026-08-20', makePaper({ id: '2608.00001', title: 'Video diffusion at scale', upvotes: 50 })),
        listed('2026-08-20', makePaper({ id: '2608.00002', title: 'Agents that plan', upvotes: 40 })),
        listed('2026-08-20', makePaper({ id: '2608.00003', title: 'Video agents', upvotes: 5 })),
        listed('2026-08-20', makePaper({ id: '2608.00004', title: 'Protein folding', upvotes: 90 })),
      ],
      NOW,
    );
    d.subscriptions.ensure('200000000000000001', GUILD, channel(), NOW, null, NOW);
    return d;
  }

  it('GIVEN no topics THEN the whole day by upvotes, with the total for the header', () => {
    const plan = planForDay(seeded(), channel(), '2026-08-20');
    expect(plan.selection.papers.map((p) => p.id)).toEqual(['2608.00004', '2608.00001', '2608.00002', '2608.00003']);
    expect(plan.selection.total).toBe(4);
    expect(plan.matchedTopics.size).toBe(0);
  });

  it('GIVEN topics THEN papers matching any, each with the topics it matched, and per-topic floors', () => {
    const topics = [
      { query: 'video', minUpvotes: null },
      { query: 'agents', minUpvotes: 10 },
    ];
    const plan = planForDay(seeded(), channel({ topics }), '2026-08-20');
    expect(plan.selection.papers.map((p) => p.id)).toEqual(['2608.00001', '2608.00002', '2608.00003']);
    expect(Object.fromEntries(plan.matchedTopics)).toEqual({
      '2608.00001': ['video'],
      '2608.00002': ['agents'],
      // "Video agents" has 5 upvotes: under the agents topic's floor of 10, so it is there for "video" only.
      '2608.00003': ['video'],
    });
  });

  it('GIVEN a channel floor and a maximum THEN both apply', () => {
    const plan = planForDay(seeded(), channel({ minUpvotes: 40, maxPapers: 2 }), '2026-08-20');
    expect(plan.selection.papers.map((p) => p.id)).toEqual(['2608.00004', '2608.00001']);
    expect(plan.selection.eligible).toBe(3);
  });

  it('GIVEN a paper listed again after it was posted to the channel THEN it is left out the second time', () => {
    const d = seeded();
    d.papers.upsertListed([listed('2026-08-19', makePaper({ id: '2608.00004', title: 'Protein folding' }))], NOW);
    d.deliveries.plan({
      channelId: '200000000000000001',
      listDay: '2026-08-19',
      mode: 'digest',
      parts: [{ body: {}, paperIds: ['2608.00004'], threadName: null }],
      now: NOW,
    });
    const plan = planForDay(d, channel({ lastListDay: '2026-08-19' }), '2026-08-20');
    expect(plan.selection.papers.map((p) => p.id)).toEqual(['2608.00001', '2608.00002', '2608.00003']);
  });

  it('GIVEN a day the channel has had (a preview) THEN the papers it got that day are left out', () => {
    const d = seeded();
    d.deliveries.plan({
      channelId: '200000000000000001',
      listDay: '2026-08-20',
      mode: 'digest',
      parts: [{ body: {}, paperIds: ['2608.00004', '2608.00001'], threadName: null }],
      now: NOW,
    });
    const plan = planForDay(d, channel({ lastListDay: '2026-08-20' }), '2026-08-20');
    expect(plan.selection.papers.map((p) => p.id)).toEqual(['2608.00002', '2608.00003']);
  });
});

describe('renderPlan', () => {
  const papers = Array.from({ length: 25 }, (_, i) =>
    makePaper({ id: `2608.${String(10100 + i)}`, upvotes: 100 - i }),
  ).map((paper) => ({ ...paper, listDays: ['2026-08-20'], firstSeenAt: NOW.toISOString() }));
  const plan = {
    day: '2026-08-20',
    selection: { day: '2026-08-20', total: 40, eligible: 25, papers },
    matchedTopics: new Map<string, string[]>(),
  };

  it('GIVEN 25 papers in digest mode THEN messages of at most 10, each part knowing exactly its papers', () => {
    const parts = renderPlan(channel({ mode: 'digest' }), plan);
    expect(parts.map((part) => part.paperIds.length)).toEqual([10, 10, 5]);
    expect(parts.flatMap((part) => part.paperIds)).toEqual(papers.map((p) => p.id));
    for (const part of parts) {
      const urls = (part.body as { embeds: { url: string }[] }).embeds.map((embed) => embed.url);
      expect(urls).toEqual(part.paperIds.map((id) => `https://huggingface.co/papers/${id}`));
    }
  });

  it('GIVEN a tick day view THEN the same messages, and a second channel reuses the embeds rendered for the first', () => {
    const view = createDayView(deps());
    const plain = renderPlan(channel({ mode: 'digest' }), plan);
    const first = renderPlan(channel({ mode: 'digest' }), plan, undefined, view);
    const second = renderPlan(channel({ channelId: '200000000000000009', mode: 'digest' }), plan, undefined, view);
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    const embedsOf = (parts: typeof first) => parts.flatMap((part) => (part.body as { embeds: object[] }).embeds);
    embedsOf(second).forEach((embed, index) => {
      expect(embed).toBe(embedsOf(first)[index]);
    });
  });

  it('GIVEN a tick day view in per-paper mode THEN the same messages, and full embeds are rendered once too', () => {
    const view = createDayView(deps());
    const plain = renderPlan(channel({ mode: 'per-paper' }), plan);
    const first = renderPlan(channel({ mode: 'per-paper' }), plan, undefined, view);
    const second = renderPlan(channel({ channelId: '200000000000000009', mode: 'per-paper' }), plan, undefined, view);
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    second.forEach((part, index) => {
      expect((part.body as { embeds: object[] }).embeds[0]).toBe(
        (first[index]?.body as { embeds: object[] }).embeds[0],
      );
    });
  });

  it('GIVEN thread mode THEN one message per paper, each with a thread name', () => {
    const parts = renderPlan(channel({ mode: 'thread' }), plan);
    expect(parts).toHaveLength(25);
    expect(
      parts.every((part) => part.paperIds.length === 1 && part.threadName !== null && part.threadName.length <= 100),
    ).toBe(true);
  });
});

describe('planDueDeliveries', () => {
  it('GIVEN one channel whose planning fails THEN the others are still planned and it stays due', async () => {
    const d = deps();
    d.papers.upsertListed([listed('2026-08-20', makePaper({ id: '2608.00001' }))], NOW);
    const good = '200000000000000001';
    const bad = '200000000000000002';
    d.subscriptions.ensure(bad, GUILD, channel(), new Date('2026-08-21T08:00:00Z'), null, NOW);
    d.subscriptions.ensure(good, GUILD, channel(), new Date('2026-08-21T09:00:00Z'), null, NOW);
    d.subscriptions.addTopic(bad, { query: 'anything', minUpvotes: null }, NOW);
    const failing: PlannerDeps = {
      ...d,
      matcherFor: undefined,
      search: {
        matchingIds: () => {
          throw new Error('index corrupted');
        },
      },
    };
    const result = await planDueDeliveries(failing, NOW);
    expect(result.deliveries.map((delivery) => delivery.channelId)).toEqual([good]);
    expect(d.subscriptions.due(NOW, 10).map((c) => c.channelId)).toEqual([bad]);
  });
});

/** The store with `before` run ahead of every delivery its batches record: to fail, slow or watch a channel. */
function beforeEachPlan(deliveries: DeliveryStore, before: (input: PlanInput) => void): DeliveryStore {
  return {
    ...deliveries,
    batch: (fn) =>
      deliveries.batch((plan) =>
        fn((input) => {
          before(input);
          return plan(input);
        }),
      ),
  };
}

describe('planDueDeliveries when recording a channel fails', () => {
  it('GIVEN a channel failing on its second day THEN none of its days are kept, it stays due, its neighbours are planned', async () => {
    const d = deps();
    for (const [day, id] of [
      ['2026-08-19', '2608.00001'],
      ['2026-08-20', '2608.00002'],
    ] as const) {
      d.papers.upsertListed([listed(day, makePaper({ id }))], NOW);
    }
    const [before, bad, after] = ['200000000000000001', '200000000000000002', '200000000000000003'];
    for (const id of [before, bad, after]) {
      d.subscriptions.ensure(id, GUILD, channel(), new Date('2026-08-21T09:00:00Z'), '2026-08-18', NOW);
    }
    const logged: { level: number; msg: string; channelId?: string; listDay?: string }[] = [];
    const failing: PlannerDeps = {
      ...d,
      logger: pino({ level: 'debug' }, { write: (line: string) => logged.push(JSON.parse(line) as never) }),
      deliveries: beforeEachPlan(d.deliveries, (input) => {
        // Its first day is recorded before this throws: that must not be kept either.
        if (input.channelId === bad && input.listDay === '2026-08-20') throw new Error('disk I/O error');
      }),
    };
    const result = await planDueDeliveries(failing, NOW);
    const planned = [before, after].flatMap((id) => [
      [id, '2026-08-19'],
      [id, '2026-08-20'],
    ]);
    expect(result.deliveries.map((delivery) => [delivery.channelId, delivery.listDay])).toEqual(planned);
    expect(d.deliveries.pending().map((delivery) => [delivery.channelId, delivery.listDay])).toEqual(planned);
    expect(d.subscriptions.get(bad)?.lastListDay).toBe('2026-08-18');
    expect(d.subscriptions.get(after)?.lastListDay).toBe('2026-08-20');
    expect(d.subscriptions.due(NOW, 10).map((c) => c.channelId)).toEqual([bad]);
    const errors = logged.filter((entry) => entry.level >= 50);
    expect(errors.map((entry) => [entry.msg, entry.channelId])).toEqual([['planning this channel failed', bad]]);
    // Deliveries are logged once their slice has committed: never the rolled-back first day of the failing channel.
    const plannedLines = logged.filter((entry) => entry.msg === 'delivery planned');
    expect(plannedLines.map((entry) => [entry.channelId, entry.listDay])).toEqual(planned);
  });
  it('GIVEN a failure in a later slice THEN only that slice, up to the failing channel, is replayed with savepoints', async () => {
    const d = deps();
    d.papers.upsertListed([listed('2026-08-20', makePaper({ id: '2608.00001' }))], NOW);
    const ids = ['200000000000000001', '200000000000000002', '200000000000000003', '200000000000000004'];
    const [slow, beforeBad, bad, after] = ids;
    for (const id of ids) d.subscriptions.ensure(id, GUILD, channel(), new Date('2026-08-21T09:00:00Z'), null, NOW);
    // The channels planned inside a savepoint: the careful replay's.
    const replayed: string[] = [];
    let inSavepoint = false;
    const failing: PlannerDeps = {
      ...d,
      deliveries: {
        ...beforeEachPlan(d.deliveries, (input) => {
          if (inSavepoint) replayed.push(input.channelId);
          // The first channel takes a whole slice (20 ms): the others are planned in the next one.
          if (input.channelId === slow) {
            const until = performance.now() + 25;
            while (performance.now() < until);
          }
          if (input.channelId === bad) throw new Error('disk I/O error');
        }),
        savepoint: (fn) => {
          inSavepoint = true;
          try {
            return d.deliveries.savepoint(fn);
          } finally {
            inSavepoint = false;
          }
        },
      },
    };
    const result = await planDueDeliveries(failing, NOW);
    expect(result.deliveries.map((delivery) => delivery.channelId)).toEqual([slow, beforeBad, after]);
    // The replay starts where the failed slice did (after the slow channel's own slice) and stops at the failing
    // channel: normally [beforeBad, bad]; [bad] alone if a stall on this machine ended a slice in between.
    expect(replayed.at(-1)).toBe(bad);
    expect(replayed).not.toContain(slow);
    expect(replayed).not.toContain(after);
    expect(d.subscriptions.due(NOW, 10).map((c) => c.channelId)).toEqual([bad]);
  });

  it('GIVEN the database rolling the whole transaction back during the replay THEN nothing of the slice is kept', async () => {
    const d = deps();
    d.papers.upsertListed([listed('2026-08-20', makePaper({ id: '2608.00001' }))], NOW);
    // The failing channel is the middle one: one planned before it in the slice, one after.
    const ids = ['200000000000000001', '200000000000000002', '200000000000000003'];
    const bad = ids[1];
    for (const id of ids) d.subscriptions.ensure(id, GUILD, channel(), new Date('2026-08-21T09:00:00Z'), null, NOW);
    const pages = d.db.pragma('page_count', { simple: true }) as number;
    d.db.pragma(`max_page_count = ${String(pages + 3)}`);
    const logged: { level: number; msg: string }[] = [];
    const failing: PlannerDeps = {
      ...d,
      logger: pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line) as never) }),
      deliveries: beforeEachPlan(d.deliveries, (input) => {
        if (input.channelId !== bad) return;
        // A full disk: SQLite undoes the whole transaction, not only the statement or the savepoint.
        d.db
          .prepare('INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)')
          .run('filler', 'x'.repeat(100_000), NOW.toISOString());
      }),
    };
    const result = await planDueDeliveries(failing, NOW);
    expect(result.deliveries).toEqual([]);
    expect(d.deliveries.pending()).toEqual([]);
    // Not one channel went on in autocommit after the transaction was gone: all three stay due, none advanced.
    expect(d.subscriptions.due(NOW, 10).map((c) => c.channelId)).toEqual(ids);
    expect(logged.map((entry) => entry.msg)).toEqual([
      'planning a channel failed; planning its slice again, one savepoint per channel',
      'recording planned deliveries failed',
    ]);
  });
});

describe('planDueDeliveries when a slice cannot be recorded', () => {
  it('GIVEN a slice whose transaction fails THEN nothing of it is kept, its channels stay due, and the pass ends', async () => {
    const d = deps();
    d.papers.upsertListed([listed('2026-08-20', makePaper({ id: '2608.00001' }))], NOW);
    const ids = ['200000000000000001', '200000000000000002'];
    for (const id of ids) d.subscriptions.ensure(id, GUILD, channel(), new Date('2026-08-21T09:00:00Z'), null, NOW);
    const failing: PlannerDeps = {
      ...d,
      deliveries: {
        ...d.deliveries,
        // Everything is planned, then the transaction fails as a whole (as a COMMIT refused by a busy database).
        batch: (fn) =>
          d.deliveries.batch((plan) => {
            fn(plan);
            throw new Error('database is locked');
          }),
      },
    };
    const result = await planDueDeliveries(failing, NOW);
    expect(result.deliveries).toEqual([]);
    expect(d.deliveries.pending()).toEqual([]);
    expect(d.subscriptions.due(NOW, 10).map((c) => c.channelId)).toEqual(ids);
    // The next pass, with the database back, plans them once.
    expect((await planDueDeliveries(d, NOW)).deliveries.map((delivery) => delivery.channelId)).toEqual(ids);
  });
});

describe('planDueDeliveries with day matchers', () => {
  /** Channels with topics of every kind over two list days, planned with or without a day matcher. */
  async function plannedWith(useMatcher: boolean) {
    const d = deps();
    const opened: { closed: boolean }[] = [];
    const titles = ['Video diffusion models', 'Language agents that plan', 'Robot learning at scale'];
    for (const [day, offset] of [
      ['2026-08-19', 0],
      ['2026-08-20', 10],
    ] as const) {
      d.papers.upsertListed(
        titles.map((title, index) =>
          listed(
            day,
            makePaper({
              id: `2608.${String(10_000 + offset + index)}`,
              title,
              upvotes: 10 + index,
              organization: index === 1 ? { name: 'nvidia', fullname: 'NVIDIA' } : null,
            }),
          ),
        ),
        NOW,
      );
    }
    const topics = ['video', '"language agents"', 'org:nvidia', 'robot -scale', 'diffusion OR plan', 'nothing here'];
    topics.forEach((query, index) => {
      const id = `2000000000000000${String(10 + index)}`;
      d.subscriptions.ensure(
        id,
        GUILD,
        channel({ mode: index % 2 === 0 ? 'digest' : 'per-paper' }),
        new Date('2026-08-21T09:00:00Z'),
        '2026-08-18',
        NOW,
      );
      d.subscriptions.addTopic(id, { query, minUpvotes: null }, NOW);
    });
    const planner: PlannerDeps = useMatcher
      ? {
          ...d,
          matcherFor: (ids) => {
            const matcher = createCandidateMatcher(d.db, ids);
            const state = { closed: false };
            opened.push(state);
            return {
              matchingIds: (query, candidates) => matcher.matchingIds(query, candidates),
              close: () => {
                state.closed = true;
                matcher.close();
              },
            };
          },
        }
      : { ...d, matcherFor: undefined };
    const result = await planDueDeliveries(planner, NOW);
    const recorded = result.deliveries.map((delivery) => {
      const stored = d.deliveries.get(delivery.id);
      return [delivery.channelId, delivery.listDay, stored?.parts.map((part) => [part.paperIds, part.body])];
    });
    return { recorded, opened };
  }

  it('GIVEN topics of every kind THEN matching each day on its own copy plans exactly the same deliveries', async () => {
    const direct = await plannedWith(false);
    const copied = await plannedWith(true);
    expect(copied.recorded).toEqual(direct.recorded);
    expect(direct.recorded.length).toBeGreaterThan(5);
    // One copy per list day, each freed at the end of the pass.
    expect(copied.opened).toEqual([{ closed: true }, { closed: true }]);
  });
});

describe('retryAfter', () => {
  it.each([
    [1, '2026-08-21T09:01:30.000Z'],
    [2, '2026-08-21T09:02:30.000Z'],
    [4, '2026-08-21T09:08:30.000Z'],
    [12, '2026-08-21T09:30:30.000Z'],
  ])('GIVEN %i failures THEN the next try waits until %s (doubling, capped at 30 min)', (failures, expected) => {
    expect(retryAfter(NOW, failures).toISOString()).toBe(expected);
  });
});
