/**
 * Scripted faults: "the next N requests matching METHOD + path answer like this". They are checked
 * before authentication, rate limits and the real handler, so any answer (5xx, 429 with chosen headers,
 * a hang) can be produced on any route.
 */

export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  readonly method?: string;
  /**
   * Path after `/api/v10`, decoded. A string may use `:name` for one segment and `*` for anything,
   * e.g. `/channels/:id/messages`; a RegExp is tested against the path as is.
   */
  readonly path: string | RegExp;
  /** How many matching requests this fault answers. Default 1. */
  readonly times?: number;
  /** Answer with this status instead of handling the request. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body of the scripted answer. Default for errors: `{ message, code: 0 }`. */
  readonly body?: unknown;
  /** Wait this long first. Without `status`, the request is then handled normally (a slow Discord). */
  readonly delayMs?: number;
  /** Never answer; the connection is dropped by `close()` (or the client's own timeout). */
  readonly hang?: boolean;
}

export interface FaultHandle {
  /** Matching requests still to be answered by this fault. */
  remaining(): number;
  cancel(): void;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  readonly method: string | undefined;
  readonly pattern: RegExp;
  remaining: number;
}

export class FaultScript {
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = {
      spec,
      method: spec.method?.toUpperCase(),
      pattern: typeof spec.path === 'string' ? compilePathPattern(spec.path) : spec.path,
      remaining: spec.times ?? 1,
    };
    this.#faults.push(fault);
    return {
      remaining: () => fault.remaining,
      cancel: () => {
        fault.remaining = 0;
        this.#prune();
      },
    };
  }

  /** Consumes and returns the first fault matching this request, if any. */
  take(method: string, path: string): FaultSpec | undefined {
    const fault = this.#faults.find(
      (f) => f.remaining > 0 && (f.method === undefined || f.method === method) && f.pattern.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.#prune();
    return fault.spec;
  }

  clear(): void {
    this.#faults = [];
  }

  #prune(): void {
    this.#faults = this.#faults.filter((f) => f.remaining > 0);
  }
}

/** `/channels/:id/messages` -> /^\/channels\/[^/]+\/messages$/ ; `*` matches anything. */
export function compilePathPattern(pattern: string): RegExp {
  const source = pattern
    .split(/(:[A-Za-z_]\w*|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}
