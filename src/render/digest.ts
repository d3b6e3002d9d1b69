import { digestHeadline, type Selection } from '../delivery/selection.js';
import { truncateCodePoints } from '../delivery/text.js';
import type { StoredPaper } from '../store/paper-store.js';
import type { APIEmbed } from './discord-types.js';
import { MESSAGE_CONTENT_MAX, MESSAGE_EMBEDS_MAX, MESSAGE_EMBEDS_TOTAL_MAX } from './limits.js';
import { renderPaperEmbed } from './paper-embed.js';
import { embedTextLength } from './validate.js';

/** A message body in Discord's JSON shape, ready for the REST API (or discord.js's `send`). Mentions are never parsed. */
export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
}

export interface DigestOptions {
  /** The channel's topics each paper (by id) matched. */
  readonly matchedTopics?: ReadonlyMap<string, readonly string[]> | undefined;
  readonly hfBaseUrl?: string | undefined;
  /**
   * Renders one paper's compact embed; renderPaperEmbed by default. The planner passes a memoised one: thousands of
   * channels share the same papers of a day.
   */
  readonly compactEmbed?: ((paper: StoredPaper, matchedTopics: readonly string[] | undefined) => APIEmbed) | undefined;
}

export interface PaperMessageOptions {
  readonly matchedTopics?: readonly string[] | undefined;
  readonly hfBaseUrl?: string | undefined;
  readonly listDay?: string | undefined;
  /** Renders the full embed; renderPaperEmbed by default (the planner passes a memoised one, as for digests). */
  readonly fullEmbed?: ((paper: StoredPaper, matchedTopics: readonly string[] | undefined) => APIEmbed) | undefined;
}

/**
 * A day's digest as messages: the header line (`digestHeadline`) as the first message's content, then compact embeds,
 * packed greedily, a new message whenever the next embed would make an 11th, push the embeds past 6000 code points
 * together, or repeat a URL (Discord merges embeds with the same URL). A paper appearing twice in the selection is
 * shown once. No papers, no messages: whether to say "nothing today" is the caller's decision.
 */
export function renderDigestMessages(selection: Selection, options: DigestOptions = {}): RenderedMessage[] {
  const papers = uniqueById(selection.papers);
  if (papers.length === 0) return [];
  const batches: APIEmbed[][] = [];
  let batch: APIEmbed[] = [];
  let total = 0;
  let urls = new Set<string>();
  for (const paper of papers) {
    const matchedTopics = options.matchedTopics?.get(paper.id);
    const embed =
      options.compactEmbed?.(paper, matchedTopics) ??
      renderPaperEmbed(paper, { form: 'compact', matchedTopics, hfBaseUrl: options.hfBaseUrl, listDay: selection.day });
    const size = sizeOf(embed);
    const repeatsUrl = embed.url !== undefined && urls.has(embed.url);
    if (
      batch.length > 0 &&
      (batch.length === MESSAGE_EMBEDS_MAX || total + size > MESSAGE_EMBEDS_TOTAL_MAX || repeatsUrl)
    ) {
      batches.push(batch);
      batch = [];
      total = 0;
      urls = new Set();
    }
    batch.push(embed);
    total += size;
    if (embed.url !== undefined) urls.add(embed.url);
  }
  batches.push(batch);
  const header = truncateCodePoints(digestHeadline({ ...selection, papers }), MESSAGE_CONTENT_MAX);
  return batches.map((embeds, index) => ({
    ...(index === 0 ? { content: header } : {}),
    embeds,
    allowed_mentions: { parse: [] },
  }));
}

/** One paper, one full embed: per-paper and thread modes, and `/papers show`. */
export function renderPaperMessage(paper: StoredPaper, options: PaperMessageOptions = {}): RenderedMessage {
  const { fullEmbed, ...rest } = options;
  return {
    embeds: [fullEmbed?.(paper, options.matchedTopics) ?? renderPaperEmbed(paper, { ...rest, form: 'full' })],
    allowed_mentions: { parse: [] },
  };
}

/** embedTextLength once per embed object: the planner packs the same memoised embeds for thousands of channels. */
const embedSizes = new WeakMap<APIEmbed, number>();

function sizeOf(embed: APIEmbed): number {
  let size = embedSizes.get(embed);
  if (size === undefined) {
    size = embedTextLength(embed);
    embedSizes.set(embed, size);
  }
  return size;
}

function uniqueById(papers: readonly StoredPaper[]): StoredPaper[] {
  const seen = new Set<string>();
  return papers.filter((paper) => {
    if (seen.has(paper.id)) return false;
    seen.add(paper.id);
    return true;
  });
}
