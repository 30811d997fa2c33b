import type { Logger } from '../log.js';
import type { Bot } from './bot.js';
import { asStartupError, botConfig, StartupError } from './startup.js';

/**
 * `on`, not `once`: execa's child clean-up (signal-exit) re-raises a signal when it sees no other
 * listener left, which would kill the process in the middle of a graceful shutdown.
 */
const stop = new Promise<NodeJS.Signals>((resolve) => {
  process.on('SIGTERM', () => resolve('SIGTERM'));
  process.on('SIGINT', () => resolve('SIGINT'));
});

/** `npm start`: runs the bot until SIGTERM/SIGINT; resolves with the process exit code. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let running: { bot: Bot; log: Logger };
  try {
    const config = botConfig(env);
    // discord.js, SQLite and Terraform are loaded only once the configuration is known to be usable.
    const { launch } = await import('./launch.js');
    running = await launch(config);
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
