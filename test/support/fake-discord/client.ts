import { once } from 'node:events';
import { Client, type ClientOptions, Events, GatewayIntentBits } from 'discord.js';
import type { FakeDiscord } from './index.js';

/**
 * Logs a real discord.js Client in to the fake and resolves once `clientReady` fired (all guilds
 * cached). Uses the fast test options (no rate-limit offset, no identify spacing). The caller
 * destroys the client (before `fake.close()`).
 */
export async function connectClient(fake: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<Client<true>> {
  const fast = fake.clientOptions();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options,
    rest: { ...fast.rest, ...options.rest },
    ws: { ...fast.ws, ...options.ws },
  });
  const ready = once(client, Events.ClientReady);
  try {
    await client.login(fake.token);
    await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  }
  return client as Client<true>;
}
