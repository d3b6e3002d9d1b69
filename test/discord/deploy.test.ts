import { REST } from 'discord.js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { createAppState } from '../../src/store/app-state.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { runCliCaptured } from '../support/cli.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';

let fake: FakeDiscord;
let db: Db;
const logger = pino({ level: 'silent' });
const now = new Date('2026-08-22T15:00:00.000Z');

beforeEach(async () => {
  fake = await startFakeDiscord();
  db = openDatabase(':memory:');
});
afterEach(async () => {
  db.close();
  await fake.close();
});

function deploy(
  definitions = commandDefinitions as unknown as Parameters<typeof deployCommands>[0]['definitions'],
  guildId: string | null = null,
  force = false,
) {
  const rest = new REST({ api: fake.apiBase }).setToken(fake.token);
  return deployCommands({
    rest,
    target: { applicationId: fake.applicationId, guildId },
    definitions,
    state: createAppState(db),
    now,
    logger,
    force,
  });
}

describe('deployCommands', () => {
  it('GIVEN unchanged definitions THEN the second deploy makes no call; changed or forced ones register again', async () => {
    expect((await deploy()).registered).toBe(true);
    expect((await deploy()).registered).toBe(false);
    expect(fake.commandRegistrationCount()).toBe(1);

    const changed = [{ ...commandDefinitions[0], description: 'A new description' }];
    expect((await deploy(changed)).registered).toBe(true);
    expect(fake.commandRegistrationCount()).toBe(2);
    expect(fake.registeredCommands()[0]?.description).toBe('A new description');

    expect((await deploy(changed, null, true)).registered).toBe(true);
    expect(fake.commandRegistrationCount()).toBe(3);
  });

  it('GIVEN a guild THEN it registers there, tracked apart from the global registration', async () => {
    await deploy();
    const result = await deploy(undefined, fake.guild.id);
    expect(result).toMatchObject({ registered: true, scope: `guild ${fake.guild.id}` });
    expect(fake.registeredCommands(fake.guild.id).map((command) => command.name)).toEqual(['papers', 'subscribe']);
  });

  it('GIVEN the CLI without credentials THEN it names what is missing; with them it registers over REST only', async () => {
    const missing = await runCliCaptured(['deploy-commands'], { DATABASE_PATH: ':memory:' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');

    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_BASE: fake.apiBase,
      DATABASE_PATH: ':memory:',
    };
    const run = await runCliCaptured(['deploy-commands'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Registered 2 commands (global)');
    // It never opened a gateway connection.
    expect(fake.frames()).toEqual([]);
  });
});
