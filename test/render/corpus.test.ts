import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectPapers } from '../../src/delivery/selection.js';
import { renderDigestMessages, renderPaperMessage } from '../../src/render/digest.js';
import { COMPACT_EMBED_BUDGET, renderPaperEmbed } from '../../src/render/paper-embed.js';
import { threadName } from '../../src/render/thread-name.js';
import { embedTextLength, validateMessage, validateThreadName } from '../../src/render/validate.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createPaperStore, type PaperStore } from '../../src/store/paper-store.js';
import { CORPUS_PATH, loadCorpus, warnIfCorpusMissing } from '../support/corpus.js';

warnIfCorpusMissing();

describe.skipIf(CORPUS_PATH === null)('rendering the real corpus (2024-05-27 to 2026-08-21)', () => {
  let db: Db;
  let store: PaperStore;

  beforeAll(async () => {
    db = openDatabase(':memory:');
    await loadCorpus(db);
    store = createPaperStore(db);
  }, 60_000);
  afterAll(() => {
    db.close();
  });

  it('GIVEN every list day THEN its digest (up to 25 papers) is valid messages, every paper once', () => {
    const problems: string[] = [];
    const days = store.days(10_000);
    expect(days.length).toBeGreaterThan(300);
    for (const day of days) {
      const selection = selectPapers(day, store.onDay(day), { maxPapers: 25, minUpvotes: 0 });
      const messages = renderDigestMessages(selection);
      expect(messages.flatMap((message) => message.embeds)).toHaveLength(selection.papers.length);
      messages.forEach((message, index) => {
        for (const problem of validateMessage(message)) problems.push(`${day} message ${String(index)}: ${problem}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('GIVEN every stored paper THEN its full message, compact embed and thread name are valid', () => {
    const problems: string[] = [];
    const days = store.days(10_000);
    let papers = 0;
    for (const day of days) {
      for (const paper of store.onDay(day)) {
        papers += 1;
        const full = renderPaperMessage(paper, { listDay: day });
        const compact = renderPaperEmbed(paper, { form: 'compact' });
        const found = [
          ...validateMessage(full),
          ...validateMessage({ embeds: [compact], allowed_mentions: { parse: [] } }),
          ...validateThreadName(threadName(paper.title)),
        ];
        if (embedTextLength(compact) > COMPACT_EMBED_BUDGET) found.push('compact embed over budget');
        for (const problem of found) problems.push(`${paper.id}: ${problem}`);
      }
    }
    expect(papers).toBeGreaterThan(5000);
    expect(problems).toEqual([]);
  });
});
