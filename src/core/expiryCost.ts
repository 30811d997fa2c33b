import { HOURS_PER_MONTH, micros } from '../domain/money.js';
import type { EnvironmentCost } from '../domain/expiry.js';
import type { Deployment } from '../domain/runs.js';

const HOUR_MS = 3_600_000;

/**
 * What an environment ran up from `since` to `until`, from its deployments history: each succeeded deployment
 * recorded the project's monthly cost after it (the plan's), which ran until the next one; a stretch costs
 * monthly × hours / 730. A deployment from before `since` sets what ran at `since`. Unpriced stretches are left
 * out and said; `hours` counts the time something was deployed.
 */
export function environmentCost(deployments: Deployment[], since: string, until: string): EnvironmentCost {
  const done = deployments.filter((d) => d.status === 'succeeded' && d.finishedAt !== null && d.finishedAt <= until)
    .sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!));
  let cursor = Date.parse(since);
  let running: Deployment | undefined;
  let total = 0;
  let ranMs = 0;
  let partlyUnpriced = false;
  const stretch = (to: number) => {
    const ms = to - cursor;
    if (ms <= 0 || !running || running.resourcesCount === 0) return;
    ranMs += ms;
    if (running.monthlyCostMicros === null) partlyUnpriced = true;
    else total += (running.monthlyCostMicros * ms) / HOUR_MS / HOURS_PER_MONTH;
  };
  for (const d of done) {
    const at = Date.parse(d.finishedAt!);
    stretch(at);
    cursor = Math.max(cursor, at);
    running = d;
  }
  stretch(Date.parse(until));
  return { total: micros(Math.round(total)), hours: Math.round((ranMs / HOUR_MS) * 10) / 10, partlyUnpriced };
}
