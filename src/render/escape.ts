import { codePointLength } from '../delivery/text.js';
import { normalizeWhitespace } from '../papers/paper.js';

/**
 * Untrusted text (titles, abstracts, author names, keywords, topics) made inert for Discord.
 *
 * Markdown: every character that can start or close formatting is backslash-escaped wherever it appears
 * (`\ * _ ~ \` | [ ] < >`), line-start syntax (`#` headings, `-#` subtext, `-`/`+` lists, `>` quotes, `1.` lists) is
 * escaped at the start of the text (the text is one line after cleaning, and renderers put it at line starts),
 * `://` becomes `\://` so bare URLs do not autolink, and `@everyone`/`@here` get a zero-width space after the `@`.
 * Escaping every such character (instead of pairing delimiters like discord.js's `escapeMarkdown`) means any prefix
 * of the output is still inert, so truncation can never re-enable formatting; truncation only has to keep each
 * backslash with the character it escapes, and it also keeps grapheme clusters whole.
 */

export const ELLIPSIS = '…';
const ZERO_WIDTH_SPACE = '\u200b';

// C0 and C1 control characters (ESC included), and the bidi embedding, override and isolate controls, which would
// let paper text reorder the text around it. Right-to-left letters themselves are kept.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escaped wherever they appear: they open or close bold, italics, underline, strike, code, spoilers, quotes, masked
 * links and mentions (`<@id>`, `<#id>`, `</cmd:id>`, `<t:…>`, `<:emoji:id>`). `://` gets an escaped colon (no autolink)
 * and `@everyone`/`@here` a zero-width space after the `@`.
 */
const INLINE_MARKDOWN = /[\\*_~`|[\]<>]|:(?=\/\/)|@(?=everyone|here)/giu;
/** Headings, subtext (`-#`), bulleted lists (`>` quotes are escaped everywhere already). */
const LINE_START = /^[#+-]/u;
/** "1. " at the start of a line is a numbered list. */
const NUMBERED_LIST = /^(\d+)\./u;
const MASS_MENTION = /@(?=everyone|here)/giu;
/** Any letter, digit, punctuation or symbol: a text without one would look empty. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** UTF-16 units the escaper looks ahead ("@everyone" is the longest). */
const LOOK_AHEAD = 16;

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One line of text: lone surrogates replaced, control characters removed, white space collapsed, trimmed. */
export function cleanText(text: string): string {
  return normalizeWhitespace(text.replace(LONE_SURROGATE, '\ufffd').replace(CONTROLS, ' '));
}

/**
 * True when the text shows something: at least one letter, digit, punctuation mark or symbol. Control characters,
 * format characters and lone surrogates do not count, so this holds for raw text exactly when it holds after cleaning
 * (apart from lone surrogates, which cleaning would show as U+FFFD).
 */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}

/** `text` cleaned and escaped for a markdown surface (embed title, description, field name or value); no limit. */
export function escapeMarkdownText(text: string): string {
  return escapeLine(cleanText(text));
}

export interface FitOptions {
  /** Prefer to cut at a space near the end (prose), rather than mid-word. */
  readonly wordBoundary?: boolean;
}

/**
 * `text` cleaned, escaped and cut to at most `max` code points (ending with "…" when cut), for markdown surfaces.
 * The cut falls between grapheme clusters (an emoji ZWJ sequence or a letter with its combining marks stays whole,
 * unless a single cluster is longer than the room) and never separates a backslash from what it escapes.
 */
export function fitMarkdown(text: string, max: number, options: FitOptions = {}): string {
  return fit(text, max, true, options.wordBoundary ?? false);
}

/**
 * `text` cleaned and cut like {@link fitMarkdown}, without markdown escaping: for surfaces Discord shows as plain text
 * (footer text, author name, thread names), where a backslash would show. `@everyone`/`@here` are still defused.
 */
export function fitPlain(text: string, max: number, options: FitOptions = {}): string {
  return fit(text, max, false, options.wordBoundary ?? false);
}

function escapeLine(line: string): string {
  const escaped = line
    .replace(INLINE_MARKDOWN, (match) => (match === '@' ? `@${ZERO_WIDTH_SPACE}` : `\\${match}`))
    .replace(NUMBERED_LIST, '$1\\.');
  return LINE_START.test(escaped) ? `\\${escaped}` : escaped;
}

function defuseMassMentions(line: string): string {
  return line.replace(MASS_MENTION, `@${ZERO_WIDTH_SPACE}`);
}

function fit(text: string, max: number, markdown: boolean, wordBoundary: boolean): string {
  if (max <= 0) return '';
  // Escaping never shrinks text, so the first max + 1 code points of the cleaned text decide the result (a code point
  // is at most two UTF-16 units; the margin covers the look-ahead for "://" and "@everyone"). Cleaning is local, so
  // cleaning a generous prefix gives the same start as cleaning everything, unless white space collapses so much that
  // the prefix comes out short. This keeps a 50,000-character abstract as cheap as a short one.
  const need = 2 * (max + 1) + LOOK_AHEAD;
  let complete = text.length <= 4 * need;
  let cleaned = cleanText(complete ? text : text.slice(0, 4 * need));
  if (!complete && cleaned.length < need) {
    cleaned = cleanText(text);
    complete = true;
  }
  if (cleaned.length > need) complete = false;
  const head = complete ? cleaned : cleaned.slice(0, need);
  const escaped = markdown ? escapeLine(head) : defuseMassMentions(head);
  if (complete && codePointLength(escaped) <= max) return escaped;

  const room = max - codePointLength(ELLIPSIS);
  let cut = lastUnitBoundary(escaped, markdown, room, Number.POSITIVE_INFINITY);
  // Back to the start of a grapheme cluster the cut would split (an emoji ZWJ sequence, a letter and its combining
  // marks), unless that cluster starts the text: then it is cut inside, which beats showing nothing.
  const cluster = GRAPHEMES.segment(escaped).containing(cut);
  if (cluster !== undefined && cluster.index < cut && cluster.index > 0) {
    cut = lastUnitBoundary(escaped, markdown, room, cluster.index);
  }
  if (wordBoundary) {
    // A space is never inside a unit (escapes precede punctuation only), so cutting before one is always safe.
    const space = escaped.lastIndexOf(' ', cut);
    if (space > cut * 0.75) cut = space;
  }
  return `${escaped.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * The end (a UTF-16 index) of the longest prefix of `escaped` that holds at most `room` code points, ends at or
 * before `limit`, and splits no unit: a backslash with the character it escapes (in markdown, where every backslash
 * starts an escape), `@` with its zero-width space, a surrogate pair.
 */
function lastUnitBoundary(escaped: string, markdown: boolean, room: number, limit: number): number {
  let index = 0;
  let points = 0;
  while (index < escaped.length) {
    const code = escaped.charCodeAt(index);
    let units = 1;
    let size = 1;
    if (
      (markdown && code === BACKSLASH) ||
      (code === AT_SIGN && escaped.charCodeAt(index + 1) === ZERO_WIDTH_SPACE_CODE)
    ) {
      units = 2; // escaped characters are ASCII punctuation, and the zero-width space is one unit too
      size = 2;
    } else if (isHighSurrogate(code) && isLowSurrogate(escaped.charCodeAt(index + 1))) {
      units = 2;
    }
    if (points + size > room || index + units > limit) break;
    points += size;
    index += units;
  }
  return index;
}

const BACKSLASH = 0x5c;
const AT_SIGN = 0x40;
const ZERO_WIDTH_SPACE_CODE = 0x200b;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
