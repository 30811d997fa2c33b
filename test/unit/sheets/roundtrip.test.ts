import { describe, expect, it } from 'vitest';
import { CATALOGS, dbTiersFor } from '../../../src/resources/catalogs/index.js';
import { PROVIDERS, RESOURCE_TYPES, type Provider, type ResourceSpec } from '../../../src/domain/resources.js';
import { parseSpec } from '../../../src/resources/validate.js';
import { exportCsv, exportProject, parseResourceFile, validateItems } from '../../../src/sheets/index.js';

const last = <T>(list: T[]) => list[list.length - 1]!;

/** A configuration that uses every field, away from the defaults where it can, in a mixed order. */
function configuration(provider: Provider): ResourceSpec[] {
  const c = CATALOGS[provider];
  const region = last(Object.keys(c.regions));
  const inputs: Array<Record<string, unknown>> = [
    { type: 'firewall_rule', name: 'web-in', region, network: 'core', protocol: 'tcp', ports: ['22', '8000-8080'], source_ranges: ['10.0.0.0/8', '203.0.113.0/24'], priority: 200, labels: { team: 'edge' } },
    { type: 'compute_vm', name: 'web-1' },
    { type: 'compute_vm', name: 'web-2', region, zone: last(c.regions[region]!), machine_type: last(Object.keys(c.machineTypes)), disk_size_gb: c.diskSizeGb.max, disk_type: last(c.diskTypes), image: last(c.images), labels: { owner: 'alice', environment: 'prod', 'cost-center': '4711' } },
    { type: 'database', name: 'db-1', engine: 'mysql', version: c.dbVersions.mysql[0], tier: last(dbTiersFor(provider, 'mysql')), storage_gb: c.dbStorageGb.min, backups_enabled: false, high_availability: true, labels: 'owner=bob' },
    { type: 'vpc_network', name: 'core', region, cidr: '10.8.0.0/16', subnets: [{ name: 'app', cidr: '10.8.1.0/24' }, { name: 'data', cidr: '10.8.2.0/24' }], dns_enabled: false, labels: { environment: 'prod' } },
    { type: 'storage_bucket', name: 'logs', storage_class: last(c.storageClasses), versioning: true, lifecycle_days: 30, storage_gb: 1234, public_access: true, labels: { temporary: '' }, ...(provider === 'azure' ? { replication: 'GRS' } : {}) },
    { type: 'storage_bucket', name: 'media' },
    { type: 'firewall_rule', name: 'ping', protocol: 'icmp', source_ranges: ['0.0.0.0/0'], direction: 'egress' },
  ];
  if (provider === 'gcp') {
    inputs.push({ type: 'compute_vm', name: 'custom-1', machine_type: 'n2-custom', cpu: 4, memory_gb: 7.5 });
    inputs.push({ type: 'database', name: 'db-custom', tier: 'db-custom-2-7680' });
  }
  if (provider === 'sandbox') inputs.push({ type: 'compute_vm', name: 'slow-1', boot_seconds: 30 });
  return inputs.map((i) => parseSpec(provider, i));
}

/** The workbook has one sheet per type, so rows come back grouped by type, in their order within it. */
const byType = (specs: ResourceSpec[]) => RESOURCE_TYPES.flatMap((t) => specs.filter((s) => s.type === t));

describe.each(PROVIDERS)('export → import on %s', (provider) => {
  const specs = configuration(provider);

  it('GIVEN the configuration as .xlsx THEN importing it gives exactly the same specs', async () => {
    const items = await parseResourceFile(await exportProject(specs, provider), 'export.xlsx');
    expect(validateItems(provider, items)).toStrictEqual(byType(specs));
  });

  it('GIVEN the configuration as .csv THEN importing it gives exactly the same specs, in the same order', async () => {
    const items = await parseResourceFile(exportCsv(specs, provider), 'export.csv');
    expect(validateItems(provider, items)).toStrictEqual(specs);
  });

  it('GIVEN an empty configuration THEN the export is a template without rows', async () => {
    expect(await parseResourceFile(await exportProject([], provider), 'empty.xlsx')).toEqual([]);
  });
});
