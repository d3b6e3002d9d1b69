/**
 * A fake huggingface.co: a real HTTP server on 127.0.0.1 (random port), for tests and end-to-end runs offline.
 *
 *   const hf = await startFakeHf({ days: { '2024-08-01': { api: items, page: html } } });
 *   // point the bot at it: HF_BASE_URL = hf.baseUrl
 *
 * Routes:
 *   GET /api/daily_papers?date=D&p=N&limit=L  the day's `api` items, paged like HF (p from 0; limit default 50,
 *                                             at most 100). `api` given as a string is served verbatim, unpaged.
 *   GET /papers/date/D                        the day's `page` HTML.
 *   a day it has not got (or lacking that form) -> 400 {"error": "..."}, as HF answers for days not open yet.
 *   anything else                             -> 404.
 *
 * Faults, for the next N requests whose path starts with a prefix (first matching fault wins, in order added):
 *   hf.failNext({ path: '/api/', times: 2, status: 500 })
 *   status / headers / body: answer that instead; delayMs: wait first (then answer as scripted or normally);
 *   hang: never answer; truncate: send half of the normal body, then end cleanly; destroy: drop the connection.
 *
 * hf.requests records every request (method, path, query, headers). hf.setDay() changes the data at run time.
 * hf.close() also cuts open connections (hanging ones included), so nothing keeps the test process alive.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHfDay {
  /** API items (paged), or a raw body served as is (e.g. a fixture file's exact bytes). */
  readonly api?: unknown[] | string;
  /** The list page's HTML. */
  readonly page?: string;
}

export interface FakeHfOptions {
  readonly days?: Record<string, FakeHfDay>;
}

export interface FakeHfFault {
  /** Path prefix the fault applies to, e.g. '/api/daily_papers' or '/papers/date/'. */
  readonly path: string;
  /** How many matching requests it affects; 1 by default. */
  readonly times?: number;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Body sent with `status`; `{"error":"fake fault"}` by default. */
  readonly body?: string;
  readonly delayMs?: number;
  readonly hang?: boolean;
  readonly truncate?: boolean;
  readonly destroy?: boolean;
}

export interface FakeHfRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** True when a scripted fault answered (or ate) this request. */
  readonly faulted: boolean;
}

export interface FakeHf {
  /** e.g. http://127.0.0.1:43121, no trailing slash. */
  readonly baseUrl: string;
  readonly requests: readonly FakeHfRequest[];
  /** Requests whose path starts with the prefix. */
  requestsTo(pathPrefix: string): FakeHfRequest[];
  setDay(day: string, content: FakeHfDay): void;
  failNext(fault: FakeHfFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const HF_DEFAULT_LIMIT = 50;
const HF_MAX_LIMIT = 100;

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function startFakeHf(options: FakeHfOptions = {}): Promise<FakeHf> {
  const days = new Map<string, FakeHfDay>(Object.entries(options.days ?? {}));
  const faults: { fault: FakeHfFault; remaining: number }[] = [];
  const requests: FakeHfRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function takeFault(path: string): FakeHfFault | null {
    const entry = faults.find((candidate) => candidate.remaining > 0 && path.startsWith(candidate.fault.path));
    if (entry === undefined) return null;
    entry.remaining -= 1;
    return entry.fault;
  }

  function route(path: string, query: Record<string, string>): Reply {
    if (path === '/api/daily_papers') {
      const day = query.date ?? '';
      const api = days.get(day)?.api;
      if (api === undefined) return notOpen(day);
      if (typeof api === 'string') return json(200, api);
      const page = Number(query.p ?? '0');
      const limit = Math.min(Number(query.limit ?? String(HF_DEFAULT_LIMIT)), HF_MAX_LIMIT);
      if (!Number.isInteger(page) || page < 0 || !Number.isInteger(limit) || limit < 1) {
        return json(400, JSON.stringify({ error: 'Invalid p or limit' }));
      }
      return json(200, JSON.stringify(api.slice(page * limit, (page + 1) * limit)));
    }
    const pageMatch = /^\/papers\/date\/(\d{4}-\d{2}-\d{2})$/u.exec(path);
    if (pageMatch?.[1] !== undefined) {
      const page = days.get(pageMatch[1])?.page;
      if (page === undefined) return notOpen(pageMatch[1]);
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
    }
    return json(404, JSON.stringify({ error: 'Not found' }));
  }

  function later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    const fault = takeFault(url.pathname);
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query,
      headers: request.headers,
      faulted: fault !== null,
    });
    if (fault?.hang === true) return; // never answered; close() cuts it
    if (fault?.destroy === true) {
      request.socket.destroy();
      return;
    }
    const send = (): void => {
      const reply =
        fault?.status === undefined
          ? route(url.pathname, query)
          : {
              status: fault.status,
              headers: { 'content-type': 'application/json' },
              body: fault.body ?? JSON.stringify({ error: 'fake fault' }),
            };
      const headers = { ...reply.headers, ...(fault?.headers ?? {}) };
      if (fault?.truncate === true) {
        // Half the body, then a clean end: HTTP-wise complete, JSON-wise cut.
        response.writeHead(reply.status, headers);
        response.end(reply.body.slice(0, Math.floor(reply.body.length / 2)));
        return;
      }
      response.writeHead(reply.status, { ...headers, 'content-length': String(Buffer.byteLength(reply.body)) });
      response.end(reply.body);
    };
    if (fault?.delayMs !== undefined) later(fault.delayMs, send);
    else send();
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${String(port)}`,
    requests,
    requestsTo: (pathPrefix) => requests.filter((request) => request.path.startsWith(pathPrefix)),
    setDay(day, content) {
      days.set(day, content);
    },
    failNext(fault) {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      });
    },
  };
}

function json(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

function notOpen(day: string): Reply {
  return json(400, JSON.stringify({ error: `No daily papers list for date ${JSON.stringify(day)} (not open yet)` }));
}

/** The text of a copied fixture, by its path under test/fixtures/, e.g. 'hf-api/daily_papers_date-2024-08-01_...json'. */
export function loadFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

/** A fixture parsed as JSON (for `api` days: `loadFixtureJson(...) as unknown[]`). */
export function loadFixtureJson(name: string): unknown {
  return JSON.parse(loadFixture(name)) as unknown;
}
