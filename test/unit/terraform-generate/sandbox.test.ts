import { afterEach, describe, expect, it } from 'vitest';
import { generateConfiguration } from '../../../src/terraform/generate/index.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import { actions, planJson, removeDir, tf, writeDir } from './terraform.js';

const vm = (over: object = {}): ResourceSpec => ({
  type: 'compute_vm', name: 'web', region: 'local', zone: 'local-a', machine_type: 'small',
  disk_size_gb: 10, disk_type: 'standard', image: 'debian-12', ...over,
}) as ResourceSpec;
const bucket: ResourceSpec = {
  type: 'storage_bucket', name: 'assets', region: 'local', storage_class: 'standard', versioning: true, lifecycle_days: null, storage_gb: 5,
};
const net: ResourceSpec = {
  type: 'vpc_network', name: 'net', region: 'local', cidr: '10.0.0.0/16', subnets: [{ name: 'a', cidr: '10.0.1.0/24' }], dns_enabled: true,
};

const db = (engine: 'postgres' | 'mysql', version: string): ResourceSpec => ({
  type: 'database', name: 'orders', region: 'local', engine, version, tier: 'small', storage_gb: 20, backups_enabled: true, high_availability: false,
});

const gen = (specs: ResourceSpec[]) => generateConfiguration('sandbox', specs, { project: 'demo' });
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

describe('sandbox generation', () => {
  it('GIVEN sandbox specs THEN needs no provider and writes one terraform_data per spec with the spec as input', () => {
    const out = gen([vm(), bucket]);
    expect(out.providerSources).toEqual([]);
    expect(Object.keys(out.files).sort()).toEqual(['main.tf', 'outputs.tf', 'versions.tf']);
    expect(out.files['main.tf']!.match(/^resource "terraform_data" /gm)).toHaveLength(2);
    expect(out.files['versions.tf']).not.toContain('required_providers');
    expect(out.files['outputs.tf']).toContain('web    = terraform_data.web.id');
  });

  it('GIVEN the same specs in a different field order THEN the bytes are identical', () => {
    const reordered = Object.fromEntries(Object.entries(vm()).reverse()) as ResourceSpec;
    expect(gen([vm(), bucket])).toEqual(gen([bucket, reordered]));
  });

  it('GIVEN boot_seconds THEN adds a local-exec sleep, and rejects anything but a non-negative integer', () => {
    expect(gen([vm({ boot_seconds: 3 })]).files['main.tf']).toContain('provisioner "local-exec" {\n    command = "sleep 3"\n  }');
    expect(gen([vm({ boot_seconds: 0 })]).files['main.tf']).not.toContain('provisioner');
    expect(gen([vm()]).files['main.tf']).not.toContain('provisioner');
    for (const bad of [1.5, -1, '3; touch /tmp/pwned', Number.NaN]) expect(() => gen([vm({ boot_seconds: bad })])).toThrow(/boot_seconds/);
  });

  it('GIVEN real terraform THEN creates, updates a changed field in place, and destroys a removed spec', () => {
    const dir = writeDir(gen([vm({ boot_seconds: 1 }), bucket, net]).files);
    dirs.push(dir);
    tf(dir, 'init', '-input=false', '-no-color');
    const created = planJson(dir);
    expect(actions(created)).toEqual({ 'terraform_data.net': 'create', 'terraform_data.web': 'create', 'terraform_data.assets': 'create' });
    const started = Date.now();
    tf(dir, 'apply', '-input=false', '-no-color', 'plan.tfplan');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(tf(dir, 'output', '-json', 'resource_ids'))).toHaveProperty('web');

    writeDir(gen([vm({ boot_seconds: 1, disk_size_gb: 20 }), net]).files, dir);
    const changed = planJson(dir);
    expect(actions(changed)).toEqual({ 'terraform_data.web': 'update', 'terraform_data.assets': 'delete' });
    expect(changed.resource_changes!.find((c) => c.address === 'terraform_data.web')!.change.after!.input).toMatchObject({ disk_size_gb: 20 });
  });

  it('GIVEN labels and public access added to applied specs THEN real terraform updates them in place with the fields in input; as they were, nothing changes', () => {
    const dir = writeDir(gen([vm(), bucket]).files);
    dirs.push(dir);
    tf(dir, 'init', '-input=false', '-no-color');
    tf(dir, 'apply', '-input=false', '-no-color', '-auto-approve');
    writeDir(gen([vm({ labels: {} }), bucket]).files, dir);
    expect(actions(planJson(dir))).toEqual({});
    writeDir(gen([vm({ labels: { environment: 'dev', owner: 'alice' } }), { ...bucket, public_access: true } as ResourceSpec]).files, dir);
    const changed = planJson(dir);
    expect(actions(changed)).toEqual({ 'terraform_data.web': 'update', 'terraform_data.assets': 'update' });
    const after = (address: string) => changed.resource_changes!.find((c) => c.address === address)!.change.after!.input;
    expect(after('terraform_data.web')).toMatchObject({ labels: { environment: 'dev', owner: 'alice' } });
    expect(after('terraform_data.assets')).toMatchObject({ public_access: true });
  });

  it('GIVEN a database whose engine changes THEN real terraform replaces it, its stand-in password changes and is shown nowhere; a version change is in place', () => {
    const dir = writeDir(gen([db('postgres', '16')]).files);
    dirs.push(dir);
    const passwords = ['postgres', 'mysql'].map((e) => /sensitive\("(sandbox-[0-9a-f]{16})"\)/.exec(gen([db(e as 'mysql', '8.0')]).files['main.tf']!)![1]!);
    expect(new Set(passwords).size).toBe(2);
    tf(dir, 'init', '-input=false', '-no-color');
    tf(dir, 'apply', '-input=false', '-no-color', '-auto-approve');
    writeDir(gen([db('postgres', '17')]).files, dir);
    expect(actions(planJson(dir))).toEqual({ 'terraform_data.orders': 'update' });
    writeDir(gen([db('mysql', '8.0')]).files, dir);
    expect(actions(planJson(dir))).toEqual({ 'terraform_data.orders': 'delete,create' });
    const text = tf(dir, 'show', '-no-color', 'plan.tfplan');
    expect(text).toContain('admin_password = (sensitive value)');
    for (const p of passwords) expect(text).not.toContain(p);
  });
});
