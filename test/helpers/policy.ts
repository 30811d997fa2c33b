import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { buildPolicyInput } from '../../src/policy/input.js';
import type { Money } from '../../src/domain/money.js';

/**
 * Starts this process's policy worker. Under vitest its first start loads the TypeScript loader into the
 * thread (a second or two on a busy machine); a test that models a second process as dead-looking (a
 * restarted owner) would otherwise see that first plan outlive the asker's patience and settle it as dead.
 */
export async function warmPolicyWorker(): Promise<void> {
  const zero = 0 as Money;
  const input = buildPolicyInput({
    planJson: JSON.stringify({ format_version: '1.2', resource_changes: [] }),
    session: { id: 'warm', project: 'warm', author_id: 'warm', author_name: 'warm', provider: 'sandbox', production: false },
    specs: [], deployed: [], cost: { before_monthly_micros: zero, after_monthly_micros: zero, budget_micros: null, threshold_micros: zero },
  });
  await evaluatePolicies([{ id: 'warm', level: 'advisory', scope: 'plan', description: 'Starts the worker.', expression: 'true', source: 'test' }], input);
}
