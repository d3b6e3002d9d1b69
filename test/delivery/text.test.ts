import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, truncateCodePoints } from '../../src/delivery/text.js';

describe('codePointLength', () => {
  it.each([
    ['empty', '', 0],
    ['ASCII', 'diffusion', 9],
    ['an emoji outside the BMP is one code point', '🤗 papers', 8],
    ['two emoji in a row', '🤗🤗', 2],
    ['a lone high surrogate counts as one', 'a\ud83eb', 3],
    ['a lone low surrogate counts as one', '\udd17x', 2],
    ['a high surrogate at the end', 'ab\ud83e', 3],
    ['a combining accent is its own code point', 'e\u0301', 2],
  ])('%s', (_name, text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });

  it('counts as iterating the string does, for any string (lone surrogates included)', () => {
    const units = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('a', '\ud83e', '\udd17', '\ud800', '\udfff', '🤗', 'é') }),
    );
    fc.assert(
      fc.property(units, (text) => {
        expect(codePointLength(text)).toBe(Array.from(text).length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('truncateCodePoints', () => {
  it('keeps text that fits, and never splits a surrogate pair when cutting', () => {
    expect(truncateCodePoints('short', 10)).toBe('short');
    expect(truncateCodePoints('🤗🤗🤗🤗', 3)).toBe('🤗🤗…');
  });
});
