import { describe, expect, it } from 'vitest';
import { paperIdFromReference } from '../src/papers/paper-ref.js';
import { addDays, canonicalPaperId, isIsoDay, normalizeWhitespace } from '../src/papers/paper.js';

describe('paper references', () => {
  it.each([
    ['2405.12345', '2405.12345'],
    ['2405.12345v3', '2405.12345'],
    ['arXiv:2405.12345v2', '2405.12345'],
    ['  2608.19880 ', '2608.19880'],
    ['https://huggingface.co/papers/2608.19880', '2608.19880'],
    ['https://huggingface.co/papers/2608.19880#community', '2608.19880'],
    ['https://arxiv.org/abs/2405.12345v2', '2405.12345'],
    ['https://arxiv.org/pdf/2405.12345v1.pdf', '2405.12345'],
    ['https://arxiv.org/pdf/2405.12345', '2405.12345'],
    ['arxiv.org/html/2405.12345v1/', '2405.12345'],
    ['https://arxiv.org/abs/hep-th/9901001', 'hep-th/9901001'],
    ['Phased Consistency Model', null],
    ['https://example.com/papers/2405.12345x', null],
    ['', null],
  ])('%j -> %j', (input, expected) => {
    expect(paperIdFromReference(input)).toBe(expected);
  });
});

describe('paper domain helpers', () => {
  it('GIVEN ids THEN canonical form drops version and prefix, rejects non-ids', () => {
    expect(canonicalPaperId('2405.1234v10')).toBe('2405.1234');
    expect(canonicalPaperId('not-an-id')).toBeNull();
  });
  it('GIVEN arXiv line wraps THEN single spaces', () => {
    expect(normalizeWhitespace('  A study\n of   things\t ')).toBe('A study of things');
  });
  it('GIVEN days THEN calendar validity and arithmetic across month and leap boundaries', () => {
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
