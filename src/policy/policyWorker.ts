/**
 * The handle on one policy worker thread: started, fed an input, asked one rule at a time under a
 * timer. Unreferenced, so an idle worker never keeps a CLI alive; the timers of a start or a rule in
 * flight keep the process up while it waits for them.
 */
import { Worker } from 'node:worker_threads';
import type { RuleOutcome, RuleToEvaluate } from './cel.js';
import type { WorkerReply, WorkerRequest } from './celWorker.js';
import type { PolicyInput } from './input.js';

/** A rule that builds lists without end meets this limit and kills its thread, not the bot. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
const START_MS = 30_000;

export type Death = { died: 'timeout' | 'memory' | 'crash'; detail: string };

function spawn(): Worker {
  const options = { resourceLimits: RESOURCE_LIMITS, execArgv: [] as string[] };
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./celWorker.js', here), options);
  // The TypeScript sources run (vitest, the benches under tsx): a loader registered in the parent does not
  // reach a worker on Node 20, so the worker registers tsx's own before importing its entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./celWorker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry)}))`;
  return new Worker(boot, { ...options, eval: true });
}

export class PolicyWorker {
  private seq = 0;
  private waiting: ((r: RuleOutcome | Death) => void) | undefined;
  private death: Death | undefined;

  private constructor(private readonly worker: Worker, ready: () => void) {
    worker.on('message', (m: WorkerReply) => {
      if (m.kind === 'ready') ready();
      else if (m.seq === this.seq) this.waiting?.(m.outcome);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      this.death ??= { died: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', detail: e.message };
    });
    worker.on('exit', (code) => {
      this.death ??= { died: 'crash', detail: `the worker exited with code ${code}` };
      this.waiting?.(this.death);
    });
    // After the listeners: adding a 'message' listener references the thread again.
    worker.unref();
  }

  /** A worker that has loaded its code; a worker that cannot is a bug, thrown. */
  static start(): Promise<PolicyWorker> {
    return new Promise((resolve, reject) => {
      const w: PolicyWorker = new PolicyWorker(spawn(), () => {
        clearTimeout(timer);
        resolve(w);
      });
      const timer = setTimeout(() => void w.worker.terminate(), START_MS);
      w.worker.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`The policy worker did not start: ${w.death?.detail ?? `no answer within ${START_MS} ms`}`));
      });
    });
  }

  /** False once the thread is gone (ended, killed or crashed, even between evaluations). */
  get alive(): boolean {
    return !this.death;
  }

  setInput(input: PolicyInput | null): void {
    this.worker.postMessage({ kind: 'input', input } satisfies WorkerRequest);
  }

  /** The rule's outcome, or how the thread died: ended when the rule runs past `timeoutMs`, or killed. */
  evaluate(rule: RuleToEvaluate, timeoutMs: number): Promise<RuleOutcome | Death> {
    if (this.death) return Promise.resolve(this.death);
    const seq = ++this.seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.death ??= { died: 'timeout', detail: `${timeoutMs} ms` };
        void this.worker.terminate();
      }, timeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(r);
      };
      this.worker.postMessage({ kind: 'rule', seq, rule: { id: rule.id, scope: rule.scope, expression: rule.expression } } satisfies WorkerRequest);
    });
  }
}
