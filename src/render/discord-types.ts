/**
 * The Discord JSON types the renderer produces. Type-only: nothing here loads discord.js at run time, so rendering
 * stays a pure function of paper data. The lint boundary ("only src/discord/ and the sender talk to Discord") is about
 * talking to Discord; describing the shape of a message body is not that, hence the one exception below.
 */
// eslint-disable-next-line no-restricted-imports -- type-only re-export of Discord's JSON shapes, see above.
export type { APIEmbed, APIEmbedField } from 'discord.js';
