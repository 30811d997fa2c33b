import { CoreError, validationError } from '../domain/errors.js';
import { isPolicyFileName, POLICY_DIR, POLICY_LEVELS, POLICY_LIMITS, type PolicyFile, type PolicyPack, type PolicyRule } from '../domain/policy.js';
import type { Project } from '../domain/projects.js';
import type { Actor } from '../policy/permissions.js';
import { DEFAULT_RULES } from '../policy/defaultPack.js';
import { withLevel } from '../policy/levelsFile.js';
import { mergePacks, parsePack } from '../policy/pack.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { governanceSettings } from './governance.js';

/** The pack file `set-level` keeps its `levels:` map in. */
export const LEVELS_FILE = `${POLICY_DIR}/levels.yaml`;
/** What a rule's level may be set to: a level, or off. */
export const LEVEL_CHOICES = [...POLICY_LEVELS, 'off'] as const;
export type LevelChoice = (typeof LEVEL_CHOICES)[number];

/** A pack file as an admin hands it over: its file name (`team.yaml`) and its text. */
export interface PolicyFileInput {
  name: string;
  text: string;
}

export interface PolicyListing {
  rules: PolicyRule[];
  /** Rules the project turned off (`levels:` … `off`): a level may turn them on again. */
  off: string[];
  /** The pack's digest: plans checked under another one are stale. */
  digest: string;
  /** The project's pack files, by path. */
  files: string[];
  /** Whether plans are checked at all (the project's policy_checks setting). */
  policyChecks: boolean;
}

/** A committed change of the pack: every plan not yet applied was checked under the old digest and is stale now. */
export interface PolicyChange {
  path: string;
  /** The commit that holds it; null when the file already held exactly that (nothing changed). */
  commit: string | null;
  /** The pack's digest before (null when the pack HEAD held could not be read) and after. */
  previousDigest: string | null;
  digest: string;
  /** How many rules the pack has now. */
  ruleCount: number;
}

const fileField = (message: string) => validationError([{ field: 'file', message }]);

/** `policies/<name>`, once the name is one a pack file may have. */
export function policyPath(name: string): string {
  if (!isPolicyFileName(name)) {
    throw validationError([{ field: 'name', message: `'${name.slice(0, 70)}' is not a policy file name: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit) and end it in .yaml or .yml` }]);
  }
  return `${POLICY_DIR}/${name}`;
}

/** Size first, on bytes, before a parser sees anything. */
function checkSize(path: string, text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > POLICY_LIMITS.fileBytes) {
    throw fileField(`${path} has ${Math.ceil(bytes / 1024)} KiB; a policy file may have at most ${POLICY_LIMITS.fileBytes / 1024} KiB`);
  }
}

const pathOf = (f: PolicyFile) => f.path;

/** The pack with `path` holding `text` (null: without it), checked as a whole: each problem names its file and rule. */
function packWith(current: PolicyFile[], path: string, text: string | null): PolicyPack {
  const files = [...current.filter((f) => f.path !== path), ...(text === null ? [] : [{ path, text }])];
  if (files.length > POLICY_LIMITS.files) throw fileField(`the project would have ${files.length} policy files; at most ${POLICY_LIMITS.files} are read`);
  return mergePacks(DEFAULT_RULES, files);
}

/**
 * The review every new pack file passes, whether it is uploaded or only tried (`policy test` with a
 * candidate): its name, its size, its own rules, then the whole pack it would make.
 */
export function reviewFile(current: PolicyFile[], file: PolicyFileInput): { path: string; rules: PolicyRule[]; pack: PolicyPack } {
  const path = policyPath(file.name);
  checkSize(path, file.text);
  const rules = parsePack(file.text, path);
  return { path, rules, pack: packWith(current, path, file.text) };
}

function digestOf(files: PolicyFile[]): string | null {
  try {
    return mergePacks(DEFAULT_RULES, files).digest;
  } catch (e) {
    if (e instanceof CoreError) return null;
    throw e;
  }
}

const author = (actor: Actor) => ({ name: actor.userName, id: actor.userId });

export async function listPolicies(deps: CoreDeps, actor: Actor, name: string): Promise<PolicyListing> {
  const project = await authorize(deps, actor, name, 'project.view');
  const files = await deps.git.policyFiles(project.id);
  const pack = mergePacks(DEFAULT_RULES, files);
  const active = new Set(pack.rules.map((r) => r.id));
  return {
    rules: pack.rules, off: knownRuleIds(files).filter((id) => !active.has(id)), digest: pack.digest, files: files.map(pathOf), policyChecks: governanceSettings(project).policyChecks,
  };
}

/**
 * Commits one pack file's change once `review` has made the new pack from the one HEAD holds, and audits
 * it. Refused changes write nothing.
 */
async function changePack(deps: CoreDeps, actor: Actor, project: Project, path: string, what: string, review: (current: PolicyFile[]) => { text: string | null; pack: PolicyPack; details?: Record<string, unknown> }): Promise<PolicyChange> {
  let previousDigest: string | null = null;
  const { commit, reviewed } = await deps.git.commitPolicyFile(project.id, { path, author: author(actor), message: `Policy: ${what} (${actor.userName})` }, (current) => {
    // A pack broken by hand in the repository may be mended here: its digest is then unknown, not a refusal.
    previousDigest = digestOf(current);
    return review(current);
  });
  const change: PolicyChange = { path, commit, previousDigest, digest: reviewed.pack.digest, ruleCount: reviewed.pack.rules.length };
  if (commit) {
    await deps.audit.record(actor, {
      eventType: 'policy_updated', projectId: project.id, sessionId: null, action: 'policy_update', status: 'success',
      details: { file: path, commit, pack_digest: change.digest, previous_pack_digest: previousDigest, removed: reviewed.text === null, ...reviewed.details },
    });
  }
  return change;
}

/** Adds or replaces one pack file (project admins), reviewed as a whole pack before it is committed. */
export async function uploadPolicy(deps: CoreDeps, actor: Actor, name: string, file: PolicyFileInput): Promise<PolicyChange & { rules: PolicyRule[] }> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const path = policyPath(file.name);
  // Before the repository's lock: a file far over the limit never waits for it.
  checkSize(path, file.text);
  let rules: PolicyRule[] = [];
  const change = await changePack(deps, actor, project, path, `upload ${path}`, (current) => {
    const reviewed = reviewFile(current, file);
    rules = reviewed.rules;
    return { text: file.text, pack: reviewed.pack, details: { rules: rules.map((r) => r.id), replaced: current.some((f) => f.path === path) } };
  });
  return { ...change, rules };
}

/** Removes one pack file (project admins), once the pack without it still holds together. */
export async function removePolicy(deps: CoreDeps, actor: Actor, name: string, fileName: string): Promise<PolicyChange> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const path = policyPath(fileName);
  return changePack(deps, actor, project, path, `remove ${path}`, (current) => {
    if (!current.some((f) => f.path === path)) {
      throw new CoreError('not_found', `Project ${project.name} has no policy file ${path}; its files: ${current.map(pathOf).join(', ') || 'none'}.`);
    }
    return { text: null, pack: packWith(current, path, null) };
  });
}

/** Every rule id a level may name: the default rules and each pack file's, turned off or not. */
function knownRuleIds(current: PolicyFile[]): string[] {
  return [...new Set([...DEFAULT_RULES.map((r) => r.id), ...current.flatMap((f) => parsePack(f.text, f.path).map((r) => r.id))])];
}

/**
 * Sets one rule's level, or turns it off, in `policies/levels.yaml` (project admins): the file's other
 * entries stay, and the pack is reviewed as a whole before it is committed.
 */
export async function setPolicyLevel(deps: CoreDeps, actor: Actor, name: string, ruleId: string, level: string): Promise<PolicyChange & { ruleId: string; level: LevelChoice }> {
  if (!(LEVEL_CHOICES as readonly string[]).includes(level)) {
    throw validationError([{ field: 'level', message: `level '${level.slice(0, 40)}' is not allowed; use ${LEVEL_CHOICES.join(', ')}` }]);
  }
  const project = await authorize(deps, actor, name, 'project.admin');
  const change = await changePack(deps, actor, project, LEVELS_FILE, `set ${ruleId.slice(0, 64)} to ${level}`, (current) => {
    const known = knownRuleIds(current);
    if (!known.includes(ruleId)) {
      const shown = known.slice(0, 15).join(', ');
      throw validationError([{ field: 'rule', message: `there is no rule '${ruleId.slice(0, 64)}' in project ${project.name}'s pack; its rules: ${shown}${known.length > 15 ? ` and ${known.length - 15} more` : ''}` }]);
    }
    const text = withLevel(current.find((f) => f.path === LEVELS_FILE)?.text ?? null, ruleId, level);
    return { text, pack: packWith(current, LEVELS_FILE, text), details: { rule: ruleId, level } };
  });
  return { ...change, ruleId, level: level as LevelChoice };
}
