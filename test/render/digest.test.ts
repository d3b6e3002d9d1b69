import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { digestHeadline, type Selection } from '../../src/delivery/selection.js';
import { renderDigestMessages, renderPaperMessage, type RenderedMessage } from '../../src/render/digest.js';
import { ENV_HARNESS, expectValid, storedPaper } from './helpers.js';

function selectionOf(count: number, total = count): Selection {
  const papers = Array.from({ length: count }, (_, index) =>
    storedPaper({ id: `2608.${String(10_000 + index)}`, upvotes: 500 - index, aiSummary: 'A summary of the paper.' }),
  );
  return { day: '2026-08-21', eligible: count, total, papers };
}

describe('renderDigestMessages', () => {
  it('GIVEN 25 papers THEN three messages of 10, 10 and 5 embeds, the header only on the first, all valid', () => {
    const selection = selectionOf(25, 31);
    const messages = renderDigestMessages(selection);
    expect(messages.map((message) => message.embeds.length)).toEqual([10, 10, 5]);
    expect(messages[0]?.content).toBe('Hugging Face Daily Papers, 2026-08-21: 25 of 31 papers');
    expect(messages[0]?.content).toBe(digestHeadline(selection));
    expect(messages.slice(1).map((message) => message.content)).toEqual([undefined, undefined]);
    for (const message of messages) {
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expectValid(message);
    }
  });

  it('GIVEN a digest THEN every embed has its own URL, within and across messages, in ranking order', () => {
    const selection = selectionOf(25);
    const urls = renderDigestMessages(selection).flatMap((message) => message.embeds.map((embed) => embed.url));
    expect(urls).toEqual(selection.papers.map((paper) => `https://huggingface.co/papers/${paper.id}`));
    expect(new Set(urls).size).toBe(25);
  });

  it('GIVEN ten papers THEN one message', () => {
    expect(renderDigestMessages(selectionOf(10))).toHaveLength(1);
  });

  it('GIVEN no papers THEN no messages (the caller decides whether to say so)', () => {
    expect(renderDigestMessages({ day: '2026-08-22', eligible: 0, total: 0, papers: [] })).toEqual([]);
  });

  it('GIVEN the same paper twice THEN it is shown once and counted once', () => {
    const paper = storedPaper({ id: '2608.19880' });
    const messages = renderDigestMessages({ day: '2026-08-21', eligible: 2, total: 5, papers: [paper, paper] });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds).toHaveLength(1);
    expect(messages[0]?.content).toBe('Hugging Face Daily Papers, 2026-08-21: 1 of 5 papers');
  });

  it('GIVEN matched topics per paper and an HF base URL THEN each embed shows its own topics and links there', () => {
    const a = storedPaper({ id: '2608.00001' });
    const b = storedPaper({ id: '2608.00002' });
    const messages = renderDigestMessages(
      { day: '2026-08-21', eligible: 2, total: 2, papers: [a, b] },
      { matchedTopics: new Map([[a.id, ['diffusion', 'video']]]), hfBaseUrl: 'http://127.0.0.1:9000' },
    );
    const [first, second] = messages[0]?.embeds ?? [];
    expect(first?.fields).toEqual([{ name: 'Matched topics', value: 'diffusion, video', inline: true }]);
    expect(second?.fields).toBeUndefined();
    expect(first?.url).toBe('http://127.0.0.1:9000/papers/2608.00001');
  });

  it('GIVEN the rendered type THEN it is a Discord REST message body', () => {
    expectTypeOf<RenderedMessage>().toExtend<RESTPostAPIChannelMessageJSONBody>();
  });
});

describe('renderPaperMessage', () => {
  it('GIVEN a paper THEN one message with one full embed and mentions off', () => {
    const message = renderPaperMessage(ENV_HARNESS, { listDay: '2026-08-21', matchedTopics: ['agents'] });
    expect(message.content).toBeUndefined();
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds[0]?.description?.startsWith('**TL;DR** ')).toBe(true);
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expectValid(message);
  });
});
