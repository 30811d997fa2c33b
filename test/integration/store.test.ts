/**
 * The store port on SQLite: one transaction at a time on the single connection, transactions that span
 * awaits, and what other callers see meanwhile. Real SQLite files; the approvals race goes through the
 * orchestrator with a real `terraform plan`.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCoreError } from '../../src/domain/errors.js';
import type { Session } from '../../src/domain/sessions.js';
import { admin, approver, dbOf, keyOf, dev, sandboxProject, testApp, vm, type TestApp } from '../helpers/app.js';
import { started } from '../helpers/approval.js';

let t: TestApp;

beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());

const store = () => t.app.store;
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function draft(): Promise<Session> {
  return t.app.orchestrator.startSession(dev, 'shop');
}

describe('the SQLite store', () => {
  it('GIVEN 50 approvals of one plan at once THEN exactly one approves and one apply runs; the others are told it changed', async () => {
    const o = t.app.orchestrator;
    const s = await draft();
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => o.approve(approver, s.id)));
    const won = outcomes.filter((r) => r.status === 'fulfilled');
    const lost = outcomes.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => isCoreError(r.reason) && r.reason.code)).toEqual(Array(49).fill(expect.stringMatching(/^(conflict|invalid_state)$/)));
    const count = dbOf(t.app).prepare('SELECT COUNT(*) FROM deployments WHERE session_id = ?').pluck().get(s.id);
    expect(count).toBe(1);
    expect((await (await o.apply(s.id, approver.userName)).result).status).toBe('succeeded');
    expect((await store().deployments.list(keyOf('shop'))).map((d) => d.status)).toEqual(['succeeded']);
  }, 60_000);

  it('GIVEN 50 transactions that read, wait, then compare-and-set THEN they run one at a time: exactly one moves the session', async () => {
    const s = await draft();
    const moved = await Promise.all(Array.from({ length: 50 }, () => store().transaction(async () => {
      const seen = await store().sessions.get(s.id);
      await tick();
      if (seen?.state !== 'DRAFT') return false;
      return store().sessions.moveState(s.id, ['DRAFT'], 'CANCELLED', new Date().toISOString());
    })));
    expect(moved.filter(Boolean)).toHaveLength(1);
  });

  it('GIVEN a transaction that throws after writing THEN none of its writes remain and the error reaches the caller', async () => {
    const s = await draft();
    await expect(store().transaction(async () => {
      await store().sessions.moveState(s.id, ['DRAFT'], 'CANCELLED', new Date().toISOString());
      await store().sessions.insertResource(s.id, { type: 'storage_bucket', name: 'logs', region: 'sandbox-1', storage_class: 'standard', storage_gb: 1 } as never);
      throw new Error('refused halfway');
    })).rejects.toThrow('refused halfway');
    expect((await store().sessions.get(s.id))?.state).toBe('DRAFT');
    expect(await store().sessions.listResources(s.id)).toEqual([]);
  });

  it('GIVEN an open transaction THEN a caller outside it waits and then sees only what was committed; calls inside see their own writes at once', async () => {
    const s = await draft();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = store().transaction(async () => {
      await store().sessions.moveState(s.id, ['DRAFT'], 'CANCELLED', new Date().toISOString());
      order.push(`inside sees ${(await store().sessions.get(s.id))?.state}`);
      await gate;
      order.push('commit');
    });
    await tick();
    const outside = store().sessions.get(s.id).then((seen) => order.push(`outside sees ${seen?.state}`));
    await tick();
    expect(order).toEqual(['inside sees CANCELLED']);
    release();
    await Promise.all([tx, outside]);
    expect(order).toEqual(['inside sees CANCELLED', 'commit', 'outside sees CANCELLED']);
  });

  it('GIVEN an edit whose write the store refuses THEN the plan it would invalidate stays, and no audit row claims the edit', async () => {
    const o = t.app.orchestrator;
    const s = await draft();
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    dbOf(t.app).exec("CREATE TRIGGER refuse_resources BEFORE INSERT ON session_resources BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    await expect(o.addResource(dev, s.id, vm('web-2'))).rejects.toThrow(/refused by the test/);
    expect((await store().sessions.get(s.id))?.state).toBe('PLANNED');
    expect((await store().plans.latest(s.id))?.status).toBe('succeeded');
    expect((await store().audit.query({ eventType: 'resource_added' })).map((r) => r.details.name)).toEqual(['web-1']);
  }, 60_000);

  it('GIVEN a store call started inside a transaction and left running THEN it is refused once the transaction rolled back, never committed on its own', async () => {
    const s = await draft();
    let late: Promise<unknown> = Promise.resolve();
    await expect(store().transaction(async () => {
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(() => store().sessions.moveState(s.id, ['DRAFT'], 'CANCELLED', new Date().toISOString()));
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await expect(late).rejects.toThrow(/outlived its transaction/);
    expect((await store().sessions.get(s.id))?.state).toBe('DRAFT');
  });

  it('GIVEN two admins changing different review settings at once THEN both changes stay', async () => {
    const o = t.app.orchestrator;
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: true });
    await Promise.all([o.setReviewSettings(admin, 'shop', { allowSelfApproval: false }), o.setReviewSettings(admin, 'shop', { autoTag: true })]);
    expect(await o.reviewSettings(admin, 'shop')).toMatchObject({ allowSelfApproval: false, autoTag: true });
  });

  it('GIVEN the same resource added twice at once, or two adds under a quota of one THEN one is added and the other refused as invalid, never a raw store error', async () => {
    const o = t.app.orchestrator;
    const s = await draft();
    const twice = await Promise.allSettled([o.addResource(dev, s.id, vm('web-1')), o.addResource(dev, s.id, vm('web-1'))]);
    expect(twice.map((r) => (r.status === 'fulfilled' ? 'added' : isCoreError(r.reason) ? r.reason.code : String(r.reason))).sort()).toEqual(['added', 'validation']);
    await o.setQuota(admin, 'shop', { maxResources: 2 });
    const quota = await Promise.allSettled([o.addResource(dev, s.id, vm('web-2')), o.addResource(dev, s.id, vm('web-3'))]);
    expect(quota.map((r) => (r.status === 'fulfilled' ? 'added' : isCoreError(r.reason) ? r.reason.code : String(r.reason))).sort()).toEqual(['added', 'validation']);
    expect(await store().sessions.listResources(s.id)).toHaveLength(2);
  });

  it('GIVEN an approval still starting its apply when the process shuts down THEN shutdown waits for it and interrupts it: nothing runs past the shutdown', async () => {
    const o = t.app.orchestrator;
    const s = await draft();
    await o.addResource(dev, s.id, vm('slow-1', { boot_seconds: 30 }));
    await o.plan(dev, s.id);
    const starting = o.approveAndApply(approver, s.id);
    await o.shutdown();
    const { run } = started(await starting);
    expect(await run.result).toMatchObject({ status: 'interrupted', recorded: true });
    expect(await store().locks.get(keyOf('shop'))).toBeUndefined();
  }, 60_000);

  it('GIVEN a backup the database cannot write (its directory is missing) THEN the store says so as a storage error, not a driver error', async () => {
    const refused = await store().backups.write('/nonexistent-dir/backup.db', async () => [], new Date().toISOString()).catch((e: unknown) => e);
    expect(isCoreError(refused) && refused.code).toBe('storage');
    expect((refused as Error).message).toMatch(/^Could not write the backup copy of the store: /);
  });

  it('GIVEN a transaction inside a transaction THEN it is refused and the outer one rolls back', async () => {
    const s = await draft();
    await expect(store().transaction(async () => {
      await store().sessions.moveState(s.id, ['DRAFT'], 'CANCELLED', new Date().toISOString());
      await store().transaction(async () => undefined);
    })).rejects.toThrow(/nested transaction/);
    expect((await store().sessions.get(s.id))?.state).toBe('DRAFT');
  });

  it('GIVEN another connection holding the write lock THEN a transaction gives up with a storage error after the busy timeout and changes nothing', async () => {
    const s = await draft();
    const second = new Database(dbOf(t.app).name);
    second.pragma('busy_timeout = 0');
    second.exec('BEGIN IMMEDIATE');
    dbOf(t.app).pragma('busy_timeout = 50');
    try {
      const refused = await store().transaction(async () => undefined).catch((e: unknown) => e);
      expect(isCoreError(refused) && refused.code).toBe('storage');
    } finally {
      second.exec('ROLLBACK');
      second.close();
    }
    expect((await store().sessions.get(s.id))?.state).toBe('DRAFT');
    // The store is usable again once the other connection lets go.
    expect(await store().transaction(async () => store().sessions.moveState(s.id, ['DRAFT'], 'CANCELLED', new Date().toISOString()))).toBe(true);
  });
});
