import { time, TimestampStyles } from 'discord.js';
import type { BotServices } from '../services.js';
import { describeSubscription } from './subscribe.js';

/** The text of /papers status: is the bot fetching, what does it hold, and what will this channel get. */
export function statusContent(
  services: Pick<BotServices, 'papers' | 'ingestLog' | 'subscriptions' | 'deliveries'>,
  channelId: string,
): string {
  const lines = ['**paperboy status**'];
  const success = services.ingestLog.lastSuccess();
  if (success === null) {
    lines.push('Last successful fetch: none yet.');
  } else {
    const when = time(new Date(success.finishedAt), TimestampStyles.RelativeTime);
    lines.push(
      `Last successful fetch: list day ${success.listDay}, ${String(success.paperCount)} papers from ${describeSource(success.source)}, ${when}.`,
    );
  }
  const last = services.ingestLog.lastRun();
  if (last !== null && last.outcome === 'failed' && (success === null || last.finishedAt > success.finishedAt)) {
    lines.push(
      `Latest attempt failed ${time(new Date(last.finishedAt), TimestampStyles.RelativeTime)}; I keep retrying on schedule.`,
    );
  }
  const latestDay = services.papers.latestDay();
  lines.push(
    `Papers stored: ${services.papers.count().toLocaleString('en-US')}${latestDay === null ? '' : ` (newest list day ${latestDay})`}.`,
  );

  const subscription = services.subscriptions.get(channelId);
  lines.push('', '**This channel**');
  if (subscription === null) {
    lines.push('No subscription. Members with Manage Channels can start one with /subscribe add.');
    return lines.join('\n');
  }
  lines.push(describeSubscription(subscription));
  const [recent] = services.deliveries.recent(channelId, 1);
  if (recent !== undefined) {
    const papers = recent.parts.reduce((sum, part) => sum + part.paperIds.length, 0);
    const state =
      recent.status === 'sent'
        ? 'delivered'
        : recent.status === 'failed'
          ? `not delivered (${recent.lastError ?? 'refused by Discord'})`
          : `in progress${recent.lastError === null ? '' : `, retrying after: ${recent.lastError}`}`;
    lines.push(`Last delivery: list day ${recent.listDay}, ${String(papers)} papers, ${state}.`);
  }
  return lines.join('\n');
}

function describeSource(source: string | null): string {
  switch (source) {
    case 'api':
      return 'the Hugging Face API';
    case 'page':
    case 'page-cards':
      return 'the Hugging Face page (API unavailable)';
    case 'file':
      return 'an imported file';
    default:
      return 'Hugging Face';
  }
}
