import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionType, Permission, type CommandOptionInput } from '../support/fake-discord/index.js';
import { loadFixtureJson } from '../support/fake-hf.js';
import { MANAGER, redate, startHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('2026-08-20T06:00:00Z');
  h.hf.setDay('2026-08-19', {
    api: redate(
      loadFixtureJson('hf-api/daily_papers_date-2026-08-21_filtered-reindented.json') as unknown[],
      '2026-08-19',
    ),
  });
  await h.ingest();
});
afterAll(async () => {
  await h.close();
});

let counter = 0;
function newChannel(): string {
  counter += 1;
  return h.discord.createChannel(h.discord.guild.id, { name: `sub-${String(counter)}` }).id;
}

async function run(
  channelId: string,
  sub: string,
  options: CommandOptionInput[] = [],
  member: { permissions: bigint } = MANAGER,
) {
  const interaction = h.discord.injectSlashCommand({ name: 'subscribe', subcommand: sub, channelId, member, options });
  const reply = await interaction.reply();
  return { content: reply.content, ephemeral: (reply.flags & MessageFlags.Ephemeral) !== 0, embeds: reply.embeds };
}
const str = (name: string, value: string): CommandOptionInput => ({ name, type: OptionType.String, value });
const int = (name: string, value: number): CommandOptionInput => ({ name, type: OptionType.Integer, value });

describe('/subscribe permissions', () => {
  it('GIVEN a member without Manage Channels (an admin overrode the default) THEN every change is refused, list is allowed', async () => {
    const channel = newChannel();
    const plain = { permissions: Permission.ViewChannel | Permission.SendMessages };
    for (const sub of ['add', 'schedule', 'pause', 'resume']) {
      const reply = await run(channel, sub, [], plain);
      expect(reply.content).toBe(
        'Only members with the Manage Channels permission can change deliveries in this channel.',
      );
      expect(reply.ephemeral).toBe(true);
    }
    expect((await run(channel, 'remove', [str('topic', 'x')], plain)).content).toContain('Manage Channels');
    expect(h.bot.app.subscriptions.get(channel)).toBeNull();
    expect((await run(channel, 'list', [], plain)).content).toContain('This channel has no subscription');
  });

  it('GIVEN the bot cannot embed links here THEN add is refused naming the missing permission', async () => {
    const channel = newChannel();
    h.discord.setOverwrites(channel, [{ id: h.discord.botUser.id, type: 'member', deny: Permission.EmbedLinks }]);
    const reply = await run(channel, 'add');
    expect(reply.content).toContain("I'm missing Embed Links in this channel");
    expect(h.bot.app.subscriptions.get(channel)).toBeNull();
  });

  it('GIVEN thread mode without thread permissions THEN schedule is refused naming both', async () => {
    const channel = newChannel();
    await run(channel, 'add');
    h.discord.setOverwrites(channel, [
      {
        id: h.discord.botUser.id,
        type: 'member',
        deny: Permission.CreatePublicThreads | Permission.SendMessagesInThreads,
      },
    ]);
    const reply = await run(channel, 'schedule', [str('mode', 'thread')]);
    expect(reply.content).toContain("I'm missing Create Public Threads, Send Messages in Threads");
    expect(h.bot.app.subscriptions.get(channel)?.mode).toBe('digest');
  });
});

describe('/subscribe settings', () => {
  it('GIVEN add, topics, remove and unsubscribe THEN the channel follows exactly what was asked', async () => {
    const channel = newChannel();
    const added = await run(channel, 'add', [str('topic', '  diffusion   video '), int('min_upvotes', 5)]);
    expect(added.content).toContain(
      'Subscribed: this channel gets papers matching `diffusion video` with at least 5 upvotes.',
    );
    expect(added.content).toContain('Next delivery: Thu 2026-08-20 09:00 UTC');
    await run(channel, 'add', [str('topic', 'author:"Yann LeCun"')]);
    expect((await run(channel, 'add')).content).toContain('follows only its topics');
    // Topics added in the same instant list alphabetically; the set is what matters.
    expect(
      h.bot.app.subscriptions
        .get(channel)
        ?.topics.map((t) => t.query)
        .sort(),
    ).toEqual(['author:"Yann LeCun"', 'diffusion video']);

    const choices = h.discord.injectAutocomplete({
      name: 'subscribe',
      subcommand: 'remove',
      channelId: channel,
      member: MANAGER,
      options: [{ name: 'topic', type: OptionType.String, value: 'yann', focused: true }],
    });
    expect((await choices.response()).data?.choices).toEqual([
      { name: 'author:"Yann LeCun"', value: 'author:"Yann LeCun"' },
      { name: 'Unsubscribe this channel entirely', value: '*' },
    ]);
    expect((await run(channel, 'remove', [str('topic', 'nope')])).content).toContain(
      'This channel has no topic `nope`',
    );
    expect((await run(channel, 'remove', [str('topic', 'author:"Yann LeCun"')])).content).toBe(
      'Removed `author:"Yann LeCun"`.',
    );
    expect((await run(channel, 'remove', [str('topic', 'diffusion video')])).content).toContain(
      'now gets the whole list',
    );
    expect((await run(channel, 'remove', [str('topic', '*')])).content).toContain('Unsubscribed');
    expect(h.bot.app.subscriptions.get(channel)).toBeNull();
  });

  it('GIVEN a whole-list channel and add with min_upvotes THEN only its floor changes, not its next run', async () => {
    const channel = newChannel();
    await run(channel, 'add');
    const before = h.bot.app.subscriptions.get(channel);
    const updated = await run(channel, 'add', [int('min_upvotes', 30)]);
    expect(updated.content).toContain(
      'Updated: this channel gets the whole Daily Papers list with at least 30 upvotes.',
    );
    expect(updated.content).toContain('up to 10 papers, at least 30 upvotes.');
    const after = h.bot.app.subscriptions.get(channel);
    expect(after?.minUpvotes).toBe(30);
    expect(after?.nextRunAt).toBe(before?.nextRunAt);
  });

  it('GIVEN a topic with a syntax error THEN an ephemeral note with the problem, and nothing stored', async () => {
    const channel = newChannel();
    const reply = await run(channel, 'add', [str('topic', 'diffusion "video')]);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/quote/i);
    expect(h.bot.app.subscriptions.get(channel)).toBeNull();
  });

  it('GIVEN bad time and timezone THEN both problems at once and nothing changes; good ones reschedule', async () => {
    const channel = newChannel();
    await run(channel, 'add');
    const bad = await run(channel, 'schedule', [str('time', '25:00'), str('timezone', 'Europe/Berln')]);
    expect(bad.content).toContain('time `25:00` is not HH:MM');
    expect(bad.content).toContain('timezone `Europe/Berln` is not an IANA timezone');
    const good = await run(channel, 'schedule', [
      str('time', '7:30'),
      str('timezone', 'Europe/Berlin'),
      str('days', 'every-day'),
      int('max_papers', 3),
    ]);
    expect(good.content).toContain('Schedule: 07:30 Europe/Berlin, every day; digest, up to 3 papers.');
    // 06:00 UTC is 08:00 in Berlin: today's 07:30 has passed.
    expect(good.content).toContain('Next delivery: Fri 2026-08-21 07:30 Europe/Berlin (05:30 UTC)');
  });

  it('GIVEN the timezone option THEN autocomplete offers matching IANA zones', async () => {
    const channel = newChannel();
    const choices = h.discord.injectAutocomplete({
      name: 'subscribe',
      subcommand: 'schedule',
      channelId: channel,
      member: MANAGER,
      options: [{ name: 'timezone', type: OptionType.String, value: 'berl', focused: true }],
    });
    expect((await choices.response()).data?.choices).toEqual([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]);
  });

  it('GIVEN pause and resume THEN list shows the state each time', async () => {
    const channel = newChannel();
    await run(channel, 'add');
    expect((await run(channel, 'pause')).content).toContain('Paused');
    expect((await run(channel, 'pause')).content).toContain('already paused');
    expect((await run(channel, 'list')).content).toMatch(/Paused .*Paused by .* with \/subscribe pause\./);
    expect((await run(channel, 'resume')).content).toContain('Resumed');
    expect((await run(channel, 'list')).content).toContain('Next delivery:');
  });
});

describe('/subscribe preview', () => {
  it('GIVEN a subscribed channel THEN the next delivery, its list day and the papers as they will be posted, ephemeral', async () => {
    const channel = newChannel();
    await run(channel, 'add', [str('topic', 'agent OR agents')]);
    const preview = await run(channel, 'preview');
    expect(preview.ephemeral).toBe(true);
    expect(preview.content).toContain('Next delivery: Thu 2026-08-20 09:00 UTC, list day 2026-08-19:');
    expect(preview.embeds.length).toBeGreaterThan(0);
    // Each paper says which topic brought it.
    expect(JSON.stringify(preview.embeds)).toContain('agent OR agents');
    // A preview posts nothing to the channel.
    expect(h.discord.messages(channel)).toHaveLength(0);
  });

  it('GIVEN an unsubscribed channel THEN what the defaults would give; GIVEN a weekend date THEN why nothing', async () => {
    const channel = newChannel();
    const preview = await run(channel, 'preview', [], { permissions: Permission.ViewChannel });
    expect(preview.content).toContain('with the defaults (/subscribe add) it would get');
    expect(preview.embeds).toHaveLength(10);
    const weekend = await run(channel, 'preview', [str('date', '2026-08-16')]);
    expect(weekend.content).toContain('No papers are stored for 2026-08-16 (weekends have no list).');
    expect((await run(channel, 'preview', [str('date', 'someday')])).content).toContain('is not a date I understand');
  });
});
