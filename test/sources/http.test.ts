import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HfSourceError } from '../../src/sources/errors.js';
import { DEFAULT_USER_AGENT, parseRateLimitHeader, parseRetryAfter, rateLimitWaitMs } from '../../src/sources/http.js';
import { startFakeHf, type FakeHf } from '../support/fake-hf.js';
import { apiItems, createTestHttp, rejectionOf } from './helpers.js';

describe('rate-limit headers', () => {
  it.each([
    ['"api";r=0;t=1', 1_000],
    ['api;r=0;t=42', 42_000],
    ['"api";r=0;t=30, "pages";r=12;t=200', 30_000], // the exhausted policy decides
    ['"api";r=5;t=30, "pages";r=7;t=200', 200_000], // none exhausted: the longest reset
    ['  "api" ; r=0 ; t=2.5 ', 2_500],
    ['limit=500, remaining=0, reset=17', 17_000], // the older draft's form
    ['"api";r=0', null],
    ['garbage', null],
    ['"api";r=0;t=-5', null],
  ])('RateLimit %j -> %j ms', (header, expected) => {
    expect(parseRateLimitHeader(header)).toBe(expected);
  });

  it('Retry-After: seconds or an HTTP date', () => {
    const now = Date.parse('2026-08-21T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 21 Aug 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 21 Aug 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('prefers the longer of Retry-After and RateLimit', () => {
    const headers = new Headers({ 'retry-after': '3', ratelimit: '"api";r=0;t=1' });
    expect(rateLimitWaitMs(headers, 0)).toBe(3_000);
    expect(rateLimitWaitMs(new Headers({ 'retry-after': '1', ratelimit: '"api";r=0;t=9' }), 0)).toBe(9_000);
    expect(rateLimitWaitMs(new Headers(), 0)).toBeNull();
  });
});

describe('createHttpClient against a fake HF on 127.0.0.1', () => {
  const DAY = '2024-08-01';
  let hf: FakeHf;
  let apiUrl: string;

  beforeEach(async () => {
    hf = await startFakeHf({ days: { [DAY]: { api: apiItems(DAY) } } });
    apiUrl = `${hf.baseUrl}/api/daily_papers?date=${DAY}&limit=100&p=0`;
  });
  afterEach(async () => {
    await hf.close();
  });

  it('GIVEN a 500 then a good answer THEN it retries once after a jittered backoff', async () => {
    hf.failNext({ path: '/api/', status: 500 });
    const { http, sleeps, log } = createTestHttp({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 });
    const response = await http.get(apiUrl);
    expect(response).toMatchObject({ status: 200, attempts: 2 });
    expect(JSON.parse(response.body)).toHaveLength(11);
    expect(hf.requests).toHaveLength(2);
    expect(sleeps).toEqual([50]); // full jitter: random() * min(max, base * 2^0)
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 40, reason: 'status 500', attempt: 1 }));
  });

  it('GIVEN 5xx every time THEN exponential backoff capped at maxDelayMs, then an http-status error', async () => {
    hf.failNext({ path: '/api/', status: 503, times: 10 });
    const { http, sleeps } = createTestHttp({ maxRetries: 4, baseDelayMs: 10, maxDelayMs: 25, random: () => 0.999 });
    const error = await rejectionOf(http.get(apiUrl));
    expect(error).toBeInstanceOf(HfSourceError);
    expect(error).toMatchObject({ kind: 'http-status', status: 503, url: apiUrl });
    expect((error as Error).message).toContain(apiUrl);
    expect((error as Error).message).toContain('503 after 5 attempts');
    expect(hf.requests).toHaveLength(5);
    expect(sleeps).toEqual([9, 19, 24, 24]);
  });

  it('GIVEN 429 with RateLimit "api";r=0;t=1 THEN it waits 1 s, then succeeds', async () => {
    hf.failNext({
      path: '/api/',
      status: 429,
      headers: { RateLimit: '"api";r=0;t=1', 'RateLimit-Policy': '"api";q=500;w=300' },
    });
    const { http, sleeps } = createTestHttp();
    const response = await http.get(apiUrl);
    expect(response.status).toBe(200);
    expect(sleeps).toEqual([1_000]);
    expect(hf.requests).toHaveLength(2);
  });

  it('GIVEN 429 with Retry-After longer than RateLimit THEN it waits the longer', async () => {
    hf.failNext({ path: '/api/', status: 429, headers: { 'Retry-After': '3', RateLimit: '"api";r=0;t=1' } });
    const { http, sleeps } = createTestHttp();
    await http.get(apiUrl);
    expect(sleeps).toEqual([3_000]);
  });

  it('GIVEN 429 asking for more than the cap THEN a rate-limited error naming the wait, without sleeping', async () => {
    hf.failNext({ path: '/api/', status: 429, headers: { RateLimit: '"api";r=0;t=240' } });
    const { http, sleeps } = createTestHttp({ maxRateLimitWaitMs: 60_000 });
    const error = await rejectionOf(http.get(apiUrl));
    expect(error).toBeInstanceOf(HfSourceError);
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 240_000, url: apiUrl });
    expect((error as Error).message).toContain('240 s');
    expect((error as Error).message).toContain(apiUrl);
    expect(sleeps).toEqual([]);
    expect(hf.requests).toHaveLength(1);
  });

  it('GIVEN 429 on every attempt THEN a rate-limited error after the retries', async () => {
    hf.failNext({ path: '/api/', status: 429, times: 10, headers: { 'Retry-After': '1' } });
    const { http, sleeps } = createTestHttp({ maxRetries: 2 });
    expect(await rejectionOf(http.get(apiUrl))).toMatchObject({ kind: 'rate-limited' });
    expect(sleeps).toEqual([1_000, 1_000]);
    expect(hf.requests).toHaveLength(3);
  });

  it('GIVEN a response that never comes THEN the attempt times out and is retried', async () => {
    hf.failNext({ path: '/api/', hang: true });
    const { http } = createTestHttp({ timeoutMs: 150 });
    const started = performance.now();
    const response = await http.get(apiUrl);
    expect(response).toMatchObject({ status: 200, attempts: 2 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(hf.requests.map((request) => request.faulted)).toEqual([true, false]);
  });

  it('GIVEN a server that stalls on every attempt THEN a timeout error', async () => {
    hf.failNext({ path: '/api/', hang: true, times: 3 });
    const { http } = createTestHttp({ timeoutMs: 100, maxRetries: 1 });
    const error = await rejectionOf(http.get(apiUrl));
    expect(error).toMatchObject({ kind: 'timeout', url: apiUrl });
    expect((error as Error).message).toContain('after 2 attempts');
  });

  it('GIVEN a body slower than the timeout THEN the body read times out too', async () => {
    hf.failNext({ path: '/api/', delayMs: 2_000, times: 3 });
    const { http } = createTestHttp({ timeoutMs: 100, maxRetries: 0 });
    expect(await rejectionOf(http.get(apiUrl))).toMatchObject({ kind: 'timeout' });
  });

  it('GIVEN a dropped connection THEN a network error, retried', async () => {
    hf.failNext({ path: '/api/', destroy: true });
    const { http } = createTestHttp();
    expect(await http.get(apiUrl)).toMatchObject({ status: 200, attempts: 2 });
    hf.failNext({ path: '/api/', destroy: true, times: 3 });
    expect(await rejectionOf(http.get(apiUrl))).toMatchObject({ kind: 'network', url: apiUrl });
  });

  it('GIVEN a 404 THEN the response is returned as is, not retried', async () => {
    const { http } = createTestHttp();
    const response = await http.get(`${hf.baseUrl}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(hf.requests).toHaveLength(1);
  });

  it('GIVEN no token THEN a descriptive User-Agent and no Authorization header', async () => {
    const { http } = createTestHttp({ token: null });
    await http.get(apiUrl);
    const [request] = hf.requests;
    expect(request?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(request?.headers['user-agent']).toMatch(/^paperboy\/[\d.]+ \(\+https:\/\/\S+\)$/u);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('GIVEN a token THEN Authorization: Bearer, and the token never reaches the logs', async () => {
    const token = 'hf_secretTokenValue123';
    hf.failNext({ path: '/api/', status: 502 });
    const { http, log } = createTestHttp({ token });
    await http.get(apiUrl);
    expect(hf.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(token);
  });

  it('GIVEN a caller signal aborted mid-request THEN its reason is thrown and nothing is retried', async () => {
    hf.failNext({ path: '/api/', hang: true, times: 3 });
    const { http } = createTestHttp({ timeoutMs: 5_000 });
    const controller = new AbortController();
    const pending = http.get(apiUrl, { signal: controller.signal });
    setTimeout(() => {
      controller.abort(new Error('shutting down'));
    }, 50);
    expect(await rejectionOf(pending)).toMatchObject({ message: 'shutting down' });
    expect(hf.requests).toHaveLength(1);
  });
});
