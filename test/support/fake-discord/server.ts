/**
 * The HTTP side: parses requests, records them, applies scripted faults, authentication and rate
 * limits in Discord's order, then runs the route handler and writes JSON answers.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { ApiError, apiErrors } from './errors.js';
import type { FaultScript, FaultSpec } from './faults.js';
import type { Journal, RequestEntry } from './journal.js';
import type { RateLimiter } from './rate-limits.js';
import type { RouteContext, RouteDefinition } from './rest-routes.js';

const API_PREFIX = '/api/v10';

export interface ServerDeps {
  readonly token: string;
  readonly routes: readonly RouteDefinition[];
  readonly journal: Journal;
  readonly faults: FaultScript;
  readonly limiter: RateLimiter;
  readonly changed: () => void;
}

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
}

interface ParsedBody {
  readonly body: unknown;
  readonly fileCount: number;
  readonly invalidJson: boolean;
}

export class FakeRestServer {
  readonly server: Server;
  readonly #routes: CompiledRoute[];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: ServerDeps) {
    this.#routes = deps.routes.map((route) => ({ route, pattern: compileRoute(route.path) }));
    this.server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        // A handler bug must not take the test process down: answer 500 so the test sees it.
        const message = error instanceof Error ? error.message : String(error);
        this.#write(response, 500, { message: `fake Discord internal error: ${message}`, code: 0 }, {});
      });
    });
  }

  /** Cancels pending fault delays so no timer outlives the fake. */
  stopTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://fake');
    const method = (request.method ?? 'GET').toUpperCase();
    const path = stripPrefix(decodePath(url.pathname));
    const parsed = parseBody(await readBody(request), request.headers['content-type']);
    const entry = this.deps.journal.recordRequest({
      method,
      path,
      rawUrl,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(request),
      body: parsed.body,
      fileCount: parsed.fileCount,
      status: null,
      responseBody: undefined,
      at: Date.now(),
      answeredAt: null,
      faulted: false,
    });
    this.deps.changed();

    const match = this.#match(method, path);
    if (match?.route.auth === 'bot' && isAuthorized(request, this.deps.token)) this.deps.journal.countGlobal(entry.at);

    const fault = this.deps.faults.take(method, path);
    if (fault) {
      entry.faulted = true;
      if (fault.delayMs !== undefined) await this.#sleep(fault.delayMs);
      if (fault.hang === true) return;
      if (fault.status !== undefined) {
        this.#answerFault(response, entry, fault, fault.status);
        return;
      }
    }

    const headers: Record<string, string> = {};
    try {
      if (!match) throw this.#methodAllowed(path) ? apiErrors.methodNotAllowed() : apiErrors.notFound();
      const { route, params } = match;
      if (route.auth === 'bot') {
        if (!isAuthorized(request, this.deps.token)) throw apiErrors.unauthorized();
        const global = this.deps.limiter.takeGlobal();
        if (!global.allowed) {
          this.#answerRateLimited(response, entry, global.retryAfterMs, global.headers, true);
          return;
        }
      }
      if (route.bucket) {
        const bucket = this.deps.limiter.takeMessageCreate(route.bucket(params));
        Object.assign(headers, bucket.headers);
        if (!bucket.allowed) {
          this.#answerRateLimited(response, entry, bucket.retryAfterMs, headers, false);
          return;
        }
      }
      if (parsed.invalidJson) throw apiErrors.invalidJson();
      const context: RouteContext = { params, query: url.searchParams, body: parsed.body, fileCount: parsed.fileCount };
      const result = route.handle(context);
      this.#answer(response, entry, result.status, result.body, headers);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.#answer(response, entry, error.status, error.toBody(), headers);
    }
  }

  #match(method: string, path: string): { route: RouteDefinition; params: Record<string, string> } | undefined {
    for (const { route, pattern } of this.#routes) {
      if (route.method !== method) continue;
      const found = pattern.exec(path);
      if (found) return { route, params: { ...found.groups } };
    }
    return undefined;
  }

  #methodAllowed(path: string): boolean {
    return this.#routes.some(({ pattern }) => pattern.test(path));
  }

  #answer(
    response: ServerResponse,
    entry: RequestEntry,
    status: number,
    body: unknown,
    headers: Record<string, string>,
    globalRateLimit = false,
  ): void {
    this.#write(response, status, body, headers);
    this.deps.journal.recordAnswer(entry, status, body, globalRateLimit);
    this.deps.changed();
  }

  #answerRateLimited(
    response: ServerResponse,
    entry: RequestEntry,
    retryAfterMs: number,
    headers: Record<string, string>,
    global: boolean,
  ): void {
    const body = { message: 'You are being rate limited.', retry_after: retryAfterMs / 1000, global };
    this.#answer(response, entry, 429, body, headers, global);
  }

  #answerFault(response: ServerResponse, entry: RequestEntry, fault: FaultSpec, status: number): void {
    const headers = { ...fault.headers };
    const global = Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'x-ratelimit-global' && v === 'true');
    let body = fault.body;
    if (body === undefined && status === 429) {
      body = {
        message: 'You are being rate limited.',
        retry_after: Number(headerValue(headers, 'retry-after') ?? 1),
        global,
      };
    } else if (body === undefined && status >= 400) {
      body = { message: `fake Discord scripted ${status}`, code: 0 };
    }
    this.#answer(response, entry, status, body, headers, global);
  }

  #write(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
    if (response.headersSent || response.destroyed) return;
    const explicitType = headerValue(headers, 'content-type');
    if (status === 204 || body === undefined) {
      response.writeHead(status, headers).end();
      return;
    }
    // A scripted non-JSON answer (say an HTML 502 from a proxy) is written as is.
    const text = typeof body === 'string' && explicitType !== undefined ? body : JSON.stringify(body);
    response
      .writeHead(status, {
        ...headers,
        'Content-Type': explicitType ?? 'application/json',
        'Content-Length': String(Buffer.byteLength(text)),
      })
      .end(text);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}

/** `/channels/:channelId/messages` -> /^\/channels\/(?<channelId>[^/]+)\/messages$/ */
function compileRoute(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? `(?<${segment.slice(1)}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/** discord.js encodes `@original` as `%40original`: match on decoded segments. */
function decodePath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function stripPrefix(path: string): string {
  if (path === API_PREFIX) return '/';
  return path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) : path;
}

function isAuthorized(request: IncomingMessage, token: string): boolean {
  return request.headers.authorization === `Bot ${token}`;
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** JSON bodies, or multipart (discord.js sends files that way) with the JSON in `payload_json`. */
function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  if (raw.length === 0) return { body: undefined, fileCount: 0, invalidJson: false };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (contentType?.startsWith('multipart/form-data') === true && boundary) {
    return parseMultipart(raw, boundary[1] ?? boundary[2] ?? '');
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown, fileCount: 0, invalidJson: false };
  } catch {
    return { body: raw.toString('utf8'), fileCount: 0, invalidJson: true };
  }
}

function parseMultipart(raw: Buffer, boundary: string): ParsedBody {
  // latin1 keeps bytes one-to-one, so file contents cannot break the split.
  const parts = raw.toString('latin1').split(`--${boundary}`).slice(1, -1);
  let body: unknown;
  let fileCount = 0;
  let invalidJson = false;
  for (const part of parts) {
    const separator = part.indexOf('\r\n\r\n');
    const head = part.slice(0, separator);
    const content = part.slice(separator + 4).replace(/\r\n$/, '');
    if (/filename="/.test(head)) fileCount += 1;
    else if (/name="payload_json"/.test(head)) {
      try {
        body = JSON.parse(Buffer.from(content, 'latin1').toString('utf8')) as unknown;
      } catch {
        invalidJson = true;
      }
    }
  }
  return { body, fileCount, invalidJson };
}
