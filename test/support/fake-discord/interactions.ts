/**
 * Interactions, both ways: building INTERACTION_CREATE payloads that discord.js accepts (slash
 * commands, autocomplete, buttons, string selects), and answering the bot's responses (the callback,
 * then webhook edits and follow-ups), which the fake turns into visible messages.
 */
import { randomBytes } from 'node:crypto';
import { FormErrors, apiErrors } from './errors.js';
import { type JsonRecord, asRecord, isRecord, readNumber } from './json.js';
import { MessageFlag } from './limits.js';
import { WEBHOOK_DEFAULT_PARSE } from './mentions.js';
import type { ChannelRecord, InteractionRecord, MessageRecord } from './records.js';
import { renderUser } from './render.js';
import { type ApiUser, type CommandOptionInput, OptionType } from './types.js';
import { emptyMessageInput, parseMessageBody, validateAutocompleteData } from './validation.js';
import { GLOBAL_SCOPE, type World } from './world.js';

export const InteractionType = { Command: 2, Component: 3, Autocomplete: 4 } as const;

export const CallbackType = {
  Reply: 4,
  DeferredReply: 5,
  DeferredUpdate: 6,
  Update: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;

/** Which callbacks Discord accepts for which interaction type. */
const ALLOWED_CALLBACKS: Record<number, readonly number[]> = {
  [InteractionType.Command]: [CallbackType.Reply, CallbackType.DeferredReply, CallbackType.Modal],
  [InteractionType.Component]: [
    CallbackType.Reply,
    CallbackType.DeferredReply,
    CallbackType.DeferredUpdate,
    CallbackType.Update,
    CallbackType.Modal,
  ],
  [InteractionType.Autocomplete]: [CallbackType.AutocompleteResult],
};

const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const BUTTON = 2;
const STRING_SELECT = 3;
const CHAT_INPUT_RESPONSE_MESSAGE = 20;
const ONE_MIB = 1024 * 1024;

export interface MemberInput {
  /** The invoking user (merged into a default "tester" user). */
  readonly user?: Partial<ApiUser>;
  /**
   * `member.permissions` in the channel. Default: computed from @everyone and `roles` with the
   * channel's overwrites, i.e. a plain member (no Manage Channels unless the guild grants it).
   */
  readonly permissions?: bigint;
  readonly roles?: readonly string[];
}

export interface InteractionInputBase {
  /** Default: the seeded default channel. */
  readonly channelId?: string;
  readonly member?: MemberInput;
  /** The user's client locale. Default en-US. */
  readonly locale?: string;
}

export interface SlashCommandInput extends InteractionInputBase {
  readonly name: string;
  readonly subcommandGroup?: string;
  readonly subcommand?: string;
  readonly options?: readonly CommandOptionInput[];
}

/** An autocomplete request: exactly one option has `focused: true` (its value is what the user typed). */
export type AutocompleteInput = SlashCommandInput;

export interface ButtonInput extends InteractionInputBase {
  readonly customId: string;
  /**
   * The message carrying the component. Default: the newest message in the channel whose components
   * contain `customId`, or a bot message created with that component if there is none.
   */
  readonly messageId?: string;
}

export interface SelectMenuInput extends ButtonInput {
  readonly values: readonly string[];
}

export interface InteractionDeps {
  readonly world: World;
  readonly applicationId: string;
  /** Time allowed for the first response (fake clock). */
  readonly responseDeadlineMs: number;
  /** Lifetime of the interaction token for edits and follow-ups (fake clock). */
  readonly tokenLifetimeMs: number;
  readonly defaultChannelId: () => string | undefined;
  readonly testUser: () => ApiUser;
}

// ---- building INTERACTION_CREATE -------------------------------------------------------------

export function buildSlashCommand(deps: InteractionDeps, input: SlashCommandInput): InteractionRecord {
  const channel = resolveInputChannel(deps, input.channelId);
  const options = input.options ?? [];
  for (const option of options) assertOptionValue(option, false);
  const data = commandData(deps, channel, input, options);
  return createRecord(deps, InteractionType.Command, channel, input, data, null);
}

export function buildAutocomplete(deps: InteractionDeps, input: AutocompleteInput): InteractionRecord {
  const channel = resolveInputChannel(deps, input.channelId);
  const options = input.options ?? [];
  if (options.filter((o) => o.focused === true).length !== 1) {
    throw new Error('fake Discord: an autocomplete interaction needs exactly one option with focused: true');
  }
  for (const option of options) assertOptionValue(option, true);
  const data = commandData(deps, channel, input, options);
  return createRecord(deps, InteractionType.Autocomplete, channel, input, data, null);
}

export function buildButton(deps: InteractionDeps, input: ButtonInput): InteractionRecord {
  const channel = resolveInputChannel(deps, input.channelId);
  const message = componentMessage(deps, channel, input.customId, input.messageId, BUTTON);
  const data = { custom_id: input.customId, component_type: BUTTON };
  return createRecord(deps, InteractionType.Component, channel, input, data, message);
}

export function buildSelectMenu(deps: InteractionDeps, input: SelectMenuInput): InteractionRecord {
  const channel = resolveInputChannel(deps, input.channelId);
  const message = componentMessage(deps, channel, input.customId, input.messageId, STRING_SELECT, input.values);
  const data = { custom_id: input.customId, component_type: STRING_SELECT, values: [...input.values] };
  return createRecord(deps, InteractionType.Component, channel, input, data, message);
}

function resolveInputChannel(deps: InteractionDeps, channelId: string | undefined): ChannelRecord {
  const id = channelId ?? deps.defaultChannelId();
  if (id === undefined) throw new Error('fake Discord: pass channelId (there is no seeded default channel)');
  return deps.world.requireChannel(id);
}

function assertOptionValue(option: CommandOptionInput, autocomplete: boolean): void {
  // Autocomplete sends what the user has typed so far, as a string, whatever the option type.
  if (autocomplete && option.focused === true) return;
  const { type, value, name } = option;
  const ok =
    (type === OptionType.String && typeof value === 'string') ||
    (type === OptionType.Integer && Number.isInteger(value)) ||
    (type === OptionType.Number && typeof value === 'number') ||
    (type === OptionType.Boolean && typeof value === 'boolean');
  if (!ok) throw new Error(`fake Discord: option "${name}" of type ${type} cannot hold ${JSON.stringify(value)}`);
}

function commandData(
  deps: InteractionDeps,
  channel: ChannelRecord,
  input: SlashCommandInput,
  options: readonly CommandOptionInput[],
): JsonRecord {
  const leaves = options.map((o) => ({
    type: o.type,
    name: o.name,
    value: o.value,
    ...(o.focused === true ? { focused: true } : {}),
  }));
  let nested: unknown[] = leaves;
  if (input.subcommand !== undefined) nested = [{ type: SUB_COMMAND, name: input.subcommand, options: leaves }];
  if (input.subcommandGroup !== undefined) {
    if (input.subcommand === undefined) throw new Error('fake Discord: a subcommandGroup needs a subcommand');
    nested = [{ type: SUB_COMMAND_GROUP, name: input.subcommandGroup, options: nested }];
  }
  const registered = findRegisteredCommand(deps.world, channel.guildId, input.name);
  return {
    id: registered?.id ?? deps.world.nextId(),
    name: input.name,
    type: 1,
    ...(registered?.guildId === undefined ? {} : { guild_id: registered.guildId }),
    options: nested,
  };
}

/** Uses the id the bot registered, so handlers keyed by command id work like in production. */
function findRegisteredCommand(
  world: World,
  guildId: string,
  name: string,
): { id: string; guildId?: string } | undefined {
  for (const scope of [guildId, GLOBAL_SCOPE]) {
    const command = (world.commands.get(scope) ?? []).find((c) => c.name === name);
    if (command && typeof command.id === 'string') {
      return scope === GLOBAL_SCOPE ? { id: command.id } : { id: command.id, guildId: scope };
    }
  }
  return undefined;
}

function componentMessage(
  deps: InteractionDeps,
  channel: ChannelRecord,
  customId: string,
  messageId: string | undefined,
  componentType: number,
  values: readonly string[] = [],
): MessageRecord {
  const { world } = deps;
  if (messageId !== undefined) {
    const message = world.messagesById.get(messageId);
    if (message?.channelId !== channel.id) throw new Error(`fake Discord: no message ${messageId} in ${channel.id}`);
    return message;
  }
  const carrying = [...world.history(channel.id)]
    .reverse()
    .find((m) => JSON.stringify(m.components).includes(`"${customId}"`));
  if (carrying) return carrying;
  // No such message yet: pretend the bot posted one earlier with this component.
  const component =
    componentType === BUTTON
      ? { type: BUTTON, style: 1, label: customId, custom_id: customId }
      : { type: STRING_SELECT, custom_id: customId, options: values.map((v) => ({ label: v, value: v })) };
  const input = {
    ...emptyMessageInput(0),
    content: 'component message',
    components: [{ type: 1, components: [component] }],
  };
  return world.createMessage(channel, input, { author: world.botUser, defaultParse: [] });
}

function createRecord(
  deps: InteractionDeps,
  type: number,
  channel: ChannelRecord,
  input: InteractionInputBase,
  data: JsonRecord,
  message: MessageRecord | null,
): InteractionRecord {
  const { world } = deps;
  const user = resolveUser(deps, input.member?.user);
  const roles = [...(input.member?.roles ?? [])];
  const permissions = input.member?.permissions ?? world.permissionsIn(channel, { userId: user.id, roleIds: roles });
  const id = world.nextId();
  const token = `fake-interaction-${randomBytes(24).toString('base64url')}`;
  const payload: JsonRecord = {
    id,
    application_id: deps.applicationId,
    type,
    data,
    guild_id: channel.guildId,
    guild: { id: channel.guildId, locale: 'en-US', features: [] },
    channel_id: channel.id,
    channel: world.renderChannel(channel),
    member: {
      user: renderUser(user),
      roles,
      permissions: permissions.toString(),
      nick: null,
      avatar: null,
      joined_at: new Date(world.now()).toISOString(),
      premium_since: null,
      communication_disabled_until: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
    },
    app_permissions: world.botPermissionsIn(channel).toString(),
    locale: input.locale ?? 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': channel.guildId },
    context: 0,
    attachment_size_limit: 10 * ONE_MIB,
    token,
    version: 1,
    ...(message === null ? {} : { message: world.renderMessage(message) }),
  };
  const record: InteractionRecord = {
    id,
    token,
    type,
    guildId: channel.guildId,
    channelId: channel.id,
    userId: user.id,
    createdAt: world.now(),
    componentMessageId: message?.id ?? null,
    payload,
    callback: undefined,
    originalMessageId: null,
    originalEdits: [],
    followUpBodies: [],
    followUpIds: [],
  };
  world.interactions.set(id, record);
  world.interactionsByToken.set(token, record);
  return record;
}

function resolveUser(deps: InteractionDeps, partial: Partial<ApiUser> | undefined): ApiUser {
  if (partial === undefined) return deps.testUser();
  const known = partial.id === undefined ? undefined : deps.world.users.get(partial.id);
  return deps.world.addUser({ ...(known ?? {}), ...partial });
}

// ---- answering the bot's responses -------------------------------------------------------------

export interface ResponseContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly fileCount: number;
}

export interface ResponseResult {
  readonly status: number;
  readonly body?: unknown;
}

/** `POST /interactions/:interactionId/:token/callback`: no Authorization header, like Discord. */
export function handleCallback(deps: InteractionDeps, ctx: ResponseContext): ResponseResult {
  const { world } = deps;
  const record = world.interactions.get(ctx.params.interactionId ?? '');
  if (!record || record.token !== ctx.params.token) throw apiErrors.unknownInteraction();
  if (record.callback) throw apiErrors.alreadyAcknowledged();
  if (world.now() - record.createdAt > deps.responseDeadlineMs) throw apiErrors.unknownInteraction();

  const body = asRecord(ctx.body);
  const type = readNumber(body, 'type') ?? -1;
  const data = isRecord(body.data) ? body.data : undefined;
  if (!(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
    const errors = new FormErrors();
    errors.add(
      ['type'],
      'INTERACTION_RESPONSE_TYPE_INVALID',
      `Callback type ${type} is not valid for this interaction`,
    );
    errors.throwIfAny();
  }
  applyCallback(deps, record, type, data, ctx.fileCount);
  record.callback = data === undefined ? { type } : { type, data };
  world.touch();
  if (ctx.query.get('with_response') !== 'true') return { status: 204 };
  return { status: 200, body: callbackResponse(deps, record, type) };
}

function applyCallback(
  deps: InteractionDeps,
  record: InteractionRecord,
  type: number,
  data: JsonRecord | undefined,
  fileCount: number,
): void {
  const { world } = deps;
  switch (type) {
    case CallbackType.Reply: {
      const input = parseMessageBody(data, fileCount, 'create', ['data']);
      record.originalMessageId = createResponseMessage(deps, record, input, input.flags ?? 0).id;
      return;
    }
    case CallbackType.DeferredReply: {
      const flags = (readNumber(data ?? {}, 'flags') ?? 0) & MessageFlag.Ephemeral;
      const loading = createResponseMessage(deps, record, emptyMessageInput(flags), flags | MessageFlag.Loading);
      record.originalMessageId = loading.id;
      return;
    }
    case CallbackType.DeferredUpdate:
      record.originalMessageId = record.componentMessageId;
      return;
    case CallbackType.Update: {
      const input = parseMessageBody(data, fileCount, 'edit', ['data']);
      const message = world.messagesById.get(record.componentMessageId ?? '');
      if (!message) throw apiErrors.unknownMessage();
      world.editMessage(message, input, WEBHOOK_DEFAULT_PARSE);
      record.originalMessageId = message.id;
      return;
    }
    case CallbackType.AutocompleteResult:
      validateAutocompleteData(data ?? {});
      return;
    default:
      return;
  }
}

function createResponseMessage(
  deps: InteractionDeps,
  record: InteractionRecord,
  input: ReturnType<typeof parseMessageBody>,
  flags: number,
): MessageRecord {
  const { world } = deps;
  const channel = world.channels.get(record.channelId);
  if (!channel) throw apiErrors.unknownChannel();
  return world.createMessage(
    channel,
    { ...input, flags },
    {
      author: world.botUser,
      defaultParse: WEBHOOK_DEFAULT_PARSE,
      type: record.type === InteractionType.Command ? CHAT_INPUT_RESPONSE_MESSAGE : 0,
      interactionId: record.id,
      webhookId: deps.applicationId,
      ephemeral: (flags & MessageFlag.Ephemeral) !== 0,
    },
  );
}

function callbackResponse(deps: InteractionDeps, record: InteractionRecord, type: number): JsonRecord {
  const message = deps.world.messagesById.get(record.originalMessageId ?? '');
  return {
    interaction: {
      id: record.id,
      type: record.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: message ? (message.flags & MessageFlag.Loading) !== 0 : false,
      response_message_ephemeral: message ? (message.flags & MessageFlag.Ephemeral) !== 0 : false,
    },
    resource: message ? { type, message: deps.world.renderMessage(message) } : { type },
  };
}

/** Finds the interaction behind `/webhooks/:appId/:token`; tokens live 15 minutes. */
function resolveWebhook(deps: InteractionDeps, ctx: ResponseContext): InteractionRecord {
  if (ctx.params.appId !== deps.applicationId) throw apiErrors.unknownWebhook();
  const record = deps.world.interactionsByToken.get(ctx.params.token ?? '');
  if (!record) throw apiErrors.unknownWebhook();
  if (deps.world.now() - record.createdAt > deps.tokenLifetimeMs) throw apiErrors.invalidWebhookToken();
  return record;
}

/** `POST /webhooks/:appId/:token`: a follow-up message (`?wait=true` answers it, else 204). */
export function handleFollowUp(deps: InteractionDeps, ctx: ResponseContext): ResponseResult {
  const { world } = deps;
  const record = resolveWebhook(deps, ctx);
  if (!record.callback) throw apiErrors.unknownWebhook();
  const input = parseMessageBody(ctx.body, ctx.fileCount, 'create');
  record.followUpBodies.push(asRecord(ctx.body));

  // After a deferred reply, the first follow-up fills the "thinking..." message instead of adding one.
  const original = world.messagesById.get(record.originalMessageId ?? '');
  let message: MessageRecord;
  if (original && (original.flags & MessageFlag.Loading) !== 0) {
    world.editMessage(original, input, WEBHOOK_DEFAULT_PARSE);
    message = original;
  } else {
    message = createResponseMessage(deps, record, input, input.flags ?? 0);
    message.type = 0;
  }
  record.followUpIds.push(message.id);
  world.touch();
  return ctx.query.get('wait') === 'true' ? { status: 200, body: world.renderMessage(message) } : { status: 204 };
}

/** GET / PATCH / DELETE `/webhooks/:appId/:token/messages/:messageId` (`@original` included). */
export function handleWebhookMessage(deps: InteractionDeps, method: string, ctx: ResponseContext): ResponseResult {
  const { world } = deps;
  const record = resolveWebhook(deps, ctx);
  const isOriginal = ctx.params.messageId === '@original';
  const messageId = isOriginal ? record.originalMessageId : (ctx.params.messageId ?? '');
  const owned =
    messageId !== null && (messageId === record.originalMessageId || record.followUpIds.includes(messageId));
  const message = owned ? world.messagesById.get(messageId) : undefined;
  if (!message) throw apiErrors.unknownMessage();

  if (method === 'GET') return { status: 200, body: world.renderMessage(message) };
  if (method === 'DELETE') {
    world.deleteMessage(message);
    return { status: 204 };
  }
  const input = parseMessageBody(ctx.body, ctx.fileCount, 'edit');
  if (isOriginal) record.originalEdits.push(asRecord(ctx.body));
  world.editMessage(message, input, WEBHOOK_DEFAULT_PARSE);
  return { status: 200, body: world.renderMessage(message) };
}
