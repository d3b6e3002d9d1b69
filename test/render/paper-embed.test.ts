import { describe, expect, it } from 'vitest';
import { codePointLength } from '../../src/delivery/text.js';
import { COMPACT_EMBED_BUDGET, renderPaperEmbed, type EmbedForm } from '../../src/render/paper-embed.js';
import { threadName } from '../../src/render/thread-name.js';
import { embedTextLength, validateThreadName } from '../../src/render/validate.js';
import { ENV_HARNESS, expectValid, liveMarkdown, storedPaper } from './helpers.js';

const HOSTILE_TITLE = '**bold** @everyone <@&123456789012345678> [x](https://evil.example)';
const HOSTILE_TITLE_ESCAPED =
  '\\*\\*bold\\*\\* @\u200beveryone \\<@&123456789012345678\\> \\[x\\](https\\://evil.example)';

function fieldsOf(embed: ReturnType<typeof renderPaperEmbed>): Record<string, string> {
  return Object.fromEntries((embed.fields ?? []).map((field) => [field.name, field.value]));
}

describe('renderPaperEmbed, full form (GIVEN the real EnvHarness paper)', () => {
  const embed = renderPaperEmbed(ENV_HARNESS, {
    form: 'full',
    listDay: '2026-08-21',
    matchedTopics: ['agents', 'reinforcement learning'],
  });
  const fields = fieldsOf(embed);

  it.each<[string, unknown, unknown]>([
    ['the title', embed.title, 'EnvHarness: Awakening Static Worlds for Agent Learning'],
    ['the HF page as the url', embed.url, 'https://huggingface.co/papers/2608.19880'],
    [
      'the organisation as author, linked to its HF page',
      embed.author,
      { name: 'Google', url: 'https://huggingface.co/google' },
    ],
    [
      'the thumbnail',
      embed.thumbnail,
      { url: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.19880.png' },
    ],
    [
      'the first ten authors and +7',
      fields.Authors,
      'Chengsong Huang, Zifeng Wang, Rujun Han, Jun Yan, Yanfei Chen, Zoey CuiZhu, Ke Jiang, Peng Xia, Han Yu, Yufan Zhuang +7',
    ],
    ['upvotes', fields.Upvotes, '▲ 163'],
    ['comments', fields.Comments, '💬 1'],
    [
      'arXiv and PDF links',
      fields.Paper,
      '[arXiv](https://arxiv.org/abs/2608.19880) · [PDF](https://arxiv.org/pdf/2608.19880)',
    ],
    [
      'the GitHub link with stars',
      fields.Code,
      '[google-research/envharness](https://github.com/google-research/envharness) ★ 8',
    ],
    ['the project page', fields['Project page'], '[envharness.com](https://envharness.com/)'],
    ['the matched topics', fields['Matched topics'], 'agents, reinforcement learning'],
    ['the footer with id and list day', embed.footer, { text: 'arXiv 2608.19880 · Daily Papers 2026-08-21' }],
  ])('THEN it shows %s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('THEN the description is the TL;DR, then the abstract', () => {
    expect(embed.description).toBe(`**TL;DR** ${ENV_HARNESS.aiSummary ?? ''}\n\n${ENV_HARNESS.abstract}`);
  });

  it('THEN keywords are listed, escaped', () => {
    expect(fields.Keywords).toBe(
      'LLM agents · Environment Harness · EnvHarness · EnvRigger · black-box policy · execution trajectories · reinforcement learning · co-evolution',
    );
  });

  it('THEN it is one valid message, well under 6000', () => {
    expectValid({ embeds: [embed], allowed_mentions: { parse: [] } });
    expect(embedTextLength(embed)).toBeLessThan(5500);
  });
});

describe('renderPaperEmbed, compact form (GIVEN the real EnvHarness paper)', () => {
  const embed = renderPaperEmbed(ENV_HARNESS, { form: 'compact', matchedTopics: ['agents'] });

  it('THEN it has the title, HF url, organisation and thumbnail', () => {
    expect(embed.title).toBe('EnvHarness: Awakening Static Worlds for Agent Learning');
    expect(embed.url).toBe('https://huggingface.co/papers/2608.19880');
    expect(embed.author).toEqual({ name: 'Google', url: 'https://huggingface.co/google' });
    expect(embed.thumbnail?.url).toBe(ENV_HARNESS.thumbnail);
  });

  it('THEN the description is the TL;DR, then counts and every link', () => {
    expect(embed.description).toBe(
      `${ENV_HARNESS.aiSummary ?? ''}\n▲ 163 · 💬 1 · [arXiv](https://arxiv.org/abs/2608.19880) · [PDF](https://arxiv.org/pdf/2608.19880) · [GitHub ★ 8](https://github.com/google-research/envharness) · [Project page](https://envharness.com/)`,
    );
  });

  it('THEN the first three authors and +14 are in the footer, the matched topic in a field', () => {
    expect(embed.footer).toEqual({ text: 'Chengsong Huang, Zifeng Wang, Rujun Han +14' });
    expect(embed.fields).toEqual([{ name: 'Matched topics', value: 'agents', inline: true }]);
  });

  it('THEN it stays within the compact budget, so ten fit one message', () => {
    expect(embedTextLength(embed)).toBeLessThanOrEqual(COMPACT_EMBED_BUDGET);
    expect(10 * COMPACT_EMBED_BUDGET).toBeLessThanOrEqual(6000);
  });
});

describe('renderPaperEmbed details', () => {
  it('GIVEN no ai_summary THEN the compact gist is the abstract’s first sentences', () => {
    const paper = { ...ENV_HARNESS, aiSummary: null };
    const description = renderPaperEmbed(paper, { form: 'compact' }).description ?? '';
    const [gist] = description.split('\n');
    expect(gist).toBe(
      "LLM agents learn by interacting with environments, yet these environments are hand-built and static: blind to an agent's weaknesses, and quickly left behind as it improves. While recent environment generation methods attempt to address this, they require domain-specific…",
    );
  });

  it('GIVEN a short abstract and no ai_summary THEN the compact gist is its first two sentences', () => {
    const paper = storedPaper({ abstract: 'We study X. It works. A third sentence.', aiSummary: null });
    expect(renderPaperEmbed(paper, { form: 'compact' }).description?.split('\n')[0]).toBe('We study X. It works.');
  });

  it('GIVEN no ai_summary THEN the full description is the abstract without a TL;DR', () => {
    const paper = storedPaper({ abstract: 'We study X. It works.', aiSummary: null });
    expect(renderPaperEmbed(paper, { form: 'full' }).description).toBe('We study X. It works.');
  });

  const authors = (count: number): string[] =>
    Array.from({ length: count }, (_, index) => `Author ${String(index + 1)}`);
  it.each<[string, string[], EmbedForm, string | undefined]>([
    ['no authors', [], 'compact', undefined],
    ['one author', authors(1), 'compact', 'Author 1'],
    ['three authors', authors(3), 'compact', 'Author 1, Author 2, Author 3'],
    ['four authors', authors(4), 'compact', 'Author 1, Author 2, Author 3 +1'],
    ['3000 authors', authors(3000), 'compact', 'Author 1, Author 2, Author 3 +2997'],
    ['blank names among them', ['', ' ', 'Ada', '\n', 'Alan'], 'compact', 'Ada, Alan'],
    ['ten authors, full', authors(10), 'full', authors(10).join(', ')],
    ['3000 authors, full', authors(3000), 'full', `${authors(10).join(', ')} +2990`],
  ])('GIVEN %s THEN the authors read %j', (_name, names, form, expected) => {
    const embed = renderPaperEmbed(storedPaper({ authors: names }), { form });
    const shown = form === 'compact' ? embed.footer?.text : fieldsOf(embed).Authors;
    expect(shown).toBe(expected);
  });

  it.each<EmbedForm>(['full', 'compact'])(
    'GIVEN markdown and mentions in the title (%s) THEN they come out escaped and inert',
    (form) => {
      const embed = renderPaperEmbed(storedPaper({ title: HOSTILE_TITLE }), { form });
      expect(embed.title).toBe(HOSTILE_TITLE_ESCAPED);
      expect(liveMarkdown(embed.title ?? '')).toEqual([]);
    },
  );

  it('GIVEN hostile text everywhere THEN only our own links are links and nothing can mention', () => {
    const hostile = `${HOSTILE_TITLE} <#1> </x:1> ||spoiler|| \`code\` > quote`;
    const paper = storedPaper({
      title: hostile,
      abstract: hostile,
      aiSummary: hostile,
      authors: [hostile, '@here'],
      aiKeywords: [hostile],
      organization: { name: 'evil', fullname: '@everyone <@1>' },
    });
    for (const form of ['full', 'compact'] as const) {
      const embed = renderPaperEmbed(paper, { form, matchedTopics: [hostile] });
      const texts = [embed.description ?? '', ...(embed.fields ?? []).map((field) => field.value)];
      for (const text of texts) {
        expect(text).not.toMatch(/(?<!\\)<[@#/]/u);
        expect(text).not.toMatch(/@(?:everyone|here)/iu);
        const targets = [...text.matchAll(/(?<!\\)\]\(([^)]*)\)/gu)].map((match) => match[1]);
        for (const target of targets) expect(target).toMatch(/^https:\/\/(?:arxiv\.org|huggingface\.co)\//u);
      }
      expect(embed.author?.name).toBe('@\u200beveryone <@1>');
      expectValid({ embeds: [embed], allowed_mentions: { parse: [] } });
    }
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:image/png;base64,AAAA'],
    ['relative', '/thumb.png'],
    ['credentials', 'https://user:pass@evil.example/x.png'],
    ['too long', `https://a.example/${'x'.repeat(2100)}`],
  ])('GIVEN a %s thumbnail, GitHub and project URL THEN none is emitted', (_name, url) => {
    const paper = storedPaper({ thumbnail: url, githubRepo: url, projectPage: url, githubStars: 3 });
    const full = renderPaperEmbed(paper, { form: 'full' });
    expect(full.thumbnail).toBeUndefined();
    expect(fieldsOf(full).Code).toBeUndefined();
    expect(fieldsOf(full)['Project page']).toBeUndefined();
    expect(renderPaperEmbed(paper, { form: 'compact' }).description).not.toMatch(/GitHub|Project/u);
  });

  it('GIVEN a project page with parentheses and markdown THEN the link target is percent-encoded and the label escaped', () => {
    const paper = storedPaper({ projectPage: 'https://my_site.example/a_(b)*c*' });
    expect(fieldsOf(renderPaperEmbed(paper, { form: 'full' }))['Project page']).toBe(
      '[my\\_site.example](https://my_site.example/a_%28b%29*c*)',
    );
  });

  it('GIVEN a custom HF base URL THEN the title and organisation link there', () => {
    const paper = storedPaper({ id: '2608.19880', organization: { name: 'google', fullname: null } });
    const embed = renderPaperEmbed(paper, { form: 'compact', hfBaseUrl: 'http://127.0.0.1:8080/' });
    expect(embed.url).toBe('http://127.0.0.1:8080/papers/2608.19880');
    expect(embed.author).toEqual({ name: 'google', url: 'http://127.0.0.1:8080/google' });
  });

  it('GIVEN a title of nothing visible THEN the arXiv id stands in', () => {
    const embed = renderPaperEmbed(storedPaper({ id: '2608.19880', title: ' \u200b\n ' }), { form: 'compact' });
    expect(embed.title).toBe('arXiv 2608.19880');
  });

  it.each<[EmbedForm, number]>([
    ['full', 256],
    ['compact', 150],
  ])('GIVEN a 1000-character title (%s) THEN it is cut to %i code points with an ellipsis', (form, max) => {
    const title = renderPaperEmbed(storedPaper({ title: 'Long '.repeat(200) }), { form }).title ?? '';
    expect(codePointLength(title)).toBeLessThanOrEqual(max);
    expect(title.endsWith('…')).toBe(true);
  });

  it('GIVEN no matched topics THEN there is no topics field', () => {
    expect(renderPaperEmbed(storedPaper(), { form: 'compact', matchedTopics: [] }).fields).toBeUndefined();
    expect(fieldsOf(renderPaperEmbed(storedPaper(), { form: 'full' }))['Matched topics']).toBeUndefined();
  });

  it.each([
    [163, '▲ 163'],
    [12_345, '▲ 12,345'],
    [1_234_567, '▲ 1.2M'],
    [-5, '▲ 0'],
    [Number.NaN, '▲ 0'],
    [Number.MAX_VALUE, '▲ 999T'],
  ])('GIVEN %d upvotes THEN they read %j', (upvotes, expected) => {
    expect(fieldsOf(renderPaperEmbed(storedPaper({ upvotes }), { form: 'full' })).Upvotes).toBe(expected);
  });
});

describe('threadName', () => {
  it.each([
    ['a normal title', ENV_HARNESS.title, ENV_HARNESS.title],
    ['markdown (thread names are plain text)', '**Bold** _claims_', '**Bold** _claims_'],
    ['newlines and tabs', 'A\nB\tC', 'A B C'],
    ['nothing visible', ' \u200b ', 'Paper discussion'],
    ['empty', '', 'Paper discussion'],
    [
      'a long title',
      'Scaling Laws for Reward Model Overoptimization in Direct Alignment Algorithms Across Many Model Sizes and Datasets',
      'Scaling Laws for Reward Model Overoptimization in Direct Alignment Algorithms Across Many Model…',
    ],
  ])('GIVEN %s THEN the name is %j', (_name, title, expected) => {
    expect(threadName(title)).toBe(expected);
    expect(validateThreadName(threadName(title))).toEqual([]);
  });
});
