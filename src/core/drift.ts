import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../policy/permissions.js';
import { generateConfiguration } from '../terraform/generate/index.js';
import { generateSandboxDriftProbe, WORLD_FILE } from '../terraform/generate/sandbox.js';
import { terraformFailure } from '../terraform/runner.js';
import { observedResources, worldStateFile } from '../terraform/sandboxWorld.js';
import { canonicalJson, resourceDrift } from '../terraform/planDrift.js';
import { materialiseRun, removeRunDir, runDirFor } from '../terraform/workspace.js';
import { CoreError, environmentError, validationError } from '../domain/errors.js';
import { worldOf, type DriftedAttribute, type DriftedResource, type DriftReport, type SandboxWorld } from '../domain/drift.js';
import type { Project } from '../domain/projects.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { identityEnv, projectOptions, runIdentity, runOptions, type CloudIdentity } from './identity.js';
import { initRun } from './terraformSteps.js';
import { leaseExpiry, lockedBy } from './leases.js';
import { deadRun, recoverLock } from './recovery.js';
import { underLease } from './runs.js';
import { driftRunId } from '../domain/runs.js';
import { recordCheck } from './driftState.js';

const DRIFT_PLAN_FILE = 'drift.tfplan';

/** The project's deployed specs, and the provider they run on (a project with nothing deployed runs on its default). */
export async function deployedOf(deps: CoreDeps, project: Project): Promise<{ provider: Provider; specs: ResourceSpec[] }> {
  const deployed = await deps.store.sessions.listDeployed(project.id);
  return { provider: deployed[0]?.provider ?? project.defaultProvider, specs: deployed.map((d) => d.spec) };
}

/** The sandbox cloud's world; a project deployed before worlds were kept has the one its last apply left: what it deployed. */
export async function currentWorld(deps: CoreDeps, project: Project, specs: ResourceSpec[]): Promise<SandboxWorld> {
  return (await deps.store.sandboxWorlds.get(project.id)) ?? { resources: worldOf(specs), updatedAt: project.createdAt };
}

const notSandbox = (project: Project, provider: Provider, doing: string) =>
  validationError([{ field: 'project', message: `project ${project.name} runs on ${provider}, not the sandbox: ${doing}` }]);

/** How `sandbox tamper` changes one resource: fields set to values, or the resource deleted out of band. */
export type TamperChange = { set: Record<string, unknown> } | { delete: true };

/**
 * The sandbox's "cloud API": changes what the sandbox cloud holds for one resource, out of band (nothing
 * Cloud Engine deployed changes), audited. Only a project admin; the resource must be in the world.
 */
export async function tamperSandbox(deps: CoreDeps, actor: Actor, name: string, resource: string, change: TamperChange): Promise<SandboxWorld> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const { provider, specs } = await deployedOf(deps, project);
  if (provider !== 'sandbox') throw notSandbox(project, provider, 'only a sandbox cloud can be tampered with');
  if ('set' in change) {
    const keys = Object.keys(change.set);
    if (!keys.length) throw validationError([{ field: 'set', message: 'give at least one --set field=value, or --delete' }]);
    if (keys.includes('name')) throw validationError([{ field: 'set', message: "a resource's name is how the sandbox cloud knows it: --set name is not allowed; --delete it instead" }]);
  }
  return deps.store.transaction(async () => {
    const world = await currentWorld(deps, project, specs);
    const current = world.resources[resource];
    if (!current) {
      const known = Object.keys(world.resources);
      throw validationError([{ field: 'resource', message: `the sandbox cloud of project ${project.name} holds no resource '${resource.slice(0, 64)}'${known.length ? `; it holds: ${known.join(', ')}` : '; it holds none'}` }]);
    }
    const resources = { ...world.resources };
    if ('set' in change) resources[resource] = { ...current, ...change.set };
    else delete resources[resource];
    const next: SandboxWorld = { resources, updatedAt: deps.clock.now().toISOString() };
    await deps.store.sandboxWorlds.set(project.id, next);
    await deps.audit.record(actor, {
      eventType: 'sandbox_tampered', projectId: project.id, sessionId: null, action: 'sandbox_tamper', status: 'success',
      details: { resource, ...('set' in change ? { set: change.set } : { deleted: true }) },
    });
    return next;
  });
}

/** Each deployed resource against what the cloud holds: missing, or changed attribute by attribute (deployed → observed). */
export function compareWorld(deployed: ResourceSpec[], observed: Record<string, Record<string, unknown>>): DriftedResource[] {
  const drifted: DriftedResource[] = [];
  for (const spec of deployed) {
    const seen = observed[spec.name];
    if (!seen) {
      drifted.push({ name: spec.name, type: spec.type, kind: 'missing', attributes: [] });
      continue;
    }
    const fields = spec as unknown as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(fields), ...Object.keys(seen)])].sort();
    const attributes: DriftedAttribute[] = keys
      .filter((k) => canonicalJson(fields[k]) !== canonicalJson(seen[k]))
      .map((k) => ({ attribute: k, deployed: fields[k], observed: seen[k] }));
    if (attributes.length) drifted.push({ name: spec.name, type: spec.type, kind: 'changed', attributes });
  }
  return drifted;
}

/**
 * Checks a project for drift: a refresh-only plan (`-detailed-exitcode`) in a fenced run directory built
 * from the store, under the project's lease (refused 'locked' while another session holds it; freed
 * after). Its exit code only says what changed since the last refresh, so drift is decided by comparing
 * what the refresh observed with the deployed specs. Changes nothing but the audit log and the project's
 * drift state (the open drift, since when). A sandbox is refreshed against its world; a cloud as the
 * project's identity, its drift read from `resource_drift`.
 */
export async function detectDrift(deps: CoreDeps, actor: Actor, name: string): Promise<DriftReport> {
  // It takes the project's lease, holding up others' plans while it runs: those who may start sessions.
  return checkDrift(deps, actor, await authorize(deps, actor, name, 'session.start'));
}

/** Who holds a project's lease while the system (a scheduled check) runs Terraform on it. */
export const SYSTEM_USER_ID = 'cloud-engine';

/** The check itself, for a member who asked (authorized) or for the system (`null`: a scheduled check). */
export async function checkDrift(deps: CoreDeps, actor: Actor | null, project: Project): Promise<DriftReport> {
  const asked = await deployedOf(deps, project);
  // A cloud project deploys as its identity: one it lacks refuses here, before the lease is taken.
  if (asked.provider !== 'sandbox' && asked.specs.length) await runIdentity(deps, project.id, asked.provider);
  const held = await deps.store.locks.get(project.id);
  if (held && deadRun(deps, held, await deps.store.sessions.get(held.sessionId))) await recoverLock(deps, held, { interrupted: [], planFailed: [] });
  // The run holds the lease under its own id, marked as a drift check's: whoever it keeps waiting is told so.
  const runId = deps.newId();
  const holder = driftRunId(runId);
  const now = deps.clock.now().toISOString();
  const fence = await deps.store.transaction(async () => {
    const taken = await deps.store.locks.take({ projectId: project.id, sessionId: holder, userId: actor?.userId ?? SYSTEM_USER_ID, owner: deps.owner, now, expiresAt: leaseExpiry(deps) });
    if (taken === undefined) throw lockedBy(deps, await deps.store.locks.get(project.id));
    return taken;
  });
  let deployed = asked;
  const abort = new AbortController();
  try {
    const drifted = await underLease(deps, { projectId: project.id, sessionId: holder, fence, kind: 'plan' }, () => abort.abort(), async () => {
      // Read again under the lease: an apply that ended while this check waited for it is what the cloud holds
      // now, and compared with the specs from before it, its own changes would show as drift.
      deployed = await deployedOf(deps, project);
      const { provider, specs } = deployed;
      // Nothing deployed cannot drift; a cloud's Terraform would not even start without its provider.
      if (!specs.length) return [];
      const identity = provider === 'sandbox' ? undefined : await runIdentity(deps, project.id, provider);
      const dir = runDirFor(deps.runsDir, project.id, runId);
      await deps.store.locks.setRunProcess(project.id, fence, { dir });
      try {
        if (provider === 'sandbox') return compareWorld(specs, await refreshSandbox(deps, project, specs, dir, abort.signal));
        return resourceDrift(await refreshCloud(deps, project, provider, specs, identity, runId, dir, abort.signal), specs);
      } finally {
        removeRunDir(dir);
      }
    });
    const report: DriftReport = { projectId: project.id, provider: deployed.provider, checkedAt: deps.clock.now().toISOString(), resources: deployed.specs.length, drifted };
    await deps.store.transaction(() => recordCheck(deps, actor, report));
    return report;
  } catch (e) {
    await deps.audit.record(actor, { eventType: 'drift_checked', projectId: project.id, sessionId: null, action: 'drift', status: 'failure', details: { resources: deployed.specs.length }, error: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    await deps.store.transaction(() => deps.store.locks.release(project.id, fence));
  }
}

/** Builds the run directory from the store, the configuration and the state; what Terraform could not write is an environment error. */
function materialised(dir: string, files: Record<string, string>, state: string | undefined, extra?: () => void): void {
  try {
    materialiseRun(dir, { files, ...(state !== undefined ? { state } : {}) });
    extra?.();
  } catch (e) {
    throw environmentError(e, "prepare the drift check's run directory") ?? e;
  }
}

/** `terraform plan -refresh-only -detailed-exitcode`, then `show -json` of it: the plan as JSON. */
async function refreshOnly(deps: CoreDeps, dir: string, env: Record<string, string>, signal: AbortSignal): Promise<string> {
  const limit = deps.runner.timeoutSeconds;
  const plan = await deps.runner.run(['plan', '-refresh-only', '-detailed-exitcode', '-input=false', '-no-color', '-lock-timeout=30s', `-out=${DRIFT_PLAN_FILE}`], { cwd: dir, env, signal });
  // -detailed-exitcode: 0 nothing changed since the last refresh, 2 something did; anything else failed.
  if (plan.exitCode !== 0 && plan.exitCode !== 2) throw new CoreError('terraform', terraformFailure('plan', plan, limit));
  const show = await deps.runner.capture(['show', '-json', '-no-color', DRIFT_PLAN_FILE], { cwd: dir, env });
  if (show.exitCode !== 0) throw new CoreError('terraform', terraformFailure('show', { timedOut: show.timedOut, lines: show.stderr.split('\n') }, limit));
  return show.stdout;
}

/** The deployed configuration refreshed against the world as the sandbox cloud holds it; what it observed. */
async function refreshSandbox(deps: CoreDeps, project: Project, specs: ResourceSpec[], dir: string, signal: AbortSignal): Promise<Record<string, Record<string, unknown>>> {
  const state = await deps.store.states.latest(project.id);
  const world = await currentWorld(deps, project, specs);
  const generated = generateConfiguration('sandbox', specs, projectOptions(project));
  materialised(dir, { ...generated.files, ...generateSandboxDriftProbe() }, state?.stateJson,
    () => writeFileSync(join(dir, WORLD_FILE), worldStateFile(world.resources, world.updatedAt), { mode: 0o600 }));
  const observed = observedResources(await refreshOnly(deps, dir, {}, signal));
  if (!observed) throw new CoreError('terraform', 'The refresh-only plan did not report what the sandbox cloud holds.');
  return observed;
}

/** A cloud's refresh-only plan of the deployed configuration, as the project's identity: its `show -json`. */
async function refreshCloud(
  deps: CoreDeps, project: Project, provider: Provider, specs: ResourceSpec[], identity: CloudIdentity | undefined, runId: string, dir: string, signal: AbortSignal,
): Promise<string> {
  const state = await deps.store.states.latest(project.id);
  const generated = generateConfiguration(provider, specs, await runOptions(deps, { projectId: project.id, id: runId }, identity));
  materialised(dir, generated.files, state?.stateJson);
  const init = await initRun(deps, dir, generated, { signal });
  if (!init.ok) throw new CoreError('terraform', terraformFailure('init', init, deps.runner.timeoutSeconds));
  return refreshOnly(deps, dir, identityEnv(project.id, identity, deps.identityBindings), signal);
}
