import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { createSearchService, type SearchOptions, type SearchService } from '../../src/search/search-service.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { listed, makePaper } from '../support/papers.js';

/**
 * Whatever a user types, search answers or refuses with a message meant for them: never an SQLite error,
 * never any other exception. Autocomplete never throws at all.
 */

const RUNS = 2_000;

/** Pieces of queries: our syntax, FTS5's syntax, SQL, and the awkward parts of Unicode. */
const PIECES = [
  // Our syntax.
  '"',
  '"',
  '(',
  ')',
  '-',
  ':',
  '|',
  'OR',
  'AND',
  'NOT',
  'author:',
  'org:',
  'keyword:',
  'title:',
  'title:(',
  '-(',
  'authors:',
  'Author:',
  'foo:',
  'http://',
  'x:y',
  // FTS5 syntax.
  '*',
  '^',
  '+',
  'NEAR(',
  'NEAR/3',
  ',',
  '{title}:',
  '{title authors}:',
  '{abstract}',
  'col:',
  'papers_fts:',
  '-{title}:',
  'rank:',
  'rowid:',
  '""',
  '"*"',
  '"^"',
  ')(',
  '((',
  '))',
  // SQL.
  "'",
  ';',
  '--',
  '/*',
  '*/',
  "'); DROP TABLE papers; --",
  '?',
  '?1',
  ':name',
  '@x',
  '$x',
  '%',
  '_',
  '\\',
  '`',
  // Words that match something, and some that do not.
  'diffusion',
  'video',
  'models',
  'model',
  'flow',
  'survey',
  'lecun',
  'nvidia',
  'rlhf',
  'state space',
  'zebra',
  'a',
  'x',
  'or',
  'and',
  'not',
  'near',
  'Diffusión',
  '2405.15738',
  'GPT-4',
  'state-of-the-art',
  // Unicode.
  '🚀',
  '👩‍🔬',
  '🇫🇷',
  'שלום',
  'مرحبا',
  '\u200f',
  '\u202e',
  'e\u0301',
  '\u0301',
  '\u0308\u0308',
  '\u200d',
  '\ufeff',
  '中文',
  'ａｂｃ',
  'ß',
  'İ',
  '\ud800',
  '\udfff',
  '\u0000',
  '\u0001',
  '\u001b[31m',
  '\n',
  '\t',
  '\u00a0',
  '\u2028',
  ' ',
  ' ',
];

const soup = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));
const spacedSoup = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((parts) => parts.join(' '));
const anyText = fc.string({ unit: 'binary', maxLength: 400 });
const graphemes = fc.string({ unit: 'grapheme', maxLength: 120 });
const long = fc
  .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 6_000 }))
  .map(([piece, length]) => piece.repeat(Math.ceil(length / Math.max(1, piece.length))).slice(0, length));
const longMixed = fc.array(fc.constantFrom(...PIECES), { minLength: 200, maxLength: 1_500 }).map((p) => p.join(''));

const queries = fc.oneof(
  { arbitrary: soup, weight: 4 },
  { arbitrary: spacedSoup, weight: 4 },
  { arbitrary: anyText, weight: 2 },
  { arbitrary: graphemes, weight: 1 },
  { arbitrary: long, weight: 1 },
  { arbitrary: longMixed, weight: 1 },
);

const options: fc.Arbitrary<SearchOptions> = fc.record(
  {
    sort: fc.constantFrom('relevance' as const, 'upvotes' as const, 'newest' as const),
    since: fc.constantFrom('2026-01-01', '2026-08-20', '2030-01-01'),
    minUpvotes: fc.constantFrom(0, 5, 100),
    limit: fc.integer({ min: 1, max: 100 }),
    offset: fc.integer({ min: 0, max: 30 }),
  },
  { requiredKeys: ['sort', 'limit', 'offset'] },
);

function answersOrRefuses(run: () => unknown): 'answered' | 'refused' {
  try {
    run();
    return 'answered';
  } catch (error) {
    // Anything but a UserFacingError (SqliteError, TypeError, RangeError...) fails the property here.
    if (!(error instanceof UserFacingError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return 'refused';
  }
}

describe('search and autocomplete on any input', () => {
  let db: Db;
  let services: SearchService[];

  beforeAll(() => {
    db = openDatabase(':memory:');
    const titles = [
      'Scaling Diffusion Models for Video Generation',
      'Flow Matching for Images',
      'A Survey of Diffusion Models',
      'State Space Models: Mamba',
      'שלום: A Hebrew Benchmark 🚀',
      'Ｆｕｌｌｗｉｄｔｈ and e\u0301 Models',
      'GPT-4 Technical Report',
      '"Quoted" (Parenthesised) NEAR* ^Title {title}:',
    ];
    createPaperStore(db).upsertListed(
      titles.map((title, i) =>
        listed(
          `2026-08-${String(10 + i)}`,
          makePaper({
            id: `2608.${String(60000 + i)}`,
            title,
            authors: ['Yann LeCun', 'Zoë Müller'],
            organization: i % 2 === 0 ? { name: 'nvidia', fullname: 'NVIDIA' } : null,
            aiKeywords: ['rlhf', 'diffusion'],
            upvotes: i * 20,
          }),
        ),
      ),
      new Date('2026-08-22T00:00:00.000Z'),
    );
    services = [
      createSearchService(db),
      // The other query plans (rowid sets, index walks) on the same store.
      createSearchService(db, { plan: { selectiveFilter: 0, sortAllUpTo: 0, rankWindow: 3 } }),
    ];
  });
  afterAll(() => {
    db.close();
  });

  it(`GIVEN any query (${String(RUNS)} runs) THEN search answers or refuses with a UserFacingError`, () => {
    const outcomes = { answered: 0, refused: 0 };
    fc.assert(
      fc.property(queries, options, fc.nat(1), (query, searchOptions, which) => {
        const service = services[which] ?? services[0];
        if (service === undefined) throw new Error('no service');
        outcomes[answersOrRefuses(() => service.search(query, searchOptions))] += 1;
        answersOrRefuses(() => service.matchingIds(query, ['2608.60000', '2608.60003', '2608.60005']));
      }),
      { numRuns: RUNS },
    );
    // The property means something only if many inputs get past the parser to SQLite.
    expect(outcomes.answered).toBeGreaterThan(RUNS / 4);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
  });

  it(`GIVEN anything typed (${String(RUNS)} runs) THEN autocomplete never throws and stays within Discord's limits`, () => {
    const service = services[0];
    if (service === undefined) throw new Error('no service');
    fc.assert(
      fc.property(queries, fc.integer({ min: -5, max: 40 }), (typed, limit) => {
        const suggestions = service.suggestTitles(typed, limit);
        expect(suggestions.length).toBeLessThanOrEqual(Math.max(0, Math.min(limit, 25)));
        for (const suggestion of suggestions) expect(Array.from(suggestion.title).length).toBeLessThanOrEqual(100);
      }),
      { numRuns: RUNS },
    );
  });

  it('GIVEN SQL in a query THEN it is text: the store is intact', () => {
    const service = services[0];
    for (const query of ["x'); DROP TABLE papers; SELECT ('", 'a"); DROP TABLE papers_fts; --"', "org:'x' OR 1=1"]) {
      answersOrRefuses(() => service?.search(query, { sort: 'relevance', limit: 5, offset: 0 }));
      expect(service?.suggestTitles(query)).toEqual(expect.any(Array));
    }
    expect(db.prepare('SELECT count(*) FROM papers').pluck().get()).toBe(8);
    expect(service?.search('diffusion', { sort: 'relevance', limit: 5, offset: 0 }).total).toBe(8);
  });
});
