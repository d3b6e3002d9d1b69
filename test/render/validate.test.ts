import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  StringSelectMenuBuilder,
  type APIEmbed,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  EMBED_AUTHOR_NAME_MAX,
  EMBED_DESCRIPTION_MAX,
  EMBED_FIELD_NAME_MAX,
  EMBED_FIELD_VALUE_MAX,
  EMBED_FOOTER_TEXT_MAX,
  EMBED_TITLE_MAX,
  MESSAGE_CONTENT_MAX,
  MESSAGE_EMBEDS_TOTAL_MAX,
} from '../../src/render/limits.js';
import { discordLength, validateMessage, validateThreadName, type MessageBody } from '../../src/render/validate.js';

const NO_MENTIONS = { parse: [] } as const;
const EMOJI = '😀'; // one code point, two UTF-16 units

function text(length: number, unit = 'a'): string {
  return unit.repeat(length);
}

function body(embeds: APIEmbed[], extra: Partial<MessageBody> = {}): MessageBody {
  return { embeds, allowed_mentions: NO_MENTIONS, ...extra };
}

describe('validateMessage: valid bodies', () => {
  it.each<[string, MessageBody]>([
    ['content only', { content: 'hello', allowed_mentions: NO_MENTIONS }],
    ['2000 code points of emoji content (4000 UTF-16 units)', { content: text(MESSAGE_CONTENT_MAX, EMOJI) }],
    ['a 256 code point title with white space around it (trimmed)', body([{ title: `  ${text(256)}\n` }])],
    ['exactly 6000 code points over 10 embeds', body(Array.from({ length: 10 }, () => ({ description: text(600) })))],
    ['a nonce of 25 characters', { content: 'x', nonce: text(25), enforce_nonce: true }],
    ['a numeric nonce', { content: 'x', nonce: 123456789 }],
  ])('GIVEN %s THEN there are no problems', (_name, message) => {
    expect(validateMessage(message)).toEqual([]);
  });

  it("GIVEN what discord.js's builders produce THEN it is valid", () => {
    const embed = new EmbedBuilder()
      .setTitle('A paper')
      .setURL('https://huggingface.co/papers/2608.19880')
      .setDescription('TL;DR')
      .setAuthor({ name: 'Google', url: 'https://huggingface.co/google' })
      .setThumbnail('https://cdn-thumbnails.huggingface.co/x.png')
      .addFields({ name: 'Upvotes', value: '163', inline: true })
      .setFooter({ text: 'footer' })
      .setTimestamp(new Date('2026-08-21T00:00:00.000Z'))
      .setColor(0xffd21e)
      .toJSON();
    const buttons = new ActionRowBuilder<ButtonBuilder>()
      .addComponents(
        new ButtonBuilder().setCustomId('page:prev').setLabel('Prev').setStyle(ButtonStyle.Secondary),
        new ButtonBuilder().setCustomId('page:next').setLabel('Next').setStyle(ButtonStyle.Secondary),
        new ButtonBuilder().setURL('https://arxiv.org/abs/2608.19880').setLabel('arXiv').setStyle(ButtonStyle.Link),
      )
      .toJSON();
    const select = new ActionRowBuilder<StringSelectMenuBuilder>()
      .addComponents(
        new StringSelectMenuBuilder()
          .setCustomId('open')
          .setPlaceholder('Open a paper')
          .addOptions({ label: 'EnvHarness', value: '2608.19880', description: 'Awakening static worlds' }),
      )
      .toJSON();
    const message: RESTPostAPIChannelMessageJSONBody = {
      embeds: [embed],
      components: [buttons, select],
      allowed_mentions: { parse: [] },
    };
    expect(validateMessage(message)).toEqual([]);
  });

  it("GIVEN discord.js's REST body type THEN it is accepted by the validator's parameter type", () => {
    expectTypeOf<RESTPostAPIChannelMessageJSONBody>().toExtend<MessageBody>();
  });
});

describe('validateMessage: invalid bodies', () => {
  const row = (components: unknown[]): unknown => ({ type: 1, components });
  const button = (id: string, label = 'Go'): unknown => ({ type: 2, style: 1, custom_id: id, label });
  it.each<[string, MessageBody, string]>([
    ['an empty body', {}, 'body: empty message'],
    ['blank content only', { content: ' \n ' }, 'body: empty message'],
    ['2001 code points of content', { content: text(2001, EMOJI) }, 'content: 2001 code points (max 2000)'],
    [
      '11 embeds',
      body(Array.from({ length: 11 }, (_, index) => ({ title: `t${index}` }))),
      'embeds: 11 embeds (max 10)',
    ],
    ['a 257 code point title', body([{ title: text(257, EMOJI) }]), 'embeds[0].title: 257 code points (max 256)'],
    ['a 4097 code point description', body([{ description: text(4097) }]), 'embeds[0].description: 4097 code points'],
    [
      '26 fields',
      body([{ title: 't', fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }]),
      'embeds[0].fields: 26 fields (max 25)',
    ],
    [
      'a 257 code point field name',
      body([{ title: 't', fields: [{ name: text(257), value: 'v' }] }]),
      'embeds[0].fields[0].name: 257 code points',
    ],
    [
      'a 1025 code point field value',
      body([{ title: 't', fields: [{ name: 'n', value: text(1025) }] }]),
      'embeds[0].fields[0].value: 1025 code points',
    ],
    [
      'an empty field value',
      body([{ title: 't', fields: [{ name: 'n', value: ' ' }] }]),
      'embeds[0].fields[0].value: empty',
    ],
    [
      'a 2049 code point footer',
      body([{ title: 't', footer: { text: text(2049) } }]),
      'embeds[0].footer.text: 2049 code points',
    ],
    ['an empty footer', body([{ title: 't', footer: { text: '' } }]), 'embeds[0].footer.text: empty'],
    [
      'a 257 code point author name',
      body([{ title: 't', author: { name: text(257) } }]),
      'embeds[0].author.name: 257 code points',
    ],
    [
      '6001 code points over two embeds',
      body([{ description: text(4096) }, { description: text(1905) }]),
      'embeds: 6001 code points',
    ],
    [
      'two embeds with the same url',
      body([
        { title: 'a', url: 'https://a.example/' },
        { title: 'b', url: 'https://a.example/' },
      ]),
      'embeds[1].url: same url as embeds[0]',
    ],
    [
      'an embed with neither title nor description',
      body([{ fields: [{ name: 'n', value: 'v' }] }]),
      'embeds[0]: neither a title nor a description',
    ],
    ['a blank title and no description', body([{ title: '\u3000' }]), 'embeds[0]: neither a title nor a description'],
    ['a javascript: url', body([{ title: 't', url: 'javascript:alert(1)' }]), 'embeds[0].url: not an http(s) URL'],
    [
      'an ftp thumbnail',
      body([{ title: 't', thumbnail: { url: 'ftp://x.example/a.png' } }]),
      'embeds[0].thumbnail.url: not an http(s) URL',
    ],
    [
      'an attachment:// image',
      body([{ title: 't', image: { url: 'attachment://a.png' } }]),
      'embeds[0].image.url: not an http(s) URL',
    ],
    [
      'a 2049 character url',
      body([{ title: 't', url: `https://a.example/${text(2049 - 18)}` }]),
      'embeds[0].url: not an http(s) URL of at most 2048',
    ],
    [
      'a url with white space around it',
      body([{ title: 't', url: ' https://a.example/' }]),
      'embeds[0].url: not an http(s) URL',
    ],
    [
      'a data: author icon',
      body([{ title: 't', author: { name: 'a', icon_url: 'data:image/png;base64,AA' } }]),
      'embeds[0].author.icon_url',
    ],
    [
      'a markdown link to javascript:',
      body([{ description: '[x](javascript:alert(1))' }]),
      'embeds[0].description: markdown link',
    ],
    [
      'a markdown link in a field to data:',
      body([{ title: 't', fields: [{ name: 'n', value: '[x](<data:text/html,hi>)' }] }]),
      'embeds[0].fields[0].value: markdown link',
    ],
    ['a colour beyond 24 bits', body([{ title: 't', color: 0x1000000 }]), 'embeds[0].color'],
    ['a bad timestamp', body([{ title: 't', timestamp: 'yesterday' }]), 'embeds[0].timestamp'],
    [
      'allowed_mentions parsing everyone',
      { content: 'x', allowed_mentions: { parse: ['everyone'] } },
      'allowed_mentions: must be { parse: [] }',
    ],
    ['allowed_mentions parsing users', { content: 'x', allowed_mentions: { parse: ['users'] } }, 'allowed_mentions'],
    ['allowed_mentions without parse', { content: 'x', allowed_mentions: {} }, 'allowed_mentions'],
    [
      'allowed_mentions naming a role',
      { content: 'x', allowed_mentions: { parse: [], roles: ['1'] } },
      'allowed_mentions',
    ],
    ['a 26 character nonce', { content: 'x', nonce: text(26) }, 'nonce: 26 code points (max 25)'],
    [
      '6 action rows',
      { components: Array.from({ length: 6 }, (_, index) => row([button(`b${index}`)])) },
      'components: 6 rows (max 5)',
    ],
    [
      '6 buttons in a row',
      { components: [row(Array.from({ length: 6 }, (_, index) => button(`b${index}`)))] },
      'components[0]: 6 buttons (max 5)',
    ],
    [
      'an 81 code point button label',
      { components: [row([button('b', text(81))])] },
      'components[0].components[0].label: 81 code points (max 80)',
    ],
    [
      'a 101 character custom_id',
      { components: [row([button(text(101))])] },
      'components[0].components[0].custom_id: 101 code points (max 100)',
    ],
    ['an empty custom_id', { components: [row([button('')])] }, 'components[0].components[0].custom_id: empty'],
    [
      'a repeated custom_id',
      { components: [row([button('same'), button('same')])] },
      'components[0].components[1].custom_id: same custom_id',
    ],
    [
      'a link button to javascript:',
      { components: [row([{ type: 2, style: 5, label: 'x', url: 'javascript:alert(1)' }])] },
      'components[0].components[0].url',
    ],
    [
      'a select with 26 options',
      {
        components: [
          row([
            {
              type: 3,
              custom_id: 's',
              options: Array.from({ length: 26 }, (_, index) => ({ label: `o${index}`, value: `v${index}` })),
            },
          ]),
        ],
      },
      'components[0].components[0].options: 26 options',
    ],
    [
      'a 101 code point option label',
      { components: [row([{ type: 3, custom_id: 's', options: [{ label: text(101), value: 'v' }] }])] },
      'components[0].components[0].options[0].label: 101 code points',
    ],
    [
      'a 101 code point option description',
      {
        components: [row([{ type: 3, custom_id: 's', options: [{ label: 'l', value: 'v', description: text(101) }] }])],
      },
      'components[0].components[0].options[0].description: 101 code points',
    ],
    [
      'a select beside a button',
      { components: [row([button('b'), { type: 3, custom_id: 's', options: [{ label: 'l', value: 'v' }] }])] },
      'components[0]: a select menu must be alone',
    ],
    ['a component that is not an action row', { components: [button('b')] }, 'components[0]: not an action row'],
  ])('GIVEN %s THEN it is reported', (_name, message, expected) => {
    const problems = validateMessage(message);
    expect(
      problems.some((problem) => problem.startsWith(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('GIVEN junk instead of a body THEN it reports instead of throwing', () => {
    expect(validateMessage(null as unknown as MessageBody)).toEqual(['body: not an object']);
    expect(validateMessage({ embeds: [null, 3, 'x'] } as unknown as MessageBody).length).toBeGreaterThan(0);
    expect(validateMessage({ embeds: [{ title: 5 }] } as unknown as MessageBody)).toContain(
      'embeds[0].title: not a string',
    );
  });
});

describe('validateMessage catches oversize messages (property)', () => {
  const unit = fc.constantFrom('a', EMOJI, '👨‍👩‍👧', 'é', 'ש');

  it('GIVEN embeds holding T code points together THEN the body is valid exactly when T <= 6000', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12_000 }),
        unit,
        fc.integer({ min: 0, max: 9 }),
        (total, char, extraEmbeds) => {
          // Spread T over as few descriptions as fit (4096 each), plus some embeds holding only a 1 code point title
          // taken from T too, so the total is exact however it is split.
          const titles = Math.min(extraEmbeds, total - 1);
          let rest = total - titles;
          const embeds: APIEmbed[] = [];
          while (rest > 0) {
            const size = Math.min(rest, EMBED_DESCRIPTION_MAX);
            embeds.push({ description: fill(size, char) });
            rest -= size;
          }
          for (let index = 0; index < titles; index += 1)
            embeds.push({ title: 'x', url: `https://e.example/${index}` });
          fc.pre(embeds.length <= 10);
          const problems = validateMessage(body(embeds));
          expect(problems.length === 0).toBe(total <= MESSAGE_EMBEDS_TOTAL_MAX);
        },
      ),
      { numRuns: 1000 },
    );
  });

  const limits: [string, number, (value: string) => MessageBody][] = [
    ['content', MESSAGE_CONTENT_MAX, (value) => ({ content: value })],
    ['title', EMBED_TITLE_MAX, (value) => body([{ title: value }])],
    ['description', EMBED_DESCRIPTION_MAX, (value) => body([{ description: value }])],
    ['field name', EMBED_FIELD_NAME_MAX, (value) => body([{ title: 't', fields: [{ name: value, value: 'v' }] }])],
    ['field value', EMBED_FIELD_VALUE_MAX, (value) => body([{ title: 't', fields: [{ name: 'n', value }] }])],
    ['footer text', EMBED_FOOTER_TEXT_MAX, (value) => body([{ title: 't', footer: { text: value } }])],
    ['author name', EMBED_AUTHOR_NAME_MAX, (value) => body([{ title: 't', author: { name: value } }])],
  ];

  it.each(limits)(
    'GIVEN a %s of L code points (padded with white space) THEN it is valid exactly when L <= %i',
    (_name, max, build) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: max + 50 }),
          unit,
          fc.constantFrom('', ' ', '\n\t', '\u3000'),
          (length, char, padding) => {
            const value = `${padding}${fill(length, char)}${padding}`;
            expect(validateMessage(build(value)).length === 0).toBe(length <= max);
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});

describe('discordLength and validateThreadName', () => {
  it.each([
    ['ascii', 'abc', 3],
    ['astral emoji count once', '😀😀', 2],
    ['a ZWJ sequence counts each code point', '👨‍👩‍👧', 5],
    ['surrounding white space is not counted', ' \n abc \t', 3],
    ['a BOM is not trimmed (Discord may count it)', '\ufeffabc', 4],
  ])('GIVEN %s THEN the length is %i', (_name, value, expected) => {
    expect(discordLength(value)).toBe(expected);
  });

  it.each([
    ['a normal name', 'EnvHarness', []],
    ['an empty name', '  ', ['name: empty']],
    ['101 code points', text(101), ['name: 101 code points (max 100)']],
    ['a newline', 'a\nb', ['name: contains a line break']],
  ])('GIVEN %s THEN the problems are %j', (_name, name, expected) => {
    expect(validateThreadName(name)).toEqual(expected);
  });
});

/** `length` code points made of `char`'s code points (a multi-code-point char is cut to fit). */
function fill(length: number, char: string): string {
  const points = Array.from(char);
  return Array.from({ length }, (_, index) => points[index % points.length] ?? 'a').join('');
}
