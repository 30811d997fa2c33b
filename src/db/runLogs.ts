import type { Relay, WorkerBeat } from '../domain/runs.js';
import type { Sql } from './sql.js';

export async function appendRunLog(q: Sql, deploymentId: string, firstSeq: number, lines: string[]): Promise<void> {
  if (!lines.length) return;
  const values = lines.flatMap((line, i) => [deploymentId, firstSeq + i, line]);
  await q.run(`INSERT INTO run_logs (deployment_id, seq, line) VALUES ${lines.map(() => '(?, ?, ?)').join(', ')}`, values);
}

export async function runLogAfter(q: Sql, deploymentId: string, seq: number, limit: number): Promise<Array<{ seq: number; line: string }>> {
  return q.all<{ seq: number; line: string }>('SELECT seq, line FROM run_logs WHERE deployment_id = ? AND seq > ? ORDER BY seq LIMIT ?', [deploymentId, seq, limit]);
}

interface WorkerRow { id: string; host: string; pid: number; started_at: string; heartbeat_at: string; concurrency: number; running: number; stopping: number }

export async function beatWorker(q: Sql, w: WorkerBeat): Promise<void> {
  await q.run(`INSERT INTO workers (id, host, pid, started_at, heartbeat_at, concurrency, running, stopping) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, running = excluded.running, stopping = excluded.stopping`,
  [w.id, w.host, w.pid, w.startedAt, w.heartbeatAt, w.concurrency, w.running, w.stopping ? 1 : 0]);
}

export async function removeWorker(q: Sql, id: string): Promise<void> {
  await q.run('DELETE FROM workers WHERE id = ?', [id]);
}

export async function listWorkers(q: Sql): Promise<WorkerBeat[]> {
  return (await q.all<WorkerRow>('SELECT * FROM workers ORDER BY started_at')).map((r) => ({
    id: r.id, host: r.host, pid: r.pid, startedAt: r.started_at, heartbeatAt: r.heartbeat_at, concurrency: r.concurrency, running: r.running, stopping: r.stopping === 1,
  }));
}

interface RelayRow {
  deployment_id: string; session_id: string; thread_id: string; owner: string; expires_at: string; posted_seq: number; done: number;
}

const toRelay = (r: RelayRow): Relay => ({
  deploymentId: r.deployment_id, sessionId: r.session_id, threadId: r.thread_id, owner: r.owner, expiresAt: r.expires_at, postedSeq: r.posted_seq,
  done: r.done === 1,
});

export async function startRelay(q: Sql, r: Omit<Relay, 'postedSeq' | 'done'>): Promise<boolean> {
  return (await q.run('INSERT INTO relays (deployment_id, session_id, thread_id, owner, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (deployment_id) DO NOTHING',
    [r.deploymentId, r.sessionId, r.threadId, r.owner, r.expiresAt])) === 1;
}

export async function claimRelay(q: Sql, deploymentId: string, owner: string, now: string, expiresAt: string): Promise<Relay | undefined> {
  const r = await q.get<RelayRow>(`UPDATE relays SET owner = ?, expires_at = ? WHERE deployment_id = ? AND done = 0 AND (owner = ? OR expires_at < ?)
    RETURNING deployment_id, session_id, thread_id, owner, expires_at, posted_seq, done`, [owner, expiresAt, deploymentId, owner, now]);
  return r && toRelay(r);
}

export async function relayProgress(q: Sql, deploymentId: string, owner: string, p: { postedSeq?: number; done?: boolean }): Promise<boolean> {
  const sets: string[] = [];
  const args: Array<string | number | null> = [];
  const set = (column: string, v: string | number | null) => { sets.push(`${column} = ?`); args.push(v); };
  if (p.postedSeq !== undefined) set('posted_seq', p.postedSeq);
  if (p.done !== undefined) set('done', p.done ? 1 : 0);
  if (!sets.length) return true;
  return (await q.run(`UPDATE relays SET ${sets.join(', ')} WHERE deployment_id = ? AND owner = ?`, [...args, deploymentId, owner])) === 1;
}

export async function orphanRelays(q: Sql, now: string): Promise<Relay[]> {
  return (await q.all<RelayRow>('SELECT * FROM relays WHERE done = 0 AND expires_at < ? ORDER BY deployment_id', [now])).map(toRelay);
}

export async function claimSweep(q: Sql, name: string, now: string, lastRunBefore: string): Promise<boolean> {
  return (await q.value(`INSERT INTO sweeps (name, ran_at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET ran_at = excluded.ran_at WHERE sweeps.ran_at <= ?
    RETURNING name`, [name, now, lastRunBefore])) !== undefined;
}
