import { describe, expect, it } from 'vitest';
import { progressFromLines, progressFromState } from '../../../src/core/recoveryView.js';
import type { ResourceChange } from '../../../src/domain/plans.js';

const change = (name: string, actions: string[]): ResourceChange => ({ address: `terraform_data.${name}`, type: 'terraform_data', name, actions });
const planned = [change('new', ['create']), change('late', ['create']), change('gone', ['delete']), change('edit', ['update']), change('swap', ['delete', 'create'])];
const a = (name: string) => `terraform_data.${name}`;

describe('what an apply did before it stopped', () => {
  it("GIVEN Terraform's lines THEN only completed changes count as done; started, failed or never reached ones are not done", () => {
    const report = progressFromLines(planned, [
      'terraform_data.new: Creating...', 'terraform_data.new: Creation complete after 1s [id=1]',
      'terraform_data.gone: Destroying... [id=2]', 'terraform_data.gone: Destruction complete after 0s',
      'terraform_data.edit: Modifying... [id=3]', 'terraform_data.edit: Modifications complete after 2s [id=3]',
      'terraform_data.swap: Destroying... [id=4]', 'terraform_data.swap: Destruction complete after 0s',
      'terraform_data.swap: Creating...', 'terraform_data.late: Creating...',
    ]);
    expect(report).toEqual({ source: 'output', created: [a('new')], changed: [a('edit')], destroyed: [a('gone')], notDone: [a('late'), a('swap')], unknown: [] });
  });

  it('GIVEN only the saved state THEN creates and destroys are judged by presence, a tainted object is not done, and updates stay unconfirmed', () => {
    const state = new Map([[a('new'), { tainted: false }], [a('late'), { tainted: true }], [a('edit'), { tainted: false }], [a('swap'), { tainted: false }]]);
    expect(progressFromState(planned, state)).toEqual({ source: 'state', created: [a('new')], changed: [], destroyed: [a('gone')], notDone: [a('late')], unknown: [a('edit'), a('swap')] });
    // A replace whose create never came has left its address empty.
    expect(progressFromState([change('swap', ['delete', 'create'])], new Map()).notDone).toEqual([a('swap')]);
  });
});
