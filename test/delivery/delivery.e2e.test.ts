import { afterEach, describe, expect, it } from 'vitest';
import { OptionType, Permission, type CommandOptionInput, type FakeMessage } from '../support/fake-discord/index.js';
import { loadFixtureJson } from '../support/fake-hf.js';
import { MANAGER, redate, startHarness, type Harness } from '../support/bot-harness.js';

interface Item {
  paper: { id: string; upvotes: number; organization?: { name: string } };
  organization?: { name: string };
}
const DAY1 = '2026-08-19'; // a Wednesday
const DAY2 = '2026-08-20'; // a Thursday
const day1Items = redate(loadFixtureJson('hf-api/daily_papers_date-2026-06-12_raw.json') as unknown[], DAY1) as Item[];
const byUpvotes = (items: Item[]) =>
  [...items].sort((a, b) => b.paper.upvotes - a.paper.upvotes || a.paper.id.localeCompare(b.paper.id));
/** Day 2 is the 2026-08-21 list plus day 1's two most upvoted papers, listed again (as HF sometimes does). */
const repeated = byUpvotes(day1Items).slice(0, 2);
const day2Items = [
  ...(redate(
    loadFixtureJson('hf-api/daily_papers_date-2026-08-21_filtered-reindented.json') as unknown[],
    DAY2,
  ) as Item[]),
  ...(redate(repeated, DAY2) as Item[]),
];
const orgOf = (item: Item) => (item.paper.organization ?? item.organization)?.name.toLowerCase();
const ids = (items: Item[]) => items.map((item) => item.paper.id);

/** The paper ids a channel's messages link to, in order. */
function postedIds(messages: readonly FakeMessage[]): string[] {
  return messages.flatMap((message) =>
    message.embeds.map((embed) => /\/papers\/([^/?#]+)$/.exec(String(embed.url))?.[1] ?? `?${String(embed.url)}`),
  );
}

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function subscribe(h: Harness, channelId: string, sub: string, options: CommandOptionInput[]) {
  const interaction = h.discord.injectSlashCommand({
    name: 'subscribe',
    subcommand: sub,
    channelId,
    member: MANAGER,
    options,
  });
  return (await interaction.reply()).content;
}

const STRING = OptionType.String;
const INTEGER = OptionType.Integer;

describe('scheduled delivery end to end (fake Discord, fake HF, a clock moved by hand)', () => {
  it('GIVEN three channels with different topics, modes and timezones over two list days THEN each gets exactly its papers, once', async () => {
    const h = await startHarness('2026-08-19T22:00:00Z');
    harness = h;
    h.hf.setDay(DAY1, { api: day1Items });
    await h.ingest();
    const guild = h.discord.guild.id;
    const all = h.discord.createChannel(guild, { name: 'all-papers' }).id;
    const orgs = h.discord.createChannel(guild, { name: 'labs' }).id;
    const threads = h.discord.createChannel(guild, { name: 'discuss' }).id;

    expect(await subscribe(h, all, 'add', [])).toContain('Subscribed: this channel gets the whole Daily Papers list');
    for (const org of ['caltech', 'umich', 'google', 'zju']) {
      await subscribe(h, orgs, 'add', [{ name: 'topic', type: STRING, value: `org:${org}` }]);
    }
    await subscribe(h, orgs, 'schedule', [
      { name: 'timezone', type: STRING, value: 'Asia/Tokyo' },
      { name: 'mode', type: STRING, value: 'per-paper' },
    ]);
    await subscribe(h, threads, 'add', []);
    const scheduled = await subscribe(h, threads, 'schedule', [
      { name: 'time', type: STRING, value: '08:00' },
      { name: 'timezone', type: STRING, value: 'America/New_York' },
      { name: 'mode', type: STRING, value: 'thread' },
      { name: 'max_papers', type: INTEGER, value: 3 },
      { name: 'min_upvotes', type: INTEGER, value: 20 },
    ]);
    expect(scheduled).toContain('Next delivery: Thu 2026-08-20 08:00 America/New_York (12:00 UTC)');

    // Nothing is due before the first slot.
    await h.deliver();
    expect([all, orgs, threads].map((id) => h.discord.messages(id).length)).toEqual([0, 0, 0]);

    // Thu 00:00 UTC is 09:00 in Tokyo: the labs channel gets day 1's papers of its organisations, one message each.
    h.clock.set('2026-08-20T00:00:30Z');
    await h.deliver();
    const day1Orgs = ids(
      byUpvotes(day1Items).filter((item) => ['caltech', 'umich', 'google', 'zju'].includes(orgOf(item) ?? '')),
    );
    expect(day1Orgs.length).toBeGreaterThan(0);
    expect(postedIds(h.discord.messages(orgs))).toEqual(day1Orgs);
    expect(h.discord.messages(all)).toHaveLength(0);

    // 09:00 UTC: the whole-list channel gets day 1's top 10 as one digest message with its header.
    h.clock.set('2026-08-20T09:00:30Z');
    await h.deliver();
    const [digest1] = h.discord.messages(all);
    expect(digest1?.content).toBe(`Hugging Face Daily Papers, ${DAY1}: 10 of 30 papers`);
    expect(postedIds(h.discord.messages(all))).toEqual(ids(byUpvotes(day1Items).slice(0, 10)));

    // 08:00 in New York (12:00 UTC): thread mode, 3 papers with at least 20 upvotes, a thread on each.
    h.clock.set('2026-08-20T12:00:30Z');
    await h.deliver();
    const threadMessages = h.discord.messages(threads);
    expect(postedIds(threadMessages)).toEqual(
      ids(
        byUpvotes(day1Items)
          .filter((i) => i.paper.upvotes >= 20)
          .slice(0, 3),
      ),
    );
    expect(threadMessages.every((message) => message.threadId === message.id)).toBe(true);

    // Day 2 is published; it repeats day 1's two top papers, which must not reach the same channels again.
    h.hf.setDay(DAY2, { api: day2Items });
    h.clock.set('2026-08-20T23:30:00Z');
    await h.ingest();
    for (const at of ['2026-08-21T00:00:30Z', '2026-08-21T09:00:30Z', '2026-08-21T12:00:30Z']) {
      h.clock.set(at);
      await h.deliver();
      await h.deliver(); // a second tick at the same moment sends nothing more
    }
    const repeatedIds = ids(repeated);
    const day2Orgs = ids(
      byUpvotes(day2Items).filter((item) => ['caltech', 'umich', 'google', 'zju'].includes(orgOf(item) ?? '')),
    );
    expect(postedIds(h.discord.messages(orgs))).toEqual([
      ...day1Orgs,
      ...day2Orgs.filter((id) => !day1Orgs.includes(id)),
    ]);
    const day2All = ids(byUpvotes(day2Items).filter((item) => !repeatedIds.includes(item.paper.id))).slice(0, 10);
    expect(postedIds(h.discord.messages(all))).toEqual([...ids(byUpvotes(day1Items).slice(0, 10)), ...day2All]);
    expect(h.discord.messages(all)[1]?.content).toBe(`Hugging Face Daily Papers, ${DAY2}: 10 of 19 papers`);
    const day2Threads = ids(
      byUpvotes(day2Items).filter((i) => i.paper.upvotes >= 20 && !repeatedIds.includes(i.paper.id)),
    ).slice(0, 3);
    expect(postedIds(h.discord.messages(threads)).slice(3)).toEqual(day2Threads);

    // Every paper at most once per channel, every message without pings.
    for (const channel of [all, orgs, threads]) {
      const posted = postedIds(h.discord.messages(channel));
      expect(new Set(posted).size).toBe(posted.length);
      expect(
        h.discord
          .messages(channel)
          .every((m) => !m.pings.everyone && m.pings.roles.length === 0 && m.pings.users.length === 0),
      ).toBe(true);
    }
  });

  it('GIVEN a channel that loses Send Messages THEN it is paused once with the reason while others still get theirs', async () => {
    const h = await startHarness('2026-08-19T22:00:00Z');
    harness = h;
    h.hf.setDay(DAY1, { api: day1Items });
    await h.ingest();
    const guild = h.discord.guild.id;
    const open = h.discord.createChannel(guild, { name: 'open' }).id;
    const locked = h.discord.createChannel(guild, { name: 'locked' }).id;
    await subscribe(h, open, 'add', []);
    await subscribe(h, locked, 'add', []);
    h.discord.setOverwrites(locked, [{ id: h.discord.botUser.id, type: 'member', deny: Permission.SendMessages }]);

    h.clock.set('2026-08-20T09:00:30Z');
    await h.deliver();
    h.clock.set('2026-08-20T09:01:30Z');
    await h.deliver();
    h.clock.set('2026-08-21T09:00:30Z');
    await h.deliver();

    expect(postedIds(h.discord.messages(open))).toHaveLength(10);
    expect(h.discord.messages(locked)).toHaveLength(0);
    const refused = h.discord
      .requests()
      .filter((r) => r.method === 'POST' && r.path === `/channels/${locked}/messages`);
    expect(refused.map((r) => r.status)).toEqual([403]);
    const status = h.discord.injectSlashCommand({ name: 'papers', subcommand: 'status', channelId: locked });
    expect((await status.reply()).content).toMatch(/Paused .*Missing Permissions/);
    const list = await subscribe(h, locked, 'list', []);
    expect(list).toContain('I need Send Messages and Embed Links');

    // Fixed, resumed: the pending delivery goes out, once.
    h.discord.setOverwrites(locked, []);
    expect(await subscribe(h, locked, 'resume', [])).toContain('Resumed');
    await h.deliver();
    expect(postedIds(h.discord.messages(locked))).toEqual(ids(byUpvotes(day1Items).slice(0, 10)));
  });

  it('GIVEN Discord answering 429 and 500 for a while THEN delivery slows, then everything arrives once', async () => {
    const h = await startHarness('2026-08-19T22:00:00Z');
    harness = h;
    h.hf.setDay(DAY1, { api: day1Items });
    await h.ingest();
    const channels = [0, 1, 2].map((n) => h.discord.createChannel(h.discord.guild.id, { name: `c${String(n)}` }).id);
    for (const channel of channels) {
      await subscribe(h, channel, 'add', []);
      await subscribe(h, channel, 'schedule', [{ name: 'mode', type: STRING, value: 'per-paper' }]);
    }
    h.discord.addFault({
      method: 'POST',
      path: '/channels/*/messages',
      times: 6,
      status: 429,
      headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' },
      body: '{"message":"You are being rate limited.","retry_after":0.2,"global":false}',
    });
    h.discord.addFault({ method: 'POST', path: '/channels/*/messages', times: 4, status: 500 });
    h.clock.set('2026-08-20T09:00:30Z');
    await h.deliver();
    // A 5xx beyond discord.js's own retries leaves the rest for the next tick.
    h.clock.set('2026-08-20T09:01:30Z');
    await h.deliver();
    for (const channel of channels) {
      expect(postedIds(h.discord.messages(channel))).toEqual(ids(byUpvotes(day1Items).slice(0, 10)));
    }
  }, 60_000);

  it('GIVEN HF down when a list day is due THEN nothing is posted for it, and it goes out as soon as HF is back', async () => {
    const h = await startHarness('2026-08-19T22:00:00Z');
    harness = h;
    const channel = h.discord.createChannel(h.discord.guild.id, { name: 'patient' }).id;
    await subscribe(h, channel, 'add', []);
    h.hf.failNext({ path: '/', times: 1000, status: 503 });
    h.clock.set('2026-08-20T08:30:00Z');
    await h.ingest();
    h.clock.set('2026-08-20T09:00:30Z');
    await h.deliver();
    expect(h.discord.messages(channel)).toHaveLength(0);
    expect(h.bot.app.subscriptions.get(channel)?.nextRunAt).toBe('2026-08-21T09:00:00.000Z');

    h.hf.clearFaults();
    h.hf.setDay(DAY1, { api: day1Items });
    h.clock.set('2026-08-20T10:00:00Z');
    await h.ingest();
    await h.deliver();
    expect(postedIds(h.discord.messages(channel))).toEqual(ids(byUpvotes(day1Items).slice(0, 10)));
    expect(h.bot.app.subscriptions.get(channel)?.nextRunAt).toBe('2026-08-21T09:00:00.000Z');
  });

  it('GIVEN a channel deleted or the bot removed from a guild THEN those subscriptions are removed, others stay', async () => {
    const h = await startHarness('2026-08-19T22:00:00Z');
    harness = h;
    const doomed = h.discord.createChannel(h.discord.guild.id, { name: 'doomed' }).id;
    const kept = h.discord.createChannel(h.discord.guild.id, { name: 'kept' }).id;
    const other = h.discord.createGuild({ name: 'Other' });
    const elsewhere = h.discord.createChannel(other.id, { name: 'elsewhere' }).id;
    for (const channel of [doomed, kept, elsewhere]) await subscribe(h, channel, 'add', []);
    h.discord.deleteChannel(doomed);
    h.discord.removeGuild(other.id);
    await expect
      .poll(() => [doomed, kept, elsewhere].map((id) => h.bot.app.subscriptions.get(id) !== null))
      .toEqual([false, true, false]);
  });
});
