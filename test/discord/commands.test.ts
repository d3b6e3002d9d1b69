import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../commands/index.js';
import { commandHandlers } from '../../src/discord/handlers/index.js';

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;
type Option = APIApplicationCommandOption & { options?: Option[]; choices?: unknown[] };

/** Widened so the checks hold for any definition, not only the literal types of today's. */
function optionsOf(command: object): readonly Option[] {
  return (command as { options?: readonly Option[] }).options ?? [];
}

function* walk(options: readonly Option[] | undefined, path: string): Generator<[string, Option]> {
  for (const option of options ?? []) {
    yield [`${path} ${option.name}`, option];
    yield* walk(option.options, `${path} ${option.name}`);
  }
}

describe('command definitions', () => {
  it('GIVEN every command THEN names, descriptions and counts are within Discord limits', () => {
    for (const command of commandDefinitions) {
      expect(command.name).toMatch(NAME);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(100);
      expect(JSON.stringify(command).length).toBeLessThanOrEqual(8000);
      const options = optionsOf(command);
      expect(options.length).toBeLessThanOrEqual(25);
      for (const [path, option] of walk(options, command.name)) {
        expect(option.name, path).toMatch(NAME);
        expect(option.description.length, path).toBeGreaterThan(0);
        expect(option.description.length, path).toBeLessThanOrEqual(100);
        expect(option.options?.length ?? 0, path).toBeLessThanOrEqual(25);
        expect(option.choices?.length ?? 0, path).toBeLessThanOrEqual(25);
      }
    }
  });

  it('GIVEN the definitions THEN command names are unique and each has exactly one handler', () => {
    const names = commandDefinitions.map((command) => command.name);
    expect(new Set(names).size).toBe(names.length);
    expect(commandHandlers.map((handler) => handler.name).sort()).toEqual([...names].sort());
  });

  it('GIVEN sub-commands THEN each is a sub-command or group (no mixing with plain options at the top)', () => {
    for (const command of commandDefinitions) {
      const kinds = new Set(optionsOf(command).map((option) => option.type));
      const subs = [ApplicationCommandOptionType.Subcommand, ApplicationCommandOptionType.SubcommandGroup];
      if ([...kinds].some((kind) => subs.includes(kind)))
        expect([...kinds].every((kind) => subs.includes(kind))).toBe(true);
    }
  });
});
