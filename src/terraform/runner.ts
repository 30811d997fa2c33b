import { execa, type ResultPromise } from 'execa';
import { CoreError } from '../core/errors.js';

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
}

/** Grace between SIGINT (Terraform stops cleanly and writes state) and SIGTERM, then SIGKILL. */
export const CANCEL_GRACE_MS = 10_000;

/** The only environment a Terraform child sees: nothing of ours (no Discord token) leaks in. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = { TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SSL_CERT_FILE']) if (process.env[k]) base[k] = process.env[k]!;
  return { ...base, ...extra };
}

/**
 * One Terraform invocation: lines are delivered as they arrive (stdout and stderr interleaved),
 * and `result` settles when the process ends. Never goes through a shell.
 */
export class TerraformProcess {
  readonly result: Promise<RunResult>;
  private readonly child: ResultPromise;
  private readonly queue: string[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  private cancelled = false;
  private timedOut = false;
  private killTimers: NodeJS.Timeout[] = [];

  constructor(bin: string, args: string[], opts: RunOptions, redact: (line: string) => string = (l) => l) {
    const started = Date.now();
    const child = execa(bin, args, {
      cwd: opts.cwd, env: childEnv(opts.env), extendEnv: false, reject: false, all: true, stdin: 'ignore', buffer: false,
    });
    this.child = child;
    const timeout = opts.timeoutMs ? setTimeout(() => { this.timedOut = true; this.cancel(); }, opts.timeoutMs) : undefined;
    const onAbort = () => this.cancel();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const lines: string[] = [];
    this.result = (async () => {
      try {
        for await (const line of child.iterable({ from: 'all' })) {
          const text = redact(String(line));
          lines.push(text);
          this.push(text);
        }
      } catch {
        // The iterable rejects when the child is killed; the exit status below says what happened.
      }
      const res = await child;
      clearTimeout(timeout);
      this.killTimers.forEach(clearTimeout);
      opts.signal?.removeEventListener('abort', onAbort);
      this.ended = true;
      this.wake();
      return {
        exitCode: typeof res.exitCode === 'number' ? res.exitCode : null, signal: res.signal ?? null, lines,
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

  /** SIGINT first so Terraform can finish the resource in flight and persist state; escalate if it doesn't stop. */
  cancel(): void {
    if (this.cancelled || this.ended) return;
    this.cancelled = true;
    this.child.kill('SIGINT');
    this.killTimers.push(setTimeout(() => this.child.kill('SIGTERM'), CANCEL_GRACE_MS).unref());
    this.killTimers.push(setTimeout(() => this.child.kill('SIGKILL'), CANCEL_GRACE_MS * 2).unref());
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

/** Every line Terraform prints passes through `redact` before anyone sees or stores it. */
export class TerraformRunner {
  constructor(
    readonly bin: string,
    private readonly baseEnv: Record<string, string> = {},
    private readonly timeoutMs?: number,
    private readonly redact: (line: string) => string = (l) => l,
  ) {}

  start(args: string[], opts: RunOptions): TerraformProcess {
    return new TerraformProcess(this.bin, args, { timeoutMs: this.timeoutMs, ...opts, env: { ...this.baseEnv, ...opts.env } }, this.redact);
  }

  async run(args: string[], opts: RunOptions): Promise<RunResult> {
    return this.start(args, opts).result;
  }

  /** Runs to completion keeping stdout apart (machine-readable output such as `show -json`). */
  async capture(args: string[], opts: RunOptions): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
    const res = await execa(this.bin, args, {
      cwd: opts.cwd, env: childEnv({ ...this.baseEnv, ...opts.env }), extendEnv: false, reject: false, stdin: 'ignore',
      ...(this.timeoutMs ? { timeout: this.timeoutMs } : {}), maxBuffer: 256 * 1024 * 1024,
    });
    return { exitCode: typeof res.exitCode === 'number' ? res.exitCode : null, stdout: String(res.stdout), stderr: this.redact(String(res.stderr)) };
  }

  /** Throws a CoreError naming the binary when Terraform is missing or older than 1.5. */
  async checkVersion(): Promise<string> {
    let out: string;
    try {
      const res = await execa(this.bin, ['version', '-json'], { reject: false, env: childEnv(), extendEnv: false, timeout: 20_000 });
      if (res.exitCode !== 0) throw new Error(res.stderr || `exit ${res.exitCode}`);
      out = res.stdout;
    } catch (e) {
      throw new CoreError('terraform', `Terraform was not found at '${this.bin}' (${(e as Error).message.split('\n')[0]}). Install Terraform ≥ 1.5 or set TERRAFORM_BIN.`);
    }
    const version = (JSON.parse(out) as { terraform_version?: string }).terraform_version ?? '0.0.0';
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (major < 1 || (major === 1 && minor < 5)) {
      throw new CoreError('terraform', `Terraform ${version} at '${this.bin}' is too old; Cloud Engine needs 1.5 or newer.`);
    }
    return version;
  }
}

/** The lines worth showing a user when Terraform fails: its Error blocks, else the tail. */
export function relevantErrorLines(lines: string[], max = 20): string[] {
  const start = lines.findIndex((l) => /^(│ )?Error: /.test(l) || /^╷/.test(l));
  const picked = start >= 0 ? lines.slice(start) : lines.slice(-max);
  return picked.filter((l) => l.trim() !== '').slice(0, max);
}
