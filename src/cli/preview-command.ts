import { createApp } from '../app.js';
import { renderDigestText } from '../delivery/render-text.js';
import { DEFAULT_MAX_PAPERS, DEFAULT_MIN_UPVOTES, latestCompleteDay, selectPapers } from '../delivery/selection.js';
import { utcDay } from '../papers/paper.js';
import type { PaperStore } from '../store/paper-store.js';
import { EXIT_FAILURE, EXIT_OK, type CliContext } from './program.js';

export function previewCommand(context: CliContext, options: { date?: string }): number {
  const app = createApp(context.config, context.logger, context.io.overrides);
  try {
    const text = previewText(app.papers, utcDay(app.clock.now()), options.date);
    context.io.stdout.write(`${text.body}\n`);
    return text.found ? EXIT_OK : EXIT_FAILURE;
  } finally {
    app.close();
  }
}

/** The digest a channel with default settings would get for `day` (default: the latest complete day stored). */
export function previewText(
  papers: PaperStore,
  today: string,
  day?: string,
  width = process.stdout.isTTY ? process.stdout.columns : 100,
): { found: boolean; body: string } {
  const target = day ?? latestCompleteDay(papers.days(30), today);
  if (target === null) {
    return {
      found: false,
      body: 'No complete list day is stored yet. Run "paperboy ingest" or import a saved list first.',
    };
  }
  const selection = selectPapers(target, papers.onDay(target), {
    maxPapers: DEFAULT_MAX_PAPERS,
    minUpvotes: DEFAULT_MIN_UPVOTES,
  });
  if (selection.total === 0) {
    return { found: false, body: `No papers are stored for ${target} (weekends have no list).` };
  }
  return { found: true, body: renderDigestText(selection, Math.min(width, 120)) };
}
