/**
 * What `terraform apply -no-color` prints, read as data: which resource started, finished or failed,
 * the errors it reported, and its closing totals. Folded line by line into a per-resource board, so an
 * adapter can show progress without posting the lines themselves. The fold is deterministic: feeding the
 * same lines again (a relay taken over after a restart) rebuilds the same board and the same errors.
 */
export interface ApplyCounts {
  added: number;
  changed: number;
  destroyed: number;
}

/** What the plan does to a resource; a replace is a destroy and a create of the same address. */
export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'read';
export type ResourcePhase = 'pending' | 'running' | 'done' | 'failed' | 'stopped';

export interface ResourceProgress {
  address: string;
  action: ResourceAction;
  phase: ResourcePhase;
  /** What Terraform is doing to it now (a replace destroys, then creates). */
  doing?: 'create' | 'update' | 'delete' | 'read';
  /** Seconds Terraform reported: "complete after 3s", or the last "[10s elapsed]". */
  seconds?: number;
  /** When this observer saw it start (ms): elapsed time for a resource still running. */
  seenStartAt?: number;
  /** Order in which it last changed phase: the board lists recent changes first. */
  changedAt: number;
}

/** One error Terraform reported, with the resource it names (when it names one) and its text. */
export interface ApplyError {
  /** The sequence number of its "Error:" line in the run's output: a stable identity for posting it once. */
  seq: number;
  /** 1 for the run's first error, 2 for the second…: the same on every reading of the same output. */
  index: number;
  address?: string;
  lines: string[];
}

const VERB: Record<string, 'create' | 'update' | 'delete' | 'read'> = {
  Creating: 'create', Modifying: 'update', Destroying: 'delete', Reading: 'read',
  Creation: 'create', Modifications: 'update', Destruction: 'delete', Read: 'read',
};
const DURATION = String.raw`(?:(\d+)h)?(?:(\d+)m)?(\d+)s`;
// Anchored at both ends and greedy on the address: a for_each key may itself hold ": Creating...".
const ID = String.raw`\[id=[^\]]*\]`;
const START = new RegExp(String.raw`^(.+): (Creating|Modifying|Destroying|Reading)\.\.\.(?: ${ID})?$`);
const STILL = new RegExp(String.raw`^(.+): Still (?:creating|modifying|destroying|reading)\.\.\. \[(?:id=[^,\]]*, )?${DURATION} elapsed\]$`);
const COMPLETE = new RegExp(String.raw`^(.+): (Creation|Modifications|Destruction|Read) complete after ${DURATION}(?: ${ID})?$`);
/** A create_before_destroy replace destroys the old object as "<address> (deposed object 1a2b3c4d)". */
const DEPOSED = / \(deposed object [0-9a-f]+\)$/;
/** `with` names what an error is about: a resource on the board, or a provider, variable… that is not one. */
const NOT_A_RESOURCE = /^(provider\[|var\.|local\.|output\.|module\.[^.]+$)/;
const ERROR = /^(?:│ )?Error: /;
const WARNING = /^(?:│ )?Warning: /;
const WITH = /^(?:│ )?\s+with (.+),$/;
const TOTALS = /Resources: (\d+) added, (\d+) changed, (\d+) destroyed/;
/** An error's text is bounded: a provider that prints a page per error must not make a message of it. */
const MAX_ERROR_LINES = 40;

const seconds = (m: RegExpExecArray, at: number) => Number(m[at] ?? 0) * 3600 + Number(m[at + 1] ?? 0) * 60 + Number(m[at + 2]);

/** Terraform's closing totals ("Resources: 2 added, 0 changed, 1 destroyed"), when the line holds them. */
export function parseApplyCounts(line: string): ApplyCounts | undefined {
  const m = TOTALS.exec(line);
  return m ? { added: Number(m[1]), changed: Number(m[2]), destroyed: Number(m[3]) } : undefined;
}

/** True for the line Terraform prints when it finished changing one resource. */
export const isResourceDone = (line: string) => COMPLETE.test(line);

export function actionOf(actions: string[]): ResourceAction {
  if (actions.includes('create') && actions.includes('delete')) return 'replace';
  if (actions.includes('create')) return 'create';
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('read')) return 'read';
  return 'update';
}

export class ApplyProgress {
  private readonly rows = new Map<string, ResourceProgress & { completions: number }>();
  private error: ApplyError | undefined;
  private tick = 0;
  private seq = 0;
  /** Errors read so far (the one being read included). */
  errors = 0;
  counts: ApplyCounts | undefined;

  /** `planned`: the reviewed plan's changes, so the board lists what is still to come from the start. */
  constructor(planned: ReadonlyArray<{ address: string; actions: string[] }>, private readonly now: () => number = Date.now) {
    for (const c of planned) this.rows.set(c.address, { address: c.address, action: actionOf(c.actions), phase: 'pending', changedAt: 0, completions: 0 });
  }

  /** Reads the next line of output; returns the errors it completed (each exactly once over the run). */
  feed(line: string): ApplyError[] {
    this.seq++;
    const done: ApplyError[] = [];
    if (ERROR.test(line) || WARNING.test(line)) {
      if (this.error) done.push(this.error);
      this.error = ERROR.test(line) ? { seq: this.seq, index: ++this.errors, lines: [line] } : undefined;
      return done;
    }
    if (this.error) {
      if (this.error.lines.length < MAX_ERROR_LINES) this.error.lines.push(line);
      const at = WITH.exec(line);
      if (at && !this.error.address && !NOT_A_RESOURCE.test(at[1]!)) {
        this.error.address = at[1]!;
        // Only what the board lists: an error about something it does not know adds no row.
        if (this.rows.has(at[1]!)) this.set(at[1]!, { phase: 'failed' });
      }
      return done;
    }
    this.counts = parseApplyCounts(line) ?? this.counts;
    let m: RegExpExecArray | null;
    const address = (raw: string) => raw.replace(DEPOSED, '');
    // Completion first: its line also ends the way a start's may begin.
    if ((m = COMPLETE.exec(line))) this.complete(address(m[1]!), VERB[m[2]!]!, seconds(m, 3));
    else if ((m = STILL.exec(line))) this.set(address(m[1]!), { seconds: seconds(m, 2) }, false);
    else if ((m = START.exec(line))) this.start(address(m[1]!), VERB[m[2]!]!);
    return done;
  }

  /** The output ended: the error being read is complete. */
  end(): ApplyError[] {
    const last = this.error;
    this.error = undefined;
    return last ? [last] : [];
  }

  /** Resources still running when the apply ended did not finish: Terraform stopped, or failed elsewhere. */
  stopRunning(): void {
    for (const r of this.rows.values()) if (r.phase === 'running') this.set(r.address, { phase: 'stopped' });
  }

  /** Changes whenever a resource changes phase (not with elapsed times). */
  get version(): number {
    return this.tick;
  }

  list(): ResourceProgress[] {
    return [...this.rows.values()].map(({ completions: _, ...r }) => r);
  }

  tally(): Record<ResourcePhase, number> {
    const t: Record<ResourcePhase, number> = { pending: 0, running: 0, done: 0, failed: 0, stopped: 0 };
    for (const r of this.rows.values()) t[r.phase]++;
    return t;
  }

  private start(address: string, verb: 'create' | 'update' | 'delete' | 'read'): void {
    // The second half of a replace (or a deposed object's destroy) keeps the time its first half started.
    const row = this.rows.get(address);
    this.set(address, { phase: 'running', doing: verb, seenStartAt: row?.phase === 'running' && row.seenStartAt !== undefined ? row.seenStartAt : this.now() });
  }

  private complete(address: string, verb: 'create' | 'update' | 'delete' | 'read', secs: number): void {
    const row = this.rows.get(address);
    const completions = (row?.completions ?? 0) + 1;
    // A replace is done once both its destroy and its create are.
    const finished = row?.action !== 'replace' || completions >= 2;
    this.set(address, { phase: finished ? 'done' : 'running', doing: verb, seconds: secs, completions });
  }

  private set(address: string, change: Partial<ResourceProgress> & { completions?: number }, moved = true): void {
    const row = this.rows.get(address) ?? { address, action: 'update', phase: 'pending', changedAt: 0, completions: 0 } satisfies ResourceProgress & { completions: number };
    if (!this.rows.has(address)) {
      // Not in the plan we were given: name the action after what Terraform is doing.
      row.action = change.doing ?? 'update';
      this.rows.set(address, row);
    }
    if (row.phase === 'failed' && change.phase && change.phase !== 'failed') return;
    Object.assign(row, change);
    if (moved) row.changedAt = ++this.tick;
  }
}
