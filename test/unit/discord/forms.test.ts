import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import { modalPayload, readModalValues } from '../../../src/discord/modals/build.js';
import { parseProtocolPorts, parseSubnets, resourceForm, type FormContext } from '../../../src/discord/modals/forms.js';
import { inputLabel, specValues, withinForm } from '../../../src/discord/modals/prefill.js';
import { CATALOGS } from '../../../src/resources/index.js';
import { parseSpec } from '../../../src/resources/validate.js';
import { PROVIDERS, RESOURCE_TYPES } from '../../../src/domain/resources.js';

const ctx = (provider: FormContext['provider'], extra: Partial<FormContext> = {}): FormContext =>
  ({ provider, region: provider === 'sandbox' ? 'local' : provider === 'gcp' ? 'us-central1' : provider === 'aws' ? 'us-east-1' : 'eastus', networks: [], ...extra });

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return [e.message, ...e.details];
    throw e;
  }
  return [];
};

describe('resource modals', () => {
  it('GIVEN every provider and type THEN the modal fits Discord: ≤5 inputs, labels ≤45, selects of 1-25 options', () => {
    for (const provider of PROVIDERS) {
      for (const type of RESOURCE_TYPES) {
        const form = resourceForm(type, ctx(provider));
        const modal = modalPayload(`v1:modal:s:${type}`, form.title, form.fields);
        expect(modal.components.length, `${provider} ${type}`).toBeLessThanOrEqual(5);
        expect(modal.title.length).toBeLessThanOrEqual(45);
        for (const f of form.fields) {
          expect(f.label.length, `${provider} ${type} ${f.id}`).toBeLessThanOrEqual(45);
          if (f.kind === 'select') expect(f.options.length, `${provider} ${type} ${f.id}`).toBeGreaterThan(0);
          if (f.kind === 'select') expect(f.options.length).toBeLessThanOrEqual(25);
          if (f.kind === 'text') expect((f.placeholder ?? '').length).toBeLessThanOrEqual(100);
        }
      }
    }
  });

  it('GIVEN the sandbox forms filled in THEN every value becomes a valid spec', () => {
    const filled = {
      compute_vm: { name: 'web-1', machine_type: ['medium'], disk: '40, ssd', image: 'debian-12', boot_seconds: '3' },
      database: { name: 'db-1', engine: ['mysql:8.4'], tier: ['small'], storage_gb: '50', options: ['backups', 'ha'] },
      vpc_network: { name: 'net-1', cidr: '10.1.0.0/16', subnets: 'web=10.1.1.0/24\ndata 10.1.2.0/24', dns: ['disabled'] },
      storage_bucket: { name: 'logs', storage_class: ['cold'], options: ['versioning'], lifecycle_days: '', storage_gb: '5' },
      firewall_rule: { name: 'ssh', protocol_ports: 'tcp 22, 2222', source_ranges: '203.0.113.0/24', network: ['net-1'], priority: '900' },
    };
    const place = { zone: 'local-b', direction: 'egress' as const, networks: ['net-1'] };
    const specs = RESOURCE_TYPES.map((type) => parseSpec('sandbox', resourceForm(type, ctx('sandbox', place)).toRaw(filled[type])));
    expect(specs).toMatchObject([
      { type: 'compute_vm', region: 'local', zone: 'local-b', machine_type: 'medium', disk_size_gb: 40, disk_type: 'ssd', image: 'debian-12', boot_seconds: 3 },
      { type: 'database', region: 'local', engine: 'mysql', version: '8.4', storage_gb: 50, backups_enabled: true, high_availability: true },
      { type: 'vpc_network', region: 'local', subnets: [{ name: 'web', cidr: '10.1.1.0/24' }, { name: 'data', cidr: '10.1.2.0/24' }], dns_enabled: false },
      { type: 'storage_bucket', region: 'local', storage_class: 'cold', versioning: true, lifecycle_days: null, storage_gb: 5 },
      { type: 'firewall_rule', region: 'local', protocol: 'tcp', ports: ['22', '2222'], source_ranges: ['203.0.113.0/24'], network: 'net-1', direction: 'egress', priority: 900 },
    ]);
  });

  it('GIVEN a GCP custom machine THEN CPU and memory come from one field and the disk from "size, type"', () => {
    const raw = resourceForm('compute_vm', ctx('gcp', { region: 'europe-west1', zone: 'europe-west1-c' })).toRaw({ name: 'api', machine_type: 'n2-custom', shape: '4, 16', disk: '50, pd-ssd', image: 'ubuntu-os-cloud/ubuntu-2404-lts-amd64' });
    expect(parseSpec('gcp', raw)).toMatchObject({ machine_type: 'n2-custom', cpu: 4, memory_gb: 16, disk_size_gb: 50, disk_type: 'pd-ssd', region: 'europe-west1', zone: 'europe-west1-c', image: 'ubuntu-os-cloud/ubuntu-2404-lts-amd64' });
  });

  it('GIVEN an Azure bucket with geo-redundancy, and firewall protocols written as people write them THEN each reads as the spec field', () => {
    const bucket = resourceForm('storage_bucket', ctx('azure')).toRaw({ name: 'logs', options: ['versioning', 'grs'] });
    expect(parseSpec('azure', bucket)).toMatchObject({ versioning: true, replication: 'GRS' });
    expect(parseSpec('azure', resourceForm('storage_bucket', ctx('azure')).toRaw({ name: 'logs', options: [] }))).toMatchObject({ versioning: false, replication: 'LRS' });
    expect(parseProtocolPorts('UDP: 53')).toEqual({ protocol: 'udp', ports: '53' });
    expect(parseProtocolPorts('443, 8443')).toEqual({ protocol: 'tcp', ports: '443, 8443' });
    expect(parseProtocolPorts('icmp')).toEqual({ protocol: 'icmp', ports: '' });
    expect(problemsOf(() => parseSpec('gcp', resourceForm('firewall_rule', ctx('gcp')).toRaw({ name: 'x', protocol_ports: 'sctp 9', source_ranges: '10.0.0.0/8' })))).toContainEqual(expect.stringMatching(/protocol 'sctp'/));
  });

  it('GIVEN fields left empty THEN the provider defaults fill them', () => {
    const raw = resourceForm('compute_vm', ctx('aws', { zone: 'us-east-1a' })).toRaw({ name: 'web', machine_type: '', disk: '', image: '' });
    expect(parseSpec('aws', raw)).toMatchObject({ name: 'web', region: 'us-east-1', zone: 'us-east-1a' });
  });

  it('GIVEN malformed text THEN the problem names the field and the expected form', () => {
    expect(problemsOf(() => parseSubnets('web=10.0.1.0/24, oops'))).toEqual(["subnets: 'oops' must be name=cidr, like web=10.0.1.0/24"]);
    expect(problemsOf(() => resourceForm('compute_vm', ctx('gcp')).toRaw({ name: 'x', shape: '4' }))[0]).toContain("cpu and memory: write two values like '4, 16'");
  });

  it('GIVEN a submitted modal THEN text inputs read as strings and selects as their chosen values', () => {
    const values = readModalValues([
      { type: 4, customId: 'name', value: 'web-1' },
      { type: 3, customId: 'location', values: ['local-a'] },
      { type: 19, customId: 'upload', attachments: [] },
    ]);
    expect(values).toEqual({ name: 'web-1', location: ['local-a'] });
  });

  it('GIVEN any resource THEN its edit form opens with it as it is, and submitted unchanged gives back the very same spec', () => {
    const examples: Record<string, object> = {
      compute_vm: { type: 'compute_vm', name: 'web-1', disk_size_gb: 40, labels: { owner: 'alice', environment: 'dev' } },
      database: { type: 'database', name: 'db-1', engine: 'mysql', storage_gb: 50, high_availability: true, backups_enabled: false, labels: { owner: 'bob' } },
      vpc_network: { type: 'vpc_network', name: 'net-1', cidr: '10.1.0.0/16', subnets: [{ name: 'web', cidr: '10.1.1.0/24' }, { name: 'data', cidr: '10.1.2.0/24' }], dns_enabled: false, labels: { team: 'net', temporary: '' } },
      storage_bucket: { type: 'storage_bucket', name: 'logs', storage_class: 'archive', versioning: true, lifecycle_days: 30, storage_gb: 5, public_access: true, labels: { owner: 'web' } },
      firewall_rule: { type: 'firewall_rule', name: 'ssh', protocol: 'udp', ports: '53, 8000-8080', source_ranges: '203.0.113.0/24, 10.0.0.0/8', network: 'net-1', direction: 'egress', priority: 900, labels: { owner: 'sec' } },
    };
    for (const provider of PROVIDERS) {
      const c = CATALOGS[provider];
      for (const type of RESOURCE_TYPES) {
        const region = Object.keys(c.regions).at(-1)!;
        const raw = { ...examples[type], region, ...(type === 'compute_vm' && c.regions[region]!.length ? { zone: c.regions[region]!.at(-1) } : {}) } as Record<string, unknown>;
        if (type === 'storage_bucket' && !c.storageClasses.includes('archive')) raw.storage_class = c.storageClasses.at(-1);
        if (type === 'compute_vm' && provider === 'sandbox') raw.boot_seconds = 2;
        const spec = parseSpec(provider, raw);
        const place = { region, networks: ['net-1'], ...(spec.type === 'compute_vm' ? { zone: spec.zone } : {}), ...(spec.type === 'firewall_rule' ? { direction: spec.direction } : {}) };
        const form = resourceForm(type, ctx(provider, place), { verb: 'Edit', values: specValues(spec), editing: spec });
        expect(form.title, `${provider} ${type}`).toMatch(/^Edit /);
        const opened = Object.fromEntries(form.fields.map((f) => [f.id, f.kind === 'text' ? (f.value ?? '') : f.options.filter((o) => o.default).map((o) => o.value)]));
        expect(parseSpec(provider, form.toRaw(opened)), `${provider} ${type}`).toEqual(spec);
      }
    }
    const custom = parseSpec('gcp', { type: 'compute_vm', name: 'api', machine_type: 'n2-custom', cpu: 4, memory_gb: 16.5, region: 'europe-west1', zone: 'europe-west1-c' });
    const form = resourceForm('compute_vm', ctx('gcp', { region: 'europe-west1', zone: 'europe-west1-c' }), { values: specValues(custom) });
    expect(parseSpec('gcp', form.toRaw(Object.fromEntries(form.fields.map((f) => [f.id, f.kind === 'text' ? (f.value ?? '') : []]))))).toEqual(custom);
  });

  it('GIVEN a form with room for a fifth input THEN Labels is its last; full forms (five inputs already) have none', () => {
    const withLabels = PROVIDERS.flatMap((p) => RESOURCE_TYPES.filter((t) => resourceForm(t, ctx(p)).fields.some((f) => f.id === 'labels')).map((t) => `${p} ${t}`));
    expect(withLabels).toEqual(['gcp vpc_network', 'aws compute_vm', 'aws vpc_network', 'azure compute_vm', 'azure vpc_network', 'sandbox vpc_network']);
    for (const p of PROVIDERS) for (const t of RESOURCE_TYPES) {
      const fields = resourceForm(t, ctx(p)).fields;
      expect(fields.length === 5 || fields.at(-1)!.id === 'labels', `${p} ${t}`).toBe(true);
    }
    const vpc = resourceForm('vpc_network', ctx('sandbox'));
    expect(vpc.fields.at(-1)).toMatchObject({ kind: 'text', label: 'Labels (key=value, comma separated)', required: false });
    expect(parseSpec('sandbox', vpc.toRaw({ name: 'net-1', labels: 'owner=alice, environment=dev' })).labels).toEqual({ environment: 'dev', owner: 'alice' });
    expect(parseSpec('sandbox', vpc.toRaw({ name: 'net-1', labels: '' }))).not.toHaveProperty('labels');
  });

  it('GIVEN an edit through a form without a Labels input THEN the resource keeps its labels; through one with it, emptying the input removes them', () => {
    const db = parseSpec('sandbox', { type: 'database', name: 'db-1', labels: 'owner=bob' });
    const dbForm = resourceForm('database', ctx('sandbox'), { verb: 'Edit', values: specValues(db), editing: db });
    expect(parseSpec('sandbox', dbForm.toRaw({ name: 'db-1', engine: ['mysql:8.4'], options: [] })).labels).toEqual({ owner: 'bob' });
    expect(parseSpec('sandbox', resourceForm('database', ctx('sandbox')).toRaw({ name: 'db-2', options: [] }))).not.toHaveProperty('labels');
    const net = parseSpec('sandbox', { type: 'vpc_network', name: 'net-1', labels: 'owner=bob' });
    const netForm = resourceForm('vpc_network', ctx('sandbox'), { verb: 'Edit', values: specValues(net), editing: net });
    expect(netForm.fields.find((f) => f.id === 'labels')).toMatchObject({ value: 'owner=bob' });
    expect(parseSpec('sandbox', netForm.toRaw({ name: 'net-1', labels: '' }))).not.toHaveProperty('labels');
  });

  it('GIVEN a bucket form THEN public access is one of its options, opens chosen for a public bucket, and a refusal points at Options', () => {
    for (const p of PROVIDERS) {
      const options = resourceForm('storage_bucket', ctx(p)).fields.find((f) => f.id === 'options');
      expect(options?.kind === 'select' && options.options.map((o) => o.value), p).toContain('public');
      expect(options?.kind === 'select' && options.maxValues, p).toBe(options?.kind === 'select' ? options.options.length : 0);
    }
    const bucket = resourceForm('storage_bucket', ctx('gcp'));
    expect(parseSpec('gcp', bucket.toRaw({ name: 'site', options: ['public'] }))).toMatchObject({ public_access: true, versioning: false });
    expect(parseSpec('gcp', bucket.toRaw({ name: 'site', options: ['versioning'] }))).not.toHaveProperty('public_access');
    expect(specValues(parseSpec('gcp', { type: 'storage_bucket', name: 'site', public_access: true }))).toMatchObject({ options: ['public'] });
    expect(inputLabel(bucket.fields, 'public_access')).toBe('Options');
    expect(inputLabel(resourceForm('vpc_network', ctx('gcp')).fields, 'labels')).toBe('Labels (key=value, comma separated)');
  });

  it('GIVEN typed values kept for a retry THEN only the form\'s own inputs are kept, texts cut to what each holds and choices to those offered', () => {
    const form = resourceForm('compute_vm', ctx('sandbox'));
    const kept = withinForm({ name: 'n'.repeat(500), disk: 'huge, ssd', machine_type: ['large', 'forged', 'medium'], smuggled: 'x' }, form.fields);
    expect(kept).toEqual({ name: 'n'.repeat(63), disk: 'huge, ssd', machine_type: ['large'] });
    expect(inputLabel(form.fields, 'disk_size_gb')).toBe('Disk: size GB, type');
    expect(inputLabel(form.fields, 'machine_type')).toBe('Machine type');
    expect(inputLabel(form.fields, 'zone')).toBeUndefined();
  });
});
