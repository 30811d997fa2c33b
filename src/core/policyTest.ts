import { CoreError, validationError } from '../domain/errors.js';
import type { Finding, PolicyPack, RuleError } from '../domain/policy.js';
import type { Project } from '../domain/projects.js';
import type { Actor } from '../policy/permissions.js';
import { DEFAULT_RULES } from '../policy/defaultPack.js';
import { evaluatePolicies } from '../policy/evaluate.js';
import { buildPolicyInput, type PolicyInput } from '../policy/input.js';
import { mergePacks } from '../policy/pack.js';
import { withProjectLabels } from '../resources/labels.js';
import { authorize } from './access.js';
import { costDiff } from './costing.js';
import type { CoreDeps } from './deps.js';
import { governanceSettings } from './governance.js';
import { reviewFile, type PolicyFileInput } from './policyAdmin.js';

/** The largest `terraform show -json` document a test reads. */
export const MAX_PLAN_JSON_BYTES = 20 * 1024 * 1024;

export interface PolicyTestRequest {
  /** A plan of the project, by id or a unique prefix of it. */
  planId?: string;
  /** `terraform show -json` output, tested instead of a stored plan. */
  planJson?: string;
  /** A pack file tested as if it were uploaded (reviewed exactly as an upload is); nothing is committed. */
  candidate?: PolicyFileInput;
}

/** What the pack was tested against. */
export type TestedPlan = { kind: 'plan'; planId: string; sessionId: string; createdAt: string } | { kind: 'plan_json' };

export interface PolicyTestResult {
  tested: TestedPlan;
  /** The candidate file and its rule ids, when one was tried. */
  candidate: { path: string; rules: string[] } | null;
  digest: string;
  /** How many rules were evaluated. */
  ruleCount: number;
  findings: Finding[];
  ruleErrors: RuleError[];
  ms: number;
  /** Whether the project checks its plans at all: a test evaluates either way. */
  policyChecks: boolean;
}

const PLAN_ID = /^[0-9a-f][0-9a-f-]{3,35}$/;

/** A plan of this project (never another project's or server's: those are not found) that kept its policy input. */
async function storedInput(deps: CoreDeps, project: Project, planId: string | undefined): Promise<{ input: PolicyInput; tested: TestedPlan }> {
  const prefix = planId?.trim().toLowerCase();
  if (prefix !== undefined && !PLAN_ID.test(prefix)) {
    throw validationError([{ field: 'plan', message: `'${planId!.slice(0, 40)}' is not a plan id: give a plan's id, or at least its first 4 characters` }]);
  }
  const found = await deps.store.plans.findInProject(project.id, prefix === undefined ? { limit: 1 } : { idPrefix: prefix, limit: 2 });
  if (!found.length) {
    throw new CoreError('not_found', prefix === undefined
      ? `Project ${project.name} has no plan checked by policy yet: plan one, or give a terraform show -json file.`
      : `Project ${project.name} has no plan '${prefix}'.`);
  }
  if (found.length > 1) throw validationError([{ field: 'plan', message: `'${prefix}' matches several plans of project ${project.name}; give more of the id` }]);
  const ref = found[0]!;
  const json = ref.hasPolicyInput ? await deps.store.plans.getPolicyInput(ref.id) : undefined;
  if (json === undefined) {
    throw new CoreError('not_found', `Plan ${ref.id.slice(0, 8)} (${ref.status}) kept no policy input: it failed, or was made before policy checks. Plan again, or test another plan.`);
  }
  return { input: JSON.parse(json) as PolicyInput, tested: { kind: 'plan', planId: ref.id, sessionId: ref.sessionId, createdAt: ref.createdAt } };
}

/**
 * The input document for a plan given as `terraform show -json` text, for no session: its `resources` are
 * the project's deployed specs, each with the action the plan's changes give its Terraform resources
 * (no-op when the plan leaves them alone); what the plan would add beyond them is in `input.plan` only.
 * The cost is what runs now, before and after (no session says what would run instead).
 */
async function jsonInput(deps: CoreDeps, actor: Actor, project: Project, planJson: string): Promise<PolicyInput> {
  if (Buffer.byteLength(planJson, 'utf8') > MAX_PLAN_JSON_BYTES) {
    throw validationError([{ field: 'plan', message: `the plan document is over ${MAX_PLAN_JSON_BYTES / 1048576} MB` }]);
  }
  const deployed = await deps.store.sessions.listDeployed(project.id);
  const provider = deployed[0]?.provider ?? project.defaultProvider;
  // As planning does: the labels the cloud will carry, the project's and each resource's own.
  const specs = deployed.map((d) => withProjectLabels(d.spec, project.settings.labels));
  const settings = governanceSettings(project);
  const cost = costDiff(deps, provider, specs, specs);
  try {
    return buildPolicyInput({
      planJson,
      session: { id: '', project: project.name, author_id: actor.userId, author_name: actor.userName, provider, production: settings.production },
      specs, deployed: specs,
      cost: { before_monthly_micros: cost.before_monthly, after_monthly_micros: cost.after_monthly, budget_micros: project.budgetLimitMicros > 0 ? project.budgetLimitMicros : null, threshold_micros: settings.costThreshold },
    });
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    throw validationError([{ field: 'plan', message: `the plan document is not terraform show -json output: ${e.message}` }]);
  }
}

/**
 * Evaluates the project's pack — or the pack as it would be with `candidate` uploaded — against a stored
 * plan, a plan document, or the newest plan that kept its input. Records nothing.
 */
export async function testPolicies(deps: CoreDeps, actor: Actor, name: string, req: PolicyTestRequest): Promise<PolicyTestResult> {
  const project = await authorize(deps, actor, name, 'project.view');
  if (req.planId !== undefined && req.planJson !== undefined) throw validationError([{ field: 'plan', message: 'give a plan id or a plan document, not both' }]);
  const current = await deps.git.policyFiles(project.id);
  let pack: PolicyPack;
  let candidate: PolicyTestResult['candidate'] = null;
  if (req.candidate) {
    const reviewed = reviewFile(current, req.candidate);
    pack = reviewed.pack;
    candidate = { path: reviewed.path, rules: reviewed.rules.map((r) => r.id) };
  } else {
    pack = mergePacks(DEFAULT_RULES, current);
  }
  const { input, tested } = req.planJson !== undefined
    ? { input: await jsonInput(deps, actor, project, req.planJson), tested: { kind: 'plan_json' } as const }
    : await storedInput(deps, project, req.planId);
  const evaluation = await evaluatePolicies(pack.rules, input, { lane: 'test' });
  return {
    tested, candidate, digest: pack.digest, ruleCount: pack.rules.length,
    findings: evaluation.findings, ruleErrors: evaluation.ruleErrors, ms: evaluation.ms, policyChecks: governanceSettings(project).policyChecks,
  };
}
