/**
 * A protocol-level fake Discord for end-to-end tests: REST + gateway on 127.0.0.1 that the real
 * discord.js Client logs in to. See README.md in this folder for the model and the API.
 */
import type { AddressInfo } from 'node:net';
import type { ClientOptions } from 'discord.js';
import { type FaultHandle, FaultScript, type FaultSpec } from './faults.js';
import { FakeGateway, GatewayClose } from './gateway.js';
import {
  type AutocompleteInput,
  type ButtonInput,
  type InteractionDeps,
  type SelectMenuInput,
  type SlashCommandInput,
  buildAutocomplete,
  buildButton,
  buildSelectMenu,
  buildSlashCommand,
} from './interactions.js';
import { Journal } from './journal.js';
import { MessageFlag } from './limits.js';
import { type RateLimitOptions, RateLimiter } from './rate-limits.js';
import type { InteractionRecord } from './records.js';
import { createRoutes } from './rest-routes.js';
import { FakeRestServer } from './server.js';
import { createSnowflakeGenerator } from './snowflake.js';
import type {
  ApiUser,
  ChannelInfo,
  ChannelSeed,
  FakeDiscordStats,
  FakeMessage,
  GuildInfo,
  GuildSeed,
  InteractionCallback,
  InteractionResponses,
  JsonRecord,
  OverwriteSeed,
  RecordedFrame,
  RecordedRequest,
  RoleInfo,
  RoleSeed,
} from './types.js';
import { emptyMessageInput } from './validation.js';
import { Waiters } from './waiters.js';
import { GLOBAL_SCOPE, World, channelInfo, snapshotMessage } from './world.js';

export * from './types.js';
export type { FaultHandle, FaultSpec } from './faults.js';
export type { RateLimitOptions } from './rate-limits.js';
export type {
  AutocompleteInput,
  ButtonInput,
  InteractionInputBase,
  MemberInput,
  SelectMenuInput,
  SlashCommandInput,
} from './interactions.js';
export { GatewayClose, GatewayOp } from './gateway.js';
export { ALL_PERMISSIONS, DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Permission } from './permissions.js';
export { LIMITS, MessageFlag } from './limits.js';
export { connectClient } from './client.js';

export interface FakeDiscordOptions {
  /** The bot token the fake accepts. Default: a fixed fake token. */
  readonly token?: string;
  readonly botUsername?: string;
  /** Fake clock (ms) for timestamps, the nonce window and interaction deadlines. Default Date.now. */
  readonly now?: () => number;
  /** Per-channel and global limits; `false` turns rate limiting off. */
  readonly rateLimits?: RateLimitOptions | false;
  /** enforce_nonce dedupe window, fake clock. Default 5 minutes. */
  readonly nonceWindowMs?: number;
  /** Sent in HELLO. Default 41250 (Discord's); small values make discord.js heartbeat often. */
  readonly heartbeatIntervalMs?: number;
  /** Time the bot has for the first interaction response, fake clock. Default 3000. */
  readonly interactionDeadlineMs?: number;
  /** Seed one guild ("Test Guild" with #general)? Default true; a GuildSeed customises it. */
  readonly seedGuild?: boolean | GuildSeed;
  /** Default timeout of the wait helpers. Default 3000 ms. */
  readonly waitTimeoutMs?: number;
}

/** Handle on one injected interaction. */
export interface InjectedInteraction {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: JsonRecord;
  /** The first callback (`POST /interactions/:id/:token/callback`) body: `{ type, data }`. */
  response(timeoutMs?: number): Promise<InteractionCallback>;
  /**
   * The response message as users see it once it has content: the reply (type 4), the deferred
   * message after its first edit or follow-up, or the component message after an update. With a
   * predicate, waits until the message satisfies it (e.g. a later `editReply`).
   */
  reply(predicate?: (message: FakeMessage) => boolean, timeoutMs?: number): Promise<FakeMessage>;
  /** The `index`-th follow-up message. */
  followUp(index?: number, timeoutMs?: number): Promise<FakeMessage>;
  /** Everything answered so far. */
  responses(): InteractionResponses;
}

export interface FakeDiscord {
  /** Pass as `rest.api` (no trailing slash): `http://127.0.0.1:PORT/api`. */
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: ApiUser;
  /** The user that injected interactions come from by default. */
  readonly testUser: ApiUser;
  /** The seeded guild (throws when `seedGuild: false`). */
  readonly guild: GuildInfo;
  /** The seeded guild's first channel, "#general" (throws when `seedGuild: false`). */
  readonly channel: ChannelInfo;

  /** ClientOptions for fast tests: `{ rest: { api, offset: 0 }, ws: { buildIdentifyThrottler } }`. */
  clientOptions(): FakeClientOptions;

  // model
  createGuild(seed?: GuildSeed): GuildInfo;
  createChannel(guildId: string, seed: ChannelSeed): ChannelInfo;
  createRole(guildId: string, seed: RoleSeed): RoleInfo;
  setRolePermissions(guildId: string, roleId: string, permissions: bigint): void;
  setBotRoles(guildId: string, roleIds: readonly string[]): void;
  setOverwrites(channelId: string, overwrites: readonly OverwriteSeed[]): void;
  /** The bot's effective permissions in a channel (what REST checks and `app_permissions` carries). */
  botPermissions(channelId: string): bigint;
  /** A message from someone else (say, a user's post to start a thread from). */
  postUserMessage(channelId: string, content: string, author?: Partial<ApiUser>): FakeMessage;

  // events
  deleteChannel(channelId: string): void;
  /** The bot is removed (GUILD_DELETE). `deleted`: the guild itself is gone (channels 404, not 403). */
  removeGuild(guildId: string, options?: { deleted?: boolean }): void;
  setGuildUnavailable(guildId: string, unavailable: boolean): void;
  /** Any dispatch, to every session. */
  dispatch(t: string, d: unknown): void;
  injectSlashCommand(input: SlashCommandInput): InjectedInteraction;
  injectAutocomplete(input: AutocompleteInput): InjectedInteraction;
  injectButton(input: ButtonInput): InjectedInteraction;
  injectSelectMenu(input: SelectMenuInput): InjectedInteraction;

  // gateway faults
  /** Closes every connection; 4000 (default) makes discord.js RESUME. */
  disconnect(code?: number): void;
  /** op 9 `d:false`: discord.js identifies afresh. */
  invalidateSession(): void;
  /** op 7: discord.js reconnects and resumes. */
  requestReconnect(): void;

  // REST faults and limits
  addFault(spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  setRateLimits(options: RateLimitOptions | false): void;

  // records
  requests(): readonly RecordedRequest[];
  frames(): readonly RecordedFrame[];
  /** The channel's messages, oldest first (ephemeral responses excluded). */
  messages(channelId: string): readonly FakeMessage[];
  registeredCommands(guildId?: string): readonly JsonRecord[];
  /** How many bulk registrations (PUT) were made for global (no argument) or a guild's commands. */
  commandRegistrationCount(guildId?: string): number;
  stats(): FakeDiscordStats;

  // waiting (each resolves with past matches too, and rejects after the timeout)
  waitForMessage(
    channelId: string,
    predicate?: (message: FakeMessage) => boolean,
    timeoutMs?: number,
  ): Promise<FakeMessage>;
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  waitForFrame(predicate: (frame: RecordedFrame) => boolean, timeoutMs?: number): Promise<RecordedFrame>;
  /** Resolves once the interaction's callback arrived; the record keeps filling in afterwards. */
  waitForInteractionResponse(interactionId: string, timeoutMs?: number): Promise<InteractionResponses>;

  /** Terminates sockets and servers. Destroy your clients first, or they will try to reconnect. */
  close(): Promise<void>;
}

export type FakeClientOptions = Required<Pick<ClientOptions, 'rest' | 'ws'>>;

const DEFAULT_TOKEN = 'fake.bot.token-for-tests';
const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const now = options.now ?? Date.now;
  const nextId = createSnowflakeGenerator(now);
  const token = options.token ?? DEFAULT_TOKEN;
  const waitTimeoutMs = options.waitTimeoutMs ?? 3000;
  const botId = nextId();
  const botUser: ApiUser = {
    id: botId,
    username: options.botUsername ?? 'paperboy',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
  };
  // As for every modern bot, the application id equals the bot user's id.
  const applicationId = botId;

  const waiters = new Waiters();
  const journal = new Journal();
  const faults = new FaultScript();
  const limiter = new RateLimiter(options.rateLimits);
  const changed = (): void => {
    waiters.notify();
  };
  const world = new World({
    now,
    nextId,
    botUser,
    events: {
      // Late-bound: the gateway needs the world for READY, the world needs the gateway for events.
      dispatch: (t, d) => {
        gateway.dispatch(t, d);
      },
      changed,
    },
  });
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}/gateway`;
  const gateway = new FakeGateway({
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    applicationId,
    gatewayUrl,
    world,
    journal,
    changed,
  });

  const seeded =
    options.seedGuild === false ? undefined : world.createGuild(options.seedGuild === true ? {} : options.seedGuild);
  const testUser = world.addUser({ username: 'tester', global_name: 'Tester' });
  const interactionDeps: InteractionDeps = {
    world,
    applicationId,
    responseDeadlineMs: options.interactionDeadlineMs ?? 3000,
    tokenLifetimeMs: FIFTEEN_MINUTES_MS,
    defaultChannelId: () => (seeded ? world.channelsOf(seeded.id)[0]?.id : undefined),
    testUser: () => testUser,
  };
  const rest = new FakeRestServer({
    token,
    routes: createRoutes({ ...interactionDeps, gatewayUrl, nonceWindowMs: options.nonceWindowMs ?? 5 * 60 * 1000 }),
    journal,
    faults,
    limiter,
    changed,
  });
  rest.server.on('upgrade', (request, socket, head: Buffer) => {
    gateway.handleUpgrade(request, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    rest.server.once('error', reject);
    rest.server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  port = (rest.server.address() as AddressInfo).port;

  const requireSeeded = (): NonNullable<typeof seeded> => {
    if (!seeded) throw new Error('fake Discord: started with seedGuild: false, so there is no default guild');
    return seeded;
  };

  const inject = (record: InteractionRecord): InjectedInteraction => {
    if (gateway.liveSessionCount() === 0) {
      throw new Error('fake Discord: no gateway session is connected; log a client in before injecting');
    }
    gateway.dispatch('INTERACTION_CREATE', record.payload);
    return interactionHandle(record, world, waiters, waitTimeoutMs);
  };

  let closed = false;
  const fake: FakeDiscord = {
    apiBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token,
    applicationId,
    botUser,
    testUser,
    get guild() {
      return world.guildInfo(requireSeeded());
    },
    get channel() {
      const first = world.channelsOf(requireSeeded().id)[0];
      if (!first) throw new Error('fake Discord: the seeded guild has no channel');
      return channelInfo(first);
    },

    clientOptions: () => ({
      rest: { api: fake.apiBase, offset: 0 },
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: () => Promise.resolve() }) },
    }),

    createGuild: (seed) => world.guildInfo(world.createGuild(seed)),
    createChannel: (guildId, seed) => channelInfo(world.createChannel(guildId, seed)),
    createRole: (guildId, seed) => {
      const role = world.createRole(guildId, seed);
      return { id: role.id, guildId: role.guildId, name: role.name };
    },
    setRolePermissions: (guildId, roleId, permissions) => {
      world.setRolePermissions(guildId, roleId, permissions);
    },
    setBotRoles: (guildId, roleIds) => {
      world.setBotRoles(guildId, roleIds);
    },
    setOverwrites: (channelId, overwrites) => {
      world.setOverwrites(channelId, overwrites);
    },
    botPermissions: (channelId) => world.botPermissionsIn(world.requireChannel(channelId)),
    postUserMessage: (channelId, content, author) => {
      const user = world.addUser({ username: 'someone', ...author });
      const message = world.createMessage(
        world.requireChannel(channelId),
        { ...emptyMessageInput(0), content },
        { author: user, defaultParse: ['users', 'roles', 'everyone'] },
      );
      return snapshotMessage(message);
    },

    deleteChannel: (channelId) => {
      world.deleteChannel(channelId);
    },
    removeGuild: (guildId, removeOptions) => {
      world.removeGuild(guildId, removeOptions?.deleted === true);
    },
    setGuildUnavailable: (guildId, unavailable) => {
      world.setGuildUnavailable(guildId, unavailable);
    },
    dispatch: (t, d) => {
      gateway.dispatch(t, d);
    },
    injectSlashCommand: (input) => inject(buildSlashCommand(interactionDeps, input)),
    injectAutocomplete: (input) => inject(buildAutocomplete(interactionDeps, input)),
    injectButton: (input) => inject(buildButton(interactionDeps, input)),
    injectSelectMenu: (input) => inject(buildSelectMenu(interactionDeps, input)),

    disconnect: (code = GatewayClose.UnknownError) => {
      gateway.disconnect(code, 'fake Discord: disconnect requested by the test');
    },
    invalidateSession: () => {
      gateway.invalidateSessions();
    },
    requestReconnect: () => {
      gateway.requestReconnect();
    },

    addFault: (spec) => faults.add(spec),
    clearFaults: () => {
      faults.clear();
    },
    setRateLimits: (limits) => {
      limiter.configure(limits);
    },

    requests: () => [...journal.requests],
    frames: () => [...journal.frames],
    messages: (channelId) => world.history(channelId).map(snapshotMessage),
    registeredCommands: (guildId) => [...(world.commands.get(guildId ?? GLOBAL_SCOPE) ?? [])],
    commandRegistrationCount: (guildId) => world.registrationCalls.get(guildId ?? GLOBAL_SCOPE) ?? 0,
    stats: () => journal.stats(),

    waitForMessage: (channelId, predicate = () => true, timeoutMs = waitTimeoutMs) =>
      waiters.waitFor(
        () => {
          const found = world.history(channelId).find((m) => predicate(snapshotMessage(m)));
          return found ? snapshotMessage(found) : undefined;
        },
        timeoutMs,
        `a message in channel ${channelId}`,
      ),
    waitForRequest: (predicate, timeoutMs = waitTimeoutMs) =>
      waiters.waitFor(() => journal.requests.find(predicate), timeoutMs, 'a matching request'),
    waitForFrame: (predicate, timeoutMs = waitTimeoutMs) =>
      waiters.waitFor(() => journal.frames.find(predicate), timeoutMs, 'a matching gateway frame'),
    waitForInteractionResponse: (interactionId, timeoutMs = waitTimeoutMs) =>
      waiters.waitFor(
        () => {
          const record = world.interactions.get(interactionId);
          return record?.callback ? responsesOf(record, world) : undefined;
        },
        timeoutMs,
        `the response to interaction ${interactionId}`,
      ),

    close: async () => {
      if (closed) return;
      closed = true;
      waiters.close();
      rest.stopTimers();
      await gateway.close();
      rest.server.closeAllConnections();
      await new Promise<void>((resolve) => {
        rest.server.close(() => {
          resolve();
        });
      });
    },
  };
  return fake;
}

/** A live view of an interaction's responses (getters read the current state). */
function responsesOf(record: InteractionRecord, world: World): InteractionResponses {
  const message = (id: string | null): FakeMessage | undefined => {
    const found = id === null ? undefined : world.messagesById.get(id);
    return found ? snapshotMessage(found) : undefined;
  };
  return {
    interactionId: record.id,
    get callback() {
      return record.callback;
    },
    get originalEdits() {
      return [...record.originalEdits];
    },
    get followUpBodies() {
      return [...record.followUpBodies];
    },
    get original() {
      return message(record.originalMessageId);
    },
    get followUps() {
      return record.followUpIds.map(message).filter((m): m is FakeMessage => m !== undefined);
    },
  };
}

function interactionHandle(
  record: InteractionRecord,
  world: World,
  waiters: Waiters,
  defaultTimeoutMs: number,
): InjectedInteraction {
  const responses = responsesOf(record, world);
  return {
    id: record.id,
    token: record.token,
    payload: record.payload,
    response: (timeoutMs = defaultTimeoutMs) =>
      waiters.waitFor(() => record.callback, timeoutMs, `the callback of interaction ${record.id}`),
    reply: (predicate = () => true, timeoutMs = defaultTimeoutMs) =>
      waiters.waitFor(
        () => {
          const original = responses.original;
          const visible = original !== undefined && (original.flags & MessageFlag.Loading) === 0;
          return visible && predicate(original) ? original : undefined;
        },
        timeoutMs,
        `the visible reply to interaction ${record.id}`,
      ),
    followUp: (index = 0, timeoutMs = defaultTimeoutMs) =>
      waiters.waitFor(() => responses.followUps[index], timeoutMs, `follow-up #${index} of interaction ${record.id}`),
    responses: () => responses,
  };
}
