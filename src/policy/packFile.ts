/**
 * One policy pack file (YAML), read as if hostile: size, rule count, expression length and YAML aliases
 * are bounded before anything is built, and every problem names the file, the rule and the field.
 */
import { parseDocument } from 'yaml';
import type { Problem } from '../domain/errors.js';
import { POLICY_LEVELS, POLICY_LIMITS, RULE_SCOPES, type PolicyLevel, type PolicyRule } from '../domain/policy.js';
import { syntaxError } from './cel.js';

export const PACK_LIMITS = {
  fileBytes: POLICY_LIMITS.fileBytes,
  rulesPerFile: 200,
  expressionChars: 4096,
  descriptionChars: 300,
  idChars: 64,
  /** YAML aliases resolved, counted as yaml counts them (an alias of an alias counts each time). */
  aliases: 10,
} as const;

/** `off` turns a rule off; it is a value of `levels:` only, never a rule's own level. */
export type LevelOverride = PolicyLevel | 'off';

export interface PackFile {
  rules: PolicyRule[];
  levels: Map<string, LevelOverride>;
  problems: Problem[];
}

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const RULE_KEYS = ['id', 'level', 'scope', 'description', 'expression'];
const LEVELS_LIST = POLICY_LEVELS.join(', ');
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value in a message: short, and never walked (aliases can make it circular). */
const shown = (v: unknown) => (typeof v === 'string' ? `'${v.slice(0, 40)}'` : v === null || v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : isMap(v) ? 'a map' : `${typeof v} ${String(v).slice(0, 40)}`);

const idProblem = (id: unknown): string | null =>
  typeof id !== 'string' || !RULE_ID.test(id) || id.length > PACK_LIMITS.idChars
    ? `id ${shown(id)} is not allowed; use lowercase letters and digits in words joined by hyphens (at most ${PACK_LIMITS.idChars} characters), like no-public-buckets`
    : null;

function readRule(raw: unknown, index: number, source: string, problems: Problem[]): PolicyRule | null {
  const at = `rules[${index}]`;
  const named = isMap(raw) && typeof raw.id === 'string' && RULE_ID.test(raw.id) ? `rule '${raw.id}' (${at})` : `rule ${index + 1} (${at})`;
  const add = (field: string, message: string) => problems.push({ field: `${at}.${field}`, message: `${source}, ${named}: ${message}` });
  if (!isMap(raw)) {
    problems.push({ field: at, message: `${source}, ${named}: a rule is a map with id, level, description and expression (and scope), not ${shown(raw)}` });
    return null;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) if (!RULE_KEYS.includes(key)) add(key, `unknown key '${key.slice(0, 40)}'; a rule has ${RULE_KEYS.join(', ')}`);
  const idWrong = idProblem(raw.id);
  if (idWrong) add('id', idWrong);
  if (!(POLICY_LEVELS as readonly unknown[]).includes(raw.level)) add('level', `level ${shown(raw.level)} is not allowed; use ${LEVELS_LIST}`);
  const scope = raw.scope ?? 'resource';
  if (!(RULE_SCOPES as readonly unknown[]).includes(scope)) add('scope', `scope ${shown(scope)} is not allowed; use ${RULE_SCOPES.join(' or ')} (resource when left out)`);
  if (typeof raw.description !== 'string' || !raw.description.trim() || raw.description.length > PACK_LIMITS.descriptionChars) {
    add('description', `description ${typeof raw.description === 'string' && raw.description.trim() ? `has ${raw.description.length} characters` : `is ${shown(raw.description)}`}; write what the rule guards against in 1 to ${PACK_LIMITS.descriptionChars} characters`);
  }
  const expr = raw.expression;
  if (typeof expr !== 'string' || !expr.trim()) add('expression', `expression is ${shown(expr)}; it must be a CEL expression as text (quote it if YAML reads it as something else)`);
  else if (expr.length > PACK_LIMITS.expressionChars) add('expression', `expression has ${expr.length} characters; at most ${PACK_LIMITS.expressionChars} are allowed`);
  else {
    const syntax = syntaxError(expr);
    if (syntax) add('expression', `expression is not valid CEL: ${syntax}`);
  }
  if (problems.length > before) return null;
  return { id: raw.id as string, level: raw.level as PolicyLevel, scope: scope as PolicyRule['scope'], description: (raw.description as string).trim(), expression: expr as string, source };
}

function readLevels(raw: unknown, source: string, problems: Problem[]): Map<string, LevelOverride> {
  const levels = new Map<string, LevelOverride>();
  if (raw === undefined) return levels;
  if (!isMap(raw)) {
    problems.push({ field: 'levels', message: `${source}: levels is a map from rule id to level, not ${shown(raw)}` });
    return levels;
  }
  for (const [id, level] of Object.entries(raw)) {
    const idWrong = idProblem(id);
    if (idWrong) problems.push({ field: 'levels', message: `${source}, levels: ${idWrong}` });
    else if (level !== 'off' && !(POLICY_LEVELS as readonly unknown[]).includes(level)) problems.push({ field: `levels.${id}`, message: `${source}, levels: the level of '${id}' is ${shown(level)}; use ${LEVELS_LIST} or off` });
    else levels.set(id, level as LevelOverride);
  }
  return levels;
}

/** The YAML document as plain data, or the problems that stopped it (syntax, several documents, aliases, tags). */
function readYaml(text: string, source: string, problems: Problem[]): unknown {
  const fail = (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    problems.push({ message: /alias/i.test(message) ? `${source}: it resolves YAML aliases more than ${PACK_LIMITS.aliases} times; write the rules out` : `${source}: ${message.slice(0, 200)}` });
  };
  try {
    // A message's first line says what and where ("… at line 3, column 5"); the rest quotes the file.
    const doc = parseDocument(text);
    for (const e of [...doc.errors, ...doc.warnings]) problems.push({ message: `${source}: ${e.message.split('\n')[0]!.replace(/:$/, '')}` });
    return problems.length ? undefined : doc.toJS({ maxAliasCount: PACK_LIMITS.aliases });
  } catch (e) {
    // Aliases past the limit, or nesting deeper than the parser's stack.
    fail(e);
    return undefined;
  }
}

export function readPackFile(text: string, source: string): PackFile {
  const problems: Problem[] = [];
  const empty = (): PackFile => ({ rules: [], levels: new Map(), problems });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > PACK_LIMITS.fileBytes) {
    problems.push({ message: `${source}: the file has ${(bytes / 1024).toFixed(0)} KiB; a pack file may have at most ${PACK_LIMITS.fileBytes / 1024} KiB` });
    return empty();
  }
  const doc = readYaml(text, source, problems);
  if (problems.length) return empty();
  if (!isMap(doc) || (doc.rules === undefined && doc.levels === undefined)) {
    problems.push({ message: `${source}: a pack file is a map with rules: (a list of rules) and optionally levels:` });
    return empty();
  }
  for (const key of Object.keys(doc)) if (key !== 'rules' && key !== 'levels') problems.push({ field: key, message: `${source}: unknown key '${key.slice(0, 40)}'; a pack file has rules and levels` });
  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) {
    problems.push({ field: 'rules', message: `${source}: rules is a list of rules, not ${shown(rawRules)}` });
    return empty();
  }
  if (rawRules.length > PACK_LIMITS.rulesPerFile) {
    problems.push({ field: 'rules', message: `${source}: the file has ${rawRules.length} rules; a pack file may have at most ${PACK_LIMITS.rulesPerFile}` });
    return empty();
  }
  const rules = rawRules.map((r, i) => readRule(r, i, source, problems)).filter((r): r is PolicyRule => r !== null);
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.id)) problems.push({ field: 'rules', message: `${source}: rule '${r.id}' is defined twice; each id once` });
    seen.add(r.id);
  }
  return { rules, levels: readLevels(doc.levels, source, problems), problems };
}
