import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_KEYS } from '../../../src/db/cipher.js';
import { openDatabase, sqliteSql, type Db } from '../../../src/db/database.js';
import type { Sql } from '../../../src/db/sql.js';
import { insertDeployment } from '../../../src/db/deployments.js';
import { migrate } from '../../../src/db/migrate.js';
import { insertPlan } from '../../../src/db/plans.js';
import { insertProject } from '../../../src/db/projects.js';
import { insertSession } from '../../../src/db/sessions.js';
import type { DeploymentStatus } from '../../../src/domain/runs.js';
import { DEFAULT_SETTINGS, type ProjectKey } from '../../../src/domain/projects.js';
import type { SessionState } from '../../../src/domain/sessions.js';
import { micros } from '../../../src/domain/money.js';

/** A real database file with the real migrations, removed by `close`; `q` is its connection as repositories take it. */
export function tempDb(): { db: Db; q: Sql; path: string; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ce-stats-'));
  const path = join(dir, 'test.db');
  const db = openDatabase(path);
  migrate(db);
  return { db, q: sqliteSql(db, NO_KEYS), path, close: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Projects here are called by bare labels ('alpha'): the statistics only compare keys, never parse them. */
const key = (label: string) => label as ProjectKey;

export async function project(q: Sql, id: string, guildId: string): Promise<void> {
  (await insertProject(q, { id: key(id), name: id, cloudName: id, guildId, description: '', defaultProvider: 'sandbox', budgetLimitMicros: micros(0), settings: DEFAULT_SETTINGS, createdBy: 'u', createdAt: '2025-01-01T00:00:00.000Z' }));
}

let seq = 0;

export async function session(q: Sql, projectId: string, state: SessionState, at = '2025-06-01T00:00:00.000Z', author = 'u'): Promise<string> {
  const id = `s${++seq}`;
  (await insertSession(q, {
    id, projectId: key(projectId), guildId: 'g', userId: author, userName: `${author}-name`, provider: 'sandbox', state, channelId: null, messageId: null, threadId: null, boardMessageId: null,
    error: null, rollbackOf: null, purpose: 'deploy', planMode: { kind: 'normal' }, createdAt: at, updatedAt: at, expiresAt: at,
  }));
  return id;
}

/**
 * A deployment with its session and plan, as the orchestrator would leave it: `author` opened the
 * session (named `<author>-name`), `approver` (another person unless given) approved it.
 */
export async function deployment(q: Sql, d: { projectId: string; author: string; approver?: string; status: DeploymentStatus; startedAt: string; types?: string[]; durationMs?: number | null }): Promise<void> {
  const sessionId = await session(q, d.projectId, d.status === 'succeeded' ? 'APPLIED' : 'FAILED', d.startedAt, d.author);
  const planId = `p${seq}`;
  (await insertPlan(q, {
    id: planId, sessionId, status: 'applied', configHash: 'h', stateSerial: null, stateChecksum: null, planFileHash: null,
    toAdd: 1, toChange: 0, toDestroy: 0, changes: [], cost: null, warnings: [], output: '', error: null, budgetOverrideBy: null, createdAt: d.startedAt, policy: null,
  }));
  (await insertDeployment(q, {
    id: `d${seq}`, projectId: key(d.projectId), sessionId, planId, userId: d.approver ?? 'approver', approverName: 'An Approver', status: d.status, resourcesCount: 1, toAdd: 1, toChange: 0, toDestroy: 0,
    resourceTypes: d.types ?? ['compute_vm'], monthlyCostMicros: null, stateSerial: null, commitHash: null, error: null,
    startedAt: d.startedAt, finishedAt: d.status === 'running' ? null : d.startedAt, durationMs: d.durationMs === undefined ? 1000 : d.durationMs, fence: null, terraformExit: null,
  }));
}
