/**
 * The store port, as the core relies on it, against both stores: SQLite (a real file) and PostgreSQL (a
 * real server, test/postgres.globalSetup.ts). Every repository call round-trips; transactions are whole
 * or nothing; writers from two stores on one database (two processes) never interleave a check and its
 * write; bodies are sealed at rest; the audit log refuses anything but an append.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/app.js';
import { StoreCipher } from '../../src/db/cipher.js';
import { PgStore } from '../../src/db/postgres.js';
import { SqliteStore } from '../../src/db/store.js';
import { micros } from '../../src/domain/money.js';
import { DEFAULT_SETTINGS, projectKey } from '../../src/domain/projects.js';
import type { PlanRecord } from '../../src/domain/plans.js';
import type { Deployment } from '../../src/domain/runs.js';
import type { Session } from '../../src/domain/sessions.js';
import type { Store } from '../../src/domain/store.js';
import type { AuditEvent } from '../../src/domain/audit.js';
import { freshDatabase, onDatabase, PG_ADMIN_URL, PG_UNAVAILABLE } from '../helpers/postgres.js';

const KEY = Buffer.alloc(32, 7);
const T0 = '2026-12-01T10:00:00.000Z';
const P = projectKey('111111111111111111', 'shop');
const owner = (pid: number) => ({ host: 'h', pid, started: 'boot-1' });
const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

interface Opened {
  store: Store;
  /** Another store on the same database: a second process (PostgreSQL only, see below). */
  second(): Promise<Store>;
  /** Raw SQL on the database, bypassing the store (as another tool or an attacker would). */
  raw(text: string): Promise<unknown>;
  close(): Promise<void>;
}

async function openSqliteStore(cipher: StoreCipher): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'ce-contract-'));
  const path = join(dir, 'store.db');
  const store = new SqliteStore(openSqlite(path, false), cipher);
  return {
    store,
    second: () => Promise.reject(new Error('two SQLite stores in one process block each other')),
    raw: async (text) => store.db.prepare(text).run(),
    close: async () => { store.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

async function openPgStore(cipher: StoreCipher): Promise<Opened> {
  const url = await freshDatabase();
  const opened: PgStore[] = [await PgStore.open(url, cipher)];
  return {
    store: opened[0]!,
    second: async () => { const s = await PgStore.open(url, cipher); opened.push(s); return s; },
    raw: (text) => onDatabase(url, text),
    close: async () => { for (const s of opened) await s.end(); },
  };
}

const session = (id: string, over: Partial<Session> = {}): Session => ({
  id, projectId: P, guildId: '111111111111111111', userId: 'u1', userName: 'dan', provider: 'sandbox', state: 'DRAFT',
  channelId: null, messageId: null, threadId: null, boardMessageId: null, error: null, rollbackOf: null, purpose: 'deploy', planMode: { kind: 'normal' }, createdAt: T0, updatedAt: T0, expiresAt: later(3_600_000), ...over,
});

const plan = (id: string, sessionId: string, over: Partial<PlanRecord> = {}): PlanRecord => ({
  id, sessionId, status: 'succeeded', configHash: 'cfg', stateSerial: null, stateChecksum: null, planFileHash: 'pfh', toAdd: 1, toChange: 0, toDestroy: 0,
  changes: [], cost: { total_monthly: 12 }, warnings: [{ kind: 'legacy', text: 'w' }], output: 'Plan: 1 to add, secret=s3cr3t', error: null, budgetOverrideBy: null, createdAt: T0, policy: null, ...over,
});

const deployment = (id: string, sessionId: string, planId: string, over: Partial<Deployment> = {}): Deployment => ({
  id, projectId: P, sessionId, planId, userId: 'u2', approverName: 'eve', status: 'running', resourcesCount: 1, toAdd: 1, toChange: 0, toDestroy: 0, resourceTypes: ['compute_vm', 'database'],
  monthlyCostMicros: micros(12_000_000), stateSerial: null, commitHash: null, error: null, startedAt: T0, finishedAt: null, durationMs: null, fence: 1, terraformExit: null, ...over,
});

async function seedProject(store: Store): Promise<void> {
  await store.projects.insert({
    id: P, name: 'shop', cloudName: 'shop', guildId: '111111111111111111', description: 'd', defaultProvider: 'sandbox', budgetLimitMicros: micros(500_000_000),
    settings: DEFAULT_SETTINGS, createdBy: 'admin', createdAt: T0,
  });
}

const stores = [
  { name: 'SQLite', open: openSqliteStore, available: true, why: '' },
  { name: 'PostgreSQL', open: openPgStore, available: PG_ADMIN_URL !== '', why: PG_UNAVAILABLE },
];

for (const kind of stores) {
  if (!kind.available) console.warn(`The ${kind.name} store contract is skipped: ${kind.why}`);

  describe.skipIf(!kind.available)(`the ${kind.name} store`, () => {
    let o: Opened;
    let store: Store;
    beforeEach(async () => {
      o = await kind.open(new StoreCipher({ current: KEY, previous: [] }));
      store = o.store;
      await seedProject(store);
    });
    afterEach(async () => o.close());

    it('GIVEN projects, members, quotas and budget alerts THEN each reads back as written, listed in order', async () => {
      const other = projectKey('222222222222222222', 'api');
      await store.projects.insert({ ...(await store.projects.get(P))!, id: other, name: 'api', cloudName: 'api', guildId: '222222222222222222' });
      expect((await store.projects.list()).map((p) => p.id)).toEqual([P, other]);
      expect((await store.projects.list('222222222222222222')).map((p) => p.name)).toEqual(['api']);
      await store.projects.updateSettings(P, { ...DEFAULT_SETTINGS, allow_self_approval: true });
      await store.projects.updateBudgetLimit(P, micros(9_007_199_254));
      expect(await store.projects.get(P)).toMatchObject({ budgetLimitMicros: 9_007_199_254, settings: { allow_self_approval: true }, cloudName: 'shop' });

      await store.members.upsert({ projectId: P, userId: 'u1', role: 'deployer', grantedBy: 'admin', grantedAt: T0 });
      await store.members.upsert({ projectId: P, userId: 'u1', role: 'approver', grantedBy: 'admin', grantedAt: later(1) });
      await store.members.upsert({ projectId: other, userId: 'u1', role: 'viewer', grantedBy: 'admin', grantedAt: T0 });
      expect(await store.members.role(P, 'u1')).toBe('approver');
      expect((await store.members.projectsOf('u1')).sort()).toEqual([P, other].sort());
      expect(await store.members.remove(other, 'u1')).toBe(true);
      expect(await store.members.remove(other, 'u1')).toBe(false);
      expect(await store.members.list(P)).toEqual([{ projectId: P, userId: 'u1', role: 'approver', grantedBy: 'admin', grantedAt: later(1) }]);

      const quota = { projectId: P, maxResources: 5, maxMonthlyCostMicros: micros(100_000_000), allowedRegions: ['eu-west-1'], allowedMachineTypes: null, updatedBy: 'admin', updatedAt: T0 };
      await store.quotas.upsert(quota);
      await store.quotas.upsert({ ...quota, maxResources: 6 });
      expect(await store.quotas.get(P)).toEqual({ ...quota, maxResources: 6 });

      const id = await store.budgetAlerts.upsert(P, micros(50_000_000), 'admin', T0);
      expect(await store.budgetAlerts.upsert(P, micros(50_000_000), 'admin', later(5))).toBe(id);
      await store.budgetAlerts.setAbove(id, true, later(9), micros(60_000_000));
      expect(await store.budgetAlerts.list(P)).toEqual([{ id, projectId: P, thresholdMicros: 50_000_000, createdBy: 'admin', createdAt: T0, above: true, lastTriggeredAt: later(9), lastValueMicros: 60_000_000 }]);
    });

    it('GIVEN a session THEN compare-and-set moves it once, resources keep their order, and expiry lists only idle ones', async () => {
      await store.sessions.insert(session('s1'));
      await store.sessions.insert(session('s2', { state: 'APPLYING', expiresAt: T0, createdAt: later(1) }));
      expect(await store.sessions.moveState('s1', ['DRAFT'], 'PLANNED', later(1), null, later(10))).toBe(true);
      expect(await store.sessions.moveState('s1', ['DRAFT'], 'CANCELLED', later(2))).toBe(false);
      await store.sessions.setMessage('s1', { channelId: 'c', threadId: 't' });
      await store.sessions.setMessage('s1', { boardMessageId: 'b' });
      expect(await store.sessions.get('s1')).toMatchObject({ state: 'PLANNED', updatedAt: later(1), expiresAt: later(10), channelId: 'c', messageId: null, threadId: 't', boardMessageId: 'b' });
      expect((await store.sessions.listInStates(['PLANNED', 'APPLYING'], P)).map((s) => s.id)).toEqual(['s1', 's2']);
      expect((await store.sessions.listExpirable(later(20))).map((s) => s.id)).toEqual(['s1']);

      const vm = (name: string, machine = 'small') => ({ type: 'compute_vm', name, machine_type: machine }) as never;
      await Promise.all(['a', 'b', 'c', 'd'].map((n) => store.sessions.insertResource('s1', vm(n))));
      expect(await store.sessions.replaceResource('s1', vm('b', 'large'))).toBe(true);
      expect(await store.sessions.deleteResource('s1', 'c')).toBe(true);
      expect(await store.sessions.deleteResource('s1', 'c')).toBe(false);
      expect((await store.sessions.listResources('s1')).map((r) => `${r.name}:${(r as { machine_type: string }).machine_type}`).sort()).toEqual(['a:small', 'b:large', 'd:small']);
      await store.sessions.setResources('s1', [vm('z'), vm('y')]);
      expect((await store.sessions.listResources('s1')).map((r) => r.name)).toEqual(['z', 'y']);
      await store.sessions.setDeployed(P, 'sandbox', [vm('y'), vm('x')]);
      expect(await store.sessions.listDeployed(P)).toEqual([{ provider: 'sandbox', spec: vm('y') }, { provider: 'sandbox', spec: vm('x') }]);
    });

    it('GIVEN plans THEN the newest is the latest even within one millisecond, their text and file are sealed at rest, and status moves by compare-and-set', async () => {
      await store.sessions.insert(session('s1'));
      await store.plans.insert(plan('p1', 's1'));
      await store.plans.insert(plan('p2', 's1', { status: 'running' }));
      expect((await store.plans.latest('s1'))?.id).toBe('p2');
      await store.plans.updateResult(plan('p2', 's1', { status: 'succeeded', output: 'second output', stateSerial: 3 }));
      await store.plans.supersede('s1');
      expect((await store.plans.get('p1'))?.status).toBe('superseded');
      await store.plans.insert(plan('p3', 's1'));
      expect(await store.plans.moveStatus('p3', 'succeeded', 'applied')).toBe(true);
      expect(await store.plans.moveStatus('p3', 'succeeded', 'applied')).toBe(false);
      await store.plans.setBudgetOverride('p3', 'boss');
      expect(await store.plans.get('p3')).toMatchObject({ status: 'applied', budgetOverrideBy: 'boss', cost: { total_monthly: 12 }, warnings: [{ kind: 'legacy', text: 'w' }], output: 'Plan: 1 to add, secret=s3cr3t' });
      const bytes = Buffer.from([0, 1, 2, 255, 0x50, 0x4b]);
      await store.plans.saveArtifact('p3', { planBytes: bytes, lockFile: 'lock' });
      expect(await store.plans.getArtifact('p3')).toEqual({ planBytes: bytes, lockFile: 'lock' });
      expect(await store.plans.getArtifact('p1')).toBeUndefined();
      // Nothing readable at rest: the raw rows hold envelopes only.
      expect(JSON.stringify(await o.raw("SELECT output, plan_bytes FROM plans WHERE id = 'p3'"))).not.toContain('s3cr3t');
    });

    it('GIVEN plans in two projects THEN findInProject finds only the project’s own, by id prefix or by a kept policy input, newest first', async () => {
      const other = projectKey('222222222222222222', 'api');
      await store.projects.insert({ ...(await store.projects.get(P))!, id: other, name: 'api', cloudName: 'api', guildId: '222222222222222222' });
      await store.sessions.insert(session('s1'));
      await store.sessions.insert(session('s9', { projectId: other, guildId: '222222222222222222' }));
      await store.plans.insert(plan('abc-1', 's1'));
      await store.plans.insert(plan('abd-2', 's1', { createdAt: later(1) }));
      await store.plans.insert(plan('abc-9', 's9', { createdAt: later(2) }));
      await store.plans.savePolicyInput('abc-1', '{"resources":[]}');
      await store.plans.savePolicyInput('abc-9', '{"resources":[]}');
      const ids = async (q: { idPrefix?: string; limit: number }, project = P) => (await store.plans.findInProject(project, q)).map((r) => `${r.id}:${r.hasPolicyInput}`);
      expect(await ids({ idPrefix: 'ab', limit: 5 })).toEqual(['abd-2:false', 'abc-1:true']);
      expect(await ids({ idPrefix: 'abc', limit: 5 })).toEqual(['abc-1:true']);
      expect(await ids({ idPrefix: 'abc-9', limit: 5 })).toEqual([]);
      expect(await ids({ limit: 5 })).toEqual(['abc-1:true']);
      expect(await ids({ limit: 5 }, other)).toEqual(['abc-9:true']);
      expect(await store.plans.findInProject(P, { idPrefix: 'abd', limit: 1 })).toEqual([{ id: 'abd-2', sessionId: 's1', status: 'succeeded', createdAt: later(1), hasPolicyInput: false }]);
    });

    it('GIVEN state versions THEN the latest, one by serial and the list read back with the sealing key, and rekey reseals every body', async () => {
      const body = (serial: number) => JSON.stringify({ version: 4, serial, lineage: 'L', resources: [{ name: `r${serial}` }] });
      const { sha256 } = await import('../../src/terraform/tfstate.js');
      for (const serial of [1, 2, 3]) {
        expect(await store.states.insert({ projectId: P, sessionId: 's', serial, lineage: 'L', checksum: sha256(body(serial)), stateJson: body(serial), createdAt: later(serial) })).toBeGreaterThan(0);
      }
      const keyId = store.states.currentKeyId();
      expect(keyId).toMatch(/^[0-9a-f]{16}$/);
      expect(await store.states.latest(P)).toMatchObject({ serial: 3, stateJson: body(3), keyId });
      expect((await store.states.bySerial(P, 2))?.stateJson).toBe(body(2));
      expect((await store.states.list(P, 2)).map((v) => [v.serial, v.keyId])).toEqual([[3, keyId], [2, keyId]]);
      expect(await store.states.insertUnrecorded({ projectId: P, sessionId: 's', serial: 9, lineage: 'L', checksum: '', stateJson: '{}', createdAt: T0, fence: 4, reason: 'lost lease' })).toBeGreaterThan(0);
      await store.sessions.insert(session('s1'));
      await store.plans.insert(plan('p1', 's1'));
      expect(await store.states.resealAll()).toEqual({ states: 3, unrecorded: 1, plans: 0, planOutputs: 1, policyInputs: 0, drafts: 0 });
      expect((await store.states.latest(P))?.stateJson).toBe(body(3));
      // A second state with a serial already recorded is refused by the store itself.
      await expect(store.states.insert({ projectId: P, sessionId: 's', serial: 3, lineage: 'L', checksum: sha256(body(3)), stateJson: body(3), createdAt: T0 })).rejects.toThrow();
    });

    it('GIVEN the lease calls THEN the fencing token only grows, and every fenced call changes nothing once the token moved on', async () => {
      const req = (sessionId: string, pid: number, at = T0) => ({ projectId: P, sessionId, userId: 'u1', owner: owner(pid), now: at, expiresAt: later(60_000) });
      const first = await store.locks.take(req('s1', 1));
      expect(first).toBe(1);
      expect(await store.locks.take(req('s2', 2))).toBeUndefined();
      expect(await store.locks.setRunProcess(P, first!, { dir: '/runs/x', pid: 42 })).toBe(true);
      expect(await store.locks.renew(P, first!, later(1), later(70_000))).toEqual({ cancelRequestedBy: null });
      expect(await store.locks.requestCancel(P, first!, 'admin')).toBe(true);
      expect(await store.locks.renew(P, first!, later(2), later(70_000))).toEqual({ cancelRequestedBy: 'admin' });
      expect(await store.locks.park(P, first!, later(80_000))).toBe(true);
      const claimed = await store.locks.claimRun(req('s1', 3, later(3)));
      expect(claimed).toBe(2);
      const seen = (await store.locks.get(P))!;
      expect(seen).toMatchObject({ sessionId: 's1', fence: 2, owner: owner(3), runPid: null, runDir: null, cancelRequestedBy: null });
      const taken = await store.locks.takeOver(seen, owner(4), later(4), later(90_000));
      expect(taken).toBe(3);
      expect(await store.locks.takeOver(seen, owner(5), later(5), later(90_000))).toBeUndefined();
      expect(await store.locks.holds(P, 2)).toBe(false);
      expect(await store.locks.renew(P, 2, later(6), later(99_000))).toBeUndefined();
      expect(await store.locks.release(P, 2)).toBe(false);
      expect(await store.locks.release(P, 3)).toBe(true);
      expect(await store.locks.get(P)).toBeUndefined();
      expect(await store.locks.take(req('s2', 2))).toBe(4);
      expect((await store.locks.list()).map((l) => l.sessionId)).toEqual(['s2']);
      expect(await store.locks.park(P, 4, later(100))).toBe(true);
      expect(await store.locks.releaseIdle(P, 's2')).toBe(true);
    });

    it('GIVEN deployments and audit rows THEN they read back, statistics count them, and the audit log refuses every change but an append', async () => {
      await store.sessions.insert(session('s1'));
      await store.plans.insert(plan('p1', 's1'));
      await store.deployments.insert(deployment('d1', 's1', 'p1'));
      expect((await store.deployments.listRunning()).map((d) => d.id)).toEqual(['d1']);
      await store.deployments.setTerraformExit('d1', 0);
      await store.deployments.finish('d1', { status: 'succeeded', stateSerial: 3, error: null, finishedAt: later(1000), durationMs: 1000 });
      await store.deployments.setCommit('d1', 'abc123');
      expect(await store.deployments.bySession('s1')).toMatchObject({ userId: 'u2', approverName: 'eve', status: 'succeeded', terraformExit: 0, commitHash: 'abc123', durationMs: 1000, monthlyCostMicros: 12_000_000, resourceTypes: ['compute_vm', 'database'] });
      expect((await store.deployments.list(P)).map((d) => d.id)).toEqual(['d1']);
      const stats = await store.stats.deployments(undefined, 7, new Date(later(2000)));
      expect(stats).toMatchObject({ total: 1, successful: 1, failed: 0, success_rate: 100, avg_apply_duration_ms: 1000, active_sessions: 1,
        top_users: [{ user_id: 'u1', user_name: 'dan', count: 1 }], top_resource_types: [{ type: 'compute_vm', count: 1 }, { type: 'database', count: 1 }] });
      expect(stats.per_day.at(-1)).toEqual({ date: '2026-12-01', succeeded: 1, failed: 0, interrupted: 0 });

      const ids: number[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push(await store.audit.append({ eventType: 'session_created', userId: 'u1', guildId: 'g', projectId: i % 2 ? P : null, sessionId: null, action: `a${i}`, status: 'info', details: { i, usd_micros: 1 } }, later(i)));
      }
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect((await store.audit.query({ projectId: P })).map((r) => r.action)).toEqual(['a5', 'a3', 'a1']);
      const page = await store.audit.page({ limit: 3 });
      expect(page.rows.map((r) => r.action)).toEqual(['a6', 'a5', 'a4']);
      const all: string[] = [];
      for await (const r of store.audit.iterate({}, 2)) all.push(r.action);
      expect(all).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
      await expect(o.raw("UPDATE audit_logs SET action = 'forged'")).rejects.toThrow(/append-only/);
      await expect(o.raw('DELETE FROM audit_logs')).rejects.toThrow(/append-only/);
      expect(await store.audit.query({ limit: 100 })).toHaveLength(7);
    });

    it('GIVEN 50 transactions that read, wait, then compare-and-set THEN exactly one moves the session', async () => {
      await store.sessions.insert(session('s1'));
      const moved = await Promise.all(Array.from({ length: 50 }, () => store.transaction(async () => {
        const seen = await store.sessions.get('s1');
        await new Promise((resolve) => setImmediate(resolve));
        if (seen?.state !== 'DRAFT') return false;
        return store.sessions.moveState('s1', ['DRAFT'], 'CANCELLED', later(1));
      })));
      expect(moved.filter(Boolean)).toHaveLength(1);
    });

    // Two SQLite connections in one process would block each other's event loop on the file lock; two
    // SQLite processes are exercised by the e2e suites (test/e2e/processes-*.test.ts).
    if (kind.name === 'PostgreSQL') {
      it('GIVEN two stores on one database (two processes), one recording states under the lease it checked while the other takes it over THEN no state lands under a fence already taken over', async () => {
        const other = await o.second();
        await store.locks.take({ projectId: P, sessionId: 's1', userId: 'u1', owner: owner(1), now: T0, expiresAt: T0 });
        let serial = 0;
        const writer = () => store.transaction(async () => {
          const held = (await store.locks.get(P))!.fence;
          if (!(await store.locks.holds(P, held))) return;
          await new Promise((resolve) => setTimeout(resolve, 3));
          await store.states.insert({ projectId: P, sessionId: 's1', serial: ++serial, lineage: `state-${held}`, checksum: '', stateJson: '', createdAt: T0 });
        });
        const thief = () => other.transaction(async () => {
          const next = await other.locks.takeOver((await other.locks.get(P))!, owner(2), T0, T0);
          if (next !== undefined) await other.states.insert({ projectId: P, sessionId: 's1', serial: ++serial, lineage: `taken-${next}`, checksum: '', stateJson: '', createdAt: T0 });
        });
        await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? thief() : writer())));
        const inOrder = (await store.states.list(P, 100)).reverse();
        expect(inOrder.filter((v) => v.lineage.startsWith('taken-')).length).toBe(10);
        let newest = 1;
        for (const v of inOrder) {
          const fence = Number(v.lineage.split('-')[1]);
          if (v.lineage.startsWith('taken-')) newest = fence;
          else expect(fence, `state ${v.serial} was written under fence ${fence} after the lease moved to ${newest}`).toBe(newest);
        }
      });

      it('GIVEN 20 lease takes at once from two stores on one database THEN exactly one holds the lock', async () => {
        const other = await o.second();
        const takes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).locks.take({ projectId: P, sessionId: `s${i}`, userId: 'u', owner: owner(i), now: T0, expiresAt: later(60_000) })));
        expect(takes.filter((f) => f !== undefined)).toEqual([1]);
      });
    }

    it('GIVEN a transaction that throws after writing THEN none of its writes remain; a nested one and a call that outlived its transaction are refused', async () => {
      await store.sessions.insert(session('s1'));
      await expect(store.transaction(async () => {
        await store.sessions.moveState('s1', ['DRAFT'], 'CANCELLED', later(1));
        await store.sessions.insertResource('s1', { type: 'storage_bucket', name: 'logs' } as never);
        throw new Error('refused halfway');
      })).rejects.toThrow('refused halfway');
      expect((await store.sessions.get('s1'))?.state).toBe('DRAFT');
      expect(await store.sessions.listResources('s1')).toEqual([]);
      await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/nested transaction/);
      let late: Promise<unknown> | undefined;
      await store.transaction(async () => { late = new Promise((resolve) => setTimeout(resolve, 20)).then(() => store.sessions.get('s1')); });
      await expect(late).rejects.toThrow(/outlived its transaction/);
    });

    it('GIVEN relays and sweeps THEN a relay is held by one process at a time and resumes where it stopped, and a sweep runs once per interval', async () => {
      const relay = { deploymentId: 'd1', sessionId: 's1', threadId: 't1', owner: 'bot-a', expiresAt: later(10_000) };
      expect(await store.relays.start(relay)).toBe(true);
      expect(await store.relays.start({ ...relay, owner: 'bot-b' })).toBe(false);
      expect(await store.relays.claim('d1', 'bot-b', later(1), later(20_000))).toBeUndefined();
      expect(await store.relays.progress('d1', 'bot-a', { postedSeq: 7 })).toBe(true);
      expect(await store.relays.progress('d1', 'bot-b', { postedSeq: 99 })).toBe(false);
      expect(await store.relays.orphans(later(5_000))).toEqual([]);
      // bot-a stops renewing: after its hold ends the relay is an orphan, taken over where it stopped.
      expect((await store.relays.orphans(later(11_000))).map((r) => r.deploymentId)).toEqual(['d1']);
      expect(await store.relays.claim('d1', 'bot-b', later(11_000), later(40_000))).toMatchObject({ owner: 'bot-b', postedSeq: 7, done: false });
      expect(await store.relays.progress('d1', 'bot-a', { postedSeq: 9 })).toBe(false);
      expect(await store.relays.progress('d1', 'bot-b', { postedSeq: 9, done: true })).toBe(true);
      expect(await store.relays.claim('d1', 'bot-b', later(12_000), later(50_000))).toBeUndefined();

      const turns = await Promise.all(Array.from({ length: 10 }, () => store.sweeps.claim('recover', later(0), later(-30_000))));
      expect(turns.filter(Boolean)).toHaveLength(1);
      expect(await store.sweeps.claim('recover', later(10_000), later(-20_000))).toBe(false);
      expect(await store.sweeps.claim('recover', later(31_000), later(1_000))).toBe(true);
    });

    it('GIVEN session events in the audit log THEN names read back, a server reads what was done to its projects, and each event is claimed for one announcer until done or its claim expires', async () => {
      const Q = projectKey('222222222222222222', 'shop');
      const event = (over: Partial<AuditEvent>, at: number) => store.audit.append({ eventType: 'session_expired', userId: null, guildId: null, projectId: P, sessionId: 's1', action: 'expired', status: 'success', details: {}, ...over }, later(at));
      const expired = await event({}, 1);
      const unlocked = await event({ eventType: 'lock_force_released', userId: 'cli-root', userName: 'root', action: 'force_unlock' }, 2);
      await event({ eventType: 'lock_force_released', userId: 'u9', userName: 'olly', guildId: '222222222222222222', projectId: Q, sessionId: 's9', action: 'force_unlock', status: 'info' }, 3);
      await event({ eventType: 'session_created', userId: 'u1', userName: 'alice', guildId: '111111111111111111', action: 'start_session' }, 4);
      const other = await event({ projectId: Q, sessionId: 's8' }, 5);
      expect((await store.audit.query({ guildId: '111111111111111111' })).map((r) => [r.eventType, r.userName])).toEqual([['session_created', 'alice'], ['lock_force_released', 'root'], ['session_expired', null]]);
      expect((await store.audit.latestOfSession('s1', ['session_expired', 'lock_force_released']))?.id).toBe(unlocked);

      const pending = async (at: number) => (await store.announcements.pending(['session_expired', 'lock_force_released'], later(0), later(at), 10)).map((r) => r.id);
      expect(await pending(10)).toEqual([expired, unlocked, other]);
      const claims = await Promise.all(['bot-a', 'bot-b', 'bot-a'].map((by) => store.announcements.claim(expired, by, later(10), later(60_000))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await pending(20)).toEqual([unlocked, other]);
      const holder = claims[1] ? 'bot-b' : 'bot-a';
      // The holder stops before it is done: once its claim expires another process takes the event up, and the first can no longer finish it.
      expect(await pending(60_011)).toEqual([expired, unlocked, other]);
      const taker = holder === 'bot-a' ? 'bot-b' : 'bot-a';
      expect(await store.announcements.claim(expired, taker, later(60_011), later(120_000))).toBe(true);
      expect(await store.announcements.finish(expired, holder)).toBe(false);
      expect(await store.announcements.finish(expired, taker)).toBe(true);
      expect(await store.announcements.claim(expired, holder, later(200_000), later(260_000))).toBe(false);
      expect(await pending(200_000)).toEqual([unlocked, other]);
      expect(await store.announcements.pending(['session_expired'], later(4), later(10), 10)).toEqual([expect.objectContaining({ id: other })]);
    });

    it('GIVEN form drafts THEN each reads back as typed, sealed at rest, and pruning drops the expired and all but the newest of an author', async () => {
      const draft = (id: string, at: number, over: object = {}) => ({
        id, sessionId: 's1', userId: 'u1', form: 'compute_vm.local.local-a', values: { name: 'web-1', disk: 'huge, s3cr3t', options: ['a', 'b'] },
        createdAt: later(at), expiresAt: later(at + 3_600_000), ...over,
      });
      for (let i = 0; i < 4; i++) await store.drafts.insert(draft(`d${i}`, i * 1000));
      await store.drafts.insert(draft('other', 0, { userId: 'u2' }));
      await store.drafts.insert(draft('old', -7_200_000));
      expect(await store.drafts.get('d3')).toEqual(draft('d3', 3000));
      expect(JSON.stringify(await o.raw("SELECT body FROM form_drafts WHERE id = 'd3'"))).not.toContain('s3cr3t');
      await store.drafts.prune(later(5000), 's1', 'u1', 2);
      for (const [id, kept] of [['d0', false], ['d1', false], ['d2', true], ['d3', true], ['other', true], ['old', false]] as const) {
        expect(await store.drafts.get(id) !== undefined, id).toBe(kept);
      }
      expect(await store.drafts.get('none')).toBeUndefined();
      // Past their hour they are deleted, not only refused; and a rekey seals those left.
      expect(await store.drafts.purge(later(3_602_500))).toBe(2);
      expect(await store.drafts.get('d2')).toBeUndefined();
      expect(await store.drafts.get('other')).toBeUndefined();
      expect(await store.drafts.get('d3')).toBeDefined();
    });

    it('GIVEN a plan with a policy verdict, votes and an override THEN the verdict reads back, its input is sealed at rest, a second vote by one approver adds nothing, and an override is found by its hash only', async () => {
      await store.sessions.insert(session('s1'));
      const verdict = {
        findings: [{ ruleId: 'world-open-admin-port', level: 'soft-mandatory' as const, resource: 'ssh-in', message: 'SSH open' }], ruleErrors: [], tier: 'high' as const,
        tierReasons: [{ kind: 'world_open' as const, resource: 'ssh-in' }], packDigest: 'd1', softHash: 'h1', checked: true,
      };
      await store.plans.insert(plan('p1', 's1', { policy: verdict }));
      expect((await store.plans.get('p1'))?.policy).toEqual(verdict);
      await store.plans.savePolicyInput('p1', '{"plan":{"after":"s3cr3t"}}');
      expect(await store.plans.getPolicyInput('p1')).toBe('{"plan":{"after":"s3cr3t"}}');
      expect(JSON.stringify(await o.raw("SELECT policy_input FROM plans WHERE id = 'p1'"))).not.toContain('s3cr3t');
      const vote = (userId: string, at: number) => ({ planId: 'p1', userId, userName: `n-${userId}`, createdAt: later(at) });
      expect(await store.approvals.vote(vote('u2', 0))).toBe(true);
      expect(await store.approvals.vote(vote('u2', 1000))).toBe(false);
      expect(await store.approvals.vote(vote('u3', 2000))).toBe(true);
      expect(await store.approvals.votes('p1')).toEqual([vote('u2', 0), vote('u3', 2000)]);
      // Withdrawn from the project's plans under review only: not another project's, not an applied plan's.
      expect(await store.approvals.withdraw('other-project', 'u2')).toBe(0);
      expect(await store.approvals.withdraw(P, 'u2')).toBe(1);
      expect(await store.approvals.votes('p1')).toEqual([vote('u3', 2000)]);
      await store.plans.moveStatus('p1', 'succeeded', 'applied');
      expect(await store.approvals.withdraw(P, 'u3')).toBe(0);
      const override = { sessionId: 's1', softHash: 'h1', userId: 'boss', userName: 'alice', reason: 'bastion until the VPN', createdAt: T0 };
      expect(await store.approvals.override(override)).toBe(true);
      expect(await store.approvals.override({ ...override, userId: 'other' })).toBe(false);
      expect(await store.approvals.overrideOf('s1', 'h1')).toEqual(override);
      expect(await store.approvals.overrideOf('s1', 'h2')).toBeUndefined();
    });

    it('GIVEN a sandbox world THEN none reads back before it is set, it reads back as written (numbers stay numbers), and a second set replaces it', async () => {
      expect(await store.sandboxWorlds.get(P)).toBeUndefined();
      const world = { resources: { web: { name: 'web', type: 'compute_vm', cpu: 2, tags: ['a'] } }, updatedAt: T0 };
      await store.sandboxWorlds.set(P, world);
      expect(await store.sandboxWorlds.get(P)).toEqual(world);
      await store.sandboxWorlds.set(P, { resources: {}, updatedAt: later(5) });
      expect(await store.sandboxWorlds.get(P)).toEqual({ resources: {}, updatedAt: later(5) });
      await expect(o.raw("INSERT INTO sandbox_worlds (project_id, resources, updated_at) VALUES ('no-such-project', '{}', 't')")).rejects.toThrow();
    });

    it('GIVEN drift states THEN a check claims its period once, a thread is opened by one claimer and shown, closed once its drift is gone, and stats count open drifts', async () => {
      const drifts = store.driftStates;
      expect(await drifts.get(P)).toBeUndefined();
      const claims = await Promise.all(Array.from({ length: 5 }, () => drifts.claimCheck(P, T0, later(3_600_000))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await drifts.claimCheck(P, later(60_000), later(3_660_000))).toBe(false);
      await drifts.unclaimCheck(P, later(3_600_000));
      expect(await drifts.claimCheck(P, later(60_000), later(3_660_000))).toBe(true);

      const open = { resources: [{ name: 'web', type: 'compute_vm', kind: 'changed' as const, attributes: [{ attribute: 'disk_gb', deployed: 20, observed: 80 }], since: T0 }], since: T0 };
      expect(await drifts.claimThread(P, 'bot-a', T0, later(120_000))).toBe(false);
      await drifts.record(P, open, T0, 1);
      expect(await drifts.pendingThreads()).toEqual([P]);
      expect(await drifts.claimThread(P, 'bot-a', T0, later(120_000))).toBe(true);
      expect(await drifts.claimThread(P, 'bot-b', later(1), later(120_000))).toBe(false);
      const thread = { channelId: 'c1', threadId: 't1', messageId: 't1', revision: 1 };
      expect(await drifts.setThread(P, 'bot-b', thread)).toBe(false);
      expect(await drifts.setThread(P, 'bot-a', thread)).toBe(true);
      expect(await drifts.get(P)).toEqual({ projectId: P, open, checkedAt: T0, revision: 1, nextCheckAt: later(3_660_000), thread });
      expect(await drifts.pendingThreads()).toEqual([]);
      expect(await drifts.claimThread(P, 'bot-b', later(200_000), later(320_000))).toBe(false);
      expect((await store.stats.deployments(undefined, 7, new Date(later(1)))).drift.open).toBe(1);

      await drifts.record(P, open, later(5), 2);
      expect(await drifts.pendingThreads()).toEqual([P]);
      await drifts.threadShown(P, 't1', 2);
      expect(await drifts.pendingThreads()).toEqual([]);
      expect(await drifts.clearThread(P, 't1')).toBe(false);
      await drifts.record(P, undefined, later(10), 3);
      expect(await drifts.pendingThreads()).toEqual([P]);
      expect(await drifts.clearThread(P, 't1')).toBe(true);
      expect(await drifts.clearThread(P, 't1')).toBe(false);
      expect(await drifts.get(P)).toEqual({ projectId: P, checkedAt: later(10), revision: 3, nextCheckAt: later(3_660_000) });
      expect((await store.stats.deployments(undefined, 7, new Date(later(11)))).drift.open).toBe(0);

      await store.sessions.insert(session('s1', { channelId: 'lobby-1' }));
      await store.sessions.insert(session('s2', { channelId: 'lobby-2', createdAt: later(1) }));
      expect(await drifts.lastLobbyChannel(P)).toBe('lobby-2');
    });

    it('GIVEN an environment lease THEN it round-trips, every move is a compare-and-set on its version, and a reminder or an outcome is claimed once', async () => {
      expect(await store.envLeases.get(P)).toBeUndefined();
      const lease = { projectId: P, ttlSeconds: 86_400, endsAt: later(86_400_000), armedAt: T0, status: 'active' as const, stopReason: null, remindersSent: 0,
        channelId: '42', destroySessionId: null, costMicros: null, announced: null, setBy: 'admin', updatedAt: T0 };
      await store.envLeases.put(lease);
      expect(await store.envLeases.get(P)).toEqual({ ...lease, version: 0 });
      expect((await store.envLeases.toSweep()).map((l) => l.projectId)).toEqual([P]);
      expect(await store.envLeases.claimReminder(P, lease.endsAt, 1)).toBe(true);
      expect(await store.envLeases.claimReminder(P, lease.endsAt, 1)).toBe(false);
      expect(await store.envLeases.claimReminder(P, later(1), 2)).toBe(false);
      expect(await store.envLeases.move(P, 0, { status: 'expiring', updatedAt: later(5) })).toBe(true);
      expect(await store.envLeases.move(P, 0, { status: 'expiring', updatedAt: later(6) })).toBe(false);
      expect(await store.envLeases.move(P, 1, { status: 'expired', costMicros: micros(9_999_999_999), destroySessionId: 's1', updatedAt: later(7) })).toBe(true);
      expect(await store.envLeases.get(P)).toMatchObject({ status: 'expired', costMicros: 9_999_999_999, destroySessionId: 's1', remindersSent: 1, version: 2 });
      expect(await store.envLeases.claimAnnouncement(P, 'expired')).toBe(true);
      expect(await store.envLeases.claimAnnouncement(P, 'expired')).toBe(false);
      expect(await store.envLeases.toSweep()).toEqual([]);
      expect(await store.envLeases.remove(P)).toBe(true);
      expect(await store.envLeases.get(P)).toBeUndefined();
    });

    it('GIVEN an open transaction THEN a reader outside it never sees its writes before it commits', async () => {
      await store.sessions.insert(session('s1'));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let inside!: () => void;
      const wrote = new Promise<void>((resolve) => (inside = resolve));
      const tx = store.transaction(async () => {
        await store.sessions.moveState('s1', ['DRAFT'], 'CANCELLED', later(1));
        inside();
        await gate;
      });
      await wrote;
      const outside = store.sessions.get('s1');
      const early = await Promise.race([outside.then((s) => s?.state), new Promise((resolve) => setTimeout(() => resolve('waiting'), 50))]);
      expect(['DRAFT', 'waiting']).toContain(early);
      release();
      await tx;
      expect(['DRAFT', 'CANCELLED']).toContain((await outside)?.state);
      expect((await store.sessions.get('s1'))?.state).toBe('CANCELLED');
    });
  });
}
