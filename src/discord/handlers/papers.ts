import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { DateTime } from 'luxon';
import { DEFAULT_MAX_PAPERS } from '../../delivery/selection.js';
import { truncateCodePoints } from '../../delivery/text.js';
import { UserFacingError } from '../../errors.js';
import { paperIdFromReference } from '../../papers/paper-ref.js';
import { normalizeWhitespace, utcDay } from '../../papers/paper.js';
import { renderDigestMessages, renderPaperMessage } from '../../render/index.js';
import type { StoredPaper } from '../../store/paper-store.js';
import type { SlashCommandHandler } from '../dispatcher.js';
import { parseDayOption } from '../options.js';
import type { BotServices } from '../services.js';
import { searchAutocomplete, searchCommand } from './papers-search.js';
import { statusContent } from './status.js';
import { inlineCode } from './text.js';

/** /papers: reading commands for everyone. */
export const papersHandler: SlashCommandHandler<BotServices> = {
  name: 'papers',
  async execute(interaction: ChatInputCommandInteraction, services: BotServices) {
    const sub = interaction.options.getSubcommand();
    switch (sub) {
      case 'search':
        await searchCommand(interaction, services);
        return;
      case 'show': {
        const paper = resolvePaper(services, interaction.options.getString('paper', true));
        await interaction.reply(renderPaperMessage(paper, { hfBaseUrl: services.hfBaseUrl }));
        return;
      }
      case 'day':
        await interaction.reply(dayMessage(services, interaction.options.getString('date')));
        return;
      case 'top':
        await interaction.reply(
          topMessage(services, interaction.options.getString('period') === 'month' ? 'month' : 'week'),
        );
        return;
      case 'status':
        await interaction.reply({
          content: statusContent(services, interaction.channelId),
          flags: MessageFlags.Ephemeral,
        });
        return;
      default:
        throw new UserFacingError(`"/papers ${sub}" is not something I know.`);
    }
  },
  autocomplete(interaction: AutocompleteInteraction, services: BotServices) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'query') return searchAutocomplete(services, focused.value);
    // /papers show: titles from the store; the chosen value is the paper's id.
    if (paperIdFromReference(focused.value) !== null) return [];
    return services.search
      .suggestTitles(focused.value, 25)
      .map((suggestion) => ({ name: suggestion.title, value: suggestion.id }));
  },
};

/** An id or URL, or a title picked (or typed) by the user. Unknown papers get a friendly explanation. */
export function resolvePaper(services: BotServices, reference: string): StoredPaper {
  const id = paperIdFromReference(reference);
  if (id !== null) {
    const paper = services.papers.get(id);
    if (paper === null) {
      throw new UserFacingError(
        `I have not seen ${id}. I know the papers that were on the Hugging Face Daily Papers list while I was running (or imported). Try /papers search.`,
      );
    }
    return paper;
  }
  // Suggestions are cut to 100 code points (a choice name's limit), so a long title typed or pasted in full is
  // compared with each candidate's stored title, with white space and case as the user may have typed them.
  const typed = comparableTitle(reference);
  if (typed === '') throw new UserFacingError('Which paper? Paste an arXiv id or link, or start typing a title.');
  const paper =
    services.search
      .suggestTitles(reference, 25)
      .map((suggestion) => services.papers.get(suggestion.id))
      .find((candidate) => candidate !== null && comparableTitle(candidate.title) === typed) ?? null;
  if (paper === null) {
    throw new UserFacingError(
      `I could not find a paper titled ${inlineCode(truncateCodePoints(reference.trim(), 100))}. Pick a title from the suggestions, paste an arXiv id or link, or try /papers search.`,
    );
  }
  return paper;
}

function comparableTitle(title: string): string {
  return normalizeWhitespace(title).toLowerCase();
}

function dayMessage(services: BotServices, dateOption: string | null) {
  const today = utcDay(services.clock.now());
  const day = dateOption === null ? services.papers.latestDay() : parseDayOption(dateOption, today);
  if (day === null) {
    throw new UserFacingError(
      'No list is stored yet: I fetch the Daily Papers on a schedule; /papers status shows the last fetch.',
    );
  }
  const papers = services.papers.onDay(day);
  if (papers.length === 0) {
    const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
    const note =
      weekday === 0 || weekday === 6
        ? 'Weekends have no list.'
        : day >= today
          ? 'Hugging Face may not have published it yet.'
          : 'Hugging Face published no list that day, or it is older than what I have fetched or imported.';
    throw new UserFacingError(`No papers are stored for ${day}. ${note}`);
  }
  const selection = { day, total: papers.length, eligible: papers.length, papers: papers.slice(0, DEFAULT_MAX_PAPERS) };
  const [first] = renderDigestMessages(selection, { hfBaseUrl: services.hfBaseUrl });
  // The whole list is one link away (angle brackets: no preview card).
  const more = papers.length > DEFAULT_MAX_PAPERS ? `\nThe full list: <${services.hfBaseUrl}/papers/date/${day}>` : '';
  return { ...first, content: `${first?.content ?? ''} (most upvoted first)${more}`, embeds: first?.embeds ?? [] };
}

function topMessage(services: BotServices, period: 'week' | 'month') {
  const now = DateTime.fromJSDate(services.clock.now(), { zone: 'UTC' });
  const from = now.startOf(period === 'week' ? 'week' : 'month').toISODate() ?? '';
  const to = now.toISODate() ?? '';
  const { papers, total } = services.papers.topBetween(from, to, DEFAULT_MAX_PAPERS);
  if (papers.length === 0) {
    throw new UserFacingError(
      `No papers are stored for this ${period} yet (since ${from}). Try /papers top period:${period === 'week' ? 'month' : 'week'}.`,
    );
  }
  const [first] = renderDigestMessages(
    { day: from, total, eligible: total, papers },
    { hfBaseUrl: services.hfBaseUrl },
  );
  return {
    ...first,
    content: `Top ${String(papers.length)} of ${String(total)} papers this ${period} (list days ${from} to ${to}), by upvotes`,
    embeds: first?.embeds ?? [],
  };
}
