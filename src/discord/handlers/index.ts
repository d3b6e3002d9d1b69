import type { ComponentHandler, SlashCommandHandler } from '../dispatcher.js';
import type { BotServices } from '../services.js';
import { papersHandler } from './papers.js';
import { openPaperHandler, searchPageHandler } from './papers-search.js';
import { subscribeHandler } from './subscribe.js';

/** One handler per command in commands/index.ts (a test checks they match). */
export const commandHandlers: readonly SlashCommandHandler<BotServices>[] = [papersHandler, subscribeHandler];

export const componentHandlers: readonly ComponentHandler<BotServices>[] = [searchPageHandler, openPaperHandler];
