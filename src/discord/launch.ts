import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../log.js';
import { Bot } from './bot.js';
import { createClient } from './client.js';
import { DiscordNotifier } from './notifier.js';
import { restOutbox } from './outbox.js';

/** Builds the app around a Discord client and starts the bot; main.ts loads this only for a valid configuration. */
export async function launch(config: Config & { DISCORD_TOKEN: string }): Promise<{ bot: Bot; log: Logger }> {
  const log = createLogger(config.LOG_LEVEL);
  const client = createClient(config);
  const outbox = restOutbox(client.rest);
  const notifier = new DiscordNotifier(outbox, log.child({ module: 'notifier' }), config.DISCORD_ALERT_CHANNEL_ID);
  const app = await buildApp(config, { logger: log, notifier });
  const bot = new Bot(app, client, outbox, { sweepIntervalMs: config.SWEEP_INTERVAL_SECONDS * 1000 });
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  await bot.start();
  return { bot, log };
}
