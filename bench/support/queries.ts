import type { ListedPaper } from '../../src/papers/paper.js';
import { pick, seededRandom } from './stats.js';

/**
 * The fixed query mix of the search benchmarks, drawn with a fixed seed from the real corpus's titles and
 * authors (the same 200 queries at every store size and in every run):
 *   50 one or two words, 30 three words, 30 phrases, 30 OR, 30 exclusions, 30 author filters.
 * Words are drawn by frequency from title words of 4+ letters (stop words left out), so common words
 * (`model`, `language`) come up about as often as users type them.
 */
export interface BenchQuery {
  readonly kind: 'words' | 'three-words' | 'phrase' | 'or' | 'exclusion' | 'author';
  readonly query: string;
}

const STOP_WORDS = new Set(
  `the a an of for and in on with to via from by is are at as or not near towards toward using through into its
  their we our can be this that vs than when what how does do more less without beyond based all one two new`.split(
    /\s+/,
  ),
);

function titleWords(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 4 && !STOP_WORDS.has(word) && !/^\d+$/.test(word));
}

export function benchQueries(items: readonly ListedPaper[], seed = 7): BenchQuery[] {
  const random = seededRandom(seed);
  const papers = [...new Map(items.map((item) => [item.paper.id, item.paper])).values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const words = papers.flatMap((paper) => titleWords(paper.title));
  const word = () => pick(random, words);
  const phrase = (): string => {
    for (;;) {
      const paper = pick(random, papers);
      const parts = paper.title
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      const length = 2 + Math.floor(random() * 2);
      if (parts.length < length) continue;
      const start = Math.floor(random() * (parts.length - length + 1));
      const chosen = parts.slice(start, start + length);
      if (chosen.every((part) => STOP_WORDS.has(part))) continue;
      return `"${chosen.join(' ')}"`;
    }
  };
  const author = (): string => {
    for (;;) {
      const paper = pick(random, papers);
      if (paper.authors.length === 0) continue;
      const name = pick(random, paper.authors).replaceAll('"', '');
      if (name.trim() === '') continue;
      // Half the author filters are a whole name, half a surname alone.
      const surname = name.split(' ').at(-1) ?? name;
      return random() < 0.5 ? `author:"${name}"` : `author:${surname}`;
    }
  };
  const queries: BenchQuery[] = [];
  const add = (kind: BenchQuery['kind'], count: number, make: () => string) => {
    for (let i = 0; i < count; i += 1) queries.push({ kind, query: make() });
  };
  add('words', 50, () => (random() < 0.5 ? word() : `${word()} ${word()}`));
  add('three-words', 30, () => `${word()} ${word()} ${word()}`);
  add('phrase', 30, phrase);
  add('or', 30, () => (random() < 0.5 ? `${word()} OR ${word()}` : `${phrase()} OR ${word()} ${word()}`));
  add('exclusion', 30, () => (random() < 0.5 ? `${word()} -${word()}` : `${word()} ${word()} -${phrase()}`));
  add('author', 30, () => (random() < 0.5 ? author() : `${author()} ${word()}`));
  // Interleave the kinds, so that any stretch of the run sees the whole mix.
  return queries
    .map((query) => ({ query, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ query }) => query);
}

/**
 * What autocomplete sees while people type: prefixes of real titles at growing lengths (Discord asks on each
 * keystroke), plus prefixes of single words.
 */
export function autocompleteInputs(items: readonly ListedPaper[], seed = 11): string[] {
  const random = seededRandom(seed);
  const titles = [...new Set(items.map((item) => item.paper.title))].sort();
  const inputs: string[] = [];
  for (let i = 0; i < 40; i += 1) {
    const title = pick(random, titles);
    for (const length of [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30]) {
      if (length <= title.length) inputs.push(title.slice(0, length));
    }
  }
  const words = titles.flatMap(titleWords);
  for (let i = 0; i < 30; i += 1) {
    const word = pick(random, words);
    for (let length = 2; length <= Math.min(6, word.length); length += 1) inputs.push(word.slice(0, length));
  }
  return inputs;
}

/**
 * Channel topics as people write them: mostly a word or two, some phrases, OR, organisations, authors and
 * exclusions; drawn with a fixed seed from the corpus. Every topic parses.
 */
export function topicPool(items: readonly ListedPaper[], size = 500, seed = 13): string[] {
  const random = seededRandom(seed);
  const papers = [...new Map(items.map((item) => [item.paper.id, item.paper])).values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const words = papers.flatMap((paper) => titleWords(paper.title));
  const orgs = papers.flatMap((paper) => (paper.organization === null ? [] : [paper.organization.name]));
  const surnames = papers.flatMap((paper) =>
    paper.authors.map((name) => name.split(' ').at(-1) ?? '').filter((name) => /^\p{L}{3,}$/u.test(name)),
  );
  const word = () => pick(random, words);
  const topics = new Set<string>();
  while (topics.size < size) {
    const roll = random();
    let topic: string;
    if (roll < 0.4) topic = word();
    else if (roll < 0.6) topic = `"${word()} ${word()}"`;
    else if (roll < 0.75) topic = `${word()} OR ${word()}`;
    else if (roll < 0.85) topic = `org:${pick(random, orgs)}`;
    else if (roll < 0.95) topic = `author:${pick(random, surnames)}`;
    else topic = `${word()} -${word()}`;
    topics.add(topic);
  }
  return [...topics];
}
