import { utcDay } from '../papers/paper.js';
import { planDueDeliveries, type PlannerDeps, type PlanTickResult } from '../delivery/planner.js';
import { sendPending, type OutboxDeps, type SendSummary } from '../delivery/outbox.js';
import type { IngestRun } from '../store/ingest-log.js';
import type { SubscriptionStore } from '../store/subscription-store.js';

export type DeliveryDeps = PlannerDeps & OutboxDeps;

/**
 * One delivery tick: plan what has come due (recorded before anything is sent), then walk the outbox, which also
 * finishes deliveries a crash or an outage left behind. Idempotent: running it twice sends nothing twice.
 */
export async function runDeliveryTick(
  deps: DeliveryDeps,
  signal?: AbortSignal,
): Promise<{ planned: PlanTickResult; sent: SendSummary }> {
  const planned = await planDueDeliveries(deps, deps.clock.now());
  const sent = await sendPending(deps, signal);
  return { planned, sent };
}

/**
 * After an ingest: a complete list day that arrived only now (HF was down when it was due) goes out at once to the
 * channels that ran without it, instead of waiting for their next slot.
 */
export function wakeChannelsForLateDays(
  subscriptions: SubscriptionStore,
  runs: readonly IngestRun[],
  now: Date,
): number {
  const today = utcDay(now);
  let woken = 0;
  for (const run of runs) {
    if (run.outcome === 'ok' && run.newCount > 0 && run.listDay < today)
      woken += subscriptions.wakeForLateDay(run.listDay, now);
  }
  return woken;
}
