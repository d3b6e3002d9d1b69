import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { createRestPoster } from '../../src/delivery/sender.js';
import { DELIVERY_REQUESTS_PER_SECOND, createRest } from '../../src/main.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord/index.js';

const MESSAGES = 150;

describe("deliveries' REST client", () => {
  let discord: FakeDiscord | null = null;
  afterEach(async () => {
    await discord?.close();
    discord = null;
  });

  it(`GIVEN ${String(MESSAGES)} messages to as many channels at once THEN they go out spaced, without a global 429`, async () => {
    // The fake's bucket model: 50 requests/s global, 5 messages per 5 s per channel.
    const fake = await startFakeDiscord({ seedGuild: false });
    discord = fake;
    const guild = fake.createGuild({
      channels: Array.from({ length: MESSAGES }, (_, i) => ({ name: `papers-${String(i)}` })),
    });
    const config = loadConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase });
    const rest = createRest(config, { requestsPerSecond: DELIVERY_REQUESTS_PER_SECOND });
    const poster = createRestPoster(rest, fake.botUser.id);

    const started = performance.now();
    await Promise.all(guild.channels.map((channel, i) => poster.post(channel.id, { content: 'hi' }, `n${String(i)}`)));
    const elapsed = performance.now() - started;

    const stats = fake.stats();
    expect(stats.rateLimited.global).toBe(0);
    expect(stats.invalidRequests).toBe(0);
    expect(stats.peakRequestsPerSecond).toBeLessThanOrEqual(50);
    // Paced: 150 requests at under 48 a second take at least 2 s (unpaced, a few tens of milliseconds and 429s).
    expect(elapsed).toBeGreaterThanOrEqual(((MESSAGES - 48) / 48) * 1000);
    for (const channel of guild.channels) expect(fake.messages(channel.id)).toHaveLength(1);
  }, 20_000);
});
