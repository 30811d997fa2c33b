import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, approver, dev, keyOf, testApp, vm, type TestApp } from '../helpers/app.js';
import { plannedSession, started } from '../helpers/approval.js';
import { freshDatabase, PG_ADMIN_URL, PG_UNAVAILABLE } from '../helpers/postgres.js';

/**
 * Environment leases (issue 20) swept by two processes at the same moment, on one PostgreSQL store (on SQLite one
 * Node process cannot hold two writers; its claims are the same compare-and-sets, covered by the store contract):
 * every reminder is said by one of them, and a lease's end starts one destroy session.
 */
if (!PG_ADMIN_URL) console.warn(`The lease race suite is skipped: ${PG_UNAVAILABLE}`);

const HOUR = 3_600_000;
let one: TestApp;
let two: TestApp;

describe.skipIf(!PG_ADMIN_URL)('two processes sweeping one lease', () => {
  beforeAll(async () => {
    const env = { DATABASE_URL: await freshDatabase() };
    one = await testApp({ env });
    two = await testApp({ env, dir: one.dir });
  });
  afterAll(async () => {
    two?.app.close();
    one?.cleanup();
  });

  it('GIVEN both sweeping at once, ten times at each moment THEN each reminder is claimed once, and the end starts one destroy session, planned on record', async () => {
    const o = one.app.orchestrator;
    await o.createProject(admin, { id: 'shop', provider: 'sandbox', budgetUsd: 1000, ttl: '2d' });
    await o.grantRole(admin, 'shop', dev.userId, 'deployer');
    await o.grantRole(admin, 'shop', approver.userId, 'approver');
    const { id } = await plannedSession(one.app, [vm('web-1')]);
    expect((await started(await o.approveAndApply(approver, id)).run.result).status).toBe('succeeded');

    const endsAt = Date.parse((await o.leaseOf(dev, 'shop')).lease!.endsAt!);
    /** Both processes' clocks at `ms` before the end, then ten rounds of both sweeping together. */
    const together = async <T>(ms: number, sweep: (t: TestApp) => Promise<T[]>): Promise<T[]> => {
      for (const t of [one, two]) t.clock.advance(endsAt - ms - t.clock.now().getTime());
      const claimed: T[] = [];
      for (let round = 0; round < 10; round++) claimed.push(...(await Promise.all([sweep(one), sweep(two)])).flat());
      return claimed;
    };
    expect(await together(23 * HOUR, (t) => t.app.orchestrator.claimLeaseReminders())).toHaveLength(1);
    expect(await together(HOUR / 2, (t) => t.app.orchestrator.claimLeaseReminders())).toHaveLength(1);
    const expiries = await together(-60_000, (t) => t.app.orchestrator.expireDueLeases());
    expect(expiries).toHaveLength(1);
    const planned = await expiries[0]!.outcome;
    expect(planned.plan.status, planned.plan.error ?? '').toBe('succeeded');
    expect(planned.plan.toDestroy).toBe(1);

    const audit = async (eventType: string) => one.app.store.audit.query({ projectId: keyOf('shop'), eventType });
    expect((await audit('lease_reminded')).map((r) => r.details.reminder).sort()).toEqual([1, 2]);
    expect((await audit('lease_expiring')).map((r) => r.sessionId)).toEqual([expiries[0]!.session.id]);
    expect((await audit('session_created')).filter((r) => r.details.purpose === 'expiry')).toHaveLength(1);
  });
});
