import { describe, expect, it } from 'vitest';
import { HfSourceError } from '../../src/sources/errors.js';
import { parseApiResponse } from '../../src/sources/hf-api.js';
import { hfDailyItemSchema, toListedPaper } from '../../src/sources/hf-schema.js';
import type { ListedPaper } from '../../src/papers/paper.js';
import { loadFixture } from '../support/fake-hf.js';
import { API_FIXTURES, apiItems, captureLogger, thrownBy } from './helpers.js';

const URL = 'file:test-fixture';

function expectSorted(papers: readonly ListedPaper[]): void {
  for (let index = 1; index < papers.length; index += 1) {
    const previous = papers[index - 1]?.paper;
    const current = papers[index]?.paper;
    if (previous === undefined || current === undefined) throw new Error('unreachable');
    expect(
      previous.upvotes > current.upvotes || (previous.upvotes === current.upvotes && previous.id < current.id),
    ).toBe(true);
  }
}

/** A real item (the first of a fixture) as a mutable plain object, to derive edge cases from. */
function realItem(day: keyof typeof API_FIXTURES = '2025-10-03'): Record<string, unknown> & {
  paper: Record<string, unknown>;
} {
  const [first] = apiItems(day);
  return structuredClone(first) as Record<string, unknown> & { paper: Record<string, unknown> };
}

describe('parseApiResponse on every real API capture', () => {
  // Expected values read from the fixture files by hand (jq), not from the code under test.
  const cases = [
    { day: '2024-05-29', count: 8, id: '2405.18407', title: 'Phased Consistency Model', upvotes: 18 },
    {
      day: '2024-06-13',
      count: 21,
      id: '2406.06523',
      title: 'NaRCan: Natural Refined Canonical Image with Integration of Diffusion Prior for Video Editing',
      upvotes: 32,
    },
    { day: '2024-08-01', count: 11, id: '2407.21783', title: 'The Llama 3 Herd of Models', upvotes: 49 },
    {
      day: '2025-03-11',
      count: 26,
      id: '2503.03601',
      title: 'Feature-Level Insights into Artificial Text Detection with Sparse Autoencoders',
      upvotes: 58,
    },
    {
      day: '2025-03-17',
      count: 12,
      id: '2503.07677',
      title: 'PLADIS: Pushing the Limits of Attention in Diffusion Models at Inference Time by Leveraging Sparsity',
      upvotes: 46,
    },
    {
      day: '2025-09-29',
      count: 30,
      id: '2509.22622',
      title: 'LongLive: Real-time Interactive Long Video Generation',
      upvotes: 100,
    },
    {
      day: '2025-10-03',
      count: 39,
      id: '2510.02283',
      title: 'Self-Forcing++: Towards Minute-Scale High-Quality Video Generation',
      upvotes: 43,
    },
    { day: '2026-06-03', count: 23, id: '2606.01249', title: 'Trust Region On-Policy Distillation', upvotes: 28 },
    {
      day: '2026-06-12',
      count: 30,
      id: '2606.13681',
      title: 'EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments',
      upvotes: 118,
    },
    {
      day: '2026-07-15',
      count: 2,
      id: '2607.11886',
      title: 'Read It Back: Pretrained MLLMs Are Zero-Shot Reward Models for Text-to-Image Generation',
      upvotes: 24,
    },
    {
      day: '2026-08-21',
      count: 17,
      id: '2608.19880',
      title: 'EnvHarness: Awakening Static Worlds for Agent Learning',
      upvotes: 163,
    },
  ] as const;

  it.each(cases)(
    'GIVEN the $day capture THEN $count papers, the top one $id with $upvotes upvotes, all on list day $day',
    ({ day, count, id, title, upvotes }) => {
      const papers = parseApiResponse(apiItems(day), day, URL);
      expect(papers).toHaveLength(count);
      expect(papers[0]?.paper).toMatchObject({ id, title, upvotes });
      expect(new Set(papers.map((listed) => listed.listDay))).toEqual(new Set([day]));
      expect(new Set(papers.map((listed) => listed.paper.id)).size).toBe(count);
      expectSorted(papers);
      for (const { paper } of papers) {
        expect(paper.abstract.length).toBeGreaterThan(100);
        expect(paper.abstract).not.toMatch(/\n|\s{2}/u);
        expect(paper.title).not.toMatch(/\n|\s{2}/u);
        expect(paper.authors.length).toBeGreaterThan(0);
      }
    },
  );

  it('GIVEN the 2025-03-11 anomaly (no submittedOnDailyAt, papers from several arXiv days) THEN the list day is the requested day', () => {
    const papers = parseApiResponse(apiItems('2025-03-11'), '2025-03-11', URL);
    expect(papers.every((listed) => listed.listDay === '2025-03-11')).toBe(true);
    const arxivDays = new Set(papers.map((listed) => listed.paper.publishedAt?.slice(0, 10)));
    expect(arxivDays.size).toBeGreaterThanOrEqual(5);
    expect(arxivDays.has('2025-03-11')).toBe(false);
    expect(papers.every((listed) => listed.paper.aiSummary === null)).toBe(true);
    expect(papers.find((listed) => listed.paper.id === '2503.07605')?.paper.aiKeywords.length).toBeGreaterThan(0);
  });

  it('GIVEN submittedOnDailyAt THEN it decides the list day, whatever day was asked and whatever top-level publishedAt says', () => {
    // 2025-03-17's top item has top-level publishedAt 2025-03-10T03:23:19Z: never the list day.
    const papers = parseApiResponse(apiItems('2025-03-17'), '2025-03-18', URL);
    expect(new Set(papers.map((listed) => listed.listDay))).toEqual(new Set(['2025-03-17']));
    expect(papers[0]?.paper.publishedAt).toBe('2025-03-10T07:23:19.000Z');
  });

  it('GIVEN the early 2-item list of 2026-07-15 THEN both papers, no TL;DR yet', () => {
    const papers = parseApiResponse(apiItems('2026-07-15'), '2026-07-15', URL);
    expect(papers.map((listed) => [listed.paper.id, listed.paper.upvotes])).toEqual([
      ['2607.11886', 24],
      ['2607.11111', 3],
    ]);
    expect(papers.map((listed) => listed.paper.aiSummary)).toEqual([null, null]);
    expect(papers[0]?.paper.organization).toEqual({ name: 'ByteDance-Seed', fullname: 'ByteDance Seed' });
  });

  it('GIVEN the unsorted raw 2026-06-12 response THEN the result is sorted by upvotes', () => {
    const raw = JSON.parse(loadFixture(API_FIXTURES['2026-06-12'])) as { paper: { id: string; upvotes: number } }[];
    expect(raw[0]?.paper).toMatchObject({ id: '2606.00467', upvotes: 0 }); // HF's own order: not by upvotes
    const papers = parseApiResponse(raw, '2026-06-12', URL);
    expect(papers.slice(0, 3).map((listed) => [listed.paper.id, listed.paper.upvotes])).toEqual([
      ['2606.13681', 118],
      ['2606.13392', 103],
      ['2606.08063', 74],
    ]);
    expect(papers.at(-1)?.paper).toMatchObject({ id: '2606.00467', upvotes: 0 });
    expectSorted(papers);
  });

  it('GIVEN 2024-05-29 items with `mediaUrl` (singular) and no thumbnail THEN mediaUrl is the thumbnail', () => {
    const papers = parseApiResponse(apiItems('2024-05-29'), '2024-05-29', URL);
    expect(papers.find((listed) => listed.paper.id === '2405.18407')?.paper.thumbnail).toBe(
      'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.18407.png',
    );
    expect(papers.every((listed) => listed.paper.thumbnail !== null)).toBe(true);
  });

  it('GIVEN a 2025-10-03 item THEN every mapped field comes from the right place', () => {
    const papers = parseApiResponse(apiItems('2025-10-03'), '2025-10-03', URL);
    const paper = papers.find((listed) => listed.paper.id === '2510.02283')?.paper;
    expect(paper).toMatchObject({
      title: 'Self-Forcing++: Towards Minute-Scale High-Quality Video Generation',
      authors: [
        'Justin Cui',
        'Jie Wu',
        'Ming Li',
        'Tao Yang',
        'Xiaojie Li',
        'Rui Wang',
        'Andrew Bai',
        'Yuanhao Ban',
        'Cho-Jui Hsieh',
      ],
      organization: { name: 'ByteDance-Seed', fullname: 'ByteDance Seed' },
      upvotes: 43,
      comments: 2,
      githubRepo: 'https://github.com/justincui03/Self-Forcing-Plus-Plus',
      githubStars: 1,
      projectPage: 'https://self-forcing-plus-plus.github.io/',
      thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2510.02283.png',
      publishedAt: '2025-10-02T17:55:42.000Z',
    });
    expect(
      paper?.abstract.startsWith(
        'Diffusion models have revolutionized image and video generation, achieving unprecedented visual quality.',
      ),
    ).toBe(true);
    expect(paper?.aiSummary?.startsWith('A method is proposed to enhance long-horizon video generation')).toBe(true);
    expect(paper?.aiKeywords).toContain('temporal consistency');
  });

  it('GIVEN an author marked hidden (2026-06-12, 2606.12575) THEN the name is kept, in paper order', () => {
    const papers = parseApiResponse(apiItems('2026-06-12'), '2026-06-12', URL);
    const authors = papers.find((listed) => listed.paper.id === '2606.12575')?.paper.authors;
    expect(authors).toHaveLength(10);
    expect(authors?.[3]).toBe('Dengyang Jiang');
  });
});

describe('toListedPaper and the item schema on edge cases derived from a real item', () => {
  it('GIVEN only the required fields THEN a paper with empty defaults', () => {
    const item = hfDailyItemSchema.parse({ paper: { id: '2401.00001', title: ' A\n  title ', upvotes: 0 } });
    expect(toListedPaper(item, '2024-01-02')).toEqual({
      listDay: '2024-01-02',
      paper: {
        id: '2401.00001',
        title: 'A title',
        abstract: '',
        authors: [],
        organization: null,
        upvotes: 0,
        comments: null,
        aiSummary: null,
        aiKeywords: [],
        githubRepo: null,
        githubStars: null,
        projectPage: null,
        thumbnail: null,
        publishedAt: null,
      },
    });
  });

  it('GIVEN nulls in optional fields THEN they read as absent', () => {
    const item = realItem();
    Object.assign(item.paper, { githubRepo: null, ai_summary: null, organization: null, mediaUrls: null });
    Object.assign(item, { organization: null, thumbnail: null, mediaUrls: null, numComments: null });
    const listed = toListedPaper(hfDailyItemSchema.parse(item), '2025-10-03');
    expect(listed?.paper).toMatchObject({
      githubRepo: null,
      aiSummary: null,
      organization: null,
      thumbnail: null,
      comments: null,
    });
  });

  it('GIVEN an id with a version suffix THEN the canonical id; GIVEN it twice THEN one paper with the higher upvotes', () => {
    const first = realItem();
    const second = realItem();
    first.paper.id = '2510.02283v2';
    second.paper.upvotes = 50;
    const papers = parseApiResponse([first, second], '2025-10-03', URL);
    expect(papers.map((listed) => [listed.paper.id, listed.paper.upvotes])).toEqual([['2510.02283', 50]]);
  });

  it('GIVEN an id that is not an arXiv id THEN that item is skipped with a warning, the others kept', () => {
    const odd = realItem();
    odd.paper.id = 'not-an-arxiv-id';
    const { logger, entries } = captureLogger();
    const papers = parseApiResponse([odd, ...apiItems('2026-07-15')], '2026-07-15', URL, { logger });
    expect(papers.map((listed) => listed.paper.id)).toEqual(['2607.11886', '2607.11111']);
    expect(entries).toContainEqual(expect.objectContaining({ level: 40, rawId: 'not-an-arxiv-id', index: 0 }));
  });

  it('GIVEN no paper.summary THEN the top-level summary; GIVEN neither THEN ""', () => {
    const item = realItem();
    delete item.paper.summary;
    item.summary = 'Top-level\nsummary.';
    expect(toListedPaper(hfDailyItemSchema.parse(item), '2025-10-03')?.paper.abstract).toBe('Top-level summary.');
    delete item.summary;
    expect(toListedPaper(hfDailyItemSchema.parse(item), '2025-10-03')?.paper.abstract).toBe('');
  });

  it('GIVEN no paper.organization THEN the top-level one', () => {
    const item = realItem();
    delete item.paper.organization;
    item.organization = { name: 'top-org', fullname: 'Top Org', _id: 'x' };
    expect(toListedPaper(hfDailyItemSchema.parse(item), '2025-10-03')?.paper.organization).toEqual({
      name: 'top-org',
      fullname: 'Top Org',
    });
  });

  it('GIVEN no thumbnail THEN the first image among mediaUrls (a video cannot be a thumbnail), else mediaUrl', () => {
    const item = realItem();
    delete item.thumbnail;
    item.mediaUrls = ['https://cdn.example/clip.mp4', 'https://cdn.example/figure.png'];
    expect(toListedPaper(hfDailyItemSchema.parse(item), '2025-10-03')?.paper.thumbnail).toBe(
      'https://cdn.example/figure.png',
    );
    item.mediaUrls = ['https://cdn.example/clip.mp4'];
    delete item.paper.mediaUrls;
    item.mediaUrl = 'https://cdn.example/legacy.png';
    expect(toListedPaper(hfDailyItemSchema.parse(item), '2025-10-03')?.paper.thumbnail).toBe(
      'https://cdn.example/legacy.png',
    );
  });

  it('GIVEN paper.upvotes as a string THEN a schema error naming the item and the field', () => {
    const items = apiItems('2026-07-15');
    const bad = structuredClone(items[1]) as { paper: Record<string, unknown> };
    bad.paper.upvotes = '3';
    const error = thrownBy(() => parseApiResponse([items[0], bad], '2026-07-15', URL));
    expect(error).toBeInstanceOf(HfSourceError);
    expect(error).toMatchObject({ kind: 'schema', url: URL });
    expect((error as Error).message).toMatch(/item 1: paper\.upvotes: expected number, received string/u);
    expect((error as Error).message).toContain(URL);
  });

  it.each([
    ['an object', { error: 'Invalid date' }],
    ['null', null],
    ['an item without paper.id', [{ paper: { title: 'x', upvotes: 1 } }]],
    ['an item without paper.title', [{ paper: { id: '2401.00001', upvotes: 1 } }]],
    [
      'an unparseable submittedOnDailyAt',
      [{ paper: { id: '2401.00001', title: 't', upvotes: 1, submittedOnDailyAt: 'soon' } }],
    ],
  ])('GIVEN %s THEN a schema error', (_, json) => {
    expect(() => parseApiResponse(json, '2024-01-01', URL)).toThrow(expect.objectContaining({ kind: 'schema' }));
  });

  it('GIVEN a malformed requested day THEN a RangeError (a bug in the caller, not an HF fault)', () => {
    expect(() => parseApiResponse([], '2024-1-1', URL)).toThrow(RangeError);
  });
});
