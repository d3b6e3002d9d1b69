import { createApp } from '../app.js';
import { ingestDays, recentDays } from '../jobs/ingest.js';
import { utcDay } from '../papers/paper.js';
import { EXIT_OK, type CliContext } from './program.js';
import { previewText } from './preview-command.js';

/** `npm start`: the bot when Discord is configured, otherwise a terminal preview and directions. */
export async function start(context: CliContext): Promise<number> {
  if (context.config.discord.token !== null) {
    const { runBot } = await import('../main.js');
    return runBot(context.config, context.logger, context.io.overrides, context.io.signal);
  }
  return previewWithoutDiscord(context);
}

export const CONNECT_HELP = `
To run paperboy in Discord:
  1. Create an application at https://discord.com/developers/applications and add a bot to it.
  2. Put its token and application id in a .env file (see .env.example):
       DISCORD_TOKEN=...
       DISCORD_APPLICATION_ID=...
  3. Invite it with the scopes "bot applications.commands" (the README has the exact invite URL).
  4. Run "npm start" again; then use /subscribe add in a channel.
`;

const PREVIEW_HTTP = { timeoutMs: 10_000, maxRetries: 1, baseDelayMs: 250, maxDelayMs: 1_000 } as const;

async function previewWithoutDiscord(context: CliContext): Promise<number> {
  const { stdout } = context.io;
  stdout.write('No DISCORD_TOKEN set: showing the digest a channel with default settings would get.\n\n');
  // A person is waiting at the terminal: try HF briefly rather than with the patient retries of the scheduled job.
  const app = createApp(context.config, context.logger, { http: PREVIEW_HTTP, ...context.io.overrides });
  try {
    const runs = await ingestDays(app, recentDays(app.clock.now()));
    const failed = runs.filter((run) => run.outcome === 'failed');
    if (failed.length === runs.length) {
      const reason = failed[0]?.error ?? 'unknown error';
      stdout.write(`The live fetch from Hugging Face failed (${reason}).\nShowing what is stored instead.\n\n`);
    }
    stdout.write(`${previewText(app.papers, utcDay(app.clock.now())).body}\n`);
    stdout.write(CONNECT_HELP);
    return EXIT_OK;
  } finally {
    app.close();
  }
}
