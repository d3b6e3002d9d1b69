import { expect } from 'vitest';
import type { Paper } from '../../src/papers/paper.js';
import { validateMessage, type MessageBody } from '../../src/render/validate.js';
import type { StoredPaper } from '../../src/store/paper-store.js';
import { makePaper } from '../support/papers.js';

/** A stored paper with plausible defaults; override what the test is about. */
export function storedPaper(
  overrides: Partial<Paper> & { listDays?: readonly string[]; firstSeenAt?: string } = {},
): StoredPaper {
  const { listDays = ['2026-08-21'], firstSeenAt = '2026-08-21T09:00:00.000Z', ...paper } = overrides;
  return { ...makePaper(paper), listDays, firstSeenAt };
}

/** The real 2026-08-21 entry for arXiv 2608.19880 (test/fixtures/hf-api/daily_papers_date-2026-08-21_*.json). */
export const ENV_HARNESS: StoredPaper = {
  id: '2608.19880',
  title: 'EnvHarness: Awakening Static Worlds for Agent Learning',
  abstract:
    "LLM agents learn by interacting with environments, yet these environments are hand-built and static: blind to an agent's weaknesses, and quickly left behind as it improves. While recent environment generation methods attempt to address this, they require domain-specific pipelines, rely on expensive or unreliable verifiers, and still produce static environments. To alleviate the engineering burden of rebuilding environments from scratch, we propose Environment Harness (EnvHarness), a programmable layer of plug-in components that wraps a static environment to reshape its behavior without modifying the underlying logic. Operating through standard interfaces, EnvHarness applies across diverse domains while ensuring every reshaped environment retains its original verifier. To automate this process, we introduce EnvRigger, which treats the target policy as a black box, observing its execution trajectories to synthesize EnvHarness components targeting diagnosed flaws, and validating them via fresh rollouts. Across five benchmarks in four domains, EnvHarness outperforms both original environments and domain-specific environment generation pipelines, achieving up to a 9.0-point improvement on held-out instances with 9.8% fewer execution steps. Furthermore, EnvHarness provides a superior optimization signal for reinforcement learning, enabling continuous, targeted co-evolution of the policy and its environment.",
  authors: [
    'Chengsong Huang',
    'Zifeng Wang',
    'Rujun Han',
    'Jun Yan',
    'Yanfei Chen',
    'Zoey CuiZhu',
    'Ke Jiang',
    'Peng Xia',
    'Han Yu',
    'Yufan Zhuang',
    'Yifei Ming',
    'Jiaqi Pan',
    'Bhavana Dalvi Mishra',
    'Jiaxin Huang',
    'Burak Gokturk',
    'Tomas Pfister',
    'Chen-Yu Lee',
  ],
  organization: { name: 'google', fullname: 'Google' },
  upvotes: 163,
  comments: 1,
  aiSummary:
    'EnvHarness and EnvRigger dynamically reshape static environments via programmable plugins to target agent weaknesses and improve reinforcement learning co-evolution.',
  aiKeywords: [
    'LLM agents',
    'Environment Harness',
    'EnvHarness',
    'EnvRigger',
    'black-box policy',
    'execution trajectories',
    'reinforcement learning',
    'co-evolution',
  ],
  githubRepo: 'https://github.com/google-research/envharness',
  githubStars: 8,
  projectPage: 'https://envharness.com/',
  thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.19880.png',
  publishedAt: '2026-08-20T00:00:00.000Z',
  listDays: ['2026-08-21'],
  firstSeenAt: '2026-08-21T09:00:00.000Z',
};

export function expectValid(body: MessageBody): void {
  expect(validateMessage(body)).toEqual([]);
}

const MARKDOWN_SPECIALS = new Set(['\\', '*', '_', '~', '`', '|', '[', ']', '<', '>']);

/**
 * Markdown-significant characters in `text` that are not escaped: what could still format, link or mention.
 * Also flags `@everyone`/`@here` and `://` (autolinks) left intact, and line-start syntax at the start.
 */
export function liveMarkdown(text: string): string[] {
  const live: string[] = [];
  const chars = Array.from(text);
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index] ?? '';
    if (char === '\\') {
      if (index + 1 >= chars.length) live.push('trailing backslash');
      index += 1; // the escaped character
      continue;
    }
    if (MARKDOWN_SPECIALS.has(char)) live.push(char);
    if (index === 0 && ['#', '-', '+'].includes(char)) live.push(`line start ${char}`);
    if (char === ':' && chars[index + 1] === '/' && chars[index + 2] === '/') live.push('://');
  }
  if (/^\d+\./u.test(text)) live.push('numbered list');
  if (/@(?:everyone|here)/iu.test(text)) live.push('mass mention');
  return live;
}

/** Undoes our escaping (backslash escapes, the zero-width space after `@`): the text a reader sees. */
export function unescapeMarkdown(text: string): string {
  return withoutMentionGuards(text.replace(/\\(.)/gsu, '$1'));
}

/** Text without zero-width spaces after `@` (to compare escaped text with text that had them already). */
export function withoutMentionGuards(text: string): string {
  return text.replace(/@\u200b/gu, '@');
}
