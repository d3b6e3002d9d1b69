import {
  MessageFlags,
  type ApplicationCommandOptionChoiceData,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageComponentInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import { UserFacingError } from '../errors.js';

export const GENERIC_APOLOGY =
  'Sorry, something went wrong on my side. It has been logged; please try again in a moment.';
export const MAX_AUTOCOMPLETE_CHOICES = 25;

export interface SlashCommandHandler<Services> {
  readonly name: string;
  execute(interaction: ChatInputCommandInteraction, services: Services, logger: Logger): Promise<void>;
  /** Suggestions for the focused option. May throw: the dispatcher answers [] then. */
  autocomplete?(
    interaction: AutocompleteInteraction,
    services: Services,
    logger: Logger,
  ): Promise<readonly ApplicationCommandOptionChoiceData[]> | readonly ApplicationCommandOptionChoiceData[];
}

/** Buttons and select menus, routed by the part of their custom_id before the first ':'. */
export interface ComponentHandler<Services> {
  readonly prefix: string;
  handle(interaction: MessageComponentInteraction, services: Services, logger: Logger): Promise<void>;
}

export interface Dispatcher {
  (interaction: Interaction): Promise<void>;
}

export interface DispatcherOptions<Services> {
  readonly commands: readonly SlashCommandHandler<Services>[];
  readonly components?: readonly ComponentHandler<Services>[];
  readonly services: Services;
  readonly logger: Logger;
  /** Called after each interaction with its command and how long it took (metrics). */
  readonly onHandled?: (event: { command: string; ms: number; outcome: 'ok' | 'user-error' | 'error' }) => void;
}

/**
 * Routes every interaction to its handler inside one error boundary: a UserFacingError's message goes to the user
 * (ephemeral), anything else is logged with its stack and the user gets a short apology. Autocomplete never throws.
 * Nothing a handler does can leave an interaction unanswered.
 */
export function createDispatcher<Services>(options: DispatcherOptions<Services>): Dispatcher {
  const commands = new Map(options.commands.map((handler) => [handler.name, handler]));
  const components = new Map((options.components ?? []).map((handler) => [handler.prefix, handler]));

  return async (interaction) => {
    const startedAt = performance.now();
    const logger = options.logger.child({
      interactionId: interaction.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
    });
    let command = 'unknown';
    let outcome: 'ok' | 'user-error' | 'error' = 'ok';
    try {
      if (interaction.isAutocomplete()) {
        command = `${interaction.commandName}:autocomplete`;
        await answerAutocomplete(interaction, commands.get(interaction.commandName), options.services, logger);
        return;
      }
      if (interaction.isChatInputCommand()) {
        const sub = interaction.options.getSubcommand(false);
        command = sub === null ? interaction.commandName : `${interaction.commandName} ${sub}`;
        const handler = commands.get(interaction.commandName);
        if (handler === undefined)
          throw new UserFacingError('I do not know that command any more. It may have been removed.');
        await handler.execute(interaction, options.services, logger.child({ command }));
        return;
      }
      if (interaction.isMessageComponent()) {
        const prefix = interaction.customId.split(':', 1)[0] ?? '';
        command = `component:${prefix}`;
        const handler = components.get(prefix);
        if (handler === undefined)
          throw new UserFacingError('This button is from an older version of the bot. Run the command again.');
        await handler.handle(interaction, options.services, logger.child({ command }));
      }
    } catch (error) {
      outcome = error instanceof UserFacingError ? 'user-error' : 'error';
      if (outcome === 'error') logger.error({ err: error, command }, 'interaction failed');
      else logger.info({ command, reason: (error as Error).message }, 'interaction refused');
      if (interaction.isRepliable()) await replyWithError(interaction, error, logger);
    } finally {
      options.onHandled?.({ command, ms: performance.now() - startedAt, outcome });
    }
  };
}

async function answerAutocomplete<Services>(
  interaction: AutocompleteInteraction,
  handler: SlashCommandHandler<Services> | undefined,
  services: Services,
  logger: Logger,
): Promise<void> {
  let choices: readonly ApplicationCommandOptionChoiceData[] = [];
  try {
    choices = (await handler?.autocomplete?.(interaction, services, logger)) ?? [];
  } catch (error) {
    logger.warn({ err: error }, 'autocomplete failed; answering with no suggestions');
  }
  try {
    await interaction.respond(choices.slice(0, MAX_AUTOCOMPLETE_CHOICES));
  } catch (error) {
    // Too late (3 s passed) or the user moved on: nothing else to do, and nothing to throw.
    logger.warn({ err: error }, 'could not answer autocomplete');
  }
}

/** Tells the user what went wrong, in whichever way the interaction still allows. Never throws. */
async function replyWithError(interaction: RepliableInteraction, error: unknown, logger: Logger): Promise<void> {
  const content = error instanceof UserFacingError ? error.message : GENERIC_APOLOGY;
  try {
    if (interaction.deferred && !interaction.replied) {
      await interaction.editReply({ content, embeds: [], components: [] });
    } else if (interaction.replied) {
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    }
  } catch (replyError) {
    logger.warn({ err: replyError }, 'could not tell the user about the error');
  }
}
