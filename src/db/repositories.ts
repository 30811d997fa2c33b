import type { Store } from '../domain/store.js';
import { claimAnnouncement, finishAnnouncement, pendingAnnouncements } from './announcements.js';
import { appendAudit, latestSessionEvent, queryAudit } from './audit.js';
import { auditPage } from './auditExport.js';
import { listBudgetAlerts, setAlertAbove, upsertBudgetAlert } from './budgetAlerts.js';
import {
  finishDeployment, getDeploymentBySession, insertDeployment, listDeployments, listRunningDeployments, setDeploymentCommit, setDeploymentFence, setTerraformExit, setTerraformStarted,
} from './deployments.js';
import {
  claimRun, getLock, handOver, holdsLease, listLocks, parkLease, releaseIdleLock, releaseLease, renewLease, requestCancel, setRunProcess, takeLease, takeOver,
} from './locks.js';
import { getRole, listMembers, projectsWithMember, removeMember, upsertMember } from './members.js';
import { findProjectPlans, getPlan, getPlanArtifact, getPolicyInput, insertPlan, latestPlan, savePlanArtifact, savePolicyInput, setBudgetOverride, setPlanStatus, supersedePlans, updatePlanResult } from './plans.js';
import { castVote, getOverride, insertOverride, listVotes, withdrawVotes } from './votes.js';
import { getProject, insertProject, listProjects, updateBudgetLimit, updateProjectSettings } from './projects.js';
import { getQuota, upsertQuota } from './quotas.js';
import {
  casState, deleteSessionResource, getSession, insertSession, insertSessionResource, listDeployedResources, listExpirable, listSessionResources,
  listSessionsInStates, replaceSessionResource, setDeployedResources, setSessionMessage, setSessionResources, touchSession,
} from './sessions.js';
import {
  appendRunLog, beatWorker, claimRelay, claimSweep, listWorkers, orphanRelays, relayProgress, removeWorker, runLogAfter, startRelay,
} from './runLogs.js';
import type { Sql } from './sql.js';
import { getDraft, insertDraft, pruneDrafts, purgeDrafts } from './drafts.js';
import { insertState, insertUnrecordedState, latestState, listStates, resealAll, stateBySerial } from './states.js';
import { getDeploymentStatistics } from './stats.js';
import { getSandboxWorld, setSandboxWorld } from './sandboxWorlds.js';
import {
  claimDriftCheck, claimDriftThread, clearDriftThread, driftThreadShown, getDriftState, lastLobbyChannel, pendingDriftThreads, recordDrift, setDriftThread, unclaimDriftCheck,
} from './driftStates.js';
import { claimEnvLeaseAnnouncement, claimEnvLeaseReminder, envLeasesToSweep, getEnvLease, moveEnvLease, putEnvLease, removeEnvLease } from './environmentLeases.js';

/** How a store runs one repository call: on the connection of the caller's transaction, or on its own. */
export type Binder = <A extends unknown[], R>(fn: (q: Sql, ...a: A) => Promise<R>) => (...a: A) => Promise<R>;

export type Repositories = Omit<Store, 'transaction' | 'readOnly' | 'close' | 'backups'>;

/**
 * The repositories of either store, its calls bound by `on`. Re-sealing every body runs in `transaction`:
 * one body no key opens leaves everything as it was.
 */
export function repositories(on: Binder, transaction: Store['transaction'], currentKeyId: () => string | null): Repositories {
  const page = on(auditPage);
  const reseal = on(resealAll);
  return {
    sessions: {
      insert: on(insertSession), get: on(getSession), moveState: on(casState), touch: on(touchSession), setMessage: on(setSessionMessage),
      listInStates: on(listSessionsInStates), listExpirable: on(listExpirable), listResources: on(listSessionResources),
      insertResource: on(insertSessionResource), replaceResource: on(replaceSessionResource), deleteResource: on(deleteSessionResource),
      setResources: on(setSessionResources), listDeployed: on(listDeployedResources), setDeployed: on(setDeployedResources),
    },
    plans: {
      insert: on(insertPlan), updateResult: on(updatePlanResult), get: on(getPlan), latest: on(latestPlan), moveStatus: on(setPlanStatus),
      supersede: on(supersedePlans), setBudgetOverride: on(setBudgetOverride), saveArtifact: on(savePlanArtifact), getArtifact: on(getPlanArtifact),
      savePolicyInput: on(savePolicyInput), getPolicyInput: on(getPolicyInput), findInProject: on(findProjectPlans),
    },
    projects: {
      insert: on(insertProject), get: on(getProject), list: on(listProjects), updateSettings: on(updateProjectSettings), updateBudgetLimit: on(updateBudgetLimit),
    },
    members: { upsert: on(upsertMember), remove: on(removeMember), role: on(getRole), list: on(listMembers), projectsOf: on(projectsWithMember) },
    quotas: { get: on(getQuota), upsert: on(upsertQuota) },
    budgetAlerts: { upsert: on(upsertBudgetAlert), list: on(listBudgetAlerts), setAbove: on(setAlertAbove) },
    locks: {
      get: on(getLock), list: on(listLocks), take: on(takeLease), claimRun: on(claimRun), takeOver: on(takeOver), renew: on(renewLease),
      setRunProcess: on(setRunProcess), park: on(parkLease), release: on(releaseLease), releaseIdle: on(releaseIdleLock),
      requestCancel: on(requestCancel), holds: on(holdsLease), handOver: on(handOver),
    },
    deployments: {
      insert: on(insertDeployment), finish: on(finishDeployment), setTerraformExit: on(setTerraformExit), setCommit: on(setDeploymentCommit),
      bySession: on(getDeploymentBySession), list: on(listDeployments), listRunning: on(listRunningDeployments),
      setFence: on(setDeploymentFence), setTerraformStarted: on(setTerraformStarted),
    },
    states: {
      latest: on(latestState), bySerial: on(stateBySerial), insert: on(insertState), list: on(listStates), insertUnrecorded: on(insertUnrecordedState),
      resealAll: () => transaction(reseal), currentKeyId,
    },
    audit: {
      append: on(appendAudit), query: on(queryAudit), page, latestOfSession: on(latestSessionEvent),
      async *iterate(filter, pageSize = 1000) {
        let beforeId = filter.beforeId;
        for (;;) {
          const { rows, nextBeforeId } = await page({ ...filter, beforeId, limit: pageSize });
          yield* rows;
          if (nextBeforeId === null) return;
          beforeId = nextBeforeId;
        }
      },
    },
    stats: { deployments: on(getDeploymentStatistics) },
    runLogs: { append: on(appendRunLog), after: on(runLogAfter) },
    workers: { beat: on(beatWorker), remove: on(removeWorker), list: on(listWorkers) },
    relays: { start: on(startRelay), claim: on(claimRelay), progress: on(relayProgress), orphans: on(orphanRelays) },
    sweeps: { claim: on(claimSweep) },
    announcements: { pending: on(pendingAnnouncements), claim: on(claimAnnouncement), finish: on(finishAnnouncement) },
    drafts: { insert: on(insertDraft), get: on(getDraft), prune: on(pruneDrafts), purge: on(purgeDrafts) },
    sandboxWorlds: { get: on(getSandboxWorld), set: on(setSandboxWorld) },
    driftStates: {
      get: on(getDriftState), record: on(recordDrift), claimCheck: on(claimDriftCheck), unclaimCheck: on(unclaimDriftCheck), claimThread: on(claimDriftThread),
      setThread: on(setDriftThread), threadShown: on(driftThreadShown), clearThread: on(clearDriftThread), pendingThreads: on(pendingDriftThreads), lastLobbyChannel: on(lastLobbyChannel),
    },
    envLeases: {
      put: on(putEnvLease), get: on(getEnvLease), remove: on(removeEnvLease), toSweep: on(envLeasesToSweep), move: on(moveEnvLease),
      claimReminder: on(claimEnvLeaseReminder), claimAnnouncement: on(claimEnvLeaseAnnouncement),
    },
    approvals: { vote: on(castVote), votes: on(listVotes), withdraw: on(withdrawVotes), override: on(insertOverride), overrideOf: on(getOverride) },
  };
}

/** What both stores share: the repositories, bound by each store's own `repositories(…)` call. */
export abstract class RepositoryStore {
  protected abstract readonly repos: Repositories;
  get sessions() { return this.repos.sessions; }
  get plans() { return this.repos.plans; }
  get projects() { return this.repos.projects; }
  get members() { return this.repos.members; }
  get quotas() { return this.repos.quotas; }
  get budgetAlerts() { return this.repos.budgetAlerts; }
  get locks() { return this.repos.locks; }
  get deployments() { return this.repos.deployments; }
  get states() { return this.repos.states; }
  get audit() { return this.repos.audit; }
  get stats() { return this.repos.stats; }
  get runLogs() { return this.repos.runLogs; }
  get workers() { return this.repos.workers; }
  get relays() { return this.repos.relays; }
  get sweeps() { return this.repos.sweeps; }
  get announcements() { return this.repos.announcements; }
  get drafts() { return this.repos.drafts; }
  get approvals() { return this.repos.approvals; }
  get sandboxWorlds() { return this.repos.sandboxWorlds; }
  get driftStates() { return this.repos.driftStates; }
  get envLeases() { return this.repos.envLeases; }
}
