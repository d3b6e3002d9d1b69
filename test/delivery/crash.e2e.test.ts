/**
 * Crash test of delivery: the real bot process delivers to 50 channels and is killed with SIGKILL at seeded random
 * moments (some while messages and threads are in flight), then restarted; afterwards every channel has every
 * expected paper exactly once. The fake Discord lives in the test process, so it outlives every death of the bot.
 *
 * The kill schedule comes from a seeded PRNG; the seed is printed. Replay a failure with CRASH_SEED=<seed>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATCH_UP_JOB, DELIVERY_JOB } from '../../src/main.js';
import { addDays, utcDay, type ListedPaper } from '../../src/papers/paper.js';
import { parseApiResponse } from '../../src/sources/index.js';
import { openDatabase } from '../../src/store/database.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { createSubscriptionStore, type DeliveryMode } from '../../src/store/subscription-store.js';
import { spawnBot, type ChildBot } from '../support/child-bot.js';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/fake-discord/index.js';
import { loadFixtureJson, startFakeHf, type FakeHf } from '../support/fake-hf.js';
import {
  duplicatesOf,
  errorCode,
  isAlive,
  isMessagePost,
  isThreadPost,
  killHard,
  nonceFigures,
  outboxRows,
  pollUntil,
  postedIds,
  progress,
  seededRandom,
  sleep,
  stopGracefully,
} from './crash-support.js';

const CHANNELS = 50;
const KILLS = 12;
const SEED = process.env.CRASH_SEED === undefined ? Date.now() % 1_000_000 : Number(process.env.CRASH_SEED);

// The child runs on the real clock: list days are re-dated relative to today (a list day is a complete UTC day).
const TODAY = utcDay(new Date());
const DAY1 = addDays(TODAY, -1); // the newest complete list day
const DAY2 = addDays(TODAY, -2);
const DAY3 = addDays(TODAY, -3); // no papers: only a cursor
const FIXTURES: Record<string, string> = {
  [DAY1]: 'hf-api/daily_papers_date-2026-08-21_filtered-reindented.json', // 17 papers
  [DAY2]: 'hf-api/daily_papers_date-2026-06-03_filtered-reindented.json', // 23 papers
};
/** A fixture's items as listed on `day` (the list day comes from `submittedOnDailyAt` when an item has it). */
function redate(items: unknown, day: string): unknown[] {
  return (items as { paper: Record<string, unknown> }[]).map((item) => {
    const copy = structuredClone(item);
    copy.paper.submittedOnDailyAt = `${day}T00:00:00.000Z`;
    return copy;
  });
}
const listedByDay = new Map<string, ListedPaper[]>(
  Object.entries(FIXTURES).map(([day, file]) => [
    day,
    parseApiResponse(redate(loadFixtureJson(file), day), day, 'fixture'),
  ]),
);
for (const [day, listed] of listedByDay) {
  if (listed.some((item) => item.listDay !== day)) throw new Error(`fixture for ${day} not re-dated`);
}

interface ChannelCase {
  readonly id: string;
  readonly mode: DeliveryMode;
  readonly maxPapers: number;
  readonly lastListDay: string | null;
  /** The list days it must get, oldest first (the order deliveries go out in). */
  readonly days: readonly string[];
  /** The paper ids it must get, in posting order. */
  readonly expected: readonly string[];
}

/** What a channel gets of a day: most upvoted first (ties by id), top N. Computed here, not by the bot's code. */
function expectedOfDay(day: string, maxPapers: number): string[] {
  return [...(listedByDay.get(day) ?? [])]
    .sort((a, b) => b.paper.upvotes - a.paper.upvotes || a.paper.id.localeCompare(b.paper.id))
    .slice(0, maxPapers)
    .map((listed) => listed.paper.id);
}

const MODES: readonly DeliveryMode[] = ['digest', 'digest', 'digest', 'per-paper', 'thread'];

/**
 * 30 digest channels (all papers, or the default top 10), 10 per-paper (top 10) and 10 thread channels (top 8).
 * Cursors: most channels get the newest day only (no cursor, or the day before it as cursor); every 7th gets the
 * two days (cursor 3 days back); and a few have had the newest day already and must get nothing.
 */
function channelCase(index: number, id: string): ChannelCase {
  const mode = MODES[index % MODES.length] ?? 'digest';
  const maxPapers = mode === 'digest' ? (index % 2 === 0 ? 25 : 10) : mode === 'per-paper' ? 10 : 8;
  let lastListDay: string | null;
  let days: string[];
  if (index % 7 === 0) [lastListDay, days] = [DAY3, [DAY2, DAY1]];
  else if (index % 7 === 3) [lastListDay, days] = [DAY1, []];
  else if (index % 2 === 0) [lastListDay, days] = [null, [DAY1]];
  else [lastListDay, days] = [DAY2, [DAY1]];
  return { id, mode, maxPapers, lastListDay, days, expected: days.flatMap((day) => expectedOfDay(day, maxPapers)) };
}

/** Papers and subscriptions written before the bot's first start; every channel is due at once. */
function seedDatabase(path: string, channels: readonly ChannelCase[], guildId: string): void {
  const db = openDatabase(path);
  try {
    const now = new Date();
    const papers = createPaperStore(db);
    for (const listed of listedByDay.values()) papers.upsertListed(listed, now);
    const subscriptions = createSubscriptionStore(db);
    for (const channel of channels) {
      const created = subscriptions.ensure(
        channel.id,
        guildId,
        {
          time: '09:00',
          timezone: 'UTC',
          days: 'every-day',
          mode: channel.mode,
          maxPapers: channel.maxPapers,
          minUpvotes: 0,
        },
        new Date(now.getTime() - 60 * 60_000),
        channel.lastListDay,
        now,
      );
      if (!created) throw new Error(`subscription of ${channel.id} not created`);
    }
  } finally {
    db.close();
  }
}

type KillKind = 'time' | 'message' | 'thread';

interface KillPlan {
  readonly kind: KillKind;
  /** 'time': ms after "connected to Discord"; otherwise a small jitter after the trigger request arrived. */
  readonly delayMs: number;
  /** 'message' / 'thread': kill once this many such requests of this run have reached Discord. */
  readonly count: number;
  /**
   * Slow message sends (ms each, for the whole run), so the kill finds requests in flight; null: full speed. Held
   * 2.5-4 s, a request of the dead process is still unanswered when the next start looks for its message: that
   * start must resend it with the same nonce and get the one message back.
   */
  readonly slowMessagesMs: number | null;
  /** Slow thread creation, for kills between a message's thread request and its record. */
  readonly slowThreadsMs: number | null;
}

/** The whole kill schedule, drawn up front from the seed so it does not depend on timing. */
function killSchedule(seed: number): KillPlan[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const kinds: KillKind[] = Array.from(
    { length: KILLS },
    (_, index) => (['time', 'message', 'thread'] as const)[index % 3] ?? 'time',
  );
  for (let index = kinds.length - 1; index > 0; index -= 1) {
    const other = int(0, index);
    [kinds[index], kinds[other]] = [kinds[other] ?? 'time', kinds[index] ?? 'time'];
  }
  const firstMessageKill = kinds.indexOf('message');
  return kinds.map((kind, index) => {
    const slow = random() < 0.6;
    // Held past the next start (which takes over a second): the first message kill always, others sometimes.
    const hold = kind === 'message' && (index === firstMessageKill || random() < 0.3);
    return {
      kind,
      delayMs: kind === 'time' ? int(0, 1_500) : int(0, 25),
      count: kind === 'message' ? int(1, 15) : kind === 'thread' ? int(1, 6) : 0,
      slowMessagesMs: hold ? int(2_500, 4_000) : slow || kind === 'message' ? int(100, 400) : null,
      slowThreadsMs: kind === 'thread' && random() < 0.7 ? int(50, 250) : null,
    };
  });
}

function describePlan(plan: KillPlan): string {
  const trigger =
    plan.kind === 'time'
      ? `${String(plan.delayMs)} ms after connecting`
      : `${String(plan.delayMs)} ms after ${plan.kind} request #${String(plan.count)}`;
  const slow = [
    plan.slowMessagesMs === null ? null : `messages +${String(plan.slowMessagesMs)} ms`,
    plan.slowThreadsMs === null ? null : `threads +${String(plan.slowThreadsMs)} ms`,
  ].filter((text) => text !== null);
  return `${trigger}${slow.length > 0 ? ` (${slow.join(', ')})` : ''}`;
}

function report(text: string): void {
  // eslint-disable-next-line no-console
  console.info(text);
}

let discord: FakeDiscord;
let hf: FakeHf;
let dir: string;
let running: ChildBot | null = null;

beforeEach(async () => {
  discord = await startFakeDiscord();
  hf = await startFakeHf(); // no days: the start-up ingest finds nothing, the store is seeded
  dir = mkdtempSync(join(tmpdir(), 'paperboy-crash-'));
});

afterEach(async () => {
  if (running !== null) await killHard(running);
  running = null;
  await discord.close();
  await hf.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(dbPath: string, logLevel: 'info' | 'debug' = 'info'): ChildBot {
  running = spawnBot(['start'], {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    HF_BASE_URL: hf.baseUrl,
    DATABASE_PATH: dbPath,
    LOG_LEVEL: logLevel,
  });
  return running;
}

async function connected(bot: ChildBot): Promise<void> {
  await bot.waitForLog((line) => line.msg === 'connected to Discord', 30_000);
}

/** SIGTERM to the bot, and its exit code. */
async function stop(bot: ChildBot): Promise<number | string> {
  const code = await stopGracefully(bot);
  running = null;
  return code;
}

/**
 * The start-up catch-up (ingest, then a delivery tick) has finished: with nothing left to send, deliveries are
 * complete before that, and a stop would land in the middle of the ingest. Needs LOG_LEVEL=debug.
 */
async function caughtUp(bot: ChildBot): Promise<void> {
  const finished = (job: string) => (line: Record<string, unknown>) => line.job === job && line.msg === 'job finished';
  const ingested = bot.logs.indexOf(await bot.waitForLog(finished(CATCH_UP_JOB), 60_000));
  await bot.waitForLog((line) => finished(DELIVERY_JOB)(line) && bot.logs.indexOf(line) > ingested, 60_000);
}

function messageCount(channels: readonly ChannelCase[]): number {
  return channels.reduce((sum, channel) => sum + discord.messages(channel.id).length, 0);
}

/** Waits until every expected delivery is recorded and fully sent (threads included). */
async function deliveredAll(dbPath: string, deliveries: number, bot: ChildBot, timeoutMs: number): Promise<void> {
  await pollUntil(
    () => {
      const now = progress(dbPath);
      return now.deliveries === deliveries && now.sent === deliveries && now.openParts === 0 ? true : null;
    },
    timeoutMs,
    () =>
      `progress ${JSON.stringify(progress(dbPath))} of ${String(deliveries)}; last logs ${JSON.stringify(bot.logs.slice(-3))}`,
    100,
  );
}

/** Every channel got exactly its papers, once, in order, in the right number of messages; the DB agrees. */
function assertExactlyOnce(channels: readonly ChannelCase[], dbPath: string): { messages: number; threads: number } {
  const rows = outboxRows(dbPath);
  let messages = 0;
  let threads = 0;
  for (const channel of channels) {
    const posted = discord.messages(channel.id);
    const ids = postedIds(posted);
    const where = `channel ${channel.id} (${channel.mode}, max ${String(channel.maxPapers)}, days ${channel.days.join(',') || 'none'})`;
    expect(duplicatesOf(ids), `${where}: duplicates`).toEqual([]);
    expect(new Set(ids), `${where}: the set of papers`).toEqual(new Set(channel.expected));
    expect(ids, `${where}: order`).toEqual(channel.expected);

    const parts = rows.filter((row) => row.channel_id === channel.id);
    if (channel.mode === 'digest') {
      const minimum = channel.days.reduce(
        (sum, day) => sum + Math.ceil(expectedOfDay(day, channel.maxPapers).length / 10),
        0,
      );
      expect(posted.length, `${where}: digest messages`).toBeGreaterThanOrEqual(minimum);
      expect(posted.length, `${where}: one message per outbox part`).toBe(parts.length);
      for (const message of posted) expect(message.embeds.length).toBeLessThanOrEqual(10);
    } else {
      expect(posted.length, `${where}: one message per paper`).toBe(channel.expected.length);
    }
    for (const message of posted) {
      // A thread's id is its starter message's id: a second thread on a message is impossible, none is a miss.
      if (channel.mode === 'thread') expect(message.threadId, `${where}: thread on ${message.id}`).toBe(message.id);
      else expect(message.threadId, `${where}: no thread`).toBeNull();
    }
    // The outbox recorded exactly the messages that exist, in order, each with its thread.
    expect(
      parts.map((row) => row.message_id),
      `${where}: recorded message ids`,
    ).toEqual(posted.map((m) => m.id));
    expect(parts.every((row) => row.state === 'sent' && row.status === 'sent')).toBe(true);
    for (const row of parts) expect(row.thread_id).toBe(row.thread_name === null ? null : row.message_id);
    messages += posted.length;
    threads += posted.filter((message) => message.threadId !== null).length;
  }
  return { messages, threads };
}

/** Statuses of the bot's requests: only 2xx, rate-limit 429s, and 160004 (a thread already opened, on recovery). */
function requestFigures(requests: readonly RecordedRequest[]): { unexpected: string[]; threadRecoveries: number } {
  const unexpected: string[] = [];
  let threadRecoveries = 0;
  for (const request of requests) {
    const status = request.status;
    if (status === null || (status >= 200 && status < 300) || status === 429) continue;
    if (isThreadPost(request) && status === 400 && errorCode(request) === 160004) {
      threadRecoveries += 1;
      continue;
    }
    unexpected.push(`${request.method} ${request.path} -> ${String(status)} ${JSON.stringify(request.responseBody)}`);
  }
  return { unexpected, threadRecoveries };
}

/** Per start: what the fake saw around the kill, and the recoveries the bot logged. */
interface RunFigures {
  messagesInFlight: number;
  threadsInFlight: number;
  recoveredFound: number;
  recoveredMissing: number;
}

function recoveryFigures(bot: ChildBot): Pick<RunFigures, 'recoveredFound' | 'recoveredMissing'> {
  const recoveries = bot.logs.filter((line) => line.msg === 'recovered a message left in flight');
  return {
    recoveredFound: recoveries.filter((line) => line.found === true).length,
    recoveredMissing: recoveries.filter((line) => line.found === false).length,
  };
}

/** CRASH_DEBUG=1 prints each start's log timeline (ms since its first line). */
function debugTimeline(label: string, bot: ChildBot): void {
  if (process.env.CRASH_DEBUG === undefined) return;
  const t0 = Number(bot.logs[0]?.time ?? 0);
  const fields = (line: Record<string, unknown>) =>
    ['deliveryId', 'part', 'found', 'listDay', 'reason']
      .filter((key) => line[key] !== undefined)
      .map((key) => `${key}=${String(line[key])}`)
      .join(' ');
  report(
    `${label}:\n${bot.logs.map((line) => `    ${String(Number(line.time) - t0)} ${String(line.msg)} ${fields(line)}`).join('\n')}`,
  );
}

describe('delivery survives kill -9 of the bot process', () => {
  it(
    `GIVEN 50 channels due at once WHEN the bot is killed ${String(KILLS)} times mid-delivery and restarted THEN every channel has every paper exactly once`,
    { timeout: 180_000 },
    async () => {
      const startedAt = Date.now();
      const dbPath = join(dir, 'paperboy.db');
      const guildId = discord.guild.id;
      const channels = Array.from({ length: CHANNELS }, (_, index) =>
        channelCase(index, discord.createChannel(guildId, { name: `papers-${String(index)}` }).id),
      );
      seedDatabase(dbPath, channels, guildId);
      const expectedDeliveries = channels.reduce((sum, channel) => sum + channel.days.length, 0);
      const schedule = killSchedule(SEED);
      report(`crash test seed ${String(SEED)} (replay: CRASH_SEED=${String(SEED)}); list days ${DAY2}, ${DAY1}`);

      const lines: string[] = [];
      const runs: RunFigures[] = [];
      try {
        for (const [index, plan] of schedule.entries()) {
          discord.clearFaults();
          if (plan.slowMessagesMs !== null) {
            discord.addFault({
              method: 'POST',
              path: '/channels/:id/messages',
              delayMs: plan.slowMessagesMs,
              times: 10_000,
            });
          }
          if (plan.slowThreadsMs !== null) {
            discord.addFault({
              method: 'POST',
              path: '/channels/:id/messages/:mid/threads',
              delayMs: plan.slowThreadsMs,
              times: 10_000,
            });
          }
          const firstSeq = discord.requests().length + 1;
          const messagesBefore = messageCount(channels);
          const bot = start(dbPath);
          await connected(bot);
          const connectedAt = Date.now();
          let idle = false;
          if (plan.kind !== 'time') {
            const wanted = plan.kind === 'message' ? isMessagePost : isThreadPost;
            // A start that runs out of work before its trigger is killed anyway, idle.
            idle = !(await pollUntil(
              () => {
                const arrived = discord.requests().filter((request) => request.seq >= firstSeq && wanted(request));
                return arrived.length >= plan.count ? true : Date.now() - connectedAt > 2_500 ? false : null;
              },
              10_000,
              () => 'kill trigger',
              2,
            ));
          }
          await sleep(plan.delayMs);
          const killAt = Date.now();
          const { exit } = await killHard(bot);
          running = null;
          // Requests of the dead process held by a slow fault are still answered, and create messages, after it died.
          discord.clearFaults();
          const ofRun = discord.requests().filter((request) => request.seq >= firstSeq && request.at <= killAt);
          const open = (request: RecordedRequest) => request.answeredAt === null || request.answeredAt >= killAt;
          const run: RunFigures = {
            messagesInFlight: ofRun.filter((request) => isMessagePost(request) && open(request)).length,
            threadsInFlight: ofRun.filter((request) => isThreadPost(request) && open(request)).length,
            ...recoveryFigures(bot),
          };
          runs.push(run);
          debugTimeline(
            `start ${String(index + 1)} (connected at ${String(connectedAt)}, killed at ${String(killAt)})`,
            bot,
          );
          lines.push(
            `  kill ${String(index + 1)}: ${describePlan(plan)}${idle ? ' [trigger not reached: killed idle]' : ''}` +
              ` -> +${String(messageCount(channels) - messagesBefore)} messages; in flight at the kill:` +
              ` ${String(run.messagesInFlight)} messages, ${String(run.threadsInFlight)} threads; recoveries at this start:` +
              ` ${String(run.recoveredFound)} found, ${String(run.recoveredMissing)} not; exit ${String(exit)};` +
              ` outbox ${JSON.stringify(progress(dbPath))}`,
          );
        }

        // The last start finishes the job; then a graceful stop.
        await sleep(500);
        const bot = start(dbPath, 'debug');
        await connected(bot);
        await deliveredAll(dbPath, expectedDeliveries, bot, 60_000);
        await caughtUp(bot);
        runs.push({ messagesInFlight: 0, threadsInFlight: 0, ...recoveryFigures(bot) });
        debugTimeline('final start', bot);
        const pid = bot.child.pid ?? -1;
        expect(await stop(bot)).toBe(0);
        expect(bot.logs.some((line) => line.msg === 'stopped')).toBe(true);
        expect(isAlive(pid)).toBe(false);
        expect(bot.logs.filter((line) => line.level === 50 || line.level === 60)).toEqual([]);
        lines.push(`  final start: recoveries ${JSON.stringify(recoveryFigures(bot))}; stopped with SIGTERM, exit 0`);

        const { messages } = assertExactlyOnce(channels, dbPath);
        const requests = discord.requests();
        const nonces = nonceFigures(requests);
        expect(nonces.withoutNonce).toBe(0);
        expect(nonces.dedupedByNonce).toBe(nonces.nonceResends);
        expect(nonces.created).toBe(messages);
        expect(requestFigures(requests).unexpected).toEqual([]);
        const stats = discord.stats();
        expect(stats.invalidByStatus[401]).toBe(0);
        expect(stats.invalidByStatus[403]).toBe(0);
        expect(stats.invalidRequests).toBe(stats.invalidByStatus[429]);
      } finally {
        const requests = discord.requests();
        const nonces = nonceFigures(requests);
        const { unexpected, threadRecoveries } = requestFigures(requests);
        const stats = discord.stats();
        const sum = (pick: (run: RunFigures) => number) => runs.reduce((total, run) => total + pick(run), 0);
        const threads = channels.reduce(
          (total, channel) =>
            total + discord.messages(channel.id).filter((message) => message.threadId !== null).length,
          0,
        );
        report(
          [
            `crash test (seed ${String(SEED)}): ${String(runs.length)} starts, ${String(Math.min(runs.length, KILLS))} kills; ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
            ...lines,
            `  kills with messages in flight: ${String(runs.filter((run) => run.messagesInFlight > 0).length)}, with thread requests in flight: ${String(runs.filter((run) => run.threadsInFlight > 0).length)}`,
            `  messages: ${String(messageCount(channels))} in ${String(CHANNELS)} channels (${String(expectedDeliveries)} deliveries), threads: ${String(threads)}`,
            `  in-flight recoveries logged: ${String(sum((run) => run.recoveredFound))} found posted, ${String(sum((run) => run.recoveredMissing))} not found (resent)`,
            `  message POSTs: ${String(nonces.posts)}; nonce resends reaching Discord: ${String(nonces.nonceResends)}, answered with the earlier message (nonce dedupe): ${String(nonces.dedupedByNonce)}`,
            `  thread requests answered 160004 (already opened: a thread recovered): ${String(threadRecoveries)}`,
            `  requests: ${String(stats.totalRequests)}; invalid: ${JSON.stringify(stats.invalidByStatus)}; rate limited: ${JSON.stringify(stats.rateLimited)}; peak per sliding second: ${String(stats.peakRequestsPerSecond)}`,
            ...(unexpected.length > 0 ? [`  UNEXPECTED answers: ${unexpected.slice(0, 10).join('; ')}`] : []),
          ].join('\n'),
        );
      }
    },
  );
});

describe('delivery on SIGTERM', () => {
  it(
    'GIVEN messages in flight WHEN the bot gets SIGTERM THEN they finish and are recorded, it exits 0, and the next start delivers the rest once',
    { timeout: 60_000 },
    async () => {
      const dbPath = join(dir, 'paperboy.db');
      const guildId = discord.guild.id;
      const perPaper = discord.createChannel(guildId, { name: 'per-paper' }).id;
      const thread = discord.createChannel(guildId, { name: 'threads' }).id;
      const channels: ChannelCase[] = [
        {
          id: perPaper,
          mode: 'per-paper',
          maxPapers: 6,
          lastListDay: null,
          days: [DAY1],
          expected: expectedOfDay(DAY1, 6),
        },
        { id: thread, mode: 'thread', maxPapers: 4, lastListDay: DAY2, days: [DAY1], expected: expectedOfDay(DAY1, 4) },
      ];
      seedDatabase(dbPath, channels, guildId);
      discord.addFault({ method: 'POST', path: '/channels/:id/messages', delayMs: 700, times: 10_000 });

      const first = start(dbPath);
      await connected(first);
      // The third message request: by then each channel has had a message go out, and one is in flight.
      const third = await pollUntil(
        () => discord.requests().filter(isMessagePost)[2] ?? null,
        20_000,
        () => 'a third message request',
        2,
      );
      const signalledAt = Date.now();
      const code = await stop(first);
      const inFlight = discord
        .requests()
        .filter((request) => isMessagePost(request) && request.at <= signalledAt)
        .filter((request) => request.answeredAt === null || request.answeredAt >= signalledAt);
      expect(third.seq).toBeGreaterThan(0);
      expect(inFlight.length).toBeGreaterThan(0);
      expect(code).toBe(0);
      expect(first.logs.find((line) => line.msg === 'shutting down')).toMatchObject({ reason: 'SIGTERM' });
      expect(first.logs.some((line) => line.msg === 'stopped')).toBe(true);

      // What was in flight finished and is recorded: every message that exists is in the outbox, nothing in flight.
      const rows = outboxRows(dbPath);
      expect(rows.filter((row) => row.state === 'in-flight')).toEqual([]);
      const sentRows = rows.filter((row) => row.state === 'sent');
      const existing = channels.flatMap((channel) => discord.messages(channel.id).map((message) => message.id));
      expect(sentRows.map((row) => row.message_id).sort()).toEqual([...existing].sort());
      for (const row of sentRows) expect(row.thread_id).toBe(row.thread_name === null ? null : row.message_id);
      const sentBeforeStop = sentRows.length;
      expect(sentBeforeStop).toBeGreaterThan(0);
      expect(sentBeforeStop).toBeLessThan(rows.length); // the rest is left for the next start

      discord.clearFaults();
      const second = start(dbPath, 'debug');
      await connected(second);
      await deliveredAll(dbPath, 2, second, 30_000);
      await caughtUp(second);
      expect(await stop(second)).toBe(0);
      expect(second.logs.filter((line) => line.level === 50 || line.level === 60)).toEqual([]);
      // Nothing was left in flight, so nothing needed looking for.
      expect(second.logs.filter((line) => line.msg === 'recovered a message left in flight')).toEqual([]);
      assertExactlyOnce(channels, dbPath);
      expect(nonceFigures(discord.requests()).nonceResends).toBe(0);
      expect(requestFigures(discord.requests()).unexpected).toEqual([]);
      report(
        `SIGTERM test: ${String(inFlight.length)} message(s) in flight at SIGTERM, ${String(sentBeforeStop)} of ${String(rows.length)} sent before the stop, the rest after the restart`,
      );
    },
  );
});
