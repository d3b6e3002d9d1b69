import { once } from 'node:events';
import {
  DefaultRestOptions,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  REST,
  RESTEvents,
  Status,
  type Client,
} from 'discord.js';
import pThrottle from 'p-throttle';
import type { Logger } from 'pino';
import { commandDefinitions } from '../commands/index.js';
import type { Config } from '../config/index.js';
import { createApp, type App, type AppOverrides } from './app.js';
import { createDiscordClient } from './discord/client.js';
import { deployCommands } from './discord/deploy.js';
import { createDispatcher } from './discord/dispatcher.js';
import { inviteUrl } from './discord/invite.js';
import { commandHandlers, componentHandlers } from './discord/handlers/index.js';
import type { BotServices } from './discord/services.js';
import { UserFacingError } from './errors.js';
import { createRestPoster } from './delivery/sender.js';
import { runDeliveryTick, wakeChannelsForLateDays, type DeliveryDeps } from './jobs/delivery.js';
import { catchUpDays, ingestDays, recentDays } from './jobs/ingest.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { checkHealth } from './http/health.js';
import { createMetrics } from './http/metrics.js';
import { startHttpEndpoint, type HttpEndpoint } from './http/server.js';
import { createAppState } from './store/app-state.js';
import { createSearchSessions } from './store/search-sessions.js';

export const INGEST_JOB = 'ingest';
export const DELIVERY_JOB = 'deliver';
export const CATCH_UP_JOB = 'catch-up';
/** Longest a graceful shutdown may take before the process ends anyway. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export interface BotHandle {
  readonly app: App;
  readonly client: Client;
  readonly scheduler: Scheduler;
  /** The /healthz and /metrics endpoint, when HTTP_PORT is set. */
  readonly http: HttpEndpoint | null;
  /** The REST client deliveries post through (interactions use client.rest): separate rate-limit budgets. */
  readonly deliveryRest: REST;
  /** Settles when the start-up catch-up (ingest, then delivery) has finished. */
  readonly caughtUp: Promise<void>;
  /** Stops the scheduler (waiting for work in flight), disconnects from Discord, closes the database. */
  stop(): Promise<void>;
}

/**
 * The composition root: config -> store -> sources -> services -> client -> scheduler.
 * Resolves once the bot is connected, its commands are registered, and its jobs are scheduled.
 */
export async function startBot(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<BotHandle> {
  const token = config.discord.token;
  if (token === null) throw new UserFacingError('DISCORD_TOKEN is not set.');
  const app = createApp(config, logger, overrides);
  const client = createDiscordClient(config.discord);
  let http: HttpEndpoint | null = null;
  try {
    const startedAt = app.clock.now();
    const state = createAppState(app.db);
    const metrics = createMetrics({
      papersStored: () => app.papers.count(),
      channelsSubscribed: () => app.subscriptions.count(),
    });
    if (config.httpPort !== null) {
      http = await startHttpEndpoint({
        port: config.httpPort,
        metrics,
        logger,
        health: () =>
          checkHealth({
            gatewayReady: () => client.ws.status === Status.Ready,
            state,
            ingestLog: app.ingestLog,
            clock: app.clock,
            startedAt,
          }),
      });
    }
    // Its own REST client for deliveries: they use up Discord's 50 requests/s, and interaction replies (which
    // Discord does not count against that limit) must not queue behind them in a shared limiter.
    const deliveryRest = createRest(config, { requestsPerSecond: DELIVERY_REQUESTS_PER_SECOND });
    // Every 401, 403 and 429 counts towards Discord's invalid-request ban: watch them, on both clients.
    for (const rest of [client.rest, deliveryRest]) {
      rest.on(RESTEvents.Response, (_request, response) => {
        if (response.status === 429) metrics.discordResponses.inc({ kind: 'rate_limited' });
        if (response.status === 401 || response.status === 403 || response.status === 429) {
          metrics.discordResponses.inc({ kind: 'invalid' });
        }
      });
    }
    const services: BotServices = {
      ...app,
      searchSessions: createSearchSessions(app.db),
      hfBaseUrl: config.hf.baseUrl,
    };
    const dispatch = createDispatcher({
      commands: commandHandlers,
      components: componentHandlers,
      services,
      logger: logger.child({ component: 'interactions' }),
      onHandled: ({ command, ms, outcome }) => {
        metrics.interactionSeconds.observe({ command, outcome }, ms / 1000);
      },
    });
    // The dispatcher never rejects: its error boundary answers the user and logs.
    client.on(Events.InteractionCreate, (interaction) => void dispatch(interaction));
    client.on(Events.Error, (error) => {
      logger.error({ err: error }, 'discord client error');
    });
    client.on(Events.ShardDisconnect, (event, shardId) => {
      logger.warn({ shardId, code: event.code }, 'gateway disconnected');
    });
    client.on(Events.ShardResume, (shardId) => {
      logger.info({ shardId }, 'gateway resumed');
    });
    // Only a real deletion removes subscriptions: an outage (guild unavailable) or a 403 pauses instead.
    client.on(Events.ChannelDelete, (channel) => {
      if (app.subscriptions.remove(channel.id))
        logger.info({ channelId: channel.id }, 'channel deleted; subscription removed');
    });
    client.on(Events.GuildDelete, (guild) => {
      const removed = app.subscriptions.removeGuild(guild.id);
      if (removed > 0)
        logger.info({ guildId: guild.id, channels: removed }, 'removed from guild; subscriptions removed');
    });

    const ready = once(client, Events.ClientReady);
    await login(client, token);
    await ready;
    const applicationId = config.discord.applicationId ?? client.application?.id ?? null;
    if (applicationId === null) throw new Error('Discord did not say which application this bot belongs to');
    logger.info(
      { user: client.user?.tag, applicationId, guilds: client.guilds.cache.size, invite: inviteUrl(applicationId) },
      'connected to Discord',
    );

    await deployCommands({
      rest: client.rest,
      target: { applicationId, guildId: config.discord.guildId },
      definitions: commandDefinitions,
      state,
      now: app.clock.now(),
      logger,
    });

    const botUserId = client.user?.id;
    if (botUserId === undefined) throw new Error('Discord did not say who this bot is');
    const deliveryDeps: DeliveryDeps = {
      ...app,
      poster: createRestPoster(deliveryRest, botUserId),
      logger: logger.child({ component: 'delivery' }),
      hfBaseUrl: config.hf.baseUrl,
      onSent: () => {
        metrics.messagesSent.inc();
      },
      onFailure: ({ failure }) => {
        metrics.deliveries.inc({ result: failure.action === 'pause' ? 'paused' : 'failed' });
      },
    };
    const ingest = async (days: readonly string[], signal: AbortSignal, log: Logger) => {
      const runs = await ingestDays({ ...app, logger: log }, days, { signal });
      for (const run of runs) metrics.ingests.inc({ outcome: run.outcome, source: run.source ?? 'none' });
      const woken = wakeChannelsForLateDays(app.subscriptions, runs, app.clock.now());
      if (woken > 0) log.info({ channels: woken }, 'a late list day arrived; delivering it now');
    };
    const scheduler = startScheduler(
      [
        {
          name: INGEST_JOB,
          cron: config.ingestCron,
          run: (signal, log) => ingest(recentDays(app.clock.now()), signal, log),
        },
        // At start: the recent days, and any day of the last week that was missed while the bot was down.
        {
          name: CATCH_UP_JOB,
          cron: null,
          run: (signal, log) => ingest(catchUpDays(app.clock.now(), app.ingestLog), signal, log),
        },
        // One tick a minute asks the store which channels are due: no cron job per channel.
        {
          name: DELIVERY_JOB,
          cron: '* * * * *',
          run: async (signal, log) => {
            const { sent } = await runDeliveryTick({ ...deliveryDeps, logger: log }, signal);
            if (sent.completed > 0) metrics.deliveries.inc({ result: 'sent' }, sent.completed);
          },
        },
      ],
      logger.child({ component: 'scheduler' }),
    );
    // Catch up at start instead of waiting for the first ticks: missed ingests, then deliveries that came due
    // while the bot was down (and messages a crash left in flight). In the background: commands answer meanwhile.
    const caughtUp = scheduler.runNow(CATCH_UP_JOB).then(() => scheduler.runNow(DELIVERY_JOB));

    let stopped: Promise<void> | null = null;
    return {
      app,
      client,
      scheduler,
      http,
      deliveryRest,
      caughtUp,
      stop: () => {
        stopped ??= (async () => {
          await scheduler.stop();
          await client.destroy();
          await http?.close();
          app.close();
          logger.info('stopped');
        })();
        return stopped;
      },
    };
  } catch (error) {
    await client.destroy();
    await http?.close();
    app.close();
    throw error;
  }
}

async function login(client: Client, token: string): Promise<void> {
  try {
    await client.login(token);
  } catch (error) {
    if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) {
      throw new UserFacingError('Discord rejected DISCORD_TOKEN. Copy the bot token again from the Developer Portal.');
    }
    throw error;
  }
}

/**
 * `npm start` with a token: runs the bot until SIGINT or SIGTERM (or `signal`, for tests), then shuts down
 * gracefully and resolves with the exit code.
 */
export async function runBot(
  config: Config,
  logger: Logger,
  overrides: AppOverrides = {},
  signal?: AbortSignal,
): Promise<number> {
  // Listen before starting: a signal during start-up (logging in, registering commands) waits for the start to
  // finish and then shuts down gracefully, instead of killing the process half-way.
  let stopListening: () => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    stopListening = () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      signal?.removeEventListener('abort', onAbort);
    };
    const finish = (reason: string) => {
      stopListening();
      resolve(reason);
    };
    const onSigint = () => {
      finish('SIGINT');
    };
    const onSigterm = () => {
      finish('SIGTERM');
    };
    const onAbort = () => {
      finish('requested');
    };
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  let bot: BotHandle;
  try {
    bot = await startBot(config, logger, overrides);
  } catch (error) {
    stopListening();
    throw error;
  }
  logger.info({ reason: await stopRequested }, 'shutting down');
  // The message in flight finishes and is recorded; if Discord or HF hangs, the process still ends in bounded
  // time, and the next start resolves whatever was left in flight before sending anything again.
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    bot.stop().then(() => 'stopped' as const),
    new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timed-out');
      }, SHUTDOWN_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'timed-out')
    logger.warn({ ms: SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long; exiting with work left for the next start');
  return 0;
}

/**
 * Deliveries' requests go out evenly paced at this rate: at most 4 in any 84 ms (p-throttle, strict), so no second
 * holds more than 48. @discordjs/rest alone sends its 50 a second in a burst at the start of each of its own
 * one-second windows; Discord counts in windows of its own, and a burst that lands a little early against them
 * (network jitter, a GC pause) draws global 429s, each an invalid request towards Discord's ban threshold (the
 * fan-out benchmark drew 2 to 27 per 1,000 messages). The headroom absorbs the jitter; the rate is 95% of Discord's.
 */
export const DELIVERY_REQUESTS_PER_SECOND = 47.6;

/**
 * A REST client: for commands that talk to Discord without logging in (deploy-commands), and, paced at
 * `requestsPerSecond`, for the bot's deliveries.
 */
export function createRest(config: Config, options: { requestsPerSecond?: number } = {}): REST {
  const { requestsPerSecond } = options;
  const makeRequest =
    requestsPerSecond === undefined
      ? DefaultRestOptions.makeRequest
      : pThrottle({ limit: 4, interval: Math.ceil(4000 / requestsPerSecond), strict: true })(
          DefaultRestOptions.makeRequest,
        );
  const rest = new REST({
    makeRequest,
    ...(config.discord.apiBase === null ? {} : { api: config.discord.apiBase }),
  });
  if (config.discord.token !== null) rest.setToken(config.discord.token);
  return rest;
}
