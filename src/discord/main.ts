import { buildApp } from '../app.js';
import { createLogger, type Logger } from '../log.js';
import { Bot } from './bot.js';
import { createClient } from './client.js';
import { DiscordNotifier } from './notifier.js';
import { restOutbox } from './outbox.js';
import { asStartupError, botConfig, StartupError } from './startup.js';

/**
 * `on`, not `once`: execa's child clean-up (signal-exit) re-raises a signal when it sees no other
 * listener left, which would kill the process in the middle of a graceful shutdown.
 */
const stop = new Promise<NodeJS.Signals>((resolve) => {
  process.on('SIGTERM', () => resolve('SIGTERM'));
  process.on('SIGINT', () => resolve('SIGINT'));
});

async function start(env: NodeJS.ProcessEnv): Promise<{ bot: Bot; log: Logger }> {
  const config = botConfig(env);
  const log = createLogger(config.LOG_LEVEL);
  const client = createClient(config);
  const outbox = restOutbox(client.rest);
  const notifier = new DiscordNotifier(outbox, log.child({ module: 'notifier' }), config.DISCORD_ALERT_CHANNEL_ID);
  const app = await buildApp(config, { logger: log, notifier });
  const bot = new Bot(app, client, outbox);
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  await bot.start();
  return { bot, log };
}

/** `npm start`: runs the bot until SIGTERM/SIGINT; resolves with the process exit code. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let running: { bot: Bot; log: Logger };
  try {
    running = await start(env);
  } catch (e) {
    const err = asStartupError(e);
    if (!(err instanceof StartupError)) throw err;
    process.stderr.write(`cloud-engine: ${err.message}\n`);
    return err.exitCode;
  }
  const signal = await stop;
  running.log.info({ signal }, 'shutting down');
  await running.bot.stop();
  running.log.info('stopped');
  return 0;
}
