import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { compileQuery, quoteFts, relaxQuery } from '../../src/search/query-compiler.js';
import {
  MAX_QUERY_LENGTH,
  QuerySyntaxError,
  formatQuery,
  parseQuery,
  positiveTerms,
  type QueryNode,
} from '../../src/search/query-parser.js';

/** Parses and prints canonically: what the parser understood, in one readable string. */
function understood(query: string): string {
  return formatQuery(parseQuery(query).root);
}

function syntaxError(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
}

function withoutPositions(node: QueryNode): unknown {
  switch (node.kind) {
    case 'term':
      return { kind: node.kind, field: node.field, text: node.text, phrase: node.phrase };
    case 'not':
      return { kind: node.kind, child: withoutPositions(node.child) };
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map(withoutPositions) };
  }
}

describe('query parser: what it understands', () => {
  it.each([
    // [what the user typed, what the parser understood, written canonically]
    ['diffusion video', 'diffusion video'],
    ['  diffusion \t video  ', 'diffusion video'],
    ['"state space model"', '"state space model"'],
    ['"state space model" mamba', '"state space model" mamba'],
    ['diffusion OR flow', 'diffusion OR flow'],
    ['diffusion | flow', 'diffusion OR flow'],
    ['diffusion|flow', 'diffusion OR flow'],
    ['a b OR c', '(a b) OR c'],
    ['a OR b c', 'a OR (b c)'],
    ['a (b OR c)', 'a (b OR c)'],
    ['(a OR b) (c OR d)', '(a OR b) (c OR d)'],
    ['diffusion -survey', 'diffusion -survey'],
    ['diffusion -"literature review"', 'diffusion -"literature review"'],
    ['diffusion -(survey OR review)', 'diffusion -(survey OR review)'],
    ['diffusion NOT survey', 'diffusion -survey'],
    ['diffusion AND video', 'diffusion video'],
    ['author:"Yann LeCun"', 'author:"Yann LeCun"'],
    ['author:lecun', 'author:lecun'],
    ['author: lecun', 'author:lecun'],
    ['Author:LeCun', 'author:LeCun'],
    ['authors:lecun keywords:rlhf', 'author:lecun keyword:rlhf'],
    ['org:nvidia', 'org:nvidia'],
    ['org:"Peking University"', 'org:"Peking University"'],
    ['keyword:rlhf', 'keyword:rlhf'],
    ['title:transformer', 'title:transformer'],
    ['title:"attention is all"', 'title:"attention is all"'],
    ['-author:smith diffusion', '-author:smith diffusion'],
    ['((a))', 'a'],
    ['a (b c)', 'a b c'],
    ['(a OR (b OR c))', 'a OR b OR c'],
    ['-(-a) b', 'a b'],
    ['-(a -b) c', '-(a -b) c'],
    // Lower-case operators are words.
    ['cats or dogs', 'cats or dogs'],
    ['near and not', 'near and not'],
    // FTS5 syntax is text: the compiler quotes it.
    ['NEAR(a b)', 'NEAR a b'],
    ['transform* ^start', 'transform* ^start'],
    ['{title}:x', '{title}:x'],
    ['title:OR', 'title:OR'],
    ['title:-x', 'title:-x'],
    ['GPT-4 state-of-the-art', 'GPT-4 state-of-the-art'],
    // A colon that does not start a field is text: titles typed as remembered, times, URLs.
    ['ConvLLaVA: hierarchical backbones', 'ConvLLaVA: hierarchical backbones'],
    ['10:30', '10:30'],
    ['https://arxiv.org/abs/2405.15738', 'https://arxiv.org/abs/2405.15738'],
    ['std::vector', 'std::vector'],
    // Terms without a letter or digit can never match: dropped.
    ['diffusion !!!', 'diffusion'],
    ['diffusion 🚀', 'diffusion'],
    ['diffusion -🚀', 'diffusion'],
    ['diffusion OR "!!!"', 'diffusion'],
    ['diffusion ""', 'diffusion'],
    // Control characters (NUL included) separate words.
    ['diff\u0000usion', 'diff usion'],
    ['"a\u0000b"', '"a b"'],
    // Unicode words are words.
    ['café résumé', 'café résumé'],
    ['שלום مرحبا', 'שלום مرحبا'],
    ['e\u0301te', 'e\u0301te'],
  ])('GIVEN %j THEN it is understood as %j', (query, expected) => {
    expect(understood(query)).toBe(expected);
  });

  it('GIVEN the canonical text of any parsed query THEN it parses back to the same tree', () => {
    const pieces = ['a', 'b', 'llm', '"x y"', 'author:z', 'org:q', '-c', 'OR', '(', ')', 'AND', 'NOT', '|', ' '];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
        const query = parts.join(' ');
        let parsed;
        try {
          parsed = parseQuery(query);
        } catch (error) {
          expect(error).toBeInstanceOf(QuerySyntaxError);
          return;
        }
        const again = parseQuery(formatQuery(parsed.root));
        expect(withoutPositions(again.root)).toEqual(withoutPositions(parsed.root));
      }),
      { numRuns: 1000 },
    );
  });

  it('GIVEN a query THEN its positive terms are those outside exclusions, in order', () => {
    const terms = positiveTerms(parseQuery('a -b (c OR author:d) -(e f) org:g').root);
    expect(terms.map((t) => t.text)).toEqual(['a', 'c', 'd', 'g']);
  });
});

describe('query parser: errors', () => {
  it.each([
    // [query, position, message]
    ['', 0, 'Type something to search for'],
    ['   ', 0, 'Type something to search for'],
    ['diffusion "state space', 10, 'Unclosed quote starting at position 10'],
    ['a (b OR c', 2, 'Missing ")" to close the "(" at position 2'],
    ['a (b (c)', 2, 'Missing ")" to close the "(" at position 2'],
    ['a b)', 3, 'Unexpected ")" at position 3: there is no "(" to close'],
    [') a', 0, 'Unexpected ")" at position 0: there is no "(" to close'],
    ['a ()', 2, 'Empty parentheses at position 2'],
    [
      'foo:bar',
      0,
      'Unknown field "foo:" at position 0. Use author:, org:, keyword: or title:, or put the text in "quotes"',
    ],
    [
      'diffusion year:2024',
      10,
      'Unknown field "year:" at position 10. Use author:, org:, keyword: or title:, or put the text in "quotes"',
    ],
    [
      'a -foo:"b"',
      3,
      'Unknown field "foo:" at position 3. Use author:, org:, keyword: or title:, or put the text in "quotes"',
    ],
    ['-', 0, 'Nothing to search for after "-" at position 0'],
    ['diffusion -', 10, 'Nothing to search for after "-" at position 10'],
    ['diffusion - survey', 10, 'Nothing to search for after "-" at position 10'],
    ['a -)', 2, 'Nothing to search for after "-" at position 2'],
    ['a NOT', 2, 'Nothing to search for after "NOT" at position 2'],
    ['a --b', 2, 'Use a single "-" to exclude something (position 2)'],
    ['a NOT -b', 6, 'Use a single "-" to exclude something ("NOT" at position 2 is followed by another)'],
    ['author:', 0, 'Nothing to search for after "author:" at position 0'],
    ['a title: OR b', 2, 'Nothing to search for after "title:" at position 2'],
    ['author:(a b)', 0, 'author: takes a word or a "phrase", not parentheses (position 0)'],
    ['OR a', 0, '"OR" at position 0 needs something to search for on both sides'],
    ['a OR', 2, '"OR" at position 2 needs something to search for on both sides'],
    ['a OR OR b', 2, '"OR" at position 2 needs something to search for on both sides'],
    ['a | | b', 2, '"OR" at position 2 needs something to search for on both sides'],
    ['(OR a)', 1, '"OR" at position 1 needs something to search for on both sides'],
    ['AND a', 0, '"AND" at position 0 needs something to search for on both sides'],
    ['a AND', 2, '"AND" at position 2 needs something to search for on both sides'],
    ['-survey', 0, 'A query cannot be only exclusions: add a word to search for, e.g. diffusion -survey'],
    ['-a -b', 0, 'A query cannot be only exclusions: add a word to search for, e.g. diffusion -survey'],
    ['-b OR c', 0, 'Each side of "OR" needs a word to search for, not only exclusions (position 0)'],
    ['a (-b OR c)', 3, 'Each side of "OR" needs a word to search for, not only exclusions (position 3)'],
    ['a OR -b', 5, 'Each side of "OR" needs a word to search for, not only exclusions (position 5)'],
    ['-(-a -b) c', 0, 'The exclusion at position 0 has nothing to exclude: it only holds exclusions itself'],
    ['!!! 🚀', 0, 'Nothing to search for: the query has no letters or numbers'],
    ['""', 0, 'Nothing to search for: the query has no letters or numbers'],
    ['((((((((( a )))))))))', 8, 'Too many nested parentheses (at most 8 levels)'],
    [Array.from({ length: 31 }, (_, i) => `w${i}`).join(' '), 110, 'Too many search terms (at most 30)'],
    ['x'.repeat(MAX_QUERY_LENGTH + 1), 300, 'Queries are limited to 300 characters; this one has 301'],
  ])('GIVEN %j THEN it is rejected at position %i: %s', (query, position, message) => {
    const error = syntaxError(query);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.message).toBe(message);
    expect(error.position).toBe(position);
  });

  it('GIVEN a query of exactly the maximum length THEN it is accepted', () => {
    expect(() => parseQuery('x'.repeat(MAX_QUERY_LENGTH))).not.toThrow();
  });

  it('GIVEN emoji before the problem THEN the position counts code points, as the user sees them', () => {
    expect(syntaxError('🚀🚀 "open').position).toBe(3);
    expect(Array.from('🚀🚀 "open')[3]).toBe('"');
  });

  it('GIVEN a long query of emoji THEN its length is counted in code points', () => {
    expect(() => parseQuery(`a ${'🚀'.repeat(MAX_QUERY_LENGTH - 2)}`)).not.toThrow();
    expect(syntaxError(`a ${'🚀'.repeat(MAX_QUERY_LENGTH - 1)}`).message).toContain('this one has 301');
  });
});

describe('query compiler', () => {
  // [query, MATCH expression, the same without exclusions when it differs]
  it.each<[string, string, string?]>([
    ['diffusion', '"diffusion"'],
    ['diffusion video', '("diffusion" AND "video")'],
    ['"state space model"', '"state space model"'],
    ['diffusion OR flow video', '("diffusion" OR ("flow" AND "video"))'],
    ['diffusion -survey -review', '("diffusion" NOT ("survey" OR "review"))', '"diffusion"'],
    ['a b -(c d)', '(("a" AND "b") NOT (("c" AND "d")))', '("a" AND "b")'],
    ['(a -b) OR c', '(("a" NOT ("b")) OR "c")', '("a" OR "c")'],
    ['title:mamba', '{title} : "mamba"'],
    ['author:"Yann LeCun"', '{authors} : "Yann LeCun"'],
    ['keyword:rlhf', '{ai_keywords} : "rlhf"'],
    ['-author:smith diffusion', '("diffusion" NOT ({authors} : "smith"))', '"diffusion"'],
    // User text is always one FTS5 string: operators, stars, carets and column filters are text.
    ['NEAR(a b) {title}:x a* ^b', '("NEAR" AND "a" AND "b" AND "{title}:x" AND "a*" AND "^b")'],
    // Quotes only delimit phrases: `""` is an empty phrase (dropped), never an escaped quote.
    ['title:"say ""hi"""', '({title} : "say " AND "hi")'],
  ])('GIVEN %j THEN the MATCH expression is %s, and without exclusions (to rank) %s', (query, match, rankMatch) => {
    expect(compileQuery(parseQuery(query))).toEqual({ match, rankMatch: rankMatch ?? match, filters: [] });
  });

  it('GIVEN text with a double quote THEN quoteFts doubles it, the FTS5 way', () => {
    expect(quoteFts('say "hi"')).toBe('"say ""hi"""');
  });

  it('GIVEN org: alongside words THEN words go to MATCH and org: to an SQL condition with bound values', () => {
    const compiled = compileQuery(parseQuery('diffusion org:nvidia'));
    expect(compiled.match).toBe('"diffusion"');
    expect(compiled.filters).toEqual([
      {
        sql: '(p.org_name = ? COLLATE NOCASE OR p.org_fullname = ? COLLATE NOCASE)',
        params: ['nvidia', 'nvidia'],
        org: true,
      },
    ]);
  });

  it('GIVEN org: in an OR THEN the whole OR is an SQL condition and there is no MATCH to rank by', () => {
    const compiled = compileQuery(parseQuery('org:nvidia OR diffusion'));
    expect(compiled.match).toBeNull();
    expect(compiled.filters).toHaveLength(1);
    expect(compiled.filters[0]?.sql).toBe(
      '((p.org_name = ? COLLATE NOCASE OR p.org_fullname = ? COLLATE NOCASE) OR p.rowid IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?))',
    );
    expect(compiled.filters[0]?.params).toEqual(['nvidia', 'nvidia', '"diffusion"']);
  });

  it('GIVEN an excluded org THEN NULL organisations do not make the row vanish', () => {
    const compiled = compileQuery(parseQuery('diffusion -org:nvidia'));
    expect(compiled.filters[0]?.sql).toBe(
      'NOT coalesce((p.org_name = ? COLLATE NOCASE OR p.org_fullname = ? COLLATE NOCASE), 0)',
    );
  });

  it('GIVEN org: with only exclusions of words THEN the exclusions become NOT MATCH conditions', () => {
    const compiled = compileQuery(parseQuery('org:nvidia -survey -review'));
    expect(compiled.match).toBeNull();
    expect(compiled.filters.map((f) => f.params)).toEqual([['nvidia', 'nvidia'], ['("survey" OR "review")']]);
  });

  it('GIVEN a query with several words THEN the relaxed query ORs them and keeps exclusions and org:', () => {
    const relaxed = relaxQuery(parseQuery('diffusion video -survey org:nvidia'));
    expect(relaxed === null ? null : formatQuery(relaxed.root)).toBe('(diffusion OR video) -survey org:nvidia');
    expect(relaxQuery(parseQuery('diffusion -survey'))).toBeNull();
    expect(relaxQuery(parseQuery('a OR b'))).toBeNull();
  });
});
