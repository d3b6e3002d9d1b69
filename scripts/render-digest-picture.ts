/**
 * Renders a real digest as Discord shows it, for the README:
 *
 *   npx tsx scripts/render-digest-picture.ts [--day 2026-08-21] [--out docs/digest.png] [--embeds 4] [--source FILE]
 *
 * The papers of one real list day (by default the latest day of the corpus in ../shared when it is there, else of the
 * saved API response in test/fixtures/hf-api/; --source takes any file `paperboy import` reads) are imported into an in-memory store through the real import path; the digest is selected
 * and rendered exactly as the bot does for a channel with default settings (selectPapers, renderDigestMessages);
 * its first message is drawn as an HTML page in Discord's dark theme and screenshotted with headless Chromium.
 *
 * Needs Chromium (Debian: `apt-get install chromium`; or --chromium PATH) and, to look like Discord, the Noto Sans
 * and Noto Color Emoji fonts (`apt-get install fonts-noto-core fonts-noto-color-emoji`). Nothing is fetched: the
 * thumbnails are remote images, so a neutral placeholder stands in for each.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_PAPERS, DEFAULT_MIN_UPVOTES, selectPapers } from '../src/delivery/selection.js';
import { importFile } from '../src/ingest/import-file.js';
import { addDays, isIsoDay } from '../src/papers/paper.js';
import type { APIEmbed } from '../src/render/discord-types.js';
import { renderDigestMessages, type RenderedMessage } from '../src/render/index.js';
import { openDatabase } from '../src/store/database.js';
import { createIngestLog } from '../src/store/ingest-log.js';
import { createPaperStore } from '../src/store/paper-store.js';
import { DEFAULT_SCHEDULE, nextRunAfter } from '../src/subscriptions/schedule.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CORPUS = resolve(ROOT, '../shared/fixtures/corpus/hf-daily-papers_2024-05-27_2026-08-21.jsonl.gz');
const FIXTURE_DAY = '2026-08-21';
const FIXTURE = resolve(ROOT, `test/fixtures/hf-api/daily_papers_date-${FIXTURE_DAY}_filtered-reindented.json`);

/** CSS pixels: about the width of a README column, wide enough for Discord's 520 px embeds beside the avatar. */
const PAGE_WIDTH = 900;
const DEFAULT_EMBEDS = 4;

const { values } = parseArgs({
  options: {
    day: { type: 'string' },
    source: { type: 'string' },
    out: { type: 'string', default: 'docs/digest.png' },
    embeds: { type: 'string', default: String(DEFAULT_EMBEDS) },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? 'chromium' },
    'keep-html': { type: 'boolean', default: false },
  },
});

/** A usage or data problem: said plainly, without a stack. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const embedsShown = Number.parseInt(values.embeds, 10);
if (!Number.isInteger(embedsShown) || embedsShown < 1) fail('--embeds must be a positive whole number');
if (values.day !== undefined && !isIsoDay(values.day)) fail(`--day must be a date as YYYY-MM-DD, got "${values.day}"`);
const out = resolve(values.out);

// --- The digest, as the bot builds it ---------------------------------------------------------------------------

const source = values.source === undefined ? (existsSync(CORPUS) ? CORPUS : FIXTURE) : resolve(values.source);
const db = openDatabase(':memory:');
const papers = createPaperStore(db);
await importFile({ papers, ingestLog: createIngestLog(db), clock: { now: () => new Date() } }, source);
const day = values.day ?? papers.latestDay();
if (day === null) fail(`${source} holds no papers`);
// The default channel: the whole list, most upvoted first, top 10 (as planForDay does without topics).
const selection = selectPapers(day, papers.onDay(day), {
  maxPapers: DEFAULT_MAX_PAPERS,
  minUpvotes: DEFAULT_MIN_UPVOTES,
});
db.close();
if (selection.total === 0) fail(`no papers are stored for ${day} in ${source} (weekends have no list)`);
const [first] = renderDigestMessages(selection);
if (first === undefined) fail(`the digest for ${day} is empty`);
console.log(
  `${day}: ${String(selection.total)} papers (from ${source}); the digest's first message has ` +
    `${String(first.embeds.length)} embeds, ${String(Math.min(embedsShown, first.embeds.length))} drawn`,
);

// --- The page ---------------------------------------------------------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (char) => `&#${String(char.codePointAt(0))};`);
}

/**
 * The little of Discord's markdown the renderer emits, drawn as Discord shows it: `\x` escapes (the backslash
 * hidden), `**bold**`, `[label](url)` links and line breaks. Anything else is shown as text.
 */
function renderMarkdown(markdown: string): string {
  let html = '';
  let bold = false;
  let index = 0;
  while (index < markdown.length) {
    const char = markdown[index] ?? '';
    if (char === '\\' && index + 1 < markdown.length) {
      html += escapeHtml(markdown[index + 1] ?? '');
      index += 2;
    } else if (markdown.startsWith('**', index)) {
      html += bold ? '</strong>' : '<strong>';
      bold = !bold;
      index += 2;
    } else if (char === '[') {
      const link = /^\[((?:\\.|[^\]\\])*)\]\((\S+?)\)/su.exec(markdown.slice(index));
      if (link === null) {
        html += '[';
        index += 1;
      } else {
        html += `<a href="${escapeHtml(link[2] ?? '')}">${renderMarkdown(link[1] ?? '')}</a>`;
        index += link[0].length;
      }
    } else if (char === '\n') {
      html += '<br>';
      index += 1;
    } else {
      html += escapeHtml(char);
      index += 1;
    }
  }
  return bold ? `${html}</strong>` : html;
}

function hexColor(color: number | undefined): string {
  return `#${(color ?? 0x1e1f22).toString(16).padStart(6, '0')}`;
}

/** Stands in for the paper's thumbnail (a remote image, and there is no network here). */
const THUMBNAIL_PLACEHOLDER = `<div class="thumbnail" title="thumbnail (not fetched)">
  <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor"
    d="M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5z"/></svg>
</div>`;

function renderEmbed(embed: APIEmbed): string {
  const parts: string[] = [];
  if (embed.author !== undefined) {
    const name = escapeHtml(embed.author.name);
    parts.push(
      `<div class="author">${embed.author.url === undefined ? name : `<a href="${escapeHtml(embed.author.url)}">${name}</a>`}</div>`,
    );
  }
  if (embed.title !== undefined) {
    const title = renderMarkdown(embed.title);
    parts.push(
      `<div class="title">${embed.url === undefined ? title : `<a href="${escapeHtml(embed.url)}">${title}</a>`}</div>`,
    );
  }
  if (embed.description !== undefined)
    parts.push(`<div class="description">${renderMarkdown(embed.description)}</div>`);
  if (embed.fields !== undefined && embed.fields.length > 0) {
    const fields = embed.fields.map(
      (field) =>
        `<div class="field${field.inline === true ? ' inline' : ''}"><div class="field-name">${renderMarkdown(field.name)}</div>` +
        `<div class="field-value">${renderMarkdown(field.value)}</div></div>`,
    );
    parts.push(`<div class="fields">${fields.join('')}</div>`);
  }
  if (embed.footer !== undefined) parts.push(`<div class="footer">${escapeHtml(embed.footer.text)}</div>`);
  const thumbnail = embed.thumbnail === undefined ? '' : THUMBNAIL_PLACEHOLDER;
  return `<article class="embed" style="border-left-color: ${hexColor(embed.color)}">
  <div class="embed-body">${parts.join('\n')}</div>${thumbnail}
</article>`;
}

/** "8/24/26, 9:00 AM", as Discord dates a message from an earlier day (shown in UTC, the default schedule's zone). */
function discordTimestamp(at: Date): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: DEFAULT_SCHEDULE.timezone,
    year: '2-digit',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}

function renderPage(message: RenderedMessage, shown: number): string {
  const embeds = message.embeds.slice(0, shown).map(renderEmbed).join('\n');
  // A list day is complete when it ends (UTC); the default schedule delivers it at its next slot after that.
  const timestamp = discordTimestamp(
    nextRunAfter(DEFAULT_SCHEDULE, new Date(`${addDays(selection.day, 1)}T00:00:00Z`)),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>paperboy digest ${escapeHtml(selection.day)}</title>
<style>
  /* Discord's dark theme, approximately. Its font stack falls back to Noto Sans, which is what is drawn here;
     Discord draws emoji as colour images, hence the colour emoji font before any other fallback. */
  * { box-sizing: border-box; }
  html, body { margin: 0; background: #313338; }
  body { width: ${String(PAGE_WIDTH)}px; font-family: "gg sans", "Noto Sans", "Noto Color Emoji", "Helvetica Neue", Helvetica, Arial, sans-serif;
    color: #dbdee1; -webkit-font-smoothing: antialiased; }
  a { color: #00a8fc; text-decoration: none; }
  strong { font-weight: 700; }
  .channel-bar { height: 48px; display: flex; align-items: center; gap: 8px; padding: 0 16px; border-bottom: 1px solid #1f2023;
    color: #f2f3f5; font-weight: 600; font-size: 16px; }
  .channel-bar .hash { color: #80848e; font-size: 24px; font-weight: 400; }
  .channel-bar .topic { color: #949ba4; font-weight: 500; font-size: 14px; padding-left: 8px; margin-left: 4px;
    border-left: 1px solid #3f4147; }
  .message { position: relative; padding: 2px 48px 16px 72px; margin-top: 17px; }
  .avatar { position: absolute; left: 16px; top: 4px; width: 40px; height: 40px; border-radius: 50%; background: #ffd21e;
    display: flex; align-items: center; justify-content: center; font-size: 22px; line-height: 1; }
  .header { display: flex; align-items: baseline; gap: 4px; line-height: 22px; }
  .username { color: #f2f3f5; font-size: 16px; font-weight: 500; }
  .app-tag { align-self: center; background: #5865f2; color: #fff; font-size: 10px; font-weight: 600; height: 15px;
    line-height: 15px; padding: 0 4px; border-radius: 3px; margin-left: 2px; text-transform: uppercase; }
  .timestamp { color: #949ba4; font-size: 12px; font-weight: 500; margin-left: 4px; }
  .content { font-size: 16px; line-height: 22px; }
  .embeds { display: flex; flex-direction: column; gap: 8px; padding: 2px 0; margin-top: 2px; }
  .embed { display: flex; max-width: 520px; background: #2b2d31; border-left: 4px solid; border-radius: 4px;
    padding: 8px 16px 16px 12px; }
  .embed-body { flex: 1; min-width: 0; }
  .author, .title, .description, .fields, .footer { margin-top: 8px; }
  .author { font-size: 14px; font-weight: 600; color: #f2f3f5; }
  .author a { color: #f2f3f5; }
  .title { font-size: 16px; font-weight: 600; line-height: 22px; color: #f2f3f5; }
  .description { font-size: 14px; line-height: 18px; white-space: normal; overflow-wrap: anywhere; }
  .fields { display: flex; flex-wrap: wrap; gap: 8px 16px; font-size: 14px; line-height: 18px; }
  .field { flex-basis: 100%; }
  .field.inline { flex: 1 1 30%; }
  .field-name { font-weight: 600; color: #f2f3f5; margin-bottom: 2px; }
  .footer { font-size: 12px; font-weight: 500; line-height: 16px; color: #dbdee1; }
  .thumbnail { flex: none; width: 80px; height: 80px; margin: 8px 0 0 16px; border-radius: 4px; background: #3f4147;
    color: #6d6f78; display: flex; align-items: center; justify-content: center; }
  .more { color: #949ba4; font-size: 13px; font-style: italic; padding: 0 0 0 72px; margin: -4px 0 16px; }
</style>
</head>
<body>
<div class="channel-bar"><span class="hash">#</span>daily-papers<span class="topic">Hugging Face Daily Papers, every weekday at ${DEFAULT_SCHEDULE.time} UTC</span></div>
<div class="message">
  <div class="avatar" aria-hidden="true">📰</div>
  <div class="header"><span class="username">paperboy</span><span class="app-tag">App</span><span class="timestamp">${timestamp}</span></div>
  <div class="content">${renderMarkdown(message.content ?? '')}</div>
  <div class="embeds">
${embeds}
  </div>
</div>
${shown < message.embeds.length ? `<div class="more">… and ${String(message.embeds.length - shown)} more embeds in this message (not drawn)</div>` : ''}
<script>document.title = String(Math.ceil(document.documentElement.getBoundingClientRect().height));</script>
</body>
</html>
`;
}

// --- The screenshot ---------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'paperboy-picture-'));
try {
  const page = join(work, 'digest.html');
  writeFileSync(page, renderPage(first, embedsShown));
  // Without the background-networking flags Chromium keeps trying hosts it cannot reach; the profile is thrown away.
  const chromiumFlags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--hide-scrollbars',
    '--force-device-scale-factor=1',
    `--user-data-dir=${join(work, 'profile')}`,
  ];
  const chromium = (args: string[]): string =>
    execFileSync(values.chromium, [...chromiumFlags, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // First pass: lay the page out and read its height (the page's script writes it into <title>).
  const dom = chromium([`--window-size=${String(PAGE_WIDTH)},2000`, '--dump-dom', pathToFileURL(page).href]);
  const height = Number(/<title>(\d+)<\/title>/u.exec(dom)?.[1]);
  if (!Number.isInteger(height) || height <= 0) throw new Error('could not read the page height from Chromium');
  mkdirSync(dirname(out), { recursive: true });
  chromium([`--window-size=${String(PAGE_WIDTH)},${String(height)}`, `--screenshot=${out}`, pathToFileURL(page).href]);
  if (!existsSync(out)) throw new Error(`Chromium wrote no screenshot to ${out}`);
  console.log(`wrote ${out} (${String(PAGE_WIDTH)} x ${String(height)} px)`);
  if (values['keep-html']) {
    const html = out.replace(/\.png$/u, '.html');
    writeFileSync(html, renderPage(first, embedsShown));
    console.log(`wrote ${html}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
