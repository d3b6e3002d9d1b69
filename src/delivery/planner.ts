import type { Logger } from 'pino';
import { addDays, utcDay } from '../papers/paper.js';
import type { APIEmbed } from '../render/discord-types.js';
import { renderDigestMessages, renderPaperEmbed, renderPaperMessage, threadName } from '../render/index.js';
import type { CandidateMatcher } from '../search/candidate-index.js';
import type { SearchService } from '../search/index.js';
import {
  TransactionLostError,
  type DeliveryStore,
  type PlanDelivery,
  type PlannedPart,
} from '../store/delivery-store.js';
import type { PaperStore, StoredPaper } from '../store/paper-store.js';
import type { ChannelSubscription, SubscriptionStore } from '../store/subscription-store.js';
import { nextRunAfter } from '../subscriptions/schedule.js';
import { selectPapers, type Selection } from './selection.js';

/** Missed runs are caught up for at most this many days back (the bot was down, HF was late). */
export const CATCH_UP_DAYS = 7;
/** And at most this many list days in one run, oldest first: a long outage must not flood a channel. */
export const MAX_DAYS_PER_RUN = 3;
/**
 * Channels planned per tick; the rest are planned on the next tick (after this tick's messages are sent). Planning
 * 10,000 channels takes under a second and yields to the event loop, so a big server's 09:00 is planned at once.
 */
export const MAX_CHANNELS_PER_TICK = 20_000;

export interface PlannerDeps {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly papers: PaperStore;
  readonly search: Pick<SearchService, 'matchingIds'>;
  /**
   * A matcher over a day's papers alone (createCandidateMatcher): a planning pass matches hundreds of topics
   * against each day. Without it, topics are matched against the whole store (slower, same answers).
   */
  readonly matcherFor?: (paperIds: readonly string[]) => CandidateMatcher;
  readonly logger: Logger;
  readonly hfBaseUrl?: string;
}

/** What a channel will get for one list day, and why each paper is there. */
export interface ChannelPlan {
  readonly day: string;
  readonly selection: Selection;
  /** Paper id -> the channel's topics it matched (empty when the channel follows the whole list). */
  readonly matchedTopics: ReadonlyMap<string, readonly string[]>;
}

/**
 * The list days a channel should get at `now`: complete UTC days (before today) with papers, newer than the
 * newest it has had, within the catch-up window. A channel that has had nothing yet gets only the newest one:
 * a new subscription starts from its next delivery, without a flood of history.
 */
export function daysToDeliver(
  channel: ChannelSubscription,
  storedDaysNewestFirst: readonly string[],
  now: Date,
): string[] {
  return daysAfterCursor(channel, catchUpWindow(storedDaysNewestFirst, now));
}

/** The stored list days a run at `now` may deliver: complete (before today), within the catch-up window. */
function catchUpWindow(storedDaysNewestFirst: readonly string[], now: Date): string[] {
  const today = utcDay(now);
  const oldest = addDays(today, -CATCH_UP_DAYS);
  return storedDaysNewestFirst.filter((day) => day < today && day >= oldest);
}

/** Of the window's days (newest first), those the channel has not had, oldest first, at most a run's worth. */
function daysAfterCursor(channel: ChannelSubscription, windowNewestFirst: readonly string[]): string[] {
  const candidates = windowNewestFirst.filter((day) => channel.lastListDay === null || day > channel.lastListDay);
  const limit = channel.lastListDay === null ? 1 : MAX_DAYS_PER_RUN;
  return candidates.slice(0, limit).reverse();
}

/**
 * One tick's view of the list days: each day's papers read once, and each topic matched against a day once,
 * however many channels share them (10,000 channels often follow the same few topics).
 */
export interface DayView {
  papersOn(day: string): readonly StoredPaper[];
  matching(query: string, day: string): ReadonlySet<string>;
  /** A paper's embed (compact for digests, full otherwise) for a day, with the topics it matched: once per tick. */
  embed(
    form: 'compact' | 'full',
    paper: StoredPaper,
    matchedTopics: readonly string[] | undefined,
    day: string,
    hfBaseUrl?: string,
  ): APIEmbed;
  /** Frees the day matchers. */
  close(): void;
}

export function createDayView(deps: Pick<PlannerDeps, 'papers' | 'search' | 'matcherFor'>): DayView {
  const papers = new Map<string, readonly StoredPaper[]>();
  const matches = new Map<string, ReadonlySet<string>>();
  const embeds = new Map<string, APIEmbed>();
  const matchers = new Map<string, CandidateMatcher>();
  const matcherOf = (day: string, ids: readonly string[]): Pick<SearchService, 'matchingIds'> => {
    if (deps.matcherFor === undefined) return deps.search;
    let matcher = matchers.get(day);
    if (matcher === undefined) {
      matcher = deps.matcherFor(ids);
      matchers.set(day, matcher);
    }
    return matcher;
  };
  const view: DayView = {
    close() {
      for (const matcher of matchers.values()) matcher.close();
      matchers.clear();
    },
    embed(form, paper, matchedTopics, day, hfBaseUrl) {
      // Unit separators cannot occur in ids, days or topics (they are control characters).
      const key = [form, day, paper.id, hfBaseUrl ?? '', ...(matchedTopics ?? [])].join('\u001f');
      let embed = embeds.get(key);
      if (embed === undefined) {
        embed = renderPaperEmbed(paper, { form, matchedTopics, hfBaseUrl, listDay: day });
        embeds.set(key, embed);
      }
      return embed;
    },
    papersOn(day) {
      let ofDay = papers.get(day);
      if (ofDay === undefined) {
        ofDay = deps.papers.onDay(day);
        papers.set(day, ofDay);
      }
      return ofDay;
    },
    matching(query, day) {
      const key = `${day}\n${query}`;
      let found = matches.get(key);
      if (found === undefined) {
        const ids = view.papersOn(day).map((paper) => paper.id);
        found = new Set(matcherOf(day, ids).matchingIds(query, ids).keys());
        matches.set(key, found);
      }
      return found;
    },
  };
  return view;
}

/** The channel's selection for one day: topic matches (any topic), floors, papers never posted there before. */
export function planForDay(
  deps: Pick<PlannerDeps, 'papers' | 'deliveries' | 'search'>,
  channel: ChannelSubscription,
  day: string,
  view: DayView = createDayView(deps),
): ChannelPlan {
  const ofDay = view.papersOn(day);
  const matchedTopics = new Map<string, string[]>();
  let candidates: readonly StoredPaper[] = ofDay;
  if (channel.topics.length > 0) {
    for (const topic of channel.topics) {
      const matches = view.matching(topic.query, day);
      for (const paper of ofDay) {
        if (!matches.has(paper.id) || paper.upvotes < (topic.minUpvotes ?? 0)) continue;
        matchedTopics.set(paper.id, [...(matchedTopics.get(paper.id) ?? []), topic.query]);
      }
    }
    candidates = ofDay.filter((paper) => matchedTopics.has(paper.id));
  }
  const selection = selectPapers(day, candidates, {
    maxPapers: channel.maxPapers,
    minUpvotes: channel.minUpvotes,
    alreadyPosted: deps.deliveries.alreadyPosted(channel.channelId, mayHaveBeenPosted(channel, day, ofDay)),
  });
  return { day, selection: { ...selection, total: ofDay.length }, matchedTopics };
}

/**
 * The papers of `day` that may have been posted to the channel before. Every delivery a channel has had was of a day
 * up to its cursor (lastListDay), and a paper is only delivered for a day it is listed on: for a day after the
 * cursor, only papers also listed on an earlier day can have been (a few a month); the others need no lookup.
 */
function mayHaveBeenPosted(channel: ChannelSubscription, day: string, ofDay: readonly StoredPaper[]): string[] {
  const afterCursor = channel.lastListDay === null || day > channel.lastListDay;
  return ofDay.filter((paper) => !afterCursor || (paper.listDays[0] ?? day) < day).map((paper) => paper.id);
}

/** The messages a plan becomes, in the channel's mode. */
export function renderPlan(
  channel: ChannelSubscription,
  plan: ChannelPlan,
  hfBaseUrl?: string,
  view?: Pick<DayView, 'embed'>,
): PlannedPart[] {
  const papers = plan.selection.papers;
  if (papers.length === 0) return [];
  const base = hfBaseUrl === undefined ? {} : { hfBaseUrl };
  if (channel.mode === 'digest') {
    // One compact embed per paper, in selection order, split across messages: the i-th embed is the i-th paper.
    let next = 0;
    const compactEmbed =
      view === undefined
        ? undefined
        : (paper: StoredPaper, topics: readonly string[] | undefined) =>
            view.embed('compact', paper, topics, plan.day, hfBaseUrl);
    return renderDigestMessages(plan.selection, { ...base, matchedTopics: plan.matchedTopics, compactEmbed }).map(
      (body) => {
        const paperIds = papers.slice(next, next + body.embeds.length).map((paper) => paper.id);
        next += body.embeds.length;
        return { body, paperIds, threadName: null };
      },
    );
  }
  const fullEmbed =
    view === undefined
      ? undefined
      : (paper: StoredPaper, topics: readonly string[] | undefined) =>
          view.embed('full', paper, topics, plan.day, hfBaseUrl);
  return papers.map((paper) => ({
    body: renderPaperMessage(paper, {
      ...base,
      matchedTopics: plan.matchedTopics.get(paper.id),
      listDay: plan.day,
      fullEmbed,
    }),
    paperIds: [paper.id],
    threadName: channel.mode === 'thread' ? threadName(paper.title) : null,
  }));
}

/** A delivery just recorded; its messages stay in the store until the sender loads them. */
export interface PlannedDelivery {
  readonly id: number;
  readonly channelId: string;
  readonly listDay: string;
}

export interface PlanTickResult {
  readonly channels: number;
  readonly deliveries: PlannedDelivery[];
}

/** Planning gives the event loop back this often, so interactions are answered while 10,000 channels are planned. */
const PLANNING_SLICE_MS = 20;

/** A channel whose planning threw inside a slice recorded without savepoints: the slice is planned again, carefully. */
class ChannelFailed extends Error {
  constructor(
    readonly index: number,
    options: ErrorOptions,
  ) {
    super('planning a channel failed', options);
  }
}

/**
 * One planning pass: every due channel gets a recorded delivery (with its rendered outbox) for each list day it
 * should have, then its next run is set; a channel's deliveries and its advance are kept together or not at all.
 * Recorded once per (channel, day). The pass runs in slices of about 20 ms, each one transaction (a commit per
 * delivery was a third of the pass) without savepoints. When a channel fails, its slice is rolled back and planned
 * again with a savepoint per channel, so that the failing one is logged and left due and the others are kept.
 */
export async function planDueDeliveries(deps: PlannerDeps, now: Date): Promise<PlanTickResult> {
  const due = deps.subscriptions.due(now, MAX_CHANNELS_PER_TICK);
  if (due.length === 0) return { channels: 0, deliveries: [] };
  const pass: PassContext = {
    window: catchUpWindow(deps.papers.days(CATCH_UP_DAYS + 2), now),
    view: createDayView(deps),
    nextRun: memoisedNextRun(now),
    now,
  };
  const deliveries: PlannedDelivery[] = [];
  try {
    let next = 0;
    while (next < due.length) {
      if (next > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      let slice: SliceResult;
      try {
        try {
          slice = planSlice(deps, pass, due, next, null);
        } catch (error) {
          if (!(error instanceof ChannelFailed)) throw error;
          const channel = due[error.index];
          // Logged here too: a failure that passes (a busy database) leaves no trace in the careful replay.
          deps.logger.warn(
            { err: error.cause, channelId: channel?.channelId, guildId: channel?.guildId },
            'planning a channel failed; planning its slice again, one savepoint per channel',
          );
          slice = planSlice(deps, pass, due, next, error.index + 1);
        }
      } catch (error) {
        // The slice's transaction failed as a whole (it could not commit, or the database rolled it back): nothing
        // of it was kept, and its channels stay due. Stop planning this tick; what was planned before is still sent.
        deps.logger.error({ err: error, channels: due.length - next }, 'recording planned deliveries failed');
        break;
      }
      logSlice(deps.logger, slice);
      deliveries.push(...slice.recorded.map(({ id, channelId, listDay }) => ({ id, channelId, listDay })));
      next = slice.next;
    }
  } finally {
    pass.view.close();
  }
  deps.logger.info({ channels: due.length, deliveries: deliveries.length }, 'deliveries planned');
  return { channels: due.length, deliveries };
}

interface SliceResult {
  /** The first channel not planned in this slice. */
  readonly next: number;
  /** Reported and logged only once the slice has committed, as are the days with nothing to post. */
  readonly recorded: readonly RecordedDelivery[];
  readonly empty: readonly EmptyDay[];
}

/** A delivery recorded in a slice not yet committed, with what its debug line says. */
interface RecordedDelivery extends PlannedDelivery {
  readonly guildId: string;
  readonly papers: number;
  readonly parts: number;
}

/** A channel's list day with nothing to post. */
interface EmptyDay {
  readonly channelId: string;
  readonly guildId: string;
  readonly listDay: string;
  readonly eligible: number;
}

/** Per delivery and per empty day, at debug level only: 10,000 channels plan at once. */
function logSlice(logger: Logger, slice: SliceResult): void {
  if (!logger.isLevelEnabled('debug')) return;
  for (const { id, channelId, guildId, listDay, papers, parts } of slice.recorded) {
    logger.debug({ channelId, guildId, listDay, deliveryId: id, papers, parts }, 'delivery planned');
  }
  for (const day of slice.empty) logger.debug({ ...day }, 'nothing to post for this day');
}

/**
 * Plans channels from `start` in one transaction: for about PLANNING_SLICE_MS without savepoints (a failing channel
 * throws ChannelFailed, rolling the slice back), or, when `carefulUntil` is given, the channels before it each in a
 * savepoint, a failing one logged and left due.
 */
function planSlice(
  deps: PlannerDeps,
  pass: PassContext,
  due: readonly ChannelSubscription[],
  start: number,
  carefulUntil: number | null,
): SliceResult {
  const recorded: RecordedDelivery[] = [];
  const empty: EmptyDay[] = [];
  const next = deps.deliveries.batch((plan) => {
    const sliceEnd = performance.now() + PLANNING_SLICE_MS;
    let index = start;
    for (; index < due.length; index += 1) {
      if (carefulUntil === null ? index > start && performance.now() >= sliceEnd : index >= carefulUntil) break;
      const channel = due[index];
      if (channel === undefined) continue;
      if (carefulUntil === null) {
        let outcome: ChannelOutcome;
        try {
          outcome = planChannel(deps, pass, plan, channel);
        } catch (error) {
          throw new ChannelFailed(index, { cause: error });
        }
        recorded.push(...outcome.recorded);
        empty.push(...outcome.empty);
        continue;
      }
      try {
        const outcome = deps.deliveries.savepoint(() => planChannel(deps, pass, plan, channel));
        recorded.push(...outcome.recorded);
        empty.push(...outcome.empty);
      } catch (error) {
        // The database undid the whole transaction, not just this channel: the slice is lost, not the channel.
        if (error instanceof TransactionLostError) throw error;
        // One channel's failure must not hold up the others; it stays due and is tried again next tick.
        deps.logger.error(
          { err: error, channelId: channel.channelId, guildId: channel.guildId },
          'planning this channel failed',
        );
      }
    }
    return index;
  });
  return { next, recorded, empty };
}

/** nextRunAfter for one pass: thousands of channels share a few schedules. */
function memoisedNextRun(now: Date): (channel: ChannelSubscription) => Date {
  const known = new Map<string, Date>();
  return (channel) => {
    const key = `${channel.time} ${channel.days} ${channel.timezone}`;
    let at = known.get(key);
    if (at === undefined) {
      at = nextRunAfter(channel, now);
      known.set(key, at);
    }
    return at;
  };
}

interface PassContext {
  /** The list days this pass may deliver (catchUpWindow), newest first. */
  readonly window: readonly string[];
  readonly view: DayView;
  readonly nextRun: (channel: ChannelSubscription) => Date;
  readonly now: Date;
}

interface ChannelOutcome {
  readonly recorded: RecordedDelivery[];
  readonly empty: EmptyDay[];
}

/** One channel's deliveries, and its advance. */
function planChannel(
  deps: PlannerDeps,
  pass: PassContext,
  plan: PlanDelivery,
  channel: ChannelSubscription,
): ChannelOutcome {
  const { now } = pass;
  const outcome: ChannelOutcome = { recorded: [], empty: [] };
  const where = { channelId: channel.channelId, guildId: channel.guildId };
  const days = daysAfterCursor(channel, pass.window);
  for (const day of days) {
    const selected = planForDay(deps, channel, day, pass.view);
    const parts = renderPlan(channel, selected, deps.hfBaseUrl, pass.view);
    if (parts.length === 0) {
      outcome.empty.push({ ...where, listDay: day, eligible: selected.selection.eligible });
      continue;
    }
    const id = plan({ channelId: channel.channelId, listDay: day, mode: channel.mode, parts, now });
    if (id !== null) {
      const papers = selected.selection.papers.length;
      outcome.recorded.push({ ...where, id, listDay: day, papers, parts: parts.length });
    }
  }
  // Days with nothing for this channel count as had too, so they are not weighed again on the next run.
  deps.subscriptions.advance(channel.channelId, pass.nextRun(channel), now, days.at(-1) ?? null);
  return outcome;
}
