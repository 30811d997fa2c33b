import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import { admin, approver, bucket, db, dev, otherGuildAdmin, repoOf, sandboxProject, sqlOf, stranger, testApp, vm, type TestApp } from '../helpers/app.js';
import { started, plannedSession } from '../helpers/approval.js';
import { NO_LARGE_VMS } from '../helpers/packs.js';
import { refusal } from '../unit/files/refusal.js';

/**
 * Project packs as code (issue 19): uploads, levels and tests of a project's policy files, with a real app,
 * real git and real sandbox plans. Every refusal must leave the repository's HEAD where it was.
 */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  // Large VMs cost more a month than the default threshold: keep the cost rule out of these findings.
  await t.app.orchestrator.setReviewSettings(admin, 'shop', { costThresholdUsd: 100_000 });
});
afterEach(() => t.cleanup());

const LABELS = { labels: { owner: 'team-web', environment: 'dev' } };

const git = (...args: string[]) => execFileSync('git', ['-C', repoOf(t.dir, 'shop'), ...args], { encoding: 'utf8' }).trim();
const head = () => git('rev-parse', 'HEAD');

const messages = (e: CoreError) => e.problems.map((p) => p.message).join('\n') || e.message;

const planned = (resources: object[], sessionId?: string) => plannedSession(t.app, resources, sessionId);

const applied = async (sessionId: string) => (await started(await t.app.orchestrator.approveAndApply(approver, sessionId)).run.result);

describe('uploading a pack file', () => {
  it('GIVEN an admin uploads a rule THEN it is committed by them and audited, the digest moves, an older plan is stale, and a new plan gets its finding', async () => {
    const o = t.app.orchestrator;
    const before = await o.listPolicies(dev, 'shop');
    const { id: older } = await planned([vm('web-1', LABELS)]);
    const change = await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS });
    expect(change).toMatchObject({ path: 'policies/team.yaml', previousDigest: before.digest, rules: [expect.objectContaining({ id: 'no-large-vms', level: 'hard-mandatory', source: 'policies/team.yaml' })] });
    expect(change.commit).toBe(head());
    expect(change.digest).not.toBe(before.digest);
    expect(git('log', '-1', '--format=%an|%cn|%s')).toBe(`alice-admin (${admin.userId})|Cloud Engine|Policy: upload policies/team.yaml (alice-admin)`);
    expect(git('show', 'HEAD:policies/team.yaml')).toBe(NO_LARGE_VMS.trim());
    const [row] = await queryAudit(sqlOf(t.app), { eventType: 'policy_updated' });
    expect(row).toMatchObject({ userId: admin.userId, status: 'success', details: { file: 'policies/team.yaml', commit: change.commit, rules: ['no-large-vms'], pack_digest: change.digest, replaced: false } });

    const listed = await o.listPolicies(dev, 'shop');
    expect(listed.digest).toBe(change.digest);
    expect(listed.files).toEqual(['policies/team.yaml']);
    expect(listed.rules.find((r) => r.id === 'no-large-vms')).toMatchObject({ source: 'policies/team.yaml', scope: 'resource' });

    expect((await refusal(() => o.approve(approver, older))).refusal).toEqual({ kind: 'stale_plan', staleness: { why: 'policy_changed' } });
    const { outcome } = await planned([vm('big-1', { machine_type: 'large', ...LABELS })], older);
    expect(outcome.plan.policy!.findings).toEqual([expect.objectContaining({ ruleId: 'no-large-vms', level: 'hard-mandatory', resource: 'big-1' })]);
  });

  it('GIVEN the same name again THEN the file is replaced; GIVEN the very same text THEN nothing is committed or audited', async () => {
    const o = t.app.orchestrator;
    await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS });
    const replaced = await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS.replace('hard-mandatory', 'advisory') });
    expect(replaced.rules[0]).toMatchObject({ id: 'no-large-vms', level: 'advisory' });
    expect((await o.listPolicies(dev, 'shop')).rules.filter((r) => r.id === 'no-large-vms')).toHaveLength(1);
    const at = head();
    expect((await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS.replace('hard-mandatory', 'advisory') })).commit).toBeNull();
    expect(head()).toBe(at);
    expect((await queryAudit(sqlOf(t.app), { eventType: 'policy_updated' })).map((r) => r.details.replaced)).toEqual([true, false]);
  });

  it('GIVEN a member who is not a project admin THEN the upload is refused and nothing is committed', async () => {
    const o = t.app.orchestrator;
    await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS });
    const at = head();
    for (const who of [dev, approver, stranger]) expect((await refusal(() => o.uploadPolicy(who, 'shop', { name: 'x.yaml', text: NO_LARGE_VMS.replace('no-large-vms', 'x') }))).code).toBe('forbidden');
    expect((await refusal(() => o.setPolicyLevel(approver, 'shop', 'missing-labels', 'off'))).code).toBe('forbidden');
    expect((await refusal(() => o.uploadPolicy(otherGuildAdmin, 'shop', { name: 'x.yaml', text: NO_LARGE_VMS }))).code).toBe('not_found');
    expect((await refusal(() => o.listPolicies(stranger, 'shop'))).code).toBe('forbidden');
    expect(head()).toBe(at);
  });
});

describe('hostile pack files', () => {
  const RULE = (id: string, expression = 'false') => `  - id: ${id}\n    level: advisory\n    description: A rule.\n    expression: ${JSON.stringify(expression)}\n`;
  const cases: Array<[string, () => { name: string; text: string }, RegExp]> = [
    ['a YAML syntax error', () => ({ name: 'bad.yaml', text: 'rules:\n  - id: x\n   level: [advisory\n' }), /policies\/bad\.yaml/],
    ['an alias bomb', () => ({ name: 'bomb.yaml', text: `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nrules: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n` }), /policies\/bomb\.yaml.*alias/],
    ['300 rules', () => ({ name: 'many.yaml', text: `rules:\n${Array.from({ length: 300 }, (_, i) => RULE(`rule-${i}`)).join('')}` }), /policies\/many\.yaml.*300 rules/],
    ['a CEL syntax error', () => ({ name: 'cel.yaml', text: `rules:\n${RULE('half-written', 'resource.type == ')}` }), /policies\/cel\.yaml, rule 'half-written'.*expression/],
    ['a rule that replaces no field it names', () => ({ name: 'keys.yaml', text: `rules:\n${RULE('ok-rule')}    severity: high\n` }), /policies\/keys\.yaml, rule 'ok-rule'.*severity/],
    ['a levels entry naming no rule', () => ({ name: 'lv.yaml', text: 'levels:\n  no-such-rule: off\n' }), /policies\/lv\.yaml, levels: there is no rule 'no-such-rule'/],
  ];

  it.each(cases)('GIVEN %s THEN the upload is refused naming the file and rule, and HEAD does not move', async (_, file, expected) => {
    await t.app.orchestrator.uploadPolicy(admin, 'shop', { name: 'first.yaml', text: NO_LARGE_VMS });
    const at = head();
    const e = await refusal(() => t.app.orchestrator.uploadPolicy(admin, 'shop', file()));
    expect(e.code).toBe('validation');
    expect(messages(e)).toMatch(expected);
    expect(head()).toBe(at);
    expect(git('status', '--porcelain', '--', 'policies')).toBe('');
  });

  it('GIVEN a rule id another file defines THEN the upload is refused naming both files', async () => {
    await t.app.orchestrator.uploadPolicy(admin, 'shop', { name: 'first.yaml', text: NO_LARGE_VMS });
    const at = head();
    const e = await refusal(() => t.app.orchestrator.uploadPolicy(admin, 'shop', { name: 'second.yaml', text: NO_LARGE_VMS }));
    expect(messages(e)).toMatch(/policies\/second\.yaml: rule 'no-large-vms' is also defined in policies\/first\.yaml/);
    expect(head()).toBe(at);
  });

  it('GIVEN a 10 MB file THEN it is refused on its size at once, before any parsing', async () => {
    await t.app.orchestrator.uploadPolicy(admin, 'shop', { name: 'first.yaml', text: NO_LARGE_VMS });
    const at = head();
    const huge = `rules:\n${RULE('x').repeat(1)}${'#'.repeat(10 * 1024 * 1024)}\n`;
    const startedAt = performance.now();
    const e = await refusal(() => t.app.orchestrator.uploadPolicy(admin, 'shop', { name: 'huge.yaml', text: huge }));
    expect(performance.now() - startedAt).toBeLessThan(500);
    expect(e.problems[0]).toMatchObject({ field: 'file', message: expect.stringMatching(/policies\/huge\.yaml has 10241 KiB; a policy file may have at most 256 KiB/) });
    expect(head()).toBe(at);
  });

  it.each(['../../x.yaml', '../x.yaml', 'a/b.yaml', '.yaml', 'with space.yaml', 'nul\u0000.yaml', 'team.json', ''])('GIVEN the file name %j THEN it is refused naming the name, and nothing is written', async (name) => {
    await t.app.orchestrator.uploadPolicy(admin, 'shop', { name: 'first.yaml', text: NO_LARGE_VMS });
    const at = head();
    const e = await refusal(() => t.app.orchestrator.uploadPolicy(admin, 'shop', { name, text: NO_LARGE_VMS.replace('no-large-vms', 'other') }));
    expect(e.problems[0]).toMatchObject({ field: 'name', message: expect.stringMatching(/is not a policy file name/) });
    expect(head()).toBe(at);
    expect(git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('GIVEN a refused upload THEN the bot keeps planning with the pack it had', async () => {
    const o = t.app.orchestrator;
    await o.uploadPolicy(admin, 'shop', { name: 'first.yaml', text: NO_LARGE_VMS });
    await refusal(() => o.uploadPolicy(admin, 'shop', { name: 'bad.yaml', text: 'rules: [' }));
    const { outcome } = await planned([vm('big-1', { machine_type: 'large', ...LABELS })]);
    expect(outcome.plan.policy!.findings.map((f) => f.ruleId)).toEqual(['no-large-vms']);
  });
});

describe('setting a rule’s level', () => {
  it('GIVEN a default rule turned off THEN it stops firing; GIVEN it set to hard-mandatory THEN it blocks approval', async () => {
    const o = t.app.orchestrator;
    const { id, outcome: first } = await planned([vm('web-1')]);
    expect(first.plan.policy!.findings.map((f) => f.ruleId)).toEqual(['missing-labels']);

    const off = await o.setPolicyLevel(admin, 'shop', 'missing-labels', 'off');
    expect(off).toMatchObject({ path: 'policies/levels.yaml', ruleId: 'missing-labels', level: 'off' });
    expect(git('show', 'HEAD:policies/levels.yaml')).toBe('levels:\n  missing-labels: off');
    const listed = await o.listPolicies(dev, 'shop');
    expect(listed.rules.map((r) => r.id)).not.toContain('missing-labels');
    expect(listed.off).toEqual(['missing-labels']);
    const { outcome: quiet } = await planned([vm('web-2')], id);
    expect(quiet.plan.policy!.findings).toEqual([]);

    await o.setPolicyLevel(admin, 'shop', 'stateful-destroy', 'soft-mandatory');
    await o.setPolicyLevel(admin, 'shop', 'missing-labels', 'hard-mandatory');
    expect(git('show', 'HEAD:policies/levels.yaml')).toBe('levels:\n  missing-labels: hard-mandatory\n  stateful-destroy: soft-mandatory');
    const { outcome } = await planned([], id);
    expect(outcome.plan.policy!.findings).toEqual(['web-1', 'web-2'].map((resource) => expect.objectContaining({ ruleId: 'missing-labels', level: 'hard-mandatory', resource })));
    expect((await refusal(() => o.approve(approver, id))).refusal).toEqual({ kind: 'policy_blocked', rules: ['web-1', 'web-2'].map((resource) => ({ ruleId: 'missing-labels', resource })) });
    expect((await queryAudit(sqlOf(t.app), { eventType: 'policy_updated' })).map((r) => [r.details.rule, r.details.level])).toEqual([
      ['missing-labels', 'hard-mandatory'], ['stateful-destroy', 'soft-mandatory'], ['missing-labels', 'off'],
    ]);
  });

  it('GIVEN an unknown rule id or level THEN it is refused naming it and the rules there are, and nothing is committed', async () => {
    const o = t.app.orchestrator;
    await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS });
    const at = head();
    const e = await refusal(() => o.setPolicyLevel(admin, 'shop', 'no-such-rule', 'off'));
    expect(e.problems[0]).toMatchObject({ field: 'rule', message: expect.stringMatching(/no rule 'no-such-rule'.*public-bucket.*no-large-vms/) });
    expect((await refusal(() => o.setPolicyLevel(admin, 'shop', 'public-bucket', 'sometimes'))).problems[0]).toMatchObject({ field: 'level' });
    expect(head()).toBe(at);
  });

  it('GIVEN a project rule turned off THEN it may be turned on again, since its file still defines it', async () => {
    const o = t.app.orchestrator;
    await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS });
    await o.setPolicyLevel(admin, 'shop', 'no-large-vms', 'off');
    expect((await o.listPolicies(dev, 'shop')).rules.map((r) => r.id)).not.toContain('no-large-vms');
    await o.setPolicyLevel(admin, 'shop', 'no-large-vms', 'advisory');
    expect((await o.listPolicies(dev, 'shop')).rules.find((r) => r.id === 'no-large-vms')).toMatchObject({ level: 'advisory' });
  });
});

describe('removing a pack file', () => {
  it('GIVEN a file the levels file depends on THEN removing it is refused naming levels.yaml; GIVEN the levels entry gone first THEN it is removed', async () => {
    const o = t.app.orchestrator;
    await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS });
    await o.setPolicyLevel(admin, 'shop', 'no-large-vms', 'advisory');
    const at = head();
    expect(messages(await refusal(() => o.removePolicy(admin, 'shop', 'team.yaml')))).toMatch(/policies\/levels\.yaml, levels: there is no rule 'no-large-vms'/);
    expect(head()).toBe(at);
    await o.removePolicy(admin, 'shop', 'levels.yaml');
    const removed = await o.removePolicy(admin, 'shop', 'team.yaml');
    expect(removed.commit).toBe(head());
    expect((await o.listPolicies(dev, 'shop')).files).toEqual([]);
    expect((await refusal(() => o.removePolicy(admin, 'shop', 'team.yaml'))).code).toBe('not_found');
  });
});

describe('testing the pack', () => {
  it('GIVEN a stored plan THEN the pack — or a candidate file, reviewed as an upload — is evaluated against its input, and nothing is recorded', async () => {
    const o = t.app.orchestrator;
    const { outcome } = await planned([vm('big-1', { machine_type: 'large', ...LABELS })]);
    const planId = outcome.plan.id;
    const plain = await o.testPolicies(dev, 'shop', { planId: planId.slice(0, 8) });
    expect(plain).toMatchObject({ tested: { kind: 'plan', planId }, candidate: null, findings: [], ruleErrors: [], policyChecks: true });
    expect(plain.ms).toBeGreaterThanOrEqual(0);

    const tried = await o.testPolicies(dev, 'shop', { planId, candidate: { name: 'team.yaml', text: NO_LARGE_VMS } });
    expect(tried.candidate).toEqual({ path: 'policies/team.yaml', rules: ['no-large-vms'] });
    expect(tried.findings).toEqual([expect.objectContaining({ ruleId: 'no-large-vms', resource: 'big-1' })]);
    expect(tried.digest).not.toBe(plain.digest);
    expect((await o.listPolicies(dev, 'shop')).files).toEqual([]);
    expect(await queryAudit(sqlOf(t.app), { eventType: 'policy_updated' })).toHaveLength(0);

    const latest = await o.testPolicies(dev, 'shop', { candidate: { name: 'team.yaml', text: NO_LARGE_VMS } });
    expect(latest.tested).toMatchObject({ kind: 'plan', planId });
    const e = await refusal(() => o.testPolicies(dev, 'shop', { planId, candidate: { name: 'team.yaml', text: `${NO_LARGE_VMS}  - id: bad\n` } }));
    expect(messages(e)).toMatch(/policies\/team\.yaml/);
  });

  it('GIVEN a rule that fails on a field the input lacks THEN the test reports a rule error naming the rule', async () => {
    const o = t.app.orchestrator;
    const { outcome } = await planned([vm('web-1', LABELS)]);
    const result = await o.testPolicies(dev, 'shop', { planId: outcome.plan.id, candidate: { name: 'typo.yaml', text: 'rules:\n  - id: typo\n    level: advisory\n    description: Reads a field no item has.\n    expression: resource.no_such_field == 1\n' } });
    expect(result.ruleErrors).toEqual([expect.objectContaining({ ruleId: 'typo', reason: 'evaluation', resource: 'web-1' })]);
  });

  it('GIVEN a plan of another project, an unknown id or a bad id THEN it is not found or refused', async () => {
    const o = t.app.orchestrator;
    await sandboxProject(t.app, 'other');
    const s = await o.startSession(dev, 'other');
    await o.addResource(dev, s.id, vm('x-1'));
    const theirs = (await o.plan(dev, s.id)).plan.id;
    expect((await refusal(() => o.testPolicies(dev, 'shop', { planId: theirs }))).code).toBe('not_found');
    expect((await refusal(() => o.testPolicies(dev, 'shop', {}))).code).toBe('not_found');
    expect((await refusal(() => o.testPolicies(dev, 'shop', { planId: "x' OR 1=1 --" }))).problems[0]).toMatchObject({ field: 'plan' });
    expect((await refusal(() => o.testPolicies(otherGuildAdmin, 'other', { planId: theirs }))).code).toBe('not_found');
  });

  it('GIVEN a terraform show -json document THEN the deployed resources are the items, each with what the plan does to it', async () => {
    const o = t.app.orchestrator;
    const { id } = await planned([db('orders', LABELS), bucket('assets', LABELS)]);
    expect((await applied(id)).status).toBe('succeeded');
    const planJson = JSON.stringify({
      format_version: '1.2', terraform_version: '1.11.4',
      resource_changes: [{ address: 'sandbox_database.orders', mode: 'managed', type: 'sandbox_database', name: 'orders', change: { actions: ['delete'], before: {}, after: null } }],
    });
    const result = await o.testPolicies(dev, 'shop', { planJson });
    expect(result.tested).toEqual({ kind: 'plan_json' });
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'stateful-destroy', resource: 'orders' })]);
    expect((await refusal(() => o.testPolicies(dev, 'shop', { planJson: '{"not": "a plan"' }))).problems[0]).toMatchObject({ field: 'plan' });
  });
});

describe('policies and deployments', () => {
  it('GIVEN a policy commit THEN deployments and a rollback to a commit from before it keep the policy in HEAD, and the rollback is checked against it', async () => {
    const o = t.app.orchestrator;
    const { id: first } = await planned([vm('web-1', LABELS)]);
    expect((await applied(first)).status).toBe('succeeded');
    const firstCommit = head();
    await o.uploadPolicy(admin, 'shop', { name: 'team.yaml', text: NO_LARGE_VMS.replace("resource.action == \"create\"", 'resource.action in ["create", "update", "replace"]') });
    const { id: second } = await planned([vm('web-2', LABELS)]);
    expect((await applied(second)).status).toBe('succeeded');
    expect(git('ls-tree', '-r', '--name-only', 'HEAD')).toContain('policies/team.yaml');

    const pack = await o.listPolicies(dev, 'shop');
    const rollback = await o.rollback(admin, 'shop', firstCommit);
    expect(rollback.plan.status).toBe('succeeded');
    expect(rollback.plan.policy!.packDigest).toBe(pack.digest);
    expect((await started(await o.approveAndApply(approver, rollback.session.id)).run.result).status).toBe('succeeded');
    expect(git('log', '-1', '--format=%s')).toMatch(/^Rollback to/);
    expect(git('show', 'HEAD:policies/team.yaml')).toContain('no-large-vms');
    expect((await o.listPolicies(dev, 'shop')).digest).toBe(pack.digest);
  });
});
