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
import { parseQuery, type SearchSort } from '../../search/index.js';
import type { SearchSession } from '../../store/search-sessions.js';
import type { ComponentHandler } from '../dispatcher.js';
import { parseSinceOption } from '../options.js';
import type { BotServices } from '../services.js';
import { inlineCode } from './text.js';

export const PAGE_SIZE = 5;
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
  const sort = (interaction.options.getString('sort') ?? 'relevance') as SearchSort;
  await interaction.deferReply();
  const session = services.searchSessions.create({ userId: interaction.user.id, query, sort, since, minUpvotes }, now);
  await interaction.editReply(resultsPage(services, session, 0));
}

/** Prev/Next: only for the person who searched; a stale or foreign button gets a polite note. */
export const searchPageHandler: ComponentHandler<BotServices> = {
  prefix: PAGE_PREFIX,
  async handle(interaction: MessageComponentInteraction, services: BotServices) {
    const [, sessionId, page] = interaction.customId.split(':');
    const session = services.searchSessions.get(Number(sessionId), services.clock.now());
    if (session === null) throw new UserFacingError('This search has expired. Run /papers search again.');
    if (session.userId !== interaction.user.id) {
      throw new UserFacingError(
        `These buttons page <@${session.userId}>'s search. Run /papers search to start your own.`,
      );
    }
    await interaction.update(resultsPage(services, session, Math.max(0, Number(page))));
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
  const result = services.search.search(session.query, {
    sort: session.sort,
    limit: PAGE_SIZE,
    offset: page * PAGE_SIZE,
    ...(session.since === null ? {} : { since: session.since }),
    ...(session.minUpvotes === null ? {} : { minUpvotes: session.minUpvotes }),
  });
  const filters = [
    session.sort === 'relevance' ? null : `by ${session.sort}`,
    session.since === null ? null : `since ${session.since}`,
    session.minUpvotes === null ? null : `≥ ${String(session.minUpvotes)} upvotes`,
  ].filter((part) => part !== null);
  const about = `${inlineCode(session.query)}${filters.length === 0 ? '' : ` (${filters.join(', ')})`}`;
  if (result.total === 0) {
    return {
      content: `Nothing matched ${about}. Try fewer or other words, OR between alternatives, or fewer filters.`,
      embeds: [],
      components: [],
    };
  }
  const pages = Math.ceil(result.total / PAGE_SIZE);
  const shownPage = Math.min(page, pages - 1);
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

/** Query autocomplete: titles that start the way the user is typing (their text stays the first choice). */
export function searchAutocomplete(services: BotServices, typed: string) {
  const suggestions = services.search
    .suggestTitles(typed, 24)
    .map((suggestion) => ({ name: suggestion.title, value: suggestion.title }));
  const own = typed.trim();
  return own === ''
    ? suggestions
    : [{ name: truncateCodePoints(own, 100), value: truncateCodePoints(own, 100) }, ...suggestions];
}
