/**
 * The container recipe, checked without a container engine (none runs on the development machines or in CI):
 * the Dockerfile and .dockerignore are parsed and their structure checked. Each check is also run against a
 * deliberately broken copy of the files, so a check that could not fail would be caught too.
 * That the runtime stage's recipe works is proven by scripts/check-runtime-recipe.sh, which does what it does.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCKERFILE = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const DOCKERIGNORE = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8');

// ---------------------------------------------------------------------------------------------------------------
// A small Dockerfile parser: enough of the syntax for these checks (comments, line continuations, exec form, flags).

interface Instruction {
  readonly keyword: string;
  /** Everything after the keyword, continuations joined. */
  readonly args: string;
}

interface Stage {
  readonly name: string | null;
  /** The image or earlier stage it is built FROM. */
  readonly from: string;
  readonly instructions: Instruction[];
}

interface Dockerfile {
  readonly stages: Stage[];
}

function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    // Comment lines are dropped, also inside a continued instruction (as Docker does).
    if (/^\s*#/u.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    if (whole === '') continue;
    const match = /^(\S+)\s*(.*)$/su.exec(whole);
    if (match === null) continue;
    instructions.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim() });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/u).filter((word) => !word.startsWith('--'));
      const as = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        from: words[0] ?? '',
        name: as === -1 ? null : (words[as + 1] ?? null),
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { stages };
}

/** `["a", "b"]` (exec form) as its words, or null for shell form. */
function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/** `--flag=value` options at the start of an instruction's arguments, and what follows them. */
function splitFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args;
  for (;;) {
    const match = /^--([\w-]+)(?:=(\S*))?\s*/u.exec(rest);
    if (match === null) return { flags, rest };
    flags.set(match[1] ?? '', match[2] ?? '');
    rest = rest.slice(match[0].length);
  }
}

interface Copy {
  readonly keyword: 'COPY' | 'ADD';
  /** The stage it copies from (`--from`), or null for the build context. */
  readonly from: string | null;
  readonly sources: string[];
  readonly destination: string;
}

function copiesOf(stage: Stage): Copy[] {
  return stage.instructions.flatMap((instruction) => {
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return [];
    const { flags, rest } = splitFlags(instruction.args);
    const words = execForm(rest) ?? rest.split(/\s+/u);
    return [
      {
        keyword: instruction.keyword,
        from: flags.get('from') ?? null,
        sources: words.slice(0, -1),
        destination: words.at(-1) ?? '',
      },
    ];
  });
}

/** A stage and the stages it is built FROM, nearest first. */
function lineage(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [stage];
  let current = stage;
  for (;;) {
    const parent = dockerfile.stages.find((candidate) => candidate.name !== null && candidate.name === current.from);
    if (parent === undefined || chain.includes(parent)) return chain;
    chain.push(parent);
    current = parent;
  }
}

function stageNamed(dockerfile: Dockerfile, name: string | null): Stage | undefined {
  return dockerfile.stages.find((stage) => stage.name !== null && stage.name === name);
}

/** Instructions of a stage including those it inherits from its parent stages, oldest first. */
function inherited(dockerfile: Dockerfile, stage: Stage): Instruction[] {
  return lineage(dockerfile, stage)
    .reverse()
    .flatMap((each) => each.instructions);
}

/** ENV values a stage sees (`ENV A=1 B=2` and the legacy `ENV A 1`). */
function envOf(dockerfile: Dockerfile, stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of inherited(dockerfile, stage)) {
    if (instruction.keyword !== 'ENV') continue;
    const pairs = [...instruction.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/gu)];
    if (pairs.length === 0) {
      const [key, ...value] = instruction.args.split(/\s+/u);
      if (key !== undefined) env.set(key, value.join(' '));
    }
    for (const pair of pairs) env.set(pair[1] ?? '', (pair[2] ?? '').replace(/^"|"$/gu, ''));
  }
  return env;
}

function runsOf(dockerfile: Dockerfile, stage: Stage): string[] {
  return inherited(dockerfile, stage)
    .filter((instruction) => instruction.keyword === 'RUN')
    .map((instruction) => splitFlags(instruction.args).rest);
}

function last(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
}

// ---------------------------------------------------------------------------------------------------------------
// .dockerignore matching, as Docker does it: patterns are cleaned paths with * ? and **; a pattern that matches a
// folder excludes everything under it; `!` lets a path back in; the last matching pattern wins.

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/gu, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

function isIgnored(dockerignore: string, path: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = posix.normalize(negated ? line.slice(1).trim() : line).replace(/^\/+|\/+$/gu, '');
      return { negated, pattern: globToRegExp(pattern), skip: pattern === '.' };
    })
    .filter((rule) => !rule.skip);
  const parts = path.split('/');
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------------------------
// The checks. Each returns null when the recipe is right, or what is wrong.

interface Recipe {
  readonly dockerfile: Dockerfile;
  readonly dockerignore: string;
}

type Check = (recipe: Recipe) => string | null;

const NODE_22_SLIM_OR_ALPINE =
  /^node:22(?:\.\d+){0,2}-(?:[a-z0-9.]+-)?(?:slim|alpine[\d.]*)(?:@sha256:[0-9a-f]{64})?$/u;
const ENTRY = 'dist/src/cli/bin.js';
const INIT = /(?:^|\/)(?:tini|dumb-init)$/u;
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY/iu;

function finalStage(recipe: Recipe): Stage {
  const stage = recipe.dockerfile.stages.at(-1);
  if (stage === undefined) throw new Error('the Dockerfile has no FROM');
  return stage;
}

/** The stage a COPY --from names, when it copies a path containing `what` into the final stage. */
function copiedFrom(recipe: Recipe, what: string): Stage | undefined {
  const copy = copiesOf(finalStage(recipe)).find(
    (each) => each.from !== null && each.sources.some((source) => source.includes(what)),
  );
  return copy === undefined ? undefined : stageNamed(recipe.dockerfile, copy.from);
}

const checks = {
  'it has at least two stages, each named with FROM ... AS name': ({ dockerfile }) => {
    if (dockerfile.stages.length < 2) return `${String(dockerfile.stages.length)} stage(s)`;
    const unnamed = dockerfile.stages.filter((stage) => stage.name === null);
    return unnamed.length === 0 ? null : `unnamed stage(s) FROM ${unnamed.map((stage) => stage.from).join(', ')}`;
  },

  'the final stage runs on a Node 22 slim or alpine image': (recipe) => {
    const image = lineage(recipe.dockerfile, finalStage(recipe)).at(-1)?.from ?? '';
    return NODE_22_SLIM_OR_ALPINE.test(image) ? null : `final stage's base image is ${image}`;
  },

  'the final stage installs tini or dumb-init and runs it as its ENTRYPOINT (exec form)': (recipe) => {
    const stage = finalStage(recipe);
    const installs = runsOf(recipe.dockerfile, stage).some((run) =>
      /(?:apt-get install|apk add)\b[^;&|]*\s(?:tini|dumb-init)\b/u.test(run),
    );
    if (!installs) return 'no RUN installs tini or dumb-init';
    const entrypoint = last(stage, 'ENTRYPOINT');
    const words = entrypoint === undefined ? null : execForm(entrypoint.args);
    if (words === null) return `ENTRYPOINT is ${entrypoint?.args ?? 'missing'}, not exec form`;
    return INIT.test(words[0] ?? '') ? null : `ENTRYPOINT runs ${words[0] ?? 'nothing'}`;
  },

  'the final stage runs as USER node': (recipe) => {
    const user = lineage(recipe.dockerfile, finalStage(recipe))
      .flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === 'USER').reverse())
      .at(0);
    return user?.args === 'node' ? null : `it runs as ${user?.args ?? 'root (no USER)'}`;
  },

  'DATABASE_PATH lies on a declared VOLUME': (recipe) => {
    const stage = finalStage(recipe);
    const path = envOf(recipe.dockerfile, stage).get('DATABASE_PATH');
    if (path === undefined) return 'DATABASE_PATH is not set';
    const volumes = inherited(recipe.dockerfile, stage)
      .filter((instruction) => instruction.keyword === 'VOLUME')
      .flatMap((instruction) => execForm(instruction.args) ?? instruction.args.split(/\s+/u));
    const onVolume = volumes.some((volume) => path.startsWith(`${volume.replace(/\/+$/u, '')}/`));
    return onVolume ? null : `DATABASE_PATH=${path} is on none of the volumes [${volumes.join(', ')}]`;
  },

  'the HEALTHCHECK asks /healthz on HTTP_PORT, which is set and exposed': (recipe) => {
    const stage = finalStage(recipe);
    const port = envOf(recipe.dockerfile, stage).get('HTTP_PORT');
    if (port === undefined || !/^\d+$/u.test(port)) return `HTTP_PORT is ${port ?? 'not set'}`;
    const healthcheck = last(stage, 'HEALTHCHECK');
    if (healthcheck === undefined) return 'no HEALTHCHECK';
    const { rest } = splitFlags(healthcheck.args);
    if (!rest.startsWith('CMD')) return `HEALTHCHECK ${rest}`;
    const command = rest.slice('CMD'.length).trim();
    if (!/\/healthz\b/u.test(command)) return `the health check does not ask /healthz: ${command}`;
    if (!command.includes('HTTP_PORT') && !command.includes(`:${port}/`))
      return `the health check ignores port ${port}`;
    const exposed = stage.instructions
      .filter((instruction) => instruction.keyword === 'EXPOSE')
      .flatMap((instruction) => instruction.args.split(/\s+/u).map((word) => word.replace(/\/tcp$/u, '')));
    return exposed.includes(port) ? null : `HTTP_PORT ${port} is not EXPOSEd (${exposed.join(', ') || 'nothing'})`;
  },

  'CMD is exec form and runs the built entry with node': (recipe) => {
    const cmd = last(finalStage(recipe), 'CMD');
    const words = cmd === undefined ? null : execForm(cmd.args);
    if (words === null) return `CMD is ${cmd?.args ?? 'missing'}, not exec form`;
    if (words[0] !== 'node') return `CMD runs ${words[0] ?? 'nothing'}, not node`;
    return words.includes(ENTRY) && words.at(-1) === 'start' ? null : `CMD is ${words.join(' ')}`;
  },

  'the built entry comes from a stage that runs npm run build': (recipe) => {
    const source = copiedFrom(recipe, 'dist');
    if (source === undefined) return 'dist/ is not copied from another stage';
    return runsOf(recipe.dockerfile, source).some((run) => /\bnpm run build\b/u.test(run))
      ? null
      : `stage ${source.name ?? '?'} does not run npm run build`;
  },

  'node_modules holds production dependencies only': (recipe) => {
    const source = copiedFrom(recipe, 'node_modules');
    if (source === undefined) return 'node_modules is not copied from another stage';
    const installs = runsOf(recipe.dockerfile, source).filter((run) => /\bnpm (?:ci|install|i)\b/u.test(run));
    if (installs.length === 0) return `stage ${source.name ?? '?'} installs nothing`;
    const full = installs.find((run) => !/--omit[= ]dev\b/u.test(run));
    if (full !== undefined) return `stage ${source.name ?? '?'} installs dev dependencies: ${full}`;
    const ownInstall = runsOf(recipe.dockerfile, finalStage(recipe)).find((run) =>
      /\bnpm (?:ci|install|i)\b/u.test(run),
    );
    return ownInstall === undefined ? null : `the final stage installs packages itself: ${ownInstall}`;
  },

  'NODE_ENV is production in the final stage': (recipe) => {
    const value = envOf(recipe.dockerfile, finalStage(recipe)).get('NODE_ENV');
    return value === 'production' ? null : `NODE_ENV is ${value ?? 'not set'}`;
  },

  'no stage copies .env files, tests or the whole build context': ({ dockerfile }) => {
    for (const stage of dockerfile.stages) {
      for (const copy of copiesOf(stage)) {
        if (copy.from !== null) continue;
        for (const source of copy.sources) {
          const path = posix.normalize(source).replace(/^\/+|\/+$/gu, '');
          if (/(?:^|\/)\.env/u.test(path) || /^test(?:\/|$)/u.test(path) || path === '.' || path === '*') {
            return `${copy.keyword} ${source} in stage ${stage.name ?? '?'}`;
          }
        }
      }
    }
    return null;
  },

  'no ENV or ARG bakes in a secret': ({ dockerfile }) => {
    for (const stage of dockerfile.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'ENV' && instruction.keyword !== 'ARG') continue;
        if (SECRET_NAME.test(instruction.args)) return `${instruction.keyword} ${instruction.args}`;
      }
    }
    return null;
  },

  '.dockerignore keeps out .env files, tests, coverage, .git and node_modules': ({ dockerignore }) => {
    const mustIgnore = [
      '.env',
      '.env.production',
      'src/.env',
      'test/support/fake-hf.ts',
      'coverage/index.html',
      '.git/HEAD',
      'node_modules/zod/package.json',
      'data/paperboy.db',
    ];
    const leaked = mustIgnore.filter((path) => !isIgnored(dockerignore, path));
    return leaked.length === 0 ? null : `not ignored: ${leaked.join(', ')}`;
  },

  "every file the build copies from the context is in the context (.dockerignore doesn't drop it)": (recipe) => {
    const sources = recipe.dockerfile.stages
      .flatMap(copiesOf)
      .filter((copy) => copy.from === null)
      .flatMap((copy) => copy.sources);
    if (sources.length === 0) return 'nothing is copied from the build context';
    const dropped = sources.filter((source) => isIgnored(recipe.dockerignore, posix.normalize(source)));
    return dropped.length === 0 ? null : `ignored but copied: ${dropped.join(', ')}`;
  },
} satisfies Record<string, Check>;

type CheckName = keyof typeof checks;

const actual: Recipe = { dockerfile: parseDockerfile(DOCKERFILE), dockerignore: DOCKERIGNORE };

describe('the Dockerfile and .dockerignore', () => {
  it.each(Object.entries(checks))('GIVEN the repository files THEN %s', (_name, check: Check) => {
    expect(check(actual)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Regressions: each is a plausible edit of the real files that must make its check fail.

interface Regression {
  readonly edit: string;
  readonly check: CheckName;
  readonly dockerfile?: (text: string) => string;
  readonly dockerignore?: (text: string) => string;
}

/** Replaces `from` (which must occur) with `to`. */
function replace(from: string | RegExp, to: string): (text: string) => string {
  return (text) => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`the regression's edit did not apply: ${String(from)} not found`);
    return next;
  };
}

const RUNTIME_FROM = /^FROM \S+ AS runtime$/mu;

const regressions: Regression[] = [
  {
    edit: 'a single-stage build',
    check: 'it has at least two stages, each named with FROM ... AS name',
    dockerfile: (text) => text.slice(text.search(RUNTIME_FROM)).replace(RUNTIME_FROM, 'FROM node:22-slim AS runtime'),
  },
  {
    edit: 'an unnamed final stage',
    check: 'it has at least two stages, each named with FROM ... AS name',
    dockerfile: replace(RUNTIME_FROM, 'FROM base'),
  },
  {
    edit: 'Node 20',
    check: 'the final stage runs on a Node 22 slim or alpine image',
    dockerfile: replace(/node:22-bookworm-slim/u, 'node:20-bookworm-slim'),
  },
  {
    edit: 'the full (not slim) image',
    check: 'the final stage runs on a Node 22 slim or alpine image',
    dockerfile: replace(/node:22-bookworm-slim/u, 'node:22-bookworm'),
  },
  {
    edit: 'the runtime built on the toolchain stage from a full image',
    check: 'the final stage runs on a Node 22 slim or alpine image',
    dockerfile: (text) =>
      replace(RUNTIME_FROM, 'FROM toolchain AS runtime')(text).replace(/bookworm-slim/u, 'bookworm'),
  },
  {
    edit: 'no ENTRYPOINT',
    check: 'the final stage installs tini or dumb-init and runs it as its ENTRYPOINT (exec form)',
    dockerfile: replace(/^ENTRYPOINT .*$/mu, ''),
  },
  {
    edit: 'a shell-form ENTRYPOINT',
    check: 'the final stage installs tini or dumb-init and runs it as its ENTRYPOINT (exec form)',
    dockerfile: replace(/^ENTRYPOINT .*$/mu, 'ENTRYPOINT /usr/bin/tini --'),
  },
  {
    edit: 'tini no longer installed',
    check: 'the final stage installs tini or dumb-init and runs it as its ENTRYPOINT (exec form)',
    dockerfile: replace(/--no-install-recommends tini/u, '--no-install-recommends procps'),
  },
  {
    edit: 'no USER',
    check: 'the final stage runs as USER node',
    dockerfile: replace(/^USER node$/mu, ''),
  },
  {
    edit: 'back to root before CMD',
    check: 'the final stage runs as USER node',
    dockerfile: replace(/^EXPOSE /mu, 'USER root\nEXPOSE '),
  },
  {
    edit: 'no VOLUME',
    check: 'DATABASE_PATH lies on a declared VOLUME',
    dockerfile: replace(/^VOLUME .*$/mu, ''),
  },
  {
    edit: 'the database moved off the volume',
    check: 'DATABASE_PATH lies on a declared VOLUME',
    dockerfile: replace(/^(\s*)DATABASE_PATH=\S+/mu, '$1DATABASE_PATH=/app/paperboy.db'),
  },
  {
    edit: 'no HEALTHCHECK',
    check: 'the HEALTHCHECK asks /healthz on HTTP_PORT, which is set and exposed',
    dockerfile: replace(/^HEALTHCHECK .*\n.*\n/mu, ''),
  },
  {
    edit: 'a health check of / instead of /healthz',
    check: 'the HEALTHCHECK asks /healthz on HTTP_PORT, which is set and exposed',
    dockerfile: replace(/\/healthz/u, '/'),
  },
  {
    edit: 'HTTP_PORT not set',
    check: 'the HEALTHCHECK asks /healthz on HTTP_PORT, which is set and exposed',
    dockerfile: replace(/\s*\\\n\s*HTTP_PORT=\d+/u, ''),
  },
  {
    edit: 'another port exposed',
    check: 'the HEALTHCHECK asks /healthz on HTTP_PORT, which is set and exposed',
    dockerfile: replace(/^EXPOSE .*$/mu, 'EXPOSE 8080'),
  },
  {
    edit: 'a shell-form CMD',
    check: 'CMD is exec form and runs the built entry with node',
    dockerfile: replace(/^CMD .*$/mu, `CMD node ${ENTRY} start`),
  },
  {
    edit: 'a CMD running the sources with tsx',
    check: 'CMD is exec form and runs the built entry with node',
    dockerfile: replace(/^CMD .*$/mu, 'CMD ["npx", "tsx", "src/cli/bin.ts", "start"]'),
  },
  {
    edit: 'a CMD without the start command',
    check: 'CMD is exec form and runs the built entry with node',
    dockerfile: replace(/^CMD .*$/mu, `CMD ["node", "${ENTRY}"]`),
  },
  {
    edit: 'dist/ taken from a stage that does not build',
    check: 'the built entry comes from a stage that runs npm run build',
    dockerfile: replace(/--from=build \/app\/dist/u, '--from=prod-deps /app/dist'),
  },
  {
    edit: 'node_modules taken from the build stage (dev dependencies included)',
    check: 'node_modules holds production dependencies only',
    dockerfile: replace(/--from=prod-deps \/app\/node_modules/u, '--from=build /app/node_modules'),
  },
  {
    edit: 'npm ci without --omit=dev',
    check: 'node_modules holds production dependencies only',
    dockerfile: replace(/npm ci --omit=dev/u, 'npm ci'),
  },
  {
    edit: 'NODE_ENV unset',
    check: 'NODE_ENV is production in the final stage',
    dockerfile: replace(/NODE_ENV=production/u, 'NODE_OPTIONS=--enable-source-maps'),
  },
  {
    edit: 'a COPY of .env',
    check: 'no stage copies .env files, tests or the whole build context',
    dockerfile: replace(/^USER node$/mu, 'COPY .env ./\nUSER node'),
  },
  {
    edit: 'a COPY of the tests',
    check: 'no stage copies .env files, tests or the whole build context',
    dockerfile: replace(/^COPY src \.\/src$/mu, 'COPY src ./src\nCOPY test/ ./test/'),
  },
  {
    edit: 'a COPY of the whole context',
    check: 'no stage copies .env files, tests or the whole build context',
    dockerfile: replace(/^COPY src \.\/src$/mu, 'COPY . .'),
  },
  {
    edit: 'a token in ENV',
    check: 'no ENV or ARG bakes in a secret',
    dockerfile: replace(/NODE_ENV=production/u, 'NODE_ENV=production DISCORD_TOKEN=abc'),
  },
  {
    edit: 'a token as a build ARG',
    check: 'no ENV or ARG bakes in a secret',
    dockerfile: replace(/^WORKDIR \/app$/mu, 'WORKDIR /app\nARG HF_TOKEN'),
  },
  ...['.env', 'test', 'coverage', '.git', 'node_modules'].map((entry): Regression => ({
    edit: `.dockerignore without ${entry}`,
    check: '.dockerignore keeps out .env files, tests, coverage, .git and node_modules',
    dockerignore: (text) =>
      replace(new RegExp(`^(?:\\*\\*/)?${entry.replace('.', '\\.')}(?:\\.\\*)?$`, 'gmu'), '')(text),
  })),
  {
    edit: '.dockerignore letting .env back in',
    check: '.dockerignore keeps out .env files, tests, coverage, .git and node_modules',
    dockerignore: (text) => `${text}\n!.env\n`,
  },
  {
    edit: '.dockerignore dropping src',
    check: "every file the build copies from the context is in the context (.dockerignore doesn't drop it)",
    dockerignore: (text) => `${text}\nsrc\n`,
  },
];

describe('each check fails when the recipe regresses', () => {
  it.each(regressions)('GIVEN $edit THEN "$check" fails', (regression) => {
    const broken: Recipe = {
      dockerfile: parseDockerfile(regression.dockerfile?.(DOCKERFILE) ?? DOCKERFILE),
      dockerignore: regression.dockerignore?.(DOCKERIGNORE) ?? DOCKERIGNORE,
    };
    expect(checks[regression.check](broken)).not.toBeNull();
  });

  it('GIVEN every check THEN at least one regression exercises it', () => {
    const exercised = new Set(regressions.map((regression) => regression.check));
    expect(Object.keys(checks).filter((name) => !exercised.has(name as CheckName))).toEqual([]);
  });
});
