/** Builds Discord API payloads (what REST answers and the gateway dispatches) from the fake's records. */
import type { JsonRecord } from './json.js';
import type { PermissionOverwrite } from './permissions.js';
import type { ChannelRecord, GuildRecord, MessageRecord, RoleRecord } from './records.js';
import { type ApiUser, ChannelKind } from './types.js';

export function renderUser(user: ApiUser): JsonRecord {
  return {
    id: user.id,
    username: user.username,
    discriminator: user.discriminator,
    global_name: user.global_name,
    avatar: user.avatar,
    bot: user.bot ?? false,
    public_flags: 0,
    flags: 0,
  };
}

export function renderRole(role: RoleRecord): JsonRecord {
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.botId !== null,
    mentionable: false,
    flags: 0,
    ...(role.botId === null ? {} : { tags: { bot_id: role.botId } }),
  };
}

export function renderOverwrite(overwrite: PermissionOverwrite): JsonRecord {
  return {
    id: overwrite.id,
    type: overwrite.type === 'role' ? 0 : 1,
    allow: overwrite.allow.toString(),
    deny: overwrite.deny.toString(),
  };
}

export function renderChannel(channel: ChannelRecord, now: () => number): JsonRecord {
  const common: JsonRecord = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    last_message_id: channel.lastMessageId,
    rate_limit_per_user: 0,
    nsfw: false,
    flags: 0,
  };
  if (channel.type === ChannelKind.PublicThread) {
    return {
      ...common,
      owner_id: channel.ownerId,
      message_count: channel.messageCount,
      total_message_sent: channel.messageCount,
      member_count: 1,
      thread_metadata: {
        archived: false,
        auto_archive_duration: channel.autoArchiveDuration,
        archive_timestamp: new Date(now()).toISOString(),
        locked: false,
        create_timestamp: new Date(channel.createdAt).toISOString(),
      },
    };
  }
  const guildChannel: JsonRecord = {
    ...common,
    position: channel.position,
    permission_overwrites: channel.overwrites.map(renderOverwrite),
    topic: channel.topic,
  };
  if (channel.type === ChannelKind.Forum) {
    return {
      ...guildChannel,
      available_tags: [],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
      default_thread_rate_limit_per_user: 0,
    };
  }
  return guildChannel;
}

export function renderBotMember(guild: GuildRecord, botUser: ApiUser): JsonRecord {
  return {
    user: renderUser(botUser),
    roles: [...guild.botRoleIds],
    nick: null,
    avatar: null,
    joined_at: guild.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
  };
}

/** A GUILD_CREATE payload: the guild with its roles, channels, active threads and the bot's member. */
export function renderGuild(
  guild: GuildRecord,
  channels: readonly ChannelRecord[],
  botUser: ApiUser,
  now: () => number,
): JsonRecord {
  const isThread = (c: ChannelRecord): boolean => c.type === ChannelKind.PublicThread;
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    vanity_url_code: null,
    application_id: null,
    features: [],
    max_members: 500000,
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    roles: [...guild.roles.values()].map(renderRole),
    channels: channels.filter((c) => !isThread(c)).map((c) => renderChannel(c, now)),
    threads: channels.filter(isThread).map((c) => renderChannel(c, now)),
    members: [renderBotMember(guild, botUser)],
    emojis: [],
    stickers: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A full message object: discord.js cannot build a `Message` from less. */
export function renderMessage(message: MessageRecord, lookupUser: (id: string) => ApiUser): JsonRecord {
  return {
    id: message.id,
    channel_id: message.channelId,
    guild_id: message.guildId,
    author: renderUser(message.author),
    type: message.type,
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    attachments: [],
    mentions: message.pings.users.map((id) => renderUser(lookupUser(id))),
    mention_roles: [...message.pings.roles],
    mention_everyone: message.pings.everyone,
    pinned: false,
    tts: false,
    flags: message.flags,
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt === null ? null : new Date(message.editedAt).toISOString(),
    ...(message.nonce === null ? {} : { nonce: message.nonce }),
    ...(message.webhookId === null ? {} : { webhook_id: message.webhookId, application_id: message.webhookId }),
    ...(message.messageReference === undefined ? {} : { message_reference: message.messageReference }),
  };
}
