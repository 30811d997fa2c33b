import { describe, expect, it } from 'vitest';
import { compareWorld } from '../../../src/core/drift.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import { observedResources } from '../../../src/terraform/sandboxWorld.js';

const web = { type: 'compute_vm', name: 'web-1', machine_type: 'small', labels: { owner: 'ops', environment: 'dev' } } as unknown as ResourceSpec;
const files = { type: 'storage_bucket', name: 'files', storage_gb: 10 } as unknown as ResourceSpec;

describe('compareWorld', () => {
  it('GIVEN the world as deployed, its keys in another order THEN nothing drifts', () => {
    expect(compareWorld([web, files], { 'web-1': { labels: { environment: 'dev', owner: 'ops' }, machine_type: 'small', name: 'web-1', type: 'compute_vm' }, files: { ...files } })).toEqual([]);
  });

  it('GIVEN a changed number, a removed label, an added field and a deleted resource THEN each is named: attributes deployed → observed, the resource missing', () => {
    const drifted = compareWorld([web, files], { 'web-1': { ...web, labels: { owner: 'ops' }, disk_gb: 80, machine_type: 'small' } });
    expect(drifted).toEqual([
      { name: 'web-1', type: 'compute_vm', kind: 'changed', attributes: [
        { attribute: 'disk_gb', deployed: undefined, observed: 80 },
        { attribute: 'labels', deployed: { owner: 'ops', environment: 'dev' }, observed: { owner: 'ops' } },
      ] },
      { name: 'files', type: 'storage_bucket', kind: 'missing', attributes: [] },
    ]);
  });

  it('GIVEN a number observed as the string Terraform would make of it THEN it drifts (types matter)', () => {
    expect(compareWorld([files], { files: { ...files, storage_gb: '10' } })[0]?.attributes).toEqual([{ attribute: 'storage_gb', deployed: 10, observed: '10' }]);
  });
});

describe('observedResources', () => {
  it('GIVEN a refresh-only plan shown as JSON THEN the observed output is read from planned_values, else from output_changes; a plan without it gives undefined', () => {
    const world = { 'web-1': { name: 'web-1', disk_gb: 80 } };
    expect(observedResources(JSON.stringify({ planned_values: { outputs: { sandbox_observed: { sensitive: false, value: world } } } }))).toEqual(world);
    expect(observedResources(JSON.stringify({ output_changes: { sandbox_observed: { actions: ['update'], before: null, after: world } } }))).toEqual(world);
    expect(observedResources(JSON.stringify({ planned_values: { outputs: { ids: { value: {} } } } }))).toBeUndefined();
  });
});
