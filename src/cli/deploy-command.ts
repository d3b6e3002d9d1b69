import { commandDefinitions } from '../../commands/index.js';
import { deployCommands } from '../discord/deploy.js';
import { UserFacingError } from '../errors.js';
import { createRest } from '../main.js';
import { openDatabase } from '../store/database.js';
import { createAppState } from '../store/app-state.js';
import { EXIT_OK, type CliContext } from './program.js';

/** `paperboy deploy-commands`: registers the slash commands over REST, without logging in to the gateway. */
export async function deployCommand(context: CliContext, options: { force: boolean }): Promise<number> {
  const { config } = context;
  const missing = [
    config.discord.token === null ? 'DISCORD_TOKEN' : null,
    config.discord.applicationId === null ? 'DISCORD_APPLICATION_ID' : null,
  ].filter((name) => name !== null);
  if (config.discord.token === null || config.discord.applicationId === null) {
    throw new UserFacingError(`deploy-commands needs ${missing.join(' and ')} (see .env.example).`);
  }
  const db = openDatabase(config.databasePath);
  try {
    const result = await deployCommands({
      rest: createRest(config),
      target: { applicationId: config.discord.applicationId, guildId: config.discord.guildId },
      definitions: commandDefinitions,
      state: createAppState(db),
      now: new Date(),
      logger: context.logger,
      force: options.force,
    });
    context.io.stdout.write(
      result.registered
        ? `Registered ${String(result.count)} ${result.count === 1 ? 'command' : 'commands'} (${result.scope}).\n`
        : `Commands unchanged since the last registration (${result.scope}); nothing to do. Use --force to register anyway.\n`,
    );
    return EXIT_OK;
  } finally {
    db.close();
  }
}
