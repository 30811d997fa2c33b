import { CoreError } from '../domain/errors.js';
import type { ProjectKey } from '../domain/projects.js';
import { sha256 } from '../terraform/tfstate.js';
import { cipherOf } from './cipher.js';
import type { Db } from './database.js';
import type { StateVersion } from '../domain/runs.js';

interface Row { id: number; project_id: ProjectKey; session_id: string | null; serial: number; lineage: string; checksum: string; state_json: string | Buffer; created_at: string; key_id: string | null }

/** The id of the key a sealed body carries (bytes 5-12 of the BLOB), computed in SQL so listings never read bodies. */
const KEY_ID = "CASE WHEN typeof(terraform_states.state_json) = 'blob' AND substr(terraform_states.state_json, 1, 4) = CAST('CES1' AS BLOB) THEN lower(hex(substr(terraform_states.state_json, 5, 8))) END AS key_id";

function toVersion(db: Db, r: Row): StateVersion {
  const what = `state serial ${r.serial} of project ${r.project_id}`;
  const stateJson = cipherOf(db).open(r.state_json, what).toString('utf8');
  // The body must be the one its clear checksum names: a body swapped from another row or edited is refused.
  if (stateJson && sha256(stateJson) !== r.checksum) {
    throw new CoreError('storage', `${what} does not match its recorded checksum: it was altered or swapped.`);
  }
  return { id: r.id, projectId: r.project_id, sessionId: r.session_id, serial: r.serial, lineage: r.lineage, checksum: r.checksum, stateJson, createdAt: r.created_at, keyId: r.key_id };
}

export function latestState(db: Db, projectId: ProjectKey): StateVersion | undefined {
  const r = db.prepare(`SELECT *, ${KEY_ID} FROM terraform_states WHERE project_id = ? ORDER BY serial DESC LIMIT 1`).get(projectId) as Row | undefined;
  return r && toVersion(db, r);
}

/** One version by serial, its body opened (for an operator's `state --show`). */
export function stateBySerial(db: Db, projectId: ProjectKey, serial: number): StateVersion | undefined {
  const r = db.prepare(`SELECT *, ${KEY_ID} FROM terraform_states WHERE project_id = ? AND serial = ?`).get(projectId, serial) as Row | undefined;
  return r && toVersion(db, r);
}

export function insertState(db: Db, v: Omit<StateVersion, 'id' | 'keyId'>): number {
  return Number(db.prepare(`INSERT INTO terraform_states (project_id, session_id, serial, lineage, checksum, state_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(v.projectId, v.sessionId, v.serial, v.lineage, v.checksum, cipherOf(db).seal(v.stateJson), v.createdAt).lastInsertRowid);
}

/** Versions newest first, without the state bodies. */
export function listStates(db: Db, projectId: ProjectKey, limit = 50): Array<Omit<StateVersion, 'stateJson'>> {
  return (db.prepare(`SELECT id, project_id, session_id, serial, lineage, checksum, '' AS state_json, created_at, ${KEY_ID} FROM terraform_states WHERE project_id = ? ORDER BY serial DESC LIMIT ?`)
    .all(projectId, limit) as Row[]).map((r) => { const { stateJson: _omit, ...rest } = toVersion(db, r); return rest; });
}

/** A state written by a run that had lost its lease: kept for the operator, never a project state version. */
export function insertUnrecordedState(db: Db, v: Omit<StateVersion, 'id' | 'keyId'> & { fence: number | null; reason: string }): number {
  return Number(db.prepare(`INSERT INTO unrecorded_states (project_id, session_id, fence, serial, lineage, reason, state_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(v.projectId, v.sessionId, v.fence, v.serial, v.lineage, v.reason, cipherOf(db).seal(v.stateJson), v.createdAt).lastInsertRowid);
}

/**
 * Re-seals every state body and plan file with the current key (rotation, or sealing what was stored in
 * clear), in one transaction: a body no configured key opens stops it with nothing changed.
 */
export function resealAll(db: Db): { states: number; unrecorded: number; plans: number; planOutputs: number } {
  const cipher = cipherOf(db);
  return db.transaction(() => {
    const reseal = (table: string, column: string, label: (r: Record<string, unknown>) => string, clear: 'text' | 'bytes' = 'text') => {
      const rows = db.prepare(`SELECT rowid AS rid, * FROM ${table} WHERE ${column} IS NOT NULL`).all() as Array<Record<string, unknown> & { rid: number }>;
      const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`);
      for (const r of rows) {
        const opened = cipher.open(r[column] as string | Buffer, label(r), clear);
        // A state body is re-sealed only if it is the one its clear checksum names (nothing altered gets a fresh envelope).
        if (table === 'terraform_states' && sha256(opened) !== r.checksum) throw new CoreError('storage', `${label(r)} does not match its recorded checksum: it was altered or swapped; nothing was re-encrypted.`);
        update.run(cipher.seal(clear === 'text' ? opened.toString('utf8') : opened), r.rid);
      }
      return rows.length;
    };
    return {
      states: reseal('terraform_states', 'state_json', (r) => `state serial ${String(r.serial)} of project ${String(r.project_id)}`),
      unrecorded: reseal('unrecorded_states', 'state_json', (r) => `unrecorded state ${String(r.id)} of project ${String(r.project_id)}`),
      plans: reseal('plans', 'plan_bytes', (r) => `the plan file of plan ${String(r.id)}`, 'bytes'),
      planOutputs: reseal('plans', 'output', (r) => `the output of plan ${String(r.id)}`),
    };
  })();
}
