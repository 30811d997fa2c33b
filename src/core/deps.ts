import type { Logger } from 'pino';
import type { Store } from '../domain/store.js';
import type { TerraformRunner } from '../terraform/runner.js';
import type { Auditor } from './audit.js';
import type { Clock, CostPort, GitPort, Notifier } from './ports.js';
import type { RunQueue } from '../domain/queue.js';
import type { Redactor } from './redact.js';
import type { StateSync } from './stateSync.js';
import type { LeaseOwner } from '../domain/runs.js';

/** Everything a use case may touch, built once in the composition root. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  audit: Auditor;
  states: StateSync;
  runner: TerraformRunner;
  cost: CostPort;
  git: GitPort;
  notifier: Notifier;
  runsDir: string;
  pluginCacheDir: string;
  sessionTtlMinutes: number;
  /** How long a run's lease lasts without a heartbeat; renewed every twelfth of it. */
  leaseTtlMs: number;
  /** This process, as the owner of the leases it takes. */
  owner: LeaseOwner;
  redact: Redactor;
  /** CLOUD_DEFAULT_CREDENTIALS=allow: a cloud project without an identity may deploy with the bot's own credentials. */
  allowDefaultCredentials: boolean;
  /** The operator's per-project bindings, by variable name: CLOUD_ENGINE_SECRET_<SERVER>__<PROJECT> (Azure secrets), CLOUD_ENGINE_GCP_SA_<SERVER>__<PROJECT>. */
  identityBindings: Record<string, string>;
  /** RUN_QUEUE=workers: approved applies wait here for a worker instead of running in the approving process. */
  queue?: RunQueue;
  newId(): string;
}

export const shortId = (id: string) => id.slice(0, 8);

/** This process as the holder of a claim on shared work (a relay, an announcement): host, pid and start. */
export const processTag = (deps: CoreDeps) => `${deps.owner.host}/${deps.owner.pid}/${deps.owner.started}`;

export function expiryFrom(deps: CoreDeps): string {
  return new Date(deps.clock.now().getTime() + deps.sessionTtlMinutes * 60_000).toISOString();
}
