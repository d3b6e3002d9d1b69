import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from 'discord.js';
import { truncateCodePoints } from '../../delivery/text.js';
import { UserFacingError } from '../../errors.js';
import { utcDay } from '../../papers/paper.js';
import {
  renderPaperEmbed,
  renderPaperMessage,
  SELECT_OPTION_DESCRIPTION_MAX,
  SELECT_OPTION_LABEL_MAX,
} from '../../render/index.js';
import { MAX_SEARCH_OFFSET, parseQuery, type SearchSort } from '../../search/index.js';
import type { SearchSession } from '../../store/search-sessions.js';
import type { ComponentHandler } from '../dispatcher.js';
import { parseSinceOption } from '../options.js';
import type { BotServices } from '../services.js';
import { inlineCode } from './text.js';

export const PAGE_SIZE = 5;
/** The search service pages up to offset MAX_SEARCH_OFFSET. */
const MAX_PAGE = Math.floor(MAX_SEARCH_OFFSET / PAGE_SIZE);
const PAGE_PREFIX = 'ps';
const OPEN_PREFIX = 'po';

/**
 * /papers search: the query and options are checked first (a mistake gets an ephemeral note), then the reply is
 * deferred so the 3 s deadline holds whatever the load, then the first page replaces it.
 */
export async function searchCommand(interaction: ChatInputCommandInteraction, services: BotServices): Promise<void> {
  const now = services.clock.now();
  const query = interaction.options.getString('query', true).trim();
  parseQuery(query);
  const sinceOption = interaction.options.getString('since');
  const since = sinceOption === null ? null : parseSinceOption(sinceOption, utcDay(now));
  const minUpvotes = interaction.options.getInteger('min_upvotes');
  // Discord enforces the definition's choices and min_value, but an outdated registration or a proxy may not:
  // a bad value gets the same private note as a bad query, not a public apology after deferring.
  if (minUpvotes !== null && minUpvotes < 0) {
    throw new UserFacingError('min_upvotes must be a whole number, 0 or more.');
  }
  const sortOption = interaction.options.getString('sort') ?? 'relevance';
  if (!isSearchSort(sortOption)) {
    throw new UserFacingError(`"${sortOption.slice(0, 50)}" is not a sort I know: use relevance, upvotes or newest.`);
  }
  const sort = sortOption;
  await interaction.deferReply();
  const session = services.searchSessions.create({ userId: interaction.user.id, query, sort, since, minUpvotes }, now);
  await interaction.editReply(resultsPage(services, session, 0));
}

const SEARCH_SORTS: readonly string[] = ['relevance', 'upvotes', 'newest'] satisfies SearchSort[];

function isSearchSort(value: string): value is SearchSort {
  return SEARCH_SORTS.includes(value);
}

/** Prev/Next: only for the person who searched; a stale or foreign button gets a polite note. */
export const searchPageHandler: ComponentHandler<BotServices> = {
  prefix: PAGE_PREFIX,
  async handle(interaction: MessageComponentInteraction, services: BotServices) {
    const [, sessionPart, pagePart] = interaction.customId.split(':');
    const sessionId = Number(sessionPart);
    const page = Number(pagePart);
    // Our own ids are whole numbers; anything else is as good as expired (and must not reach SQL as NaN).
    const session = Number.isSafeInteger(sessionId)
      ? services.searchSessions.get(sessionId, services.clock.now())
      : null;
    if (session === null || !Number.isSafeInteger(page)) {
      throw new UserFacingError('This search has expired. Run /papers search again.');
    }
    if (session.userId !== interaction.user.id) {
      throw new UserFacingError(
        `These buttons page <@${session.userId}>'s search. Run /papers search to start your own.`,
      );
    }
    await interaction.update(resultsPage(services, session, Math.min(Math.max(0, page), MAX_PAGE)));
  },
};

/** The select menu under results: opens one paper in full, just for whoever picked it. */
export const openPaperHandler: ComponentHandler<BotServices> = {
  prefix: OPEN_PREFIX,
  async handle(interaction: MessageComponentInteraction, services: BotServices) {
    const id = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
    const paper = id === undefined ? null : services.papers.get(id);
    if (paper === null) throw new UserFacingError('That paper is no longer in my store.');
    await interaction.reply({
      ...renderPaperMessage(paper, { hfBaseUrl: services.hfBaseUrl }),
      flags: MessageFlags.Ephemeral,
    });
  },
};

function resultsPage(services: BotServices, session: SearchSession, page: number) {
  const search = (onPage: number) =>
    services.search.search(session.query, {
      sort: session.sort,
      limit: PAGE_SIZE,
      offset: onPage * PAGE_SIZE,
      ...(session.since === null ? {} : { since: session.since }),
      ...(session.minUpvotes === null ? {} : { minUpvotes: session.minUpvotes }),
    });
  let shownPage = page;
  let result = search(page);
  if (result.results.length === 0 && result.total > 0 && page > 0) {
    // A page past the end (the store changed since, or an old button): the last page instead of an empty one,
    // which would also be a select menu without options, refused by Discord.
    shownPage = Math.max(0, Math.min(page, Math.ceil(result.total / PAGE_SIZE)) - 1);
    result = search(shownPage);
  }
  const filters = [
    session.sort === 'relevance' ? null : `by ${session.sort}`,
    session.since === null ? null : `since ${session.since}`,
    session.minUpvotes === null ? null : `≥ ${String(session.minUpvotes)} upvotes`,
  ].filter((part) => part !== null);
  const about = `${inlineCode(session.query)}${filters.length === 0 ? '' : ` (${filters.join(', ')})`}`;
  if (result.total === 0 || result.results.length === 0) {
    return {
      content: `Nothing matched ${about}. Try fewer or other words, OR between alternatives, or fewer filters.`,
      embeds: [],
      components: [],
    };
  }
  const pages = Math.ceil(result.total / PAGE_SIZE);
  const from = shownPage * PAGE_SIZE + 1;
  const to = from + result.results.length - 1;
  const total = result.totalCapped ? `${String(result.total)}+` : String(result.total);
  const lead = result.relaxed ? `No paper has all of ${about}; papers with most of it:` : `Results for ${about}:`;
  const embeds = result.results.map((hit) =>
    renderPaperEmbed(hit.paper, { form: 'compact', hfBaseUrl: services.hfBaseUrl }),
  );
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: `${OPEN_PREFIX}:${String(session.id)}`,
          placeholder: 'Open a paper',
          options: result.results.map((hit, index) => ({
            label: truncateCodePoints(`${String(from + index)}. ${hit.paper.title}`, SELECT_OPTION_LABEL_MAX),
            value: hit.paper.id,
            description: truncateCodePoints(
              `▲ ${String(hit.paper.upvotes)} · ${hit.paper.id}`,
              SELECT_OPTION_DESCRIPTION_MAX,
            ),
          })),
        },
      ],
    },
    {
      type: ComponentType.ActionRow,
      components: [
        button(`${PAGE_PREFIX}:${String(session.id)}:${String(shownPage - 1)}:p`, 'Prev', shownPage === 0),
        button(`${PAGE_PREFIX}:${String(session.id)}:${String(shownPage + 1)}:n`, 'Next', shownPage >= pages - 1),
      ],
    },
  ];
  return { content: `${lead} ${String(from)}–${String(to)} of ${total}`, embeds, components: rows };
}

function button(customId: string, label: string, disabled: boolean) {
  return {
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    custom_id: customId,
    label,
    disabled,
  };
}

/**
 * Query autocomplete: titles that start the way the user is typing (their text stays the first choice). Picking a
 * title searches for it as a phrase: a title as such is often not a query (`CRAG -- Comprehensive RAG Benchmark`
 * is a syntax error, `Self-Play -Guided ...` would exclude a word) and, cut to 100 code points, ends in half a word.
 */
export function searchAutocomplete(services: BotServices, typed: string) {
  const suggestions = services.search.suggestTitles(typed, 24).flatMap((suggestion) => {
    const value = titlePhrase(suggestion.title);
    return value === null ? [] : [{ name: suggestion.title, value }];
  });
  const own = typed.trim();
  return own === ''
    ? suggestions
    : [{ name: truncateCodePoints(own, 100), value: truncateCodePoints(own, 100) }, ...suggestions];
}

/** A choice's value is at most 100 code points, like its name. */
const CHOICE_VALUE_MAX = 100;
const ELLIPSIS = '…';

/** A suggested title as a phrase query that finds it, or null when it has nothing to search for. */
function titlePhrase(title: string): string | null {
  const points = Array.from(title.replace(/"/gu, ' ').trim());
  // suggestTitles marks a title it cut with an ellipsis.
  const truncated = points.at(-1) === ELLIPSIS;
  const whole = truncated ? points.slice(0, -1) : points;
  const room = CHOICE_VALUE_MAX - 2;
  let kept = whole.slice(0, room);
  const next = whole[room];
  const endsMidWord = next === undefined ? truncated : next !== ' ';
  if (endsMidWord) {
    // Half a word would ask for a word the paper does not have: keep whole words only.
    const lastSpace = kept.lastIndexOf(' ');
    if (lastSpace > 0) kept = kept.slice(0, lastSpace);
  }
  const phrase = `"${kept.join('').trim()}"`;
  try {
    parseQuery(phrase);
    return phrase;
  } catch {
    return null;
  }
}
