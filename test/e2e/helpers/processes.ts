import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The executable's name as the kernel knows it (at most 15 characters). */
  comm: string;
}

function info(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (state === 'Z') return undefined; // a zombie has already exited
    return { pid, ppid: Number(ppid), comm: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** Every live process started (directly or not) by `pid`, read from /proc. */
export function descendants(pid: number): ProcessInfo[] {
  const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).flatMap((n) => info(Number(n)) ?? []);
  const found: ProcessInfo[] = [];
  const walk = (parent: number) => all.filter((p) => p.ppid === parent).forEach((p) => { found.push(p); walk(p.pid); });
  walk(pid);
  return found;
}

export const isAlive = (pid: number): boolean => info(pid) !== undefined;
