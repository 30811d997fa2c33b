/**
 * Editing a resource of a session (the core use case behind the lobby's Edit Resource): replaced in place,
 * checked as an added one is, audited, and the plan made before it no longer approvable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { CoreError } from '../../src/domain/errors.js';
import { admin, bucket, dev, sandboxProject, sqlOf, stranger, testApp, vm, type TestApp, oneApproverPerTier } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

const names = async (sessionId: string) => (await t.app.orchestrator.sessionView(dev, sessionId)).resources.map((r) => r.spec.name);

async function session(specs: object[]) {
  const s = await t.app.orchestrator.startSession(dev, 'shop');
  for (const spec of specs) await t.app.orchestrator.addResource(dev, s.id, spec);
  return s;
}

const problemsOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof CoreError) return e.problems;
    throw e;
  }
  throw new Error('not refused');
};

describe('editing a resource', () => {
  it('GIVEN a planned session THEN an edit replaces the resource where it was, the plan is superseded, the session is a draft again, and the edit is audited', async () => {
    const o = t.app.orchestrator;
    const s = await session([vm('web-1'), bucket('logs'), vm('web-2')]);
    await o.plan(dev, s.id);
    const edit = await o.editResource(dev, s.id, 'logs', bucket('logs', { storage_class: 'cold', storage_gb: 500 }));
    expect(edit).toMatchObject({ spec: { name: 'logs', storage_class: 'cold', storage_gb: 500 }, movedRules: [] });
    expect(edit.renamedFrom).toBeUndefined();
    const view = await o.sessionView(dev, s.id);
    expect(view.resources.map((r) => r.spec.name)).toEqual(['web-1', 'logs', 'web-2']);
    expect(view.session.state).toBe('DRAFT');
    expect(view.plan?.status).toBe('superseded');
    const [audit] = await queryAudit(sqlOf(t.app), { eventType: 'resource_updated' });
    expect(audit).toMatchObject({ userId: dev.userId, details: { name: 'logs', type: 'storage_bucket', spec: { storage_class: 'cold' } } });
  });

  it('GIVEN a new name THEN the resource is renamed in place; a network renamed takes its firewall rules along', async () => {
    const o = t.app.orchestrator;
    const net = { type: 'vpc_network', name: 'net-1', cidr: '10.1.0.0/16' };
    const rule = { type: 'firewall_rule', name: 'allow-ssh', network: 'net-1', ports: '22', source_ranges: '10.0.0.0/8' };
    const s = await session([net, vm('web-1'), rule]);
    const edit = await o.editResource(dev, s.id, 'net-1', { ...net, name: 'core-net' });
    expect(edit).toMatchObject({ renamedFrom: 'net-1', movedRules: ['allow-ssh'] });
    expect(await names(s.id)).toEqual(['core-net', 'web-1', 'allow-ssh']);
    const view = await o.sessionView(dev, s.id);
    expect(view.resources[2]!.spec).toMatchObject({ network: 'core-net' });
    const [audit] = await queryAudit(sqlOf(t.app), { eventType: 'resource_updated' });
    expect(audit!.details).toMatchObject({ name: 'core-net', renamed_from: 'net-1', moved_rules: ['allow-ssh'] });
  });

  it("GIVEN a network renamed to or from 'default' (the provider's own network to rules) THEN it is refused, and no rule changes network", async () => {
    const net = { type: 'vpc_network', name: 'net-1', cidr: '10.1.0.0/16' };
    const open = { type: 'firewall_rule', name: 'allow-ssh', network: 'net-1', ports: '22', source_ranges: '0.0.0.0/0' };
    const s = await session([net, open]);
    const reserved = { field: 'name', message: "name 'default' is what firewall rules call the provider's own default network; give this network another name" };
    expect(await problemsOf(t.app.orchestrator.editResource(dev, s.id, 'net-1', { ...net, name: 'default' }))).toEqual([reserved]);
    expect(await problemsOf(t.app.orchestrator.addResource(dev, s.id, { ...net, name: 'default' }))).toEqual([reserved]);
    expect((await t.app.orchestrator.sessionView(dev, s.id)).resources.map((r) => [r.spec.name, (r.spec as { network?: string }).network])).toEqual([['net-1', undefined], ['allow-ssh', 'net-1']]);
  });

  it('GIVEN a rename onto another resource’s name THEN it is refused naming the name field, and nothing changes', async () => {
    const s = await session([vm('web-1'), vm('web-2')]);
    expect(await problemsOf(t.app.orchestrator.editResource(dev, s.id, 'web-2', vm('web-1', { machine_type: 'large' })))).toEqual([
      { field: 'name', message: "name 'web-1' is already used by another resource in this session (a compute_vm); choose another name" },
    ]);
    expect((await t.app.orchestrator.sessionView(dev, s.id)).resources.map((r) => [r.spec.name, (r.spec as { machine_type: string }).machine_type])).toEqual([['web-1', 'small'], ['web-2', 'small']]);
  });

  it('GIVEN an invalid value, a quota or another type THEN the edit is refused as an add would be', async () => {
    const o = t.app.orchestrator;
    await o.setQuota(admin, 'shop', { allowedMachineTypes: ['small', 'medium'] });
    const s = await session([vm('web-1')]);
    expect((await problemsOf(o.editResource(dev, s.id, 'web-1', vm('web-1', { disk_size_gb: 'huge' }))))[0]).toMatchObject({ field: 'disk_size_gb' });
    expect((await problemsOf(o.editResource(dev, s.id, 'web-1', vm('web-1', { machine_type: 'large' }))))[0]!.message).toMatch(/large/);
    expect((await problemsOf(o.editResource(dev, s.id, 'web-1', bucket('web-1'))))[0]).toMatchObject({ field: 'type' });
    await expect(o.editResource(dev, s.id, 'web-9', vm('web-9'))).rejects.toMatchObject({ refusal: { kind: 'no_such_resource', name: 'web-9' } });
  });

  it('GIVEN someone who may not edit the session, or a session that is over THEN the edit is refused', async () => {
    const o = t.app.orchestrator;
    const s = await session([vm('web-1')]);
    await expect(o.editResource(stranger, s.id, 'web-1', vm('web-1', { machine_type: 'medium' }))).rejects.toMatchObject({ code: 'forbidden' });
    await o.cancel(dev, s.id);
    await expect(o.editResource(dev, s.id, 'web-1', vm('web-1', { machine_type: 'medium' }))).rejects.toMatchObject({ refusal: { kind: 'session_state', state: 'CANCELLED', action: 'edit' } });
  });
});

describe('the cost diff of a session', () => {
  it('GIVEN a deployed project and a session that moves, removes and adds THEN its view has before → after and each change; once applied it keeps that diff; cancelled, none', async () => {
    const o = t.app.orchestrator;
    const first = await session([vm('web-1'), bucket('logs')]);
    await o.plan(dev, first.id);
    await o.approve(admin, first.id);
    await (await o.apply(first.id, admin.userName)).result;
    const s = await o.startSession(dev, 'shop');
    await o.editResource(dev, s.id, 'web-1', vm('web-1', { region: 'remote', zone: 'remote-a' }));
    await o.removeResource(dev, s.id, 'logs');
    await o.addResource(dev, s.id, vm('web-2'));
    const diff = (await o.sessionView(dev, s.id)).costDiff!;
    expect(diff.resources.map((l) => [l.name, l.change])).toEqual([['web-1', 'changed'], ['web-2', 'added'], ['logs', 'removed']]);
    const web1 = diff.resources[0]!;
    expect(web1.after_monthly).toBeGreaterThan(web1.before_monthly);
    expect(diff.delta_monthly).toBe(diff.after_monthly - diff.before_monthly);
    expect(diff.delta_monthly).toBe(diff.resources.reduce((n, l) => n + l.delta_monthly, 0));
    await o.plan(dev, s.id);
    await o.approve(admin, s.id);
    await (await o.apply(s.id, admin.userName)).result;
    expect((await o.sessionView(dev, s.id)).costDiff).toMatchObject({ before_monthly: diff.before_monthly, after_monthly: diff.after_monthly });
    const third = await session([vm('web-3')]);
    await o.cancel(dev, third.id);
    expect((await o.sessionView(dev, third.id)).costDiff).toBeUndefined();
  });
});
