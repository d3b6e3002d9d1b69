import type { Clock } from '../clock.js';
import type { AppState } from '../store/app-state.js';
import type { IngestLog } from '../store/ingest-log.js';
import type { HealthReport } from './server.js';

/** Hugging Face unanswered for this long means the bot is not doing its job (it asks every 30 minutes). */
export const INGEST_MAX_AGE_MS = 6 * 60 * 60 * 1000;

/** The three things an operator needs to know: connected to Discord, able to write its state, fetching from HF. */
export function checkHealth(deps: {
  readonly gatewayReady: () => boolean;
  readonly state: AppState;
  readonly ingestLog: IngestLog;
  readonly clock: Clock;
  readonly startedAt: Date;
}): HealthReport {
  const now = deps.clock.now();
  let database: { ok: boolean; detail: Record<string, unknown> };
  try {
    deps.state.set('health-probe', now.toISOString(), now);
    database = { ok: true, detail: { writable: true } };
  } catch (error) {
    database = {
      ok: false,
      detail: { writable: false, reason: error instanceof Error ? error.message : String(error) },
    };
  }
  const answered = deps.ingestLog.lastAnswered();
  const since = answered === null ? deps.startedAt : new Date(answered.finishedAt);
  const ageMs = now.getTime() - since.getTime();
  const gateway = deps.gatewayReady();
  const checks = {
    gateway: { ok: gateway, detail: { connected: gateway } },
    database,
    ingest: {
      ok: ageMs <= INGEST_MAX_AGE_MS,
      detail: {
        lastAnsweredAt: answered?.finishedAt ?? null,
        lastSuccessAt: deps.ingestLog.lastSuccess()?.finishedAt ?? null,
        ageSeconds: Math.round(ageMs / 1000),
        maxAgeSeconds: INGEST_MAX_AGE_MS / 1000,
      },
    },
  };
  return { healthy: Object.values(checks).every((check) => check.ok), checks };
}
