import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planCost } from '../../src/core/costing.js';
import { queryAudit } from '../../src/db/audit.js';
import type { Actor } from '../../src/policy/permissions.js';
import { admin, approver, bucket, dev, repoOf, sandboxProject, sqlOf, testApp, vm, type TestApp } from '../helpers/app.js';
import { started } from '../helpers/approval.js';
import { refusal } from '../unit/files/refusal.js';

/**
 * Project-wide labels: set through the review settings, carried by every resource of the project's real
 * sandbox plans (a resource's own label winning), and bound to the plan they were reviewed with.
 */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());


const settingsAudit = async () => (await queryAudit(sqlOf(t.app), { eventType: 'settings_updated' })).map((e) => e.details);

async function planned(resources: object[] = []) {
  const o = t.app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  for (const r of resources) await o.addResource(dev, s.id, r);
  const { plan } = await o.plan(dev, s.id);
  expect(plan.status, plan.error ?? '').toBe('succeeded');
  return { id: s.id, plan };
}

const applied = async (sessionId: string, actor: Actor = approver) => started(await t.app.orchestrator.approveAndApply(actor, sessionId)).run.result;

/** The `labels` of one resource's input in the project's committed configuration. */
function committedLabels(name: string): string {
  const main = readFileSync(join(repoOf(t.dir, 'shop'), 'main.tf'), 'utf8');
  const block = main.slice(main.indexOf(`resource "terraform_data" "${name}"`));
  return /labels = \{([^}]*)\}/.exec(block)![1]!.trim().split('\n').map((l) => l.trim().replace(/ +/g, ' ')).join(', ');
}

describe('the labels setting', () => {
  it('GIVEN key=value text THEN the project carries the labels sorted by key, shown by the settings and audited; none clears them, audited as null', async () => {
    const o = t.app.orchestrator;
    expect((await o.reviewSettings(dev, 'shop')).labels).toEqual({});
    const set = await o.setReviewSettings(admin, 'shop', { labels: ' owner=web,environment=prod ' });
    expect(set.labels).toEqual({ environment: 'prod', owner: 'web' });
    expect(Object.keys((await o.reviewSettings(dev, 'shop')).labels)).toEqual(['environment', 'owner']);
    expect((await o.project(admin, 'shop')).settings.labels).toEqual({ environment: 'prod', owner: 'web' });
    expect((await o.setReviewSettings(admin, 'shop', { labels: 'None' })).labels).toEqual({});
    expect((await o.project(admin, 'shop')).settings).not.toHaveProperty('labels');
    await o.setReviewSettings(admin, 'shop', { labels: 'team=data' });
    expect((await o.setReviewSettings(admin, 'shop', { labels: '' })).labels).toEqual({});
    expect(await settingsAudit()).toEqual(expect.arrayContaining([{ labels: { environment: 'prod', owner: 'web' } }, { labels: null }, { labels: { team: 'data' } }]));
  });

  it('GIVEN bad labels THEN every problem names the field labels in the words of a resource’s labels, and nothing changes', async () => {
    const o = t.app.orchestrator;
    await o.setReviewSettings(admin, 'shop', { labels: 'owner=web' });
    const e = await refusal(() => o.setReviewSettings(admin, 'shop', { labels: 'Owner=x, managed_by=me, env, team=A B', production: true }));
    expect(e.code).toBe('validation');
    expect(e.problems.map((p) => p.field)).toEqual(['labels', 'labels', 'labels', 'labels']);
    expect(e.problems.map((p) => p.message)).toEqual([
      "labels: 'env' must be key=value, e.g. owner=alice, environment=dev",
      "labels: key 'Owner' must be 1-63 characters: lowercase letters, digits, _ and -, starting with a letter",
      "labels: key 'managed_by' is set by Cloud Engine on every resource; choose another key",
      "labels: value 'A B' of 'team' must be 0-63 characters: lowercase letters, digits, _ and -",
    ]);
    const tooMany = await refusal(() => o.setReviewSettings(admin, 'shop', { labels: Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(',') }));
    expect(tooMany.problems).toEqual([{ field: 'labels', message: 'labels: 17 labels given; at most 16 are allowed' }]);
    expect((await refusal(() => o.setReviewSettings(admin, 'shop', { labels: 'a='.repeat(2001) }))).problems[0]!.message).toBe('labels is 4002 characters long; at most 4000 are allowed');
    const settings = await o.reviewSettings(admin, 'shop');
    expect(settings).toMatchObject({ labels: { owner: 'web' }, production: false });
    expect(await settingsAudit()).toHaveLength(1);
  });

  it('GIVEN an approver or a deployer THEN they may see the labels but not change them', async () => {
    const o = t.app.orchestrator;
    for (const who of [approver, dev]) expect((await refusal(() => o.setReviewSettings(who, 'shop', { labels: 'owner=me' }))).code).toBe('forbidden');
    expect((await o.reviewSettings(approver, 'shop')).labels).toEqual({});
  });
});

describe('labels on real sandbox plans', () => {
  it('GIVEN project labels THEN every resource carries them and its own label wins; a changed label set updates the resources in place, and clearing it too', async () => {
    const o = t.app.orchestrator;
    await o.setReviewSettings(admin, 'shop', { labels: 'owner=web, environment=prod' });
    const first = await planned([vm('web-1', { labels: 'owner=alice' }), bucket('assets')]);
    expect(first.plan).toMatchObject({ toAdd: 2, toChange: 0, toDestroy: 0 });
    expect((await applied(first.id)).status).toBe('succeeded');
    expect(committedLabels('web-1')).toBe('environment = "prod", owner = "alice"');
    expect(committedLabels('assets')).toBe('environment = "prod", owner = "web"');
    // The stored specs stay the user's own: the project's labels are added where the configuration is written.
    expect((await t.app.store.sessions.listResources(first.id)).map((s) => s.labels)).toEqual([{ owner: 'alice' }, undefined]);

    await o.setReviewSettings(admin, 'shop', { labels: 'owner=web, environment=prod, team=data' });
    const relabelled = await planned();
    expect(relabelled.plan).toMatchObject({ toAdd: 0, toChange: 2, toDestroy: 0 });
    // Labels are no priced dimension: the run-rate is what it was.
    expect(planCost(relabelled.plan)).toMatchObject({ delta_monthly: 0 });
    expect(planCost(relabelled.plan)!.after_monthly).toBe(planCost(first.plan)!.after_monthly);
    // `output` follows `input` in every terraform_data update; what changes of the input is the new label alone.
    expect(relabelled.plan.changes.map((c) => [c.address, c.actions.join(), c.attributes?.map((a) => a.path).filter((p) => p.startsWith('input'))])).toEqual([
      ['terraform_data.assets', 'update', ['input.labels.team']],
      ['terraform_data.web-1', 'update', ['input.labels.team']],
    ]);
    expect((await applied(relabelled.id)).status).toBe('succeeded');

    await o.setReviewSettings(admin, 'shop', { labels: 'none' });
    const cleared = await planned();
    expect(cleared.plan).toMatchObject({ toAdd: 0, toChange: 2, toDestroy: 0 });
    expect((await applied(cleared.id)).status).toBe('succeeded');
    expect(readFileSync(join(repoOf(t.dir, 'shop'), 'main.tf'), 'utf8')).not.toMatch(/environment|team/);
    expect(committedLabels('web-1')).toBe('owner = "alice"');
  });

  it('GIVEN the project labels change after a plan THEN the plan is stale and nothing is applied; planned again, it applies', async () => {
    const o = t.app.orchestrator;
    const { id } = await planned([vm('web-1')]);
    await o.setReviewSettings(admin, 'shop', { labels: 'owner=web' });
    const e = await refusal(() => o.approveAndApply(approver, id));
    expect(e.refusal).toEqual({ kind: 'stale_plan', staleness: { why: 'config_changed' } });
    expect(await t.app.store.sessions.listDeployed((await o.project(admin, 'shop')).id)).toEqual([]);
    await o.plan(dev, id);
    expect((await applied(id)).status).toBe('succeeded');
    expect(committedLabels('web-1')).toBe('owner = "web"');
  });
});
