/** Everything the fake saw: HTTP requests, gateway frames, and the counters derived from them. */
import type { FakeDiscordStats, RecordedFrame, RecordedRequest } from './types.js';
import type { Mutable } from './records.js';

export type RequestEntry = Mutable<RecordedRequest>;

const ONE_SECOND_MS = 1000;

export class Journal {
  readonly requests: RequestEntry[] = [];
  readonly frames: RecordedFrame[] = [];
  readonly #startedAt = Date.now();
  readonly #perSecond: number[] = [];
  /** Arrival times of requests that count against the global limit, for the sliding-window peak. */
  readonly #globalArrivals: number[] = [];
  readonly #invalid = { 401: 0, 403: 0, 429: 0 };
  readonly #rateLimited = { global: 0, bucket: 0 };

  recordRequest(entry: Omit<RequestEntry, 'seq'>): RequestEntry {
    const recorded: RequestEntry = { seq: this.requests.length + 1, ...entry };
    this.requests.push(recorded);
    const second = Math.floor((entry.at - this.#startedAt) / ONE_SECOND_MS);
    while (this.#perSecond.length <= second) this.#perSecond.push(0);
    this.#perSecond[second] = (this.#perSecond[second] ?? 0) + 1;
    return recorded;
  }

  countGlobal(at: number): void {
    this.#globalArrivals.push(at);
  }

  /** Counts an answer: 401/403/429 are "invalid requests"; 429s split by scope. */
  recordAnswer(entry: RequestEntry, status: number, responseBody: unknown, globalRateLimit: boolean): void {
    entry.status = status;
    entry.responseBody = responseBody;
    entry.answeredAt = Date.now();
    if (status === 401 || status === 403 || status === 429) this.#invalid[status] += 1;
    if (status === 429) {
      if (globalRateLimit) this.#rateLimited.global += 1;
      else this.#rateLimited.bucket += 1;
    }
  }

  recordFrame(frame: Omit<RecordedFrame, 'seq' | 'at'>): RecordedFrame {
    const recorded: RecordedFrame = { seq: this.frames.length + 1, at: Date.now(), ...frame };
    this.frames.push(recorded);
    return recorded;
  }

  stats(): FakeDiscordStats {
    return {
      totalRequests: this.requests.length,
      requestsPerSecond: [...this.#perSecond],
      peakRequestsPerSecond: peakInWindow(this.#globalArrivals, ONE_SECOND_MS),
      invalidRequests: this.#invalid[401] + this.#invalid[403] + this.#invalid[429],
      invalidByStatus: { ...this.#invalid },
      rateLimited: { ...this.#rateLimited },
    };
  }
}

/** The largest number of timestamps (ascending) inside any window of `windowMs`. */
function peakInWindow(times: readonly number[], windowMs: number): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
