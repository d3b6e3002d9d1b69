import { once } from 'node:events';
import {
  type ButtonInteraction,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type TextChannel,
} from 'discord.js';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ChannelKind,
  type FakeDiscord,
  type FakeDiscordOptions,
  OptionType,
  Permission,
  connectClient,
  startFakeDiscord,
} from './fake-discord/index.js';

const SNOWFLAKE = /^\d{17,19}$/;

let fake: FakeDiscord | undefined;
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  fake = await startFakeDiscord(options);
  return fake;
}

async function login(discord: FakeDiscord): Promise<Client<true>> {
  const client = await connectClient(discord);
  clients.push(client);
  return client;
}

function textChannel(client: Client<true>, discord: FakeDiscord): TextChannel {
  const channel = client.channels.cache.get(discord.channel.id);
  if (channel?.isTextBased() !== true || !('guild' in channel)) throw new Error('seeded channel not cached');
  return channel as TextChannel;
}

/** Routes interactions to `handler`, keeping handler errors so a test can assert there were none. */
function onInteraction(client: Client, handler: (interaction: Interaction) => Promise<void>): unknown[] {
  const errors: unknown[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => errors.push(error));
  });
  return errors;
}

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

function botHeaders(discord: FakeDiscord): Record<string, string> {
  return { Authorization: `Bot ${discord.token}`, 'Content-Type': 'application/json' };
}

describe('fake Discord: login and gateway', () => {
  it('GIVEN a bare client with only rest.api THEN it reaches clientReady with the seeded guild cached', async () => {
    const discord = await start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
    clients.push(client);
    const ready = once(client, Events.ClientReady);
    await client.login(discord.token);
    await ready;

    expect(client.user?.id).toBe(discord.botUser.id);
    expect(client.application?.id).toBe(discord.applicationId);
    const guild = client.guilds.cache.get(discord.guild.id);
    expect(guild?.name).toBe('Test Guild');
    expect(guild?.channels.cache.get(discord.channel.id)?.name).toBe('general');
    expect(guild?.members.me?.roles.cache.has(discord.guild.botRoleId)).toBe(true);
    for (const id of [discord.botUser.id, discord.guild.id, discord.channel.id, discord.guild.botRoleId]) {
      expect(id).toMatch(SNOWFLAKE);
    }
    const identify = discord.frames().find((f) => f.from === 'client' && f.op === 2);
    expect(identify?.d).toMatchObject({ token: discord.token, intents: GatewayIntentBits.Guilds });
  });

  it('GIVEN a short heartbeat interval THEN every heartbeat is acknowledged', async () => {
    const discord = await start({ heartbeatIntervalMs: 50 });
    await login(discord);
    const beat = await discord.waitForFrame((f) => f.from === 'client' && f.op === 1);
    const ack = await discord.waitForFrame((f) => f.from === 'fake' && f.op === 11 && f.seq > beat.seq);
    expect(ack.connectionId).toBe(beat.connectionId);
  });

  it('GIVEN a wrong token THEN login fails, and IDENTIFY with it is closed with 4004', async () => {
    const discord = await start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
    clients.push(client);
    const error = await rejectionOf(client.login('not-the-token'));
    expect(error).toMatchObject({ code: 'TokenInvalid' });
    expect(discord.requests().at(-1)).toMatchObject({ path: '/gateway/bot', status: 401 });

    const socket = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
    socket.once('message', () => {
      socket.send(JSON.stringify({ op: 2, d: { token: 'not-the-token', intents: 1, properties: {} } }));
    });
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('GIVEN close 4000 THEN the client RESUMEs, gets RESUMED, and keeps working without a new IDENTIFY', async () => {
    const discord = await start();
    const client = await login(discord);
    discord.disconnect(4000);

    const resume = await discord.waitForFrame((f) => f.from === 'client' && f.op === 6);
    expect(resume.d).toMatchObject({ token: discord.token, session_id: expect.any(String) as unknown });
    await discord.waitForFrame((f) => f.from === 'fake' && f.t === 'RESUMED');
    expect(discord.frames().filter((f) => f.from === 'client' && f.op === 2)).toHaveLength(1);

    const sent = await textChannel(client, discord).send('after resume');
    expect((await discord.waitForMessage(discord.channel.id)).id).toBe(sent.id);
  });

  it('GIVEN op 7 RECONNECT THEN the client reconnects and resumes', async () => {
    const discord = await start();
    await login(discord);
    discord.requestReconnect();
    const resume = await discord.waitForFrame((f) => f.from === 'client' && f.op === 6);
    expect(resume.connectionId).toBe(2);
    await discord.waitForFrame((f) => f.from === 'fake' && f.t === 'RESUMED');
  });

  it('GIVEN op 9 (not resumable) THEN the client identifies afresh and gets its guilds again', async () => {
    const discord = await start();
    const client = await login(discord);
    discord.invalidateSession();
    const identify = await discord.waitForFrame((f) => f.from === 'client' && f.op === 2 && f.connectionId > 1);
    await discord.waitForFrame((f) => f.t === 'GUILD_CREATE' && f.connectionId === identify.connectionId);
    expect(discord.frames().some((f) => f.from === 'client' && f.op === 6)).toBe(false);
    await textChannel(client, discord).send('after re-identify');
    await discord.waitForMessage(discord.channel.id, (m) => m.content === 'after re-identify');
  });

  it('GIVEN channel and guild events THEN the client sees them and REST agrees', async () => {
    const discord = await start();
    const client = await login(discord);

    const created = once(client, Events.GuildCreate);
    const second = discord.createGuild({ name: 'Second', channels: [{ name: 'papers' }] });
    const [guild] = (await created) as [{ id: string }];
    expect(guild.id).toBe(second.id);

    const channelId = discord.channel.id;
    const deleted = once(client, Events.ChannelDelete);
    discord.deleteChannel(channelId);
    const [channel] = (await deleted) as [{ id: string }];
    expect(channel.id).toBe(channelId);
    const unknown = await rejectionOf(client.rest.get(Routes.channel(channelId)));
    expect(unknown).toBeInstanceOf(DiscordAPIError);
    expect(unknown).toMatchObject({ code: 10003, status: 404 });

    const removed = once(client, Events.GuildDelete);
    discord.removeGuild(second.id);
    const [gone] = (await removed) as [{ id: string }];
    expect(gone.id).toBe(second.id);
    expect(client.guilds.cache.has(second.id)).toBe(false);
    const secondChannel = second.channels[0]?.id ?? '';
    expect(await rejectionOf(client.rest.get(Routes.channel(secondChannel)))).toMatchObject({ code: 50001 });
  });

  it('GIVEN an outage THEN the guild turns unavailable (not deleted) and comes back', async () => {
    const discord = await start();
    const client = await login(discord);
    const unavailable = once(client, Events.GuildUnavailable);
    const deletions: string[] = [];
    client.on(Events.GuildDelete, (guild) => deletions.push(guild.id));
    discord.setGuildUnavailable(discord.guild.id, true);
    await unavailable;
    expect(client.guilds.cache.get(discord.guild.id)?.available).toBe(false);

    const back = once(client, Events.GuildAvailable);
    discord.setGuildUnavailable(discord.guild.id, false);
    await back;
    expect(client.guilds.cache.get(discord.guild.id)?.available).toBe(true);
    expect(deletions).toEqual([]);
  });
});

describe('fake Discord: messages', () => {
  it('GIVEN a message with embeds THEN the fake stores it with allowed_mentions as sent and resolves pings', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);

    const sent = await channel.send({
      content: 'New papers @everyone',
      embeds: [
        { title: 'Paper A', url: 'https://hf.co/papers/1', description: 'abstract' },
        { title: 'Paper B', url: 'https://hf.co/papers/2', fields: [{ name: 'Upvotes', value: '42' }] },
      ],
      allowedMentions: { parse: [] },
    });
    const stored = await discord.waitForMessage(channel.id, (m) => m.id === sent.id);
    expect(stored.allowedMentions).toEqual({ parse: [] });
    expect(stored.pings.everyone).toBe(false);
    expect(stored.embeds.map((e) => e.title)).toEqual(['Paper A', 'Paper B']);
    expect(sent.embeds[1]?.fields[0]?.value).toBe('42');
    expect(sent.author.id).toBe(discord.botUser.id);

    const request = await discord.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${channel.id}/messages`,
    );
    expect(request.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(request.headers.authorization).toBe(`Bot ${discord.token}`);

    // Without allowed_mentions a bot message parses @everyone: the fake says it would ping.
    const pinging = await channel.send('hello @everyone');
    expect(discord.messages(channel.id).find((m) => m.id === pinging.id)?.pings.everyone).toBe(true);
  });

  it('GIVEN oversize content or embeds THEN 400 50035, counting code points', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);

    expect(await rejectionOf(channel.send('x'.repeat(2001)))).toMatchObject({ code: 50035, status: 400 });
    // 2000 emoji are 4000 UTF-16 units but 2000 code points: accepted.
    await channel.send('😀'.repeat(2000));
    const total = await rejectionOf(
      channel.send({
        embeds: [
          { title: 'a', description: 'd'.repeat(4000) },
          { title: 'b', description: 'd'.repeat(2001) },
        ],
      }),
    );
    expect(total).toMatchObject({
      code: 50035,
      rawError: { errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } },
    });
    const title = await rejectionOf(channel.send({ embeds: [{ title: 't'.repeat(257) }] }));
    expect(title).toMatchObject({
      rawError: { errors: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } },
    });
    expect(
      await rejectionOf(channel.send({ embeds: Array.from({ length: 11 }, (_, i) => ({ title: `${i}` })) })),
    ).toMatchObject({
      code: 50035,
    });
    expect(discord.messages(channel.id)).toHaveLength(1);
  });

  it('GIVEN a nonce with enforce_nonce THEN a repeat returns the same message and stores one', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);

    const first = await channel.send({ content: 'digest', nonce: 'digest-2024-06-01', enforceNonce: true });
    const again = await channel.send({ content: 'digest', nonce: 'digest-2024-06-01', enforceNonce: true });
    expect(again.id).toBe(first.id);
    expect(discord.messages(channel.id)).toHaveLength(1);
    // Without enforce_nonce, the nonce is only echoed: a duplicate is created.
    await channel.send({ content: 'digest', nonce: 'digest-2024-06-01' });
    expect(discord.messages(channel.id)).toHaveLength(2);
  });

  it('GIVEN an older nonce outside the window THEN a new message is created', async () => {
    let clock = Date.now();
    const discord = await start({ now: () => clock, rateLimits: false });
    const body = JSON.stringify({ content: 'x', nonce: 'n-1', enforce_nonce: true });
    const url = `${discord.apiBase}/v10/channels/${discord.channel.id}/messages`;
    const first = (await (await fetch(url, { method: 'POST', headers: botHeaders(discord), body })).json()) as {
      id: string;
    };
    clock += 5 * 60 * 1000 + 1;
    const second = (await (await fetch(url, { method: 'POST', headers: botHeaders(discord), body })).json()) as {
      id: string;
    };
    expect(second.id).not.toBe(first.id);
  });

  it('GIVEN stored messages THEN GET pages newest first with limit, before and after', async () => {
    const discord = await start({ rateLimits: false });
    const client = await login(discord);
    const channel = textChannel(client, discord);
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three', 'four']) ids.push((await channel.send(content)).id);

    const newest = await channel.messages.fetch({ limit: 2, cache: false });
    expect([...newest.values()].map((m) => m.content)).toEqual(['four', 'three']);
    const before = await channel.messages.fetch({ limit: 10, before: ids[2], cache: false });
    expect([...before.values()].map((m) => m.content)).toEqual(['two', 'one']);
    const after = await channel.messages.fetch({ limit: 2, after: ids[0], cache: false });
    expect([...after.values()].map((m) => m.content)).toEqual(['three', 'two']);
    const single = await channel.messages.fetch({ message: ids[1] ?? '', cache: false });
    expect(single.content).toBe('two');
    expect(await rejectionOf(channel.messages.fetch({ message: '123456789012345678', cache: false }))).toMatchObject({
      code: 10008,
    });

    const edited = await single.edit('two, edited');
    expect(edited.editedTimestamp).not.toBeNull();
    expect(discord.messages(channel.id).find((m) => m.id === single.id)).toMatchObject({
      content: 'two, edited',
      editCount: 1,
    });
  });

  it('GIVEN a message THEN a thread started from it has its id, and thread permissions apply', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);
    const message = await channel.send('Paper of the day');

    const thread = await message.startThread({ name: 'Discuss: Paper of the day' });
    expect(thread.id).toBe(message.id);
    expect(thread.parentId).toBe(channel.id);
    await thread.send('first comment');
    expect(discord.messages(thread.id).map((m) => m.content)).toEqual(['first comment']);

    const long = await rejectionOf(channel.send('x').then((m) => m.startThread({ name: 'n'.repeat(101) })));
    expect(long).toMatchObject({ code: 50035 });
    expect(await rejectionOf(message.startThread({ name: 'again' }))).toMatchObject({ code: 160004 });

    // Threads take their permissions from the parent channel's overwrites.
    discord.setOverwrites(channel.id, [{ id: discord.guild.id, type: 'role', deny: Permission.SendMessagesInThreads }]);
    expect(await rejectionOf(thread.send('blocked'))).toMatchObject({ code: 50013 });
    await channel.send('the channel itself still works');

    discord.setOverwrites(channel.id, [{ id: discord.guild.id, type: 'role', deny: Permission.CreatePublicThreads }]);
    const other = await channel.send('another paper');
    expect(await rejectionOf(other.startThread({ name: 'denied' }))).toMatchObject({ code: 50013, status: 403 });
  });

  it('GIVEN a forum channel THEN a post creates a thread whose starter message has its id, and plain sends are refused', async () => {
    const discord = await start();
    const forumInfo = discord.createChannel(discord.guild.id, { name: 'paper-forum', type: ChannelKind.Forum });
    const client = await login(discord);
    const forum = client.channels.cache.get(forumInfo.id);
    if (forum?.type !== ChannelType.GuildForum) throw new Error('forum not cached');

    const post = await forum.threads.create({
      name: 'Paper X',
      message: { content: 'abstract', embeds: [{ title: 'X' }] },
    });
    expect(post.parentId).toBe(forum.id);
    expect(discord.messages(post.id)).toMatchObject([{ id: post.id, content: 'abstract' }]);
    const direct = await rejectionOf(client.rest.post(Routes.channelMessages(forum.id), { body: { content: 'x' } }));
    expect(direct).toMatchObject({ code: 50008 });
  });

  it('GIVEN a file THEN the multipart body is parsed and the payload recorded', async () => {
    const discord = await start();
    const client = await login(discord);
    await textChannel(client, discord).send({
      content: 'with file',
      files: [{ attachment: Buffer.from('a,b'), name: 'papers.csv' }],
    });
    const stored = await discord.waitForMessage(discord.channel.id);
    expect(stored).toMatchObject({ content: 'with file', attachmentCount: 1 });
    expect(discord.requests().find((r) => r.method === 'POST')).toMatchObject({
      fileCount: 1,
      body: { content: 'with file' },
    });
  });
});

describe('fake Discord: permissions and errors', () => {
  it('GIVEN permissions removed THEN sends fail with 50013 / 50001, unknown channels with 10003, and they are counted', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);
    const bot = discord.botUser.id;

    discord.setOverwrites(channel.id, [{ id: bot, type: 'member', deny: Permission.SendMessages }]);
    const noSend = await rejectionOf(channel.send('hi'));
    expect(noSend).toBeInstanceOf(DiscordAPIError);
    expect(noSend).toMatchObject({ code: 50013, status: 403, message: 'Missing Permissions' });

    discord.setOverwrites(channel.id, [{ id: bot, type: 'member', deny: Permission.EmbedLinks }]);
    await channel.send('plain text still works');
    expect(await rejectionOf(channel.send({ embeds: [{ title: 'x' }] }))).toMatchObject({ code: 50013 });

    discord.setOverwrites(channel.id, [{ id: discord.guild.botRoleId, type: 'role', deny: Permission.ViewChannel }]);
    expect(await rejectionOf(channel.send('hi'))).toMatchObject({
      code: 50001,
      status: 403,
      message: 'Missing Access',
    });

    // Administrator short-circuits every overwrite.
    discord.setRolePermissions(discord.guild.id, discord.guild.botRoleId, Permission.Administrator);
    await channel.send('admin');

    const unknown = await rejectionOf(
      client.rest.post(Routes.channelMessages('112233445566778899'), { body: { content: 'x' } }),
    );
    expect(unknown).toMatchObject({ code: 10003, status: 404, message: 'Unknown Channel' });

    const stats = discord.stats();
    expect(stats.invalidByStatus[403]).toBe(3);
    expect(stats.invalidRequests).toBe(3);
    const answered = discord.requests().filter((r) => r.status === 403);
    expect(answered.every((r) => typeof r.responseBody === 'object')).toBe(true);
  });

  it('GIVEN no Authorization header on a bot route THEN 401 code 0', async () => {
    const discord = await start();
    const response = await fetch(`${discord.apiBase}/v10/users/@me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    expect(discord.stats().invalidByStatus[401]).toBe(1);
  });
});

describe('fake Discord: rate limits and faults', () => {
  it('GIVEN a scripted 429 with Retry-After THEN discord.js waits that long and the message arrives once', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);
    discord.addFault({
      method: 'POST',
      path: '/channels/:id/messages',
      status: 429,
      headers: { 'Retry-After': '0.4', 'X-RateLimit-Scope': 'user' },
    });

    const started = performance.now();
    await channel.send('retried');
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(395);
    expect(discord.messages(channel.id).map((m) => m.content)).toEqual(['retried']);
    const attempts = discord.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(discord.stats().rateLimited.bucket).toBe(1);
  });

  it('GIVEN six raw message POSTs within 5 s THEN the sixth gets a per-channel 429 with Discord headers', async () => {
    const discord = await start();
    const url = `${discord.apiBase}/v10/channels/${discord.channel.id}/messages`;
    const responses: Response[] = [];
    for (let i = 0; i < 6; i += 1) {
      responses.push(
        await fetch(url, { method: 'POST', headers: botHeaders(discord), body: JSON.stringify({ content: `m${i}` }) }),
      );
    }
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(responses.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0']);
    const limited = responses[5];
    expect(limited?.headers.get('retry-after')).toMatch(/^[1-5]$/);
    expect(limited?.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited?.headers.get('x-ratelimit-bucket')).toBeTruthy();
    expect(Number(limited?.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
    const body = (await limited?.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(discord.messages(discord.channel.id)).toHaveLength(5);
    expect(discord.stats()).toMatchObject({ rateLimited: { bucket: 1, global: 0 }, invalidByStatus: { 429: 1 } });
  });

  it('GIVEN a small global limit THEN the excess request gets a global 429 while interaction callbacks are exempt', async () => {
    const discord = await start({ rateLimits: { globalPerSecond: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await fetch(`${discord.apiBase}/v10/users/@me`, { headers: botHeaders(discord) })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = discord.requests().at(-1);
    expect(limited?.responseBody).toMatchObject({ global: true });
    const global = await fetch(`${discord.apiBase}/v10/users/@me`, { headers: botHeaders(discord) });
    expect(global.headers.get('x-ratelimit-global')).toBe('true');
    expect(global.headers.get('x-ratelimit-scope')).toBe('global');
    expect(discord.stats().rateLimited.global).toBe(2);
    expect(discord.stats().peakRequestsPerSecond).toBe(5);
    const perSecond = discord.stats().requestsPerSecond;
    expect(perSecond.reduce((sum, count) => sum + count, 0)).toBe(discord.stats().totalRequests);

    // Unknown interaction, but not rate limited: the callback route is outside the global limit.
    const callback = await fetch(`${discord.apiBase}/v10/interactions/112233445566778899/tok/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'x' } }),
    });
    expect(callback.status).toBe(404);
  });

  it('GIVEN rate limits off THEN no bucket headers and no 429', async () => {
    const discord = await start({ rateLimits: false });
    const url = `${discord.apiBase}/v10/channels/${discord.channel.id}/messages`;
    for (let i = 0; i < 7; i += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: botHeaders(discord),
        body: JSON.stringify({ content: `m${i}` }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });

  it('GIVEN a scripted 500 then a delay THEN discord.js retries the 5xx and waits for the slow answer', async () => {
    const discord = await start();
    const client = await login(discord);
    const channel = textChannel(client, discord);
    const fault = discord.addFault({ method: 'POST', path: '/channels/*', status: 500, times: 2 });
    discord.addFault({ path: /\/messages$/, delayMs: 150 });
    const started = performance.now();
    await channel.send('eventually');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(fault.remaining()).toBe(0);
    const statuses = discord
      .requests()
      .filter((r) => r.method === 'POST')
      .map((r) => [r.status, r.faulted]);
    expect(statuses).toEqual([
      [500, true],
      [500, true],
      [200, true],
    ]);
  });

  it('GIVEN a hanging fault THEN close() still shuts down promptly', async () => {
    const discord = await start();
    discord.addFault({ path: '/users/@me', hang: true });
    const pending = fetch(`${discord.apiBase}/v10/users/@me`, { headers: botHeaders(discord) }).catch(
      (error: unknown) => error,
    );
    const request = await discord.waitForRequest((r) => r.path === '/users/@me');
    expect(request.status).toBeNull();
    await discord.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('fake Discord: interactions', () => {
  it('GIVEN a slash command THEN reply() is recorded as a type 4 callback without Authorization', async () => {
    const discord = await start();
    const client = await login(discord);
    const errors = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const query = interaction.options.getString('query', true);
      await interaction.reply({ content: `results for ${query} in #${interaction.channel?.id ?? 'none'}` });
    });

    const injected = discord.injectSlashCommand({
      name: 'papers',
      options: [{ name: 'query', type: OptionType.String, value: 'diffusion' }],
    });
    const callback = await injected.response();
    expect(callback.type).toBe(4);
    const reply = await injected.reply();
    expect(reply.content).toBe(`results for diffusion in #${discord.channel.id}`);
    expect(reply.interactionId).toBe(injected.id);
    expect(discord.messages(discord.channel.id).map((m) => m.id)).toContain(reply.id);

    const request = await discord.waitForRequest((r) => r.path.startsWith(`/interactions/${injected.id}/`));
    expect(request.headers.authorization).toBeUndefined();
    expect(request.status).toBe(204);
    expect(errors).toEqual([]);
  });

  it('GIVEN subcommand groups and typed options THEN deferReply + editReply is the visible reply', async () => {
    const discord = await start();
    const client = await login(discord);
    const errors = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const o = interaction.options;
      const summary = {
        group: o.getSubcommandGroup(),
        sub: o.getSubcommand(),
        days: o.getInteger('days'),
        weekly: o.getBoolean('weekly'),
        min: o.getNumber('min'),
        manageChannels: interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels),
        botCanSend: interaction.appPermissions.has(PermissionFlagsBits.SendMessages),
        locale: interaction.locale,
      };
      await interaction.editReply(JSON.stringify(summary));
    });

    const injected = discord.injectSlashCommand({
      name: 'feed',
      subcommandGroup: 'digest',
      subcommand: 'set',
      options: [
        { name: 'days', type: OptionType.Integer, value: 3 },
        { name: 'weekly', type: OptionType.Boolean, value: true },
        { name: 'min', type: OptionType.Number, value: 0.5 },
      ],
      locale: 'de',
    });
    expect(await injected.response()).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    const reply = await injected.reply();
    expect(JSON.parse(reply.content)).toEqual({
      group: 'digest',
      sub: 'set',
      days: 3,
      weekly: true,
      min: 0.5,
      manageChannels: false,
      botCanSend: true,
      locale: 'de',
    });
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    // Ephemeral responses are not part of the channel's history.
    expect(discord.messages(discord.channel.id)).toHaveLength(0);
    const responses = await discord.waitForInteractionResponse(injected.id);
    expect(responses.originalEdits).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('GIVEN a member with Manage Channels THEN member.permissions carries the given bits', async () => {
    const discord = await start();
    const client = await login(discord);
    const seen: boolean[] = [];
    onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push(interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false);
      await interaction.reply('ok');
    });
    const injected = discord.injectSlashCommand({
      name: 'subscribe',
      member: { permissions: Permission.ManageChannels | Permission.ViewChannel, user: { username: 'admin' } },
    });
    await injected.reply();
    expect(seen).toEqual([true]);
    expect(injected.payload).toMatchObject({ member: { user: { username: 'admin' } } });
  });

  it('GIVEN follow-ups THEN they are recorded; after a defer the first one fills the deferred message', async () => {
    const discord = await start();
    const client = await login(discord);
    const errors = onInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.followUp('page 1');
      await interaction.followUp({ content: 'page 2', flags: MessageFlags.Ephemeral });
    });
    const injected = discord.injectSlashCommand({ name: 'papers' });
    expect((await injected.reply()).content).toBe('page 1');
    const second = await injected.followUp(1);
    expect(second.content).toBe('page 2');
    expect(injected.responses().followUpBodies).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('GIVEN autocomplete THEN the focused option arrives and the choices are recorded', async () => {
    const discord = await start();
    const client = await login(discord);
    const errors = onInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const focused = interaction.options.getFocused(true);
      const other = interaction.options.getString('sort');
      await interaction.respond([
        { name: `${interaction.commandName}:${focused.name}:${focused.value}:${other ?? ''}`, value: 'v' },
      ]);
    });
    const injected = discord.injectAutocomplete({
      name: 'papers',
      subcommand: 'search',
      options: [
        { name: 'query', type: OptionType.String, value: 'diff', focused: true },
        { name: 'sort', type: OptionType.String, value: 'new' },
      ],
    });
    const callback = await injected.response();
    expect(callback).toEqual({ type: 8, data: { choices: [{ name: 'papers:query:diff:new', value: 'v' }] } });
    expect(errors).toEqual([]);
  });

  it('GIVEN a button on a bot message THEN the click carries the message and update() edits it', async () => {
    const discord = await start();
    const client = await login(discord);
    const posted = await textChannel(client, discord).send({
      content: 'page 1',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'More', custom_id: 'papers:more:2' },
          ],
        },
      ],
    });
    const clicked: ButtonInteraction[] = [];
    const errors = onInteraction(client, async (interaction) => {
      if (!interaction.isButton()) return;
      clicked.push(interaction);
      await interaction.update({ content: 'page 2' });
    });

    const injected = discord.injectButton({ customId: 'papers:more:2' });
    expect((await injected.response()).type).toBe(7);
    expect(clicked[0]?.message.id).toBe(posted.id);
    expect(clicked[0]?.customId).toBe('papers:more:2');
    expect(discord.messages(discord.channel.id).find((m) => m.id === posted.id)?.content).toBe('page 2');
    expect((await injected.reply()).id).toBe(posted.id);
    expect(errors).toEqual([]);
  });

  it('GIVEN a string select THEN the values arrive', async () => {
    const discord = await start();
    const client = await login(discord);
    const errors = onInteraction(client, async (interaction) => {
      if (!interaction.isStringSelectMenu()) return;
      await interaction.reply({ content: `${interaction.customId}=${interaction.values.join(',')}` });
    });
    const injected = discord.injectSelectMenu({ customId: 'topics', values: ['llm', 'vision'] });
    expect(injected.payload).toMatchObject({
      type: 3,
      data: { component_type: 3, values: ['llm', 'vision'] },
      message: {},
    });
    expect((await injected.reply()).content).toBe('topics=llm,vision');
    expect(errors).toEqual([]);
  });

  it('GIVEN the clock passes the 3 s deadline THEN the late reply fails with 10062', async () => {
    let clock = Date.now();
    const discord = await start({ now: () => clock });
    const client = await login(discord);
    const failure = new Promise<unknown>((resolve) => {
      onInteraction(client, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        clock += 3001;
        await interaction.reply('too late').catch(resolve);
      });
    });
    const injected = discord.injectSlashCommand({ name: 'papers' });
    expect(await failure).toMatchObject({ code: 10062, message: 'Unknown interaction' });
    expect(injected.responses().callback).toBeUndefined();
  });

  it('GIVEN bulk registration THEN commands are stored, counted, and injected commands use their ids', async () => {
    const discord = await start();
    const client = await login(discord);
    const definition = {
      name: 'papers',
      description: 'Search the papers',
      options: [{ type: 3, name: 'query', description: 'Words to find', required: true }],
    };
    const registered = await client.application.commands.set([definition]);
    const [command] = [...registered.values()];
    expect(command?.id).toMatch(SNOWFLAKE);
    expect(discord.registeredCommands()).toMatchObject([
      { name: 'papers', application_id: discord.applicationId, type: 1 },
    ]);
    expect(discord.commandRegistrationCount()).toBe(1);

    await client.application.commands.set([definition], discord.guild.id);
    expect(discord.registeredCommands(discord.guild.id)).toMatchObject([
      { name: 'papers', guild_id: discord.guild.id },
    ]);
    expect(discord.commandRegistrationCount(discord.guild.id)).toBe(1);
    const fetched = await client.application.commands.fetch();
    expect(fetched.size).toBe(1);

    const bad = await rejectionOf(
      client.rest.put(Routes.applicationCommands(discord.applicationId), {
        body: [{ name: 'Bad Name', description: 'x' }],
      }),
    );
    expect(bad).toMatchObject({ code: 50035 });
    expect(discord.commandRegistrationCount()).toBe(1);

    const injected = discord.injectSlashCommand({ name: 'papers' });
    expect(injected.payload).toMatchObject({ data: { id: discord.registeredCommands(discord.guild.id)[0]?.id } });
  });
});
