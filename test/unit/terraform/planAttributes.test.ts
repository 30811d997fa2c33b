/**
 * What a plan's update and replacement change, from `terraform show -json` as Terraform 1.11 wrote it
 * (test/fixtures/terraform/plan-update-replace.json: a terraform_data moved region with a sensitive token,
 * one replaced through a sensitive trigger, one created, one destroyed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_LIMITS, attributeChanges } from '../../../src/terraform/planAttributes.js';
import { summarizePlan } from '../../../src/terraform/planJson.js';

const fixture = readFileSync(new URL('../../fixtures/terraform/plan-update-replace.json', import.meta.url), 'utf8');
const byAddress = (address: string) => summarizePlan(fixture).changes.find((c) => c.address === address)!;

describe('the attributes a plan changes', () => {
  it('GIVEN an in-place update THEN each changed attribute is its own path with before and after, unchanged ones are left out', () => {
    const web = byAddress('terraform_data.web');
    expect(web.actions).toEqual(['update']);
    const paths = Object.fromEntries(web.attributes!.map((a) => [a.path, a]));
    expect(paths['input.region']).toEqual({ path: 'input.region', before: { kind: 'value', json: '"local"' }, after: { kind: 'value', json: '"remote"' } });
    expect(paths['input.machine_type']).toMatchObject({ before: { json: '"medium"' }, after: { json: '"large"' } });
    expect(paths['input.tags']).toMatchObject({ before: { json: '["a","b"]' }, after: { json: '["a","c"]' } });
    expect(paths['input.name']).toBeUndefined();
    expect(paths.id).toBeUndefined();
  });

  it('GIVEN a sensitive value that changes THEN it is marked sensitive on both sides and its text appears nowhere in the data', () => {
    const web = byAddress('terraform_data.web');
    expect(web.attributes!.find((a) => a.path === 'input.token')).toEqual({ path: 'input.token', before: { kind: 'sensitive' }, after: { kind: 'sensitive' } });
    expect(JSON.stringify(summarizePlan(fixture).changes)).not.toMatch(/s3cret|pw-before|pw-after/);
  });

  it('GIVEN a value known only after apply THEN it says so without its before (Terraform does not mark the copy in output sensitive)', () => {
    const output = byAddress('terraform_data.web').attributes!.find((a) => a.path === 'output')!;
    expect(output).toEqual({ path: 'output', after: { kind: 'unknown' } });
  });

  it('GIVEN a replacement THEN the attributes that force it are marked, and known values come before hidden and unknown ones', () => {
    const db = byAddress('terraform_data.db');
    expect(db.actions).toEqual(['delete', 'create']);
    const kinds = db.attributes!.map((a) => a.after.kind);
    expect(kinds).toEqual([...kinds].sort((x, y) => ['value', 'sensitive', 'unknown'].indexOf(x) - ['value', 'sensitive', 'unknown'].indexOf(y)));
    expect(db.attributes!.find((a) => a.path === 'triggers_replace.engine')).toMatchObject({ forcesReplacement: true, before: { json: '"postgres"' }, after: { json: '"mysql"' } });
    expect(db.attributes!.find((a) => a.path === 'triggers_replace.admin_password')).toMatchObject({ forcesReplacement: true, after: { kind: 'sensitive' } });
    expect(db.attributes!.find((a) => a.path === 'input.engine')!.forcesReplacement).toBeUndefined();
  });

  it('GIVEN creates and destroys THEN they carry no attributes', () => {
    expect(byAddress('terraform_data.fresh').attributes).toBeUndefined();
    expect(byAddress('terraform_data.gone').attributes).toBeUndefined();
  });

  it('GIVEN a partly sensitive list THEN the whole list is hidden', () => {
    const { attributes } = attributeChanges({ before: { keys: ['a', 'b'] }, after: { keys: ['a', 'c'] }, before_sensitive: { keys: [false, true] }, after_sensitive: { keys: [false, true] } });
    expect(attributes).toEqual([{ path: 'keys', before: { kind: 'sensitive' }, after: { kind: 'sensitive' } }]);
  });

  it('GIVEN a sensitive value nested deeper than the marks are walked THEN it is hidden, never printed', () => {
    const nest = (leaf: unknown, levels: number): unknown => (levels === 0 ? leaf : [nest(leaf, levels - 1)]);
    for (const levels of [14, 30]) {
      const { attributes } = attributeChanges({ before: { k: nest('old', levels) }, after: { k: nest('hunter2-SECRET', levels) }, before_sensitive: { k: nest(true, levels) }, after_sensitive: { k: nest(true, levels) } });
      expect(JSON.stringify(attributes), `${levels} levels`).not.toMatch(/hunter2|old/);
    }
  });

  it('GIVEN a hostile plan (hundreds of attributes, huge values, deep nesting) THEN what is kept stays bounded', () => {
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) [before[`k${i}`], after[`k${i}`]] = [i, 'x'.repeat(10_000)];
    let deepBefore: unknown = 1, deepAfter: unknown = 2;
    for (let i = 0; i < 5000; i++) [deepBefore, deepAfter] = [{ d: deepBefore }, { d: deepAfter }];
    Object.assign(before, { deep: deepBefore });
    Object.assign(after, { deep: deepAfter });
    const { attributes, more } = attributeChanges({ before, after });
    expect(attributes).toHaveLength(ATTRIBUTE_LIMITS.perResource);
    expect(more).toBe(301 - ATTRIBUTE_LIMITS.perResource);
    for (const a of attributes) expect(a.after.kind === 'value' && a.after.json.length).toBeLessThanOrEqual(ATTRIBUTE_LIMITS.valueChars);
  });
});
