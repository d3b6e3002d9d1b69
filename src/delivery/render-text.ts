import { arxivAbsUrl, hfPaperUrl } from '../papers/paper.js';
import type { StoredPaper } from '../store/paper-store.js';
import { digestHeadline, type Selection } from './selection.js';
import { codePointLength } from './text.js';
import { cleanText } from '../render/escape.js';

const AUTHORS_SHOWN = 3;
const ABSTRACT_SENTENCES = 2;
const SENTENCE_SCAN_MAX = 1_500;

/**
 * The digest as plain text for a terminal (the CLI preview and `npm start` without a token).
 * Paper text is untrusted: cleanText removes control characters (ANSI escapes included) and bidi overrides.
 */
export function renderDigestText(selection: Selection, width = 100): string {
  const lines = [digestHeadline(selection), ''];
  if (selection.papers.length === 0) lines.push('  (no papers)');
  selection.papers.forEach((paper, index) => {
    lines.push(...renderPaper(paper, index + 1, Math.max(40, width)), '');
  });
  return lines.join('\n');
}

function renderPaper(paper: StoredPaper, rank: number, width: number): string[] {
  const prefix = `${String(rank).padStart(2)}. `;
  const indent = ' '.repeat(prefix.length);
  const title = wrap(cleanText(paper.title), width - prefix.length);
  const lines = title.map((line, index) => (index === 0 ? prefix : indent) + line);
  const facts = [`▲ ${String(paper.upvotes)}`];
  if (paper.comments !== null) facts.push(`${String(paper.comments)} ${paper.comments === 1 ? 'comment' : 'comments'}`);
  if (paper.organization !== null) facts.push(cleanText(paper.organization.fullname ?? paper.organization.name));
  const authors = authorLine(paper.authors);
  if (authors !== '') facts.push(authors);
  lines.push(...wrap(facts.join(' · '), width - indent.length).map((line) => indent + line));
  const gist =
    paper.aiSummary !== null ? `TL;DR: ${cleanText(paper.aiSummary)}` : firstSentences(cleanText(paper.abstract));
  if (gist !== '') lines.push(...wrap(gist, width - indent.length).map((line) => indent + line));
  const links = [hfPaperUrl(paper.id), arxivAbsUrl(paper.id)];
  if (paper.githubRepo !== null) {
    links.push(
      `${cleanText(paper.githubRepo)}${paper.githubStars !== null ? ` (★ ${String(paper.githubStars)})` : ''}`,
    );
  }
  lines.push(indent + links.join('  '));
  return lines;
}

function authorLine(authors: readonly string[]): string {
  const shown = authors.slice(0, AUTHORS_SHOWN).map((author) => cleanText(author));
  const more = authors.length - shown.length;
  return more > 0 ? `${shown.join(', ')} +${String(more)}` : shown.join(', ');
}

/** The first sentences of an abstract, when HF has no TL;DR. */
export function firstSentences(text: string, count = ABSTRACT_SENTENCES): string {
  // Only the opening is scanned: the sentence pattern is quadratic on long text without full stops.
  const head = text.slice(0, SENTENCE_SCAN_MAX);
  const sentences = head.match(/[^.!?]+[.!?]+(?=\s|$)/gu) ?? [];
  const taken = sentences.slice(0, count).join('').trim();
  return taken === '' ? head : taken;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && codePointLength(line) + 1 + codePointLength(word) > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
