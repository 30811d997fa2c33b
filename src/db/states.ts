import type { Db } from './database.js';

export interface StateVersion {
  id: number;
  projectId: string;
  sessionId: string | null;
  serial: number;
  lineage: string;
  checksum: string;
  stateJson: string;
  createdAt: string;
}

interface Row { id: number; project_id: string; session_id: string | null; serial: number; lineage: string; checksum: string; state_json: string; created_at: string }

const toVersion = (r: Row): StateVersion => ({
  id: r.id, projectId: r.project_id, sessionId: r.session_id, serial: r.serial, lineage: r.lineage,
  checksum: r.checksum, stateJson: r.state_json, createdAt: r.created_at,
});

export function latestState(db: Db, projectId: string): StateVersion | undefined {
  const r = db.prepare('SELECT * FROM terraform_states WHERE project_id = ? ORDER BY serial DESC LIMIT 1').get(projectId) as Row | undefined;
  return r && toVersion(r);
}

export function insertState(db: Db, v: Omit<StateVersion, 'id'>): number {
  return Number(db.prepare(`INSERT INTO terraform_states (project_id, session_id, serial, lineage, checksum, state_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(v.projectId, v.sessionId, v.serial, v.lineage, v.checksum, v.stateJson, v.createdAt).lastInsertRowid);
}

/** Versions newest first, without the state bodies. */
export function listStates(db: Db, projectId: string, limit = 50): Array<Omit<StateVersion, 'stateJson'>> {
  return (db.prepare('SELECT id, project_id, session_id, serial, lineage, checksum, \'\' AS state_json, created_at FROM terraform_states WHERE project_id = ? ORDER BY serial DESC LIMIT ?')
    .all(projectId, limit) as Row[]).map((r) => { const { stateJson: _omit, ...rest } = toVersion(r); return rest; });
}

/** A state written by a run that had lost its lease: kept for the operator, never a project state version. */
export function insertUnrecordedState(db: Db, v: Omit<StateVersion, 'id'> & { fence: number | null; reason: string }): number {
  return Number(db.prepare(`INSERT INTO unrecorded_states (project_id, session_id, fence, serial, lineage, reason, state_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(v.projectId, v.sessionId, v.fence, v.serial, v.lineage, v.reason, v.stateJson, v.createdAt).lastInsertRowid);
}
