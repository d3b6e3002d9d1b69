import type { ComponentHandler, SlashCommandHandler } from '../dispatcher.js';
import type { BotServices } from '../services.js';
import { papersHandler } from './papers.js';

/** One handler per command in commands/index.ts (a test checks they match). */
export const commandHandlers: readonly SlashCommandHandler<BotServices>[] = [papersHandler];

export const componentHandlers: readonly ComponentHandler<BotServices>[] = [];
