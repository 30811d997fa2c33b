/**
 * A project's pack: the default rules, its own pack files' rules (an id of a default rule replaces it),
 * then the files' `levels:` overrides, and a digest that changes whenever any of that does.
 */
import { createHash } from 'node:crypto';
import { validationError, type Problem } from '../domain/errors.js';
import { POLICY_LIMITS, type PolicyPack, type PolicyRule } from '../domain/policy.js';
import { readPackFile, type LevelOverride } from './packFile.js';

export const PROJECT_PACK_LIMITS = { files: POLICY_LIMITS.files, rules: 200, problemsShown: 20 } as const;

export interface PackFileText {
  /** The file's path in the project's repository. */
  path: string;
  text: string;
}

function refuse(problems: Problem[]): never {
  const shown = problems.slice(0, PROJECT_PACK_LIMITS.problemsShown);
  const more = problems.length - shown.length;
  throw validationError(more > 0 ? [...shown, { message: `and ${more} more problems` }] : shown);
}

/** The rules of one pack file, or a validation error listing every problem (file, rule, field, what is allowed). */
export function parsePack(text: string, source: string): PolicyRule[] {
  const file = readPackFile(text, source);
  if (file.problems.length) refuse(file.problems);
  return file.rules;
}

/** sha256 over the default rules and the project's files (sorted by path; each path and its bytes, length-prefixed). */
function packDigest(defaultRules: PolicyRule[], files: PackFileText[]): string {
  const h = createHash('sha256');
  const part = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    h.update(`${bytes.length}:`).update(bytes);
  };
  part(JSON.stringify(defaultRules.map(({ id, level, scope, expression }) => [id, level, scope, expression])));
  for (const f of files) {
    part(f.path);
    part(f.text);
  }
  return h.digest('hex');
}

export function mergePacks(defaultRules: PolicyRule[], projectFiles: PackFileText[]): PolicyPack {
  const files = [...projectFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.length > PROJECT_PACK_LIMITS.files) refuse([{ message: `the project has ${files.length} pack files; at most ${PROJECT_PACK_LIMITS.files} are allowed` }]);
  const problems: Problem[] = [];
  const rules = new Map(defaultRules.map((r) => [r.id, r]));
  const definedIn = new Map<string, string>();
  const levels = new Map<string, { level: LevelOverride; path: string }>();
  for (const f of files) {
    const file = readPackFile(f.text, f.path);
    problems.push(...file.problems);
    for (const r of file.rules) {
      const other = definedIn.get(r.id);
      if (other) problems.push({ message: `${f.path}: rule '${r.id}' is also defined in ${other}; each id in one file` });
      definedIn.set(r.id, f.path);
      rules.set(r.id, r);
    }
    for (const [id, level] of file.levels) {
      const other = levels.get(id);
      if (other && other.level !== level) problems.push({ field: `levels.${id}`, message: `${f.path}, levels: '${id}' is set to ${level} here and to ${other.level} in ${other.path}; set it in one file` });
      levels.set(id, { level, path: f.path });
    }
  }
  if (definedIn.size > PROJECT_PACK_LIMITS.rules) problems.push({ message: `the project's pack files have ${definedIn.size} rules; at most ${PROJECT_PACK_LIMITS.rules} are allowed` });
  for (const [id, { level, path }] of levels) {
    const rule = rules.get(id);
    if (!rule) problems.push({ field: `levels.${id}`, message: `${path}, levels: there is no rule '${id}' to set the level of` });
    else if (level === 'off') rules.delete(id);
    else rules.set(id, { ...rule, level });
  }
  if (problems.length) refuse(problems);
  return { rules: [...rules.values()], digest: packDigest(defaultRules, files) };
}
