import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/** The longest search query accepted (the query language's own limit). */
export const QUERY_MAX_LENGTH = 300;

/** /papers: reading the Daily Papers, for everyone. */
export const papersCommand = {
  type: ApplicationCommandType.ChatInput,
  name: 'papers',
  description: 'Hugging Face Daily Papers: search, read and see what this bot is doing',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'search',
      description: 'Search every paper seen: words, "phrases", OR, -exclude, author:, org:, keyword:, title:',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'query',
          description: 'e.g. diffusion video -survey, author:"Yann LeCun", org:nvidia',
          required: true,
          autocomplete: true,
          max_length: QUERY_MAX_LENGTH,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'since',
          description: 'Only papers listed since: YYYY-MM-DD, or 7d, 4w',
          max_length: 10,
        },
        {
          type: ApplicationCommandOptionType.Integer,
          name: 'min_upvotes',
          description: 'Only papers with at least this many upvotes',
          min_value: 0,
          max_value: 100_000,
        },
        {
          type: ApplicationCommandOptionType.String,
          name: 'sort',
          description: 'Order of results',
          choices: [
            { name: 'relevance', value: 'relevance' },
            { name: 'upvotes', value: 'upvotes' },
            { name: 'newest', value: 'newest' },
          ],
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'show',
      description: 'One paper in full',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'paper',
          description: 'arXiv id, Hugging Face or arXiv URL, or start typing a title',
          required: true,
          autocomplete: true,
          max_length: 300,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'day',
      description: 'A day’s list, most upvoted first',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'date',
          description: 'YYYY-MM-DD, today or yesterday (default: the latest list)',
          max_length: 10,
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'top',
      description: 'The most upvoted papers of this week or month',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'period',
          description: 'week (default) or month',
          choices: [
            { name: 'week', value: 'week' },
            { name: 'month', value: 'month' },
          ],
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Last successful fetch, papers stored, and this channel’s subscription',
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
