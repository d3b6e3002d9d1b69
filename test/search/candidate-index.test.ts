import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCandidateMatcher, type CandidateMatcher } from '../../src/search/candidate-index.js';
import { QuerySyntaxError } from '../../src/search/index.js';
import { createSearchService, type SearchService } from '../../src/search/search-service.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { CORPUS_PATH, loadCorpus, warnIfCorpusMissing } from '../support/corpus.js';
import { listed, makePaper } from '../support/papers.js';

/** What a matcher answers for a query: the matching ids with their terms, or that the query was refused. */
function answer(matcher: Pick<SearchService, 'matchingIds'>, query: string, ids: readonly string[]): unknown {
  try {
    return [...matcher.matchingIds(query, ids)];
  } catch (error) {
    if (error instanceof QuerySyntaxError) return 'refused';
    throw error;
  }
}

const NOW = new Date('2026-08-21T08:00:00.000Z');
const ORGS = [
  { name: 'nvidia', fullname: 'NVIDIA' },
  { name: 'deepseek-ai', fullname: 'DeepSeek' },
];
const TITLES = [
  'Diffusion Transformers for Video Generation',
  'Scaling Language Models with Mixture-of-Experts',
  'Agentic Reasoning in Large Language Models',
  'Vision-Language Agents for Robotics',
  'Efficient Attention for Long Video Understanding',
  'Reinforcement Learning from Human Feedback, Revisited',
];
const WORDS = [
  'diffusion',
  'video',
  'language',
  'models',
  'model',
  'agents',
  'agentic',
  'reasoning',
  'robotics',
  'attention',
  'scaling',
  'experts',
  'feedback',
  'Turing',
];

describe('candidate matcher', () => {
  let db: Db;
  let store: SearchService;
  let dayIds: string[];
  let otherIds: string[];
  let matcher: CandidateMatcher;

  beforeAll(() => {
    db = openDatabase(':memory:');
    const papers = createPaperStore(db);
    const made = TITLES.map((title, index) =>
      makePaper({
        title,
        abstract: `We study ${title.toLowerCase()}. Our models improve reasoning and efficiency.`,
        authors: index % 2 === 0 ? ['Ada Lovelace', 'Alan Turing'] : ['Grace Hopper'],
        organization: ORGS[index % 3] ?? null,
        aiKeywords: index % 2 === 0 ? ['video generation'] : ['language models'],
      }),
    );
    // The day's papers, and others around them that must not be answered for.
    papers.upsertListed(
      made.map((paper) => listed('2026-08-20', paper)),
      NOW,
    );
    const others = TITLES.map((title) => makePaper({ title }));
    papers.upsertListed(
      others.map((paper) => listed('2026-08-19', paper)),
      NOW,
    );
    otherIds = others.map((paper) => paper.id);
    dayIds = made.map((paper) => paper.id);
    store = createSearchService(db);
    matcher = createCandidateMatcher(db, dayIds);
  });
  afterAll(() => {
    matcher.close();
    db.close();
  });

  it('GIVEN queries of every kind THEN the day copy answers exactly as the store does', () => {
    const term = fc.oneof(
      fc.constantFrom(...WORDS),
      fc.constantFrom(...WORDS).map((word) => `"${word} ${WORDS[(word.length * 7) % WORDS.length] ?? ''}"`),
      fc.constantFrom('"language models"', '"video generation"', 'org:nvidia', 'org:DeepSeek', 'author:Turing'),
      fc.constantFrom('author:"Grace Hopper"', 'title:video', 'keyword:"language models"', 'mixture-of-experts'),
    );
    const query = fc
      .array(fc.tuple(fc.constantFrom('', '-', 'OR '), term), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.map(([prefix, text]) => `${prefix}${text}`).join(' '));
    let matched = 0;
    fc.assert(
      fc.property(query, (text) => {
        const expected = answer(store, text, dayIds);
        if (Array.isArray(expected) && expected.length > 0) matched += 1;
        expect(answer(matcher, text, dayIds)).toEqual(expected);
      }),
      { numRuns: 400, seed: 20261128 },
    );
    // The generator must reach matching queries, not only empty answers.
    expect(matched).toBeGreaterThan(100);
  });

  it('GIVEN papers of another day THEN the copy does not know them: it holds the papers it was made for', () => {
    expect(store.matchingIds('video', otherIds).size).toBeGreaterThan(0);
    expect(matcher.matchingIds('video', otherIds).size).toBe(0);
  });

  it('GIVEN no papers THEN the copy matches nothing, and closing it twice is harmless', () => {
    const empty = createCandidateMatcher(db, []);
    expect(empty.matchingIds('video', dayIds).size).toBe(0);
    empty.close();
    expect(() => {
      empty.close();
    }).not.toThrow();
  });
});

warnIfCorpusMissing();

describe.skipIf(CORPUS_PATH === null)('candidate matcher on the real corpus', () => {
  let db: Db;

  beforeAll(async () => {
    db = openDatabase(':memory:');
    await loadCorpus(db);
  }, 60_000);
  afterAll(() => {
    db.close();
  });

  it('GIVEN each of the last 10 list days and topics from their own titles THEN the copy answers as the store', () => {
    const papers = createPaperStore(db);
    const store = createSearchService(db);
    let compared = 0;
    for (const day of papers.days(10)) {
      const ofDay = papers.onDay(day);
      const ids = ofDay.map((paper) => paper.id);
      const matcher = createCandidateMatcher(db, ids);
      try {
        // Words and two-word phrases of the day's titles, with an exclusion and an OR.
        const words = ofDay.flatMap((paper) => paper.title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3));
        const topics = words.slice(0, 30).flatMap((word, index) => {
          const next = words[index + 1] ?? 'model';
          return [word, `"${word} ${next}"`, `${word} -${next}`, `${word} OR ${next}`];
        });
        for (const topic of topics) {
          expect(answer(matcher, topic, ids), `${day}: ${topic}`).toEqual(answer(store, topic, ids));
          compared += 1;
        }
      } finally {
        matcher.close();
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
