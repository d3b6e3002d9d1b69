import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  time,
  TimestampStyles,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { DEFAULT_MAX_PAPERS, DEFAULT_MIN_UPVOTES } from '../../delivery/selection.js';
import { UserFacingError } from '../../errors.js';
import { parseQuery } from '../../search/index.js';
import type { ChannelSettings, ChannelSubscription, DeliveryMode } from '../../store/subscription-store.js';
import {
  DEFAULT_SCHEDULE,
  describeInstant,
  isValidTimezone,
  nextRunAfter,
  parseTime,
  type DeliveryDays,
} from '../../subscriptions/schedule.js';
import type { SlashCommandHandler } from '../dispatcher.js';
import type { BotServices } from '../services.js';
import { previewReply } from './subscribe-preview.js';
import { inlineCode } from './text.js';

export const DEFAULT_SETTINGS: ChannelSettings = {
  ...DEFAULT_SCHEDULE,
  mode: 'digest',
  maxPapers: DEFAULT_MAX_PAPERS,
  minUpvotes: DEFAULT_MIN_UPVOTES,
};
/** Autocomplete lists at most 25 choices, so that is the most topics a channel can manage. */
export const MAX_TOPICS = 24;
/** The autocomplete choice of /subscribe remove that unsubscribes the channel entirely. */
export const UNSUBSCRIBE_ALL = '*';

const POSTING = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
] as const;
const THREADS = [
  [PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
  [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
] as const;

/** Members need Manage Channels: the definition hides the command, but server admins can override that. */
function requireManageChannels(interaction: ChatInputCommandInteraction): void {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) !== true) {
    throw new UserFacingError(
      'Only members with the Manage Channels permission can change deliveries in this channel.',
    );
  }
}

/** The bot must be able to post here (in thread mode, to open threads too). Names what is missing. */
function requireBotCanPost(interaction: ChatInputCommandInteraction, mode: DeliveryMode): void {
  const needed = mode === 'thread' ? [...POSTING, ...THREADS] : POSTING;
  const missing = needed.filter(([bit]) => !interaction.appPermissions.has(bit)).map(([, name]) => name);
  if (missing.length > 0) {
    throw new UserFacingError(
      `I can't post here yet: I'm missing ${missing.join(', ')} in this channel. ` +
        'Give my role those permissions (Edit Channel → Permissions), then run the command again.',
    );
  }
}

function requireTextChannel(interaction: ChatInputCommandInteraction): { channelId: string; guildId: string } {
  const type = interaction.channel?.type;
  if (interaction.guildId === null || (type !== ChannelType.GuildText && type !== ChannelType.GuildAnnouncement)) {
    throw new UserFacingError('Deliveries go to text or announcement channels: run this in one of those.');
  }
  return { channelId: interaction.channelId, guildId: interaction.guildId };
}

function requireSubscription(services: BotServices, channelId: string): ChannelSubscription {
  const subscription = services.subscriptions.get(channelId);
  if (subscription === null)
    throw new UserFacingError('This channel has no subscription yet. Start one with /subscribe add.');
  return subscription;
}

/** Collapses white space; the parser validates the rest (and explains syntax errors with their position). */
function validTopic(raw: string): string {
  const query = raw.replace(/\s+/gu, ' ').trim();
  parseQuery(query);
  return query;
}

export const subscribeHandler: SlashCommandHandler<BotServices> = {
  name: 'subscribe',
  async execute(interaction, services) {
    const sub = interaction.options.getSubcommand();
    const where = requireTextChannel(interaction);
    if (sub === 'preview') {
      await interaction.reply({
        ...previewReply(services, where.channelId, interaction.options.getString('date')),
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    if (sub !== 'list') requireManageChannels(interaction);
    const content = runSubcommand(sub, interaction, services, where);
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  },
  autocomplete(interaction: AutocompleteInteraction, services) {
    const focused = interaction.options.getFocused(true);
    const typed = focused.value.toLowerCase();
    if (focused.name === 'timezone') {
      return Intl.supportedValuesOf('timeZone')
        .concat('UTC')
        .filter((zone) => zone.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((zone) => ({ name: zone, value: zone }));
    }
    const topics = services.subscriptions.get(interaction.channelId)?.topics ?? [];
    const choices = topics
      .filter((topic) => topic.query.toLowerCase().includes(typed))
      .slice(0, MAX_TOPICS)
      .map((topic) => ({ name: topic.query.slice(0, 100), value: topic.query.slice(0, 100) }));
    return [...choices, { name: 'Unsubscribe this channel entirely', value: UNSUBSCRIBE_ALL }];
  },
};

function runSubcommand(
  sub: string,
  interaction: ChatInputCommandInteraction,
  services: BotServices,
  where: { channelId: string; guildId: string },
): string {
  const now = services.clock.now();
  const { channelId, guildId } = where;
  switch (sub) {
    case 'add': {
      const rawTopic = interaction.options.getString('topic');
      const minUpvotes = interaction.options.getInteger('min_upvotes');
      const topic = rawTopic === null ? null : validTopic(rawTopic);
      const existing = services.subscriptions.get(channelId);
      requireBotCanPost(interaction, existing?.mode ?? DEFAULT_SETTINGS.mode);
      if (topic === null && existing !== null && existing.topics.length > 0) {
        throw new UserFacingError(
          `This channel follows only its topics (${existing.topics.map((t) => inlineCode(t.query)).join(', ')}). ` +
            'To get the whole list, remove them with /subscribe remove.',
        );
      }
      if (topic !== null && existing !== null && existing.topics.length >= MAX_TOPICS) {
        throw new UserFacingError(`A channel can follow at most ${String(MAX_TOPICS)} topics. Remove one first.`);
      }
      const settings = existing ?? {
        ...DEFAULT_SETTINGS,
        ...(topic === null && minUpvotes !== null ? { minUpvotes } : {}),
      };
      const created = services.subscriptions.ensure(
        channelId,
        guildId,
        settings,
        nextRunAfter(settings, now),
        null,
        now,
      );
      if (topic !== null) services.subscriptions.addTopic(channelId, { query: topic, minUpvotes }, now);
      else if (existing !== null && minUpvotes !== null) {
        // A whole-list channel's floor changes; its schedule (and so its next run) does not.
        services.subscriptions.updateSettings(
          channelId,
          { ...existing, minUpvotes },
          new Date(existing.nextRunAt),
          now,
        );
      }
      const subscription = requireSubscription(services, channelId);
      const what = topic === null ? 'the whole Daily Papers list' : `papers matching ${inlineCode(topic)}`;
      const floor = minUpvotes === null ? '' : ` with at least ${String(minUpvotes)} upvotes`;
      return [
        `${created ? 'Subscribed' : 'Updated'}: this channel gets ${what}${floor}.`,
        describeSubscription(subscription),
        'Run /subscribe preview to see what the next delivery will post. A new subscription starts there: no flood of older papers.',
      ].join('\n');
    }
    case 'remove': {
      const subscription = requireSubscription(services, channelId);
      const topic = interaction.options.getString('topic', true).trim();
      if (topic === UNSUBSCRIBE_ALL) {
        services.subscriptions.remove(channelId);
        return 'Unsubscribed: this channel gets no more Daily Papers. /subscribe add starts again.';
      }
      if (!services.subscriptions.removeTopic(channelId, topic)) {
        const known = subscription.topics.map((t) => inlineCode(t.query)).join(', ');
        throw new UserFacingError(
          `This channel has no topic ${inlineCode(topic)}. ${known === '' ? 'It has no topics.' : `Its topics: ${known}.`}`,
        );
      }
      const left = requireSubscription(services, channelId).topics.length;
      return left === 0
        ? `Removed ${inlineCode(topic)}. With no topics left, this channel now gets the whole list; to stop deliveries, /subscribe pause or remove "${UNSUBSCRIBE_ALL}".`
        : `Removed ${inlineCode(topic)}.`;
    }
    case 'list': {
      const subscription = services.subscriptions.get(channelId);
      const others = services.subscriptions.inGuild(guildId).filter((s) => s.channelId !== channelId);
      const elsewhere =
        others.length === 0
          ? ''
          : `\nOther channels here with deliveries: ${others.map((s) => `<#${s.channelId}>`).join(', ')}`;
      if (subscription === null) return `This channel has no subscription. Start one with /subscribe add.${elsewhere}`;
      return `${describeSubscription(subscription)}${elsewhere}`;
    }
    case 'schedule': {
      const subscription = requireSubscription(services, channelId);
      const settings = scheduleFromOptions(interaction, subscription);
      requireBotCanPost(interaction, settings.mode);
      services.subscriptions.updateSettings(channelId, settings, nextRunAfter(settings, now), now);
      return `Schedule updated.\n${describeSubscription(requireSubscription(services, channelId))}`;
    }
    case 'pause': {
      requireSubscription(services, channelId);
      const by = interaction.user.username;
      if (!services.subscriptions.pause(channelId, 'manual', `Paused by ${by} with /subscribe pause.`, now)) {
        return 'Deliveries here were already paused. /subscribe resume starts them again.';
      }
      return 'Paused: no deliveries here until /subscribe resume.';
    }
    case 'resume': {
      const subscription = requireSubscription(services, channelId);
      requireBotCanPost(interaction, subscription.mode);
      if (!services.subscriptions.resume(channelId, nextRunAfter(subscription, now), now)) {
        return `Deliveries here are not paused.\n${describeSubscription(subscription)}`;
      }
      return `Resumed.\n${describeSubscription(requireSubscription(services, channelId))}`;
    }
    default:
      throw new UserFacingError(`"/subscribe ${sub}" is not something I know.`);
  }
}

function scheduleFromOptions(interaction: ChatInputCommandInteraction, current: ChannelSettings): ChannelSettings {
  // 7:30 means 07:30.
  const timeOption = interaction.options.getString('time')?.trim().padStart(5, '0') ?? null;
  const timezone = interaction.options.getString('timezone')?.trim() ?? current.timezone;
  const problems: string[] = [];
  if (timeOption !== null && parseTime(timeOption) === null)
    problems.push(`time ${inlineCode(timeOption)} is not HH:MM in 24 h, e.g. 09:00 or 17:30`);
  if (!isValidTimezone(timezone))
    problems.push(
      `timezone ${inlineCode(timezone)} is not an IANA timezone, e.g. Europe/Berlin or America/New_York (pick one from the list)`,
    );
  if (problems.length > 0) throw new UserFacingError(`Nothing changed: ${problems.join('; ')}.`);
  return {
    time: timeOption ?? current.time,
    timezone,
    days: (interaction.options.getString('days') as DeliveryDays | null) ?? current.days,
    mode: (interaction.options.getString('mode') as DeliveryMode | null) ?? current.mode,
    maxPapers: interaction.options.getInteger('max_papers') ?? current.maxPapers,
    minUpvotes: interaction.options.getInteger('min_upvotes') ?? current.minUpvotes,
  };
}

/** The lines /subscribe list, add, schedule and /papers status show about a channel's subscription. */
export function describeSubscription(subscription: ChannelSubscription): string {
  const days = subscription.days === 'weekdays' ? 'on weekdays' : 'every day';
  const floor = subscription.minUpvotes > 0 ? `, at least ${String(subscription.minUpvotes)} upvotes` : '';
  const topics =
    subscription.topics.length === 0
      ? 'none: the whole list'
      : subscription.topics
          .map(
            (topic) =>
              `${inlineCode(topic.query)}${topic.minUpvotes === null ? '' : ` (≥ ${String(topic.minUpvotes)} upvotes)`}`,
          )
          .join(', ');
  const lines = [
    `Schedule: ${subscription.time} ${subscription.timezone}, ${days}; ${subscription.mode}, up to ${String(subscription.maxPapers)} papers${floor}.`,
    `Topics: ${topics}.`,
  ];
  if (subscription.paused === null) {
    const next = new Date(subscription.nextRunAt);
    lines.push(
      `Next delivery: ${describeInstant(next, subscription.timezone)} (${time(next, TimestampStyles.RelativeTime)}).`,
    );
  } else {
    lines.push(
      `Paused ${time(new Date(subscription.paused.at), TimestampStyles.RelativeTime)}: ${subscription.paused.reason}`,
    );
  }
  return lines.join('\n');
}
