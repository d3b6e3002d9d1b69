import { expect } from 'vitest';
import {
  MessageFlag,
  OptionType,
  type CommandOptionInput,
  type FakeDiscord,
  type FakeMessage,
  type InjectedInteraction,
} from './fake-discord/index.js';

/** Reading the components of a message the bot sent: buttons, select menus and their options. */
export interface SelectOption {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
}

export interface Component {
  readonly type: number;
  readonly custom_id: string;
  readonly label?: string;
  readonly disabled?: boolean;
  readonly options?: readonly SelectOption[];
}

export function componentsOf(message: FakeMessage): Component[] {
  return (message.components as { components: Component[] }[]).flatMap((row) => row.components);
}

export function buttonOf(message: FakeMessage, label: 'Prev' | 'Next'): Component {
  const button = componentsOf(message).find((component) => component.type === 2 && component.label === label);
  if (button === undefined) throw new Error(`no ${label} button on ${JSON.stringify(message.components)}`);
  return button;
}

export function selectOf(message: FakeMessage): Component {
  const select = componentsOf(message).find((component) => component.type === 3);
  if (select === undefined) throw new Error(`no select menu on ${JSON.stringify(message.components)}`);
  return select;
}

/** The ids of the papers on a results page, in order (the select menu's values). */
export function idsOn(message: FakeMessage): string[] {
  return (selectOf(message).options ?? []).map((option) => option.value);
}

/** Option builders for injected commands. */
export const text = (name: string, value: string): CommandOptionInput => ({ name, type: OptionType.String, value });
export const integer = (name: string, value: number): CommandOptionInput => ({ name, type: OptionType.Integer, value });

export const isEphemeral = (message: FakeMessage): boolean => (message.flags & MessageFlag.Ephemeral) !== 0;

/** The first callback's type and the message users end up seeing (after the edit, when deferred). */
export async function answerOf(interaction: InjectedInteraction): Promise<{ type: number; message: FakeMessage }> {
  const { type } = await interaction.response();
  return { type, message: await interaction.reply() };
}

export interface Choice {
  readonly name: string;
  readonly value: string;
}

/** The choices /papers autocomplete offers for `typed` in a subcommand's option (an autocomplete answer, type 8). */
export async function papersAutocomplete(
  discord: FakeDiscord,
  subcommand: string,
  option: string,
  typed: string,
): Promise<Choice[]> {
  const interaction = discord.injectAutocomplete({
    name: 'papers',
    subcommand,
    options: [{ name: option, type: OptionType.String, value: typed, focused: true }],
  });
  const response = await interaction.response();
  expect(response.type).toBe(8);
  return (response.data?.choices ?? []) as Choice[];
}
