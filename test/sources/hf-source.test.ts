import { afterEach, describe, expect, it } from 'vitest';
import { HfSourceError, HfSourcesFailedError } from '../../src/sources/errors.js';
import { createHfSource, type HfSource } from '../../src/sources/hf-source.js';
import type { HttpClientOptions } from '../../src/sources/http.js';
import { loadFixture, startFakeHf, type FakeHf, type FakeHfOptions } from '../support/fake-hf.js';
import { API_FIXTURES, apiItems, createTestHttp, page20240801, rejectionOf, type TestHttp } from './helpers.js';

const DAY = '2024-08-01';

let hf: FakeHf | undefined;

afterEach(async () => {
  await hf?.close();
  hf = undefined;
});

async function setup(
  options: FakeHfOptions,
  httpOverrides: Partial<HttpClientOptions> = {},
): Promise<{ hf: FakeHf; source: HfSource; test: TestHttp }> {
  const server = await startFakeHf(options);
  hf = server;
  const test = createTestHttp(httpOverrides);
  const source = createHfSource({ http: test.http, baseUrl: `${server.baseUrl}/`, logger: test.log.logger });
  return { hf: server, source, test };
}

/** A real item copied under a new, distinct arXiv id (for lists longer than any real day). */
function manyItems(count: number): unknown[] {
  const real = apiItems('2025-10-03');
  return Array.from({ length: count }, (_, index) => {
    const item = structuredClone(real[index % real.length]) as { paper: { id: string; upvotes: number } };
    item.paper.id = `2510.${String(20000 + index)}`;
    item.paper.upvotes = index % 37;
    return item;
  });
}

describe('createHfSource().fetchDay against a fake HF on 127.0.0.1', () => {
  it('GIVEN the API has the day THEN the validated list from the API, sorted', async () => {
    const { source, hf: server } = await setup({ days: { [DAY]: { api: loadFixture(API_FIXTURES[DAY]) } } });
    const result = await source.fetchDay(DAY);
    expect(result).toMatchObject({
      kind: 'list',
      day: DAY,
      source: 'api',
      url: `${server.baseUrl}/api/daily_papers?date=${DAY}&limit=100&p=0`,
    });
    if (result.kind !== 'list') throw new Error('expected a list');
    expect(result.papers).toHaveLength(11);
    expect(result.papers[0]?.paper).toMatchObject({ id: '2407.21783', upvotes: 49 });
    expect(server.requests.map((request) => [request.path, request.query])).toEqual([
      ['/api/daily_papers', { date: DAY, limit: '100', p: '0' }],
    ]);
  });

  it('GIVEN a 500 then success THEN the list, after one retry', async () => {
    const { source, hf: server, test } = await setup({ days: { [DAY]: { api: apiItems(DAY) } } });
    server.failNext({ path: '/api/daily_papers', status: 500 });
    const result = await source.fetchDay(DAY, { via: 'api' });
    expect(result).toMatchObject({ kind: 'list', source: 'api' });
    expect(server.requestsTo('/api/')).toHaveLength(2);
    expect(test.sleeps).toHaveLength(1);
  });

  it('GIVEN a day HF has not opened yet (400) THEN not-yet, from the API, the page and auto alike', async () => {
    const { source, hf: server } = await setup({ days: {} });
    const future = '2099-01-01';
    expect(await source.fetchDay(future)).toEqual({
      kind: 'not-yet',
      day: future,
      url: `${server.baseUrl}/api/daily_papers?date=${future}&limit=100&p=0`,
    });
    expect(await source.fetchDay(future, { via: 'page' })).toMatchObject({ kind: 'not-yet', day: future });
    expect(server.requests).toHaveLength(2); // no fallback, no retry on a 400
  });

  it('GIVEN a truncated JSON body THEN invalid-json naming the URL, and nothing returned', async () => {
    const { source, hf: server } = await setup({ days: { [DAY]: { api: apiItems(DAY) } } });
    server.failNext({ path: '/api/', truncate: true });
    const error = await rejectionOf(source.fetchDay(DAY, { via: 'api' }));
    expect(error).toBeInstanceOf(HfSourceError);
    expect(error).toMatchObject({ kind: 'invalid-json' });
    expect((error as Error).message).toContain(`${server.baseUrl}/api/daily_papers?date=${DAY}`);
  });

  it('GIVEN paper.upvotes as a string THEN a schema error naming the item and field', async () => {
    const items = apiItems(DAY);
    (items[3] as { paper: { upvotes: unknown } }).paper.upvotes = '12';
    const { source } = await setup({ days: { [DAY]: { api: items } } });
    const error = await rejectionOf(source.fetchDay(DAY, { via: 'api' }));
    expect(error).toMatchObject({ kind: 'schema' });
    expect((error as Error).message).toMatch(/item 3: paper\.upvotes: expected number, received string/u);
  });

  it('GIVEN a page with neither data-props nor cards THEN layout-drift naming the URL', async () => {
    const { source, hf: server } = await setup({
      days: { [DAY]: { page: '<!doctype html><html><body><main>Maintenance</main></body></html>' } },
    });
    const error = await rejectionOf(source.fetchDay(DAY, { via: 'page' }));
    expect(error).toMatchObject({ kind: 'layout-drift', url: `${server.baseUrl}/papers/date/${DAY}` });
    expect((error as Error).message).toContain(`${server.baseUrl}/papers/date/${DAY}`);
  });

  it('GIVEN the real page THEN via page the 13 papers, asked for as HTML', async () => {
    const { source, hf: server } = await setup({ days: { [DAY]: { page: page20240801() } } });
    const result = await source.fetchDay(DAY, { via: 'page' });
    expect(result).toMatchObject({ kind: 'list', source: 'page', day: DAY });
    if (result.kind === 'list') expect(result.papers).toHaveLength(13);
    expect(server.requests[0]?.headers.accept).toBe('text/html');
  });

  it('GIVEN auto and the API failing on every attempt THEN the page, with a warning carrying the API error', async () => {
    const { source, hf: server, test } = await setup({ days: { [DAY]: { api: apiItems(DAY), page: page20240801() } } });
    server.failNext({ path: '/api/', status: 500, times: 3 });
    const result = await source.fetchDay(DAY);
    expect(result).toMatchObject({ kind: 'list', source: 'page', url: `${server.baseUrl}/papers/date/${DAY}` });
    if (result.kind === 'list') expect(result.papers).toHaveLength(13);
    expect(server.requestsTo('/api/')).toHaveLength(3);
    expect(server.requestsTo('/papers/')).toHaveLength(1);
    expect(test.log.entries).toContainEqual(
      expect.objectContaining({ level: 40, kind: 'http-status', msg: 'HF API failed; falling back to the HTML page' }),
    );
  });

  it('GIVEN auto and invalid JSON from the API THEN the page', async () => {
    const { source, hf: server } = await setup({ days: { [DAY]: { api: apiItems(DAY), page: page20240801() } } });
    server.failNext({ path: '/api/', truncate: true });
    expect(await source.fetchDay(DAY)).toMatchObject({ kind: 'list', source: 'page' });
  });

  it('GIVEN auto and both failing THEN an error carrying both causes', async () => {
    const { source, hf: server } = await setup({
      days: { [DAY]: { api: apiItems(DAY), page: '<html><body>nothing</body></html>' } },
    });
    server.failNext({ path: '/api/', status: 503, times: 3 });
    const error = await rejectionOf(source.fetchDay(DAY));
    expect(error).toBeInstanceOf(HfSourcesFailedError);
    const both = error as HfSourcesFailedError;
    expect(both.apiError).toMatchObject({ kind: 'http-status', status: 503 });
    expect(both.pageError).toMatchObject({ kind: 'layout-drift' });
    expect(both.errors).toEqual([both.apiError, both.pageError]);
    expect(both.message).toContain('/api/daily_papers');
    expect(both.message).toContain('/papers/date/');
  });

  it('GIVEN auto and a 429 beyond the cap THEN a rate-limited error and the page is left alone', async () => {
    const { source, hf: server } = await setup(
      { days: { [DAY]: { api: apiItems(DAY), page: page20240801() } } },
      { maxRateLimitWaitMs: 10_000 },
    );
    server.failNext({ path: '/api/', status: 429, headers: { RateLimit: '"api";r=0;t=300' } });
    const error = await rejectionOf(source.fetchDay(DAY));
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 300_000 });
    expect(server.requestsTo('/papers/')).toHaveLength(0);
  });

  it('GIVEN 150 items THEN two pages of 100 and 50, all 150 returned', async () => {
    const { source, hf: server } = await setup({ days: { [DAY]: { api: manyItems(150) } } });
    const result = await source.fetchDay(DAY, { via: 'api' });
    if (result.kind !== 'list') throw new Error('expected a list');
    expect(result.papers).toHaveLength(150);
    expect(new Set(result.papers.map((listed) => listed.paper.id)).size).toBe(150);
    expect(server.requests.map((request) => request.query)).toEqual([
      { date: DAY, limit: '100', p: '0' },
      { date: DAY, limit: '100', p: '1' },
    ]);
  });

  it('GIVEN exactly 100 items THEN a second request finds the empty page and stops', async () => {
    const { source, hf: server } = await setup({ days: { [DAY]: { api: manyItems(100) } } });
    const result = await source.fetchDay(DAY, { via: 'api' });
    if (result.kind === 'list') expect(result.papers).toHaveLength(100);
    expect(server.requests.map((request) => request.query.p)).toEqual(['0', '1']);
  });

  it('GIVEN a server that ignores paging (same 100 items on every page) THEN it stops after the repeat', async () => {
    const items = manyItems(100);
    const { source, hf: server } = await setup({ days: { [DAY]: { api: JSON.stringify(items) } } });
    const result = await source.fetchDay(DAY, { via: 'api' });
    if (result.kind === 'list') expect(result.papers).toHaveLength(100);
    expect(server.requests).toHaveLength(2);
  });

  it('GIVEN a schema error on the second page THEN nothing is returned', async () => {
    const items = manyItems(120);
    (items[110] as { paper: { title: unknown } }).paper.title = null;
    const { source } = await setup({ days: { [DAY]: { api: items } } });
    const error = await rejectionOf(source.fetchDay(DAY, { via: 'api' }));
    expect(error).toMatchObject({ kind: 'schema' });
    expect((error as Error).message).toMatch(/item 10: paper\.title/u);
    expect((error as Error).message).toContain('p=1');
  });

  it('GIVEN a malformed day THEN a RangeError before any request', async () => {
    const { source, hf: server } = await setup({});
    expect(await rejectionOf(source.fetchDay('2024-02-30'))).toBeInstanceOf(RangeError);
    expect(server.requests).toHaveLength(0);
  });
});
