import { ConfigError, loadConfig, type Config } from '../config.js';
import { isCoreError } from '../domain/errors.js';

/** A start-up problem the operator fixes by configuration: one line on stderr, exit 78 (EX_CONFIG). */
export class StartupError extends Error {
  readonly exitCode = 78;
}

export function botConfig(env: NodeJS.ProcessEnv): Config & { DISCORD_TOKEN: string } {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new StartupError(`invalid configuration: ${e.problems.join('; ')}`);
    throw e;
  }
  const shards = config.DISCORD_SHARD_COUNT;
  if (shards > 1 && config.DISCORD_SHARD_ID === undefined) throw new StartupError(`invalid configuration: DISCORD_SHARD_ID: with DISCORD_SHARD_COUNT=${shards}, each bot process needs its shard, 0 to ${shards - 1}`);
  if (shards > 1 && !config.DATABASE_URL) throw new StartupError('invalid configuration: DISCORD_SHARD_COUNT: several bot processes share one store only on PostgreSQL; set DATABASE_URL');
  if (!config.DISCORD_TOKEN) {
    throw new StartupError("DISCORD_TOKEN is not set. Set it to your bot's token (Discord developer portal → your app → Bot → Reset Token).");
  }
  return { ...config, DISCORD_TOKEN: config.DISCORD_TOKEN };
}

/** Known start-up failures become one readable line; anything else stays an error with a stack. */
export function asStartupError(e: unknown): unknown {
  if (e instanceof StartupError) return e;
  if (isCoreError(e)) return new StartupError(e.userMessage.replace(/\n/g, ' '));
  const code = (e as { code?: unknown } | null)?.code;
  const status = (e as { status?: unknown } | null)?.status;
  if (code === 'TokenInvalid' || status === 401) return new StartupError('Discord refused DISCORD_TOKEN (401 Unauthorized). Set DISCORD_TOKEN to a valid bot token.');
  if (code === 'DisallowedIntents') return new StartupError('Discord refused the gateway intents; enable the Guilds intent for this application.');
  return e;
}
