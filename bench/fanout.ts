import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEND_CONCURRENCY } from '../src/delivery/outbox.js';
import { openDatabase } from '../src/store/database.js';
import { startFakeDiscord } from '../test/support/fake-discord/index.js';
import { startBenchBot } from './support/bot.js';
import { cachedStore, copyStore } from './support/databases.js';
import { commandFor, currentMachine, ms, progress, ratio, type BenchReport } from './support/report.js';
import { seedSubscriptions } from './support/subscriptions.js';
import { since } from './support/stats.js';

const CHANNELS = 1_000;
const GLOBAL_PER_SECOND = 50;
const TARGET_RATIO = 1.15;

export async function run(): Promise<BenchReport> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-fanout-'));
  const discord = await startFakeDiscord({ waitTimeoutMs: 120_000 });
  try {
    progress(`fanout: ${String(CHANNELS)} channels in the fake Discord, subscribed in the store`);
    const guildId = discord.guild.id;
    const channels = Array.from({ length: CHANNELS }, (_, i) => ({
      channelId: discord.createChannel(guildId, { name: `papers-${String(i)}` }).id,
      guildId,
    }));
    const path = copyStore(await cachedStore('corpus'), dir);
    const db = openDatabase(path);
    seedSubscriptions(db, channels, {
      topics: [],
      dueAt: new Date('2026-08-22T09:00:00.000Z'),
      lastListDay: '2026-08-20',
      settings: { mode: 'digest' },
    });
    db.close();

    const bench = await startBenchBot(discord, path, '2026-08-22T08:00:00.000Z');
    try {
      const before = discord.requests().length;
      bench.clock.set('2026-08-22T09:00:30.000Z');
      progress('fanout: delivering');
      const tickStart = performance.now();
      const tickStartedAt = Date.now();
      await bench.bot.scheduler.runNow('deliver');
      const tickMs = since(tickStart);

      const requests = discord.requests().slice(before);
      const posts = requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path));
      const delivered = posts.filter((r) => r.status === 200);
      const firstPost = Math.min(...posts.map((r) => r.at));
      const lastAnswer = Math.max(...posts.map((r) => r.answeredAt ?? r.at));
      const sendMs = lastAnswer - firstPost;
      const messages = delivered.length;
      const minimumMs = (messages / GLOBAL_PER_SECOND) * 1000;
      const stats = discord.stats();
      const perChannel = new Map<string, number>();
      for (const channel of channels) perChannel.set(channel.channelId, discord.messages(channel.channelId).length);
      const reached = [...perChannel.values()].filter((n) => n > 0).length;
      const status = openDatabase(path);
      const pending = (
        status.prepare("SELECT count(*) AS n FROM deliveries WHERE status != 'sent'").get() as { n: number }
      ).n;
      status.close();
      const planMs = firstPost - tickStartedAt;
      const figures = {
        channels: CHANNELS,
        channelsReached: reached,
        messages,
        requestsInTick: requests.length,
        deliveriesNotSent: pending,
        tickMs,
        planMs,
        sendMs,
        minimumMs,
        ratioTick: tickMs / minimumMs,
        ratioSend: sendMs / minimumMs,
        peakRequestsPerSecond: stats.peakRequestsPerSecond,
        rateLimited: stats.rateLimited,
        invalidRequests: stats.invalidRequests,
        invalidByStatus: stats.invalidByStatus,
        sendConcurrency: SEND_CONCURRENCY,
      };
      return {
        name: 'fanout',
        title: `${String(CHANNELS)} digest channels delivered through the fake Discord (5 msgs/5 s per channel, ${String(GLOBAL_PER_SECOND)} req/s global)`,
        command: commandFor('fanout'),
        machine: currentMachine(),
        durationMs: since(started),
        table: [
          {
            channels: CHANNELS,
            reached,
            messages,
            'physical minimum': ms(minimumMs),
            'delivery tick (plan + send)': ms(tickMs),
            'of which planning': ms(planMs),
            'send (first POST to last answer)': ms(sendMs),
            'tick / minimum': ratio(figures.ratioTick),
            'send / minimum': ratio(figures.ratioSend),
            'peak req/s': stats.peakRequestsPerSecond,
            '429 global': stats.rateLimited.global,
            '429 bucket': stats.rateLimited.bucket,
            invalid: stats.invalidRequests,
          },
        ],
        targets: [
          {
            target: `delivery wall time <= ${String(TARGET_RATIO)}x the physical minimum (messages / ${String(GLOBAL_PER_SECOND)} per s)`,
            value: `${ratio(figures.ratioTick)} (${ms(tickMs)} for ${String(messages)} messages, minimum ${ms(minimumMs)})`,
            met: figures.ratioTick <= TARGET_RATIO,
          },
          {
            target: 'no 429 for exceeding the global limit',
            value: String(stats.rateLimited.global),
            met: stats.rateLimited.global === 0,
          },
          {
            target: 'no invalid requests (401/403/429)',
            value: String(stats.invalidRequests),
            met: stats.invalidRequests === 0,
          },
          {
            target: 'every channel got its digest, every delivery recorded sent',
            value: `${String(reached)}/${String(CHANNELS)} channels, ${String(pending)} deliveries not sent`,
            met: reached === CHANNELS && pending === 0,
          },
        ],
        notes: [
          'the minimum counts only the message POSTs; the tick also plans every delivery first (shown apart)',
          `load average during the run: ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
        ],
        data: figures,
      };
    } finally {
      await bench.close();
    }
  } finally {
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
