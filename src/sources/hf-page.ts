import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import { z } from 'zod';
import { canonicalPaperId, isIsoDay, normalizeWhitespace, utcDay, type ListedPaper } from '../papers/paper.js';
import { HfSourceError } from './errors.js';
import { trimBase, type FetchDayOptions } from './hf-api.js';
import { assertIsoDay, parseDailyItems, sortListedPapers, type HfDayResult, type ParseOptions } from './hf-schema.js';
import { unexpectedStatusError, type HttpClient } from './http.js';

/** `{base}/papers/date/D`: the current form of the day's HTML list. */
export function pageDayUrl(baseUrl: string, day: string): string {
  return `${trimBase(baseUrl)}/papers/date/${day}`;
}

export interface ParsedPage {
  /** 'page': the embedded JSON (complete data). 'page-cards': the article cards (no abstract, no authors). */
  readonly source: 'page' | 'page-cards';
  /** The day the page says it lists (its props), else the requested day. */
  readonly day: string;
  readonly papers: ListedPaper[];
}

const DAILY_PAPERS_SELECTOR = '[data-target="DailyPapers"]';
const CARD_TITLE_SELECTOR = 'h3 > a[href^="/papers/"]';

// The props object: 2024 pages carry `date` (an ISO instant), 2026 pages `dateString` (YYYY-MM-DD).
const pagePropsSchema = z.object({
  date: z.string().nullish(),
  dateString: z.string().nullish(),
  dailyPapers: z.array(z.unknown()),
});

/**
 * Fetches and parses the day's HTML list. A 400 means the day is not open yet (as for the API).
 * Throws HfSourceError ('http-status', 'network', 'timeout', 'rate-limited', 'invalid-json', 'schema', 'layout-drift').
 */
export async function fetchPageDay(
  http: HttpClient,
  baseUrl: string,
  day: string,
  options: FetchDayOptions = {},
): Promise<HfDayResult> {
  assertIsoDay(day);
  const url = pageDayUrl(baseUrl, day);
  const response = await http.get(url, { accept: 'text/html', signal: options.signal });
  if (response.status === 400) return { kind: 'not-yet', day, url };
  if (response.status < 200 || response.status >= 300) throw unexpectedStatusError(response);
  const parsed = parsePage(response.body, day, url, { logger: options.logger });
  if (parsed.day !== day) {
    options.logger?.warn({ url, day, pageDay: parsed.day }, 'HF page lists a different day than the one asked for');
  }
  if (parsed.source === 'page-cards') {
    options.logger?.warn({ url, day }, 'HF page has no embedded list; read the cards (no abstracts, no authors)');
  }
  return { kind: 'list', day: parsed.day, source: parsed.source, url, papers: parsed.papers };
}

/**
 * Parses a Daily Papers list page. First choice: the JSON in `[data-target="DailyPapers"]`'s `data-props` (same items
 * as the API). Last resort: the `<article>` cards. Neither: HfSourceError 'layout-drift'.
 */
export function parsePage(html: string, requestedDay: string, url: string, options: ParseOptions = {}): ParsedPage {
  assertIsoDay(requestedDay);
  const $ = cheerio.load(html);
  const rawProps = $(DAILY_PAPERS_SELECTOR).first().attr('data-props');
  if (rawProps !== undefined) return parseProps(rawProps, requestedDay, url, options);
  const fromCards = parseCards($, requestedDay, url, options);
  if (fromCards !== null) return fromCards;
  throw new HfSourceError(
    'layout-drift',
    url,
    `HF page layout changed: no ${DAILY_PAPERS_SELECTOR} element with data-props and no <article> cards with "${CARD_TITLE_SELECTOR}"`,
  );
}

function parseProps(rawProps: string, requestedDay: string, url: string, options: ParseOptions): ParsedPage {
  let json: unknown;
  try {
    json = JSON.parse(rawProps);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HfSourceError(
      'invalid-json',
      url,
      `data-props of ${DAILY_PAPERS_SELECTOR} is not valid JSON (${reason})`,
      {
        cause: error,
      },
    );
  }
  const props = pagePropsSchema.safeParse(json);
  if (!props.success) {
    throw new HfSourceError(
      'layout-drift',
      url,
      `HF page layout changed: data-props of ${DAILY_PAPERS_SELECTOR} has no dailyPapers array`,
    );
  }
  const day = propsDay(props.data) ?? requestedDay;
  const papers = parseDailyItems(props.data.dailyPapers, day, url, 'page data-props dailyPapers', options);
  return { source: 'page', day, papers };
}

function propsDay(props: z.infer<typeof pagePropsSchema>): string | null {
  if (props.dateString != null && isIsoDay(props.dateString)) return props.dateString;
  if (props.date != null) {
    const instant = Date.parse(props.date);
    if (!Number.isNaN(instant)) return utcDay(new Date(instant));
  }
  return null;
}

/**
 * The last resort: partial papers from the `<article>` cards that hold a paper title link; null when there are none.
 * Every card must yield an id, a title and an upvote count, else the layout has drifted.
 */
function parseCards($: CheerioAPI, requestedDay: string, url: string, options: ParseOptions): ParsedPage | null {
  const cards = $('article').filter((_, article) => $(article).find(CARD_TITLE_SELECTOR).length > 0);
  if (cards.length === 0) return null;
  const byId = new Map<string, ListedPaper>();
  cards.each((index, article) => {
    const card = $(article);
    const link = card.find(CARD_TITLE_SELECTOR).first();
    const href = link.attr('href') ?? '';
    const rawId = safeDecode(href.slice('/papers/'.length).split(/[?#]/u)[0] ?? '');
    const id = canonicalPaperId(rawId);
    if (id === null) {
      options.logger?.warn({ url, index, rawId }, 'HF card skipped: its id is not an arXiv id');
      return;
    }
    const title = normalizeWhitespace(link.text());
    // The upvote count is the number in a div.leading-none inside a link (the upvote button); the "Submitted by"
    // badge shares the class but sits outside any link.
    const upvoteText = card
      .find('a div.leading-none')
      .toArray()
      .map((element) => normalizeWhitespace($(element).text()))
      .find((text) => /^\d[\d,]*$/u.test(text));
    const missing = [title === '' ? 'title' : null, upvoteText === undefined ? 'upvote count' : null].filter(
      (what) => what !== null,
    );
    if (missing.length > 0 || upvoteText === undefined) {
      throw new HfSourceError(
        'layout-drift',
        url,
        `HF page layout changed: card ${String(index)} (${rawId}) has no ${missing.join(' and ')}`,
      );
    }
    const commentText = normalizeWhitespace(card.find('a[href$="#community"]').first().text());
    // The preview image is the direct child of a link to the paper (author avatars sit deeper, in a list); a card
    // showing a video has no image.
    const thumbnail = card
      .find('a[href^="/papers/"] > img')
      .toArray()
      .map((element) => $(element).attr('src') ?? '')
      .find((src) => /^https?:\/\//u.test(src));
    const upvotes = Number(upvoteText.replace(/,/gu, ''));
    const existing = byId.get(id);
    if (existing !== undefined && existing.paper.upvotes >= upvotes) return;
    byId.set(id, {
      listDay: requestedDay,
      paper: {
        id,
        title,
        abstract: '',
        authors: [],
        organization: null,
        upvotes,
        comments: /^\d+$/u.test(commentText) ? Number(commentText) : null,
        aiSummary: null,
        aiKeywords: [],
        githubRepo: null,
        githubStars: null,
        projectPage: null,
        thumbnail: thumbnail ?? null,
        publishedAt: null,
      },
    });
  });
  return { source: 'page-cards', day: requestedDay, papers: sortListedPapers([...byId.values()]) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
