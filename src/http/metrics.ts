import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric paperboy exports, on its own registry (no global state: tests create as many as they like). */
export interface Metrics {
  readonly registry: Registry;
  readonly ingests: Counter<'outcome' | 'source'>;
  readonly deliveries: Counter<'result'>;
  readonly messagesSent: Counter;
  readonly discordResponses: Counter<'kind'>;
  readonly interactionSeconds: Histogram<'command' | 'outcome'>;
}

export function createMetrics(sources: { papersStored: () => number; channelsSubscribed: () => number }): Metrics {
  const registry = new Registry();
  // Process metrics, among them nodejs_eventloop_lag_seconds: a blocked event loop is what delays interactions.
  collectDefaultMetrics({ register: registry, prefix: 'paperboy_' });
  const metrics: Metrics = {
    registry,
    ingests: new Counter({
      name: 'paperboy_ingests_total',
      help: 'List-day fetches by outcome (ok, not-yet, failed) and source (api, page, page-cards, file, none)',
      labelNames: ['outcome', 'source'],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'paperboy_deliveries_total',
      help: 'Deliveries by result: sent, failed (retried on a later tick), paused (channel lost access)',
      labelNames: ['result'],
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'paperboy_messages_sent_total',
      help: 'Messages posted to channels',
      registers: [registry],
    }),
    discordResponses: new Counter({
      name: 'paperboy_discord_problem_responses_total',
      help: 'Discord answers that count against the bot: rate_limited (429) and invalid (401, 403, 429: 10,000 per 10 minutes bans the IP)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    interactionSeconds: new Histogram({
      name: 'paperboy_interaction_duration_seconds',
      help: 'Time to handle an interaction, by command and outcome (ok, user-error, error)',
      labelNames: ['command', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'paperboy_papers_stored',
    help: 'Papers in the store',
    registers: [registry],
    collect() {
      this.set(sources.papersStored());
    },
  });
  new Gauge({
    name: 'paperboy_channels_subscribed',
    help: 'Channels with a subscription',
    registers: [registry],
    collect() {
      this.set(sources.channelsSubscribed());
    },
  });
  return metrics;
}
