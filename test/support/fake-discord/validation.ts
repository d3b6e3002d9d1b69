import { FormErrors, apiErrors } from './errors.js';
import { type JsonRecord, asRecord, codePointLength, isRecord, readArray, readNumber, readString } from './json.js';
import { AUTO_ARCHIVE_DURATIONS, LIMITS, MessageFlag } from './limits.js';

type Path = readonly (string | number)[];

/** A validated message create/edit body. `undefined` means "field absent" (an edit leaves it alone). */
export interface MessageInput {
  readonly content: string | undefined;
  readonly embeds: JsonRecord[] | undefined;
  readonly components: unknown[] | undefined;
  /** True when the body had an `allowed_mentions` key (its value is kept as sent). */
  readonly hasAllowedMentions: boolean;
  readonly allowedMentions: unknown;
  readonly flags: number | undefined;
  readonly nonce: string | number | undefined;
  readonly enforceNonce: boolean;
  readonly messageReference: unknown;
  readonly fileCount: number;
}

export type MessageMode = 'create' | 'edit';

/**
 * Validates a message body against Discord's limits and answers like Discord: 400 50035 with the
 * nested errors tree, or 400 50006 for an empty message. Lengths are code points after trimming.
 */
export function parseMessageBody(body: unknown, fileCount: number, mode: MessageMode, prefix: Path = []): MessageInput {
  const errors = new FormErrors();
  if (!isRecord(body)) {
    errors.add(prefix, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    errors.throwIfAny();
  }
  const record = asRecord(body);
  const content = readContent(record, errors, prefix);
  const flags = readNumber(record, 'flags');
  const embeds = readEmbeds(record, errors, prefix);
  const components = readComponents(record, errors, prefix, ((flags ?? 0) & MessageFlag.IsComponentsV2) !== 0);
  const nonce = readNonce(record, errors, prefix);
  validateAllowedMentions(record.allowed_mentions, errors, [...prefix, 'allowed_mentions']);
  errors.throwIfAny();

  const input: MessageInput = {
    content,
    embeds,
    components,
    hasAllowedMentions: 'allowed_mentions' in record,
    allowedMentions: record.allowed_mentions,
    flags,
    nonce,
    enforceNonce: record.enforce_nonce === true,
    messageReference: record.message_reference,
    fileCount,
  };
  if (mode === 'create' && isEmptyMessage(input, record)) throw apiErrors.emptyMessage();
  return input;
}

function isEmptyMessage(input: MessageInput, record: JsonRecord): boolean {
  const hasStickers = (readArray(record, 'sticker_ids') ?? []).length > 0;
  return (
    (input.content ?? '').trim() === '' &&
    (input.embeds ?? []).length === 0 &&
    (input.components ?? []).length === 0 &&
    input.fileCount === 0 &&
    !hasStickers &&
    record.poll === undefined
  );
}

function readContent(record: JsonRecord, errors: FormErrors, prefix: Path): string | undefined {
  const value = record.content;
  if (value === undefined) return undefined;
  if (value === null) return '';
  if (typeof value !== 'string') {
    errors.add([...prefix, 'content'], 'BASE_TYPE_STRING', 'Must be a string.');
    return undefined;
  }
  if (codePointLength(value) > LIMITS.content) errors.tooLong([...prefix, 'content'], LIMITS.content);
  return value;
}

function readNonce(record: JsonRecord, errors: FormErrors, prefix: Path): string | number | undefined {
  const value = record.nonce;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    if (value.length > LIMITS.nonce) errors.tooLong([...prefix, 'nonce'], LIMITS.nonce);
    return value;
  }
  errors.add([...prefix, 'nonce'], 'BASE_TYPE_STRING', 'Must be a string or an integer.');
  return undefined;
}

function readEmbeds(record: JsonRecord, errors: FormErrors, prefix: Path): JsonRecord[] | undefined {
  const value = record.embeds;
  if (value === undefined) return undefined;
  if (value === null) return [];
  if (!Array.isArray(value)) {
    errors.add([...prefix, 'embeds'], 'BASE_TYPE_LIST', 'Must be a list.');
    return undefined;
  }
  const embeds = value as unknown[];
  if (embeds.length > LIMITS.embedsPerMessage) errors.tooLong([...prefix, 'embeds'], LIMITS.embedsPerMessage);
  let total = 0;
  embeds.forEach((embed, index) => {
    total += validateEmbed(embed, errors, [...prefix, 'embeds', index]);
  });
  if (total > LIMITS.embedTotal) {
    errors.add(
      [...prefix, 'embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
      `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    );
  }
  return embeds.map((embed) => ({ type: 'rich', ...asRecord(embed) }));
}

/** Checks one embed's per-field limits; returns its size toward the 6000 total. */
function validateEmbed(value: unknown, errors: FormErrors, path: Path): number {
  if (!isRecord(value)) {
    errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return 0;
  }
  let size = 0;
  size += checkText(value, 'title', LIMITS.embedTitle, errors, path);
  size += checkText(value, 'description', LIMITS.embedDescription, errors, path);

  const fields = value.fields;
  if (Array.isArray(fields)) {
    if (fields.length > LIMITS.embedFields) errors.tooLong([...path, 'fields'], LIMITS.embedFields);
    (fields as unknown[]).forEach((field, index) => {
      const fieldPath = [...path, 'fields', index];
      const record = asRecord(field);
      size += checkText(record, 'name', LIMITS.embedFieldName, errors, fieldPath, true);
      size += checkText(record, 'value', LIMITS.embedFieldValue, errors, fieldPath, true);
    });
  }
  if (value.footer !== undefined) {
    size += checkText(asRecord(value.footer), 'text', LIMITS.embedFooterText, errors, [...path, 'footer'], true);
  }
  if (value.author !== undefined) {
    size += checkText(asRecord(value.author), 'name', LIMITS.embedAuthorName, errors, [...path, 'author'], true);
  }
  return size;
}

/** Validates an optional (or required) text field; returns its length in code points. */
function checkText(
  record: JsonRecord,
  key: string,
  max: number,
  errors: FormErrors,
  path: Path,
  required = false,
): number {
  const value = record[key];
  if (value === undefined || value === null) {
    if (required) errors.required([...path, key]);
    return 0;
  }
  if (typeof value !== 'string') {
    errors.add([...path, key], 'BASE_TYPE_STRING', 'Must be a string.');
    return 0;
  }
  const length = codePointLength(value);
  if (required && length === 0) errors.required([...path, key]);
  if (length > max) errors.tooLong([...path, key], max);
  return length;
}

function readComponents(
  record: JsonRecord,
  errors: FormErrors,
  prefix: Path,
  componentsV2: boolean,
): unknown[] | undefined {
  const value = record.components;
  if (value === undefined) return undefined;
  if (value === null) return [];
  if (!Array.isArray(value)) {
    errors.add([...prefix, 'components'], 'BASE_TYPE_LIST', 'Must be a list.');
    return undefined;
  }
  const rows = value as unknown[];
  // Components V2 layouts follow other rules; the fake only checks the classic action-row limits.
  if (componentsV2) return rows;
  if (rows.length > LIMITS.actionRows) errors.tooLong([...prefix, 'components'], LIMITS.actionRows);
  rows.forEach((row, rowIndex) => {
    const rowPath = [...prefix, 'components', rowIndex];
    const children = readArray(asRecord(row), 'components') ?? [];
    if (children.length === 0) errors.required([...rowPath, 'components']);
    if (children.length > LIMITS.componentsPerRow) errors.tooLong([...rowPath, 'components'], LIMITS.componentsPerRow);
    children.forEach((child, childIndex) => {
      validateComponent(asRecord(child), errors, [...rowPath, 'components', childIndex]);
    });
  });
  return rows;
}

const LINK_BUTTON_STYLE = 5;
const PREMIUM_BUTTON_STYLE = 6;
const BUTTON = 2;

function validateComponent(component: JsonRecord, errors: FormErrors, path: Path): void {
  const type = readNumber(component, 'type');
  const customId = readString(component, 'custom_id');
  const style = readNumber(component, 'style');
  const needsCustomId = type !== BUTTON || (style !== LINK_BUTTON_STYLE && style !== PREMIUM_BUTTON_STYLE);
  if (needsCustomId && customId === undefined) errors.required([...path, 'custom_id']);
  if (customId !== undefined && (customId.length < 1 || customId.length > LIMITS.customIdMax)) {
    errors.add(
      [...path, 'custom_id'],
      'BASE_TYPE_BAD_LENGTH',
      `Must be between 1 and ${LIMITS.customIdMax} in length.`,
    );
  }
  const label = readString(component, 'label');
  if (type === BUTTON && label !== undefined && codePointLength(label) > LIMITS.buttonLabel) {
    errors.tooLong([...path, 'label'], LIMITS.buttonLabel);
  }
  const options = readArray(component, 'options');
  if (options !== undefined && options.length > LIMITS.selectOptions) {
    errors.tooLong([...path, 'options'], LIMITS.selectOptions);
  }
}

const MENTION_KINDS = new Set(['users', 'roles', 'everyone']);

function validateAllowedMentions(value: unknown, errors: FormErrors, path: Path): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  const parse = readArray(value, 'parse') ?? [];
  parse.forEach((kind, index) => {
    if (typeof kind !== 'string' || !MENTION_KINDS.has(kind)) {
      errors.add(
        [...path, 'parse', index],
        'BASE_TYPE_CHOICES',
        'Value must be one of {"users", "roles", "everyone"}.',
      );
    }
  });
  for (const kind of ['users', 'roles'] as const) {
    const ids = readArray(value, kind) ?? [];
    if (ids.length > LIMITS.allowedMentionIds) errors.tooLong([...path, kind], LIMITS.allowedMentionIds);
    // Discord rejects a kind both parsed and listed: a classic allowed_mentions mistake.
    if (ids.length > 0 && parse.includes(kind)) {
      errors.add(
        [...path, kind],
        'SET_TYPE_ALREADY_CONTAINS_VALUE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

export interface ThreadInput {
  readonly name: string;
  readonly autoArchiveDuration: number;
}

/** Validates a thread-creation body: name 1-100 code points, auto_archive_duration in Discord's set. */
export function parseThreadBody(body: unknown): ThreadInput {
  const record = asRecord(body);
  const errors = new FormErrors();
  const name = readString(record, 'name');
  if (name === undefined || codePointLength(name) === 0) errors.required(['name']);
  else if (codePointLength(name) > LIMITS.threadNameMax) errors.tooLong(['name'], LIMITS.threadNameMax);
  const duration = readNumber(record, 'auto_archive_duration') ?? 1440;
  if (!AUTO_ARCHIVE_DURATIONS.includes(duration)) {
    errors.add(
      ['auto_archive_duration'],
      'BASE_TYPE_CHOICES',
      `Value must be one of ${AUTO_ARCHIVE_DURATIONS.join(', ')}.`,
    );
  }
  errors.throwIfAny();
  return { name: (name ?? '').trim(), autoArchiveDuration: duration };
}

/** Autocomplete results: at most 25 choices, names 1-100, string values up to 100. */
export function validateAutocompleteData(data: JsonRecord): void {
  const errors = new FormErrors();
  const choices = readArray(data, 'choices') ?? [];
  if (choices.length > LIMITS.autocompleteChoices) errors.tooLong(['data', 'choices'], LIMITS.autocompleteChoices);
  choices.forEach((choice, index) => {
    const record = asRecord(choice);
    const path = ['data', 'choices', index];
    const name = readString(record, 'name');
    if (name === undefined || codePointLength(name) === 0) errors.required([...path, 'name']);
    else if (codePointLength(name) > LIMITS.choiceName) errors.tooLong([...path, 'name'], LIMITS.choiceName);
    const value = record.value;
    if (value === undefined) errors.required([...path, 'value']);
    if (typeof value === 'string' && codePointLength(value) > LIMITS.choiceStringValue) {
      errors.tooLong([...path, 'value'], LIMITS.choiceStringValue);
    }
  });
  errors.throwIfAny();
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const CHAT_INPUT = 1;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;

/** Validates a bulk command registration (names, descriptions, option and choice counts, 8000 chars). */
export function parseCommandList(body: unknown): JsonRecord[] {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_LIST', 'Must be a list.');
    errors.throwIfAny();
  }
  const commands = (body as unknown[]).map(asRecord);
  if (commands.filter((c) => (readNumber(c, 'type') ?? CHAT_INPUT) === CHAT_INPUT).length > LIMITS.commandsPerScope) {
    errors.tooLong([], LIMITS.commandsPerScope);
  }
  commands.forEach((command, index) => {
    const chatInput = (readNumber(command, 'type') ?? CHAT_INPUT) === CHAT_INPUT;
    const chars = validateNamed(command, errors, [index], chatInput);
    if (chars > LIMITS.commandTotalChars) {
      errors.add(
        [index],
        'APPLICATION_COMMAND_TOO_LARGE',
        `Command exceeds maximum size (${LIMITS.commandTotalChars})`,
      );
    }
  });
  errors.throwIfAny();
  return commands;
}

/** Validates a command or option (recursively); returns the characters it contributes to the 8000 limit. */
function validateNamed(item: JsonRecord, errors: FormErrors, path: Path, chatInput: boolean): number {
  const name = readString(item, 'name') ?? '';
  if (!COMMAND_NAME.test(name) || (chatInput && name !== name.toLowerCase())) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  let chars = name.length;
  if (chatInput) {
    const description = readString(item, 'description') ?? '';
    const length = codePointLength(description);
    if (length < 1 || length > LIMITS.commandDescription) {
      errors.add(
        [...path, 'description'],
        'BASE_TYPE_BAD_LENGTH',
        `Must be between 1 and ${LIMITS.commandDescription} in length.`,
      );
    }
    chars += description.length;
  }
  const choices = readArray(item, 'choices') ?? [];
  if (choices.length > LIMITS.commandChoices) errors.tooLong([...path, 'choices'], LIMITS.commandChoices);
  for (const choice of choices) {
    const record = asRecord(choice);
    const value = record.value;
    chars += (readString(record, 'name') ?? '').length;
    chars += typeof value === 'string' ? value.length : typeof value === 'number' ? String(value).length : 0;
  }
  const options = (readArray(item, 'options') ?? []).map(asRecord);
  if (options.length > LIMITS.commandOptions) errors.tooLong([...path, 'options'], LIMITS.commandOptions);
  let seenOptional = false;
  options.forEach((option, index) => {
    const type = readNumber(option, 'type');
    const nested = type === SUB_COMMAND || type === SUB_COMMAND_GROUP;
    if (!nested && option.required !== true) seenOptional = true;
    else if (!nested && seenOptional) {
      errors.add(
        [...path, 'options', index, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    }
    chars += validateNamed(option, errors, [...path, 'options', index], chatInput);
  });
  return chars;
}

/** The body of a deferred ("thinking...") response: no content yet, only flags. */
export function emptyMessageInput(flags: number): MessageInput {
  return {
    content: undefined,
    embeds: undefined,
    components: undefined,
    hasAllowedMentions: false,
    allowedMentions: undefined,
    flags,
    nonce: undefined,
    enforceNonce: false,
    messageReference: undefined,
    fileCount: 0,
  };
}
