import type { Db } from './database.js';

/** Small named values kept between runs (for example the hash of the last registered commands). */
export interface AppState {
  get(key: string): string | null;
  set(key: string, value: string, now: Date): void;
}

export function createAppState(db: Db): AppState {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM app_state WHERE key = ?');
  const write = db.prepare<[string, string, string]>(
    `INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  return {
    get: (key) => read.get(key)?.value ?? null,
    set: (key, value, now) => {
      write.run(key, value, now.toISOString());
    },
  };
}
