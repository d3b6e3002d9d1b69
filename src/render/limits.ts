/**
 * Discord's message limits (see docs/discord-limits.md). Lengths are in Unicode code points, counted after Discord
 * trims leading and trailing white space.
 */

/** Message `content`. */
export const MESSAGE_CONTENT_MAX = 2000;
/** Embeds in one message. */
export const MESSAGE_EMBEDS_MAX = 10;
/** title + description + field names and values + footer text + author name, summed over ALL embeds of a message. */
export const MESSAGE_EMBEDS_TOTAL_MAX = 6000;
/** `nonce` as a string; with `enforce_nonce` a repeat returns the already-created message. */
export const MESSAGE_NONCE_MAX = 25;

export const EMBED_TITLE_MAX = 256;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_FIELDS_MAX = 25;
export const EMBED_FIELD_NAME_MAX = 256;
export const EMBED_FIELD_VALUE_MAX = 1024;
export const EMBED_FOOTER_TEXT_MAX = 2048;
export const EMBED_AUTHOR_NAME_MAX = 256;
/** Embed colours are 24-bit RGB integers. */
export const EMBED_COLOR_MAX = 0xffffff;

/**
 * A safe bound for every URL we emit (embed url, thumbnail, author/footer icons, markdown link targets).
 * Discord does not document one number for all of them; 2048 is what browsers and proxies reliably accept.
 */
export const URL_MAX = 2048;

export const ACTION_ROWS_MAX = 5;
export const ACTION_ROW_BUTTONS_MAX = 5;
export const BUTTON_LABEL_MAX = 80;
/** Link buttons: Discord's own limit on their `url`. */
export const BUTTON_URL_MAX = 512;
/** `custom_id` of buttons and select menus: 1 to 100 characters, unique within a message. */
export const CUSTOM_ID_MAX = 100;
export const SELECT_OPTIONS_MAX = 25;
export const SELECT_OPTION_LABEL_MAX = 100;
export const SELECT_OPTION_VALUE_MAX = 100;
export const SELECT_OPTION_DESCRIPTION_MAX = 100;
export const SELECT_PLACEHOLDER_MAX = 150;
/** `min_values` / `max_values` of a select menu. */
export const SELECT_VALUES_MAX = 25;

/** Thread names: 1 to 100 characters. */
export const THREAD_NAME_MAX = 100;
