import {
  DiscordAPIError,
  HTTPError,
  Routes,
  SnowflakeUtil,
  type APIChannel,
  type APIMessage,
  type REST,
} from 'discord.js';
import type { PauseKind } from '../store/subscription-store.js';

/** What delivery needs from Discord. The real one is REST; tests may use the fake Discord through it too. */
export interface ChannelPoster {
  /** Posts a message with a nonce Discord enforces, so a repeat within minutes returns the first message. */
  post(channelId: string, body: object, nonce: string): Promise<string>;
  /** Opens a public thread on a message; an existing thread on it counts as opened. Returns the thread id. */
  openThread(channelId: string, messageId: string, name: string): Promise<string>;
  /** The bot's message posted since `since` whose embeds link to `url`, if any (recovery after a crash). */
  findPosted(channelId: string, since: Date, url: string): Promise<string | null>;
}

/** How a failed send is handled: pause the channel (once), try again on a later tick, or give up on this delivery. */
export type SendFailure =
  | { readonly action: 'pause'; readonly kind: PauseKind; readonly reason: string }
  | { readonly action: 'retry'; readonly reason: string }
  | { readonly action: 'give-up'; readonly reason: string };

/** Threads stay open for a day of discussion after the last message. */
const THREAD_AUTO_ARCHIVE_MINUTES = 1440;
const RECENT_MESSAGES_SCANNED = 100;
const THREAD_ALREADY_EXISTS = 160004;

export const PAUSE_REASONS: Record<Exclude<PauseKind, 'manual'>, string> = {
  'missing-access':
    'I cannot see this channel any more (Discord: Missing Access). Give me View Channel here, then /subscribe resume.',
  'missing-permissions':
    'I lack a permission here (Discord: Missing Permissions). I need Send Messages and Embed Links (and, for thread mode, Create Public Threads and Send Messages in Threads). Fix it, then /subscribe resume.',
  'unknown-channel': 'This channel no longer exists (Discord: Unknown Channel).',
};

export function classifySendError(error: unknown): SendFailure {
  if (error instanceof DiscordAPIError) {
    if (error.code === 50001)
      return { action: 'pause', kind: 'missing-access', reason: PAUSE_REASONS['missing-access'] };
    if (error.code === 50013)
      return { action: 'pause', kind: 'missing-permissions', reason: PAUSE_REASONS['missing-permissions'] };
    if (error.code === 10003)
      return { action: 'pause', kind: 'unknown-channel', reason: PAUSE_REASONS['unknown-channel'] };
    if (error.status === 403)
      return { action: 'pause', kind: 'missing-permissions', reason: PAUSE_REASONS['missing-permissions'] };
    if (error.status === 404)
      return { action: 'pause', kind: 'unknown-channel', reason: PAUSE_REASONS['unknown-channel'] };
    if (error.status >= 500) return { action: 'retry', reason: `Discord ${String(error.status)}: ${error.message}` };
    // Anything else in 4xx is about the message itself: resending the same body cannot succeed.
    return {
      action: 'give-up',
      reason: `Discord refused the message (${String(error.status)} ${String(error.code)}): ${error.message}`,
    };
  }
  if (error instanceof HTTPError) return { action: 'retry', reason: `Discord ${String(error.status)} after retries` };
  return { action: 'retry', reason: error instanceof Error ? error.message : String(error) };
}

export function createRestPoster(rest: REST, botUserId: string): ChannelPoster {
  return {
    async post(channelId, body, nonce) {
      // Set here as well as in the body: a REST call does not get discord.js's client-wide default.
      const message = (await rest.post(Routes.channelMessages(channelId), {
        body: { ...body, nonce, enforce_nonce: true, allowed_mentions: { parse: [] } },
      })) as APIMessage;
      return message.id;
    },
    async openThread(channelId, messageId, name) {
      try {
        const thread = (await rest.post(Routes.threads(channelId, messageId), {
          body: { name, auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES },
        })) as APIChannel;
        return thread.id;
      } catch (error) {
        // A thread started from a message has the message's id: an earlier attempt got this far.
        if (error instanceof DiscordAPIError && error.code === THREAD_ALREADY_EXISTS) return messageId;
        throw error;
      }
    },
    async findPosted(channelId, since, url) {
      const after = SnowflakeUtil.generate({ timestamp: since.getTime() }).toString();
      const messages = (await rest.get(Routes.channelMessages(channelId), {
        query: new URLSearchParams({ after, limit: String(RECENT_MESSAGES_SCANNED) }),
      })) as APIMessage[];
      const found = messages.find(
        (message) => message.author.id === botUserId && message.embeds.some((embed) => embed.url === url),
      );
      return found?.id ?? null;
    },
  };
}
