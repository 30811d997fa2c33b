import type { Provider, ResourceSpec } from '../domain/resources.js';
import type { ProjectKey } from '../domain/projects.js';
import { worldOf } from '../domain/drift.js';
import type { CoreDeps } from './deps.js';
import { stateResourceNames } from '../terraform/tfstate.js';

/**
 * Generators label every Terraform resource of a spec with the spec's name, or `<name>_<part>` (a `_`
 * never occurs in a spec name), so a spec exists when the state holds any resource so labelled.
 */
const existsIn = (names: Set<string>, spec: ResourceSpec) => names.has(spec.name) || [...names].some((n) => n.startsWith(`${spec.name}_`));

/**
 * The configuration a project runs after an apply that stopped part-way: the session's specs that
 * exist in the state (it was creating or changing them), then previous specs it meant to remove but
 * that still exist. Unknown state (unparseable) keeps the previous configuration.
 */
export function reconcileDeployed(previous: ResourceSpec[], session: ResourceSpec[], stateJson: string): ResourceSpec[] {
  const names = stateResourceNames(stateJson);
  if (!names) return previous;
  const wanted = session.filter((s) => existsIn(names, s));
  const kept = previous.filter((p) => !session.some((s) => s.name === p.name) && existsIn(names, p));
  return [...wanted, ...kept];
}

/**
 * Records what a project runs now, inside the recording transaction. A sandbox's cloud then holds exactly
 * that: its world (what drift detection reads) is set to the same specs, so only a change out of band drifts.
 */
export async function recordDeployed(deps: CoreDeps, projectId: ProjectKey, provider: Provider, specs: ResourceSpec[]): Promise<void> {
  await deps.store.sessions.setDeployed(projectId, provider, specs);
  if (provider === 'sandbox') await deps.store.sandboxWorlds.set(projectId, { resources: worldOf(specs), updatedAt: deps.clock.now().toISOString() });
}
