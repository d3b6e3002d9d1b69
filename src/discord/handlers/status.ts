import { time, TimestampStyles } from 'discord.js';
import type { BotServices } from '../services.js';

/** The text of /papers status: is the bot fetching, and what does it hold. */
export function statusContent(services: Pick<BotServices, 'papers' | 'ingestLog'>): string {
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
