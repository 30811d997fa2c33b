import { describe, expect, it } from 'vitest';
import type { Finding, RuleError } from '../../../src/domain/policy.js';
import { softHash } from '../../../src/core/governance.js';

const finding = (ruleId: string, resource: string | null, level: Finding['level'] = 'soft-mandatory'): Finding => ({ ruleId, level, resource, message: 'm' });
const failed = (ruleId: string, resource: string | null): RuleError => ({ ruleId, level: 'soft-mandatory', reason: 'evaluation', detail: 'no such key', resource });

describe('the soft-findings hash an override is bound to', () => {
  it('GIVEN the same soft findings in another order, or other advisory ones THEN the same hash', () => {
    const a = softHash({ findings: [finding('r1', 'a'), finding('r2', null)], ruleErrors: [] });
    expect(softHash({ findings: [finding('r2', null), finding('r1', 'a'), finding('info', 'b', 'advisory')], ruleErrors: [] })).toBe(a);
  });

  it('GIVEN a rule that failed on a resource now fires on it (or the reverse) THEN another hash: an override of a broken rule is no override of what it finds', () => {
    expect(softHash({ findings: [finding('r1', 'a')], ruleErrors: [] })).not.toBe(softHash({ findings: [], ruleErrors: [failed('r1', 'a')] }));
  });

  it('GIVEN one more soft finding THEN another hash', () => {
    expect(softHash({ findings: [finding('r1', 'a')], ruleErrors: [] })).not.toBe(softHash({ findings: [finding('r1', 'a'), finding('r1', 'b')], ruleErrors: [] }));
  });
});
