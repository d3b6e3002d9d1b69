import { daysToDeliver, planForDay, renderPlan } from '../../delivery/planner.js';
import { addDays, utcDay } from '../../papers/paper.js';
import { MESSAGE_CONTENT_MAX } from '../../render/index.js';
import type { APIEmbed } from '../../render/discord-types.js';
import { truncateCodePoints } from '../../delivery/text.js';
import type { ChannelSubscription } from '../../store/subscription-store.js';
import { describeInstant, nextRunAfter } from '../../subscriptions/schedule.js';
import { parseDayOption } from '../options.js';
import type { BotServices } from '../services.js';
import { DEFAULT_SETTINGS } from './subscribe.js';

/**
 * /subscribe preview: exactly what the scheduler would post here, computed by the planner's own functions, with
 * the topics each paper matched. A channel without a subscription sees what the defaults would give.
 */
export function previewReply(
  services: BotServices,
  channelId: string,
  dateOption: string | null,
): { content: string; embeds: APIEmbed[]; allowedMentions: { parse: [] } } {
  const now = services.clock.now();
  const subscription = services.subscriptions.get(channelId);
  const channel: ChannelSubscription = subscription ?? {
    ...DEFAULT_SETTINGS,
    channelId,
    guildId: '',
    topics: [],
    paused: null,
    nextRunAt: nextRunAfter(DEFAULT_SETTINGS, now).toISOString(),
    lastListDay: null,
    createdAt: now.toISOString(),
  };
  const lines: string[] = [];
  if (subscription === null)
    lines.push('This channel has no subscription; with the defaults (/subscribe add) it would get:');
  if (channel.paused !== null) lines.push(`Deliveries here are paused: ${channel.paused.reason}`);

  const nextRun = new Date(channel.nextRunAt);
  let day: string | null;
  if (dateOption !== null) {
    day = parseDayOption(dateOption, utcDay(now));
    lines.push(`List day ${day}, with this channel's settings:`);
  } else {
    const due = daysToDeliver(channel, services.papers.days(10), nextRun);
    day = due.at(-1) ?? null;
    const when = describeInstant(nextRun, channel.timezone);
    if (day === null) {
      const expected = addDays(utcDay(nextRun), -1);
      lines.push(
        `Next delivery: ${when}. It will post the newest complete list it has not had (${expected} or the last weekday before it) once Hugging Face has published it; nothing new is stored yet.`,
      );
      return reply(lines, []);
    }
    const catchUp = due.length > 1 ? ` (catching up: ${due.join(', ')})` : '';
    lines.push(`Next delivery: ${when}, list day ${day}${catchUp}:`);
  }

  const plan = planForDay(services, channel, day);
  const { selection } = plan;
  if (selection.total === 0) {
    lines.push(`No papers are stored for ${day} (weekends have no list).`);
    return reply(lines, []);
  }
  const posted = selection.total - selection.eligible;
  lines.push(
    `${String(selection.papers.length)} of ${String(selection.total)} papers in ${channel.mode} mode` +
      (channel.topics.length > 0 ? `; matched topics are shown under each paper` : '') +
      (posted > 0
        ? `; ${String(posted)} left out by topics, upvote floors or because they were posted here before`
        : '') +
      '.',
  );
  if (selection.papers.length === 0) return reply(lines, []);
  // The first message as it would be posted (compact embeds), whatever the mode: a preview, not a delivery.
  const parts = renderPlan({ ...channel, mode: 'digest' }, plan, services.hfBaseUrl);
  const embeds = (parts[0]?.body as { embeds?: APIEmbed[] } | undefined)?.embeds ?? [];
  if (parts.length > 1) lines.push(`(${String(parts.length)} messages; the first is shown.)`);
  return reply(lines, embeds);
}

function reply(lines: readonly string[], embeds: APIEmbed[]) {
  return {
    content: truncateCodePoints(lines.join('\n'), MESSAGE_CONTENT_MAX),
    embeds,
    allowedMentions: { parse: [] as [] },
  };
}
