import { constants as osConstants } from 'node:os';
import { buildApp, type App, type AppOptions } from '../app.js';
import type { Config } from '../config.js';

/**
 * Every CLI command's lifetime: build the app, settle what dead processes left behind (expired leases,
 * idle sessions: the CLI honours them as the bot does; not on a store opened read-only), run, always close the database.
 */
export async function withApp<T>(config: Config, opts: AppOptions, fn: (app: App, interrupted: AbortSignal) => T | Promise<T>): Promise<T> {
  // SIGINT/SIGTERM/SIGHUP: interrupt this command's plan or apply the safe way (Terraform saves its state) and let
  // the command record it, cancel its session and release the lock on its own way out. Handled from the
  // first moment, so a signal during start-up stops the command before it takes anything.
  let app: App | undefined;
  let interruptedBy: NodeJS.Signals | undefined;
  // Work that is not a Terraform run (a long export) watches this instead.
  const interrupted = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    interruptedBy ??= signal;
    interrupted.abort();
    void app?.orchestrator.shutdown({ stopFollowed: true });
  };
  // SIGHUP too: a closed terminal or ssh session must not leave Terraform running with nobody recording it.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach((s) => process.on(s, stop));
  const unlisten = () => signals.forEach((s) => process.off(s, stop));
  try {
    app = await buildApp(config, opts);
    if (interruptedBy) await app.orchestrator.shutdown({ stopFollowed: true });
  } catch (e) {
    unlisten();
    throw e;
  }
  try {
    // What others left behind is settled first; a failure there is theirs, not this command's.
    if (!app.readOnly) await app.orchestrator.recover().catch((err: unknown) => app?.log.error({ err }, 'recovery at start failed'));
    const result = await fn(app, interrupted.signal);
    return interruptedBy && typeof result === 'number' && result !== 0 ? (128 + osConstants.signals[interruptedBy]) as T : result;
  } finally {
    unlisten();
    app.close();
  }
}
