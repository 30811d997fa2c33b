import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { spawn, type ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { CoreError } from '../domain/errors.js';
import { parseState } from './tfstate.js';

export interface RunOptions {
  cwd: string;
  /** Extra environment for the child only (cloud credentials, plugin cache). */
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  lines: string[];
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /**
   * A state Terraform printed on its output because it could write it nowhere else (disk full): kept
   * here, never among `lines`, so it reaches the store and not a chat thread or a log.
   */
  dumpedState?: string;
}

/**
 * How long Terraform gets after its one SIGINT to finish the calls in flight and save its state before it is
 * killed. Never a second SIGINT or a SIGTERM: Terraform takes either as "exit now", losing what is in flight.
 */
export const CANCEL_GRACE_MS = 120_000;

/** The only environment a Terraform child sees: nothing of ours (no Discord token) leaks in. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = { TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SSL_CERT_FILE']) if (process.env[k]) base[k] = process.env[k]!;
  return { ...base, ...extra };
}

/** How often a run's output file is read while Terraform runs. */
const TAIL_INTERVAL_MS = 50;

let outputSeq = 0;

/**
 * One Terraform invocation: lines are delivered as they arrive (stdout and stderr interleaved),
 * and `result` settles when the process ends. Never goes through a shell.
 *
 * Terraform writes its output to a file in its working directory, which we tail, instead of to a pipe:
 * if this process dies, a pipe would break and kill Terraform mid-apply (SIGPIPE) before it saved its
 * state; with a file it finishes (or is stopped by recovery) and its state survives.
 */
export class TerraformProcess {
  readonly result: Promise<RunResult>;
  private readonly child: ChildProcess;
  private readonly queue: string[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  private cancelled = false;
  private timedOut = false;
  private killTimers: NodeJS.Timeout[] = [];

  constructor(bin: string, args: string[], opts: RunOptions, redact: (line: string) => string = (l) => l) {
    const started = Date.now();
    const outputPath = join(opts.cwd, `.terraform-output-${process.pid}-${++outputSeq}.log`);
    const out = openSync(outputPath, 'w', 0o600);
    // Its own process group: a Ctrl-C at the terminal reaches only us, and we send Terraform exactly one
    // SIGINT (a second one makes it exit at once, losing state). A child our death orphans is stopped by recovery.
    let child: ChildProcess;
    try {
      child = spawn(bin, args, { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', out, out], detached: true });
    } finally {
      closeSync(out);
    }
    this.child = child;
    const exited = new Promise<{ exitCode: number | null; signal: string | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
    });
    const timeout = opts.timeoutMs ? setTimeout(() => { this.timedOut = true; this.cancel(); }, opts.timeoutMs) : undefined;
    const onAbort = () => this.cancel();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const lines: string[] = [];
    const emit = (line: string) => {
      const text = redact(line);
      lines.push(text);
      this.push(text);
    };
    const dump = new StateDumpFilter(emit);
    const tail = new LineTail(outputPath, (line) => dump.line(line));
    this.result = (async () => {
      let done = false;
      exited.then(() => { done = true; }, () => { done = true; });
      while (!done) {
        tail.read();
        await Promise.race([exited, new Promise((r) => setTimeout(r, TAIL_INTERVAL_MS))]);
      }
      const res = await exited;
      tail.finish();
      dump.finish();
      clearTimeout(timeout);
      this.killTimers.forEach(clearTimeout);
      opts.signal?.removeEventListener('abort', onAbort);
      this.ended = true;
      this.wake();
      rmSync(outputPath, { force: true });
      return {
        exitCode: res.exitCode, signal: res.signal, lines, ...(dump.state ? { dumpedState: dump.state } : {}),
        timedOut: this.timedOut, cancelled: this.cancelled, durationMs: Date.now() - started,
      };
    })().catch((e: unknown) => {
      this.ended = true;
      this.wake();
      throw e;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** One SIGINT so Terraform can finish the resource in flight and persist state; SIGKILL only if it never stops. */
  cancel(): void {
    if (this.cancelled || this.ended) return;
    this.cancelled = true;
    this.child.kill('SIGINT');
    // The whole group: a provider plugin or a local-exec child must not outlive a Terraform that ignored SIGINT.
    this.killTimers.push(setTimeout(() => killGroup(this.child), CANCEL_GRACE_MS).unref());
  }

  async *lines(): AsyncGenerator<string> {
    for (;;) {
      const next = this.queue.shift();
      if (next !== undefined) { yield next; continue; }
      if (this.ended) return;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  private push(line: string): void {
    this.queue.push(line);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
}

/**
 * Holds back a JSON document printed from a line `{` to a line `}`: when it is a Terraform state
 * (version, serial, lineage) it is kept as `state`; anything else is passed on unchanged.
 */
class StateDumpFilter {
  state: string | undefined;
  private held: string[] | undefined;

  constructor(private readonly emit: (line: string) => void) {}

  line(line: string): void {
    if (!this.held) {
      if (line === '{') this.held = [line];
      else this.emit(line);
      return;
    }
    this.held.push(line);
    if (line !== '}') return;
    const text = this.held.join('\n');
    this.held = undefined;
    if (parseState(text)) this.state = text;
    else text.split('\n').forEach(this.emit);
  }

  finish(): void {
    this.held?.forEach(this.emit);
    this.held = undefined;
  }
}

/** Reads whole lines appended to a file since the last read; a partial last line waits for its end. */
class LineTail {
  private readonly fd: number;
  private position = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer = Buffer.alloc(64 * 1024);

  constructor(path: string, private readonly onLine: (line: string) => void) {
    this.fd = openSync(path, 'r');
  }

  read(): void {
    for (;;) {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, this.position);
      if (n === 0) return;
      this.position += n;
      const parts = (this.partial + this.decoder.write(this.buffer.subarray(0, n))).split('\n');
      this.partial = parts.pop()!;
      for (const line of parts) this.onLine(line.replace(/\r$/, ''));
    }
  }

  finish(): void {
    this.read();
    const rest = this.partial + this.decoder.end();
    if (rest) this.onLine(rest);
    closeSync(this.fd);
  }
}

/** Every line Terraform prints passes through `redact` before anyone sees or stores it. */
export class TerraformRunner {
  constructor(
    readonly bin: string,
    private readonly baseEnv: Record<string, string> = {},
    private readonly timeoutMs?: number,
    private readonly redact: (line: string) => string = (l) => l,
  ) {}

  /** The limit every Terraform command runs under, in seconds (TERRAFORM_TIMEOUT_SECONDS); undefined when none. */
  get timeoutSeconds(): number | undefined {
    return this.timeoutMs === undefined ? undefined : Math.round(this.timeoutMs / 1000);
  }

  start(args: string[], opts: RunOptions): TerraformProcess {
    return new TerraformProcess(this.bin, args, { timeoutMs: this.timeoutMs, ...opts, env: { ...this.baseEnv, ...opts.env } }, this.redact);
  }

  async run(args: string[], opts: RunOptions): Promise<RunResult> {
    return this.start(args, opts).result;
  }

  /** Runs to completion keeping stdout apart (machine-readable output such as `show -json`). */
  async capture(args: string[], opts: RunOptions): Promise<{ exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }> {
    const res = await execa(this.bin, args, {
      cwd: opts.cwd, env: childEnv({ ...this.baseEnv, ...opts.env }), extendEnv: false, reject: false, stdin: 'ignore',
      ...(this.timeoutMs ? { timeout: this.timeoutMs } : {}), maxBuffer: 256 * 1024 * 1024,
    });
    return { exitCode: typeof res.exitCode === 'number' ? res.exitCode : null, stdout: String(res.stdout), stderr: this.redact(String(res.stderr)), timedOut: res.timedOut };
  }

  /** Throws a CoreError naming the binary when Terraform is missing, does not answer, answers nonsense, or is older than 1.5. */
  async checkVersion(): Promise<string> {
    const res = await execa(this.bin, ['version', '-json'], { reject: false, env: childEnv(), extendEnv: false, timeout: 20_000 });
    if (res.timedOut) throw new CoreError('terraform', `Terraform at '${this.bin}' did not answer 'terraform version' within 20 s. Check TERRAFORM_BIN points at a working Terraform ≥ 1.5.`);
    if (res.failed && res.exitCode === undefined) {
      throw new CoreError('terraform', `Terraform was not found at '${this.bin}' (${String(res.originalMessage ?? res.shortMessage).split('\n')[0]}). Install Terraform ≥ 1.5 or set TERRAFORM_BIN.`);
    }
    if (res.exitCode !== 0) {
      throw new CoreError('terraform', `Terraform at '${this.bin}' failed 'terraform version' (exit ${res.exitCode}: ${String(res.stderr).split('\n')[0]?.slice(0, 200)}). Install Terraform ≥ 1.5 or set TERRAFORM_BIN.`);
    }
    let version: string | undefined;
    try {
      version = (JSON.parse(String(res.stdout)) as { terraform_version?: unknown }).terraform_version as string | undefined;
    } catch {
      version = undefined;
    }
    if (typeof version !== 'string' || !/^\d+\.\d+/.test(version)) {
      throw new CoreError('terraform', `'${this.bin}' does not look like Terraform: 'version -json' printed no Terraform version. Set TERRAFORM_BIN to Terraform ≥ 1.5.`);
    }
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 1 || (major === 1 && minor < 5)) {
      throw new CoreError('terraform', `Terraform ${version} at '${this.bin}' is too old; Cloud Engine needs 1.5 or newer.`);
    }
    return version;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Why a Terraform command failed: that it ran out of time, or Terraform's own error lines. */
export function terraformFailure(command: string, res: { timedOut: boolean; lines: string[]; signal?: string | null }, timeoutSeconds: number | undefined): string {
  if (res.timedOut) {
    const how = res.signal === 'SIGKILL' ? `interrupted, and killed when it had not stopped ${CANCEL_GRACE_MS / 1000} s later` : 'stopped';
    return `terraform ${command} did not finish within ${timeoutSeconds} s (TERRAFORM_TIMEOUT_SECONDS) and was ${how}; raise the limit if this project's runs take longer`;
  }
  return `terraform ${command} failed:\n${relevantErrorLines(res.lines).join('\n')}`;
}

/** The lines worth showing a user when Terraform fails: its Error blocks, else the tail. */
export function relevantErrorLines(lines: string[], max = 20): string[] {
  const start = lines.findIndex((l) => /^(│ )?Error: /.test(l) || /^╷/.test(l));
  const picked = start >= 0 ? lines.slice(start) : lines.slice(-max);
  return picked.filter((l) => l.trim() !== '').slice(0, max);
}
