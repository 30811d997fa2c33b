import type { Project, ProjectKey } from './projects.js';
import type { ResourceSpec } from './resources.js';

/** The sandbox cloud's view of a sandbox project: each resource's fields as its "cloud API" holds them, by spec name. */
export interface SandboxWorld {
  resources: Record<string, Record<string, unknown>>;
  updatedAt: string;
}

/** The world a sandbox cloud has after an apply: exactly the specs deployed. */
export const worldOf = (specs: ResourceSpec[]): SandboxWorld['resources'] =>
  Object.fromEntries(specs.map((s) => [s.name, { ...s } as Record<string, unknown>]));

/** One attribute that differs: what was deployed, what the cloud holds now (undefined where either has none). */
export interface DriftedAttribute {
  attribute: string;
  deployed: unknown;
  observed: unknown;
}

export interface DriftedResource {
  name: string;
  type: string;
  /** `missing`: deleted out of band; `changed`: it exists with other values. */
  kind: 'missing' | 'changed';
  attributes: DriftedAttribute[];
}

export interface DriftReport {
  projectId: ProjectKey;
  provider: string;
  checkedAt: string;
  /** Resources deployed when the check ran. */
  resources: number;
  drifted: DriftedResource[];
}

/** How often a project is checked for drift on its own (a project setting); `off` only on demand. */
export const DRIFT_SCHEDULES = ['off', 'hourly', 'daily', 'weekly'] as const;
export type DriftSchedule = (typeof DRIFT_SCHEDULES)[number];
export const isDriftSchedule = (s: string): s is DriftSchedule => (DRIFT_SCHEDULES as readonly string[]).includes(s);
/** A project's drift schedule: its setting, else daily for a cloud and off for the sandbox (whose drift only a tamper makes). */
export const driftScheduleOf = (p: Project): DriftSchedule => p.settings.drift_schedule ?? (p.defaultProvider === 'sandbox' ? 'off' : 'daily');

export const DRIFT_PERIOD_MS: Record<Exclude<DriftSchedule, 'off'>, number> = { hourly: 3_600_000, daily: 86_400_000, weekly: 7 * 86_400_000 };

/** A drifted resource as the open drift keeps it: since when it has drifted (its first check that found it). */
export interface TrackedDrift extends DriftedResource {
  since: string;
}

/** The Discord thread an open drift lives in; `revision` is the state of the drift its message shows. */
export interface DriftThread {
  channelId: string;
  threadId: string;
  messageId: string;
  revision: number;
}

/** What the store keeps of a project's drift (issue 20, step 2). */
export interface DriftState {
  projectId: ProjectKey;
  /** What drifts now, each since when; undefined when the last check found no drift. */
  open?: { resources: TrackedDrift[]; since: string };
  checkedAt: string | null;
  /** Grows whenever what a drift thread shows changes (opened, changed, closed). */
  revision: number;
  /** When the next scheduled check is due; null: due at the next sweep that finds the schedule on. */
  nextCheckAt: string | null;
  /** The thread, once one was opened for the drift; it stays until it is closed after the drift disappears. */
  thread?: DriftThread;
}
