import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureJson } from '../support/fake-hf.js';
import { MANAGER, redate, startHarness, type Harness } from '../support/bot-harness.js';
import { Permission } from '../support/fake-discord/index.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let h: Harness;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  h = await startHarness('2026-08-20T06:00:00Z', { httpPort: port });
  base = `http://127.0.0.1:${String(port)}`;
});
afterAll(async () => {
  await h.close();
});

async function get(path: string) {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('/healthz', () => {
  it('GIVEN the bot connected, its database writable and HF answering THEN 200 with each check', async () => {
    const { status, text } = await get('/healthz');
    expect(status).toBe(200);
    const body = JSON.parse(text) as { status: string; failing: string[]; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ok');
    expect(body.failing).toEqual([]);
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'gateway', 'ingest']);
  });

  it('GIVEN HF unanswered for longer than 6 hours THEN 503 naming the ingest check, with its age', async () => {
    h.clock.set('2026-08-20T13:00:00Z');
    const { status, text } = await get('/healthz');
    expect(status).toBe(503);
    const body = JSON.parse(text) as { failing: string[]; checks: { ingest: { detail: { ageSeconds: number } } } };
    expect(body.failing).toEqual(['ingest']);
    expect(body.checks.ingest.detail.ageSeconds).toBeGreaterThan(6 * 3600);
    // HF answers again: healthy.
    await h.ingest();
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('GIVEN activity THEN Prometheus text with ingests, papers, deliveries, messages, interactions and 403s', async () => {
    h.hf.setDay('2026-08-19', {
      api: redate(
        loadFixtureJson('hf-api/daily_papers_date-2026-08-21_filtered-reindented.json') as unknown[],
        '2026-08-19',
      ),
    });
    await h.ingest();
    const open = h.discord.createChannel(h.discord.guild.id, { name: 'metrics-open' }).id;
    const locked = h.discord.createChannel(h.discord.guild.id, { name: 'metrics-locked' }).id;
    for (const channel of [open, locked]) {
      await h.discord
        .injectSlashCommand({ name: 'subscribe', subcommand: 'add', channelId: channel, member: MANAGER })
        .reply();
    }
    h.discord.setOverwrites(locked, [{ id: h.discord.botUser.id, type: 'member', deny: Permission.SendMessages }]);
    h.clock.set('2026-08-21T09:00:30Z');
    await h.deliver();

    const { status, type, text } = await get('/metrics');
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(text).toMatch(/^paperboy_papers_stored 17$/m);
    expect(text).toMatch(/^paperboy_channels_subscribed 2$/m);
    expect(text).toMatch(/^paperboy_ingests_total\{outcome="ok",source="api"\} [1-9]/m);
    expect(text).toMatch(/^paperboy_messages_sent_total 1$/m);
    expect(text).toMatch(/^paperboy_deliveries_total\{result="sent"\} 1$/m);
    expect(text).toMatch(/^paperboy_deliveries_total\{result="paused"\} 1$/m);
    expect(text).toMatch(/^paperboy_discord_problem_responses_total\{kind="invalid"\} 1$/m);
    expect(text).toMatch(/^paperboy_interaction_duration_seconds_count\{command="subscribe add",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^paperboy_nodejs_eventloop_lag_seconds /m);
  });

  it('GIVEN another path or method THEN 404 / 405', async () => {
    expect((await get('/')).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
