/**
 * One rule evaluated with @bufbuild/cel: the standard library plus the strings extension (split,
 * lowerAscii, …). Pure and synchronous with no bound on its time or memory: the bot runs it only
 * inside the policy worker (evaluate.ts); pack loading uses `syntaxError` alone.
 */
import { celEnv, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { PolicyRule, RuleErrorReason } from '../domain/policy.js';
import type { PolicyInput } from './input.js';

const ENV = celEnv({ funcs: strings });
export const DETAIL_CHARS = 300;

type Program = (bindings: Record<string, unknown>) => unknown;

export interface RuleOutcome {
  /** The resources it fired on (its spec names), or [null] for a plan-scope rule that fired. */
  fired: Array<string | null>;
  /** Where it could not say: each resource it failed on, or null for a plan-scope rule or one that is not CEL. */
  errors: Array<{ reason: RuleErrorReason; detail: string; resource: string | null }>;
}

export type RuleToEvaluate = Pick<PolicyRule, 'id' | 'scope' | 'expression'>;

export const cut = (text: string) => (text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS - 1)}…` : text);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The parser's message (with its position) when the expression is not CEL, else null. */
export function syntaxError(expression: string): string | null {
  try {
    parse(expression);
    return null;
  } catch (e) {
    return cut(messageOf(e));
  }
}

/** Planned programs by expression: a pack is evaluated on every plan, its rules change rarely. */
const programs = new Map<string, Program | { syntax: string }>();
const MAX_PROGRAMS = 1000;

function compile(expression: string): Program | { syntax: string } {
  let program = programs.get(expression);
  if (!program) {
    try {
      program = plan(ENV, parse(expression)) as Program;
    } catch (e) {
      program = { syntax: cut(messageOf(e)) };
    }
    if (programs.size >= MAX_PROGRAMS) programs.clear();
    programs.set(expression, program);
  }
  return program;
}

function describe(value: unknown): string {
  if (isCelList(value)) return 'a list';
  if (isCelMap(value)) return 'a map';
  if (value === null) return 'null';
  return `${typeof value === 'bigint' ? 'int' : typeof value === 'number' ? 'double' : typeof value} ${JSON.stringify(String(value))}`;
}

/** true, false, or why not: a CEL error value, a thrown evaluator failure, or a result that is no boolean. */
function verdict(program: Program, bindings: Record<string, unknown>): boolean | { reason: RuleErrorReason; detail: string } {
  let result: unknown;
  try {
    result = program(bindings);
  } catch (e) {
    return { reason: 'evaluation', detail: cut(messageOf(e)) };
  }
  if (typeof result === 'boolean') return result;
  if (isCelError(result)) return { reason: 'evaluation', detail: cut(result.message) };
  return { reason: 'not_boolean', detail: cut(`returned ${describe(result)}, not true or false`) };
}

/**
 * A resource-scope rule once per resource item, a plan-scope rule once. A rule failing on one resource
 * goes on with the others: an override is bound to every resource it fired or failed on, so an error on
 * the first must not hide what it says of the rest.
 */
export function evaluateRule(rule: RuleToEvaluate, input: PolicyInput): RuleOutcome {
  const program = compile(rule.expression);
  if ('syntax' in program) return { fired: [], errors: [{ reason: 'syntax', detail: program.syntax, resource: null }] };
  const outcome: RuleOutcome = { fired: [], errors: [] };
  const judge = (bindings: Record<string, unknown>, resource: string | null) => {
    const v = verdict(program, bindings);
    if (typeof v !== 'boolean') outcome.errors.push({ ...v, resource });
    else if (v) outcome.fired.push(resource);
  };
  if (rule.scope === 'plan') judge({ input }, null);
  else for (const resource of input.resources) judge({ input, resource }, resource.name);
  return outcome;
}
