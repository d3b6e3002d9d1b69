import { describe, expect, it } from 'vitest';
import { renderDigestText } from '../../src/delivery/render-text.js';
import { makePaper } from '../support/papers.js';

describe('renderDigestText', () => {
  it('GIVEN paper text with ANSI escapes and bidi overrides THEN none of it reaches the terminal', () => {
    const paper = {
      ...makePaper({
        title: 'Evil \u001b[2J\u001b[31mtitle\u202e txet',
        authors: ['Ada\u0007 Lovelace'],
        aiSummary: 'A \u2066summary\u2069.',
      }),
      listDays: ['2026-08-21'],
      firstSeenAt: '2026-08-21T00:00:00.000Z',
    };
    const text = renderDigestText({ day: '2026-08-21', total: 1, eligible: 1, papers: [paper] });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(text).toContain('Evil [2J [31mtitle txet');
    expect(text).toContain('Ada Lovelace');
  });
});
