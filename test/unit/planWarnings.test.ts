/**
 * Plan warnings are codes with figures (micro-dollars); the lobby and the terminal each word them.
 * Every kind renders in both, money the same way in both, and each adapter keeps to its own style.
 */
import { describe, expect, it } from 'vitest';
import { warningLine as cliLine } from '../../src/cli/warnings.js';
import { warningLine as discordLine } from '../../src/discord/views/warnings.js';
import type { PlanWarning } from '../../src/domain/plans.js';
import { micros } from '../../src/domain/money.js';

const WARNINGS: PlanWarning[] = [
  { kind: 'over_budget', projectedMicros: micros(1_234_560_000), limitMicros: micros(1_000_000_000), overageMicros: micros(234_560_000) },
  { kind: 'alert_crossed', projectedMicros: micros(31_500_000), thresholdMicros: micros(30_000_000) },
  { kind: 'prices_unknown' },
  { kind: 'quota', problem: 'at most 3 resources (this session has 4)' },
  { kind: 'recommendation', resource: 'web-1', message: 'e2-small would do for a CPU this idle' },
  { kind: 'resource', resource: 'logs', message: 'Sandbox prices are fictional.' },
  { kind: 'legacy', text: '🚫 Projected $12.00/month exceeds the budget' },
];

describe('plan warnings, per adapter', () => {
  it('GIVEN every kind THEN Discord and the CLI each show it, with the same figures', () => {
    const discord = WARNINGS.map(discordLine);
    const cli = WARNINGS.map(cliLine);
    expect(discord[0]).toBe('🚫 Projected $1,234.56/month exceeds the budget of $1,000.00 by $234.56; only a project admin can approve with an override.');
    expect(cli[0]).toBe('over budget: $1,234.56/month is $234.56 above the budget of $1,000.00; apply needs --budget-override by a project admin');
    expect(discord[1]).toContain('$31.50/month crosses the budget alert at $30.00');
    expect(cli[1]).toContain('$31.50/month crosses the alert at $30.00');
    expect(discord[3]).toBe('🚫 at most 3 resources (this session has 4)');
    expect(cli[3]).toBe('quota: at most 3 resources (this session has 4)');
    expect(discord[4]).toBe('💡 web-1: e2-small would do for a CPU this idle');
    expect(cli[5]).toBe('warning: logs: Sandbox prices are fictional.');
    // Text an earlier version stored is shown as it was.
    expect(discord[6]).toBe(WARNINGS[6]!.kind === 'legacy' ? WARNINGS[6]!.text : '');
    expect(cli[6]).toBe(discord[6]);
  });

  it('GIVEN the CLI THEN no line carries the lobby’s emoji, and in Discord none names a CLI flag', () => {
    for (const line of WARNINGS.slice(0, 6).map(cliLine)) expect(line).toMatch(/^[a-z ]+: /);
    for (const line of WARNINGS.slice(0, 6).map(discordLine)) expect(line).not.toMatch(/--[a-z]/);
  });
});
