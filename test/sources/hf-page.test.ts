import { describe, expect, it } from 'vitest';
import { HfSourceError } from '../../src/sources/errors.js';
import { parseApiResponse } from '../../src/sources/hf-api.js';
import { parsePage } from '../../src/sources/hf-page.js';
import { apiItems, build2026Page, captureLogger, escapeAttribute, page20240801, thrownBy } from './helpers.js';

const URL = 'http://hf.test/papers/date/2024-08-01';

/** The real 2024-08-01 page's papers, by upvotes then id, as read from its data-props by hand (jq). */
const PAGE_2024_08_01 = [
  ['2407.21783', 94, 5],
  ['2407.21705', 24, 2],
  ['2407.21770', 19, 5],
  ['2407.21646', 16, 8],
  ['2407.21772', 11, 2],
  ['2407.21530', 8, 3],
  ['2407.21630', 8, 2],
  ['2407.21721', 8, 2],
  ['2407.20229', 7, 3],
  ['2407.21686', 7, 2],
  ['2407.21781', 7, 2],
  ['2407.21475', 5, 2],
  ['2404.01300', 3, 2],
] as const;

describe('parsePage on the real 2024-08-01 list page', () => {
  it('GIVEN the data-props (2024 `date` shape) THEN 13 full papers on list day 2024-08-01', () => {
    const page = parsePage(page20240801(), '2024-08-01', URL);
    expect(page.source).toBe('page');
    expect(page.day).toBe('2024-08-01');
    expect(page.papers.map((listed) => [listed.paper.id, listed.paper.upvotes, listed.paper.comments])).toEqual(
      PAGE_2024_08_01.map((row) => [...row]),
    );
    expect(page.papers.every((listed) => listed.listDay === '2024-08-01')).toBe(true);
    const llama = page.papers[0]?.paper;
    expect(llama?.title).toBe('The Llama 3 Herd of Models');
    expect(llama?.authors).toHaveLength(533);
    expect(llama?.abstract.length).toBeGreaterThan(500);
  });

  it('GIVEN the API response of the same day THEN the 11 papers both hold have the same title, abstract and authors', () => {
    const fromPage = new Map(parsePage(page20240801(), '2024-08-01', URL).papers.map((l) => [l.paper.id, l.paper]));
    const fromApi = parseApiResponse(apiItems('2024-08-01'), '2024-08-01', 'file:api');
    expect(fromApi).toHaveLength(11);
    for (const { paper } of fromApi) {
      const onPage = fromPage.get(paper.id);
      expect(onPage, paper.id).toBeDefined();
      expect(onPage?.title).toBe(paper.title);
      expect(onPage?.abstract).toBe(paper.abstract);
      expect(onPage?.authors).toEqual(paper.authors);
      // The page was captured later in the day: upvotes only grew.
      expect(onPage?.upvotes).toBeGreaterThanOrEqual(paper.upvotes);
    }
    // The page has two papers added after the API capture.
    const apiIds = new Set(fromApi.map((listed) => listed.paper.id));
    expect([...fromPage.keys()].filter((id) => !apiIds.has(id)).sort()).toEqual(['2404.01300', '2407.20229']);
  });

  it('GIVEN the page without its data-props attribute THEN the cards yield the 13 papers (ids, titles, upvotes), marked partial', () => {
    const html = page20240801();
    const withoutProps = html.replace(/(data-target="DailyPapers")\s+data-props="[^"]*"/u, '$1');
    expect(withoutProps.includes('data-target="DailyPapers">')).toBe(true);
    expect(withoutProps.length).toBeLessThan(html.length - 10_000);
    const page = parsePage(withoutProps, '2024-08-01', URL);
    expect(page.source).toBe('page-cards');
    expect(page.papers.map((listed) => [listed.paper.id, listed.paper.upvotes, listed.paper.comments])).toEqual(
      PAGE_2024_08_01.map((row) => [...row]),
    );
    const full = new Map(parsePage(html, '2024-08-01', URL).papers.map((l) => [l.paper.id, l.paper]));
    for (const { listDay, paper } of page.papers) {
      expect(listDay).toBe('2024-08-01');
      expect(paper.title).toBe(full.get(paper.id)?.title);
      expect(paper.abstract).toBe('');
      expect(paper.authors).toEqual([]);
      // 2407.20229's card shows a video, not an image.
      expect(paper.thumbnail).toBe(
        paper.id === '2407.20229'
          ? null
          : `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${paper.id}.png`,
      );
    }
  });
});

describe('parsePage on other shapes', () => {
  it('GIVEN a 2026-style page (`dateString` props) built from the real 2026-08-21 items THEN the same papers as the API', () => {
    // The items are real (the 2026-08-21 API capture); only the minimal HTML wrapper is made up.
    const items = apiItems('2026-08-21');
    const html = build2026Page('2026-08-21', items);
    expect(html).toContain('&quot;dateString&quot;:&quot;2026-08-21&quot;');
    const page = parsePage(html, '2026-08-21', URL);
    expect(page).toMatchObject({ source: 'page', day: '2026-08-21' });
    expect(page.papers).toHaveLength(17);
    expect(page.papers[0]?.paper).toMatchObject({
      id: '2608.19880',
      title: 'EnvHarness: Awakening Static Worlds for Agent Learning',
      upvotes: 163,
    });
    expect(page.papers).toEqual(parseApiResponse(items, '2026-08-21', 'file:api'));
  });

  it('GIVEN items without submittedOnDailyAt THEN the day named by the page props is their list day', () => {
    // Real 2024-08-01 items (no submittedOnDailyAt), asked for as 2024-08-02: the props say 2024-08-01.
    const page = parsePage(build2026Page('2024-08-01', apiItems('2024-08-01')), '2024-08-02', URL);
    expect(page.day).toBe('2024-08-01');
    expect(new Set(page.papers.map((listed) => listed.listDay))).toEqual(new Set(['2024-08-01']));
  });

  it('GIVEN a card with a non-arXiv link THEN it is skipped with a warning', () => {
    const html =
      '<article><h3><a href="/papers/trending">Trending</a></h3></article>' +
      '<article><h3><a href="/papers/2401.00001v2">A  paper</a></h3><a href="/login"><div class="leading-none">1,204</div></a>' +
      '<a href="/papers/2401.00001#community">7</a></article>';
    const { logger, entries } = captureLogger();
    const page = parsePage(html, '2024-01-02', URL, { logger });
    expect(page.papers.map((listed) => listed.paper)).toMatchObject([
      { id: '2401.00001', title: 'A paper', upvotes: 1204, comments: 7 },
    ]);
    expect(entries).toContainEqual(expect.objectContaining({ level: 40, rawId: 'trending' }));
  });

  it('GIVEN cards whose upvote count is gone THEN layout drift naming the card', () => {
    const html =
      '<article><h3><a href="/papers/2401.00001">A paper</a></h3><div class="leading-none">Submitted by</div></article>';
    const error = thrownBy(() => parsePage(html, '2024-01-02', URL));
    expect(error).toMatchObject({ kind: 'layout-drift', url: URL });
    expect((error as Error).message).toMatch(/card 0 \(2401\.00001\) has no upvote count/u);
  });

  it('GIVEN neither data-props nor cards THEN layout drift naming the URL and what is missing', () => {
    const error = thrownBy(() => parsePage('<html><body><h1>Daily Papers</h1></body></html>', '2024-08-01', URL));
    expect(error).toBeInstanceOf(HfSourceError);
    expect(error).toMatchObject({ kind: 'layout-drift', url: URL });
    expect((error as Error).message).toContain(URL);
    expect((error as Error).message).toContain('data-target="DailyPapers"');
    expect((error as Error).message).toContain('<article>');
  });

  it('GIVEN data-props that is not JSON THEN invalid-json', () => {
    const html = `<div data-target="DailyPapers" data-props="${escapeAttribute('{"dailyPapers": [')}"></div>`;
    expect(thrownBy(() => parsePage(html, '2024-08-01', URL))).toMatchObject({ kind: 'invalid-json', url: URL });
  });

  it('GIVEN data-props without a dailyPapers array THEN layout drift', () => {
    const html = `<div data-target="DailyPapers" data-props="${escapeAttribute('{"papers": []}')}"></div>`;
    expect(thrownBy(() => parsePage(html, '2024-08-01', URL))).toMatchObject({ kind: 'layout-drift' });
  });

  it('GIVEN a props item with a wrong type THEN a schema error naming the item', () => {
    const items = apiItems('2026-07-15');
    const bad = structuredClone(items[0]) as { paper: Record<string, unknown> };
    bad.paper.title = 42;
    const error = thrownBy(() => parsePage(build2026Page('2026-07-15', [items[1], bad]), '2026-07-15', URL));
    expect(error).toMatchObject({ kind: 'schema' });
    expect((error as Error).message).toMatch(/item 1: paper\.title/u);
  });
});
