/**
 * The policy worker thread (started by evaluate.ts): holds the input of the evaluation in progress and
 * evaluates one rule per message, so the parent can time each rule and end the thread when one runs away.
 */
import { parentPort } from 'node:worker_threads';
import { evaluateRule, type RuleOutcome, type RuleToEvaluate } from './cel.js';
import type { PolicyInput } from './input.js';

export type WorkerRequest = { kind: 'input'; input: PolicyInput | null } | { kind: 'rule'; seq: number; rule: RuleToEvaluate };
export type WorkerReply = { kind: 'ready' } | { kind: 'outcome'; seq: number; outcome: RuleOutcome };

const port = parentPort!;
let input: PolicyInput | null = null;

port.on('message', (m: WorkerRequest) => {
  if (m.kind === 'input') {
    input = m.input;
    return;
  }
  if (!input) throw new Error('policy worker: a rule arrived before its input');
  port.postMessage({ kind: 'outcome', seq: m.seq, outcome: evaluateRule(m.rule, input) } satisfies WorkerReply);
});
port.postMessage({ kind: 'ready' } satisfies WorkerReply);
