/** Discord snowflakes: ms since the Discord epoch << 22 | worker | process | increment. */

const DISCORD_EPOCH = 1_420_070_400_000n;
const WORKER_ID = 1n;
const PROCESS_ID = 0n;

let increment = 0n;

/**
 * A fresh snowflake for `timestamp` (default now). Ids made "now" have 19 digits and ids
 * from before mid-2022 have 18, which matches what real clients see.
 */
export function snowflake(timestamp: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  const ms = BigInt(Math.floor(timestamp)) - DISCORD_EPOCH;
  return ((ms << 22n) | (WORKER_ID << 17n) | (PROCESS_ID << 12n) | increment).toString();
}

/** Orders snowflakes numerically without BigInt (they never have leading zeros). */
export function compareSnowflakes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
