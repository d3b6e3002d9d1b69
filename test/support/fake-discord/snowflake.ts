/** Discord's epoch (2015-01-01T00:00:00Z): snowflake timestamps count from here. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * The earliest timestamp we encode. A test clock set to 1970 (or 0) would otherwise give short or
 * negative ids; discord.js groups rate-limit routes by /\d{17,19}/, so every id must stay 17-19 digits.
 */
const MIN_TIMESTAMP_MS = 1_577_836_800_000n; // 2020-01-01

/**
 * Returns a generator of Discord-shaped snowflakes (18-19 digits, strictly increasing, so ids sort
 * by creation like Discord's and `before`/`after` paging works).
 */
export function createSnowflakeGenerator(now: () => number): () => string {
  let last = 0n;
  return () => {
    let timestamp = BigInt(Math.floor(now()));
    if (timestamp < MIN_TIMESTAMP_MS) timestamp = MIN_TIMESTAMP_MS;
    // Worker id 1 in bits 17-21, like a real id minted by a Discord worker.
    let id = ((timestamp - DISCORD_EPOCH_MS) << 22n) | (1n << 17n);
    if (id <= last) id = last + 1n;
    last = id;
    return id.toString();
  };
}

/** Orders two snowflakes numerically (they are too large for `Number`). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
