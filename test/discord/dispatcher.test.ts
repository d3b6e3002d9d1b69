import { Events, MessageFlags, type Client } from 'discord.js';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, GENERIC_APOLOGY, type SlashCommandHandler } from '../../src/discord/dispatcher.js';
import { UserFacingError } from '../../src/errors.js';
import { connectClient, OptionType, startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';

let fake: FakeDiscord;
let client: Client<true>;
let logs: Record<string, unknown>[];
let handled: { command: string; outcome: string }[];

function install(commands: SlashCommandHandler<null>[]) {
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const dispatch = createDispatcher({
    commands,
    services: null,
    logger,
    onHandled: (event) => handled.push({ command: event.command, outcome: event.outcome }),
  });
  client.on(Events.InteractionCreate, (interaction) => void dispatch(interaction));
}

beforeEach(async () => {
  fake = await startFakeDiscord();
  client = await connectClient(fake);
  logs = [];
  handled = [];
});
afterEach(async () => {
  await client.destroy();
  await fake.close();
});

const cmd = (
  name: string,
  execute: SlashCommandHandler<null>['execute'],
  autocomplete?: SlashCommandHandler<null>['autocomplete'],
) => (autocomplete === undefined ? { name, execute } : { name, execute, autocomplete });

describe('the interaction error boundary', () => {
  it('GIVEN a UserFacingError THEN its message goes to the user, ephemeral, and nothing is logged as an error', async () => {
    install([cmd('papers', () => Promise.reject(new UserFacingError('That is not an arXiv id: try 2405.12345.')))]);
    const interaction = fake.injectSlashCommand({ name: 'papers', subcommand: 'show' });
    const reply = await interaction.reply();
    expect(reply.content).toBe('That is not an arXiv id: try 2405.12345.');
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(logs.some((line) => line.level === 50)).toBe(false);
    await expect.poll(() => handled).toEqual([{ command: 'papers show', outcome: 'user-error' }]);
  });

  it('GIVEN any other error THEN the user gets a short apology and the stack is logged, never the raw message', async () => {
    install([cmd('papers', () => Promise.reject(new Error('SQLITE_CORRUPT: secret internals')))]);
    const reply = await fake.injectSlashCommand({ name: 'papers', subcommand: 'status' }).reply();
    expect(reply.content).toBe(GENERIC_APOLOGY);
    expect(reply.content).not.toContain('SQLITE');
    await expect.poll(() => logs.find((line) => line.msg === 'interaction failed')).toBeDefined();
    const failure = logs.find((line) => line.msg === 'interaction failed') as { err: { stack: string } };
    expect(failure.err.stack).toContain('SQLITE_CORRUPT');
  });

  it('GIVEN an error after deferring THEN the deferred reply is edited with the message', async () => {
    install([
      cmd('papers', async (interaction) => {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        throw new UserFacingError('Nothing matched "qwertyuiop".');
      }),
    ]);
    const interaction = fake.injectSlashCommand({ name: 'papers', subcommand: 'search' });
    expect((await interaction.response()).type).toBe(5);
    expect((await interaction.reply((message) => message.content !== '')).content).toBe(
      'Nothing matched "qwertyuiop".',
    );
  });

  it('GIVEN an error after replying THEN an ephemeral follow-up says so', async () => {
    install([
      cmd('papers', async (interaction) => {
        await interaction.reply({ content: 'Working on it' });
        throw new UserFacingError('Page 2 is gone.');
      }),
    ]);
    const interaction = fake.injectSlashCommand({ name: 'papers', subcommand: 'search' });
    const followUp = await interaction.followUp(0);
    expect(followUp.content).toBe('Page 2 is gone.');
    expect(followUp.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('GIVEN an unknown command THEN a polite note rather than silence', async () => {
    install([]);
    const reply = await fake.injectSlashCommand({ name: 'vanished', subcommand: 'x' }).reply();
    expect(reply.content).toContain('I do not know that command');
  });

  it('GIVEN a throwing autocomplete THEN it answers an empty list; GIVEN too many choices THEN 25', async () => {
    install([
      cmd(
        'papers',
        () => Promise.resolve(),
        (interaction) => {
          if (interaction.options.getFocused() === 'boom') throw new Error('index exploded');
          return Array.from({ length: 40 }, (_, index) => ({ name: `choice ${String(index)}`, value: String(index) }));
        },
      ),
    ]);
    const boom = fake.injectAutocomplete({
      name: 'papers',
      subcommand: 'show',
      options: [{ name: 'paper', type: OptionType.String, value: 'boom', focused: true }],
    });
    expect(await boom.response()).toEqual({ type: 8, data: { choices: [] } });
    const many = fake.injectAutocomplete({
      name: 'papers',
      subcommand: 'show',
      options: [{ name: 'paper', type: OptionType.String, value: 'ok', focused: true }],
    });
    const answer = await many.response();
    expect(answer.data?.choices).toHaveLength(25);
  });

  it('GIVEN a button from an older version THEN a polite ephemeral note', async () => {
    install([]);
    const interaction = fake.injectButton({ customId: 'gone:1:2' });
    const response = await interaction.response();
    expect(response.type).toBe(4);
    expect(response.data?.content).toContain('older version');
    expect(Number(response.data?.flags) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });
});
