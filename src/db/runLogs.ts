import type { WorkerBeat } from '../domain/runs.js';
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
