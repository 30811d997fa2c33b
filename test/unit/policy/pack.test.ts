/**
 * Pack files are hostile until read: every refusal is a validation error whose problems name the file,
 * the rule (id or position) and the field, and say what is allowed.
 */
import { describe, expect, it } from 'vitest';
import type { CoreError } from '../../../src/domain/errors.js';
import type { PolicyRule } from '../../../src/domain/policy.js';
import { DEFAULT_RULES } from '../../../src/policy/defaultPack.js';
import { mergePacks, parsePack } from '../../../src/policy/pack.js';

const FILE = 'policies/security.yaml';
const ruleYaml = (id: string, fields: Record<string, string> = {}) => {
  const f = { level: 'advisory', description: 'Says something.', expression: 'resource.type == "database"', ...fields };
  return `  - id: ${id}\n${Object.entries(f).map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n`;
};
const pack = (...rules: string[]) => `rules:\n${rules.join('')}`;

/** The problems a refused pack reports, as the messages a user reads. */
function refusal(fn: () => unknown): { code: string; fields: Array<string | undefined>; messages: string[] } {
  try {
    fn();
  } catch (e) {
    const err = e as CoreError;
    return { code: err.code, fields: err.problems.map((p) => p.field), messages: err.problems.map((p) => p.message) };
  }
  throw new Error('the pack was accepted');
}

describe('reading a pack file', () => {
  it('GIVEN a well-formed pack THEN its rules, with resource scope by default and the file as their source', () => {
    const rules = parsePack(`rules:
  - id: no-public-buckets
    level: hard-mandatory
    description: Buckets must not be readable by anyone on the internet.
    expression: resource.type == "storage_bucket" && resource.public_access
  - id: big-plan
    level: soft-mandatory
    scope: plan
    description: Plans stay small.
    expression: size(input.resources) > 50
`, FILE);
    expect(rules).toEqual([
      { id: 'no-public-buckets', level: 'hard-mandatory', scope: 'resource', description: 'Buckets must not be readable by anyone on the internet.', expression: 'resource.type == "storage_bucket" && resource.public_access', source: FILE },
      { id: 'big-plan', level: 'soft-mandatory', scope: 'plan', description: 'Plans stay small.', expression: 'size(input.resources) > 50', source: FILE },
    ]);
  });

  it('GIVEN an expression that is not CEL THEN the problem names the file, the rule and the field, with the parser\'s position', () => {
    const r = refusal(() => parsePack(pack(ruleYaml('fine'), ruleYaml('bad-syntax', { expression: 'resource.type == && true' })), FILE));
    expect(r.code).toBe('validation');
    expect(r.fields).toEqual(['rules[1].expression']);
    expect(r.messages[0]).toMatch(/^policies\/security\.yaml, rule 'bad-syntax' \(rules\[1\]\): expression is not valid CEL: <input>:1:\d+: /);
  });

  it('GIVEN a 10 MB file THEN it is refused by its size before any parsing, naming the limit', () => {
    const r = refusal(() => parsePack(`rules:\n${'  - id: x\n'.repeat(1_100_000)}`, FILE));
    expect(r.messages).toEqual(['policies/security.yaml: the file has 10742 KiB; a pack file may have at most 256 KiB']);
  });

  it('GIVEN a YAML alias bomb THEN it is refused, not expanded', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    const r = refusal(() => parsePack(`${levels.join('\n')}\nrules: *i\n`, FILE));
    expect(r.messages).toEqual(['policies/security.yaml: it resolves YAML aliases more than 10 times; write the rules out']);
  });

  it('GIVEN 300 rules THEN refused by count', () => {
    const r = refusal(() => parsePack(pack(...Array.from({ length: 300 }, (_, i) => ruleYaml(`rule-${i}`))), FILE));
    expect(r.messages).toEqual(['policies/security.yaml: the file has 300 rules; a pack file may have at most 200']);
  });

  it('GIVEN a wrong level, a level of off, a wrong scope and an unknown key THEN one problem each, naming rule and field and what is allowed', () => {
    const r = refusal(() => parsePack(pack(
      ruleYaml('loud', { level: 'critical' }),
      ruleYaml('silenced', { level: 'off' }),
      ruleYaml('wide', { scope: 'project' }),
      ruleYaml('chatty', { severity: 'high' }),
    ), FILE));
    expect(r.fields).toEqual(['rules[0].level', 'rules[1].level', 'rules[2].scope', 'rules[3].severity']);
    expect(r.messages).toEqual([
      "policies/security.yaml, rule 'loud' (rules[0]): level 'critical' is not allowed; use advisory, soft-mandatory, hard-mandatory",
      "policies/security.yaml, rule 'silenced' (rules[1]): level 'off' is not allowed; use advisory, soft-mandatory, hard-mandatory",
      "policies/security.yaml, rule 'wide' (rules[2]): scope 'project' is not allowed; use resource or plan (resource when left out)",
      "policies/security.yaml, rule 'chatty' (rules[3]): unknown key 'severity'; a rule has id, level, scope, description, expression",
    ]);
  });

  it('GIVEN the same id twice THEN refused naming it', () => {
    expect(refusal(() => parsePack(pack(ruleYaml('twice'), ruleYaml('twice')), FILE)).messages).toEqual(["policies/security.yaml: rule 'twice' is defined twice; each id once"]);
  });

  it('GIVEN an expression that is no text, or too long, or a missing description THEN each named', () => {
    const r = refusal(() => parsePack(pack(
      ruleYaml('number', { expression: '42' }),
      ruleYaml('listed', { expression: '[a, b]' }),
      ruleYaml('long', { expression: `'"${'x'.repeat(5000)}" == ""'` }),
      '  - id: quiet\n    level: advisory\n    expression: "true"\n',
    ), FILE));
    expect(r.fields).toEqual(['rules[0].expression', 'rules[1].expression', 'rules[2].expression', 'rules[3].description']);
    expect(r.messages[0]).toBe("policies/security.yaml, rule 'number' (rules[0]): expression is number 42; it must be a CEL expression as text (quote it if YAML reads it as something else)");
    expect(r.messages[1]).toContain('expression is a list');
    expect(r.messages[2]).toContain('expression has 5008 characters; at most 4096 are allowed');
    expect(r.messages[3]).toContain("rule 'quiet' (rules[3]): description is nothing; write what the rule guards against in 1 to 300 characters");
  });

  it('GIVEN a rule with a bad id or no map at all THEN named by its position', () => {
    const r = refusal(() => parsePack('rules:\n  - just text\n  - id: Bad_Id\n    level: advisory\n    description: d\n    expression: "true"\n', FILE));
    expect(r.messages[0]).toBe("policies/security.yaml, rule 1 (rules[0]): a rule is a map with id, level, description and expression (and scope), not 'just text'");
    expect(r.messages[1]).toMatch(/^policies\/security\.yaml, rule 2 \(rules\[1\]\): id 'Bad_Id' is not allowed; use lowercase letters/);
  });

  it('GIVEN YAML that is broken, duplicated keys, several documents, deep nesting or no pack at all THEN a problem naming the file, never a crash', () => {
    expect(refusal(() => parsePack('rules: [\n', FILE)).messages[0]).toMatch(/^policies\/security\.yaml: .*line 2/);
    expect(refusal(() => parsePack(pack(ruleYaml('dup')).replace('    level: advisory', '    level: advisory\n    level: hard-mandatory'), FILE)).messages[0])
      .toMatch(/^policies\/security\.yaml: Map keys must be unique at line 4, column 5$/);
    expect(refusal(() => parsePack('rules: []\n---\nrules: []\n', FILE)).messages[0]).toMatch(/^policies\/security\.yaml: Source contains multiple documents/);
    expect(refusal(() => parsePack(`rules: ${'['.repeat(60_000)}${']'.repeat(60_000)}\n`, FILE)).messages[0]).toMatch(/^policies\/security\.yaml: /);
    expect(refusal(() => parsePack('hello\n', FILE)).messages).toEqual(['policies/security.yaml: a pack file is a map with rules: (a list of rules) and optionally levels:']);
    expect(refusal(() => parsePack('rules: []\npolicies: []\n', FILE)).messages).toEqual(["policies/security.yaml: unknown key 'policies'; a pack file has rules and levels"]);
  });
});

describe('merging the default pack with a project\'s files', () => {
  const ids = (rules: PolicyRule[]) => rules.map((r) => `${r.id}:${r.level}`);

  it('GIVEN a project rule with a default rule\'s id THEN it replaces it in place; new rules follow the defaults', () => {
    const merged = mergePacks(DEFAULT_RULES, [{ path: 'policies/a.yaml', text: pack(ruleYaml('public-bucket', { level: 'soft-mandatory' }), ruleYaml('extra')) }]);
    expect(ids(merged.rules)).toEqual([...DEFAULT_RULES.map((r) => (r.id === 'public-bucket' ? 'public-bucket:soft-mandatory' : `${r.id}:${r.level}`)), 'extra:advisory']);
    expect(merged.rules.find((r) => r.id === 'public-bucket')!.source).toBe('policies/a.yaml');
  });

  it('GIVEN levels: overrides THEN a default rule changes level or is turned off', () => {
    const merged = mergePacks(DEFAULT_RULES, [{ path: 'policies/levels.yaml', text: 'levels:\n  cost-increase: soft-mandatory\n  missing-labels: off\n' }]);
    expect(merged.rules.find((r) => r.id === 'cost-increase')!.level).toBe('soft-mandatory');
    expect(merged.rules.map((r) => r.id)).not.toContain('missing-labels');
    expect(merged.rules).toHaveLength(DEFAULT_RULES.length - 1);
  });

  it('GIVEN levels for no rule, a wrong override, conflicting files or one id in two files THEN every problem at once, each naming its file', () => {
    const r = refusal(() => mergePacks(DEFAULT_RULES, [
      { path: 'policies/a.yaml', text: `${pack(ruleYaml('mine'))}levels:\n  no-such-rule: advisory\n  stateful-destroy: loud\n  cost-increase: off\n` },
      { path: 'policies/b.yaml', text: `${pack(ruleYaml('mine'))}levels:\n  cost-increase: hard-mandatory\n` },
    ]));
    expect(r.messages).toEqual([
      "policies/a.yaml, levels: the level of 'stateful-destroy' is 'loud'; use advisory, soft-mandatory, hard-mandatory or off",
      "policies/b.yaml: rule 'mine' is also defined in policies/a.yaml; each id in one file",
      "policies/b.yaml, levels: 'cost-increase' is set to hard-mandatory here and to off in policies/a.yaml; set it in one file",
      "policies/a.yaml, levels: there is no rule 'no-such-rule' to set the level of",
    ]);
  });

  it('GIVEN the same files in any order THEN the same digest; any byte or name changed, another; the default pack alone, one constant', () => {
    const a = { path: 'policies/a.yaml', text: pack(ruleYaml('one')) };
    const b = { path: 'policies/b.yaml', text: pack(ruleYaml('two')) };
    const digest = mergePacks(DEFAULT_RULES, [a, b]).digest;
    expect(mergePacks(DEFAULT_RULES, [b, a]).digest).toBe(digest);
    expect(mergePacks(DEFAULT_RULES, [a, { ...b, text: `${b.text} ` }]).digest).not.toBe(digest);
    expect(mergePacks(DEFAULT_RULES, [a, { ...b, path: 'policies/c.yaml' }]).digest).not.toBe(digest);
    expect(mergePacks(DEFAULT_RULES, []).digest).toBe(mergePacks(DEFAULT_RULES, []).digest);
    expect(mergePacks(DEFAULT_RULES, []).digest).toMatch(/^[0-9a-f]{64}$/);
    expect(mergePacks(DEFAULT_RULES, []).rules).toEqual(DEFAULT_RULES);
  });
});
