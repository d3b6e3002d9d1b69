import { DEFAULT_SETTINGS } from '../../src/discord/handlers/subscribe.js';
import type { Db } from '../../src/store/database.js';
import { createSubscriptionStore, type ChannelSettings } from '../../src/store/subscription-store.js';
import { pick, seededRandom } from './stats.js';

export interface SeededChannel {
  readonly channelId: string;
  readonly guildId: string;
}

/**
 * Subscribes channels straight through the subscription store (what /subscribe add does, minus Discord), all
 * due at `dueAt`, each having had `lastListDay` already, with 1-5 topics drawn from `topics` (none when
 * `topics` is empty: the whole list).
 */
export function seedSubscriptions(
  db: Db,
  channels: readonly SeededChannel[],
  options: {
    readonly topics: readonly string[];
    readonly dueAt: Date;
    readonly lastListDay: string;
    readonly settings?: Partial<ChannelSettings>;
    readonly seed?: number;
  },
): { topics: number } {
  const store = createSubscriptionStore(db);
  const random = seededRandom(options.seed ?? 17);
  const settings: ChannelSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const created = new Date(options.dueAt.getTime() - 86_400_000);
  let topics = 0;
  db.transaction(() => {
    for (const channel of channels) {
      store.ensure(channel.channelId, channel.guildId, settings, options.dueAt, options.lastListDay, created);
      if (options.topics.length === 0) continue;
      const wanted = 1 + Math.floor(random() * 5);
      const chosen = new Set<string>();
      while (chosen.size < wanted) chosen.add(pick(random, options.topics));
      for (const query of chosen) {
        store.addTopic(channel.channelId, { query, minUpvotes: null }, created);
        topics += 1;
      }
    }
  })();
  return { topics };
}

/** Snowflake-looking ids for channels and guilds that only the store knows (no fake Discord). */
export function syntheticChannels(count: number, perGuild = 10): SeededChannel[] {
  return Array.from({ length: count }, (_, i) => ({
    channelId: String(1_300_000_000_000_000_000n + BigInt(i)),
    guildId: String(1_200_000_000_000_000_000n + BigInt(Math.floor(i / perGuild))),
  }));
}
