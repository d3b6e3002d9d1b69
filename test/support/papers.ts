import type { ListedPaper, Paper } from '../../src/papers/paper.js';

let counter = 0;

/** A paper with plausible defaults; override what the test is about. */
export function makePaper(overrides: Partial<Paper> = {}): Paper {
  counter += 1;
  return {
    id: `2601.${String(10000 + counter)}`,
    title: `A study of things number ${String(counter)}`,
    abstract: 'We study things. Results are good.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    organization: null,
    upvotes: 10,
    comments: 1,
    aiSummary: null,
    aiKeywords: [],
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    thumbnail: null,
    publishedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function listed(listDay: string, paper: Paper): ListedPaper {
  return { listDay, paper };
}
