import { buildApp, type App, type AppOptions } from '../app.js';
import type { Config } from '../config.js';

/**
 * Every CLI command's lifetime: build the app, settle what dead processes left behind (expired leases,
 * idle sessions: the CLI honours them as the bot does), run, always close the database.
 */
export async function withApp<T>(config: Config, opts: AppOptions, fn: (app: App) => T | Promise<T>): Promise<T> {
  const app = await buildApp(config, opts);
  try {
    await app.orchestrator.recover();
    return await fn(app);
  } finally {
    app.close();
  }
}
