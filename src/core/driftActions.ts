import type { Actor } from '../policy/permissions.js';
import { parseSpec } from '../resources/validate.js';
import { CoreError, driftStale, noOpenDrift, validationError } from '../domain/errors.js';
import type { DriftState, TrackedDrift } from '../domain/drift.js';
import type { Project } from '../domain/projects.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { NORMAL_PLAN, type PlanMode } from '../domain/sessions.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { canonicalJson } from '../terraform/planDrift.js';
import { compareWorld, currentWorld, deployedOf } from './drift.js';
import { startPlannedSession } from './plannedSession.js';

export type DriftAction = 'adopt' | 'revert';

/** Where a value of a cloud's refresh is not a spec's own field (a part's, a sensitive one), the spec keeps what was deployed. */
const SENSITIVE = '(sensitive)';

/**
 * The deployed specs with the values the cloud holds: a missing resource is dropped, a changed one takes each
 * observed attribute (an attribute the cloud no longer has is removed). On the sandbox every attribute is a
 * spec field; on a cloud only the fields the spec already sets are taken (the rest live in the state, which the
 * refresh-only apply updates). A value no spec can hold is refused, naming the resource and field.
 */
export function adoptedSpecs(provider: Provider, specs: ResourceSpec[], drift: TrackedDrift[]): ResourceSpec[] {
  return specs.flatMap((spec) => {
    const d = drift.find((r) => r.name === spec.name);
    if (!d) return [spec];
    if (d.kind === 'missing') return [];
    const raw: Record<string, unknown> = { ...spec };
    for (const a of d.attributes) {
      if (a.observed === SENSITIVE || (provider !== 'sandbox' && !(a.attribute in raw))) continue;
      if (a.observed === undefined) delete raw[a.attribute];
      else raw[a.attribute] = a.observed;
    }
    try {
      return [parseSpec(provider, raw)];
    } catch (e) {
      if (!(e instanceof CoreError) || e.code !== 'validation') throw e;
      throw validationError(e.problems.map((p) => ({ field: p.field ?? 'resource', message: `${spec.name}: ${p.message} — that real value cannot be adopted; revert the drift instead` })));
    }
  });
}

/**
 * The open drift is the last check's word, kept until the next check: an apply since then (an Adopt or Revert
 * already applied, someone's deploy) or, on the sandbox, a world that differs otherwise now, would have Adopt
 * commit values the cloud no longer holds over newer work, or Revert replace resources that no longer drift.
 */
async function refuseStale(deps: CoreDeps, project: Project, state: DriftState, provider: Provider, specs: ResourceSpec[]): Promise<void> {
  const checkedAt = state.checkedAt ?? state.open!.since;
  const [newest] = await deps.store.states.list(project.id, 1);
  const applied = newest !== undefined && newest.createdAt > checkedAt;
  const kept = state.open!.resources.map(({ since: _since, ...drifted }) => drifted);
  const moved = provider === 'sandbox' && canonicalJson(compareWorld(specs, (await currentWorld(deps, project, specs)).resources)) !== canonicalJson(kept);
  if (applied || moved) throw driftStale(project.name, checkedAt);
}

/**
 * Adopt (accept the real values) or Revert (put back what was deployed) the project's open drift: a session
 * of that purpose, planned under the project's lock and approved under the usual rules.
 * Adopt holds the deployed specs with the observed values. On a cloud it plans refresh-only: the state takes
 * what exists, nothing changes in the cloud, and the configuration committed holds the real values. On the
 * sandbox a refresh-only apply cannot move the state (terraform_data's read returns its prior state), so it
 * plans the observed specs normally: an in-place update of each terraform_data input, after which the
 * recorder sets the world to the same values — nothing "in the cloud" changes.
 * Revert holds the deployed specs. On a cloud a normal plan puts them back; on the sandbox terraform_data
 * cannot update the world in place, so each drifted resource is replaced (`-replace=terraform_data.<name>`).
 */
export async function startDriftAction(deps: CoreDeps, actor: Actor, name: string, action: DriftAction, channelId?: string) {
  const project = await authorize(deps, actor, name, 'session.start');
  const state = await deps.store.driftStates.get(project.id);
  const open = state?.open;
  if (!open) throw noOpenDrift(project.name);
  const { provider, specs } = await deployedOf(deps, project);
  await refuseStale(deps, project, state, provider, specs);
  const sandbox = provider === 'sandbox';
  const drifted = open.resources.map((r) => r.name);
  const chosen: { specs: ResourceSpec[]; planMode: PlanMode } = action === 'adopt'
    ? { specs: adoptedSpecs(provider, specs, open.resources), planMode: sandbox ? NORMAL_PLAN : { kind: 'refresh_only' } }
    : { specs, planMode: sandbox ? { kind: 'replace', addresses: drifted.filter((n) => specs.some((s) => s.name === n)).map((n) => `terraform_data.${n}`) } : NORMAL_PLAN };
  return startPlannedSession(deps, actor, project, {
    purpose: action, provider, specs: chosen.specs, planMode: chosen.planMode, ...(channelId ? { channelId } : {}),
    audit: { eventType: action === 'adopt' ? 'drift_adopt_started' : 'drift_revert_started', details: { drift_since: open.since, resources: drifted, plan_mode: chosen.planMode.kind } },
  });
}
