import { resealDrafts } from './drafts.js';
import { CoreError } from '../domain/errors.js';
import type { ProjectKey } from '../domain/projects.js';
import { sha256 } from '../terraform/tfstate.js';
import type { Sql } from './sql.js';
import type { StateVersion } from '../domain/runs.js';

interface Row { id: number; project_id: ProjectKey; session_id: string | null; serial: number; lineage: string; checksum: string; state_json: unknown; created_at: string; key_id: string | null }

const COLUMNS = 'id, project_id, session_id, serial, lineage, checksum, state_json, created_at';
/** The id of the key a sealed body carries, computed in SQL so listings never read bodies. */
const keyId = (q: Sql) => `${q.keyIdOf('terraform_states.state_json')} AS key_id`;

function toVersion(q: Sql, r: Row): StateVersion {
  const what = `state serial ${r.serial} of project ${r.project_id}`;
  const stateJson = q.cipher.open(q.unbody(r.state_json), what).toString('utf8');
  // The body must be the one its clear checksum names: a body swapped from another row or edited is refused.
  if (stateJson && sha256(stateJson) !== r.checksum) {
    throw new CoreError('storage', `${what} does not match its recorded checksum: it was altered or swapped.`);
  }
  return { id: r.id, projectId: r.project_id, sessionId: r.session_id, serial: r.serial, lineage: r.lineage, checksum: r.checksum, stateJson, createdAt: r.created_at, keyId: r.key_id };
}

export async function latestState(q: Sql, projectId: ProjectKey): Promise<StateVersion | undefined> {
  const r = await q.get<Row>(`SELECT ${COLUMNS}, ${keyId(q)} FROM terraform_states WHERE project_id = ? ORDER BY serial DESC LIMIT 1`, [projectId]);
  return r && toVersion(q, r);
}

/** One version by serial, its body opened (for an operator's `state --show`). */
export async function stateBySerial(q: Sql, projectId: ProjectKey, serial: number): Promise<StateVersion | undefined> {
  const r = await q.get<Row>(`SELECT ${COLUMNS}, ${keyId(q)} FROM terraform_states WHERE project_id = ? AND serial = ?`, [projectId, serial]);
  return r && toVersion(q, r);
}

export async function insertState(q: Sql, v: Omit<StateVersion, 'id' | 'keyId'>): Promise<number> {
  return (await q.value<number>(`INSERT INTO terraform_states (project_id, session_id, serial, lineage, checksum, state_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, [v.projectId, v.sessionId, v.serial, v.lineage, v.checksum, q.body(q.cipher.seal(v.stateJson)), v.createdAt]))!;
}

/** Versions newest first, without the state bodies. */
export async function listStates(q: Sql, projectId: ProjectKey, limit = 50): Promise<Array<Omit<StateVersion, 'stateJson'>>> {
  return (await q.all<Row>(`SELECT id, project_id, session_id, serial, lineage, checksum, '' AS state_json, created_at, ${keyId(q)} FROM terraform_states WHERE project_id = ? ORDER BY serial DESC LIMIT ?`,
    [projectId, limit])).map((r) => { const { stateJson: _omit, ...rest } = toVersion(q, r); return rest; });
}

/** A state written by a run that had lost its lease: kept for the operator, never a project state version. */
export async function insertUnrecordedState(q: Sql, v: Omit<StateVersion, 'id' | 'keyId'> & { fence: number | null; reason: string }): Promise<number> {
  return (await q.value<number>(`INSERT INTO unrecorded_states (project_id, session_id, fence, serial, lineage, reason, state_json, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [v.projectId, v.sessionId, v.fence, v.serial, v.lineage, v.reason, q.body(q.cipher.seal(v.stateJson)), v.createdAt]))!;
}

/**
 * Re-seals every state body and plan file with the current key (rotation, or sealing what was stored in
 * clear). The store runs it in one transaction: a body no configured key opens stops it with nothing changed.
 */
export async function resealAll(q: Sql): Promise<{ states: number; unrecorded: number; plans: number; planOutputs: number; policyInputs: number; drafts: number }> {
  const reseal = async (table: string, column: string, label: (r: Record<string, unknown>) => string, clear: 'text' | 'bytes' = 'text') => {
    const rows = await q.all<Record<string, unknown> & { id: string | number }>(`SELECT * FROM ${table} WHERE ${column} IS NOT NULL`);
    for (const r of rows) {
      const opened = q.cipher.open(q.unbody(r[column]), label(r), clear);
      // A state body is re-sealed only if it is the one its clear checksum names (nothing altered gets a fresh envelope).
      if (table === 'terraform_states' && sha256(opened) !== r.checksum) throw new CoreError('storage', `${label(r)} does not match its recorded checksum: it was altered or swapped; nothing was re-encrypted.`);
      await q.run(`UPDATE ${table} SET ${column} = ? WHERE id = ?`, [q.body(q.cipher.seal(clear === 'text' ? opened.toString('utf8') : opened)), r.id]);
    }
    return rows.length;
  };
  return {
    states: await reseal('terraform_states', 'state_json', (r) => `state serial ${String(r.serial)} of project ${String(r.project_id)}`),
    unrecorded: await reseal('unrecorded_states', 'state_json', (r) => `unrecorded state ${String(r.id)} of project ${String(r.project_id)}`),
    plans: await reseal('plans', 'plan_bytes', (r) => `the plan file of plan ${String(r.id)}`, 'bytes'),
    planOutputs: await reseal('plans', 'output', (r) => `the output of plan ${String(r.id)}`),
    policyInputs: await reseal('plans', 'policy_input', (r) => `the policy input of plan ${String(r.id)}`),
    drafts: await resealDrafts(q),
  };
}
