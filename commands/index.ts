import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { papersCommand } from './papers.js';
import { subscribeCommand } from './subscribe.js';

/** Every slash command the bot registers. Each needs a handler in src/discord/handlers (a test checks). */
export const commandDefinitions = [
  papersCommand,
  subscribeCommand,
] as const satisfies readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];

export type CommandName = (typeof commandDefinitions)[number]['name'];
