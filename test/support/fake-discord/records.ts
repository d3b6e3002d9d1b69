/** The fake's internal, mutable state records. Tests see snapshots built from these. */
import type { JsonRecord } from './json.js';
import type { PermissionOverwrite } from './permissions.js';
import type { ChannelKind, FakeMessage, InteractionCallback } from './types.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface RoleRecord {
  readonly id: string;
  readonly guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  /** The bot user id for the bot's managed role. */
  readonly botId: string | null;
}

export interface GuildRecord {
  readonly id: string;
  name: string;
  readonly ownerId: string;
  readonly roles: Map<string, RoleRecord>;
  readonly botRoleId: string;
  /** The bot member's roles (without @everyone). */
  botRoleIds: string[];
  readonly joinedAt: string;
  /** False once the bot was removed: the guild's channels then answer 403 Missing Access. */
  botIsMember: boolean;
  /** An outage: GUILD_DELETE with `unavailable: true` was sent. */
  unavailable: boolean;
}

export interface ChannelRecord {
  readonly id: string;
  readonly guildId: string;
  readonly type: ChannelKind;
  name: string;
  position: number;
  /** For a thread: the channel it lives in (its permissions come from there). */
  readonly parentId: string | null;
  overwrites: PermissionOverwrite[];
  topic: string | null;
  /** Thread creator. */
  readonly ownerId: string | null;
  autoArchiveDuration: number;
  readonly createdAt: number;
  lastMessageId: string | null;
  messageCount: number;
}

export type MessageRecord = Mutable<FakeMessage>;

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  /** 2 command, 3 component, 4 autocomplete. */
  readonly type: number;
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly createdAt: number;
  /** The message a component sits on: `update` and `deferUpdate` + `editReply` change it. */
  readonly componentMessageId: string | null;
  readonly payload: JsonRecord;
  callback: InteractionCallback | undefined;
  originalMessageId: string | null;
  readonly originalEdits: JsonRecord[];
  readonly followUpBodies: JsonRecord[];
  readonly followUpIds: string[];
}
