/**
 * The REST routes the fake implements, as a table: method, path, auth, optional bucket, handler.
 * Handlers return `{ status, body }` or throw `ApiError`; the server does auth, limits and recording.
 */
import { type ApiError, FormErrors, apiErrors } from './errors.js';
import {
  type InteractionDeps,
  type ResponseContext,
  handleCallback,
  handleFollowUp,
  handleWebhookMessage,
} from './interactions.js';
import { type JsonRecord, asRecord, isRecord, readNumber, readString } from './json.js';
import { LIMITS, MessageFlag } from './limits.js';
import { CHANNEL_MESSAGE_DEFAULT_PARSE } from './mentions.js';
import { Permission, hasPermission } from './permissions.js';
import type { ChannelRecord, GuildRecord, MessageRecord } from './records.js';
import { renderUser } from './render.js';
import { ChannelKind } from './types.js';
import { type MessageInput, parseCommandList, parseMessageBody, parseThreadBody } from './validation.js';
import { GLOBAL_SCOPE, type World } from './world.js';

export type RouteContext = ResponseContext;

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path after `/api/v10`, with `:name` segments. */
  readonly path: string;
  /**
   * 'bot': needs `Authorization: Bot <token>` and counts against the global limit.
   * 'none': interaction callbacks and interaction webhooks (authenticated by their token, exempt).
   */
  readonly auth: 'bot' | 'none';
  /** The per-route bucket key (only message creation has one). */
  readonly bucket?: (params: Readonly<Record<string, string>>) => string;
  readonly handle: (ctx: RouteContext) => RouteResult;
}

export interface RestDeps extends InteractionDeps {
  readonly gatewayUrl: () => string;
  /** Window in which a repeated nonce with enforce_nonce returns the first message (fake clock). */
  readonly nonceWindowMs: number;
}

export function createRoutes(deps: RestDeps): RouteDefinition[] {
  const { world } = deps;
  const ok = (body: unknown): RouteResult => ({ status: 200, body });
  const param = (ctx: RouteContext, name: string): string => ctx.params[name] ?? '';

  return [
    { method: 'GET', path: '/gateway', auth: 'none', handle: () => ok({ url: deps.gatewayUrl() }) },
    {
      method: 'GET',
      path: '/gateway/bot',
      auth: 'bot',
      handle: () =>
        ok({
          url: deps.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        }),
    },
    {
      method: 'GET',
      path: '/users/@me',
      auth: 'bot',
      handle: () => ok({ ...renderUser(world.botUser), verified: true, mfa_enabled: false, locale: 'en-US' }),
    },
    {
      method: 'GET',
      path: '/applications/@me',
      auth: 'bot',
      handle: () =>
        ok({
          id: deps.applicationId,
          name: world.botUser.username,
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          flags: 0,
          bot: renderUser(world.botUser),
        }),
    },
    {
      method: 'GET',
      path: '/guilds/:guildId',
      auth: 'bot',
      handle: (ctx) => ok(world.renderGuild(memberGuild(world, param(ctx, 'guildId')))),
    },
    {
      method: 'GET',
      path: '/guilds/:guildId/channels',
      auth: 'bot',
      handle: (ctx) => {
        const guild = memberGuild(world, param(ctx, 'guildId'));
        return ok(
          world
            .channelsOf(guild.id)
            .filter((c) => c.type !== ChannelKind.PublicThread)
            .map((c) => world.renderChannel(c)),
        );
      },
    },
    {
      method: 'GET',
      path: '/channels/:channelId',
      auth: 'bot',
      handle: (ctx) => {
        const channel = visibleChannel(world, param(ctx, 'channelId')).channel;
        return ok(world.renderChannel(channel));
      },
    },
    {
      method: 'POST',
      path: '/channels/:channelId/messages',
      auth: 'bot',
      bucket: (params) => params.channelId ?? '',
      handle: (ctx) => createChannelMessage(deps, ctx),
    },
    { method: 'GET', path: '/channels/:channelId/messages', auth: 'bot', handle: (ctx) => listMessages(world, ctx) },
    {
      method: 'GET',
      path: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: (ctx) => {
        const { channel, permissions } = visibleChannel(world, param(ctx, 'channelId'));
        if (!hasPermission(permissions, Permission.ReadMessageHistory)) throw apiErrors.missingAccess();
        return ok(world.renderMessage(messageIn(world, channel, param(ctx, 'messageId'))));
      },
    },
    {
      method: 'PATCH',
      path: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: (ctx) => editChannelMessage(world, ctx),
    },
    {
      method: 'DELETE',
      path: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: (ctx) => {
        const { channel, permissions } = visibleChannel(world, param(ctx, 'channelId'));
        const message = messageIn(world, channel, param(ctx, 'messageId'));
        if (message.author.id !== world.botUser.id) requirePermission(permissions, Permission.ManageMessages);
        world.deleteMessage(message);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/channels/:channelId/messages/:messageId/threads',
      auth: 'bot',
      handle: (ctx) => startThreadFromMessage(world, ctx),
    },
    { method: 'POST', path: '/channels/:channelId/threads', auth: 'bot', handle: (ctx) => startThread(world, ctx) },
    {
      method: 'POST',
      path: '/interactions/:interactionId/:token/callback',
      auth: 'none',
      handle: (ctx) => handleCallback(deps, ctx),
    },
    { method: 'POST', path: '/webhooks/:appId/:token', auth: 'none', handle: (ctx) => handleFollowUp(deps, ctx) },
    ...(['GET', 'PATCH', 'DELETE'] as const).map((method): RouteDefinition => ({
      method,
      path: '/webhooks/:appId/:token/messages/:messageId',
      auth: 'none',
      handle: (ctx) => handleWebhookMessage(deps, method, ctx),
    })),
    {
      method: 'GET',
      path: '/applications/:appId/commands',
      auth: 'bot',
      handle: (ctx) => ok(commandScope(deps, ctx, GLOBAL_SCOPE)),
    },
    {
      method: 'PUT',
      path: '/applications/:appId/commands',
      auth: 'bot',
      handle: (ctx) => ok(registerCommands(deps, ctx, GLOBAL_SCOPE)),
    },
    {
      method: 'GET',
      path: '/applications/:appId/guilds/:guildId/commands',
      auth: 'bot',
      handle: (ctx) =>
        ok(commandScope(deps, ctx, memberGuild(world, param(ctx, 'guildId'), apiErrors.missingAccess).id)),
    },
    {
      method: 'PUT',
      path: '/applications/:appId/guilds/:guildId/commands',
      auth: 'bot',
      handle: (ctx) =>
        ok(registerCommands(deps, ctx, memberGuild(world, param(ctx, 'guildId'), apiErrors.missingAccess).id)),
    },
  ];
}

// ---- channel access ----------------------------------------------------------------------------

/** 404 10003 for unknown or deleted channels, 403 50001 when the bot cannot see the channel. */
function visibleChannel(world: World, channelId: string): { channel: ChannelRecord; permissions: bigint } {
  const channel = world.channels.get(channelId);
  if (!channel) throw apiErrors.unknownChannel();
  const permissions = world.botPermissionsIn(channel);
  if (!hasPermission(permissions, Permission.ViewChannel)) throw apiErrors.missingAccess();
  return { channel, permissions };
}

function requirePermission(permissions: bigint, bit: bigint): void {
  if (!hasPermission(permissions, bit)) throw apiErrors.missingPermissions();
}

function memberGuild(world: World, guildId: string, onMissing: () => ApiError = apiErrors.unknownGuild): GuildRecord {
  const guild = world.guilds.get(guildId);
  if (!guild?.botIsMember) throw onMissing();
  return guild;
}

function messageIn(world: World, channel: ChannelRecord, messageId: string): MessageRecord {
  const message = world.messagesById.get(messageId);
  if (message?.channelId !== channel.id) throw apiErrors.unknownMessage();
  return message;
}

/** Posting in a thread needs Send Messages in Threads instead of Send Messages; embeds need Embed Links. */
function requireSendPermissions(channel: ChannelRecord, permissions: bigint, input: MessageInput | undefined): void {
  requirePermission(
    permissions,
    channel.type === ChannelKind.PublicThread ? Permission.SendMessagesInThreads : Permission.SendMessages,
  );
  if (input === undefined) return;
  if ((input.embeds ?? []).length > 0) requirePermission(permissions, Permission.EmbedLinks);
  if (input.fileCount > 0) requirePermission(permissions, Permission.AttachFiles);
}

// ---- messages ----------------------------------------------------------------------------------

function createChannelMessage(deps: RestDeps, ctx: RouteContext): RouteResult {
  const { world } = deps;
  const { channel, permissions } = visibleChannel(world, ctx.params.channelId ?? '');
  if (channel.type === ChannelKind.Forum) throw apiErrors.nonTextChannel();
  requireSendPermissions(channel, permissions, undefined);
  const input = parseMessageBody(ctx.body, ctx.fileCount, 'create');
  requireSendPermissions(channel, permissions, input);
  checkMessageReference(world, channel, input);

  // enforce_nonce: a retry of the same send returns the first message instead of a duplicate.
  if (input.enforceNonce && input.nonce !== undefined) {
    const existing = world.findByNonce(channel.id, input.nonce, deps.nonceWindowMs);
    if (existing) return { status: 200, body: world.renderMessage(existing) };
  }
  const message = world.createMessage(channel, input, {
    author: world.botUser,
    defaultParse: CHANNEL_MESSAGE_DEFAULT_PARSE,
  });
  return { status: 200, body: world.renderMessage(message) };
}

function checkMessageReference(world: World, channel: ChannelRecord, input: MessageInput): void {
  if (!isRecord(input.messageReference)) return;
  const reference = input.messageReference;
  const id = readString(reference, 'message_id');
  if (id === undefined || reference.fail_if_not_exists === false) return;
  const target = world.messagesById.get(id);
  if (target?.channelId !== (readString(reference, 'channel_id') ?? channel.id)) {
    const errors = new FormErrors();
    errors.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    errors.throwIfAny();
  }
}

function editChannelMessage(world: World, ctx: RouteContext): RouteResult {
  const { channel, permissions } = visibleChannel(world, ctx.params.channelId ?? '');
  const message = messageIn(world, channel, ctx.params.messageId ?? '');
  if (message.author.id !== world.botUser.id) throw apiErrors.cannotEditOthersMessage();
  const input = parseMessageBody(ctx.body, ctx.fileCount, 'edit');
  if ((input.embeds ?? []).length > 0) requirePermission(permissions, Permission.EmbedLinks);
  world.editMessage(message, input, CHANNEL_MESSAGE_DEFAULT_PARSE);
  return { status: 200, body: world.renderMessage(message) };
}

/** `limit` 1-100 (default 50), `before` / `after`, newest first; no Read Message History: empty. */
function listMessages(world: World, ctx: RouteContext): RouteResult {
  const { channel, permissions } = visibleChannel(world, ctx.params.channelId ?? '');
  const rawLimit = ctx.query.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.messagesPageMax) {
    const errors = new FormErrors();
    errors.add(['limit'], 'NUMBER_TYPE_MAX', `int value should be between 1 and ${LIMITS.messagesPageMax}.`);
    errors.throwIfAny();
  }
  if (!hasPermission(permissions, Permission.ReadMessageHistory)) return { status: 200, body: [] };
  const page = world.pageMessages(
    channel.id,
    limit,
    ctx.query.get('before') ?? undefined,
    ctx.query.get('after') ?? undefined,
  );
  return { status: 200, body: page.map((m) => world.renderMessage(m)) };
}

// ---- threads -----------------------------------------------------------------------------------

/** A public thread from a message: its id is the message id, as on Discord. */
function startThreadFromMessage(world: World, ctx: RouteContext): RouteResult {
  const { channel, permissions } = visibleChannel(world, ctx.params.channelId ?? '');
  if (channel.type !== ChannelKind.Text) throw apiErrors.wrongChannelType();
  const message = messageIn(world, channel, ctx.params.messageId ?? '');
  requirePermission(permissions, Permission.CreatePublicThreads);
  const input = parseThreadBody(ctx.body);
  if (message.threadId !== null || world.channels.has(message.id)) throw apiErrors.threadAlreadyCreated();
  const thread = world.createThread(channel, input.name, input.autoArchiveDuration, message.id);
  message.threadId = thread.id;
  message.flags |= MessageFlag.HasThread;
  return { status: 201, body: world.renderChannel(thread) };
}

/** A forum post (thread + starter message, same id) or a public thread without a starter message. */
function startThread(world: World, ctx: RouteContext): RouteResult {
  const { channel, permissions } = visibleChannel(world, ctx.params.channelId ?? '');
  const body = asRecord(ctx.body);
  const input = parseThreadBody(body);

  if (channel.type === ChannelKind.Forum) {
    requirePermission(permissions, Permission.SendMessages);
    if (!isRecord(body.message)) {
      const errors = new FormErrors();
      errors.required(['message']);
      errors.throwIfAny();
    }
    const starter = parseMessageBody(body.message, ctx.fileCount, 'create', ['message']);
    requireSendPermissions(channel, permissions, starter);
    const thread = world.createThread(channel, input.name, input.autoArchiveDuration);
    const message = world.createMessage(thread, starter, {
      author: world.botUser,
      defaultParse: CHANNEL_MESSAGE_DEFAULT_PARSE,
      id: thread.id,
    });
    return { status: 201, body: { ...world.renderChannel(thread), message: world.renderMessage(message) } };
  }

  if (channel.type !== ChannelKind.Text) throw apiErrors.wrongChannelType();
  if (readNumber(body, 'type') !== ChannelKind.PublicThread) {
    const errors = new FormErrors();
    errors.add(['type'], 'BASE_TYPE_CHOICES', 'The fake models public threads (type 11) only.');
    errors.throwIfAny();
  }
  requirePermission(permissions, Permission.CreatePublicThreads);
  const thread = world.createThread(channel, input.name, input.autoArchiveDuration);
  return { status: 201, body: world.renderChannel(thread) };
}

// ---- application commands ------------------------------------------------------------------------

function requireOwnApplication(deps: RestDeps, ctx: RouteContext): void {
  if (ctx.params.appId !== deps.applicationId) throw apiErrors.missingAccess();
}

function commandScope(deps: RestDeps, ctx: RouteContext, scope: string): JsonRecord[] {
  requireOwnApplication(deps, ctx);
  return deps.world.commands.get(scope) ?? [];
}

/** Bulk overwrite: keeps the id of a command with the same name and type, like Discord. */
function registerCommands(deps: RestDeps, ctx: RouteContext, scope: string): JsonRecord[] {
  requireOwnApplication(deps, ctx);
  const { world } = deps;
  const commands = parseCommandList(ctx.body);
  const previous = world.commands.get(scope) ?? [];
  const stored = commands.map((command): JsonRecord => {
    const type = readNumber(command, 'type') ?? 1;
    const existing = previous.find((p) => p.name === command.name && p.type === type);
    return {
      ...command,
      id: existing?.id ?? world.nextId(),
      application_id: deps.applicationId,
      version: world.nextId(),
      type,
      description: command.description ?? '',
      default_member_permissions: command.default_member_permissions ?? null,
      nsfw: command.nsfw ?? false,
      ...(scope === GLOBAL_SCOPE ? {} : { guild_id: scope }),
    };
  });
  world.commands.set(scope, stored);
  world.registrationCalls.set(scope, (world.registrationCalls.get(scope) ?? 0) + 1);
  world.touch();
  return stored;
}
