/**
 * Project-wide labels: the setting's text read with the rules and words of a resource's labels, and the
 * merge that gives each spec the labels its cloud resources carry.
 */
import { describe, expect, it } from 'vitest';
import { CoreError, type Problem } from '../../../src/domain/errors.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import { parseProjectLabels, withProjectLabels } from '../../../src/resources/index.js';
import { parseSpec } from '../../../src/resources/validate.js';

const problemsOf = (fn: () => unknown): Problem[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return e.problems;
    throw e;
  }
  throw new Error('expected a validation error');
};

const vm = (labels?: Record<string, string>): ResourceSpec => parseSpec('sandbox', { type: 'compute_vm', name: 'web', ...(labels ? { labels } : {}) });

describe('parseProjectLabels', () => {
  it('GIVEN key=value text THEN the labels come back sorted by key, spaces and empty entries ignored', () => {
    const labels = parseProjectLabels(' owner=web ,environment = prod,, cost-center=4711 ');
    expect(labels).toEqual({ 'cost-center': '4711', environment: 'prod', owner: 'web' });
    expect(Object.keys(labels!)).toEqual(['cost-center', 'environment', 'owner']);
  });

  it('GIVEN blank text or none in any case THEN there are no project labels', () => {
    for (const text of ['', '   ', ', ,', 'none', ' NONE ', 'None']) expect(parseProjectLabels(text), JSON.stringify(text)).toBeUndefined();
  });

  it('GIVEN bad text THEN each problem is the one a resource’s labels field gives, named labels', () => {
    for (const text of ['Owner=x', 'owner', 'owner=a, owner=b', 'cloud_engine_project=x', 'owner=Alice', Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(',')]) {
      const setting = problemsOf(() => parseProjectLabels(text));
      expect(setting.length, text).toBeGreaterThan(0);
      expect(setting, text).toEqual(problemsOf(() => parseSpec('sandbox', { type: 'compute_vm', name: 'web', labels: text })));
    }
    expect(problemsOf(() => parseProjectLabels(`owner=${'a'.repeat(4000)}`))).toEqual([{ field: 'labels', message: 'labels is 4006 characters long; at most 4000 are allowed' }]);
  });
});

describe('withProjectLabels', () => {
  it('GIVEN no project labels or {} THEN the very spec comes back, unchanged', () => {
    const spec = vm({ owner: 'alice' });
    expect(withProjectLabels(spec, undefined)).toBe(spec);
    expect(withProjectLabels(spec, {})).toBe(spec);
    const bare = vm();
    expect(withProjectLabels(bare, undefined)).toBe(bare);
    expect(bare).not.toHaveProperty('labels');
  });

  it('GIVEN project labels THEN the spec carries them beside its own, its own value winning for a key both give, sorted by key', () => {
    const spec = vm({ owner: 'alice', tier: 'frontend' });
    const merged = withProjectLabels(spec, { environment: 'prod', owner: 'web', 'cost-center': '4711' });
    expect(merged.labels).toEqual({ 'cost-center': '4711', environment: 'prod', owner: 'alice', tier: 'frontend' });
    expect(Object.keys(merged.labels!)).toEqual(['cost-center', 'environment', 'owner', 'tier']);
    expect(withProjectLabels(vm(), { owner: 'web' }).labels).toEqual({ owner: 'web' });
    // Every other field is the spec's, and the spec given is not touched.
    expect({ ...merged, labels: spec.labels }).toEqual(spec);
    expect(spec.labels).toEqual({ owner: 'alice', tier: 'frontend' });
  });
});
