import type { FormDraft } from '../domain/sessions.js';
import type { Sql } from './sql.js';

interface Row { id: string; session_id: string; user_id: string; form: string; body: unknown; created_at: string; expires_at: string }

export async function insertDraft(q: Sql, d: FormDraft): Promise<void> {
  await q.run('INSERT INTO form_drafts (id, session_id, user_id, form, body, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [d.id, d.sessionId, d.userId, d.form, q.body(q.cipher.seal(JSON.stringify(d.values))), d.createdAt, d.expiresAt]);
}

export async function getDraft(q: Sql, id: string): Promise<FormDraft | undefined> {
  const r = await q.get<Row>('SELECT id, session_id, user_id, form, body, created_at, expires_at FROM form_drafts WHERE id = ?', [id]);
  if (!r) return undefined;
  let values: FormDraft['values'];
  try {
    values = JSON.parse(q.cipher.open(q.unbody(r.body), `form draft ${r.id}`).toString('utf8')) as FormDraft['values'];
  } catch {
    return undefined; // sealed under a key no longer configured: as good as gone
  }
  return { id: r.id, sessionId: r.session_id, userId: r.user_id, form: r.form, values, createdAt: r.created_at, expiresAt: r.expires_at };
}

export async function purgeDrafts(q: Sql, now: string): Promise<number> {
  return q.run('DELETE FROM form_drafts WHERE expires_at < ?', [now]);
}

export async function pruneDrafts(q: Sql, now: string, sessionId: string, userId: string, keep: number): Promise<void> {
  await purgeDrafts(q, now);
  await q.run(`DELETE FROM form_drafts WHERE session_id = ? AND user_id = ? AND id NOT IN (
    SELECT id FROM form_drafts WHERE session_id = ? AND user_id = ? ORDER BY created_at DESC, id LIMIT ?)`, [sessionId, userId, sessionId, userId, keep]);
}

/**
 * Seals every kept form with the current key. One no configured key opens is deleted, as reading it
 * treats it (gone): a form kept for an hour must not stop the operator's rekey.
 */
export async function resealDrafts(q: Sql): Promise<number> {
  const rows = await q.all<{ id: string; body: unknown }>('SELECT id, body FROM form_drafts');
  for (const r of rows) {
    let opened: Buffer;
    try {
      opened = q.cipher.open(q.unbody(r.body), `form draft ${r.id}`);
    } catch {
      await q.run('DELETE FROM form_drafts WHERE id = ?', [r.id]);
      continue;
    }
    await q.run('UPDATE form_drafts SET body = ? WHERE id = ?', [q.body(q.cipher.seal(opened.toString('utf8'))), r.id]);
  }
  return rows.length;
}
