/**
 * Labels on every resource type and public_access on buckets: what is accepted, how each bad value is named,
 * and that leaving them out, blank or empty gives the very spec one without them had before.
 */
import { describe, expect, it } from 'vitest';
import { CoreError, type Problem } from '../../../src/domain/errors.js';
import { PROVIDERS, RESOURCE_TYPES, type StorageBucketSpec } from '../../../src/domain/resources.js';
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

/** The smallest valid spec of each type (a firewall rule needs its ports and sources). */
const base = (type: string): Record<string, unknown> =>
  type === 'firewall_rule' ? { type, name: 'fw-1', ports: '22', source_ranges: '10.0.0.0/8' } : { type, name: `${type.replace('_', '-')}-1` };

const labelProblems = (labels: unknown) => problemsOf(() => parseSpec('gcp', { ...base('compute_vm'), labels }));

describe('labels', () => {
  for (const provider of PROVIDERS) {
    it(`GIVEN labels on every ${provider} resource type THEN each spec carries them sorted by key, as an object or as key=value text`, () => {
      for (const type of RESOURCE_TYPES) {
        const fromText = parseSpec(provider, { ...base(type), labels: 'owner=alice, environment=dev,  cost-center = 4711 ' });
        const fromObject = parseSpec(provider, { ...base(type), labels: { owner: 'alice', environment: 'dev', 'cost-center': '4711' } });
        expect(fromText.labels, type).toEqual({ 'cost-center': '4711', environment: 'dev', owner: 'alice' });
        expect(Object.keys(fromText.labels!), type).toEqual(['cost-center', 'environment', 'owner']);
        expect(JSON.stringify(fromObject), type).toBe(JSON.stringify(fromText));
      }
    });
  }

  it('GIVEN no labels, blank labels or {} THEN the spec has no labels field at all, exactly as before labels existed', () => {
    for (const type of RESOURCE_TYPES) {
      const without = JSON.stringify(parseSpec('aws', base(type)));
      expect(without).not.toContain('labels');
      for (const labels of ['', '  ', ', ,', {}, null]) expect(JSON.stringify(parseSpec('aws', { ...base(type), labels })), `${type} ${JSON.stringify(labels)}`).toBe(without);
    }
  });

  it('GIVEN an empty value THEN it is kept (GCP allows 0-63 characters)', () => {
    expect(parseSpec('gcp', { ...base('database'), labels: 'temporary=' }).labels).toEqual({ temporary: '' });
  });

  it('GIVEN each bad label THEN the problem names the labels field, the offending key or value, and what is allowed', () => {
    const cases: Array<[unknown, string]> = [
      ['Owner=alice', "labels: key 'Owner' must be 1-63 characters: lowercase letters, digits, _ and -, starting with a letter"],
      ['1st=alice', "labels: key '1st' must be 1-63 characters"],
      [`${'k'.repeat(64)}=v`, 'must be 1-63 characters'],
      ['=alice', "labels: key '' must be 1-63 characters"],
      ['owner=Alice Smith', "labels: value 'Alice Smith' of 'owner' must be 0-63 characters: lowercase letters, digits, _ and -"],
      [`owner=${'a'.repeat(64)}`, "of 'owner' must be 0-63 characters"],
      ['owner', "labels: 'owner' must be key=value, e.g. owner=alice, environment=dev"],
      ['owner=a, owner=b', "labels: key 'owner' is given twice"],
      ['managed_by=me', "labels: key 'managed_by' is set by Cloud Engine on every resource; choose another key"],
      [{ owner: 42 }, "labels: the value of 'owner' must be text (in quotes), got 42"],
      [JSON.parse('{"__proto__": "x"}'), "labels: key '__proto__' must be 1-63 characters"],
      [['owner=alice'], 'labels must be key=value pairs separated by commas (or an object of text values)'],
      [7, 'labels must be key=value pairs separated by commas'],
      [Array.from({ length: 17 }, (_, i) => `k${i}=v`).join(', '), 'labels: 17 labels given; at most 16 are allowed'],
    ];
    for (const [labels, message] of cases) {
      const problems = labelProblems(labels);
      expect(problems.map((p) => p.field), JSON.stringify(labels)).toEqual(problems.map(() => 'labels'));
      expect(problems.map((p) => p.message).join('\n'), JSON.stringify(labels)).toContain(message);
    }
  });

  it('GIVEN several bad labels THEN every one is listed, not only the first', () => {
    expect(labelProblems('Owner=x, env, team=A').map((p) => p.message)).toHaveLength(3);
  });

  it('GIVEN sixteen labels of the longest allowed keys and values THEN they are accepted, also as text', () => {
    const text = Array.from({ length: 16 }, (_, i) => `${'k'.repeat(61)}${String(i).padStart(2, '0')}=${'v'.repeat(63)}`).join(', ');
    expect(text.length).toBeGreaterThan(1024);
    expect(Object.keys(parseSpec('azure', { ...base('vpc_network'), labels: text }).labels!)).toHaveLength(16);
  });
});

describe('public_access', () => {
  const bucket = (public_access: unknown) => parseSpec('gcp', { ...base('storage_bucket'), public_access }) as StorageBucketSpec;

  it('GIVEN yes, true or TRUE THEN the bucket is public; no, false or blank leave the field out, as a private bucket always was', () => {
    for (const yes of [true, 'yes', 'TRUE', 'true']) expect(bucket(yes).public_access, String(yes)).toBe(true);
    const private_ = JSON.stringify(parseSpec('gcp', base('storage_bucket')));
    for (const no of [false, 'no', 'false', '']) expect(JSON.stringify(bucket(no)), String(no)).toBe(private_);
  });

  it('GIVEN anything else THEN the problem names public_access and what it takes', () => {
    expect(problemsOf(() => bucket('maybe'))).toEqual([{ field: 'public_access', message: "public_access must be true or false (yes/no), got 'maybe'" }]);
  });

  it('GIVEN public_access on a type other than a bucket THEN it is an unknown field there', () => {
    const [problem] = problemsOf(() => parseSpec('aws', { ...base('compute_vm'), public_access: true }));
    expect(problem).toMatchObject({ field: 'public_access', message: expect.stringContaining("unknown field 'public_access' for a AWS compute_vm") });
  });
});
