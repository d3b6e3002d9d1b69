import { escapeMarkdown } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength } from '../../src/delivery/text.js';
import { cleanText, ELLIPSIS, escapeMarkdownText, fitMarkdown, fitPlain } from '../../src/render/escape.js';
import { liveMarkdown, unescapeMarkdown, withoutMentionGuards } from './helpers.js';

describe('escapeMarkdownText', () => {
  it.each([
    ['bold', '**bold**', '\\*\\*bold\\*\\*'],
    ['italics and underline', '_a_ __b__ *c*', '\\_a\\_ \\_\\_b\\_\\_ \\*c\\*'],
    ['strikethrough and a lone tilde', '~~s~~ ~x', '\\~\\~s\\~\\~ \\~x'],
    ['inline code', '`x`', '\\`x\\`'],
    ['four backticks', '````a````', '\\`\\`\\`\\`a\\`\\`\\`\\`'],
    ['spoiler', '||x||', '\\|\\|x\\|\\|'],
    ['block quote', '> quoted', '\\> quoted'],
    ['multi-line block quote', '>>> quoted', '\\>\\>\\> quoted'],
    ['heading', '# Heading', '\\# Heading'],
    ['subtext', '-# small', '\\-# small'],
    ['bulleted list', '- item', '\\- item'],
    ['plus list', '+ item', '\\+ item'],
    ['numbered list', '12. item', '12\\. item'],
    ['masked link', '[x](https://evil.example)', '\\[x\\](https\\://evil.example)'],
    [
      'two masked links',
      '[a](https://a.example) [b](https://b.example)',
      '\\[a\\](https\\://a.example) \\[b\\](https\\://b.example)',
    ],
    ['bare URL', 'see https://evil.example/x_y', 'see https\\://evil.example/x\\_y'],
    ['user mention', '<@123456789012345678>', '\\<@123456789012345678\\>'],
    ['role mention', '<@&123456789012345678>', '\\<@&123456789012345678\\>'],
    ['channel mention', '<#123>', '\\<#123\\>'],
    ['slash command mention', '</papers show:123>', '\\</papers show:123\\>'],
    ['timestamp', '<t:1700000000:R>', '\\<t:1700000000:R\\>'],
    ['custom emoji', '<:blob:123>', '\\<:blob:123\\>'],
    ['@everyone', 'hi @everyone', 'hi @\u200beveryone'],
    ['@here', '@here now', '@\u200bhere now'],
    ['@Everyone, any case', '@EVERYONE', '@\u200bEVERYONE'],
    ['backslash', 'a \\ b \\*', 'a \\\\ b \\\\\\*'],
    ['hyphen and hash inside text', 'Self-Supervised C# x-1', 'Self-Supervised C# x-1'],
    ['newline before a heading', 'a\n# b', 'a # b'],
    ['control characters and ANSI', '\u001b[31mred\u0007', '\\[31mred'],
    ['bidi override', 'abc\u202edef', 'abc def'],
    ['right-to-left text is kept', 'שלום עולם', 'שלום עולם'],
    ['lone surrogate', 'a\ud800b', 'a\ufffdb'],
  ])('GIVEN %s THEN it is escaped', (_name, input, expected) => {
    expect(escapeMarkdownText(input)).toBe(expected);
  });

  it('GIVEN any text THEN nothing in the output can format, link or mention, and unescaping gives the cleaned text back', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const escaped = escapeMarkdownText(text);
        expect(liveMarkdown(escaped)).toEqual([]);
        expect(unescapeMarkdown(escaped)).toBe(withoutMentionGuards(cleanText(text)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('what discord.js escapeMarkdown (every option on) leaves live, and we do not', () => {
  const all = { heading: true, bulletedList: true, numberedList: true, maskedLink: true } as const;
  it.each([
    ['@everyone', '@everyone', (out: string) => out.includes('@everyone')],
    ['mentions', '<@&123456789012345678>', (out: string) => out.startsWith('<@&')],
    [
      'the second masked link on a line',
      '[a](https://a.example) [b](https://b.example)',
      (out: string) => out.includes(' [b]('),
    ],
    [
      'a backtick pair left by runs of four',
      '````a````',
      (out: string) => (out.match(/(?<!\\)`/gu) ?? []).length === 2,
    ],
    ['block quotes', '> quoted', (out: string) => out.startsWith('>')],
    ['subtext', '-# small', (out: string) => out.startsWith('-#')],
    ['bare URLs (autolinks)', 'https://evil.example', (out: string) => out.startsWith('https://')],
  ])('GIVEN %s THEN escapeMarkdown leaves it live and escapeMarkdownText does not', (_name, input, isLive) => {
    expect(isLive(escapeMarkdown(input, all))).toBe(true);
    expect(isLive(escapeMarkdownText(input))).toBe(false);
    expect(liveMarkdown(escapeMarkdownText(input))).toEqual([]);
  });
});

describe('fitMarkdown', () => {
  it('GIVEN text within the limit THEN it is only escaped', () => {
    expect(fitMarkdown('**hi**', 10)).toBe('\\*\\*hi\\*\\*');
  });

  it.each([
    // Room for 9 before the ellipsis: "\*\*\*\*" is 8, and the fifth "\*" would split.
    ['escapes', '*'.repeat(20), 10, '\\*\\*\\*\\*…'],
    ['a ZWJ family emoji is not split', '👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 10, '👨‍👩‍👧‍👦…'],
    ['combining marks stay with their letter', 'e\u0301'.repeat(10), 6, 'e\u0301e\u0301…'],
    ['a flag is not split', '🇫🇷🇫🇷🇫🇷', 4, '🇫🇷…'],
    ['astral characters count once', '😀'.repeat(10), 5, '😀😀😀😀…'],
    ['trailing space before the ellipsis is dropped', 'abc def', 5, 'abc…'],
  ])('GIVEN %s THEN the cut keeps whole units', (_name, input, max, expected) => {
    expect(fitMarkdown(input, max)).toBe(expected);
    expect(codePointLength(fitMarkdown(input, max))).toBeLessThanOrEqual(max);
  });

  it('GIVEN one grapheme longer than the room (thousands of combining marks) THEN it is cut inside', () => {
    const zalgo = `a${'\u0301'.repeat(5000)}`;
    const fitted = fitMarkdown(zalgo, 100);
    expect(codePointLength(fitted)).toBe(100);
    expect(fitted.endsWith(ELLIPSIS)).toBe(true);
  });

  it('GIVEN prose and wordBoundary THEN it is cut between words', () => {
    expect(fitMarkdown('the quick brown fox jumps over', 22, { wordBoundary: true })).toBe('the quick brown fox…');
  });

  it('GIVEN a 50,000-character text THEN it is cut quickly', () => {
    const started = performance.now();
    for (let run = 0; run < 100; run += 1) fitMarkdown('x_'.repeat(25_000), 4096);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('GIVEN any text and limit THEN the output fits, stays inert, and is a prefix of the text plus an ellipsis', () => {
    fc.assert(
      fc.property(hostileText(), fc.integer({ min: 0, max: 300 }), fc.boolean(), (text, max, wordBoundary) => {
        const fitted = fitMarkdown(text, max, { wordBoundary });
        expect(codePointLength(fitted)).toBeLessThanOrEqual(max);
        expect(liveMarkdown(fitted)).toEqual([]);
        const cleaned = withoutMentionGuards(cleanText(text));
        const shown = unescapeMarkdown(fitted);
        if (max === 0) expect(fitted).toBe('');
        else if (shown !== cleaned) {
          expect(shown.endsWith(ELLIPSIS)).toBe(true);
          expect(cleaned.startsWith(shown.slice(0, -ELLIPSIS.length))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fitPlain', () => {
  it.each([
    ['markdown stays as typed', '**bold** [x](y)', 50, '**bold** [x](y)'],
    ['mass mentions are defused', '@everyone @here', 50, '@\u200beveryone @\u200bhere'],
    ['newlines become spaces', 'a\n\nb', 50, 'a b'],
    ['long text is cut', 'abcdefghij', 5, 'abcd…'],
  ])('GIVEN %s THEN plain text fits', (_name, input, max, expected) => {
    expect(fitPlain(input, max)).toBe(expected);
  });
});

/** Text built from the pieces that break renderers: markdown, mentions, URLs, emoji, RTL, controls, surrogates. */
function hostileText(): fc.Arbitrary<string> {
  const pieces = fc.constantFrom(
    '**',
    '*',
    '_',
    '__',
    '~~',
    '~',
    '`',
    '```',
    '||',
    '|',
    '>',
    '>>> ',
    '#',
    '## ',
    '-# ',
    '- ',
    '+ ',
    '1. ',
    '42.',
    '[',
    ']',
    '(',
    ')',
    '[x](https://evil.example)',
    '<@123456789012345678>',
    '<@&1>',
    '<#1>',
    '</a:1>',
    '<t:1:R>',
    '@everyone',
    '@here',
    '@',
    'everyone',
    '\\',
    '\\\\',
    '\n',
    '\r\n',
    '\t',
    ' ',
    '  ',
    'https://',
    '://',
    ':',
    '//',
    '👨‍👩‍👧‍👦',
    '🏳️‍🌈',
    '🇫🇷',
    'e\u0301',
    '\u0301',
    'שלום',
    'مرحبا',
    '\u202e',
    '\u2066',
    '\u200b',
    '\u200d',
    '\ufeff',
    '\u0000',
    '\u001b[31m',
    '\u0085',
    '\u00a0',
    '\ud800',
    '\udc00',
    'word',
    'x',
    '.',
    '1',
  );
  return fc.oneof(
    fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
}
