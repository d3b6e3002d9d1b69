import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../config/index.js';
import { commandDefinitions } from '../commands/index.js';
import { INVITE_PERMISSIONS } from '../src/discord/invite.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  expect(start, `README section "${title}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('README', () => {
  it('GIVEN the configuration table THEN it lists exactly the variables of the zod schema', () => {
    const names = [...section('Configuration').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    expect(names.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('GIVEN the invite instructions THEN the permissions integer is the one the bot needs', () => {
    expect(section('Connecting it to Discord')).toContain(`permissions=${INVITE_PERMISSIONS.toString()}`);
    expect(section('Connecting it to Discord')).toContain('scope=bot+applications.commands');
  });

  it('GIVEN the commands tables THEN every sub-command of every command is documented', () => {
    const commands = section('Commands');
    for (const command of commandDefinitions) {
      for (const option of command.options) expect(commands).toContain(`/${command.name} ${option.name}`);
    }
  });

  it('GIVEN the two set-up commands at the top THEN CI runs the same test command', () => {
    const top = readme.slice(0, readme.indexOf('\n## '));
    const testCommand = /^(npm ci && npm run check)\s+#/m.exec(top)?.[1];
    expect(testCommand).toBe('npm ci && npm run check');
    expect(ci).toContain(testCommand);
    expect(top).toMatch(/^npm ci && npm start\s+#/m);
  });
});
