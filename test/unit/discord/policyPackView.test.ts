import { describe, expect, it } from 'vitest';
import type { PolicyListing } from '../../../src/core/policyAdmin.js';
import type { PolicyTestResult } from '../../../src/core/policyTest.js';
import type { PolicyRule } from '../../../src/domain/policy.js';
import { LIMITS } from '../../../src/discord/views/limits.js';
import { policyChangeText, policyListEmbed, policyTestText } from '../../../src/discord/views/policyPack.js';

const rule = (i: number): PolicyRule => ({
  id: `rule-${i}`, level: 'soft-mandatory', scope: 'resource', description: 'd'.repeat(300), expression: `resource.name == "${'x'.repeat(4000)}"`, source: 'policies/many.yaml',
});

describe('the /cloud-policy views', () => {
  it('GIVEN 200 rules with long descriptions and expressions THEN the list fits one embed, and says how many more there are', () => {
    const listing: PolicyListing = { rules: Array.from({ length: 200 }, (_, i) => rule(i)), off: ['missing-labels'], digest: 'a'.repeat(64), files: ['policies/many.yaml'], policyChecks: true };
    const embed = policyListEmbed('shop', listing);
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed.description).toMatch(/\+\d+ more$/);
    expect(embed.description).toContain('Off: `missing-labels`.');
    expect(embed.description).toContain('🟠 `rule-0` · soft-mandatory · resource · `policies/many.yaml`');
  });

  it('GIVEN 500 findings THEN the test reply fits one message and counts what is cut', () => {
    const result: PolicyTestResult = {
      tested: { kind: 'plan', planId: '12345678-aaaa', sessionId: 'abcdef12-bbbb', createdAt: '2026-11-28T10:00:00.000Z' }, candidate: null, digest: 'b'.repeat(64), ruleCount: 9,
      findings: Array.from({ length: 500 }, (_, i) => ({ ruleId: 'missing-labels', level: 'advisory' as const, resource: `web-${i}`, message: 'A resource should carry owner and environment labels.' })),
      ruleErrors: [{ ruleId: 'typo', level: 'hard-mandatory', reason: 'evaluation', detail: 'no such key: no_such_field', resource: 'web-1' }], ms: 12.4, policyChecks: false,
    };
    const text = policyTestText(result);
    expect(text.length).toBeLessThanOrEqual(LIMITS.content);
    expect(text).toMatch(/^🧪 Tested the pack, 9 rules, against plan `12345678` \(session `abcdef12`\) in 12 ms: 500 finding\(s\), 1 rule error\(s\)\./);
    expect(text).toContain('⛔ rule `typo` failed on `web-1`: no such key: no_such_field');
    expect(text).toContain('Policy checks are off for this project');
    expect(text).toMatch(/\+\d+ more$/);
  });

  it('GIVEN a change that committed nothing THEN the reply says so instead of calling plans stale', () => {
    const c = { path: 'policies/team.yaml', commit: null, previousDigest: 'a', digest: 'a', ruleCount: 9 };
    expect(policyChangeText('shop', c, 'Committed')).toBe('📜 `policies/team.yaml` in **shop** already holds exactly this; nothing was committed.');
  });
});
