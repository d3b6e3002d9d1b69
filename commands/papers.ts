import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/** /papers: reading the Daily Papers, for everyone. */
export const papersCommand = {
  type: ApplicationCommandType.ChatInput,
  name: 'papers',
  description: 'Hugging Face Daily Papers: search, read and see what this bot is doing',
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'status',
      description: 'Last successful fetch, papers stored, and this channel’s subscription',
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
