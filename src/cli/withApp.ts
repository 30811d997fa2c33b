import { constants as osConstants } from 'node:os';
import { buildApp, type App, type AppOptions } from '../app.js';
import type { Config } from '../config.js';

/**
 * Every CLI command's lifetime: build the app, settle what dead processes left behind (expired leases,
 * idle sessions: the CLI honours them as the bot does), run, always close the database.
 */
export async function withApp<T>(config: Config, opts: AppOptions, fn: (app: App) => T | Promise<T>): Promise<T> {
  // SIGINT/SIGTERM: interrupt this command's plan or apply the safe way (Terraform saves its state) and let
  // the command record it, cancel its session and release the lock on its own way out. Handled from the
  // first moment, so a signal during start-up stops the command before it takes anything.
  let app: App | undefined;
  let interruptedBy: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal;
    void app?.orchestrator.shutdown();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    app = await buildApp(config, opts);
    if (interruptedBy) await app.orchestrator.shutdown();
  } catch (e) {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    throw e;
  }
  try {
    await app.orchestrator.recover();
    const result = await fn(app);
    return interruptedBy && typeof result === 'number' && result !== 0 ? (128 + osConstants.signals[interruptedBy]) as T : result;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    app.close();
  }
}
