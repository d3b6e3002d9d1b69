/**
 * The fake's model of Discord: guilds, roles, channels, threads, messages, interactions and registered
 * commands, plus the bot's effective permissions. Mutations that Discord would announce over the
 * gateway (GUILD_CREATE, CHANNEL_DELETE, ...) are dispatched through `events.dispatch`.
 */
import { type JsonRecord } from './json.js';
import { MessageFlag } from './limits.js';
import { type MentionKind, resolvePings } from './mentions.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  type PermissionOverwrite,
  type PermissionSubject,
  computeChannelPermissions,
} from './permissions.js';
import type { ChannelRecord, GuildRecord, InteractionRecord, MessageRecord, RoleRecord } from './records.js';
import { renderBotMember, renderChannel, renderGuild, renderMessage, renderRole } from './render.js';
import { compareSnowflakes } from './snowflake.js';
import {
  type ApiUser,
  type ChannelInfo,
  ChannelKind,
  type ChannelSeed,
  type FakeMessage,
  type GuildInfo,
  type GuildSeed,
  type OverwriteSeed,
  type RoleSeed,
} from './types.js';
import type { MessageInput } from './validation.js';

export interface WorldEvents {
  /** Sends a dispatch to every gateway session. */
  dispatch(t: string, d: unknown): void;
  /** Wakes the waiters: something tests may be waiting on changed. */
  changed(): void;
}

export interface WorldDeps {
  readonly now: () => number;
  readonly nextId: () => string;
  readonly botUser: ApiUser;
  readonly events: WorldEvents;
}

export interface NewMessage {
  readonly author: ApiUser;
  readonly defaultParse: readonly MentionKind[];
  readonly type?: number;
  readonly id?: string;
  readonly interactionId?: string | null;
  readonly webhookId?: string | null;
  /** Ephemeral messages are kept by id but never appear in the channel's history. */
  readonly ephemeral?: boolean;
  readonly extraFlags?: number;
}

/** The key under which global commands are stored; guild commands use the guild id. */
export const GLOBAL_SCOPE = 'global';

export class World {
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messagesById = new Map<string, MessageRecord>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly commands = new Map<string, JsonRecord[]>();
  readonly registrationCalls = new Map<string, number>();
  readonly users = new Map<string, ApiUser>();
  /** Non-ephemeral messages per channel, oldest first. */
  readonly #history = new Map<string, MessageRecord[]>();

  constructor(private readonly deps: WorldDeps) {
    this.users.set(deps.botUser.id, deps.botUser);
  }

  get botUser(): ApiUser {
    return this.deps.botUser;
  }

  now(): number {
    return this.deps.now();
  }

  nextId(): string {
    return this.deps.nextId();
  }

  /** Wakes waiters after a change made outside the world's own mutators. */
  touch(): void {
    this.deps.events.changed();
  }

  // ---- guilds, roles, channels -------------------------------------------------------------

  createGuild(seed: GuildSeed = {}): GuildRecord {
    const id = this.nextId();
    const owner = this.addUser({ username: 'guild-owner' });
    const botRoleId = this.nextId();
    const guild: GuildRecord = {
      id,
      name: seed.name ?? 'Test Guild',
      ownerId: owner.id,
      roles: new Map(),
      botRoleId,
      botRoleIds: [botRoleId],
      joinedAt: new Date(this.now()).toISOString(),
      botIsMember: true,
      unavailable: false,
    };
    const everyone = seed.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
    guild.roles.set(id, { id, guildId: id, name: '@everyone', permissions: everyone, position: 0, botId: null });
    guild.roles.set(botRoleId, {
      id: botRoleId,
      guildId: id,
      name: this.botUser.username,
      permissions: seed.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      position: 1,
      botId: this.botUser.id,
    });
    this.guilds.set(id, guild);
    for (const channel of seed.channels ?? [{ name: 'general' }]) this.#insertChannel(guild, channel);
    this.deps.events.dispatch('GUILD_CREATE', this.renderGuild(guild));
    this.deps.events.changed();
    return guild;
  }

  createChannel(guildId: string, seed: ChannelSeed): ChannelRecord {
    const guild = this.requireGuild(guildId);
    const channel = this.#insertChannel(guild, seed);
    const event = channel.type === ChannelKind.PublicThread ? 'THREAD_CREATE' : 'CHANNEL_CREATE';
    this.deps.events.dispatch(event, { ...this.renderChannel(channel), newly_created: true });
    return channel;
  }

  /** Adds a thread started by the bot (REST thread creation); the id may be a message id. */
  createThread(parent: ChannelRecord, name: string, autoArchiveDuration: number, id?: string): ChannelRecord {
    const thread = this.#insertChannel(
      this.requireGuild(parent.guildId),
      {
        name,
        type: ChannelKind.PublicThread,
        parentId: parent.id,
      },
      id,
    );
    thread.autoArchiveDuration = autoArchiveDuration;
    this.deps.events.dispatch('THREAD_CREATE', { ...this.renderChannel(thread), newly_created: true });
    return thread;
  }

  #insertChannel(guild: GuildRecord, seed: ChannelSeed, id: string = this.nextId()): ChannelRecord {
    const type = seed.type ?? ChannelKind.Text;
    if (type === ChannelKind.PublicThread && seed.parentId === undefined) {
      throw new Error('fake Discord: a thread (type 11) needs a parentId');
    }
    const siblings = [...this.channels.values()].filter((c) => c.guildId === guild.id);
    const channel: ChannelRecord = {
      id,
      guildId: guild.id,
      type,
      name: seed.name,
      position: siblings.length,
      parentId: seed.parentId ?? null,
      overwrites: (seed.overwrites ?? []).map(toOverwrite),
      topic: seed.topic ?? null,
      ownerId: type === ChannelKind.PublicThread ? this.botUser.id : null,
      autoArchiveDuration: 1440,
      createdAt: this.now(),
      lastMessageId: null,
      messageCount: 0,
    };
    this.channels.set(id, channel);
    this.#history.set(id, []);
    return channel;
  }

  createRole(guildId: string, seed: RoleSeed): RoleRecord {
    const guild = this.requireGuild(guildId);
    const role: RoleRecord = {
      id: this.nextId(),
      guildId,
      name: seed.name,
      permissions: seed.permissions ?? 0n,
      position: seed.position ?? guild.roles.size,
      botId: null,
    };
    guild.roles.set(role.id, role);
    this.deps.events.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role: renderRole(role) });
    return role;
  }

  setRolePermissions(guildId: string, roleId: string, permissions: bigint): void {
    const role = this.requireGuild(guildId).roles.get(roleId);
    if (!role) throw new Error(`fake Discord: unknown role ${roleId} in guild ${guildId}`);
    role.permissions = permissions;
    this.deps.events.dispatch('GUILD_ROLE_UPDATE', { guild_id: guildId, role: renderRole(role) });
  }

  setBotRoles(guildId: string, roleIds: readonly string[]): void {
    const guild = this.requireGuild(guildId);
    guild.botRoleIds = [...roleIds];
    this.deps.events.dispatch('GUILD_MEMBER_UPDATE', { guild_id: guildId, ...renderBotMember(guild, this.botUser) });
  }

  setOverwrites(channelId: string, overwrites: readonly OverwriteSeed[]): void {
    const channel = this.requireChannel(channelId);
    if (channel.type === ChannelKind.PublicThread) {
      throw new Error("fake Discord: threads use their parent channel's overwrites; set them there");
    }
    channel.overwrites = overwrites.map(toOverwrite);
    this.deps.events.dispatch('CHANNEL_UPDATE', this.renderChannel(channel));
  }

  /** Deletes a channel (and its threads, and their messages); REST then answers 404 Unknown Channel. */
  deleteChannel(channelId: string): void {
    const channel = this.requireChannel(channelId);
    for (const thread of [...this.channels.values()].filter((c) => c.parentId === channelId)) {
      this.deleteChannel(thread.id);
    }
    const rendered = this.renderChannel(channel);
    this.channels.delete(channelId);
    for (const message of this.#history.get(channelId) ?? []) this.messagesById.delete(message.id);
    this.#history.delete(channelId);
    if (channel.type === ChannelKind.PublicThread) {
      this.deps.events.dispatch('THREAD_DELETE', {
        id: channel.id,
        guild_id: channel.guildId,
        parent_id: channel.parentId,
        type: channel.type,
      });
    } else {
      this.deps.events.dispatch('CHANNEL_DELETE', rendered);
    }
    this.deps.events.changed();
  }

  /**
   * The bot leaves (is kicked from) a guild: GUILD_DELETE without `unavailable`. Its channels then
   * answer 403 Missing Access; with `deleted` the guild is gone and they answer 404 Unknown Channel.
   */
  removeGuild(guildId: string, deleted: boolean): void {
    const guild = this.requireGuild(guildId);
    guild.botIsMember = false;
    if (deleted) {
      for (const channel of this.channelsOf(guildId)) {
        this.channels.delete(channel.id);
        this.#history.delete(channel.id);
      }
      this.guilds.delete(guildId);
    }
    this.deps.events.dispatch('GUILD_DELETE', { id: guildId });
    this.deps.events.changed();
  }

  /** A Discord outage: GUILD_DELETE with `unavailable: true`, and GUILD_CREATE when it is back. */
  setGuildUnavailable(guildId: string, unavailable: boolean): void {
    const guild = this.requireGuild(guildId);
    guild.unavailable = unavailable;
    if (unavailable) this.deps.events.dispatch('GUILD_DELETE', { id: guildId, unavailable: true });
    else this.deps.events.dispatch('GUILD_CREATE', this.renderGuild(guild));
  }

  /** Guilds listed in READY: every guild the bot is in (unavailable ones get no GUILD_CREATE). */
  memberGuilds(): GuildRecord[] {
    return [...this.guilds.values()].filter((g) => g.botIsMember);
  }

  channelsOf(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.guildId === guildId);
  }

  requireGuild(guildId: string): GuildRecord {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${guildId}`);
    return guild;
  }

  requireChannel(channelId: string): ChannelRecord {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake Discord: unknown channel ${channelId}`);
    return channel;
  }

  addUser(partial: Partial<ApiUser> = {}): ApiUser {
    const id = partial.id ?? this.nextId();
    const username = partial.username ?? `user-${id.slice(-4)}`;
    const user: ApiUser = {
      id,
      username,
      discriminator: partial.discriminator ?? '0',
      global_name: partial.global_name ?? username,
      avatar: partial.avatar ?? null,
      bot: partial.bot ?? false,
    };
    this.users.set(id, user);
    return user;
  }

  lookupUser(id: string): ApiUser {
    return this.users.get(id) ?? this.addUser({ id });
  }

  // ---- permissions ---------------------------------------------------------------------------

  /** Effective permissions of `subject` in a channel; threads use their parent's overwrites. */
  permissionsIn(channel: ChannelRecord, subject: PermissionSubject): bigint {
    const guild = this.requireGuild(channel.guildId);
    const source = channel.parentId === null ? channel : (this.channels.get(channel.parentId) ?? channel);
    const view = {
      id: guild.id,
      ownerId: guild.ownerId,
      rolePermissions: (roleId: string) => guild.roles.get(roleId)?.permissions,
    };
    return computeChannelPermissions(view, source.overwrites, subject);
  }

  botPermissionsIn(channel: ChannelRecord): bigint {
    const guild = this.requireGuild(channel.guildId);
    if (!guild.botIsMember) return 0n;
    return this.permissionsIn(channel, { userId: this.botUser.id, roleIds: guild.botRoleIds });
  }

  // ---- messages ------------------------------------------------------------------------------

  history(channelId: string): readonly MessageRecord[] {
    return this.#history.get(channelId) ?? [];
  }

  createMessage(channel: ChannelRecord, input: MessageInput, options: NewMessage): MessageRecord {
    const content = input.content ?? '';
    const message: MessageRecord = {
      id: options.id ?? this.nextId(),
      channelId: channel.id,
      guildId: channel.guildId,
      author: options.author,
      type: options.type ?? (input.messageReference === undefined ? 0 : 19),
      content,
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      flags: (input.flags ?? 0) | (options.extraFlags ?? 0),
      allowedMentions: input.allowedMentions,
      pings: resolvePings(content, input.hasAllowedMentions ? input.allowedMentions : undefined, options.defaultParse),
      nonce: input.nonce ?? null,
      messageReference: input.messageReference,
      attachmentCount: input.fileCount,
      createdAt: this.now(),
      editedAt: null,
      editCount: 0,
      threadId: null,
      interactionId: options.interactionId ?? null,
      webhookId: options.webhookId ?? null,
    };
    this.messagesById.set(message.id, message);
    if (options.ephemeral !== true) {
      this.#history.get(channel.id)?.push(message);
      channel.lastMessageId = message.id;
      channel.messageCount += 1;
    }
    this.deps.events.changed();
    return message;
  }

  /** Applies an edit; fields absent from the body stay as they were. */
  editMessage(message: MessageRecord, input: MessageInput, defaultParse: readonly MentionKind[]): void {
    if (input.content !== undefined) message.content = input.content;
    if (input.embeds !== undefined) message.embeds = input.embeds;
    if (input.components !== undefined) message.components = input.components;
    if (input.flags !== undefined) message.flags = input.flags | (message.flags & MessageFlag.Ephemeral);
    if (input.hasAllowedMentions) message.allowedMentions = input.allowedMentions;
    message.flags &= ~MessageFlag.Loading;
    message.pings = resolvePings(message.content, message.allowedMentions, defaultParse);
    message.editedAt = this.now();
    message.editCount += 1;
    this.deps.events.changed();
  }

  deleteMessage(message: MessageRecord): void {
    this.messagesById.delete(message.id);
    const history = this.#history.get(message.channelId);
    if (history) {
      const index = history.indexOf(message);
      if (index >= 0) history.splice(index, 1);
    }
    this.deps.events.dispatch('MESSAGE_DELETE', {
      id: message.id,
      channel_id: message.channelId,
      guild_id: message.guildId,
    });
    this.deps.events.changed();
  }

  /** Finds a message of this channel by nonce sent with enforce_nonce within the window. */
  findByNonce(channelId: string, nonce: string | number, windowMs: number): MessageRecord | undefined {
    const since = this.now() - windowMs;
    return this.history(channelId).find((m) => m.nonce === nonce && m.createdAt >= since);
  }

  /** Discord's paging: newest first; `before`/`after` are exclusive message ids. */
  pageMessages(channelId: string, limit: number, before?: string, after?: string): MessageRecord[] {
    const all = [...this.history(channelId)];
    if (after !== undefined) {
      return all
        .filter((m) => compareSnowflakes(m.id, after) > 0)
        .sort((a, b) => compareSnowflakes(a.id, b.id))
        .slice(0, limit)
        .reverse();
    }
    return all
      .filter((m) => before === undefined || compareSnowflakes(m.id, before) < 0)
      .sort((a, b) => compareSnowflakes(b.id, a.id))
      .slice(0, limit);
  }

  // ---- rendering -----------------------------------------------------------------------------

  renderGuild(guild: GuildRecord): JsonRecord {
    return renderGuild(guild, this.channelsOf(guild.id), this.botUser, () => this.now());
  }

  renderChannel(channel: ChannelRecord): JsonRecord {
    return renderChannel(channel, () => this.now());
  }

  renderMessage(message: MessageRecord): JsonRecord {
    const rendered = renderMessage(message, (id) => this.lookupUser(id));
    const thread = message.threadId === null ? undefined : this.channels.get(message.threadId);
    return thread ? { ...rendered, thread: this.renderChannel(thread) } : rendered;
  }

  // ---- snapshots for tests -------------------------------------------------------------------

  guildInfo(guild: GuildRecord): GuildInfo {
    return {
      id: guild.id,
      name: guild.name,
      ownerId: guild.ownerId,
      everyoneRoleId: guild.id,
      botRoleId: guild.botRoleId,
      channels: this.channelsOf(guild.id).map(channelInfo),
    };
  }
}

export function channelInfo(channel: ChannelRecord): ChannelInfo {
  return {
    id: channel.id,
    guildId: channel.guildId,
    name: channel.name,
    type: channel.type,
    parentId: channel.parentId,
  };
}

export function snapshotMessage(message: MessageRecord): FakeMessage {
  return { ...message, embeds: [...message.embeds], components: [...message.components] };
}

function toOverwrite(seed: OverwriteSeed): PermissionOverwrite {
  return { id: seed.id, type: seed.type, allow: seed.allow ?? 0n, deny: seed.deny ?? 0n };
}
