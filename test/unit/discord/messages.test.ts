import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../../src/core/applying.js';
import { applyErrorMessage, applySummaryMessage, budgetAlertMessage, resourceAddedMessage } from '../../../src/discord/views/messages.js';
import { planOutputMessage } from '../../../src/discord/views/plan.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import type { PlanRecord } from '../../../src/domain/plans.js';
import { projectKey } from '../../../src/domain/projects.js';
import { fromUsd as usd, micros } from '../../../src/domain/money.js';
import { hourlyUsd } from '../../../src/discord/views/format.js';

const vmSpec: ResourceSpec = { type: 'compute_vm', name: 'prod-web-01', region: 'us-central1', zone: 'us-central1-a', machine_type: 'e2-standard-4', disk_size_gb: 200, disk_type: 'pd-balanced', image: 'debian-cloud/debian-12' };

describe('messages', () => {
  it('GIVEN an added VM THEN reads like the seed: ✅ type Added, its configuration, 💰 hourly and monthly cost, 💡 recommendations', () => {
    const text = resourceAddedMessage(vmSpec, {
      name: 'prod-web-01', provider: 'gcp', type: 'compute_vm', region: 'us-central1', hourly: usd(0.134), monthly: usd(97.82), breakdown: [], warnings: [],
      recommendations: [{ message: 'Consider e2-standard-2 to save $48.91/month (~50%)', monthly_savings: usd(48.91) }],
    });
    expect(text).toBe([
      '✅ Virtual Machine Added',
      '**prod-web-01** · Configuration: e2-standard-4, 200 GB pd-balanced disk, us-central1-a',
      '💰 Estimated Cost: $0.134/hour, $97.82/month',
      '💡 Recommendations:',
      '  - Consider e2-standard-2 to save $48.91/month (~50%)',
    ].join('\n'));
  });

  it('GIVEN a budget alert THEN the DM names project, estimate, limit, overage and threshold (seed Example 2)', () => {
    const text = budgetAlertMessage({ projectId: projectKey('g', 'staging'), guildId: 'g', sessionId: null, threshold: usd(180), estimate: usd(185), budgetLimit: usd(200), overage: usd(0), adminUserIds: [] });
    expect(text).toBe('🚨 **Budget Alert: staging project**\nCurrent estimate: $185.00/month\nBudget limit: $200.00/month\nOverage: None (still under limit)\nAlert threshold: $180.00/month (exceeded)');
    expect(budgetAlertMessage({ projectId: projectKey('g', 'p'), guildId: 'g', sessionId: null, threshold: usd(180), estimate: usd(250), budgetLimit: usd(200), overage: usd(50), adminUserIds: [] })).toContain('Overage: $50.00/month over the limit');
  });

  it('GIVEN a finished apply THEN the summary gives counts, duration, state serial and commit; a failure shows the error and what was planned', () => {
    const deployment = { toAdd: 2, toChange: 0, toDestroy: 1 } as ApplyResult['deployment'];
    const ok = { status: 'succeeded', durationMs: 12_345, stateSerial: 4, commitHash: 'abc1234def', error: null, warnings: [], recorded: true, deployment } as unknown as ApplyResult;
    expect(applySummaryMessage(ok, { added: 2, changed: 0, destroyed: 1 })).toBe('✅ **Apply complete** · 2 created, 0 changed, 1 destroyed · 12.3 s\nstate serial 4 · git commit `abc1234`');
    const failed = { ...ok, status: 'failed', commitHash: null, error: 'terraform apply failed:\nError: boom' } as ApplyResult;
    expect(applySummaryMessage(failed, undefined)).toMatch(/^❌ \*\*Apply failed\*\* after 12\.3 s · planned: 2 to add, 0 to change, 1 to destroy\nstate serial 4 · no git commit\n```\nterraform apply failed:\nError: boom\n```$/);
    expect(applySummaryMessage(ok, { added: 2, changed: 0, destroyed: 1 }, { attached: { omittedLines: 0 } })).toMatch(/\n📎 The whole Terraform output is attached\.$/);
    expect(applySummaryMessage(ok, undefined, { attached: { omittedLines: 38_321 }, unpostedErrors: 290 }))
      .toMatch(/\n❌ 290 more error\(s\) Terraform reported are in the attached output\.\n📎 Terraform's output is attached, without its first 38321 lines \(the file is kept under Discord's upload limit\)\.$/);
    expect(applySummaryMessage(ok, undefined, { unpostedErrors: 3 })).toMatch(/\n❌ 3 more error\(s\) Terraform reported are not shown here\.$/);
    const unpushed = { ...ok, push: { ok: false, error: "fatal: unable to access 'https://git.example.com/infra.git/': Could not resolve host" } } as ApplyResult;
    expect(applySummaryMessage(unpushed, undefined)).toContain("⚠️ **The commit was not pushed** to the project's git remote: fatal: unable to access 'https://git.example.com/infra.git/': Could not resolve host.");
    expect(applySummaryMessage({ ...ok, push: { ok: true } } as ApplyResult, undefined)).toContain("⬆️ Pushed to the project's git remote.");
    const fenced = { ...ok, recorded: false, commitHash: null, error: 'This run lost its lease on project shop (it stopped renewing it and another process took over); nothing more it did was recorded.' } as ApplyResult;
    expect(applySummaryMessage(fenced, { added: 2, changed: 0, destroyed: 1 })).toMatch(/^⚠️ \*\*Apply not recorded\*\*: Terraform succeeded after 12\.3 s · 2 created, 0 changed, 1 destroyed, but this run had lost its lease[^]*nothing more it did was recorded/);
  });

  it('GIVEN plan output too long for a message THEN attaches it as a file instead of cutting it', () => {
    const plan = { status: 'succeeded', toAdd: 1, toChange: 0, toDestroy: 0, output: 'line\n'.repeat(1000), error: null } as PlanRecord;
    const long = planOutputMessage(projectKey('g', 'shop'), 'abcdef123456', plan);
    expect(long.content).toContain('📋 Plan: 1 to add, 0 to change, 0 to destroy');
    expect(long.files?.[0]?.name).toBe('plan-shop-abcdef12.txt');
    expect(long.files?.[0]?.data.toString()).toBe(`${plan.output.trim()}\n`);
    const short = planOutputMessage(projectKey('g', 'shop'), 'abcdef123456', { ...plan, output: 'Plan: 1 to add' });
    expect(short.files).toBeUndefined();
    expect(short.content).toContain('```\nPlan: 1 to add\n```');
  });
});

describe('hourly rates', () => {
  it('GIVEN rates from a sliver to a few dollars THEN under a dollar keeps three decimals, a sliver is not shown as free, and $0.9995 rounds to $1.00', () => {
    expect([1, 499, 500, 134_000, 999_499, 999_500, 2_345_000].map((m) => hourlyUsd(micros(m)))).toEqual(['<$0.001', '<$0.001', '$0.001', '$0.134', '$0.999', '$1.00', '$2.35']);
    expect(hourlyUsd(micros(0))).toBe('$0.00');
  });
});
describe('apply error message', () => {
  it('GIVEN an error Terraform reported on a resource THEN names the resource and keeps its text in a code block under the limit', () => {
    const text = applyErrorMessage({ seq: 7, index: 1, address: 'terraform_data.web', lines: ['Error: local-exec provisioner error', '', '  with terraform_data.web,', '```', 'x'.repeat(5000)] });
    expect(text).toMatch(/^❌ \*\*Terraform reported an error\*\* on `terraform_data\.web`\n```\nError: local-exec provisioner error\n\n  with terraform_data\.web,\n``\u200b`\n/);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith('```')).toBe(true);
  });
});
