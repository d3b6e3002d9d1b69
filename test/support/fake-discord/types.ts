/**
 * Public types of the fake Discord: what tests seed, inject and read back. API payload shapes are kept
 * loose (`JsonRecord`) where the fake only passes data through.
 */
import type { JsonRecord } from './json.js';
import type { OverwriteTarget } from './permissions.js';

export type { JsonRecord } from './json.js';

/** Channel types the fake models: GUILD_TEXT, PUBLIC_THREAD, GUILD_FORUM. */
export const ChannelKind = { Text: 0, PublicThread: 11, Forum: 15 } as const;
export type ChannelKind = (typeof ChannelKind)[keyof typeof ChannelKind];

/** Option types of chat-input commands that the fake injects (same numbers as discord.js's enum). */
export const OptionType = { String: 3, Integer: 4, Boolean: 5, Number: 10 } as const;
export type OptionType = (typeof OptionType)[keyof typeof OptionType];

/** One typed option of an injected slash command or autocomplete. */
export interface CommandOptionInput {
  readonly name: string;
  readonly type: OptionType;
  readonly value: string | number | boolean;
  /** Autocomplete: the option the user is typing in. */
  readonly focused?: boolean;
}

export interface ApiUser {
  readonly id: string;
  readonly username: string;
  readonly discriminator: string;
  readonly global_name: string | null;
  readonly avatar: string | null;
  readonly bot?: boolean;
}

export interface OverwriteSeed {
  /** A role id (the guild id for @everyone) or a user id (the bot's is `fake.botUser.id`). */
  readonly id: string;
  readonly type: OverwriteTarget;
  readonly allow?: bigint;
  readonly deny?: bigint;
}

export interface ChannelSeed {
  readonly name: string;
  /** Default: text (0). A thread (11) needs `parentId`. */
  readonly type?: ChannelKind;
  readonly parentId?: string;
  readonly overwrites?: readonly OverwriteSeed[];
  readonly topic?: string;
}

export interface GuildSeed {
  readonly name?: string;
  /** @everyone's permissions. Default: a new server's text permissions (view, send, embed, threads, history). */
  readonly everyonePermissions?: bigint;
  /** The bot's managed role. Default: the @everyone set plus Manage Threads and Manage Messages. */
  readonly botPermissions?: bigint;
  /** Default: one text channel named "general". */
  readonly channels?: readonly ChannelSeed[];
}

export interface RoleSeed {
  readonly name: string;
  readonly permissions?: bigint;
  readonly position?: number;
}

export interface ChannelInfo {
  readonly id: string;
  readonly guildId: string;
  readonly name: string;
  readonly type: ChannelKind;
  readonly parentId: string | null;
}

export interface GuildInfo {
  readonly id: string;
  readonly name: string;
  readonly ownerId: string;
  /** Equals the guild id, as on Discord. */
  readonly everyoneRoleId: string;
  readonly botRoleId: string;
  readonly channels: readonly ChannelInfo[];
}

export interface RoleInfo {
  readonly id: string;
  readonly guildId: string;
  readonly name: string;
}

/** Who a message would notify, resolved from its content and `allowed_mentions` like Discord does. */
export interface MessagePings {
  readonly everyone: boolean;
  readonly roles: readonly string[];
  readonly users: readonly string[];
}

/** A message as the fake stores it (a snapshot when handed to tests). */
export interface FakeMessage {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string;
  readonly author: ApiUser;
  /** Discord message type: 0 default, 19 reply, 20 slash-command response. */
  readonly type: number;
  readonly content: string;
  readonly embeds: readonly JsonRecord[];
  readonly components: readonly unknown[];
  readonly flags: number;
  /** `allowed_mentions` exactly as the last create/edit request sent it; undefined when absent. */
  readonly allowedMentions: unknown;
  readonly pings: MessagePings;
  readonly nonce: string | number | null;
  readonly messageReference: unknown;
  readonly attachmentCount: number;
  /** Fake-clock milliseconds. */
  readonly createdAt: number;
  readonly editedAt: number | null;
  readonly editCount: number;
  /** The thread started from this message (its id equals the message id). */
  readonly threadId: string | null;
  /** Set on interaction responses and follow-ups. */
  readonly interactionId: string | null;
  readonly webhookId: string | null;
}

export interface RecordedRequest {
  /** Arrival order, from 1. */
  readonly seq: number;
  readonly method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  readonly path: string;
  /** The request target exactly as sent, e.g. `/api/v10/webhooks/1/tok/messages/%40original?x=1`. */
  readonly rawUrl: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body (`payload_json` for multipart); undefined when there was none. */
  readonly body: unknown;
  readonly fileCount: number;
  /** Status answered; null while pending (or forever, for a hanging fault). */
  readonly status: number | null;
  readonly responseBody: unknown;
  /** Real-clock (Date.now) arrival and answer times. */
  readonly at: number;
  readonly answeredAt: number | null;
  /** True when a scripted fault applied to it (answered, delayed or hung it). */
  readonly faulted: boolean;
}

export interface RecordedFrame {
  readonly seq: number;
  /** Who sent it: the client (discord.js) or the fake gateway. */
  readonly from: 'client' | 'fake';
  /** One number per WebSocket connection, from 1. */
  readonly connectionId: number;
  readonly op: number | null;
  readonly t: string | null;
  readonly s: number | null;
  readonly d: unknown;
  readonly at: number;
}

export interface InteractionCallback {
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  readonly type: number;
  readonly data?: JsonRecord;
}

/** Everything the bot answered to one interaction; the object is live and keeps filling in. */
export interface InteractionResponses {
  readonly interactionId: string;
  readonly callback: InteractionCallback | undefined;
  /** Bodies of `PATCH /webhooks/:app/:token/messages/@original`, in order. */
  readonly originalEdits: readonly JsonRecord[];
  /** Bodies of `POST /webhooks/:app/:token` (follow-ups), in order. */
  readonly followUpBodies: readonly JsonRecord[];
  /** The message users see as the response (reply, deferred message, or the updated component message). */
  readonly original: FakeMessage | undefined;
  readonly followUps: readonly FakeMessage[];
}

export interface FakeDiscordStats {
  readonly totalRequests: number;
  /** Index i holds the number of HTTP requests that arrived in second i after the fake started. */
  readonly requestsPerSecond: readonly number[];
  /** Busiest sliding one-second window of requests that count against the global limit. */
  readonly peakRequestsPerSecond: number;
  /** 401 + 403 + 429 answers: Discord bans an IP at 10,000 of these per 10 minutes. */
  readonly invalidRequests: number;
  readonly invalidByStatus: { readonly 401: number; readonly 403: number; readonly 429: number };
  readonly rateLimited: { readonly global: number; readonly bucket: number };
}
