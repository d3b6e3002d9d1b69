import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import type { Paper } from '../../src/papers/paper.js';
import { QuerySyntaxError, parseQuery } from '../../src/search/query-parser.js';
import {
  SEARCH_TOTAL_CAP,
  createSearchService,
  type SearchOptions,
  type SearchPlan,
  type SearchService,
} from '../../src/search/search-service.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { listed, makePaper } from '../support/papers.js';

const NOW = new Date('2026-08-22T10:00:00.000Z');

/** The hand-made store: each paper is there for one or two behaviours, named after them. */
const PAPERS: readonly { day: string; paper: Paper }[] = [
  {
    day: '2026-08-20',
    paper: makePaper({
      id: '2608.00001',
      title: 'Scaling Diffusion Models for Video Generation',
      abstract: 'We train latent diffusion models on a large corpus of video clips.',
      authors: ['Yann LeCun', 'Ada Lovelace'],
      organization: { name: 'nvidia', fullname: 'NVIDIA' },
      aiKeywords: ['diffusion', 'video generation'],
      upvotes: 120,
    }),
  },
  {
    day: '2026-08-19',
    paper: makePaper({
      id: '2608.00002',
      title: 'Flow Matching for Images',
      abstract: 'Flow matching is a simpler alternative to diffusion for image synthesis.',
      authors: ['Alan Turing'],
      organization: { name: 'google', fullname: 'Google' },
      aiKeywords: ['flow matching'],
      upvotes: 30,
    }),
  },
  {
    day: '2026-07-01',
    paper: makePaper({
      id: '2607.00003',
      title: 'A Survey of Diffusion Models',
      abstract: 'We review generative approaches and open problems.',
      authors: ['Grace Hopper'],
      organization: null,
      aiKeywords: ['survey', 'diffusion'],
      upvotes: 5,
    }),
  },
  {
    day: '2026-08-18',
    paper: makePaper({
      id: '2608.00004',
      title: 'Mamba Goes Multilingual',
      abstract: 'A state space model for language, aligned with preference data.',
      authors: ['Albert Gu'],
      organization: { name: 'ByteDance-Seed', fullname: 'ByteDance Seed' },
      aiKeywords: ['RLHF', 'state space models'],
      upvotes: 60,
    }),
  },
  {
    day: '2026-06-01',
    paper: makePaper({
      id: '2606.00005',
      title: 'The State of Outer Space',
      abstract: 'Our model of space weather predicts solar storms.',
      authors: ['Edwin Hubble'],
      organization: null,
      aiKeywords: [],
      upvotes: 1,
    }),
  },
  {
    day: '2026-08-21',
    paper: makePaper({
      id: '2608.00006',
      title: 'Learning from Human Feedback at Scale',
      abstract: 'Preference optimisation for chat assistants.',
      authors: ['Yann Dauphin'],
      organization: null,
      aiKeywords: ['rlhf', 'preference optimization'],
      upvotes: 15,
    }),
  },
  {
    day: '2026-08-21',
    paper: makePaper({
      id: '2608.00007',
      title: 'A Model for Everything',
      abstract: 'One network, every task.',
      authors: ['Marie Curie'],
      organization: null,
      aiKeywords: [],
      upvotes: 8,
    }),
  },
];

const dbs: Db[] = [];
function freshDb(): Db {
  const db = openDatabase(':memory:');
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function storeWith(papers: readonly { day: string; paper: Paper }[], plan?: Partial<SearchPlan>): SearchService {
  const db = freshDb();
  createPaperStore(db).upsertListed(
    papers.map(({ day, paper }) => listed(day, paper)),
    NOW,
  );
  return createSearchService(db, plan === undefined ? {} : { plan });
}

const RELEVANCE: SearchOptions = { sort: 'relevance', limit: 20, offset: 0 };

/** The ids found, in result order. */
function ids(service: SearchService, query: string, options: Partial<SearchOptions> = {}): string[] {
  return service.search(query, { ...RELEVANCE, ...options }).results.map((hit) => hit.paper.id);
}

/** The ids found, sorted: for tests about what matches, not about order. */
function found(service: SearchService, query: string, options: Partial<SearchOptions> = {}): string[] {
  return ids(service, query, options).sort();
}

/** Every plan threshold at its extreme: each search takes the other path (rowid sets, index walks). */
const OTHER_PATHS: Partial<SearchPlan> = { selectiveFilter: 0, sortAllUpTo: 0 };

describe('search: what matches', () => {
  it.each([
    // [query, ids found]
    ['diffusion video', ['2608.00001']],
    ['diffusion', ['2607.00003', '2608.00001', '2608.00002']],
    ['"state space model"', ['2608.00004']],
    ['state space model', ['2606.00005', '2608.00004']],
    ['flow OR survey', ['2607.00003', '2608.00002']],
    ['flow | survey', ['2607.00003', '2608.00002']],
    ['diffusion -survey', ['2608.00001', '2608.00002']],
    ['diffusion -"latent diffusion"', ['2607.00003', '2608.00002']],
    ['diffusion -(survey OR video)', ['2608.00002']],
    ['diffusion NOT survey', ['2608.00001', '2608.00002']],
    ['(flow OR video) diffusion', ['2608.00001', '2608.00002']],
    ['author:lecun', ['2608.00001']],
    ['author:"Yann LeCun"', ['2608.00001']],
    ['author:yann', ['2608.00001', '2608.00006']],
    ['author:"LeCun Yann"', []],
    ['title:diffusion', ['2607.00003', '2608.00001']],
    ['title:"diffusion models"', ['2607.00003', '2608.00001']],
    ['keyword:rlhf', ['2608.00004', '2608.00006']],
    ['keyword:survey', ['2607.00003']],
    ['-keyword:survey diffusion', ['2608.00001', '2608.00002']],
    ['org:nvidia', ['2608.00001']],
    ['org:NVIDIA', ['2608.00001']],
    ['org:"ByteDance Seed"', ['2608.00004']],
    ['org:bytedance-seed', ['2608.00004']],
    ['org:bytedance', []],
    ['org:google diffusion', ['2608.00002']],
    // Papers without an organisation are not excluded by excluding one.
    ['diffusion -org:nvidia', ['2607.00003', '2608.00002']],
    ['org:nvidia OR flow', ['2608.00001', '2608.00002']],
    ['(org:nvidia OR org:google) -video', ['2608.00002']],
    ['org:nvidia -diffusion', []],
    ['org:google -survey', ['2608.00002']],
    // Stems: the porter tokenizer reduces both sides.
    ['models', ['2606.00005', '2607.00003', '2608.00001', '2608.00004', '2608.00007']],
    ['modeling', ['2606.00005', '2607.00003', '2608.00001', '2608.00004', '2608.00007']],
    ['scaled', ['2608.00001', '2608.00006']],
    // Case and diacritics do not matter.
    ['DIFFUSION VIDEO', ['2608.00001']],
    ['diffusión', ['2607.00003', '2608.00001', '2608.00002']],
    // FTS5 syntax typed by a user is text.
    ['diffusion* ^video', ['2608.00001']],
    // `{title}:diffusion` is the phrase "title diffusion", which no paper has.
    ['{title}:diffusion', []],
    ['diffusion 🚀', ['2607.00003', '2608.00001', '2608.00002']],
  ])('GIVEN the store WHEN searching %j THEN it finds %j', (query, expected) => {
    const service = storeWith(PAPERS);
    expect(found(service, query)).toEqual(expected);
    for (const sort of ['upvotes', 'newest'] as const) expect(found(service, query, { sort })).toEqual(expected);
    // The other query plans find the same papers.
    const otherPaths = storeWith(PAPERS, OTHER_PATHS);
    for (const sort of ['relevance', 'upvotes', 'newest'] as const) {
      expect(found(otherPaths, query, { sort })).toEqual(expected);
    }
  });

  it('GIVEN a bad query THEN search throws the QuerySyntaxError, a UserFacingError', () => {
    const service = storeWith(PAPERS);
    expect(() => service.search('diffusion "video', RELEVANCE)).toThrow(QuerySyntaxError);
    expect(() => service.search('-survey', RELEVANCE)).toThrow(UserFacingError);
  });

  it('GIVEN a parsed query THEN search takes it as it is', () => {
    const service = storeWith(PAPERS);
    expect(service.search(parseQuery('author:lecun'), RELEVANCE).results.map((h) => h.paper.id)).toEqual([
      '2608.00001',
    ]);
  });

  it('GIVEN words no paper has all of THEN the results have most of them, flagged relaxed', () => {
    const service = storeWith(PAPERS);
    const result = service.search('diffusion video zebra', RELEVANCE);
    expect(result.relaxed).toBe(true);
    expect(result.results[0]?.paper.id).toBe('2608.00001');
    expect(result.results.map((h) => h.paper.id).sort()).toEqual(['2607.00003', '2608.00001', '2608.00002']);
    expect(service.search('diffusion video', RELEVANCE).relaxed).toBe(false);
    // Exclusions and filters still hold when relaxed.
    expect(found(service, 'diffusion video zebra -survey org:nvidia')).toEqual(['2608.00001']);
    // A single word is not relaxed into anything.
    expect(service.search('zebra', RELEVANCE)).toEqual({ total: 0, totalCapped: false, relaxed: false, results: [] });
  });
});

describe('search: order, filters, paging', () => {
  it('GIVEN sort relevance THEN title matches come before abstract matches, scores decreasing', () => {
    const service = storeWith(PAPERS);
    const hits = service.search('diffusion', RELEVANCE).results;
    expect(hits.map((h) => h.paper.id).at(-1)).toBe('2608.00002');
    const scores = hits.map((h) => h.score);
    expect(scores.every((score) => score > 0)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('GIVEN two equal text matches THEN the more upvoted ranks first', () => {
    const service = storeWith([
      { day: '2026-08-20', paper: makePaper({ id: '2608.10001', title: 'Tokenizer tricks', upvotes: 2 }) },
      { day: '2026-08-20', paper: makePaper({ id: '2608.10002', title: 'Tokenizer tricks', upvotes: 200 }) },
    ]);
    expect(ids(service, 'tokenizer')).toEqual(['2608.10002', '2608.10001']);
  });

  it('GIVEN two equal text matches with equal upvotes THEN the more recent ranks first', () => {
    const service = storeWith([
      { day: '2026-08-20', paper: makePaper({ id: '2608.10001', title: 'Tokenizer tricks', upvotes: 7 }) },
      { day: '2025-01-20', paper: makePaper({ id: '2501.10002', title: 'Tokenizer tricks', upvotes: 7 }) },
    ]);
    expect(ids(service, 'tokenizer')).toEqual(['2608.10001', '2501.10002']);
  });

  it('GIVEN sort upvotes or newest THEN the order is that key, with upvotes breaking day ties', () => {
    const service = storeWith(PAPERS);
    expect(ids(service, 'models', { sort: 'upvotes' })).toEqual([
      '2608.00001',
      '2608.00004',
      '2608.00007',
      '2607.00003',
      '2606.00005',
    ]);
    expect(ids(service, 'model OR human', { sort: 'newest' })).toEqual([
      '2608.00006',
      '2608.00007',
      '2608.00001',
      '2608.00004',
      '2607.00003',
      '2606.00005',
    ]);
    const otherPaths = storeWith(PAPERS, OTHER_PATHS);
    expect(ids(otherPaths, 'models', { sort: 'upvotes' })).toEqual(ids(service, 'models', { sort: 'upvotes' }));
    expect(ids(otherPaths, 'model OR human', { sort: 'newest' })).toEqual(
      ids(service, 'model OR human', { sort: 'newest' }),
    );
  });

  it('GIVEN since THEN only papers whose last list day is that day or later are found', () => {
    for (const service of [storeWith(PAPERS), storeWith(PAPERS, OTHER_PATHS)]) {
      expect(found(service, 'diffusion', { since: '2026-08-01' })).toEqual(['2608.00001', '2608.00002']);
      expect(found(service, 'diffusion', { since: '2026-08-20' })).toEqual(['2608.00001']);
      expect(found(service, 'diffusion', { since: '2026-08-21' })).toEqual([]);
      expect(found(service, 'org:nvidia OR flow', { since: '2026-08-20' })).toEqual(['2608.00001']);
    }
  });

  it('GIVEN minUpvotes THEN only papers with at least that many are found', () => {
    for (const service of [storeWith(PAPERS), storeWith(PAPERS, OTHER_PATHS)]) {
      expect(found(service, 'diffusion', { minUpvotes: 30 })).toEqual(['2608.00001', '2608.00002']);
      expect(found(service, 'diffusion', { minUpvotes: 31 })).toEqual(['2608.00001']);
      expect(found(service, 'diffusion', { minUpvotes: 0 })).toHaveLength(3);
      expect(found(service, 'diffusion', { minUpvotes: 30, since: '2026-08-20' })).toEqual(['2608.00001']);
      expect(service.search('diffusion', { ...RELEVANCE, minUpvotes: 1000 }).total).toBe(0);
    }
  });

  it('GIVEN a bad since or minUpvotes THEN a UserFacingError says what is expected', () => {
    const service = storeWith(PAPERS);
    expect(() => service.search('diffusion', { ...RELEVANCE, since: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(() => service.search('diffusion', { ...RELEVANCE, since: 'last week' })).toThrow(UserFacingError);
    expect(() => service.search('diffusion', { ...RELEVANCE, minUpvotes: -1 })).toThrow(UserFacingError);
    expect(() => service.search('diffusion', { ...RELEVANCE, minUpvotes: 1.5 })).toThrow(/whole number/);
  });

  it('GIVEN a page size or offset out of range THEN it is a programming error, not a user one', () => {
    const service = storeWith(PAPERS);
    expect(() => service.search('diffusion', { ...RELEVANCE, limit: 0 })).toThrow(RangeError);
    expect(() => service.search('diffusion', { ...RELEVANCE, limit: 101 })).toThrow(RangeError);
    expect(() => service.search('diffusion', { ...RELEVANCE, offset: -1 })).toThrow(RangeError);
  });

  it('GIVEN 12 matches WHEN paging by 5 THEN each page is distinct, the pages cover all, the total is exact', () => {
    const papers = Array.from({ length: 12 }, (_, i) => ({
      day: `2026-08-${String(10 + i)}`,
      paper: makePaper({
        id: `2608.${String(20000 + i)}`,
        title: `Paging study ${'again '.repeat(i % 4)}`,
        upvotes: (i * 7) % 5,
      }),
    }));
    for (const service of [storeWith(papers), storeWith(papers, OTHER_PATHS)]) {
      for (const sort of ['relevance', 'upvotes', 'newest'] as const) {
        const pages = [0, 5, 10, 15].map((offset) => service.search('paging', { sort, limit: 5, offset }));
        expect(pages.map((page) => page.results.length)).toEqual([5, 5, 2, 0]);
        expect(pages.every((page) => page.total === 12 && !page.totalCapped)).toBe(true);
        const seen = pages.flatMap((page) => page.results.map((hit) => hit.paper.id));
        expect(new Set(seen).size).toBe(12);
        expect(seen).toEqual(ids(service, 'paging', { sort }));
      }
    }
  });

  it('GIVEN a result THEN it carries the whole stored paper', () => {
    const service = storeWith(PAPERS);
    const [hit] = service.search('author:lecun', RELEVANCE).results;
    expect(hit?.paper).toMatchObject({
      id: '2608.00001',
      title: 'Scaling Diffusion Models for Video Generation',
      organization: { name: 'nvidia', fullname: 'NVIDIA' },
      listDays: ['2026-08-20'],
      firstSeenAt: NOW.toISOString(),
    });
  });
});

describe('search: many matches', () => {
  // Enough papers to cap the total and to push every sort onto its index walk.
  const COUNT = 1_500;
  let db: Db;
  let service: SearchService;
  let otherPaths: SearchService;

  beforeAll(() => {
    db = openDatabase(':memory:');
    const papers = Array.from({ length: COUNT }, (_, i) =>
      listed(
        `2026-0${String(1 + (i % 8))}-${String(10 + (i % 17))}`,
        makePaper({
          id: `2605.${String(30000 + i)}`,
          title: i % 3 === 0 ? `Bulk transformer study ${String(i)}` : `Bulk study ${String(i)}`,
          upvotes: (i * 37) % 101,
        }),
      ),
    );
    createPaperStore(db).upsertListed(papers, NOW);
    service = createSearchService(db, { plan: { sortAllUpTo: 100_000 } });
    otherPaths = createSearchService(db, { plan: { sortAllUpTo: 0, selectiveFilter: 0 } });
  });
  afterAll(() => {
    db.close();
  });

  it('GIVEN more matches than the cap THEN the total says 1000+', () => {
    expect(service.search('bulk', RELEVANCE)).toMatchObject({ total: SEARCH_TOTAL_CAP, totalCapped: true });
    expect(service.search('transformer', RELEVANCE)).toMatchObject({ total: 500, totalCapped: false });
  });

  it.each(['upvotes', 'newest'] as const)(
    'GIVEN sort %s THEN walking the index gives the same pages as sorting every match',
    (sort) => {
      // Dense matches (the head of the index holds a page) and sparse ones (listed at once).
      for (const query of ['bulk', 'bulk -transformer', 'transformer', '3 OR 30 OR 300 OR 45 OR 99 OR 999 OR 1234']) {
        for (const offset of [0, 45, 995, 1200]) {
          const options: SearchOptions = { sort, limit: 10, offset, minUpvotes: 3 };
          const result = service.search(query, options);
          const expected = result.results.map((hit) => hit.paper.id);
          expect(otherPaths.search(query, options).results.map((hit) => hit.paper.id)).toEqual(expected);
          // A full page wherever the matches reach past it (a capped total means more than 1000).
          const left = result.totalCapped ? Number.POSITIVE_INFINITY : result.total - offset;
          expect(expected).toHaveLength(Math.max(0, Math.min(10, left)));
        }
      }
    },
  );

  it('GIVEN a rank window smaller than the matches THEN only the newest matches are ranked', () => {
    const windowed = createSearchService(db, { plan: { rankWindow: 50 } });
    const hits = windowed.search('bulk', { ...RELEVANCE, limit: 100 }).results;
    expect(hits).toHaveLength(50);
    const newestRowids = db.prepare('SELECT id FROM papers ORDER BY rowid DESC LIMIT 50').pluck().all() as string[];
    expect(hits.map((hit) => hit.paper.id).sort()).toEqual([...newestRowids].sort());
  });
});

describe('search: ranking plans', () => {
  /** Six papers that say "quantum", three in the title; listed oldest first, so rowids grow with the day. */
  const QUANTUM = [
    { id: '2608.70001', title: 'Quantum Annealing at Scale', upvotes: 90, day: '2026-08-01' },
    { id: '2608.70002', title: 'A Study of Circuits', upvotes: 300, day: '2026-08-02' },
    { id: '2608.70003', title: 'Quantum Error Correction', upvotes: 5, day: '2026-08-03' },
    { id: '2608.70004', title: 'Noise in Hardware', upvotes: 200, day: '2026-08-04' },
    { id: '2608.70005', title: 'Quantum Chemistry Survey', upvotes: 40, day: '2026-08-05' },
    { id: '2608.70006', title: 'Benchmarks for Simulators', upvotes: 1, day: '2026-08-06' },
  ].map(({ id, title, upvotes, day }) => ({
    day,
    paper: makePaper({ id, title, upvotes, abstract: `About quantum computing: ${title.toLowerCase()}.` }),
  }));

  it('GIVEN more matches than the rank window THEN its newest are ranked, title matches first, then by upvotes', () => {
    const service = storeWith(QUANTUM, { rankWindow: 4 });
    const result = service.search('quantum', RELEVANCE);
    expect(result.results.map((hit) => hit.paper.id)).toEqual(['2608.70005', '2608.70003', '2608.70004', '2608.70006']);
    expect(result.total).toBe(6);
  });

  it('GIVEN a broad query with an exclusion THEN the excluded papers stay out and the title test ignores it', () => {
    const service = storeWith(QUANTUM, { rankWindow: 3 });
    expect(ids(service, 'quantum -chemistry')).toEqual(['2608.70003', '2608.70004', '2608.70006']);
  });

  it('GIVEN at most rankWindow matches THEN bm25 ranks them as before: the title matches first', () => {
    const service = storeWith(QUANTUM, { rankWindow: 6 });
    expect(ids(service, 'quantum').slice(0, 3).sort()).toEqual(['2608.70001', '2608.70003', '2608.70005']);
  });

  it('GIVEN an excluded group THEN its words add nothing to the score of a match that holds some of them', () => {
    const service = storeWith(PAPERS);
    const score = (query: string): number | undefined =>
      service.search(query, RELEVANCE).results.find((hit) => hit.paper.id === '2607.00003')?.score;
    // The survey paper holds "survey" but not "video": it matches, and scores as for `diffusion` alone.
    expect(score('diffusion -(survey video)')).toBeDefined();
    expect(score('diffusion -(survey video)')).toBeCloseTo(score('diffusion') ?? Number.NaN, 9);
  });

  it('GIVEN a relaxed query with more matches than the rank window THEN bm25 still puts the most words first', () => {
    const service = storeWith(QUANTUM, { rankWindow: 4 });
    // No paper has every word: relaxed to any of them. Only 2608.70003 has "error" and "correction"; by title
    // match and upvotes, 2608.70005 would come first.
    const result = service.search('quantum error correction nonexistentword', RELEVANCE);
    expect(result.relaxed).toBe(true);
    expect(result.results[0]?.paper.id).toBe('2608.70003');
  });
});

describe('matchingIds', () => {
  it('GIVEN a day of candidates THEN only the matching ones are returned, with the terms they matched', () => {
    const service = storeWith(PAPERS);
    const candidates = PAPERS.map(({ paper }) => paper.id);
    const matches = service.matchingIds('(diffusion OR flow) -survey', candidates);
    expect(Object.fromEntries(matches)).toEqual({
      '2608.00001': { matchedTerms: ['diffusion'] },
      '2608.00002': { matchedTerms: ['diffusion', 'flow'] },
    });
  });

  it('GIVEN fields and org THEN they match as in search and are named canonically', () => {
    const service = storeWith(PAPERS);
    const candidates = PAPERS.map(({ paper }) => paper.id);
    expect(Object.fromEntries(service.matchingIds('org:NVIDIA OR author:"Yann Dauphin"', candidates))).toEqual({
      '2608.00001': { matchedTerms: ['org:NVIDIA'] },
      '2608.00006': { matchedTerms: ['author:"Yann Dauphin"'] },
    });
    expect([...service.matchingIds('keyword:rlhf -org:"ByteDance Seed"', candidates).keys()]).toEqual(['2608.00006']);
  });

  it('GIVEN candidates outside the query or the store THEN they are simply absent', () => {
    const service = storeWith(PAPERS);
    expect([...service.matchingIds('diffusion', ['2608.00001', '2608.00007', '9999.99999']).keys()]).toEqual([
      '2608.00001',
    ]);
    expect(service.matchingIds('diffusion', []).size).toBe(0);
  });

  it('GIVEN words no candidate has all of THEN nothing matches: topics are never relaxed', () => {
    const service = storeWith(PAPERS);
    expect(service.matchingIds('diffusion zebra', ['2608.00001']).size).toBe(0);
  });

  it('GIVEN an invalid topic THEN the QuerySyntaxError tells what is wrong', () => {
    const service = storeWith(PAPERS);
    expect(() => service.matchingIds('author:', ['2608.00001'])).toThrow(QuerySyntaxError);
  });

  it('GIVEN a parsed topic THEN it is matched as parsed (validated once at /subscribe add)', () => {
    const service = storeWith(PAPERS);
    const topic = parseQuery('title:"diffusion models"');
    expect([...service.matchingIds(topic, ['2607.00003', '2608.00002']).keys()]).toEqual(['2607.00003']);
  });
});

describe('suggestTitles', () => {
  it('GIVEN nothing typed THEN the newest list day comes first, most upvoted first within it', () => {
    const service = storeWith(PAPERS);
    expect(service.suggestTitles('', 3)).toEqual([
      { id: '2608.00006', title: 'Learning from Human Feedback at Scale' },
      { id: '2608.00007', title: 'A Model for Everything' },
      { id: '2608.00001', title: 'Scaling Diffusion Models for Video Generation' },
    ]);
  });

  it.each([
    // [typed, ids suggested, in order]
    ['diff', ['2608.00001', '2607.00003']],
    ['diffusion mod', ['2608.00001', '2607.00003']],
    ['scaling diff', ['2608.00001']],
    ['Scaling Diffusion Models for V', ['2608.00001']],
    ['a survey of', ['2607.00003']],
    ['  FLOW   mat', ['2608.00002']],
    ['mamba', ['2608.00004']],
    ['zebra', []],
    ['s', ['2608.00001']],
    ['"(*', ['2608.00006', '2608.00007', '2608.00001', '2608.00002', '2608.00004', '2607.00003', '2606.00005']],
  ])('GIVEN %j typed THEN it suggests %j', (typed, expected) => {
    const service = storeWith(PAPERS);
    expect(service.suggestTitles(typed).map((s) => s.id)).toEqual(expected);
  });

  it('GIVEN a long title THEN it is cut to 100 code points, ellipsis included', () => {
    const title = `${'🚀'.repeat(60)} Long ${'x'.repeat(80)}`;
    const service = storeWith([{ day: '2026-08-20', paper: makePaper({ id: '2608.40000', title }) }]);
    const [suggestion] = service.suggestTitles('long');
    expect(Array.from(suggestion?.title ?? '')).toHaveLength(100);
    expect(suggestion?.title.endsWith('…')).toBe(true);
    expect(suggestion?.title.startsWith('🚀'.repeat(60))).toBe(true);
  });

  it('GIVEN a limit THEN at most that many, and never more than 25', () => {
    const papers = Array.from({ length: 30 }, (_, i) => ({
      day: '2026-08-20',
      paper: makePaper({ id: `2608.${String(50000 + i)}`, title: `Probing lens ${String(i)}` }),
    }));
    const service = storeWith(papers);
    expect(service.suggestTitles('prob', 4)).toHaveLength(4);
    expect(service.suggestTitles('prob', 100)).toHaveLength(25);
    expect(service.suggestTitles('prob')).toHaveLength(25);
    expect(service.suggestTitles('prob', 0)).toEqual([]);
    expect(service.suggestTitles('prob', Number.NaN)).toHaveLength(25);
  });

  it('GIVEN the database fails THEN it answers [] and reports the error', () => {
    const db = openDatabase(':memory:');
    const errors: unknown[] = [];
    const service = createSearchService(db, { onSuggestError: (error) => errors.push(error) });
    db.close();
    expect(service.suggestTitles('diff')).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

describe('SQLite behaviour the service relies on', () => {
  it('GIVEN a rowid bound as a JS number THEN FTS5 does not use it, so the service CASTs rowid bounds', () => {
    const db = freshDb();
    createPaperStore(db).upsertListed(
      ['2608.70001', '2608.70002', '2608.70003'].map((id) => listed('2026-08-20', makePaper({ id, title: 'Same' }))),
      NOW,
    );
    const count = (sql: string, rowid: number): unknown =>
      db.prepare(`SELECT count(*) FROM papers_fts WHERE papers_fts MATCH '"same"' AND ${sql}`).pluck().get(rowid);
    // better-sqlite3 binds numbers as REAL, and FTS5 takes rowid constraints only from INTEGER values. For `=`
    // it even tells SQLite the check is done: every match comes back. For `>=` SQLite still checks, so results
    // are right, but FTS5 reads the whole doclist instead of seeking: the service's rowid floor CASTs.
    expect(count('rowid = ?', 3)).toBe(3);
    expect(count('rowid = CAST(? AS INTEGER)', 3)).toBe(1);
    expect(count('rowid >= CAST(? AS INTEGER)', 3)).toBe(1);
  });
});
