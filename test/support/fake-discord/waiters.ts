interface PendingWaiter {
  /** Re-evaluates the condition; settles the waiter and returns true once it holds. */
  poll(): boolean;
  fail(error: Error): void;
}

/**
 * Promise-based waiting on the fake's state. Each waiter re-runs its check whenever the state changes
 * (`notify()`), so tests await outcomes instead of sleeping. Every waiter has a timeout, and `close()`
 * rejects whatever is still pending so a test never hangs on a fake that went away.
 */
export class Waiters {
  readonly #pending = new Set<PendingWaiter>();
  #closed = false;

  /** Resolves with the first non-undefined result of `check`: now, or after a later `notify()`. */
  waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`fake Discord is closed (was waiting for ${what})`));
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#pending.delete(waiter);
      };
      const waiter: PendingWaiter = {
        poll: () => {
          let result: T | undefined;
          try {
            result = check();
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
            return true;
          }
          if (result === undefined) return false;
          finish();
          resolve(result);
          return true;
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiter.fail(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#pending.add(waiter);
      waiter.poll();
    });
  }

  /** Call after every state change that a waiter may be watching. */
  notify(): void {
    for (const waiter of [...this.#pending]) waiter.poll();
  }

  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#pending]) waiter.fail(new Error('fake Discord was closed while a test was waiting'));
  }
}
