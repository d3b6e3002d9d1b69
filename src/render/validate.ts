import { codePointLength } from '../delivery/text.js';
import type { APIEmbed } from './discord-types.js';
import {
  ACTION_ROW_BUTTONS_MAX,
  ACTION_ROWS_MAX,
  BUTTON_LABEL_MAX,
  BUTTON_URL_MAX,
  CUSTOM_ID_MAX,
  EMBED_AUTHOR_NAME_MAX,
  EMBED_COLOR_MAX,
  EMBED_DESCRIPTION_MAX,
  EMBED_FIELD_NAME_MAX,
  EMBED_FIELD_VALUE_MAX,
  EMBED_FIELDS_MAX,
  EMBED_FOOTER_TEXT_MAX,
  EMBED_TITLE_MAX,
  MESSAGE_CONTENT_MAX,
  MESSAGE_EMBEDS_MAX,
  MESSAGE_EMBEDS_TOTAL_MAX,
  MESSAGE_NONCE_MAX,
  SELECT_OPTION_DESCRIPTION_MAX,
  SELECT_OPTION_LABEL_MAX,
  SELECT_OPTION_VALUE_MAX,
  SELECT_OPTIONS_MAX,
  SELECT_PLACEHOLDER_MAX,
  SELECT_VALUES_MAX,
  THREAD_NAME_MAX,
  URL_MAX,
} from './limits.js';
import { isHttpUrl } from './urls.js';

/**
 * A message body in Discord's JSON shape (what discord.js sends; `RESTPostAPIChannelMessageJSONBody` is assignable).
 * Only what the validator reads is typed; everything is still checked defensively at run time.
 */
export interface MessageBody {
  readonly content?: string | undefined;
  readonly embeds?: readonly APIEmbed[] | undefined;
  readonly components?: readonly unknown[] | undefined;
  readonly allowed_mentions?: unknown;
  readonly nonce?: string | number | undefined;
  readonly enforce_nonce?: boolean | undefined;
}

// Discord trims white space before counting, but its idea of white space is not exactly JavaScript's (they differ on
// U+FEFF, U+001C-U+001F and U+0085). Lengths trim only what both call white space, so they never under-count;
// blankness uses either's, so a blank is never missed.
const COMMON_WHITE_SPACE = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
// eslint-disable-next-line no-control-regex -- U+001C-U+001F are white space to Discord's trimming.
const BLANK = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u001c-\u001f\u0085\ufeff]*$/u;
/** Markdown link targets `](url)` not preceded by an escaping backslash. */
const MARKDOWN_LINK_TARGET = /(?<!\\)\]\(\s*<?([^\s)>]*)/gu;

const COMPONENT_ACTION_ROW = 1;
const COMPONENT_BUTTON = 2;
const COMPONENT_STRING_SELECT = 3;
/** User, role, mentionable and channel selects: no options of their own. */
const COMPONENT_AUTO_SELECTS = new Set([5, 6, 7, 8]);
const BUTTON_STYLE_LINK = 5;
const BUTTON_STYLE_PREMIUM = 6;

/** Length of `text` in code points, as Discord counts it (after trimming). */
export function discordLength(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && COMMON_WHITE_SPACE.test(text.charAt(start))) start += 1;
  while (end > start && COMMON_WHITE_SPACE.test(text.charAt(end - 1))) end -= 1;
  return codePointLength(text.slice(start, end));
}

/** True when Discord would see `text` as empty after trimming. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}

/** The embed's share of the 6000 code points a message's embeds may hold together. */
export function embedTextLength(embed: APIEmbed): number {
  const raw: unknown = embed;
  if (!isRecord(raw)) return 0;
  let total = textLength(raw.title) + textLength(raw.description);
  if (isRecord(raw.footer)) total += textLength(raw.footer.text);
  if (isRecord(raw.author)) total += textLength(raw.author.name);
  if (Array.isArray(raw.fields)) {
    for (const field of raw.fields as unknown[]) {
      if (isRecord(field)) total += textLength(field.name) + textLength(field.value);
    }
  }
  return total;
}

/**
 * Every way `body` breaks Discord's limits or our own rules (allowed mentions off, http(s) URLs only, one URL per
 * embed). Each problem reads `path: what is wrong`; an empty list means the body is valid.
 */
export function validateMessage(body: MessageBody): string[] {
  const problems: string[] = [];
  const raw: unknown = body;
  if (!isRecord(raw)) return ['body: not an object'];
  const report = (path: string, message: string): void => {
    problems.push(`${path}: ${message}`);
  };

  let hasContent = false;
  if (raw.content !== undefined) {
    if (typeof raw.content !== 'string') report('content', 'not a string');
    else {
      hasContent = !isBlank(raw.content);
      checkLength(report, 'content', raw.content, MESSAGE_CONTENT_MAX);
    }
  }

  let embedCount = 0;
  if (raw.embeds !== undefined) {
    if (!Array.isArray(raw.embeds)) report('embeds', 'not an array');
    else {
      const embeds = raw.embeds as unknown[];
      embedCount = embeds.length;
      if (embeds.length > MESSAGE_EMBEDS_MAX) report('embeds', `${embeds.length} embeds (max ${MESSAGE_EMBEDS_MAX})`);
      checkEmbeds(report, embeds);
    }
  }

  let componentCount = 0;
  if (raw.components !== undefined) {
    if (!Array.isArray(raw.components)) report('components', 'not an array');
    else {
      componentCount = raw.components.length;
      checkComponents(report, raw.components as unknown[]);
    }
  }

  if (!hasContent && embedCount === 0 && componentCount === 0) {
    report('body', 'empty message: no content, embeds or components');
  }
  if (raw.allowed_mentions !== undefined) checkAllowedMentions(report, raw.allowed_mentions);
  if (raw.nonce !== undefined) {
    if (typeof raw.nonce === 'string') checkLength(report, 'nonce', raw.nonce, MESSAGE_NONCE_MAX);
    else if (typeof raw.nonce !== 'number' || !Number.isSafeInteger(raw.nonce)) {
      report('nonce', 'must be a string or an integer');
    }
  }
  return problems;
}

/** Problems with a thread name: 1 to 100 code points after trimming, one line. */
export function validateThreadName(name: string): string[] {
  const problems: string[] = [];
  if (isBlank(name)) problems.push('name: empty');
  if (discordLength(name) > THREAD_NAME_MAX) {
    problems.push(`name: ${discordLength(name)} code points (max ${THREAD_NAME_MAX})`);
  }
  if (/[\r\n\u2028\u2029]/u.test(name)) problems.push('name: contains a line break');
  return problems;
}

type Report = (path: string, message: string) => void;

function checkEmbeds(report: Report, embeds: readonly unknown[]): void {
  let total = 0;
  const urls = new Map<string, number>();
  embeds.forEach((embed, index) => {
    const path = `embeds[${index}]`;
    if (!isRecord(embed)) {
      report(path, 'not an object');
      return;
    }
    checkEmbed(report, path, embed);
    total += embedTextLength(embed);
    if (typeof embed.url === 'string') {
      const first = urls.get(embed.url);
      if (first === undefined) urls.set(embed.url, index);
      else report(`${path}.url`, `same url as embeds[${first}]: Discord would merge them into one`);
    }
  });
  if (total > MESSAGE_EMBEDS_TOTAL_MAX) {
    report(
      'embeds',
      `${total} code points in titles, descriptions, fields, footers and authors (max ${MESSAGE_EMBEDS_TOTAL_MAX})`,
    );
  }
}

function checkEmbed(report: Report, path: string, embed: Record<string, unknown>): void {
  const title = optionalString(report, `${path}.title`, embed.title);
  const description = optionalString(report, `${path}.description`, embed.description);
  if (title !== undefined) checkLength(report, `${path}.title`, title, EMBED_TITLE_MAX);
  if (description !== undefined) {
    checkLength(report, `${path}.description`, description, EMBED_DESCRIPTION_MAX);
    checkMarkdownLinks(report, `${path}.description`, description);
  }
  if ((title === undefined || isBlank(title)) && (description === undefined || isBlank(description))) {
    report(path, 'neither a title nor a description');
  }
  checkUrl(report, `${path}.url`, embed.url, false);
  if (embed.timestamp !== undefined) {
    if (typeof embed.timestamp !== 'string' || Number.isNaN(Date.parse(embed.timestamp))) {
      report(`${path}.timestamp`, 'not an ISO 8601 timestamp');
    }
  }
  if (embed.color !== undefined) {
    if (
      typeof embed.color !== 'number' ||
      !Number.isInteger(embed.color) ||
      embed.color < 0 ||
      embed.color > EMBED_COLOR_MAX
    ) {
      report(`${path}.color`, `not an integer from 0 to ${EMBED_COLOR_MAX}`);
    }
  }
  if (embed.footer !== undefined) {
    checkNamed(report, `${path}.footer`, embed.footer, 'text', EMBED_FOOTER_TEXT_MAX);
    if (isRecord(embed.footer)) checkUrl(report, `${path}.footer.icon_url`, embed.footer.icon_url, false);
  }
  if (embed.author !== undefined) {
    checkNamed(report, `${path}.author`, embed.author, 'name', EMBED_AUTHOR_NAME_MAX);
    if (isRecord(embed.author)) {
      checkUrl(report, `${path}.author.url`, embed.author.url, false);
      checkUrl(report, `${path}.author.icon_url`, embed.author.icon_url, false);
    }
  }
  for (const media of ['thumbnail', 'image'] as const) {
    const value = embed[media];
    if (value === undefined) continue;
    if (!isRecord(value)) report(`${path}.${media}`, 'not an object');
    else checkUrl(report, `${path}.${media}.url`, value.url, true);
  }
  if (embed.fields !== undefined) checkFields(report, `${path}.fields`, embed.fields);
}

function checkFields(report: Report, path: string, fields: unknown): void {
  if (!Array.isArray(fields)) {
    report(path, 'not an array');
    return;
  }
  if (fields.length > EMBED_FIELDS_MAX) report(path, `${fields.length} fields (max ${EMBED_FIELDS_MAX})`);
  (fields as unknown[]).forEach((field, index) => {
    const fieldPath = `${path}[${index}]`;
    if (!isRecord(field)) {
      report(fieldPath, 'not an object');
      return;
    }
    checkRequiredText(report, `${fieldPath}.name`, field.name, EMBED_FIELD_NAME_MAX);
    checkRequiredText(report, `${fieldPath}.value`, field.value, EMBED_FIELD_VALUE_MAX);
    if (typeof field.value === 'string') checkMarkdownLinks(report, `${fieldPath}.value`, field.value);
    if (field.inline !== undefined && typeof field.inline !== 'boolean') report(`${fieldPath}.inline`, 'not a boolean');
  });
}

function checkComponents(report: Report, rows: readonly unknown[]): void {
  if (rows.length > ACTION_ROWS_MAX) report('components', `${rows.length} rows (max ${ACTION_ROWS_MAX})`);
  const customIds = new Map<string, string>();
  const checkCustomId = (path: string, value: unknown): void => {
    if (!checkRequiredText(report, path, value, CUSTOM_ID_MAX) || typeof value !== 'string') return;
    const first = customIds.get(value);
    if (first === undefined) customIds.set(value, path);
    else report(path, `same custom_id as ${first}`);
  };
  rows.forEach((row, rowIndex) => {
    const rowPath = `components[${rowIndex}]`;
    if (!isRecord(row) || row.type !== COMPONENT_ACTION_ROW || !Array.isArray(row.components)) {
      report(rowPath, 'not an action row (type 1 with components)');
      return;
    }
    const children = row.components as unknown[];
    const types = children.map((child) => (isRecord(child) ? child.type : undefined));
    const buttons = types.filter((type) => type === COMPONENT_BUTTON).length;
    if (children.length === 0) report(rowPath, 'empty action row');
    else if (buttons === children.length) {
      if (buttons > ACTION_ROW_BUTTONS_MAX) report(rowPath, `${buttons} buttons (max ${ACTION_ROW_BUTTONS_MAX})`);
    } else if (children.length !== 1) report(rowPath, 'a select menu must be alone in its row');
    children.forEach((child, index) => {
      const path = `${rowPath}.components[${index}]`;
      if (!isRecord(child)) report(path, 'not an object');
      else if (child.type === COMPONENT_BUTTON) checkButton(report, path, child, checkCustomId);
      else if (child.type === COMPONENT_STRING_SELECT || COMPONENT_AUTO_SELECTS.has(child.type as number)) {
        checkSelect(report, path, child, checkCustomId);
      } else report(path, `unsupported component type ${String(child.type)}`);
    });
  });
}

function checkButton(
  report: Report,
  path: string,
  button: Record<string, unknown>,
  checkCustomId: (path: string, value: unknown) => void,
): void {
  if (button.label !== undefined) checkRequiredText(report, `${path}.label`, button.label, BUTTON_LABEL_MAX);
  if (button.style === BUTTON_STYLE_LINK) {
    if (button.custom_id !== undefined) report(`${path}.custom_id`, 'a link button has no custom_id');
    checkUrl(report, `${path}.url`, button.url, true, BUTTON_URL_MAX);
  } else if (button.style !== BUTTON_STYLE_PREMIUM) {
    if (button.url !== undefined) report(`${path}.url`, 'only link buttons have a url');
    checkCustomId(`${path}.custom_id`, button.custom_id);
  }
  if (button.style !== BUTTON_STYLE_PREMIUM && button.label === undefined && button.emoji === undefined) {
    report(path, 'a button needs a label or an emoji');
  }
}

function checkSelect(
  report: Report,
  path: string,
  select: Record<string, unknown>,
  checkCustomId: (path: string, value: unknown) => void,
): void {
  checkCustomId(`${path}.custom_id`, select.custom_id);
  if (select.placeholder !== undefined) {
    checkRequiredText(report, `${path}.placeholder`, select.placeholder, SELECT_PLACEHOLDER_MAX);
  }
  for (const key of ['min_values', 'max_values'] as const) {
    const value = select[key];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > SELECT_VALUES_MAX)
    ) {
      report(`${path}.${key}`, `not an integer from 0 to ${SELECT_VALUES_MAX}`);
    }
  }
  if (select.type !== COMPONENT_STRING_SELECT) return;
  if (!Array.isArray(select.options)) {
    report(`${path}.options`, 'a string select needs options');
    return;
  }
  const options = select.options as unknown[];
  if (options.length === 0 || options.length > SELECT_OPTIONS_MAX) {
    report(`${path}.options`, `${options.length} options (1 to ${SELECT_OPTIONS_MAX})`);
  }
  const values = new Set<unknown>();
  options.forEach((option, index) => {
    const optionPath = `${path}.options[${index}]`;
    if (!isRecord(option)) {
      report(optionPath, 'not an object');
      return;
    }
    checkRequiredText(report, `${optionPath}.label`, option.label, SELECT_OPTION_LABEL_MAX);
    checkRequiredText(report, `${optionPath}.value`, option.value, SELECT_OPTION_VALUE_MAX);
    if (option.description !== undefined) {
      checkRequiredText(report, `${optionPath}.description`, option.description, SELECT_OPTION_DESCRIPTION_MAX);
    }
    if (values.has(option.value)) report(`${optionPath}.value`, 'same value as an earlier option');
    values.add(option.value);
  });
}

function checkAllowedMentions(report: Report, mentions: unknown): void {
  const ok =
    isRecord(mentions) &&
    Array.isArray(mentions.parse) &&
    mentions.parse.length === 0 &&
    isEmptyOrAbsent(mentions.users) &&
    isEmptyOrAbsent(mentions.roles) &&
    mentions.replied_user !== true;
  if (!ok) report('allowed_mentions', 'must be { parse: [] }: paper text is untrusted, nothing may ping');
}

function isEmptyOrAbsent(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

function checkNamed(report: Report, path: string, value: unknown, key: string, max: number): void {
  if (!isRecord(value)) report(path, 'not an object');
  else checkRequiredText(report, `${path}.${key}`, value[key], max);
}

/** A string that must be non-blank and within `max`; true when it is a string at all. */
function checkRequiredText(report: Report, path: string, value: unknown, max: number): boolean {
  if (typeof value !== 'string') {
    report(path, 'missing or not a string');
    return false;
  }
  if (isBlank(value)) report(path, 'empty');
  checkLength(report, path, value, max);
  return true;
}

function optionalString(report: Report, path: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  report(path, 'not a string');
  return undefined;
}

function checkLength(report: Report, path: string, text: string, max: number): void {
  const length = discordLength(text);
  if (length > max) report(path, `${length} code points (max ${max})`);
}

function checkUrl(report: Report, path: string, value: unknown, required: boolean, max = URL_MAX): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || !isHttpUrl(value, max)) {
    report(path, `not an http(s) URL of at most ${max} characters`);
  }
}

function checkMarkdownLinks(report: Report, path: string, text: string): void {
  for (const match of text.matchAll(MARKDOWN_LINK_TARGET)) {
    const target = match[1] ?? '';
    if (!isHttpUrl(target))
      report(path, `markdown link to something other than an http(s) URL: ${target.slice(0, 80)}`);
  }
}

function textLength(value: unknown): number {
  return typeof value === 'string' ? discordLength(value) : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
