import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { App } from '../../app.js';
import type { PolicyChange, PolicyFileInput } from '../../core/policyAdmin.js';
import { MAX_PLAN_JSON_BYTES, type PolicyTestResult } from '../../core/policyTest.js';
import { CoreError } from '../../domain/errors.js';
import { POLICY_LIMITS, type PolicyRule } from '../../domain/policy.js';
import type { Actor } from '../../policy/permissions.js';
import { readUserFile, utf8Text } from '../../userFiles.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import { findingLines } from '../policyText.js';
import type { CliCommand, CliContext } from '../types.js';
import { withApp } from '../withApp.js';

const usage = [
  'cloud-engine policy list      --project <id> [--json]',
  '       cloud-engine policy test      --project <id> [--plan <plan-id | plan.json>] [--file <candidate.yaml>] [--json]   (exit 7 when a mandatory rule fires or fails)',
  '       cloud-engine policy upload    --project <id> --file <file.yaml> [--json]   (adds or replaces policies/<file name>)',
  '       cloud-engine policy set-level --project <id> --rule <rule-id> --level <advisory|soft-mandatory|hard-mandatory|off> [--json]',
  '       cloud-engine policy remove    --project <id> --file <name.yaml> [--json]',
].join('\n');

const OPTIONS = {
  project: { type: 'string' }, guild: { type: 'string' }, plan: { type: 'string' }, file: { type: 'string' }, rule: { type: 'string' }, level: { type: 'string' }, json: { type: 'boolean' },
} as const;
type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>['values'];

/** A text file the operator named, as UTF-8. */
const readText = (path: string, limit: number, what: string) => utf8Text(readUserFile(path, limit, what), `${what} '${path}'`);

const policyFile = (path: string): PolicyFileInput => ({ name: basename(path), text: readText(path, POLICY_LIMITS.fileBytes, 'policy file') });

/** `--plan`: a path to `terraform show -json` output when such a file exists, else a plan id. */
const planSource = (plan: string | undefined) => (plan === undefined ? {} : existsSync(plan) ? { planJson: readText(plan, MAX_PLAN_JSON_BYTES, 'plan file') } : { planId: plan });

const ruleLines = (rules: PolicyRule[]) => rules.map((r) => `  ${r.level.padEnd(14)} ${r.id.padEnd(28)} ${r.scope.padEnd(8)} ${r.source.padEnd(24)} ${r.description}\n      ${r.expression.replace(/\s*\n\s*/g, ' ')}`);

const STALE = 'Plans not yet applied in this project were checked against the old pack: they must be planned again before approval.';

function changeLines(name: string, c: PolicyChange, what: string): string[] {
  if (!c.commit) return [`${c.path} already holds exactly this in project ${name}; nothing committed.`];
  return [`${what} in project ${name}: commit ${c.commit.slice(0, 8)}, pack ${c.previousDigest?.slice(0, 12) ?? '(unreadable)'} → ${c.digest.slice(0, 12)}, ${c.ruleCount} rules.`, STALE];
}

function testLines(r: PolicyTestResult): string[] {
  const against = r.tested.kind === 'plan' ? `plan ${r.tested.planId.slice(0, 8)} (session ${r.tested.sessionId.slice(0, 8)}, ${r.tested.createdAt.slice(0, 16).replace('T', ' ')})` : 'the plan file';
  const pack = r.candidate ? `the pack with ${r.candidate.path} as given (${r.candidate.rules.length} rules in it; not uploaded)` : 'the pack';
  const found = r.findings.length + r.ruleErrors.length;
  return [
    `Tested ${pack}, ${r.ruleCount} rules, against ${against} in ${Math.round(r.ms)} ms: ${found ? `${r.findings.length} finding(s), ${r.ruleErrors.length} rule error(s)` : 'nothing found'}.`,
    ...findingLines(r),
    ...(r.policyChecks ? [] : ['Policy checks are off for this project: its plans are not checked (cloud-engine settings --policy-checks on).']),
  ];
}

/** Whether a test found something that would hold a plan back: a mandatory finding or rule error. */
const blocks = (r: PolicyTestResult) => [...r.findings, ...r.ruleErrors].some((f) => f.level !== 'advisory');

async function runSub(app: App, ctx: CliContext, sub: string, values: Values, actor: Actor, name: string): Promise<number> {
  const print = (data: unknown, text: string[]) => ctx.io.out(values.json ? JSON.stringify(data, null, 2) : text.join('\n'));
  switch (sub) {
    case 'list': {
      const l = await app.orchestrator.listPolicies(actor, name);
      const head = `Policy pack of ${name} (digest ${l.digest.slice(0, 12)}; checks ${l.policyChecks ? 'on' : 'off'}): ${l.rules.length} rules${l.files.length ? ` (files: ${l.files.join(', ')})` : ''}`;
      return print(l, [head, ...(l.off.length ? [`Off: ${l.off.join(', ')}`] : []), ...ruleLines(l.rules)]), 0;
    }
    case 'test': {
      const r = await app.orchestrator.testPolicies(actor, name, { ...planSource(values.plan), ...(values.file ? { candidate: policyFile(values.file) } : {}) });
      print(r, testLines(r));
      return blocks(r) ? 7 : 0;
    }
    case 'upload': {
      const c = await app.orchestrator.uploadPolicy(actor, name, policyFile(requireFlag(values.file, 'file', usage)));
      return print(c, changeLines(name, c, `Committed ${c.path} (${c.rules.map((r) => r.id).join(', ') || 'no rules'})`)), 0;
    }
    case 'set-level': {
      const c = await app.orchestrator.setPolicyLevel(actor, name, requireFlag(values.rule, 'rule', usage), requireFlag(values.level, 'level', usage));
      return print(c, changeLines(name, c, `Rule ${c.ruleId} is ${c.level === 'off' ? 'off' : c.level}`)), 0;
    }
    case 'remove': {
      const c = await app.orchestrator.removePolicy(actor, name, basename(requireFlag(values.file, 'file', usage)));
      return print(c, changeLines(name, c, `Removed ${c.path}`)), 0;
    }
    default:
      throw new CoreError('validation', `unknown subcommand '${sub.slice(0, 40)}'.\nUsage: ${usage}`);
  }
}

export const policyCommand: CliCommand = {
  name: 'policy',
  summary: "A project's policy pack, as code in its repository: list, test, upload, set-level, remove",
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, OPTIONS, usage);
    if (values.help || positionals.length !== 1) return ctx.io.out(usage), values.help ? 0 : 1;
    const sub = positionals[0]!;
    const projectId = requireFlag(values.project, 'project', usage);
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: sub === 'list' || sub === 'test' }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      return runSub(app, ctx, sub, values, actor, name);
    });
  },
};
