import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';

export interface DiscordClientSettings {
  /** REST base without the version (a REST proxy, or a local fake in tests); null for Discord's own. */
  readonly apiBase: string | null;
}

/**
 * The one discord.js client. Guilds is the only intent: slash commands, channel and guild events need nothing
 * more, and no privileged intent means no verification hurdles for operators. Mentions are never parsed in
 * anything the bot sends (paper titles are untrusted text), set client-wide so no call site can forget it.
 */
export function createDiscordClient(settings: DiscordClientSettings): Client {
  const options: ClientOptions = {
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    // Internal sharding: one process serves past 2,500 guilds with as many shards as Discord recommends.
    shards: 'auto',
  };
  if (settings.apiBase !== null) options.rest = { api: settings.apiBase };
  return new Client(options);
}
