import { Client, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';

/**
 * Guilds is the only intent: interactions arrive without any, and Guilds gives the channel cache
 * threads need. No privileged intent (members, presences, message content) is ever requested.
 */
export function createClient(config: Config): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {},
    allowedMentions: { parse: [] },
    // One shard per bot process (DISCORD_SHARD_ID of DISCORD_SHARD_COUNT): Discord sends each guild's events to one of them.
    ...(config.DISCORD_SHARD_COUNT > 1 ? { shards: config.DISCORD_SHARD_ID!, shardCount: config.DISCORD_SHARD_COUNT } : {}),
  });
}
