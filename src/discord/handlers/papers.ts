import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { UserFacingError } from '../../errors.js';
import type { SlashCommandHandler } from '../dispatcher.js';
import type { BotServices } from '../services.js';
import { statusContent } from './status.js';

/** /papers: reading commands for everyone. */
export const papersHandler: SlashCommandHandler<BotServices> = {
  name: 'papers',
  async execute(interaction: ChatInputCommandInteraction, services: BotServices) {
    const sub = interaction.options.getSubcommand();
    switch (sub) {
      case 'status':
        await interaction.reply({ content: statusContent(services), flags: MessageFlags.Ephemeral });
        return;
      default:
        throw new UserFacingError(`"/papers ${sub}" is not something I know.`);
    }
  },
};
