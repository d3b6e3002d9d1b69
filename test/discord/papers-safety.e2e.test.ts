import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_APOLOGY } from '../../src/discord/dispatcher.js';
import type { BotHandle } from '../../src/main.js';
import type { Paper } from '../../src/papers/paper.js';
import type { Db } from '../../src/store/database.js';
import { createPaperStore } from '../../src/store/paper-store.js';
import { startHarness } from '../support/bot-harness.js';
import {
  type CommandOptionInput,
  type FakeDiscord,
  type FakeMessage,
  type InjectedInteraction,
  type JsonRecord,
  type MemberInput,
} from '../support/fake-discord/index.js';
import type { FakeHf } from '../support/fake-hf.js';
import { listed, makePaper } from '../support/papers.js';
import {
  answerOf,
  buttonOf,
  idsOn,
  integer,
  isEphemeral,
  papersAutocomplete,
  selectOf,
  text,
} from '../support/components.js';

/*
 * /papers end to end without the corpus: an empty store, a small hand-made store, syntax errors, mention safety,
 * and "no interaction goes unanswered" as properties. The real bot (startBot) against the fake Discord and HF.
 */

const MONDAY_NOON = '2026-08-24T12:00:00.000Z';
const NO_PINGS = { everyone: false, roles: [], users: [] };
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

// ---- a bot over a seeded store ------------------------------------------------------------------------

interface RunningBot {
  readonly discord: FakeDiscord;
  readonly hf: FakeHf;
  readonly handle: BotHandle;
  setNow(iso: string): void;
  close(): Promise<void>;
}

async function startBotOver(seed: (db: Db) => void, now: string): Promise<RunningBot> {
  const harness = await startHarness(now, { seed });
  return {
    discord: harness.discord,
    hf: harness.hf,
    handle: harness.bot,
    setNow: (iso) => {
      harness.clock.set(iso);
    },
    close: () => harness.close(),
  };
}

// ---- interactions --------------------------------------------------------------------------------------

function papers(
  bot: RunningBot,
  subcommand: string,
  options: readonly CommandOptionInput[] = [],
  member?: MemberInput,
): InjectedInteraction {
  return bot.discord.injectSlashCommand({
    name: 'papers',
    subcommand,
    options,
    ...(member === undefined ? {} : { member }),
  });
}

// ---- the stores ------------------------------------------------------------------------------------------

const MENTION_WORD = 'zyxwvut';
const MENTION_TITLE = `${MENTION_WORD} @everyone meets <@&123456789012345678>`;
const MENTION_ABSTRACT = `We ping <@123456789012345678> and @here from an abstract. ${MENTION_WORD} again.`;

/** Seven papers whose titles and abstracts carry mention syntax: more than one page of results. */
const mentionPapers: Paper[] = Array.from({ length: 7 }, (_, index) =>
  makePaper({
    id: `2608.0${String(1001 + index)}`,
    title: `${MENTION_TITLE} part ${String(index + 1)}`,
    abstract: MENTION_ABSTRACT,
    authors: ['@everyone', '<@123456789012345678>'],
    upvotes: 10 * (index + 1),
  }),
);

const LONG_TITLE =
  'A remarkably long paper title about sparse mixture of experts routing, written to exceed the hundred code points that autocomplete allows for names';
const longTitlePaper = makePaper({ id: '2608.02001', title: LONG_TITLE, upvotes: 3 });

const fillers: Paper[] = [
  'diffusion video generation',
  'state space models',
  'reinforcement learning from feedback',
].map((topic, index) => makePaper({ id: `2608.0300${String(index)}`, title: `On ${topic}`, upvotes: 5 + index }));

/** A title that is no valid query as it stands ("--", a field-like "Gadget:", quotes). */
const ODD_TITLE = 'Gadget:Widgets -- A Benchmark for "Quoted" Things';
const oddTitlePaper = makePaper({ id: '2608.04001', title: ODD_TITLE, upvotes: 4 });

function seedSmallStore(db: Db): void {
  const store = createPaperStore(db);
  const now = new Date('2026-08-21T12:00:00.000Z');
  store.upsertListed(
    mentionPapers.map((paper) => listed('2026-08-21', paper)),
    now,
  );
  store.upsertListed(
    [longTitlePaper, oddTitlePaper, ...fillers].map((paper) => listed('2026-08-20', paper)),
    now,
  );
}

// ---- the tests -------------------------------------------------------------------------------------------

describe('/papers over an empty store', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBotOver(() => undefined, MONDAY_NOON);
  });
  afterAll(async () => {
    await bot.close();
  });

  const cases: {
    readonly name: string;
    readonly subcommand: string;
    readonly options?: readonly CommandOptionInput[];
    readonly expected: RegExp;
  }[] = [
    {
      name: 'search',
      subcommand: 'search',
      options: [text('query', 'diffusion')],
      expected: /^Nothing matched `diffusion`/,
    },
    { name: 'day (latest)', subcommand: 'day', expected: /No list is stored yet/ },
    {
      name: 'day today',
      subcommand: 'day',
      options: [text('date', 'today')],
      expected: /No papers are stored for 2026-08-24/,
    },
    { name: 'top week', subcommand: 'top', expected: /No papers are stored for this week yet/ },
    {
      name: 'top month',
      subcommand: 'top',
      options: [text('period', 'month')],
      expected: /No papers are stored for this month yet \(since 2026-08-01\)/,
    },
    {
      name: 'show by id',
      subcommand: 'show',
      options: [text('paper', '2405.12345')],
      expected: /I have not seen 2405\.12345/,
    },
    {
      name: 'show by title',
      subcommand: 'show',
      options: [text('paper', 'Attention is all you need')],
      expected: /I could not find a paper titled `Attention is all you need`/,
    },
    { name: 'status', subcommand: 'status', expected: /Papers stored: 0\./ },
  ];

  it.each(cases)(
    'GIVEN an empty store WHEN /papers $name THEN a friendly answer',
    async ({ subcommand, options, expected }) => {
      const { message } = await answerOf(papers(bot, subcommand, options));
      expect(message.content).toMatch(expected);
      expect(message.content).not.toBe(GENERIC_APOLOGY);
      expect(message.embeds).toEqual([]);
    },
  );

  it('GIVEN an empty store THEN the errors are ephemeral and status says nothing was fetched yet', async () => {
    const day = await answerOf(papers(bot, 'day'));
    expect(day.type).toBe(4);
    expect(isEphemeral(day.message)).toBe(true);
    const status = await answerOf(papers(bot, 'status'));
    expect(status.message.content).toContain('Last successful fetch: none yet.');
    expect(status.message.content).toContain('No subscription.');
    expect(isEphemeral(status.message)).toBe(true);
  });

  it('GIVEN an empty store THEN autocomplete offers only what was typed (query) and nothing (show)', async () => {
    expect(await papersAutocomplete(bot.discord, 'search', 'query', 'diffu')).toEqual([
      { name: 'diffu', value: 'diffu' },
    ]);
    expect(await papersAutocomplete(bot.discord, 'search', 'query', '')).toEqual([]);
    expect(await papersAutocomplete(bot.discord, 'show', 'paper', 'diffu')).toEqual([]);
  });
});

describe('/papers over a small hand-made store', () => {
  let bot: RunningBot;
  beforeAll(async () => {
    bot = await startBotOver(seedSmallStore, MONDAY_NOON);
  });
  afterAll(async () => {
    await bot.close();
  });

  const syntaxErrors: { readonly query: string; readonly problem: RegExp }[] = [
    { query: '"state space model', problem: /Unclosed quote starting at position 0/ },
    { query: 'foo:bar', problem: /Unknown field "foo:" at position 0/ },
    { query: '-survey', problem: /cannot be only exclusions/ },
    { query: '-survey -review', problem: /cannot be only exclusions/ },
    { query: '(diffusion OR flow', problem: /Missing "\)" to close the "\(" at position 0/ },
    { query: 'diffusion flow)', problem: /Unexpected "\)" at position 14/ },
    { query: 'diffusion OR', problem: /"OR" at position 10 needs something to search for on both sides/ },
    { query: '🦀 ✨', problem: /no letters or numbers/ },
    { query: 'x'.repeat(301), problem: /limited to 300 characters/ },
  ];

  it.each(syntaxErrors)(
    'GIVEN the query $query WHEN searching THEN an ephemeral reply names the problem',
    async ({ query, problem }) => {
      const before = bot.discord.messages(bot.discord.channel.id).length;
      const { type, message } = await answerOf(papers(bot, 'search', [text('query', query)]));
      expect(type).toBe(4);
      expect(isEphemeral(message)).toBe(true);
      expect(message.content).toMatch(problem);
      expect(message.content).not.toBe(GENERIC_APOLOGY);
      // Nothing public: the channel did not get a message.
      expect(bot.discord.messages(bot.discord.channel.id)).toHaveLength(before);
    },
  );

  const badOptions: {
    readonly name: string;
    readonly options: readonly CommandOptionInput[];
    readonly problem: RegExp;
  }[] = [
    {
      name: 'since in words',
      options: [text('since', 'last week')],
      problem: /"last week" is not a "since" I understand/,
    },
    { name: 'since not a date', options: [text('since', '2026-02-30')], problem: /"2026-02-30" is not a "since"/ },
    // Discord enforces min_value and choices; a stale command definition or a proxy might not.
    { name: 'negative min_upvotes', options: [integer('min_upvotes', -1)], problem: /upvotes/ },
    { name: 'unknown sort', options: [text('sort', 'rating')], problem: /"rating".*relevance, upvotes or newest/ },
  ];

  it.each(badOptions)('GIVEN $name THEN an ephemeral reply names the problem', async ({ options, problem }) => {
    const { type, message } = await answerOf(papers(bot, 'search', [text('query', 'diffusion'), ...options]));
    expect(type).toBe(4);
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toMatch(problem);
  });

  it('GIVEN a day option that is not a date THEN an ephemeral note with the forms it accepts', async () => {
    const { message } = await answerOf(papers(bot, 'day', [text('date', '2026-13-01')]));
    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toContain('use YYYY-MM-DD (like 2026-08-24), today or yesterday');
  });

  it('GIVEN a weekday without a list THEN the note does not blame the weekend; GIVEN a Saturday THEN it does', async () => {
    const wednesday = await answerOf(papers(bot, 'day', [text('date', '2026-08-19')]));
    expect(isEphemeral(wednesday.message)).toBe(true);
    expect(wednesday.message.content).toContain('No papers are stored for 2026-08-19');
    expect(wednesday.message.content).not.toMatch(/weekend/i);
    const saturday = await answerOf(papers(bot, 'day', [text('date', '2026-08-22')]));
    expect(saturday.message.content).toContain('No papers are stored for 2026-08-22');
    expect(saturday.message.content).toMatch(/weekends have no list/i);
  });

  it('GIVEN a title longer than autocomplete shows, typed in full (any case, extra spaces) THEN /papers show finds it', async () => {
    for (const typed of [LONG_TITLE, `  ${LONG_TITLE.toUpperCase().replace(/ /g, '  ')} `]) {
      const { type, message } = await answerOf(papers(bot, 'show', [text('paper', typed)]));
      expect(type).toBe(4);
      expect(isEphemeral(message)).toBe(false);
      expect(message.embeds).toHaveLength(1);
      expect(message.embeds[0]?.url).toBe(`${bot.hf.baseUrl}/papers/${longTitlePaper.id}`);
    }
  });

  it('GIVEN a suggested title that is no valid query, or one cut to 100 characters THEN picking it in query finds the paper', async () => {
    for (const [typed, wanted] of [
      ['gadget', oddTitlePaper],
      ['a remarkably long', longTitlePaper],
    ] as const) {
      const choices = await papersAutocomplete(bot.discord, 'search', 'query', typed);
      expect(choices[0]).toEqual({ name: typed, value: typed });
      const choice = choices.find((candidate) => candidate.value !== typed);
      expect(wanted.title.startsWith(choice?.name.replace(/…$/u, '') ?? '-')).toBe(true);
      const search = papers(bot, 'search', [text('query', choice?.value ?? '')]);
      expect((await search.response()).type).toBe(5);
      const results = await search.reply();
      expect(results.content).toMatch(/^Results for /);
      expect(idsOn(results)[0]).toBe(wanted.id);
    }
  });

  it('GIVEN titles, abstracts and authors with @everyone, role and user mentions WHEN searched, paged, opened, shown THEN nothing is ever parsed', async () => {
    const firstRequest = bot.discord.requests().length;
    const answered: InjectedInteraction[] = [];
    const run = (interaction: InjectedInteraction): InjectedInteraction => {
      answered.push(interaction);
      return interaction;
    };

    // Search, with the mention syntax in the query itself (so it lands in the message content).
    const search = run(papers(bot, 'search', [text('query', `${MENTION_WORD} @everyone <@&123456789012345678>`)]));
    expect((await search.response()).type).toBe(5);
    const page1 = await search.reply();
    expect(page1.content).toContain('@everyone <@&123456789012345678>');
    expect(page1.content).toContain('1–5 of 7');
    expect(idsOn(page1)).toHaveLength(5);

    // Next, then Prev, by the owner; a click by someone else; the select menu.
    const next = run(bot.discord.injectButton({ customId: buttonOf(page1, 'Next').custom_id, messageId: page1.id }));
    expect((await next.response()).type).toBe(7);
    const page2 = await next.reply();
    expect(page2.id).toBe(page1.id);
    expect(page2.content).toContain('6–7 of 7');
    const other = run(
      bot.discord.injectButton({
        customId: buttonOf(page2, 'Prev').custom_id,
        messageId: page2.id,
        member: { user: { id: '223456789012345678', username: 'someone-else' } },
      }),
    );
    const note = await other.reply();
    expect(isEphemeral(note)).toBe(true);
    expect(note.content).toContain(`<@${bot.discord.testUser.id}>`);
    const prev = run(bot.discord.injectButton({ customId: buttonOf(page2, 'Prev').custom_id, messageId: page2.id }));
    expect(idsOn(await prev.reply((message) => message.content.includes('1–5 of 7')))).toEqual(idsOn(page1));
    const open = run(
      bot.discord.injectSelectMenu({
        customId: selectOf(page1).custom_id,
        values: [idsOn(page1)[0] ?? ''],
        messageId: page1.id,
      }),
    );
    const opened = await open.reply();
    expect(isEphemeral(opened)).toBe(true);
    expect(opened.embeds).toHaveLength(1);

    // Show by id, a title that does not exist but carries mentions (echoed in the error), autocomplete.
    const show = run(papers(bot, 'show', [text('paper', mentionPapers[0]?.id ?? '')]));
    expect((await show.reply()).embeds).toHaveLength(1);
    const missing = run(papers(bot, 'show', [text('paper', '@everyone <@123456789012345678> <@&123456789012345678>')]));
    expect((await missing.reply()).content).toContain('@everyone <@123456789012345678> <@&123456789012345678>');
    const suggestions = await papersAutocomplete(bot.discord, 'show', 'paper', MENTION_WORD);
    expect(suggestions.map((choice) => choice.value).sort()).toEqual(mentionPapers.map((paper) => paper.id).sort());

    // Every message-carrying body sent to the fake says: parse nothing, list nobody.
    const bodies = bot.discord
      .requests()
      .slice(firstRequest)
      .flatMap((request): JsonRecord[] => {
        const body = (request.body ?? {}) as JsonRecord;
        if (request.path.endsWith('/callback')) {
          return [4, 7].includes(Number(body.type)) ? [(body.data ?? {}) as JsonRecord] : [];
        }
        const isMessage =
          request.path.startsWith('/webhooks/') ||
          (request.method === 'POST' && /\/channels\/\d+\/messages$/.test(request.path));
        return isMessage && request.method !== 'GET' && request.method !== 'DELETE' ? [body] : [];
      });
    // search edit, 2 updates, 3 ephemeral replies (other, select, missing) and the show reply, at least.
    expect(bodies.length).toBeGreaterThanOrEqual(7);
    for (const body of bodies) {
      const allowed = body.allowed_mentions as { parse?: unknown; users?: unknown[]; roles?: unknown[] } | undefined;
      expect(allowed?.parse).toEqual([]);
      expect(allowed?.users ?? []).toEqual([]);
      expect(allowed?.roles ?? []).toEqual([]);
    }

    // And every message users saw pings nobody, though several carry mention syntax in their content.
    const seen = answered.flatMap((interaction) => {
      const responses = interaction.responses();
      return [...(responses.original === undefined ? [] : [responses.original]), ...responses.followUps];
    });
    const withMentionSyntax = seen.filter((message) => /@everyone|<@&?\d+>/.test(message.content));
    expect(withMentionSyntax.length).toBeGreaterThanOrEqual(3);
    for (const message of [...seen, ...bot.discord.messages(bot.discord.channel.id)]) {
      expect(message.pings).toEqual(NO_PINGS);
    }
  });

  it('GIVEN page buttons with unknown or forged ids THEN a polite private note; GIVEN a page past the end THEN the last page', async () => {
    for (const customId of ['ps:99999999:1:n', 'ps:abc:1:n', 'ps:1:abc:n', 'ps::', 'ps']) {
      const click = bot.discord.injectButton({ customId });
      const response = await click.response();
      expect(response.type).toBe(4);
      const note = await click.reply();
      expect(isEphemeral(note)).toBe(true);
      expect(note.content).toBe('This search has expired. Run /papers search again.');
    }

    const search = papers(bot, 'search', [text('query', MENTION_WORD)]);
    const first = await search.reply();
    const sessionId = buttonOf(first, 'Next').custom_id.split(':')[1] ?? '';
    const far = bot.discord.injectButton({ customId: `ps:${sessionId}:5000:n`, messageId: first.id });
    expect((await far.response()).type).toBe(7);
    const last = await far.reply((message) => message.editCount > first.editCount);
    expect(last.content).toContain('6–7 of 7');
    expect(idsOn(last)).toHaveLength(2);
    expect(buttonOf(last, 'Next').disabled).toBe(true);
    expect(buttonOf(last, 'Prev').disabled).toBe(false);
  });

  // ---- no interaction goes unanswered -------------------------------------------------------------------

  const words = [
    'diffusion',
    'video',
    MENTION_WORD,
    'models',
    'state',
    'space',
    'learning',
    'part',
    'everyone',
    'meets',
  ];
  const syntax = ['"', '(', ')', '-', '--', 'OR', 'AND', 'NOT', 'author:', 'org:', 'keyword:', 'title:', 'foo:', '*'];
  const oddities = ['^', 'NEAR', '@everyone', '<@&123456789012345678>', '🦀', '\\', "'", '%', '_', ' ', '\u0000'];
  const queryPieces = [...words, ...syntax, ...oddities];
  const soup = (pieces: readonly string[], separator: string) =>
    fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 10 }).map((chosen) => chosen.join(separator));
  const anyQuery = fc.oneof(
    { arbitrary: soup(words, ' '), weight: 4 },
    { arbitrary: soup(queryPieces, ' '), weight: 3 },
    { arbitrary: soup(queryPieces, ''), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
    { arbitrary: fc.string({ minLength: 280, maxLength: 320 }), weight: 1 },
  );
  const anySince = fc.oneof(
    { arbitrary: fc.constantFrom('7d', '4w', '0d', '9999w', '2026-08-01', '2099-01-01', ' 7D '), weight: 4 },
    { arbitrary: fc.constantFrom('2026-02-30', 'yesterday', '-3d', '10000d', ''), weight: 1 },
    { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
  );
  const anySort = fc.oneof(
    { arbitrary: fc.constantFrom('relevance', 'upvotes', 'newest'), weight: 6 },
    { arbitrary: fc.constantFrom('rating', '', 'UPVOTES'), weight: 1 },
  );
  const anyMinUpvotes = fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 80 }), weight: 6 },
    { arbitrary: fc.integer({ min: -3, max: -1 }), weight: 1 },
  );

  /** Asserts the interaction got its first response and, when deferred, its final edit; returns what was shown. */
  async function expectAnswered(interaction: InjectedInteraction): Promise<{ type: number; message: FakeMessage }> {
    const { type } = await interaction.response();
    expect([4, 5]).toContain(type);
    const message = await interaction.reply();
    expect(message.content.length + message.embeds.length).toBeGreaterThan(0);
    expect(message.content).not.toBe(GENERIC_APOLOGY);
    // Echoed input is cut by code points, never through a surrogate pair (Discord rejects ill-formed text).
    expect(message.content).not.toMatch(LONE_SURROGATE);
    return { type, message };
  }

  it('GIVEN any query, since, min_upvotes and sort WHEN searching THEN the interaction is answered, and deferred ones are edited', async () => {
    const outcomes = { refused: 0, results: 0, nothing: 0 };
    await fc.assert(
      fc.asyncProperty(
        anyQuery,
        fc.option(anySince, { nil: undefined, freq: 2 }),
        fc.option(anyMinUpvotes, { nil: undefined, freq: 2 }),
        fc.option(anySort, { nil: undefined, freq: 2 }),
        async (query, since, minUpvotes, sort) => {
          const options = [
            text('query', query),
            ...(since === undefined ? [] : [text('since', since)]),
            ...(minUpvotes === undefined ? [] : [integer('min_upvotes', minUpvotes)]),
            ...(sort === undefined ? [] : [text('sort', sort)]),
          ];
          const { type, message } = await expectAnswered(papers(bot, 'search', options));
          if (type === 4) {
            // A refusal (syntax, options) is private and comes before deferring.
            expect(isEphemeral(message)).toBe(true);
            outcomes.refused += 1;
          } else if (message.embeds.length > 0) {
            expect(message.embeds.length).toBeLessThanOrEqual(5);
            expect(message.content).toMatch(/^(Results for|No paper has all of) /);
            outcomes.results += 1;
          } else {
            expect(message.content).toMatch(/^Nothing matched /);
            outcomes.nothing += 1;
          }
        },
      ),
      { numRuns: 100 },
    );
    // The inputs reach every path: refusals, results and empty results.
    expect(outcomes.refused).toBeGreaterThan(5);
    expect(outcomes.results).toBeGreaterThan(10);
    expect(outcomes.nothing).toBeGreaterThan(5);
  });

  it('GIVEN any reference WHEN /papers show THEN it is answered: the paper, or a private note', async () => {
    const idLike = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99999 }), fc.option(fc.nat(20)))
      .map(([month, number, version]) => {
        const id = `${String(month).padStart(4, '0')}.${String(number).padStart(5, '0')}`;
        return version === null ? id : `${id}v${String(version)}`;
      });
    const forms = [
      (id: string) => id,
      (id: string) => `arXiv:${id}v2`,
      (id: string) => `https://huggingface.co/papers/${id}`,
      (id: string) => `https://arxiv.org/abs/${id}v1`,
      (id: string) => `https://arxiv.org/pdf/${id}v3.pdf`,
    ];
    const known = fc
      .tuple(
        fc.constantFrom(...[...mentionPapers, longTitlePaper, ...fillers].map((paper) => paper.id)),
        fc.constantFrom(...forms),
      )
      .map(([id, form]) => form(id));
    const reference = fc.oneof(
      { arbitrary: known, weight: 2 },
      {
        arbitrary: fc.constantFrom(
          LONG_TITLE,
          fillers[0]?.title ?? '',
          'https://huggingface.co/papers/date/2026-08-21',
        ),
        weight: 1,
      },
      { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 1 },
      { arbitrary: idLike, weight: 1 },
      { arbitrary: idLike.map((id) => `https://huggingface.co/papers/${id}`), weight: 1 },
      { arbitrary: idLike.map((id) => `https://arxiv.org/pdf/${id}.pdf`), weight: 1 },
      { arbitrary: fc.string({ minLength: 400, maxLength: 600 }), weight: 1 },
      {
        arbitrary: fc
          .array(fc.constantFrom('🦀', 'a', 'é', ' '), { minLength: 101, maxLength: 160 })
          .map((cs) => cs.join('')),
        weight: 1,
      },
    );
    const outcomes = { shown: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(reference, async (typed) => {
        const { type, message } = await expectAnswered(papers(bot, 'show', [text('paper', typed)]));
        expect(type).toBe(4);
        if (message.embeds.length === 0) {
          expect(isEphemeral(message)).toBe(true);
          outcomes.refused += 1;
        } else {
          expect(message.embeds).toHaveLength(1);
          outcomes.shown += 1;
        }
      }),
      { numRuns: 60 },
    );
    expect(outcomes.shown).toBeGreaterThan(3);
    expect(outcomes.refused).toBeGreaterThan(10);
  });

  it('GIVEN anything typed WHEN autocompleting query or paper THEN at most 25 choices within Discord limits, never an error', async () => {
    const typedText = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(fc.constantFrom(...queryPieces), { maxLength: 10 }).map((pieces) => pieces.join(' ')),
      fc.constantFrom(
        '',
        ' ',
        '"',
        "'",
        '((',
        ')',
        '🦀🦀🦀',
        '\u0000',
        '%',
        '_',
        '*',
        'a'.repeat(6000),
        `${MENTION_WORD} p`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        typedText,
        fc.constantFrom(['search', 'query'] as const, ['show', 'paper'] as const),
        async (typed, [subcommand, option]) => {
          const choices = await papersAutocomplete(bot.discord, subcommand, option, typed);
          expect(choices.length).toBeLessThanOrEqual(25);
          for (const choice of choices) {
            expect(Array.from(choice.name).length).toBeGreaterThan(0);
            expect(Array.from(choice.name).length).toBeLessThanOrEqual(100);
            expect(Array.from(choice.value).length).toBeLessThanOrEqual(100);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
