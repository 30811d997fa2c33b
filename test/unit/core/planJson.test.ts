import { describe, expect, it } from 'vitest';
import { planLine, summarizePlan } from '../../../src/terraform/planJson.js';

const plan = (changes: Array<[string, string[], string?]>) => JSON.stringify({
  format_version: '1.2', terraform_version: '1.11.4',
  resource_changes: changes.map(([address, actions, mode]) => ({ address, type: address.split('.')[0], name: address.split('.')[1], mode: mode ?? 'managed', change: { actions } })),
});

describe('terraform show -json parsing', () => {
  it('GIVEN creates, updates, deletes, replaces and no-ops THEN counts match Terraform’s summary line', () => {
    const s = summarizePlan(plan([
      ['terraform_data.a', ['create']], ['terraform_data.b', ['update']], ['terraform_data.c', ['delete']],
      ['terraform_data.d', ['delete', 'create']], ['terraform_data.e', ['no-op']], ['data.x', ['read'], 'data'],
    ]));
    expect(planLine(s)).toBe('Plan: 2 to add, 1 to change, 2 to destroy');
    expect(s.changes.map((c) => c.address)).toEqual(['terraform_data.a', 'terraform_data.b', 'terraform_data.c', 'terraform_data.d']);
  });

  it('GIVEN no changes THEN the line says so', () => {
    expect(planLine(summarizePlan(plan([])))).toBe('No changes. Your infrastructure matches the configuration.');
  });

  it('GIVEN output that is not plan JSON THEN a terraform error is raised, not a crash', () => {
    expect(() => summarizePlan('Error: nope')).toThrow(/did not return JSON/);
    expect(() => summarizePlan('{"resource_changes": 3}')).toThrow(/Unexpected plan JSON/);
  });
});
