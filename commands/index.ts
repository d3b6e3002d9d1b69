import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { papersCommand } from './papers.js';

/** Every slash command the bot registers. Each needs a handler in src/discord/handlers (a test checks). */
export const commandDefinitions = [
  papersCommand,
] as const satisfies readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];

export type CommandName = (typeof commandDefinitions)[number]['name'];
