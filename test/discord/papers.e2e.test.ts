import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_APOLOGY } from '../../src/discord/dispatcher.js';
import type { BotHandle } from '../../src/main.js';
import { parseQuery } from '../../src/search/index.js';
import type { StoredPaper } from '../../src/store/paper-store.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { CORPUS_PATH, loadCorpus, warnIfCorpusMissing } from '../support/corpus.js';
import {
  type CommandOptionInput,
  type FakeDiscord,
  type FakeMessage,
  type InjectedInteraction,
  type MemberInput,
} from '../support/fake-discord/index.js';
import type { FakeHf } from '../support/fake-hf.js';
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
 * /papers end to end over the real corpus (9,577 papers, 2024-05-27 to 2026-08-21, a Friday): the real bot
 * (startBot) against the fake Discord and fake HF. Without the corpus these tests are skipped, saying why;
 * papers-safety.e2e.test.ts covers what does not need it.
 */

warnIfCorpusMissing();

const MONDAY_NOON = '2026-08-24T12:00:00.000Z';
/** The corpus' last list day, in the evening: its week and month hold papers. */
const FRIDAY_EVENING = '2026-08-21T20:00:00.000Z';
const VIDEO_MME = { id: '2604.05015', title: 'Video-MME-v2' };
const CRAG = { id: '2406.04744', title: 'CRAG -- Comprehensive RAG Benchmark' };
const SSMS = {
  id: '2405.21060',
  title: 'Transformers are SSMs: Generalized Models and Efficient Algorithms Through Structured State Space Duality',
};

// ---- the bot over the corpus -----------------------------------------------------------------------------

let harness: Harness;
let discord: FakeDiscord;
let hf: FakeHf;
let bot: BotHandle;
let stored = 0;

function setNow(iso: string): void {
  harness.clock.set(iso);
}

function papers(subcommand: string, options: readonly CommandOptionInput[] = [], member?: MemberInput) {
  return discord.injectSlashCommand({
    name: 'papers',
    subcommand,
    options,
    ...(member === undefined ? {} : { member }),
  });
}

/** The ids behind a message's embeds (each links to the paper's HF page). */
function embedIds(message: FakeMessage): string[] {
  return message.embeds.map((embed) => String(embed.url).replace(`${hf.baseUrl}/papers/`, ''));
}

function paper(id: string): StoredPaper {
  const found = bot.app.papers.get(id);
  if (found === null) throw new Error(`${id} is not in the store`);
  return found;
}

const lastDay = (found: StoredPaper): string => found.listDays.at(-1) ?? '';

/** Upvote counts, or YYYY-MM-DD days (which order as strings). */
function expectNonIncreasing(values: readonly number[] | readonly string[]): void {
  for (const [index, value] of values.entries()) {
    const previous = values[index - 1];
    if (previous !== undefined) expect(previous >= value, `${String(previous)} then ${String(value)}`).toBe(true);
  }
}

/** Runs a search and checks the shape every first page has; returns the results message. */
async function searchPage1(options: readonly CommandOptionInput[]): Promise<FakeMessage> {
  const interaction = papers('search', options);
  expect((await interaction.response()).type).toBe(5);
  const message = await interaction.reply();
  expect(isEphemeral(message)).toBe(false);
  expect(message.embeds.length).toBeGreaterThan(0);
  expect(message.embeds.length).toBeLessThanOrEqual(5);
  const ids = idsOn(message);
  expect(ids.length).toBeLessThanOrEqual(5);
  // The select menu offers exactly the papers shown, in the same order.
  expect(ids).toEqual(embedIds(message));
  expect(buttonOf(message, 'Prev').disabled).toBe(true);
  return message;
}

async function nextPage(message: FakeMessage, member?: MemberInput): Promise<InjectedInteraction> {
  const click = discord.injectButton({
    customId: buttonOf(message, 'Next').custom_id,
    messageId: message.id,
    ...(member === undefined ? {} : { member }),
  });
  await click.response();
  return click;
}

describe.skipIf(CORPUS_PATH === null)('/papers over the real corpus', () => {
  beforeAll(async () => {
    harness = await startHarness(MONDAY_NOON, {
      seed: async (db) => {
        stored = await loadCorpus(db);
      },
    });
    ({ discord, hf, bot } = harness);
  }, 60_000);
  afterAll(async () => {
    await harness.close();
  });
  afterEach(() => {
    setNow(MONDAY_NOON);
  });

  describe('/papers search', () => {
    it('GIVEN a query THEN a deferred reply, then 5 relevant papers, a select of those 5, Prev disabled and Next enabled', async () => {
      const message = await searchPage1([text('query', 'diffusion')]);
      expect(message.content).toMatch(/^Results for `diffusion`: 1–5 of \d+\+?$/);
      expect(message.embeds).toHaveLength(5);
      expect(buttonOf(message, 'Next').disabled).toBe(false);
      for (const id of idsOn(message)) {
        const found = paper(id);
        expect(`${found.title} ${found.abstract} ${found.aiKeywords.join(' ')}`.toLowerCase()).toContain('diffus');
      }
      // The labels number the results.
      expect((selectOf(message).options ?? []).map((option) => option.label.split('.')[0])).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
      ]);
    });

    it('GIVEN sort:upvotes THEN upvotes never increase, across pages too', async () => {
      const page1 = await searchPage1([text('query', 'video'), text('sort', 'upvotes')]);
      expect(page1.content).toContain('(by upvotes)');
      const page2 = await (await nextPage(page1)).reply((message) => message.content.includes('6–10'));
      const upvotes = [...idsOn(page1), ...idsOn(page2)].map((id) => paper(id).upvotes);
      expect(upvotes).toHaveLength(10);
      expectNonIncreasing(upvotes);
      // Video-MME-v2 (166 upvotes) matches: the first result has at least as many.
      expect(upvotes[0]).toBeGreaterThanOrEqual(paper(VIDEO_MME.id).upvotes);
    });

    it('GIVEN sort:newest THEN list days never go back in time, starting at the newest day', async () => {
      const page1 = await searchPage1([text('query', 'reasoning'), text('sort', 'newest')]);
      const page2 = await (await nextPage(page1)).reply((message) => message.content.includes('6–10'));
      const days = [...idsOn(page1), ...idsOn(page2)].map((id) => lastDay(paper(id)));
      expectNonIncreasing(days);
      expect(days[0]).toBe('2026-08-21');
    });

    const sinceCases = [
      { since: '2026-08-01', from: '2026-08-01' },
      { since: '7d', from: '2026-08-17' },
      { since: '4w', from: '2026-07-27' },
    ];
    it.each(sinceCases)(
      'GIVEN since:$since on Monday 2026-08-24 THEN only papers listed from $from',
      async ({ since, from }) => {
        const message = await searchPage1([
          text('query', 'language model'),
          text('since', since),
          text('sort', 'upvotes'),
        ]);
        expect(message.content).toContain(`since ${from}`);
        for (const id of idsOn(message)) expect(lastDay(paper(id)) >= from).toBe(true);
      },
    );

    it('GIVEN min_upvotes THEN every result has at least that many, whatever the sort', async () => {
      for (const sort of ['relevance', 'newest']) {
        const message = await searchPage1([text('query', 'model'), integer('min_upvotes', 100), text('sort', sort)]);
        expect(message.content).toContain('≥ 100 upvotes');
        for (const id of idsOn(message)) expect(paper(id).upvotes).toBeGreaterThanOrEqual(100);
      }
    });

    it('GIVEN a query nothing matches THEN a public "nothing matched" with advice, no components', async () => {
      const interaction = papers('search', [text('query', 'qwertyuiopasdf')]);
      expect((await interaction.response()).type).toBe(5);
      const message = await interaction.reply();
      expect(message.content).toMatch(/^Nothing matched `qwertyuiopasdf`\. Try fewer or other words/);
      expect(message.components).toEqual([]);
    });
  });

  describe('paging and opening results', () => {
    it("GIVEN the searcher's Next and Prev THEN the same message shows page 2 with other papers, then page 1 again", async () => {
      const page1 = await searchPage1([text('query', 'agent')]);
      const next = await nextPage(page1);
      expect((await next.response()).type).toBe(7);
      const page2 = await next.reply((message) => message.content.includes('6–10'));
      expect(page2.id).toBe(page1.id);
      expect(idsOn(page2)).toHaveLength(5);
      expect(idsOn(page2).filter((id) => idsOn(page1).includes(id))).toEqual([]);
      expect(buttonOf(page2, 'Prev').disabled).toBe(false);

      const prev = discord.injectButton({ customId: buttonOf(page2, 'Prev').custom_id, messageId: page2.id });
      const back = await prev.reply((message) => message.content.includes('1–5'));
      expect(idsOn(back)).toEqual(idsOn(page1));
      expect(buttonOf(back, 'Prev').disabled).toBe(true);
    });

    it("GIVEN someone else's click THEN a polite private note, and the results stay as they were", async () => {
      const page1 = await searchPage1([text('query', 'benchmark')]);
      const click = await nextPage(page1, { user: { id: '223456789012345678', username: 'someone-else' } });
      expect((await click.response()).type).toBe(4);
      const note = await click.reply();
      expect(isEphemeral(note)).toBe(true);
      expect(note.content).toContain(`These buttons page <@${discord.testUser.id}>'s search`);
      expect(note.content).toContain('Run /papers search to start your own.');
      const unchanged = discord.messages(discord.channel.id).find((message) => message.id === page1.id);
      expect(unchanged?.editCount).toBe(page1.editCount);
      expect(unchanged?.content).toBe(page1.content);
    });

    it('GIVEN an unknown session id or one a day old THEN a polite private note that the search expired', async () => {
      const unknown = discord.injectButton({ customId: 'ps:987654321:1:n' });
      const note = await unknown.reply();
      expect(isEphemeral(note)).toBe(true);
      expect(note.content).toBe('This search has expired. Run /papers search again.');

      const page1 = await searchPage1([text('query', 'robot')]);
      setNow('2026-08-25T12:00:01.000Z');
      const late = await nextPage(page1);
      expect((await late.response()).type).toBe(4);
      expect((await late.reply()).content).toBe('This search has expired. Run /papers search again.');
    });

    it('GIVEN a paper picked in the select menu THEN it opens in full, privately, as /papers show renders it', async () => {
      const page1 = await searchPage1([text('query', 'video understanding benchmark')]);
      const id = idsOn(page1)[2] ?? '';
      const pick = discord.injectSelectMenu({ customId: selectOf(page1).custom_id, values: [id], messageId: page1.id });
      expect((await pick.response()).type).toBe(4);
      const opened = await pick.reply();
      expect(isEphemeral(opened)).toBe(true);
      expect(embedIds(opened)).toEqual([id]);
      const shown = await papers('show', [text('paper', id)]).reply();
      expect(opened.embeds).toEqual(shown.embeds);
      // Full, not the compact form of the results page.
      expect(JSON.stringify(opened.embeds[0]).length).toBeGreaterThan(JSON.stringify(page1.embeds[2]).length);
    });
  });

  describe('/papers show', () => {
    const references = [
      VIDEO_MME.id,
      `${VIDEO_MME.id}v2`,
      `arXiv:${VIDEO_MME.id}`,
      `https://huggingface.co/papers/${VIDEO_MME.id}`,
      `https://hf.co/papers/${VIDEO_MME.id}?ref=share`,
      `https://arxiv.org/abs/${VIDEO_MME.id}v1`,
      `https://arxiv.org/pdf/${VIDEO_MME.id}`,
      `https://arxiv.org/pdf/${VIDEO_MME.id}v3.pdf`,
    ];
    it.each(references)('GIVEN %s THEN that paper in full, publicly', async (reference) => {
      const { type, message } = await answerOf(papers('show', [text('paper', reference)]));
      expect(type).toBe(4);
      expect(isEphemeral(message)).toBe(false);
      expect(embedIds(message)).toEqual([VIDEO_MME.id]);
      expect(String(message.embeds[0]?.title)).toContain(VIDEO_MME.title);
    });

    it('GIVEN a title picked from autocomplete THEN the choice carries the id and show opens that paper', async () => {
      const choices = await papersAutocomplete(discord, 'show', 'paper', 'Video-MME');
      const choice = choices.find((candidate) => candidate.name.startsWith(VIDEO_MME.title));
      expect(choice?.value).toBe(VIDEO_MME.id);
      const message = await papers('show', [text('paper', choice?.value ?? '')]).reply();
      expect(embedIds(message)).toEqual([VIDEO_MME.id]);
    });

    it('GIVEN a title longer than 100 characters typed in full THEN show finds it', async () => {
      const message = await papers('show', [text('paper', SSMS.title)]).reply();
      expect(embedIds(message)).toEqual([SSMS.id]);
    });

    it('GIVEN a well-formed id not in the store, or text that is no id and no title THEN a friendly private note', async () => {
      const unknownId = await answerOf(papers('show', [text('paper', '2101.00001')]));
      expect(isEphemeral(unknownId.message)).toBe(true);
      expect(unknownId.message.content).toMatch(/^I have not seen 2101\.00001\. .*Try \/papers search\.$/);
      const noTitle = await answerOf(papers('show', [text('paper', 'a paper about nothing in particular zzqx')]));
      expect(isEphemeral(noTitle.message)).toBe(true);
      expect(noTitle.message.content).toContain(
        'I could not find a paper titled `a paper about nothing in particular zzqx`. Pick a title from the suggestions',
      );
    });
  });

  describe('autocomplete', () => {
    it('GIVEN a prefix in query THEN what was typed first, then up to 24 matching titles that search as phrases', async () => {
      const choices = await papersAutocomplete(discord, 'search', 'query', 'diffu');
      expect(choices[0]).toEqual({ name: 'diffu', value: 'diffu' });
      expect(choices.length).toBeGreaterThan(5);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices.slice(1)) {
        expect(Array.from(choice.name).length).toBeLessThanOrEqual(100);
        expect(choice.name.endsWith('…') || /\bdiffu/i.test(choice.name)).toBe(true);
        expect(choice.value).toMatch(/^".+"$/);
        expect(() => parseQuery(choice.value)).not.toThrow();
      }
    });

    it('GIVEN titles that are not valid queries, or cut to 100 characters THEN picking them finds the paper', async () => {
      for (const [typed, wanted] of [
        ['CRAG', CRAG],
        ['Transformers are SSMs', SSMS],
      ] as const) {
        // The suggestion showing that title (whole, or cut with an ellipsis), not the typed text.
        const choice = (await papersAutocomplete(discord, 'search', 'query', typed)).find(
          (candidate) =>
            candidate.name === wanted.title ||
            (candidate.name.endsWith('…') && wanted.title.startsWith(candidate.name.slice(0, -1))),
        );
        expect(choice, `a suggestion for ${wanted.title}`).toBeDefined();
        const message = await searchPage1([text('query', choice?.value ?? '')]);
        expect(message.content).toMatch(/^Results for /);
        expect(idsOn(message)).toContain(wanted.id);
      }
    });

    it('GIVEN a prefix in /papers show THEN up to 25 titles, each containing it, valued by id', async () => {
      const choices = await papersAutocomplete(discord, 'show', 'paper', 'kimi');
      expect(choices.length).toBeGreaterThan(3);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices) {
        expect(paper(choice.value).title.toLowerCase()).toContain('kimi');
        expect(Array.from(choice.name).length).toBeLessThanOrEqual(100);
      }
    });

    const garbage = [
      '"',
      '"""',
      "'",
      '((((',
      ')',
      '-',
      'author:',
      'foo:bar',
      '*',
      '%_%',
      '\\',
      '🦀🦀🦀',
      '👩‍👩‍👧‍👦 diffusion',
      'NEAR(a b)',
      '"a" OR',
      'a'.repeat(6000),
      'diffusion '.repeat(600),
      '\u0000\u0001',
      '   ',
    ];
    it.each(
      garbage.map((typed) => [typed.length > 40 ? `${typed.slice(0, 20)}… (${String(typed.length)})` : typed, typed]),
    )('GIVEN %j typed THEN both autocompletes answer within limits', async (_label, typed) => {
      for (const [subcommand, option] of [
        ['search', 'query'],
        ['show', 'paper'],
      ] as const) {
        const choices = await papersAutocomplete(discord, subcommand, option, typed);
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const choice of choices) {
          expect(Array.from(choice.name).length).toBeGreaterThan(0);
          expect(Array.from(choice.name).length).toBeLessThanOrEqual(100);
          expect(Array.from(choice.value).length).toBeLessThanOrEqual(100);
        }
      }
    });
  });

  describe('/papers day', () => {
    it('GIVEN no date THEN the latest list (2026-08-21), 10 of its 17 papers, most upvoted first', async () => {
      const { type, message } = await answerOf(papers('day'));
      expect(type).toBe(4);
      expect(isEphemeral(message)).toBe(false);
      expect(message.content).toMatch(/^Hugging Face Daily Papers, 2026-08-21: 10 of 17 papers \(most upvoted first\)/);
      // The other 7 are one link away.
      expect(message.content).toContain(`The full list: <${hf.baseUrl}/papers/date/2026-08-21>`);
      expect(message.embeds).toHaveLength(10);
      const shown = embedIds(message).map(paper);
      expectNonIncreasing(shown.map((found) => found.upvotes));
      for (const found of shown) expect(found.listDays).toContain('2026-08-21');
      // The ten most upvoted of the day.
      const day = bot.app.papers.onDay('2026-08-21').map((found) => found.upvotes);
      expect(shown.map((found) => found.upvotes)).toEqual(day.slice(0, 10));
    });

    it('GIVEN a date THEN that list', async () => {
      const message = await papers('day', [text('date', '2026-08-19')]).reply();
      expect(message.content).toMatch(/^Hugging Face Daily Papers, 2026-08-19: 10 of 26 papers/);
      for (const found of embedIds(message).map(paper)) expect(found.listDays).toContain('2026-08-19');
    });

    it('GIVEN today and yesterday on a Friday evening THEN that Friday and Thursday', async () => {
      setNow(FRIDAY_EVENING);
      expect((await papers('day', [text('date', 'today')]).reply()).content).toMatch(
        /^Hugging Face Daily Papers, 2026-08-21: 10 of 17/,
      );
      expect((await papers('day', [text('date', 'yesterday')]).reply()).content).toMatch(
        /^Hugging Face Daily Papers, 2026-08-20: 10 of 15/,
      );
    });

    it('GIVEN today on Monday before its list, yesterday (Sunday) or a Saturday THEN a private explanation', async () => {
      const today = await answerOf(papers('day', [text('date', 'today')]));
      expect(isEphemeral(today.message)).toBe(true);
      expect(today.message.content).toBe(
        'No papers are stored for 2026-08-24. Hugging Face may not have published it yet.',
      );
      const sunday = await answerOf(papers('day', [text('date', 'yesterday')]));
      expect(sunday.message.content).toBe('No papers are stored for 2026-08-23. Weekends have no list.');
      const saturday = await answerOf(papers('day', [text('date', '2026-08-15')]));
      expect(isEphemeral(saturday.message)).toBe(true);
      expect(saturday.message.content).toBe('No papers are stored for 2026-08-15. Weekends have no list.');
    });
  });

  describe('/papers top', () => {
    const distinctPapersBetween = (from: string, to: string): number =>
      (
        bot.app.db
          .prepare('SELECT count(DISTINCT paper_id) AS n FROM paper_days WHERE list_day BETWEEN ? AND ?')
          .get(from, to) as { n: number }
      ).n;

    const periods = [
      { period: 'week', from: '2026-08-17' },
      { period: 'month', from: '2026-08-01' },
    ];
    it.each(periods)(
      'GIVEN period:$period on Friday 2026-08-21 THEN its 10 most upvoted papers',
      async ({ period, from }) => {
        setNow(FRIDAY_EVENING);
        const { type, message } = await answerOf(papers('top', [text('period', period)]));
        expect(type).toBe(4);
        expect(isEphemeral(message)).toBe(false);
        const total = distinctPapersBetween(from, '2026-08-21');
        expect(message.content).toBe(
          `Top 10 of ${String(total)} papers this ${period} (list days ${from} to 2026-08-21), by upvotes`,
        );
        expect(message.embeds).toHaveLength(10);
        const shown = embedIds(message).map(paper);
        expectNonIncreasing(shown.map((found) => found.upvotes));
        for (const found of shown) expect(found.listDays.some((day) => day >= from && day <= '2026-08-21')).toBe(true);
        const best = bot.app.papers.topBetween(from, '2026-08-21', 1).papers[0];
        expect(shown[0]?.upvotes).toBe(best?.upvotes);
      },
    );

    it('GIVEN no period THEN the week', async () => {
      setNow(FRIDAY_EVENING);
      expect((await papers('top').reply()).content).toContain('this week (list days 2026-08-17 to 2026-08-21)');
    });

    it('GIVEN a Monday before its list THEN the week is empty, said privately, suggesting the month', async () => {
      const { message } = await answerOf(papers('top', [text('period', 'week')]));
      expect(isEphemeral(message)).toBe(true);
      expect(message.content).toBe(
        'No papers are stored for this week yet (since 2026-08-24). Try /papers top period:month.',
      );
    });
  });

  describe('/papers status', () => {
    it('GIVEN the imported corpus THEN a private status: last fetch, papers stored, newest day, no subscription', async () => {
      const { type, message } = await answerOf(papers('status'));
      expect(type).toBe(4);
      expect(isEphemeral(message)).toBe(true);
      expect(message.content).toContain('**paperboy status**');
      expect(message.content).toContain('Last successful fetch: list day 2026-08-21, 17 papers from an imported file');
      expect(message.content).toContain(
        `Papers stored: ${stored.toLocaleString('en-US')} (newest list day 2026-08-21).`,
      );
      expect(message.content).toContain(
        'No subscription. Members with Manage Channels can start one with /subscribe add.',
      );
    });
  });

  it('GIVEN realistic queries and filters over the corpus THEN every search is answered and honours its filters', async () => {
    const since: Record<string, string> = { '7d': '2026-08-17', '4w': '2026-07-27', '2026-06-01': '2026-06-01' };
    const words = ['model', 'language', 'video', 'diffusion', 'reasoning', 'agent', 'the', 'of', '3d', 'benchmark'];
    const query = fc.oneof(
      fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }).map((chosen) => chosen.join(' ')),
      fc.constantFrom('"large language model"', 'video OR audio', 'diffusion -survey', 'org:nvidia', 'keyword:rlhf'),
      fc.constantFrom('author:"Yann LeCun"', '(agent OR agents) benchmark', 'title:transformer'),
    );
    await fc.assert(
      fc.asyncProperty(
        query,
        fc.option(fc.constantFrom(...Object.keys(since)), { nil: undefined }),
        fc.option(fc.constantFrom(0, 20, 100), { nil: undefined }),
        fc.constantFrom('relevance', 'upvotes', 'newest'),
        async (typed, sinceOption, minUpvotes, sort) => {
          const interaction = papers('search', [
            text('query', typed),
            text('sort', sort),
            ...(sinceOption === undefined ? [] : [text('since', sinceOption)]),
            ...(minUpvotes === undefined ? [] : [integer('min_upvotes', minUpvotes)]),
          ]);
          expect((await interaction.response()).type).toBe(5);
          const message = await interaction.reply();
          expect(message.content).not.toBe(GENERIC_APOLOGY);
          expect(message.content).toMatch(/^(Results for|No paper has all of|Nothing matched) /);
          const found = message.embeds.length === 0 ? [] : idsOn(message).map(paper);
          if (sort === 'upvotes') expectNonIncreasing(found.map((hit) => hit.upvotes));
          if (sort === 'newest') expectNonIncreasing(found.map(lastDay));
          const from = sinceOption === undefined ? undefined : since[sinceOption];
          for (const hit of found) {
            if (from !== undefined) expect(lastDay(hit) >= from).toBe(true);
            if (minUpvotes !== undefined) expect(hit.upvotes).toBeGreaterThanOrEqual(minUpvotes);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
