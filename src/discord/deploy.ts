import { createHash } from 'node:crypto';
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from 'pino';
import type { AppState } from '../store/app-state.js';

export interface DeployTarget {
  readonly applicationId: string;
  /** Register to one guild (instant, for development) instead of globally. */
  readonly guildId: string | null;
}

export interface DeployResult {
  readonly registered: boolean;
  readonly scope: string;
  readonly hash: string;
  readonly count: number;
}

/** The key under which the hash of the last registration is kept, per scope. */
function stateKey(target: DeployTarget): string {
  return `commands-hash:${target.applicationId}:${target.guildId ?? 'global'}`;
}

export function hashDefinitions(definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/**
 * Registers the slash commands with one bulk PUT, only when their definitions changed since the last registration
 * to the same scope: Discord allows 200 command creates a day per guild, so a bot must not re-register on every boot.
 * Uses REST alone; it never opens a gateway connection.
 */
export async function deployCommands(options: {
  readonly rest: REST;
  readonly target: DeployTarget;
  readonly definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  readonly state: AppState;
  readonly now: Date;
  readonly logger: Logger;
  readonly force?: boolean;
}): Promise<DeployResult> {
  const { rest, target, definitions, state, logger } = options;
  const scope = target.guildId === null ? 'global' : `guild ${target.guildId}`;
  const hash = hashDefinitions(definitions);
  if (options.force !== true && state.get(stateKey(target)) === hash) {
    logger.info({ scope, hash }, 'slash commands unchanged; not registering');
    return { registered: false, scope, hash, count: definitions.length };
  }
  const route =
    target.guildId === null
      ? Routes.applicationCommands(target.applicationId)
      : Routes.applicationGuildCommands(target.applicationId, target.guildId);
  await rest.put(route, { body: definitions });
  state.set(stateKey(target), hash, options.now);
  logger.info({ scope, hash, count: definitions.length }, 'slash commands registered');
  return { registered: true, scope, hash, count: definitions.length };
}
