import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Delivery, DeliveryStore, OutboxPart } from '../store/delivery-store.js';
import type { SubscriptionStore } from '../store/subscription-store.js';
import type { ChannelPoster, SendFailure } from './sender.js';
import { classifySendError } from './sender.js';

/** Channels sent to at once. Discord's own limits (50/s global, 5/5 s per channel) do the pacing. */
export const SEND_CONCURRENCY = 25;
/** A recovered in-flight message is searched for among messages posted from this long before its attempt. */
const RECOVERY_MARGIN_MS = 60_000;

export interface OutboxDeps {
  readonly deliveries: DeliveryStore;
  readonly subscriptions: SubscriptionStore;
  readonly poster: ChannelPoster;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Hooks for metrics. */
  readonly onSent?: (event: { channelId: string; deliveryId: number; part: number }) => void;
  readonly onFailure?: (event: { channelId: string; deliveryId: number; failure: SendFailure }) => void;
}

export interface SendSummary {
  readonly sent: number;
  readonly completed: number;
  readonly paused: string[];
  readonly retryLater: number;
}

/** Backoff after failures that may pass (Discord 5xx after discord.js's own retries, network): 1, 2, 4... min. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 30 * 60_000;

export function retryAfter(now: Date, failures: number): Date {
  return new Date(now.getTime() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1)));
}

/** The nonce of one message: derived from (delivery, part), so a resend is recognisable by Discord. <= 25 chars. */
export function nonceFor(deliveryId: number, part: number): string {
  return `pb${String(deliveryId)}.${String(part)}`;
}

/**
 * Walks the outbox: every pending delivery, its parts in order. Channels go in parallel, each channel's messages
 * in order; a channel that fails stops alone. A part is marked in flight before it is sent and sent once Discord
 * answers; a part found in flight (a crash between the two) is first looked for in the channel, then resent with the
 * same nonce. `signal` stops between messages: what is in flight finishes and is recorded.
 */
export async function sendPending(deps: OutboxDeps, signal?: AbortSignal): Promise<SendSummary> {
  const summary = { sent: 0, completed: 0, paused: [] as string[], retryLater: 0 };
  // Channel ids only: each worker loads one channel's deliveries (their messages) when it gets to it, so memory
  // stays bounded by the concurrency, not by the number of channels waiting.
  const queue = deps.deliveries.pendingChannels(deps.clock.now());
  const worker = async () => {
    for (let channelId = queue.shift(); channelId !== undefined; channelId = queue.shift()) {
      if (signal?.aborted === true) return;
      await sendChannel(deps, channelId, deps.deliveries.pending(channelId), summary, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, worker));
  return summary;
}

async function sendChannel(
  deps: OutboxDeps,
  channelId: string,
  deliveries: readonly Delivery[],
  summary: { sent: number; completed: number; paused: string[]; retryLater: number },
  signal?: AbortSignal,
): Promise<void> {
  const channel = deps.subscriptions.get(channelId);
  if (channel === null || channel.paused !== null) return;
  const log = deps.logger.child({ channelId, guildId: channel.guildId });
  for (const delivery of deliveries) {
    try {
      for (const part of delivery.parts) {
        if (signal?.aborted === true) return;
        if (await sendPart(deps, channelId, part)) {
          summary.sent += 1;
          deps.onSent?.({ channelId, deliveryId: delivery.id, part: part.part });
        }
      }
      if (deps.deliveries.completeIfDone(delivery.id, deps.clock.now())) {
        summary.completed += 1;
        log.info({ deliveryId: delivery.id, listDay: delivery.listDay }, 'delivery sent');
      }
    } catch (error) {
      const failure = classifySendError(error);
      deps.onFailure?.({ channelId, deliveryId: delivery.id, failure });
      if (failure.action === 'pause') {
        // Recorded once: a paused channel is not tried again until an admin resumes it.
        if (deps.subscriptions.pause(channelId, failure.kind, failure.reason, deps.clock.now())) {
          log.warn({ deliveryId: delivery.id, kind: failure.kind }, 'channel paused: Discord refused access');
        }
        summary.paused.push(channelId);
        return;
      }
      if (failure.action === 'retry') {
        deps.deliveries.recordFailure(delivery.id, failure.reason, retryAfter(deps.clock.now(), delivery.failures + 1));
        summary.retryLater += 1;
        log.warn(
          { deliveryId: delivery.id, reason: failure.reason, failures: delivery.failures + 1 },
          'delivery failed; retrying after a backoff',
        );
        return;
      }
      deps.deliveries.markFailed(delivery.id, failure.reason, deps.clock.now());
      log.error({ deliveryId: delivery.id, reason: failure.reason }, 'delivery refused by Discord; giving up on it');
    }
  }
}

/** Sends one part (and opens its thread). Returns whether a message was posted now. */
async function sendPart(deps: OutboxDeps, channelId: string, part: OutboxPart): Promise<boolean> {
  let messageId = part.messageId;
  let posted = false;
  if (part.state !== 'sent') {
    messageId = part.state === 'in-flight' ? await recover(deps, channelId, part) : null;
    if (messageId === null) {
      deps.deliveries.markInFlight(part.deliveryId, part.part, deps.clock.now());
      messageId = await deps.poster.post(channelId, part.body as object, nonceFor(part.deliveryId, part.part));
      posted = true;
    }
    deps.deliveries.markSent(part.deliveryId, part.part, messageId, deps.clock.now());
  }
  if (part.threadName !== null && part.threadId === null && messageId !== null) {
    const threadId = await deps.poster.openThread(channelId, messageId, part.threadName);
    deps.deliveries.markThread(part.deliveryId, part.part, threadId);
  }
  return posted;
}

/** A part left in flight by a crash: was it posted? Look for its first paper's link among the bot's recent messages. */
async function recover(deps: OutboxDeps, channelId: string, part: OutboxPart): Promise<string | null> {
  const url = firstEmbedUrl(part.body);
  if (url === null || part.attemptAt === null) return null;
  const since = new Date(new Date(part.attemptAt).getTime() - RECOVERY_MARGIN_MS);
  const found = await deps.poster.findPosted(channelId, since, url);
  deps.logger.info(
    { channelId, deliveryId: part.deliveryId, part: part.part, found: found !== null },
    'recovered a message left in flight',
  );
  return found;
}

function firstEmbedUrl(body: unknown): string | null {
  const embeds = (body as { embeds?: { url?: unknown }[] }).embeds ?? [];
  const url = embeds[0]?.url;
  return typeof url === 'string' ? url : null;
}
