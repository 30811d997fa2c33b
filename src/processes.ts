import { readFileSync } from 'node:fs';

/** A process as /proc shows it: gone, a zombie (exited, not yet reaped), or running since `start` (clock ticks since boot). */
export type Probe = { kind: 'gone' } | { kind: 'zombie' } | { kind: 'running'; start: string } | { kind: 'unknown' };

/** Reads /proc/<pid>/stat: field 3 is the state, field 22 the start time, which tells a reused pid apart. */
export function probeProcess(pid: number): Probe {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { kind: 'unknown' };
    try {
      process.kill(pid, 0);
      return { kind: 'unknown' }; // no /proc here, but the pid answers
    } catch (k) {
      return (k as NodeJS.ErrnoException).code === 'ESRCH' ? { kind: 'gone' } : { kind: 'unknown' };
    }
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[0] === 'Z' || fields[0] === 'X' ? { kind: 'zombie' } : { kind: 'running', start: fields[19]! };
}

/** True while `pid` runs (a zombie has exited: its state is on disk and it will do nothing more). */
export const isRunning = (pid: number) => {
  const p = probeProcess(pid);
  return p.kind === 'running' || p.kind === 'unknown';
};
