import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from '../domain/store.js';
import { appendAudit, queryAudit } from './audit.js';
import { auditPage } from './auditExport.js';
import { snapshotStore, writeBackup } from './backup.js';
import { listBudgetAlerts, setAlertAbove, upsertBudgetAlert } from './budgetAlerts.js';
import { cipherOf } from './cipher.js';
import { fileError, storageError, type Db } from './database.js';
import { finishDeployment, getDeploymentBySession, insertDeployment, listDeployments, listRunningDeployments, setDeploymentCommit, setTerraformExit } from './deployments.js';
import {
  claimRun, getLock, holdsLease, listLocks, parkLease, releaseIdleLock, releaseLease, renewLease, requestCancel, setRunProcess, takeLease, takeOver,
} from './locks.js';
import { getRole, listMembers, projectsWithMember, removeMember, upsertMember } from './members.js';
import { getPlan, getPlanArtifact, insertPlan, latestPlan, savePlanArtifact, setBudgetOverride, setPlanStatus, supersedePlans, updatePlanResult } from './plans.js';
import { getProject, insertProject, listProjects, updateBudgetLimit, updateProjectSettings } from './projects.js';
import { getQuota, upsertQuota } from './quotas.js';
import {
  casState, deleteSessionResource, getSession, insertSession, insertSessionResource, listDeployedResources, listExpirable, listSessionResources,
  listSessionsInStates, replaceSessionResource, setDeployedResources, setSessionMessage, setSessionResources, touchSession,
} from './sessions.js';
import { insertState, insertUnrecordedState, latestState, listStates, resealAll, stateBySerial } from './states.js';
import { getDeploymentStatistics } from './stats.js';

/** A transaction in progress, told apart from others by identity. */
type Turn = object;

/**
 * The store on one better-sqlite3 connection. Its statements are synchronous, so a call outside any
 * transaction is atomic by itself and runs at once; a transaction spans awaits, so while one is open,
 * only calls from its own async context run, and every other caller waits for it to end — one
 * transaction at a time on the connection, as a connection pool of one would give.
 */
export class SqliteStore implements Store {
  private open: Turn | undefined;
  private waiters: Array<() => void> = [];
  private readonly context = new AsyncLocalStorage<Turn>();

  readonly sessions;
  readonly plans;
  readonly projects;
  readonly members;
  readonly quotas;
  readonly budgetAlerts;
  readonly locks;
  readonly deployments;
  readonly states;
  readonly audit;
  readonly stats;
  readonly backups;

  constructor(readonly db: Db) {
    const on = <A extends unknown[], R>(fn: (db: Db, ...a: A) => R) => (...a: A): Promise<R> => this.run(() => fn(db, ...a));
    this.sessions = {
      insert: on(insertSession), get: on(getSession), moveState: on(casState), touch: on(touchSession), setMessage: on(setSessionMessage),
      listInStates: on(listSessionsInStates), listExpirable: on(listExpirable), listResources: on(listSessionResources),
      insertResource: on(insertSessionResource), replaceResource: on(replaceSessionResource), deleteResource: on(deleteSessionResource),
      setResources: on(setSessionResources), listDeployed: on(listDeployedResources), setDeployed: on(setDeployedResources),
    } satisfies Store['sessions'];
    this.plans = {
      insert: on(insertPlan), updateResult: on(updatePlanResult), get: on(getPlan), latest: on(latestPlan), moveStatus: on(setPlanStatus),
      supersede: on(supersedePlans), setBudgetOverride: on(setBudgetOverride), saveArtifact: on(savePlanArtifact), getArtifact: on(getPlanArtifact),
    } satisfies Store['plans'];
    this.projects = {
      insert: on(insertProject), get: on(getProject), list: on(listProjects), updateSettings: on(updateProjectSettings), updateBudgetLimit: on(updateBudgetLimit),
    } satisfies Store['projects'];
    this.members = { upsert: on(upsertMember), remove: on(removeMember), role: on(getRole), list: on(listMembers), projectsOf: on(projectsWithMember) } satisfies Store['members'];
    this.quotas = { get: on(getQuota), upsert: on(upsertQuota) } satisfies Store['quotas'];
    this.budgetAlerts = { upsert: on(upsertBudgetAlert), list: on(listBudgetAlerts), setAbove: on(setAlertAbove) } satisfies Store['budgetAlerts'];
    this.locks = {
      get: on(getLock), list: on(listLocks), take: on(takeLease), claimRun: on(claimRun), takeOver: on(takeOver), renew: on(renewLease),
      setRunProcess: on(setRunProcess), park: on(parkLease), release: on(releaseLease), releaseIdle: on(releaseIdleLock),
      requestCancel: on(requestCancel), holds: on(holdsLease),
    } satisfies Store['locks'];
    this.deployments = {
      insert: on(insertDeployment), finish: on(finishDeployment), setTerraformExit: on(setTerraformExit), setCommit: on(setDeploymentCommit),
      bySession: on(getDeploymentBySession), list: on(listDeployments), listRunning: on(listRunningDeployments),
    } satisfies Store['deployments'];
    this.states = {
      latest: on(latestState), bySerial: on(stateBySerial), insert: on(insertState), list: on(listStates), insertUnrecorded: on(insertUnrecordedState),
      resealAll: on(resealAll), currentKeyId: () => cipherOf(db).currentKeyId,
    } satisfies Store['states'];
    const page = on(auditPage);
    this.audit = {
      append: on(appendAudit), query: on(queryAudit), page,
      async *iterate(filter, pageSize = 1000) {
        let beforeId = filter.beforeId;
        for (;;) {
          const { rows, nextBeforeId } = await page({ ...filter, beforeId, limit: pageSize });
          yield* rows;
          if (nextBeforeId === null) return;
          beforeId = nextBeforeId;
        }
      },
    } satisfies Store['audit'];
    this.stats = { deployments: on(getDeploymentStatistics) } satisfies Store['stats'];
    this.backups = {
      // The copy is one statement (VACUUM INTO reads in one transaction); gathering repositories holds no one up.
      write: async (path, collect, createdAt) => {
        try {
          await this.run(() => snapshotStore(db, path));
          return await writeBackup(path, collect, createdAt);
        } catch (e) {
          throw fileError(e, 'write the backup copy of the store') ?? e;
        }
      },
    } satisfies Store['backups'];
  }

  get readOnly(): boolean {
    return this.db.readonly;
  }

  close(): void {
    this.db.close();
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.open !== undefined && this.context.getStore() === this.open) throw new Error('nested transaction: callers must not nest store.transaction');
    while (this.open !== undefined) await this.turn();
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      throw storageError(e) ?? e;
    }
    const turn: Turn = {};
    this.open = turn;
    try {
      const result = await this.context.run(turn, fn);
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw storageError(e) ?? e;
    } finally {
      this.open = undefined;
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /**
   * A statement: at once when no transaction is open or it belongs to the open one, else after it ends.
   * A call from the context of a transaction that already ended (started inside it, never awaited) is a
   * bug: run on its own it would commit what the transaction rolled back, so it is refused.
   */
  private async run<R>(statement: () => R): Promise<R> {
    const from = this.context.getStore();
    if (from !== undefined && from !== this.open) throw new Error('a store call outlived its transaction (it was started inside it and not awaited there)');
    while (this.open !== undefined && from !== this.open) await this.turn();
    try {
      return statement();
    } catch (e) {
      throw storageError(e) ?? e;
    }
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
