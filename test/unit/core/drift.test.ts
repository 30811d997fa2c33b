import { describe, expect, it } from 'vitest';
import { compareWorld } from '../../../src/core/drift.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import { observedResources } from '../../../src/terraform/sandboxWorld.js';
import { resourceDrift } from '../../../src/terraform/planDrift.js';

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

describe('resourceDrift (a cloud refresh-only plan)', () => {
  const plan = JSON.stringify({
    format_version: '1.2',
    resource_drift: [
      { address: 'google_compute_instance.web-1', mode: 'managed', type: 'google_compute_instance', name: 'web-1', change: {
        actions: ['update'], before: { machine_type: 'e2-small', labels: { owner: 'ops' }, tags: ['a'] }, after: { machine_type: 'e2-medium', labels: { owner: 'ops' }, tags: ['a'] },
        before_sensitive: {}, after_sensitive: {},
      } },
      { address: 'google_sql_database_instance.db-1', mode: 'managed', type: 'google_sql_database_instance', name: 'db-1', change: {
        actions: ['update'], before: { root_password: 'old', tier: 'db-f1-micro' }, after: { root_password: 'new', tier: 'db-f1-micro' },
        before_sensitive: { root_password: true }, after_sensitive: { root_password: true },
      } },
      { address: 'google_sql_user.db-1_admin', mode: 'managed', type: 'google_sql_user', name: 'db-1_admin', change: { actions: ['delete'], before: { name: 'admin' }, after: null } },
      { address: 'google_storage_bucket.files', mode: 'managed', type: 'google_storage_bucket', name: 'files', change: { actions: ['delete'], before: { name: 'files' }, after: null } },
      { address: 'data.google_project.this', mode: 'data', type: 'google_project', name: 'this', change: { actions: ['read'], before: null, after: { id: 'p' } } },
    ],
  });
  const specs = [{ name: 'web-1', type: 'compute_vm' }, { name: 'db-1', type: 'database' }, { name: 'files', type: 'storage_bucket' }, { name: 'api', type: 'compute_vm' }];

  it('GIVEN resource_drift entries THEN each spec lists what changed (a part by its label), a deleted spec is missing, sensitive values never show, and data sources and untouched specs are left out', () => {
    expect(resourceDrift(plan, specs)).toEqual([
      { name: 'web-1', type: 'compute_vm', kind: 'changed', attributes: [{ attribute: 'machine_type', deployed: 'e2-small', observed: 'e2-medium' }] },
      { name: 'db-1', type: 'database', kind: 'changed', attributes: [
        { attribute: 'root_password', deployed: '(sensitive)', observed: '(sensitive)' },
        { attribute: 'db-1_admin', deployed: 'exists', observed: undefined },
      ] },
      { name: 'files', type: 'storage_bucket', kind: 'missing', attributes: [] },
    ]);
  });

  it('GIVEN a plan with no resource_drift THEN nothing drifted', () => {
    expect(resourceDrift(JSON.stringify({ format_version: '1.2' }), specs)).toEqual([]);
  });
});
