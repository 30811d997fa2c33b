import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import type { Actor } from '../../src/policy/permissions.js';
import { admin, approver, bucket, db, dev, GUILD, operator, repoOf, sandboxProject, sqlOf, testApp, vm, type TestApp } from '../helpers/app.js';
import { started, plannedSession } from '../helpers/approval.js';
import { refusal } from '../unit/files/refusal.js';

/**
 * Policy and risk-tiered approvals on real sandbox plans: every verdict here comes from `terraform plan`
 * and `terraform show -json` run for real, evaluated by the CEL worker.
 */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());

const LABELS = { labels: { owner: 'team-web', environment: 'dev' } };
const sshFromAnywhere = (name = 'ssh-in') => ({ type: 'firewall_rule', name, network: 'default', direction: 'ingress', protocol: 'tcp', ports: ['22'], source_ranges: ['0.0.0.0/0'], ...LABELS });
const approver2: Actor = { userId: '200000000000000010', userName: 'bea-approver', guildId: GUILD, isGuildAdmin: false };


const planned = (resources: object[], sessionId?: string) => plannedSession(t.app, resources, sessionId);

const applied = async (sessionId: string, actor: Actor) => {
  const { run } = started(await t.app.orchestrator.approveAndApply(actor, sessionId));
  return run.result;
};

/** Commits a pack file into the project's repository, as `/cloud-policy upload` would. */
function commitPack(name: string, yaml: string): void {
  const repo = repoOf(t.dir, 'shop');
  mkdirSync(join(repo, 'policies'), { recursive: true });
  writeFileSync(join(repo, 'policies', name), yaml);
  execFileSync('git', ['-C', repo, 'add', '--', `policies/${name}`]);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'policy']);
}

describe('risk tiers', () => {
  it('GIVEN only labelled additions within budget THEN the plan is low risk, needs one approval, and its author may approve it when self-approval is on', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', dev.userId, 'approver');
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: true });
    const { id, outcome } = await planned([vm('web-1', LABELS)]);
    expect(outcome.plan.policy).toMatchObject({ tier: 'low', findings: [], ruleErrors: [] });
    expect(outcome.approvalsRequired).toBe(1);
    expect((await applied(id, dev)).status).toBe('succeeded');
  });

  it('GIVEN an advisory finding THEN it is shown, the plan is medium risk, and its author’s approval does not count', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', dev.userId, 'approver');
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: true });
    const { id, outcome } = await planned([vm('web-1')]);
    expect(outcome.plan.policy!.findings).toEqual([expect.objectContaining({ ruleId: 'missing-labels', level: 'advisory', resource: 'web-1' })]);
    expect(outcome.plan.policy!.tier).toBe('medium');
    const e = await refusal(() => o.approve(dev, id));
    expect(e.refusal).toEqual({ kind: 'not_allowed', denial: 'author_not_counted' });
    expect((await applied(id, approver)).status).toBe('succeeded');
  });
});

describe('policy levels', () => {
  it('GIVEN a public bucket (hard-mandatory) THEN nobody can approve it — not an admin, not the operator — and nothing is applied', async () => {
    const o = t.app.orchestrator;
    const { id } = await planned([bucket('assets', { public_access: true, ...LABELS })]);
    for (const who of [approver, admin, operator]) {
      const e = await refusal(() => o.approve(who, id, { acceptRisk: true, budgetOverride: true }));
      expect(e.refusal).toEqual({ kind: 'policy_blocked', rules: [{ ruleId: 'public-bucket', resource: 'assets' }] });
    }
    expect((await o.sessionView(dev, id)).session.state).toBe('PLANNED');
    expect(await queryAudit(sqlOf(t.app), { eventType: 'deployment_approved' })).toHaveLength(0);
    expect((await queryAudit(sqlOf(t.app), { eventType: 'approval_refused' }))[0]?.details).toMatchObject({ reason: 'policy_blocked' });
  });

  it('GIVEN SSH open to the world (soft-mandatory, high risk) THEN approval waits for an admin’s override with a reason, then for two approvers', async () => {
    const o = t.app.orchestrator;
    const { id, outcome } = await planned([vm('bastion', LABELS), sshFromAnywhere()]);
    expect(outcome.plan.policy).toMatchObject({ tier: 'high', findings: [expect.objectContaining({ ruleId: 'world-open-admin-port', level: 'soft-mandatory', resource: 'ssh-in' })] });
    expect(outcome.approvalsRequired).toBe(2);
    expect((await refusal(() => o.approve(approver, id))).refusal?.kind).toBe('policy_override_needed');
    expect((await refusal(() => o.overridePolicy(approver, id, 'bastion host until the VPN is up'))).code).toBe('forbidden');
    expect((await refusal(() => o.overridePolicy(admin, id, 'ok'))).problems[0]).toMatchObject({ field: 'reason' });
    await o.overridePolicy(admin, id, 'bastion host until the VPN is up (OPS-142)');
    const audit = await queryAudit(sqlOf(t.app), { eventType: 'policy_overridden' });
    expect(audit[0]).toMatchObject({ userId: admin.userId, details: expect.objectContaining({ reason: 'bastion host until the VPN is up (OPS-142)' }) });
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    expect((await applied(id, admin)).status).toBe('succeeded');
    expect((await queryAudit(sqlOf(t.app), { eventType: 'deployment_approved' }))[0]?.details).toMatchObject({ risk_tier: 'high', approvers: expect.arrayContaining([approver.userId, admin.userId]) });
  });

  it('GIVEN an override THEN a re-plan with the same findings keeps it, and a new finding voids it', async () => {
    const o = t.app.orchestrator;
    const { id } = await planned([sshFromAnywhere()]);
    await o.overridePolicy(admin, id, 'bastion host until the VPN is up (OPS-142)');
    await planned([vm('web-1', LABELS)], id);
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted' });
    await planned([sshFromAnywhere('rdp-in')].map((r) => ({ ...r, ports: ['3389'] })), id);
    const e = await refusal(() => o.approve(approver, id));
    expect(e.refusal).toEqual({ kind: 'policy_override_needed', rules: expect.arrayContaining([{ ruleId: 'world-open-admin-port', resource: 'rdp-in' }]) });
  });

  it('GIVEN a production project THEN a database without backups needs an override, and without HA is advised', async () => {
    const o = t.app.orchestrator;
    await o.setReviewSettings(admin, 'shop', { production: true });
    const { outcome } = await planned([db('orders', { backups_enabled: false, high_availability: false, ...LABELS })]);
    const rules = outcome.plan.policy!.findings.map((f) => [f.ruleId, f.level]);
    expect(rules).toEqual(expect.arrayContaining([['production-database-backups', 'soft-mandatory'], ['production-database-ha', 'advisory']]));
  });
});

describe('approvals bound to the plan', () => {
  async function highRisk() {
    const { id } = await planned([db('orders', LABELS)]);
    expect((await applied(id, approver)).status).toBe('succeeded');
    const o = t.app.orchestrator;
    // A new lobby holds what the project runs; removing the database is the change under review.
    const s = await o.startSession(dev, 'shop');
    await o.removeResource(dev, s.id, 'orders');
    const outcome = await o.plan(dev, s.id);
    expect(outcome.plan.policy).toMatchObject({ tier: 'high', tierReasons: expect.arrayContaining([{ kind: 'stateful_removed', resource: 'orders', action: 'delete' }]) });
    return s.id;
  }

  it('GIVEN a high-risk plan THEN the same approver twice counts once, the author never counts, and a re-plan or an edit voids the votes', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', dev.userId, 'approver');
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: true });
    const id = await highRisk();
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    expect((await refusal(() => o.approve(dev, id))).refusal).toEqual({ kind: 'not_allowed', denial: 'author_not_counted' });
    await o.plan(dev, id);
    expect((await o.sessionView(dev, id)).approvals).toMatchObject({ votes: [], counted: 0, required: 2 });
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1 });
    // An edit voids them too: the plan they were cast on is superseded, and the session needs a new one.
    await o.addResource(dev, id, vm('web-9', LABELS));
    expect((await o.sessionView(dev, id)).approvals).toBeUndefined();
    expect((await refusal(() => o.approve(admin, id))).refusal).toMatchObject({ kind: 'session_state', state: 'DRAFT' });
    await o.plan(dev, id);
    expect(await o.approve(admin, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
  });

  it('GIVEN an approver who voted loses the right to approve before the last vote THEN their vote no longer counts toward any plan', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', approver2.userId, 'approver');
    const id = await highRisk();
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    await o.revokeRole(admin, 'shop', approver.userId);
    expect((await o.sessionView(admin, id)).approvals).toMatchObject({ votes: [], counted: 0 });
    expect(await o.approve(approver2, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    // Demoted below approver: the same.
    await o.grantRole(admin, 'shop', approver2.userId, 'deployer');
    expect((await o.sessionView(admin, id)).approvals).toMatchObject({ counted: 0 });
    expect((await queryAudit(sqlOf(t.app), { eventType: 'permission_revoked' }))[0]?.details).toMatchObject({ votes_withdrawn: 1 });
  });

  it('GIVEN the author voted on a low-risk plan needing two while self-approval was on THEN turning it off withdraws that vote', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', dev.userId, 'approver');
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: true, approvals: '2/2/2' });
    const { id } = await planned([vm('web-1', LABELS)]);
    expect(await o.approve(dev, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: false });
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
  });

  it('GIVEN 50 approvers click at once on a plan that needs two THEN exactly one apply starts', async () => {
    const o = t.app.orchestrator;
    const id = await highRisk();
    const approvers: Actor[] = Array.from({ length: 50 }, (_, i) => ({ userId: `3000000000000000${String(i).padStart(2, '0')}`, userName: `a${i}`, guildId: GUILD, isGuildAdmin: false }));
    for (const a of approvers) await o.grantRole(admin, 'shop', a.userId, 'approver');
    const results = await Promise.allSettled(approvers.map((a) => Promise.resolve().then(() => o.approve(a, id))));
    const kinds = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as CoreError).code));
    expect(kinds.filter((k) => k === 'approved')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'voted')).toHaveLength(1);
    expect(new Set(kinds.filter((k) => k !== 'approved' && k !== 'voted'))).toEqual(new Set(['conflict']));
    expect((await queryAudit(sqlOf(t.app), { eventType: 'deployment_approved' })).filter((r) => r.sessionId === id)).toHaveLength(1);
    expect((await (await o.apply(id, 'x')).result).status).toBe('succeeded');
  });

  it('GIVEN the operator approves a high-risk plan THEN it needs an explicit acceptance, which is audited', async () => {
    const o = t.app.orchestrator;
    const id = await highRisk();
    expect((await refusal(() => o.approve(operator, id))).refusal).toEqual({ kind: 'risk_not_accepted', tier: 'high' });
    expect(await o.approve(operator, id, { acceptRisk: true })).toMatchObject({ kind: 'approved' });
    expect(await queryAudit(sqlOf(t.app), { eventType: 'risk_accepted' })).toHaveLength(1);
    expect((await (await o.apply(id, 'op')).result).status).toBe('succeeded');
  });

  it('GIVEN a project sets its own approver counts THEN a medium plan needs that many', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', approver2.userId, 'approver');
    await o.setReviewSettings(admin, 'shop', { approvals: '1/2/3' });
    const { id } = await planned([vm('web-1')]);
    expect(await o.approve(approver, id)).toMatchObject({ kind: 'voted', counted: 1, required: 2 });
    expect((await applied(id, approver2)).status).toBe('succeeded');
    expect((await refusal(() => o.setReviewSettings(admin, 'shop', { approvals: '2/1/3' }))).problems[0]).toMatchObject({ field: 'approvals' });
  });
});

describe('project packs', () => {
  it('GIVEN the pack changes after a plan THEN approval refuses the plan as stale until it is planned again', async () => {
    const o = t.app.orchestrator;
    const { id } = await planned([vm('web-1', LABELS)]);
    commitPack('team.yaml', 'rules:\n  - id: no-large\n    level: hard-mandatory\n    description: No large VMs.\n    expression: resource.type == "compute_vm" && resource.machine_type == "large"\n');
    expect((await refusal(() => o.approve(approver, id))).refusal).toEqual({ kind: 'stale_plan', staleness: { why: 'policy_changed' } });
    await o.plan(dev, id);
    expect((await applied(id, approver)).status).toBe('succeeded');
  });

  it('GIVEN a rule that loops past its time limit THEN it is a rule error naming the rule, the other rules still run, and approval is blocked at its level', async () => {
    const o = t.app.orchestrator;
    // 40⁵ steps: far past the 2 s a rule may run on any machine (40⁴ once finished in time on a quick run).
    const loop = '[' + Array.from({ length: 40 }, (_, i) => i).join(',') + ']';
    commitPack('slow.yaml', `rules:\n  - id: forever\n    level: hard-mandatory\n    scope: plan\n    description: Loops.\n    expression: '${loop}.all(a, ${loop}.all(b, ${loop}.all(c, ${loop}.all(d, ${loop}.all(e, a + b + c + d + e >= 0)))))'\n`);
    const { id, outcome } = await planned([vm('web-1')]);
    expect(outcome.plan.policy!.ruleErrors).toEqual([expect.objectContaining({ ruleId: 'forever', reason: 'timeout', level: 'hard-mandatory' })]);
    expect(outcome.plan.policy!.findings.map((f) => f.ruleId)).toContain('missing-labels');
    expect((await refusal(() => o.approve(approver, id))).refusal).toEqual({ kind: 'policy_blocked', rules: [{ ruleId: 'forever', resource: null }] });
  });

  it('GIVEN a pack file that is not valid THEN the plan fails naming the file and the rule, and nothing can be approved', async () => {
    commitPack('broken.yaml', 'rules:\n  - id: bad\n    level: sometimes\n    description: x\n    expression: "true"\n');
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    const outcome = await o.plan(dev, s.id);
    expect(outcome.plan.status).toBe('failed');
    expect(outcome.plan.error).toMatch(/broken\.yaml/);
    expect(outcome.plan.error).toMatch(/level/);
  });
});
