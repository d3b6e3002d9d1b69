import { pino, type Logger } from 'pino';
import {
  createHttpClient,
  DEFAULT_USER_AGENT,
  type HttpClient,
  type HttpClientOptions,
} from '../../src/sources/http.js';
import { loadFixture, loadFixtureJson } from '../support/fake-hf.js';

export interface CapturedLogger {
  readonly logger: Logger;
  /** Every log line, parsed. */
  readonly entries: Record<string, unknown>[];
  /** Every log line, raw (to check that a secret never appears). */
  readonly lines: string[];
}

/** A real pino logger that keeps what it writes. */
export function captureLogger(): CapturedLogger {
  const entries: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(line);
        entries.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, entries, lines };
}

export interface TestHttp {
  readonly http: HttpClient;
  /** Every wait the client asked for, in ms (the injected sleep records them and returns at once). */
  readonly sleeps: number[];
  readonly log: CapturedLogger;
}

/** An HTTP client with tiny delays and a recording sleep; override what the test is about. */
export function createTestHttp(overrides: Partial<HttpClientOptions> = {}): TestHttp {
  const sleeps: number[] = [];
  const log = captureLogger();
  const http = createHttpClient({
    userAgent: DEFAULT_USER_AGENT,
    timeoutMs: 2_000,
    maxRetries: 2,
    baseDelayMs: 1,
    maxDelayMs: 4,
    maxRateLimitWaitMs: 5_000,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    logger: log.logger,
    ...overrides,
  });
  return { http, sleeps, log };
}

export const API_FIXTURES = {
  '2024-05-29': 'hf-api/daily_papers_date-2024-05-29_filtered-reindented.json',
  '2024-06-13': 'hf-api/daily_papers_date-2024-06-13_filtered-reindented.json',
  '2024-08-01': 'hf-api/daily_papers_date-2024-08-01_filtered-reindented.json',
  '2025-03-11': 'hf-api/daily_papers_date-2025-03-11_filtered-reindented.json',
  '2025-03-17': 'hf-api/daily_papers_date-2025-03-17_filtered-reindented.json',
  '2025-09-29': 'hf-api/daily_papers_date-2025-09-29_filtered-reindented.json',
  '2025-10-03': 'hf-api/daily_papers_date-2025-10-03_filtered-reindented.json',
  '2026-06-03': 'hf-api/daily_papers_date-2026-06-03_filtered-reindented.json',
  '2026-06-12': 'hf-api/daily_papers_date-2026-06-12_raw.json',
  '2026-07-15': 'hf-api/daily_papers_date-2026-07-15_filtered-reindented.json',
  '2026-08-21': 'hf-api/daily_papers_date-2026-08-21_filtered-reindented.json',
} as const;

export const PAGE_2024_08_01 = 'hf-html/papers-list_date-2024-08-01.html';

export function apiItems(day: keyof typeof API_FIXTURES): unknown[] {
  return loadFixtureJson(API_FIXTURES[day]) as unknown[];
}

export function page20240801(): string {
  return loadFixture(PAGE_2024_08_01);
}

/** Entity-escapes text for an HTML attribute value in double quotes. */
export function escapeAttribute(text: string): string {
  return text
    .replace(/&/gu, '&amp;')
    .replace(/"/gu, '&quot;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;')
    .replace(/'/gu, '&#39;');
}

/**
 * A 2026-style list page: a minimal document whose `DailyPapers` element carries `dateString` props, as seen in a
 * public 2026 capture. Callers pass real items (from an API fixture), so only the wrapper is made up.
 */
export function build2026Page(dateString: string, items: unknown[]): string {
  const props = {
    canSubmit: false,
    dateString,
    dailyPapers: items,
    prevDate: '2026-08-20',
    publisher: null,
    periodType: 'day',
    query: {},
    isTrending: false,
  };
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Daily Papers - Hugging Face</title></head><body>',
    '<!----><main><div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="',
    escapeAttribute(JSON.stringify(props)),
    '"><!----><section><h1>Daily Papers</h1></section></div></main></body></html>',
  ].join('');
}

/** The error a function throws (fails the test when it does not throw). */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, got none');
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a result');
}
