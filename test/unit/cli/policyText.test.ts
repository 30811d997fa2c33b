import { describe, expect, it } from 'vitest';
import type { RuleError } from '../../../src/domain/policy.js';
import { findingLines } from '../../../src/cli/policyText.js';

describe('CLI finding lines', () => {
  it('GIVEN a rule failing on every resource of a large plan THEN one line per rule and reason, naming a few resources and the first message', () => {
    const failed = (resource: string, reason: RuleError['reason'] = 'evaluation'): RuleError => ({ ruleId: 'team-label', level: 'soft-mandatory', reason, detail: 'no such key: team', resource });
    const ruleErrors = [...Array.from({ length: 2000 }, (_, i) => failed(`vm-${i}`)), failed('vm-x', 'not_boolean')];
    const lines = findingLines({ findings: [{ ruleId: 'missing-labels', level: 'advisory', resource: 'vm-1', message: 'labels' }], ruleErrors });
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ {2}\[.+\] rule team-label failed on vm-0, vm-1, .* and 1,99\d more: no such key: team$/);
    expect(lines[2]).toMatch(/rule team-label .* on vm-x: /);
  });
});
