/**
 * Names every JavaScript object inherits are not catalog entries: fed to every catalog-backed field of every
 * provider (and to quotas), each is refused with a validation error naming the field — never accepted
 * because a lookup found the prototype's property.
 */
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { PROVIDERS } from '../../../src/domain/resources.js';
import { parseSpec } from '../../../src/resources/validate.js';
import { dbTierShape, machineShape } from '../../../src/resources/catalogs/index.js';

const INHERITED = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__'];

const FIELDS: Array<[field: string, spec: (v: string) => Record<string, unknown>]> = [
  ['region', (v) => ({ type: 'compute_vm', name: 'web-1', region: v })],
  ['zone', (v) => ({ type: 'compute_vm', name: 'web-1', zone: v })],
  ['machine_type', (v) => ({ type: 'compute_vm', name: 'web-1', machine_type: v })],
  ['disk_type', (v) => ({ type: 'compute_vm', name: 'web-1', disk_type: v })],
  ['image', (v) => ({ type: 'compute_vm', name: 'web-1', image: v })],
  ['tier', (v) => ({ type: 'database', name: 'db-1', engine: 'postgres', tier: v })],
  ['engine', (v) => ({ type: 'database', name: 'db-1', engine: v })],
  ['version', (v) => ({ type: 'database', name: 'db-1', engine: 'postgres', version: v })],
  ['storage_class', (v) => ({ type: 'storage_bucket', name: 'bucket-1', storage_class: v })],
  ['database region', (v) => ({ type: 'database', name: 'db-1', region: v })],
  ['bucket region', (v) => ({ type: 'storage_bucket', name: 'bucket-1', region: v })],
];

describe('inherited object keys', () => {
  for (const provider of PROVIDERS) {
    it(`GIVEN an inherited name in any catalog-backed ${provider} field THEN it is refused`, () => {
      const accepted: string[] = [];
      for (const [field, spec] of FIELDS) {
        for (const name of INHERITED) {
          try {
            parseSpec(provider, spec(name));
            accepted.push(`${field}=${name}`);
          } catch (e) {
            expect(e, `${field}=${name}`).toBeInstanceOf(CoreError);
            expect((e as CoreError).code).toBe('validation');
          }
        }
      }
      expect(accepted).toEqual([]);
      for (const name of INHERITED) {
        expect(machineShape(provider, name)).toBeUndefined();
        expect(dbTierShape(provider, name)).toBeUndefined();
      }
    });
  }
});
