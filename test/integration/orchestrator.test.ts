import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simpleGit } from 'simple-git';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { getPlanArtifact } from '../../src/db/plans.js';
import { latestState } from '../../src/db/states.js';
import { sha256 } from '../../src/terraform/tfstate.js';
import { initRun } from '../../src/core/terraformSteps.js';
import { parseSpec } from '../../src/resources/validate.js';
import { generateConfiguration } from '../../src/terraform/generate/index.js';
import { materialiseRun } from '../../src/terraform/workspace.js';
import { approver, bucket, db, dev, sandboxProject, testApp, vm, type TestApp, keyOf, repoOf, runDirsOf, sqlOf, oneApproverPerTier } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

async function deploy(resources: unknown[]) {
  const o = t.app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  for (const r of resources) await o.addResource(dev, s.id, r);
  const planned = await o.plan(dev, s.id);
  await o.approve(approver, s.id);
  const run = await o.apply(s.id, approver.userName);
  const lines: string[] = [];
  for await (const l of run.lines) lines.push(l);
  return { session: s, planned, result: await run.result, lines };
}

describe('a session on the sandbox provider, with real Terraform', () => {
  it('GIVEN three new resources THEN the plan says 3 to add, the apply saves state version 1 with Terraform’s lineage, and git records it', async () => {
    const { planned, result, lines } = await deploy([vm('web-1'), db('orders'), bucket('assets')]);
    expect(planned.summaryLine).toBe('Plan: 3 to add, 0 to change, 0 to destroy');
    expect(result.status).toBe('succeeded');
    expect(lines.some((l) => l.includes('Apply complete! Resources: 3 added'))).toBe(true);
    const state = (await latestState(sqlOf(t.app), keyOf('shop')))!;
    // The state Terraform wrote in the run's own directory is in the store; no copy is left in the workspace.
    expect(state.serial).toBeGreaterThan(0);
    expect((JSON.parse(state.stateJson) as { resources: unknown[] }).resources).toHaveLength(3);
    expect(existsSync(join(repoOf(t.dir, 'shop'), 'terraform.tfstate'))).toBe(false);
    const log = await simpleGit(repoOf(t.dir, 'shop')).log();
    expect(log.latest?.message).toMatch(/^Deploy 3 resources via session [0-9a-f]{8} \(dan-dev\)$/);
    expect(result.commitHash).toBe(log.latest?.hash);
    const events = (await queryAudit(sqlOf(t.app), { projectId: keyOf('shop'), limit: 100 })).map((e) => e.eventType);
    for (const e of ['session_created', 'resource_added', 'plan_completed', 'deployment_approved', 'deployment_completed', 'state_saved']) expect(events).toContain(e);
    expect((await getLock(sqlOf(t.app), keyOf('shop')))).toBeUndefined();
  });

  it('GIVEN a deployed project WHEN a new session changes one resource and removes another THEN 1 to change, 1 to destroy, and the serial grows', async () => {
    const first = await deploy([vm('web-1'), db('orders'), bucket('assets')]);
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    expect((await o.sessionView(dev, s.id)).resources.map((r) => r.spec.name)).toEqual(['web-1', 'orders', 'assets']);
    await o.editResource(dev, s.id, 'web-1', vm('web-1', { machine_type: 'large' }));
    await o.removeResource(dev, s.id, 'assets');
    const planned = await o.plan(dev, s.id);
    expect(planned.summaryLine).toBe('Plan: 0 to add, 1 to change, 1 to destroy');
    await o.approve(approver, s.id);
    const run = await o.apply(s.id, approver.userName);
    for await (const _ of run.lines) { /* drain */ }
    const second = await run.result;
    expect(second.status).toBe('succeeded');
    expect(second.stateSerial!).toBeGreaterThan(first.result.stateSerial!);
    expect((await latestState(sqlOf(t.app), keyOf('shop')))!.lineage).toBe((await latestState(sqlOf(t.app), keyOf('shop')))!.lineage);
    const s3 = await o.startSession(dev, 'shop');
    expect((await o.plan(dev, s3.id)).summaryLine).toMatch(/^No changes/);
  });

  it('GIVEN two plans and an apply THEN each ran in its own directory built from the store, and none is left behind', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    const second = await o.plan(dev, s.id);
    // The sandbox needs no provider, so there is nothing to initialise; the plan still ran for real.
    expect(second.plan.output).not.toMatch(/Initializing/);
    expect(second.plan.output).toMatch(/Plan: 1 to add/);
    const artifact = (await getPlanArtifact(sqlOf(t.app), second.plan.id))!;
    expect(sha256(artifact.planBytes)).toBe(second.plan.planFileHash);
    await o.approve(approver, s.id);
    expect((await (await o.apply(s.id, 'ann')).result).status).toBe('succeeded');
    expect(readdirSync(runDirsOf(t.dir, 'shop'))).toEqual([]);
    expect(readdirSync(repoOf(t.dir, 'shop')).sort()).toEqual(['.git', '.gitignore', 'cloud-engine.json', 'main.tf', 'outputs.tf', 'versions.tf'].sort());
  });

  it('GIVEN a configuration that needs providers THEN its run directory is initialised, for apply with the plan’s lock file read-only, and the sandbox skips it', async () => {
    // Providers cannot be downloaded here; the sandbox configuration stands in, initialised as a cloud one would be.
    const dir = join(t.dir, 'init-check');
    materialiseRun(dir, { files: generateConfiguration('sandbox', [parseSpec('sandbox', vm('web-1'))], { project: 'shop' }).files });
    const deps = t.app.orchestrator.deps;
    const planInit = await initRun(deps, dir, { providerSources: ['hashicorp/google'] });
    expect(planInit.ok).toBe(true);
    expect(planInit.lines.join('\n')).toMatch(/Terraform has been successfully initialized/);
    const applyInit = await initRun(deps, dir, { providerSources: ['hashicorp/google'] }, { readonlyLock: true });
    expect(applyInit.ok).toBe(true);
    expect(await initRun(deps, dir, { providerSources: [] })).toEqual({ ok: true, lines: [], timedOut: false });
  });
});
