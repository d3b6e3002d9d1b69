import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestHeadline } from '../../src/delivery/selection.js';
import { codePointLength } from '../../src/delivery/text.js';
import type { Paper } from '../../src/papers/paper.js';
import { renderDigestMessages, renderPaperMessage } from '../../src/render/digest.js';
import { MESSAGE_EMBEDS_MAX, THREAD_NAME_MAX } from '../../src/render/limits.js';
import { COMPACT_EMBED_BUDGET, renderPaperEmbed } from '../../src/render/paper-embed.js';
import { threadName } from '../../src/render/thread-name.js';
import { embedTextLength, validateMessage, validateThreadName } from '../../src/render/validate.js';
import type { StoredPaper } from '../../src/store/paper-store.js';

/*
 * Random papers with extreme fields always render into messages Discord accepts. Sizes: 50,000-character abstracts,
 * 3,000 authors, huge keyword and topic lists, 2,100-character URLs; text made of emoji and ZWJ sequences,
 * right-to-left script, combining marks, markdown, mention syntax, backslashes, newlines, controls and lone surrogates.
 */

const PIECES = [
  '**',
  '*',
  '_',
  '__',
  '~~',
  '`',
  '```',
  '||',
  '>',
  '>>> ',
  '#',
  '-# ',
  '- ',
  '1. ',
  '[',
  ']',
  '(',
  ')',
  '[x](https://evil.example)',
  '<@123456789012345678>',
  '<@&123456789012345678>',
  '<#1>',
  '</papers show:1>',
  '@everyone',
  '@here',
  '\\',
  '\\\\',
  '\n',
  '\r\n',
  '\t',
  ' ',
  'https://',
  '://',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇯🇵',
  '😀',
  'e\u0301',
  '\u0301\u0302\u0303',
  'שלום',
  'مرحبا بالعالم',
  '\u202e',
  '\u2067',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u0000',
  '\u001b[2J',
  '\u0085',
  '\u00a0',
  '\u3000',
  '\ud83d',
  '\ude00',
  'word',
  'Scaling',
  '.',
  '. ',
  '? ',
  '1',
];

const piece = fc.constantFrom(...PIECES);

/** Short hostile text. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Hostile text up to 50,000 characters: a piece pattern repeated (cheap to generate, no sentence ends or many). */
const huge: fc.Arbitrary<string> = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50_000 }))
  .map(([parts, length]) => {
    const unit = parts.join('') || 'x';
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  });

const text = fc.oneof({ weight: 3, arbitrary: nasty }, { weight: 1, arbitrary: huge });
const optionalText = fc.option(text, { nil: null });

const url: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant(null),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.integer({ min: 0, max: 2_100 }).map((length) => `https://example.com/${'a'.repeat(length)}`),
  fc.constantFrom(
    'https://github.com/google-research/envharness',
    'javascript:alert(1)',
    'data:text/html,hi',
    'ftp://files.example/x',
    'https://user:pass@evil.example/',
    'https://a.example/(x)_y_*z*',
    'https://例え.jp/パス?q=ä',
    'http://[::1]:8080/x',
    ' https://padded.example ',
    'not a url',
    '',
  ),
  nasty,
);

const count = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, -1),
);

const manyNames = (maxCount: number): fc.Arbitrary<string[]> =>
  fc.oneof(
    fc.array(text, { maxLength: 12 }),
    fc
      .tuple(fc.array(nasty, { maxLength: 4 }), fc.integer({ min: 0, max: maxCount }))
      .map(([odd, plain]) => [...odd, ...Array.from({ length: plain }, (_, index) => `Name ${String(index)}`)]),
  );

const arxivId = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99_999 }))
    .map(([month, number]) => `${String(month).padStart(4, '0')}.${String(number).padStart(5, '0')}`),
  fc
    .tuple(fc.constantFrom('hep-th', 'cs', 'math.AG', 'cond-mat'), fc.integer({ min: 0, max: 9_999_999 }))
    .map(([archive, number]) => `${archive}/${String(number).padStart(7, '0')}`),
);

const paperArbitrary: fc.Arbitrary<StoredPaper> = fc
  .record({
    id: arxivId,
    title: text,
    abstract: text,
    authors: manyNames(3000),
    organization: fc.option(fc.record({ name: nasty, fullname: fc.option(text, { nil: null }) }), { nil: null }),
    upvotes: count,
    comments: fc.option(count, { nil: null }),
    aiSummary: optionalText,
    aiKeywords: manyNames(2000),
    githubRepo: url,
    githubStars: fc.option(count, { nil: null }),
    projectPage: url,
    thumbnail: url,
    publishedAt: fc.option(fc.constant('2026-08-20T00:00:00.000Z'), { nil: null }),
    listDays: fc.array(fc.constantFrom('2026-08-20', '2026-08-21', 'not-a-day'), { maxLength: 3 }),
    firstSeenAt: fc.constant('2026-08-21T09:00:00.000Z'),
  })
  .map((paper): StoredPaper => paper satisfies Paper & Pick<StoredPaper, 'listDays' | 'firstSeenAt'>);

const topics = fc.option(manyNames(500), { nil: undefined });
const hfBaseUrl = fc.option(fc.constantFrom('https://huggingface.co', 'http://127.0.0.1:8080/', 'not a url'), {
  nil: undefined,
});

function problemsOf(embeds: ReturnType<typeof renderPaperEmbed>[]): string[] {
  return validateMessage({ embeds, allowed_mentions: { parse: [] } });
}

describe('rendering random extreme papers (property)', () => {
  it('GIVEN any paper THEN full and compact embeds, the paper message and the thread name are valid', () => {
    fc.assert(
      fc.property(
        paperArbitrary,
        topics,
        hfBaseUrl,
        fc.option(fc.constant('2026-08-21'), { nil: undefined }),
        (paper, matchedTopics, base, listDay) => {
          const full = renderPaperEmbed(paper, { form: 'full', matchedTopics, hfBaseUrl: base, listDay });
          expect(problemsOf([full])).toEqual([]);
          expect(embedTextLength(full)).toBeLessThanOrEqual(5500);

          const compact = renderPaperEmbed(paper, { form: 'compact', matchedTopics, hfBaseUrl: base, listDay });
          expect(problemsOf([compact])).toEqual([]);
          expect(embedTextLength(compact)).toBeLessThanOrEqual(COMPACT_EMBED_BUDGET);

          expect(validateMessage(renderPaperMessage(paper, { matchedTopics, hfBaseUrl: base, listDay }))).toEqual([]);

          const name = threadName(paper.title);
          expect(validateThreadName(name)).toEqual([]);
          expect(codePointLength(name)).toBeGreaterThanOrEqual(1);
          expect(codePointLength(name)).toBeLessThanOrEqual(THREAD_NAME_MAX);
        },
      ),
      { numRuns: 2500 },
    );
  });

  it('GIVEN one paper rendered compact for many channels THEN each embed is the one a fresh render gives', () => {
    fc.assert(
      fc.property(paperArbitrary, fc.array(topics, { minLength: 2, maxLength: 4 }), hfBaseUrl, (paper, lists, base) => {
        // The same paper object, as the planner passes it for every channel: the renderer keeps per-paper parts.
        for (const matchedTopics of lists) {
          const shared = renderPaperEmbed(paper, { form: 'compact', matchedTopics, hfBaseUrl: base });
          const fresh = renderPaperEmbed({ ...paper }, { form: 'compact', matchedTopics, hfBaseUrl: base });
          expect(shared).toEqual(fresh);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('GIVEN 1 to 40 papers THEN every digest message is valid, the header comes first, and every paper is shown once', () => {
    fc.assert(
      fc.property(
        fc.array(paperArbitrary, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        hfBaseUrl,
        fc.boolean(),
        (papers, extra, base, withTopics) => {
          const selection = { day: '2026-08-21', eligible: papers.length, total: papers.length + extra, papers };
          const matchedTopics = withTopics
            ? new Map(papers.map((paper) => [paper.id, ['diffusion', paper.title.slice(0, 500)]]))
            : undefined;
          const messages = renderDigestMessages(selection, { matchedTopics, hfBaseUrl: base });
          const unique = new Set(papers.map((paper) => paper.id)).size;
          expect(messages.length).toBe(Math.ceil(unique / MESSAGE_EMBEDS_MAX));
          expect(messages.flatMap((message) => message.embeds)).toHaveLength(unique);
          messages.forEach((message, index) => {
            expect(validateMessage(message)).toEqual([]);
            expect(message.content).toBe(
              index === 0
                ? digestHeadline({ ...selection, papers: [...new Map(papers.map((p) => [p.id, p])).values()] })
                : undefined,
            );
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
