/**
 * Policy evaluation off the main thread. CEL has no cost limit of its own (a nested comprehension can
 * run for half a minute, or fill memory), so rules run in a worker thread with a heap limit and a timer
 * per rule: a rule that runs over is ended with its thread, and the next rules go on in a fresh one.
 */
import type { Finding, PolicyRule, RuleError, RuleErrorReason } from '../domain/policy.js';
import type { PolicyInput } from './input.js';
import { cut } from './cel.js';
import { PolicyWorker } from './policyWorker.js';

export interface EvaluationOptions {
  /** How long one rule may run, over all the resources it is evaluated on. */
  ruleTimeoutMs?: number;
  /** How long the whole evaluation may run: rules left when it is spent are not evaluated (each a timeout error). */
  budgetMs?: number;
  /** `test` for a policy test (any project member may run one, on a pack of their own): it waits for every plan's. */
  lane?: Lane;
}

export type Lane = 'plan' | 'test';

export interface Evaluation {
  findings: Finding[];
  ruleErrors: RuleError[];
  ms: number;
}

const DEFAULTS = { ruleTimeoutMs: 2000, budgetMs: 20_000 };

/**
 * One evaluation at a time, in the process's one worker: a second worker would compete with the bot for
 * a core to save the few milliseconds an evaluation takes, double the memory a hostile rule may fill,
 * and a rule ending its worker must not end another evaluation's rule with it. A pack that loops in
 * every rule holds the others up for at most its budget — and plans go before queued policy tests, so
 * tests of a runaway pack, however many, hold a plan up for the one running only.
 */
const lanes: Record<Lane, Array<() => Promise<void>>> = { plan: [], test: [] };
let busy = false;
let shared: PolicyWorker | undefined;

function next(): void {
  const job = busy ? undefined : lanes.plan.shift() ?? lanes.test.shift();
  if (!job) return;
  busy = true;
  void job().finally(() => {
    busy = false;
    next();
  });
}

export function evaluatePolicies(rules: PolicyRule[], input: PolicyInput, opts: EvaluationOptions = {}): Promise<Evaluation> {
  const limits = { ruleTimeoutMs: opts.ruleTimeoutMs ?? DEFAULTS.ruleTimeoutMs, budgetMs: opts.budgetMs ?? DEFAULTS.budgetMs };
  return new Promise((resolve, reject) => {
    lanes[opts.lane ?? 'plan'].push(() => evaluateAll(rules, input, limits).then(resolve, reject));
    next();
  });
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

async function evaluateAll(rules: PolicyRule[], input: PolicyInput, opts: { ruleTimeoutMs: number; budgetMs: number }): Promise<Evaluation> {
  const started = performance.now();
  const findings: Finding[] = [];
  const ruleErrors: RuleError[] = [];
  const fail = (rule: PolicyRule, reason: RuleErrorReason, detail: string, resource: string | null = null) =>
    ruleErrors.push({ ruleId: rule.id, level: rule.level, reason, detail: cut(detail), resource });
  let worker: PolicyWorker | undefined;
  for (const rule of rules) {
    const left = opts.budgetMs - (performance.now() - started);
    if (left <= 0) {
      fail(rule, 'timeout', `not evaluated: the rules before it used up the evaluation's ${seconds(opts.budgetMs)}`);
      continue;
    }
    if (!worker) {
      if (!shared?.alive) shared = await PolicyWorker.start();
      worker = shared;
      worker.setInput(input);
    }
    const limit = Math.min(opts.ruleTimeoutMs, left);
    const outcome = await worker.evaluate(rule, limit);
    if ('died' in outcome) {
      // The thread is gone (ended for running over, or killed by its heap limit): the next rule gets a fresh one.
      shared = worker = undefined;
      if (outcome.died === 'timeout') fail(rule, 'timeout', `did not finish within ${seconds(limit)}`);
      else if (outcome.died === 'memory') fail(rule, 'memory', `used more memory than a rule may: ${outcome.detail}`);
      else fail(rule, 'evaluation', `the evaluator stopped: ${outcome.detail}`);
    } else {
      for (const e of outcome.errors) fail(rule, e.reason, e.detail, e.resource);
      for (const resource of outcome.fired) findings.push({ ruleId: rule.id, level: rule.level, resource, message: rule.description });
    }
  }
  // The worker outlives the evaluation; the input need not.
  worker?.setInput(null);
  return { findings, ruleErrors, ms: performance.now() - started };
}
