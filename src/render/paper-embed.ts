import { firstSentences } from '../delivery/render-text.js';
import { codePointLength } from '../delivery/text.js';
import { arxivAbsUrl, arxivPdfUrl, hfPaperUrl } from '../papers/paper.js';
import type { StoredPaper } from '../store/paper-store.js';
import type { APIEmbed, APIEmbedField } from './discord-types.js';
import { cleanText, fitMarkdown, fitPlain, hasVisibleText } from './escape.js';
import { EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX } from './limits.js';
import { safeUrl } from './urls.js';

export type EmbedForm = 'full' | 'compact';

export interface PaperEmbedOptions {
  /** `compact` for digests (up to 10 a message), `full` for one paper a message (per-paper, thread, /papers show). */
  readonly form: EmbedForm;
  /** The channel's topics this paper matched, shown as a field. */
  readonly matchedTopics?: readonly string[] | undefined;
  /** Where HF pages live (tests point it at a local server). */
  readonly hfBaseUrl?: string | undefined;
  /** The list day the paper is posted for, in the full form's footer; defaults to the paper's latest list day. */
  readonly listDay?: string | undefined;
}

export const DEFAULT_HF_BASE_URL = 'https://huggingface.co';
/** Hugging Face yellow. */
export const EMBED_COLOR = 0xffd21e;

/*
 * Budgets, in code points as Discord counts them (title + description + field names and values + footer + author).
 *
 * Compact: a digest message must hold 10 compact embeds within the 6000 shared by all its embeds (the header line is
 * `content`, outside that total), so each compact embed is held to 580: 10 x 580 = 5800, 200 to spare. Within it
 * the title, organisation, authors and matched topics have fixed caps (at most 344 together), and the description
 * gets the rest: the links line (upvotes and comments, then arXiv, PDF, GitHub, project page, each only while the
 * gist keeps at least COMPACT_GIST_MIN) and the gist (TL;DR or first sentences) up to COMPACT_GIST_MAX.
 * URLs in the embed's `url`, thumbnail and author link cost nothing; URLs in markdown links count, which is why a
 * long GitHub or project URL is dropped from a compact embed rather than squeezed.
 *
 * Full: one embed per message, so the caps below only have to sum to well under 6000: 256 title + 2200 description
 * + 100 organisation + 120 footer + about 70 of field names + 600 authors + 40 counts + 200 arXiv/PDF + 2 x 620 code
 * and project links + 300 keywords + 300 topics = 5426 at most.
 */
export const COMPACT_EMBED_BUDGET = 580;
const COMPACT_TITLE_MAX = 150;
const COMPACT_ORGANIZATION_MAX = 40;
const COMPACT_AUTHORS_MAX = 80;
const COMPACT_AUTHORS_SHOWN = 3;
const COMPACT_AUTHOR_NAME_MAX = 40;
const COMPACT_TOPICS_MAX = 60;
const COMPACT_GIST_MIN = 100;
const COMPACT_GIST_MAX = 280;

const FULL_DESCRIPTION_MAX = 2200;
const FULL_TLDR_MAX = 600;
const FULL_ORGANIZATION_MAX = 100;
const FULL_FOOTER_MAX = 120;
const FULL_AUTHORS_MAX = 600;
const FULL_AUTHORS_SHOWN = 10;
const FULL_AUTHOR_NAME_MAX = 80;
const FULL_KEYWORDS_MAX = 300;
const FULL_KEYWORDS_SHOWN = 20;
const FULL_TOPICS_MAX = 300;
const FULL_LINKS_MAX = 200;
/** Longest URL put in a markdown link (it counts against the field value's 1024). */
const FULL_LINK_URL_MAX = 500;
const LINK_LABEL_MAX = 100;
const TOPICS_SHOWN = 25;
/** The gist only needs the opening of an abstract; `firstSentences` is quadratic on text without sentence ends. */
const GIST_SOURCE_UNITS = 800;

const SEPARATOR = ' · ';
const SEPARATOR_LENGTH = codePointLength(SEPARATOR);
const HF_SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/u;
const COUNT = new Intl.NumberFormat('en-US');
const COUNT_SHORT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** One paper as a Discord embed, within every limit. Pure: the same paper and options give the same embed. */
export function renderPaperEmbed(paper: StoredPaper, options: PaperEmbedOptions): APIEmbed {
  return options.form === 'full' ? renderFull(paper, options) : renderCompact(paper, options);
}

interface Common {
  readonly title: string;
  readonly url: string | null;
  readonly thumbnail: string | null;
  readonly organization: { readonly name: string; readonly url: string | null } | null;
  readonly arxiv: string | null;
  readonly pdf: string | null;
  readonly github: string | null;
  readonly projectPage: string | null;
}

function common(paper: StoredPaper, options: PaperEmbedOptions, titleMax: number, organizationMax: number): Common {
  const hfBase = (options.hfBaseUrl ?? DEFAULT_HF_BASE_URL).replace(/\/+$/u, '');
  const title = hasVisibleText(paper.title) ? paper.title : `arXiv ${paper.id}`;
  let organization: Common['organization'] = null;
  if (paper.organization !== null) {
    const fullname = paper.organization.fullname ?? '';
    const shown = hasVisibleText(fullname) ? fullname : paper.organization.name;
    const name = fitPlain(shown, organizationMax);
    if (hasVisibleText(name)) {
      // Only an HF-shaped slug is linked: anything else is not an HF page (and would not survive URL encoding).
      const slug = paper.organization.name;
      organization = { name, url: HF_SLUG.test(slug) ? safeUrl(`${hfBase}/${slug}`) : null };
    }
  }
  return {
    title: fitMarkdown(title, titleMax),
    url: safeUrl(hfPaperUrl(paper.id, hfBase)),
    thumbnail: safeUrl(paper.thumbnail),
    organization,
    arxiv: safeUrl(arxivAbsUrl(paper.id)),
    pdf: safeUrl(arxivPdfUrl(paper.id)),
    github: safeUrl(paper.githubRepo),
    projectPage: safeUrl(paper.projectPage),
  };
}

/** The parts of a compact embed that do not depend on the matched topics. */
interface CompactParts {
  readonly base: Common;
  readonly authors: string;
  readonly gistSource: string;
  readonly gistFull: string;
  readonly gistFullLength: number;
  /** Code points of the title, organization and authors: the embed's text other than its description and topics. */
  readonly fixedLength: number;
  /** The links that may follow the gist, in order of preference, with their lengths in code points. */
  readonly candidates: readonly { readonly text: string; readonly length: number }[];
}

/**
 * Per paper object and HF base URL: a planning pass renders each paper of the day for thousands of channels, with
 * different matched topics (thousands of distinct embeds), and everything but the topics and the room they leave is
 * the same. Papers are not modified once read (StoredPaper is read-only).
 */
const compactParts = new WeakMap<StoredPaper, Map<string, CompactParts>>();

function compactPartsOf(paper: StoredPaper, options: PaperEmbedOptions): CompactParts {
  let byBase = compactParts.get(paper);
  if (byBase === undefined) {
    byBase = new Map();
    compactParts.set(paper, byBase);
  }
  const key = options.hfBaseUrl ?? '';
  let parts = byBase.get(key);
  if (parts === undefined) {
    const base = common(paper, options, COMPACT_TITLE_MAX, COMPACT_ORGANIZATION_MAX);
    const gistSource = gistOf(paper);
    const gistFull = fitMarkdown(gistSource, COMPACT_GIST_MAX, { wordBoundary: true });
    const comments = paper.comments === null ? '' : `${SEPARATOR}💬 ${formatCount(paper.comments)}`;
    const authors = fitList(paper.authors, {
      separator: ', ',
      max: COMPACT_AUTHORS_MAX,
      shown: COMPACT_AUTHORS_SHOWN,
      itemMax: COMPACT_AUTHOR_NAME_MAX,
      markdown: false,
    });
    parts = {
      base,
      authors,
      gistSource,
      gistFull,
      gistFullLength: codePointLength(gistFull),
      fixedLength:
        codePointLength(base.title) + codePointLength(base.organization?.name ?? '') + codePointLength(authors),
      candidates: [
        `▲ ${formatCount(paper.upvotes)}${comments}`,
        markdownLink('arXiv', base.arxiv),
        markdownLink('PDF', base.pdf),
        base.github === null ? null : markdownLink(`GitHub${starsOf(paper)}`, base.github),
        markdownLink('Project page', base.projectPage),
      ]
        .filter((text) => text !== null)
        .map((text) => ({ text, length: codePointLength(text) })),
    };
    byBase.set(key, parts);
  }
  return parts;
}

function renderCompact(paper: StoredPaper, options: PaperEmbedOptions): APIEmbed {
  const { base, authors, gistSource, gistFull, gistFullLength, fixedLength, candidates } = compactPartsOf(
    paper,
    options,
  );
  const topics = fitList(options.matchedTopics ?? [], {
    separator: ', ',
    max: COMPACT_TOPICS_MAX,
    shown: TOPICS_SHOWN,
    itemMax: COMPACT_TOPICS_MAX,
    markdown: true,
  });
  const fields: APIEmbedField[] = topics === '' ? [] : [{ name: 'Matched topics', value: topics, inline: true }];
  const fixed =
    fixedLength + fields.reduce((sum, field) => sum + codePointLength(field.name) + codePointLength(field.value), 0);
  const room = Math.min(EMBED_DESCRIPTION_MAX, COMPACT_EMBED_BUDGET - fixed);

  // The gist keeps at least COMPACT_GIST_MIN (or all of itself when shorter) plus its line break.
  const gistReserve = gistFull === '' ? 0 : Math.min(COMPACT_GIST_MIN, gistFullLength) + 1;
  let links = '';
  let linksLength = 0;
  for (const part of candidates) {
    const nextLength = links === '' ? part.length : linksLength + SEPARATOR_LENGTH + part.length;
    if (nextLength > room - gistReserve) continue;
    links = links === '' ? part.text : `${links}${SEPARATOR}${part.text}`;
    linksLength = nextLength;
  }
  const gistRoom = Math.min(COMPACT_GIST_MAX, room - linksLength - (links === '' ? 0 : 1));
  // With all of COMPACT_GIST_MAX, the gist is gistFull (fitted to that already).
  const gist =
    gistFull === '' || gistRoom === COMPACT_GIST_MAX
      ? gistFull
      : fitMarkdown(gistSource, gistRoom, { wordBoundary: true });
  const description = [gist, links].filter((part) => part !== '').join('\n');

  return assemble(base, {
    description,
    fields,
    footer: authors,
  });
}

function renderFull(paper: StoredPaper, options: PaperEmbedOptions): APIEmbed {
  const base = common(paper, options, EMBED_TITLE_MAX, FULL_ORGANIZATION_MAX);

  const parts: string[] = [];
  let room = FULL_DESCRIPTION_MAX;
  const summary = summaryOf(paper);
  if (summary !== null) {
    const tldr = `**TL;DR** ${fitMarkdown(summary, FULL_TLDR_MAX, { wordBoundary: true })}`;
    parts.push(tldr);
    room -= codePointLength(tldr) + 2;
  }
  const excerpt = fitMarkdown(paper.abstract, room, { wordBoundary: true });
  if (excerpt !== '') parts.push(excerpt);

  const fields: APIEmbedField[] = [];
  const authors = fitList(paper.authors, {
    separator: ', ',
    max: FULL_AUTHORS_MAX,
    shown: FULL_AUTHORS_SHOWN,
    itemMax: FULL_AUTHOR_NAME_MAX,
    markdown: true,
  });
  if (authors !== '') fields.push({ name: 'Authors', value: authors });
  fields.push({ name: 'Upvotes', value: `▲ ${formatCount(paper.upvotes)}`, inline: true });
  if (paper.comments !== null) {
    fields.push({ name: 'Comments', value: `💬 ${formatCount(paper.comments)}`, inline: true });
  }
  const arxivLinks = [
    markdownLink('arXiv', base.arxiv, FULL_LINK_URL_MAX),
    markdownLink('PDF', base.pdf, FULL_LINK_URL_MAX),
  ]
    .filter((link): link is string => link !== null)
    .join(SEPARATOR);
  if (arxivLinks !== '' && codePointLength(arxivLinks) <= FULL_LINKS_MAX) {
    fields.push({ name: 'Paper', value: arxivLinks, inline: true });
  }
  const code = markdownLink(githubLabel(base.github), base.github, FULL_LINK_URL_MAX);
  if (code !== null) fields.push({ name: 'Code', value: `${code}${starsOf(paper)}`, inline: true });
  const project = markdownLink(hostLabel(base.projectPage), base.projectPage, FULL_LINK_URL_MAX);
  if (project !== null) fields.push({ name: 'Project page', value: project, inline: true });
  const keywords = fitList(paper.aiKeywords, {
    separator: SEPARATOR,
    max: FULL_KEYWORDS_MAX,
    shown: FULL_KEYWORDS_SHOWN,
    itemMax: LINK_LABEL_MAX,
    markdown: true,
  });
  if (keywords !== '') fields.push({ name: 'Keywords', value: keywords });
  const topics = fitList(options.matchedTopics ?? [], {
    separator: ', ',
    max: FULL_TOPICS_MAX,
    shown: TOPICS_SHOWN,
    itemMax: LINK_LABEL_MAX,
    markdown: true,
  });
  if (topics !== '') fields.push({ name: 'Matched topics', value: topics });

  const day = options.listDay ?? paper.listDays.at(-1);
  const footer = fitPlain(
    `arXiv ${paper.id}${day === undefined ? '' : `${SEPARATOR}Daily Papers ${day}`}`,
    FULL_FOOTER_MAX,
  );
  return assemble(base, { description: parts.join('\n\n'), fields, footer });
}

function assemble(
  base: Common,
  parts: { readonly description: string; readonly fields: APIEmbedField[]; readonly footer: string },
): APIEmbed {
  return {
    title: base.title,
    ...(base.url === null ? {} : { url: base.url }),
    color: EMBED_COLOR,
    ...(base.organization === null
      ? {}
      : {
          author: {
            name: base.organization.name,
            ...(base.organization.url === null ? {} : { url: base.organization.url }),
          },
        }),
    ...(parts.description === '' ? {} : { description: parts.description }),
    ...(parts.fields.length === 0 ? {} : { fields: parts.fields }),
    ...(base.thumbnail === null ? {} : { thumbnail: { url: base.thumbnail } }),
    ...(parts.footer === '' ? {} : { footer: { text: parts.footer } }),
  };
}

/** TL;DR when HF has one, else the abstract's first sentences. */
function gistOf(paper: StoredPaper): string {
  return summaryOf(paper) ?? firstSentences(cleanText(paper.abstract.slice(0, GIST_SOURCE_UNITS)));
}

/** HF's ai_summary, unless it is missing or shows nothing. */
function summaryOf(paper: StoredPaper): string | null {
  return paper.aiSummary !== null && hasVisibleText(paper.aiSummary) ? paper.aiSummary : null;
}

interface ListOptions {
  readonly separator: string;
  /** Code points for the whole list, "+N" included. */
  readonly max: number;
  /** Items shown at most; the rest are counted in "+N". */
  readonly shown: number;
  /** Code points per item. */
  readonly itemMax: number;
  /** Escape for a markdown surface, or plain text. */
  readonly markdown: boolean;
}

/** "A, B, C +14": the first items that fit, blanks skipped, the rest counted. Only the shown items are processed. */
function fitList(items: readonly string[], options: ListOptions): string {
  const fitItem = (item: string, max: number): string =>
    options.markdown ? fitMarkdown(item, max) : fitPlain(item, max);
  const shown: { raw: string; text: string }[] = [];
  let scanned = 0;
  for (; scanned < items.length && shown.length < options.shown; scanned += 1) {
    const raw = items[scanned] ?? '';
    const text = fitItem(raw, options.itemMax);
    if (hasVisibleText(text)) shown.push({ raw, text });
  }
  if (shown.length === 0) return '';
  const total = items.length - (scanned - shown.length);
  for (let count = shown.length; count >= 1; count -= 1) {
    const more = total - count;
    const text = shown
      .slice(0, count)
      .map((item) => item.text)
      .join(options.separator);
    const line = more > 0 ? `${text} +${String(more)}` : text;
    if (codePointLength(line) <= options.max) return line;
  }
  // Not even the first item fits beside its "+N": shorten it.
  const suffix = total > 1 ? ` +${String(total - 1)}` : '';
  const first = shown[0]?.raw ?? '';
  return `${fitItem(first, options.max - codePointLength(suffix))}${suffix}`;
}

/** `[label](url)`, or null without a URL or when the URL is longer than `urlMax`. */
function markdownLink(label: string, url: string | null, urlMax = Number.POSITIVE_INFINITY): string | null {
  if (url === null || url.length > urlMax) return null;
  return `[${label}](${url})`;
}

function starsOf(paper: StoredPaper): string {
  return paper.githubStars === null ? '' : ` ★ ${formatCount(paper.githubStars)}`;
}

/** "owner/repo" for GitHub URLs, else the host: escaped, as it is shown as link text. */
function githubLabel(url: string | null): string {
  if (url === null) return '';
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/^\/+|\/+$/gu, '');
  const label = parsed.hostname === 'github.com' && path !== '' ? path : `${parsed.hostname}${parsed.pathname}`;
  const fitted = fitMarkdown(label, LINK_LABEL_MAX);
  return hasVisibleText(fitted) ? fitted : 'GitHub';
}

function hostLabel(url: string | null): string {
  const fitted = url === null ? '' : fitMarkdown(new URL(url).hostname, LINK_LABEL_MAX);
  return hasVisibleText(fitted) ? fitted : 'Project page';
}

/** 163, 12,345, 1.2M: counts from HF are untrusted numbers too, so they are clamped to something printable. */
function formatCount(value: number): string {
  const count = Number.isFinite(value) ? Math.min(Math.max(0, Math.floor(value)), 999e12) : 0;
  return count < 100_000 ? COUNT.format(count) : COUNT_SHORT.format(count);
}
