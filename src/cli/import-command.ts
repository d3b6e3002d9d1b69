import { createApp } from '../app.js';
import { importFile } from '../ingest/import-file.js';
import { EXIT_OK, type CliContext } from './program.js';

export async function importCommand(context: CliContext, options: { file: string; date?: string }): Promise<number> {
  const app = createApp(context.config, context.logger, context.io.overrides);
  try {
    const result = await importFile(app, options.file, options.date === undefined ? {} : { date: options.date });
    const span =
      result.days.length === 0
        ? 'no list days'
        : `${result.days[0] ?? ''}..${result.days.at(-1) ?? ''} (${String(result.days.length)} list days)`;
    context.io.stdout.write(
      `Imported ${options.file} as ${result.format}: ${String(result.items)} items, ${span}; ` +
        `${String(result.inserted)} new papers, ${String(result.updated)} refreshed. ${String(app.papers.count())} papers stored.\n`,
    );
    return EXIT_OK;
  } finally {
    app.close();
  }
}
