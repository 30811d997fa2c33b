/** Labels and public access are configuration, not capacity: no estimate, breakdown or advice changes with them. */
import { describe, expect, it } from 'vitest';
import { PROVIDERS, type ResourceSpec } from '../../../src/domain/resources.js';
import { exampleSpecs } from '../../../src/sheets/examples.js';
import { estimator } from './helpers.js';

const labelled = (s: ResourceSpec): ResourceSpec =>
  ({ ...s, labels: { environment: 'prod', owner: 'alice' }, ...(s.type === 'storage_bucket' ? { public_access: true } : {}) }) as ResourceSpec;

describe('cost of labels and public access', () => {
  for (const provider of PROVIDERS) {
    it(`GIVEN every ${provider} resource type labelled and its bucket public THEN each estimate is exactly the unlabelled one`, () => {
      const specs = exampleSpecs(provider);
      const plain = estimator.estimateDeployment(provider, specs);
      expect(estimator.estimateDeployment(provider, specs.map(labelled))).toEqual(plain);
      const diff = estimator.diff(provider, specs, specs.map(labelled));
      expect(diff.delta_monthly).toBe(0);
      expect(diff.resources.map((r) => r.change)).toEqual(specs.map(() => 'changed'));
    });
  }
});
