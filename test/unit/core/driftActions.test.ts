import { describe, expect, it } from 'vitest';
import { adoptedSpecs } from '../../../src/core/driftActions.js';
import type { TrackedDrift } from '../../../src/domain/drift.js';
import { parseSpec } from '../../../src/resources/validate.js';

const since = '2026-12-05T07:00:00.000Z';
const changed = (name: string, attributes: TrackedDrift['attributes']): TrackedDrift => ({ name, type: 'compute_vm', kind: 'changed', attributes, since });

describe('adoptedSpecs', () => {
  it('GIVEN a cloud refresh THEN only fields the spec sets take the observed value; state-only attributes, parts and sensitive values leave the spec as deployed; a missing resource is dropped', () => {
    const web = parseSpec('gcp', { type: 'compute_vm', name: 'web-1', machine_type: 'e2-small' });
    const api = parseSpec('gcp', { type: 'compute_vm', name: 'api-1', machine_type: 'e2-small' });
    const adopted = adoptedSpecs('gcp', [web, api], [
      changed('web-1', [
        { attribute: 'machine_type', deployed: 'e2-small', observed: 'e2-medium' },
        { attribute: 'metadata', deployed: {}, observed: { ssh: 'x' } },
        { attribute: 'web-1_disk.size', deployed: 10, observed: 20 },
        { attribute: 'zone', deployed: (web as { zone?: string }).zone, observed: '(sensitive)' },
      ]),
      { name: 'api-1', type: 'compute_vm', kind: 'missing', attributes: [], since },
    ]);
    expect(adopted).toEqual([{ ...web, machine_type: 'e2-medium' }]);
  });

  it('GIVEN a sandbox value no spec of the type can hold THEN adopting it is refused naming the resource and the field', () => {
    const web = parseSpec('sandbox', { type: 'compute_vm', name: 'web-1', machine_type: 'small' });
    expect(() => adoptedSpecs('sandbox', [web], [changed('web-1', [{ attribute: 'machine_type', deployed: 'small', observed: 'enormous' }])]))
      .toThrow(/^web-1: .*machine_type.* — that real value cannot be adopted; revert the drift instead$/);
  });
});
