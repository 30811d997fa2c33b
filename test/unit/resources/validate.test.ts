import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { configurationProblems, parseSpec } from '../../../src/resources/validate.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return e.details.length ? e.details : [e.message];
    throw e;
  }
  throw new Error('expected a validation error');
};

describe('resource specs', () => {
  it('GIVEN an unknown GCP machine type THEN the error names the field and suggests real ones', () => {
    const [p] = problemsOf(() => parseSpec('gcp', { type: 'compute_vm', name: 'web-1', machine_type: 'e2-huge' }));
    expect(p).toBe("machine_type 'e2-huge' is not a GCP machine type; try e2-medium, e2-highmem-2, e2-highmem-4, e2-highmem-8…");
  });

  it('GIVEN modal text values THEN numbers and booleans are read, defaults fill the rest', () => {
    const spec = parseSpec('gcp', { type: 'database', name: 'orders', storage_gb: '50', backups_enabled: 'no', high_availability: 'yes' });
    expect(spec).toMatchObject({ engine: 'postgres', version: '17', tier: 'db-f1-micro', storage_gb: 50, backups_enabled: false, high_availability: true, region: 'us-central1' });
  });

  it('GIVEN text that only looks like a number THEN it is refused, not coerced', () => {
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web-1', disk_size_gb: '1e3' }))[0]).toMatch(/disk_size_gb must be a whole number from 8 to 16384 GB, got '1e3'/);
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web-1', disk_size_gb: -5 }))[0]).toMatch(/disk_size_gb/);
  });

  it('GIVEN a VPC with a misaligned CIDR, overlapping and escaping subnets THEN every problem is listed', () => {
    expect(problemsOf(() => parseSpec('aws', { type: 'vpc_network', name: 'net', cidr: '10.0.0.1/16' }))[0]).toMatch(/host bits set; did you mean 10.0.0.0\/16/);
    const ps = problemsOf(() => parseSpec('aws', { type: 'vpc_network', name: 'net', cidr: '10.0.0.0/16', subnets: [{ name: 'aa', cidr: '10.0.0.0/24' }, { name: 'bb', cidr: '10.0.0.128/25' }, { name: 'cc', cidr: '10.1.0.0/24' }] }));
    expect(ps).toEqual(['subnets[1].cidr 10.0.0.128/25 overlaps subnet aa (10.0.0.0/24)', "subnets[2].cidr 10.1.0.0/24 is not inside the network's 10.0.0.0/16"]);
  });

  it('GIVEN firewall ports and ranges out of bounds THEN each bad value is named', () => {
    const ps = problemsOf(() => parseSpec('gcp', { type: 'firewall_rule', name: 'fw', ports: '22, 80-79, 99999', source_ranges: '0.0.0.0/0,1.2.3.4/33' }));
    expect(ps).toHaveLength(3);
    expect(ps.join('\n')).toMatch(/'80-79'/);
    expect(ps.join('\n')).toMatch(/'99999'/);
    expect(ps.join('\n')).toMatch(/1.2.3.4\/33/);
  });

  it('GIVEN unknown fields, bad names and huge strings THEN they are refused before anything else', () => {
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web', colour: 'red' }))[0]).toMatch(/unknown field 'colour'/);
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: '../../etc' }))[0]).toMatch(/^name '..\/..\/etc' must be/);
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web', image: 'x'.repeat(100_000) }))[0]).toMatch(/image is 100000 characters long/);
    expect(problemsOf(() => parseSpec('aws', { type: 'teleporter', name: 'web' }))[0]).toMatch(/type 'teleporter' is not a resource type/);
  });

  it('GIVEN a GCP custom shape THEN cpu and memory are checked against the family rules', () => {
    expect(parseSpec('gcp', { type: 'compute_vm', name: 'c1', machine_type: 'n2-custom', cpu: 4, memory_gb: 16 })).toMatchObject({ cpu: 4, memory_gb: 16 });
    expect(problemsOf(() => parseSpec('gcp', { type: 'compute_vm', name: 'c1', machine_type: 'n2-custom', cpu: 3, memory_gb: 100 })).join('\n')).toMatch(/even number[\s\S]*0.5–8 GB per vCPU/);
    expect(problemsOf(() => parseSpec('gcp', { type: 'database', name: 'd1', tier: 'db-custom-2-102400' }))[0]).toMatch(/0.9–6.5 GiB per vCPU/);
  });

  it('GIVEN an Azure tier that MySQL flexible server does not offer THEN refused naming the tiers it does; PostgreSQL takes it', () => {
    const [problem] = problemsOf(() => parseSpec('azure', { type: 'database', name: 'd1', engine: 'mysql', version: '8.0.21', tier: 'GP_Standard_D4s_v3' }));
    expect(problem).toMatch(/^tier 'GP_Standard_D4s_v3' is not offered for Azure MySQL; use one of B_Standard_B1ms, .*GP_Standard_D2ds_v4/);
    expect(problem).not.toMatch(/ds_v5|s_v3,/);
    expect(parseSpec('azure', { type: 'database', name: 'd1', engine: 'postgres', tier: 'GP_Standard_D4s_v3' })).toMatchObject({ tier: 'GP_Standard_D4s_v3' });
    expect(parseSpec('azure', { type: 'database', name: 'd1', engine: 'mysql', version: '8.0.21', tier: 'GP_Standard_D4ds_v4' })).toMatchObject({ engine: 'mysql' });
  });

  it('GIVEN a zone outside the region THEN the allowed zones are listed', () => {
    expect(problemsOf(() => parseSpec('aws', { type: 'compute_vm', name: 'web', region: 'eu-west-1', zone: 'us-east-1a' }))[0]).toBe("zone 'us-east-1a' is not in region eu-west-1; use one of eu-west-1a, eu-west-1b, eu-west-1c");
  });

  it('GIVEN Azure westus, which has no availability zones THEN a blank zone is accepted, a typed one is refused saying so', () => {
    expect(parseSpec('azure', { type: 'compute_vm', name: 'web', region: 'westus' })).toMatchObject({ region: 'westus', zone: 'westus' });
    expect(parseSpec('azure', { type: 'compute_vm', name: 'web', region: 'westus', zone: 'westus' })).toMatchObject({ zone: 'westus' });
    expect(problemsOf(() => parseSpec('azure', { type: 'compute_vm', name: 'web', region: 'westus', zone: '1' }))[0]).toBe('region westus has no availability zones; leave zone blank');
    expect(parseSpec('azure', { type: 'compute_vm', name: 'web', region: 'westus3', zone: '2' })).toMatchObject({ zone: '2' });
  });

  it('GIVEN a configuration THEN duplicate names and dangling firewall networks are problems', () => {
    const a = parseSpec('sandbox', { type: 'compute_vm', name: 'web' });
    const fw = parseSpec('sandbox', { type: 'firewall_rule', name: 'fw', network: 'main-net', ports: '22', source_ranges: '10.0.0.0/8' });
    expect(configurationProblems([a, a, fw] as ResourceSpec[])).toEqual([
      "name 'web' is used by more than one resource; names must be unique in a project",
      "firewall_rule fw: network 'main-net' is not a vpc_network in this project; add it or use \"default\"",
    ]);
  });
});

describe('problems as field and message', () => {
  const fieldsOf = (fn: () => unknown): Array<string | undefined> => {
    try {
      fn();
    } catch (e) {
      if (e instanceof CoreError) return e.problems.map((p) => p.field);
      throw e;
    }
    throw new Error('expected a validation error');
  };

  it('GIVEN problems from each kind of check THEN each names its field as data, so a spreadsheet can point at the column without reading the sentence', () => {
    expect(fieldsOf(() => parseSpec('gcp', { type: 'compute_vm', name: 'web-1', machine_type: 'e2-huge' }))).toEqual(['machine_type']);
    expect(fieldsOf(() => parseSpec('gcp', { type: 'compute_vm', name: 'web-1', colour: 'blue' }))).toEqual(['colour']);
    expect(fieldsOf(() => parseSpec('gcp', { type: 'compute_vm', name: 'web-1', region: 'us-central1', zone: 'europe-west1-b' }))).toEqual(['zone']);
    expect(fieldsOf(() => parseSpec('aws', { type: 'firewall_rule', name: 'fw', protocol: 'tcp', ports: ['99999'], source_ranges: ['10.0.0.0/33'] }))).toEqual(['ports', 'source_ranges']);
    expect(fieldsOf(() => parseSpec('gcp', { type: 'server', name: 'x' }))).toEqual(['type']);
  });
});
