import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdentity } from '../../../src/core/identity.js';
import type { Provider, ResourceSpec } from '../../../src/domain/resources.js';
import { PROVIDERS } from '../../../src/domain/resources.js';
import { lifecycleActions } from '../../../src/terraform/generate/aws/data.js';
import { pgStorageMb } from '../../../src/terraform/generate/azure/data.js';
import { machineType } from '../../../src/terraform/generate/gcp/compute.js';
import { generateConfiguration } from '../../../src/terraform/generate/index.js';
import { block, renderFile } from '../../../src/terraform/generate/hcl.js';
import { storageAccountName } from '../../../src/terraform/generate/naming.js';
import { AZURE_ZONELESS, FIXTURES, PROJECT_LABELLED, PROJECT_LABELS } from './fixtures.js';
import { terraform } from './terraform.js';

const gen = (provider: Provider, specs: ResourceSpec[]) => generateConfiguration(provider, specs, { project: 'demo-shop' });
const main = (provider: Provider, specs: ResourceSpec[]) => gen(provider, specs).files['main.tf']!;
const headers = (text: string) => text.split('\n').filter((l) => /^(resource|data) /.test(l));
const vm = (p: Provider) => FIXTURES[p].compute_vm[0] as Extract<ResourceSpec, { type: 'compute_vm' }>;
const vpc = (p: Provider) => FIXTURES[p].vpc_network[0]!;

describe('generateConfiguration', () => {
  it('GIVEN each provider THEN names the providers init must install', () => {
    const sources = Object.fromEntries(PROVIDERS.map((p) => [p, gen(p, []).providerSources]));
    expect(sources).toEqual({ gcp: ['hashicorp/google'], aws: ['hashicorp/aws'], azure: ['hashicorp/azurerm'], sandbox: [] });
  });

  it('GIVEN a project id outside ^[a-z][a-z0-9-]{2,39}$ THEN throws before writing anything', () => {
    for (const project of ['ab', 'Demo', 'demo_shop', 'x'.repeat(41), 'demo"}']) {
      expect(() => generateConfiguration('sandbox', [], { project })).toThrow(/invalid project id/);
    }
  });

  it('GIVEN specs in any order THEN resources follow type order, then input order, and the bytes are stable', () => {
    const specs = FIXTURES.sandbox.combined;
    const out = main('sandbox', specs);
    expect(headers(out)).toEqual([
      'resource "terraform_data" "core" {', 'resource "terraform_data" "allow-ssh" {', 'resource "terraform_data" "egress-all" {',
      'resource "terraform_data" "web" {', 'resource "terraform_data" "orders" {', 'resource "terraform_data" "assets" {',
    ]);
    for (const p of PROVIDERS) expect(gen(p, FIXTURES[p].combined)).toEqual(gen(p, structuredClone(FIXTURES[p].combined)));
  });

  it('GIVEN any provider THEN no credential, password or secret is written, only environment-supplied settings', () => {
    for (const p of PROVIDERS) {
      const all = Object.values(gen(p, Object.values(FIXTURES[p]).flat().filter((s, i, a) => a.findIndex((o) => o.name === s.name) === i)).files).join('\n');
      expect(all).not.toMatch(/credentials|access_key|secret_key|client_secret|subscription_id|google_sql_user|random_password/);
      expect(all).not.toMatch(/^\s*(password|administrator_password|root_password) =/m);
    }
    expect(main('aws', FIXTURES.aws.database)).toContain('manage_master_user_password         = true');
    expect(main('azure', FIXTURES.azure.database)).toContain('administrator_password_wo         = var.mysql_admin_password');
  });
});

describe('labels and public buckets', () => {
  const plain = (p: Provider) => FIXTURES[p].labelled.map(({ labels: _l, ...s }) => s as ResourceSpec);

  it('GIVEN labels {} or no labels THEN every provider writes the same bytes as before labels existed', () => {
    for (const p of PROVIDERS) expect(gen(p, plain(p).map((s) => ({ ...s, labels: {} }))), p).toEqual(gen(p, plain(p)));
  });

  it('GIVEN labels THEN they land only on what each cloud labels: never a GCP network, subnetwork or firewall, nor an Azure subnet or security group', () => {
    const labelled = (p: Provider) => main(p, FIXTURES[p].labelled).split(/\n(?=resource |data )/).filter((b) => b.includes('environment')).map((b) => b.split('\n')[0]);
    expect(labelled('gcp')).toEqual(['resource "google_compute_instance" "web" {', 'resource "google_sql_database_instance" "orders" {', 'resource "google_storage_bucket" "assets" {']);
    expect(labelled('azure')).toEqual([
      'resource "azurerm_virtual_network" "core" {', 'resource "azurerm_network_interface" "web" {', 'resource "azurerm_linux_virtual_machine" "web" {',
      'resource "azurerm_postgresql_flexible_server" "orders" {', 'resource "azurerm_storage_account" "assets" {',
    ]);
    // The shared security group holds other rules too: only each rule's own resources take its labels.
    expect(labelled('aws').filter((h) => h!.includes('security_group'))).toEqual(
      [0, 1, 2, 3].map((i) => `resource "aws_vpc_security_group_ingress_rule" "allow-ssh_${i}" {`),
    );
  });

  it('GIVEN a private bucket THEN nothing grants the public anything; made public, each cloud opens reads and only reads', () => {
    for (const p of ['gcp', 'aws', 'azure'] as const) {
      expect(main(p, FIXTURES[p].storage_bucket), p).not.toMatch(/allUsers|aws_s3_bucket_policy|= "blob"|= "inherited"/);
    }
    expect(main('gcp', FIXTURES.gcp.public_bucket)).toMatch(/public_access_prevention    = "inherited"[\s\S]*role   = "roles\/storage.objectViewer"\n  member = "allUsers"/);
    expect(main('aws', FIXTURES.aws.public_bucket)).toMatch(/block_public_policy     = false[\s\S]*actions   = \["s3:GetObject"\]\n    resources = \["arn:aws:s3:::assets\/\*"\][\s\S]*depends_on = \[aws_s3_bucket_public_access_block.assets\]/);
    expect(main('azure', FIXTURES.azure.public_bucket)).toMatch(/allow_nested_items_to_be_public = true[\s\S]*container_access_type = "blob"/);
  });
});

describe('project labels', () => {
  const withLabels = (p: Provider, specs: ResourceSpec[], labels?: Record<string, string>) =>
    generateConfiguration(p, specs, { project: 'demo-shop', ...(labels ? { labels } : {}) }).files;

  it('GIVEN a project without labels (none given, or {}) THEN every provider writes every fixture byte for byte as before', () => {
    for (const p of PROVIDERS) {
      for (const [name, specs] of Object.entries(FIXTURES[p])) {
        expect(withLabels(p, specs, {}), `${p} ${name}`).toEqual(gen(p, specs).files);
        expect(generateConfiguration(p, specs, { project: 'demo-shop', labels: undefined }).files, `${p} ${name}`).toEqual(gen(p, specs).files);
      }
    }
  });

  it('GIVEN project labels THEN GCP and AWS carry them as provider defaults, and each resource writes only its own labels (which win over a default)', () => {
    const gcp = withLabels('gcp', PROJECT_LABELLED.gcp, PROJECT_LABELS);
    expect(gcp['providers.tf']).toMatch(/default_labels = \{\n +managed_by += "cloud-engine"\n +cloud_engine_project = "demo-shop"\n +environment += "prod"\n +owner += "web"\n +\}/);
    expect(gcp['main.tf']).toMatch(/resource "google_compute_instance" "web" \{[^]*?labels = \{\n +owner = "alice"\n +tier += "frontend"\n +\}/);
    expect(gcp['main.tf']).toMatch(/resource "google_storage_bucket" "assets" \{(?:(?!labels)[^])*?\n\}/);
    const aws = withLabels('aws', PROJECT_LABELLED.aws, PROJECT_LABELS);
    expect(aws['providers.tf']).toMatch(/tags = \{\n +ManagedBy += "cloud-engine"\n +CloudEngineProject = "demo-shop"\n +environment += "prod"\n +owner += "web"\n +\}/);
    expect(aws['main.tf']).toMatch(/resource "aws_instance" "web" \{[^]*?tags = \{\n +Name += "web"\n +owner = "alice"\n +tier += "frontend"\n +\}/);
    expect(aws['main.tf']).not.toContain('environment');
  });

  it('GIVEN project labels THEN Cloud SQL, which no provider default reaches, and every Azure resource that takes tags carry them merged, the spec’s own value winning', () => {
    expect(withLabels('gcp', PROJECT_LABELLED.gcp, PROJECT_LABELS)['main.tf']).toMatch(/user_labels = \{\n +environment = "prod"\n +owner += "web"\n +\}/);
    const azure = withLabels('azure', PROJECT_LABELLED.azure, PROJECT_LABELS)['main.tf']!;
    const tagged = azure.split(/\n(?=resource |data )/).filter((b) => b.includes('tags = {'));
    expect(tagged.map((b) => b.split('\n')[0])).toEqual([
      'resource "azurerm_resource_group" "main" {', 'resource "azurerm_virtual_network" "core" {', 'resource "azurerm_network_interface" "web" {',
      'resource "azurerm_linux_virtual_machine" "web" {', 'resource "azurerm_postgresql_flexible_server" "orders" {', 'resource "azurerm_storage_account" "assets" {',
    ]);
    for (const b of tagged) expect(b).toMatch(/environment += "prod"/);
    expect(tagged.filter((b) => /owner += "alice"/.test(b)).map((b) => b.split('\n')[0])).toEqual(['resource "azurerm_network_interface" "web" {', 'resource "azurerm_linux_virtual_machine" "web" {']);
    expect(tagged.filter((b) => /owner += "web"/.test(b))).toHaveLength(4);
  });

  it('GIVEN project labels on the sandbox THEN each resource’s input carries them merged with its own, its own value winning', () => {
    const main = withLabels('sandbox', PROJECT_LABELLED.sandbox, PROJECT_LABELS)['main.tf']!;
    const labelsOf = (name: string) => /labels = \{([^}]*)\}/.exec(main.slice(main.indexOf(`"terraform_data" "${name}"`)))![1]!.replace(/\s+/g, ' ').trim();
    expect(labelsOf('web')).toBe('environment = "prod" owner = "alice" tier = "frontend"');
    for (const name of ['assets', 'allow-ssh', 'core', 'orders', 'egress-all']) expect(labelsOf(name), name).toBe('environment = "prod" owner = "web"');
  });
});

describe('compute placement', () => {
  it('GIVEN Azure westus, which has no availability zones THEN no VM or server names a zone and HA keeps the standby in the same zone', () => {
    const zoneless = main('azure', AZURE_ZONELESS);
    expect(zoneless).toContain('resource "azurerm_linux_virtual_machine" "web"');
    expect(zoneless).not.toMatch(/^\s*zone\s*=/m);
    expect(zoneless).toMatch(/high_availability \{\s*mode = "SameZone"\s*\}/);
    expect(zoneless).not.toContain('ZoneRedundant');
    expect(zoneless).not.toContain('ignore_changes = [zone');
    const zoned = main('azure', FIXTURES.azure.combined.concat(FIXTURES.azure.database[1]!));
    expect(zoned).toMatch(/^\s*zone\s*= "1"$/m);
    expect(zoned).toContain('mode = "ZoneRedundant"');
  });

  it('GIVEN a VPC with subnets in the VM region THEN the VM joins its first subnet, else the default network', () => {
    expect(main('gcp', [vpc('gcp'), vm('gcp')])).toContain('subnetwork = google_compute_subnetwork.core_app.id');
    expect(main('gcp', [vm('gcp')])).toContain('network = "default"');
    expect(main('aws', [vpc('aws'), vm('aws')])).toMatch(/subnet_id += aws_subnet.core_app.id/);
    expect(main('aws', [vm('aws')])).toContain('availability_zone = "us-east-1a"');
    expect(main('azure', [vpc('azure'), vm('azure')])).toContain('subnet_id                     = azurerm_subnet.core_app.id');
    expect(main('azure', [vm('azure')])).toContain('subnet_id                     = azurerm_subnet.default_eastus.id');
  });

  it('GIVEN firewall rules on a network THEN AWS VMs on it join that security group', () => {
    const out = main('aws', [vpc('aws'), FIXTURES.aws.combined[2]!, vm('aws')]);
    expect(out).toContain('vpc_security_group_ids = [aws_security_group.core.id]');
    expect(main('aws', [vm('aws')])).not.toContain('vpc_security_group_ids');
  });

  it('GIVEN GCP custom shapes THEN writes <family>-custom-<cpu>-<MiB>, and N1 without the family', () => {
    const custom = (machine_type: string) => ({ ...vm('gcp'), machine_type, cpu: 2, memory_gb: 7.5 });
    expect(machineType(custom('n2-custom'))).toBe('n2-custom-2-7680');
    expect(machineType(custom('e2-custom'))).toBe('e2-custom-2-7680');
    expect(machineType(custom('n1-custom'))).toBe('custom-2-7680');
    expect(machineType(vm('gcp'))).toBe('e2-medium');
  });

  it('GIVEN a Graviton instance type THEN looks up an arm64 image', () => {
    const out = main('aws', [{ ...vm('aws'), machine_type: 't4g.small' }]);
    expect(out).toContain('data "aws_ami" "ubuntu-24-04_arm64_us-east-1"');
    expect(out).toContain('ubuntu-noble-24.04-arm64-server-*');
    expect(main('aws', [{ ...vm('aws'), image: 'ami-0abcdef1234567890' }])).toContain('ami               = "ami-0abcdef1234567890"');
  });
});

describe('storage and databases', () => {
  const bucket = (storage_class: string, lifecycle_days: number | null) =>
    ({ ...FIXTURES.aws.storage_bucket[0]!, storage_class, lifecycle_days }) as Extract<ResourceSpec, { type: 'storage_bucket' }>;
  const steps = (storage_class: string, days: number | null) =>
    renderFile([block('rule', [], lifecycleActions(bucket(storage_class, days)))]).match(/(days|storage_class) += \S+/g);

  it('GIVEN S3 storage classes THEN transitions to the class, then one colder, within S3 minimum gaps', () => {
    expect(steps('STANDARD', null)).toBeNull();
    expect(steps('STANDARD', 10)).toEqual(['days          = 30', 'storage_class = "STANDARD_IA"']);
    expect(steps('STANDARD_IA', 10)).toEqual(['days          = 30', 'storage_class = "STANDARD_IA"', 'days          = 60', 'storage_class = "GLACIER_IR"']);
    expect(steps('GLACIER', 90)).toEqual(['days          = 0', 'storage_class = "GLACIER"', 'days          = 90', 'storage_class = "DEEP_ARCHIVE"']);
    expect(steps('DEEP_ARCHIVE', 365)).toEqual(['days          = 0', 'storage_class = "DEEP_ARCHIVE"', 'days = 365']);
  });

  it('GIVEN a storage class outside the catalog THEN refuses rather than guess a lifecycle', () => {
    for (const p of ['gcp', 'aws', 'azure'] as const) {
      expect(() => gen(p, [{ ...FIXTURES[p].storage_bucket[0]!, storage_class: 'GLACIAL' } as ResourceSpec])).toThrow(/not in the .* catalog/);
    }
  });

  it('GIVEN Azure buckets THEN storage account names are 3-24 lowercase alphanumerics, stable and distinct per project', () => {
    const name = storageAccountName('demo-shop', 'very-long-bucket-name-for-logs');
    expect(name).toMatch(/^[a-z0-9]{3,24}$/);
    expect(name).toBe(storageAccountName('demo-shop', 'very-long-bucket-name-for-logs'));
    expect(name).not.toBe(storageAccountName('other-shop', 'very-long-bucket-name-for-logs'));
  });

  it('GIVEN Azure PostgreSQL storage THEN rounds up to the next size the service accepts', () => {
    expect([pgStorageMb(32), pgStorageMb(33), pgStorageMb(100), pgStorageMb(16384)]).toEqual([32768, 65536, 131072, 16777216]);
  });

  it('GIVEN an Azure MySQL server THEN requires Terraform 1.11 for its write-only password, and 1.5 otherwise', () => {
    expect(gen('azure', FIXTURES.azure.database).files['versions.tf']).toContain('required_version = ">= 1.11"');
    expect(gen('azure', FIXTURES.azure.storage_bucket).files['versions.tf']).toContain('required_version = ">= 1.5"');
    expect(gen('azure', FIXTURES.azure.database).files['variables.tf']).toContain('ephemeral   = true');
  });
});

describe('the identity a project deploys as', () => {
  const identities = {
    aws: parseIdentity({ provider: 'aws', role_arn: 'arn:aws:iam::123456789012:role/team-a' }),
    gcp: parseIdentity({ provider: 'gcp', service_account: 'deployer@my-project-1.iam.gserviceaccount.com' }),
    azure: parseIdentity({ provider: 'azure', client_id: '11111111-2222-3333-4444-555555555555', tenant_id: '66666666-7777-8888-9999-000000000000', subscription_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' }),
  };
  const SESSION = '6f1c2a9e-3b7d-4e8f-9a0b-1c2d3e4f5a6b';

  it('GIVEN an identity THEN its provider block assumes the role, impersonates the account or names the app — fmt-clean — and without one the block is as before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-identity-gen-'));
    try {
      for (const p of ['aws', 'gcp', 'azure'] as const) {
        const withIdentity = generateConfiguration(p, [vm(p)], { project: 'demo-shop', sessionId: SESSION, identity: identities[p], awsExternalId: 'cloud-engine:111:demo-shop' }).files['providers.tf']!;
        const without = gen(p, [vm(p)]).files['providers.tf']!;
        expect(without).not.toMatch(/assume_role|impersonate_service_account|client_id/);
        writeFileSync(join(dir, `${p}.tf`), withIdentity);
        if (p === 'aws') expect(withIdentity).toMatch(/assume_role \{\n\s+role_arn\s+= "arn:aws:iam::123456789012:role\/team-a"\n\s+session_name = "cloud-engine-6f1c2a9e-3b7d-4e8f-9a0b-1c2d3e4f5a6b"\n\s+external_id\s+= "cloud-engine:111:demo-shop"\n\s+\}/);
        if (p === 'gcp') expect(withIdentity).toMatch(/impersonate_service_account = "deployer@my-project-1\.iam\.gserviceaccount\.com"/);
        if (p === 'azure') expect(withIdentity).toMatch(/client_id\s+= "11111111-2222-3333-4444-555555555555"\n\s+tenant_id\s+= "66666666-7777-8888-9999-000000000000"\n\s+subscription_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"/);
        // Another cloud's identity is never written into this one's block.
        const other = generateConfiguration(p, [vm(p)], { project: 'demo-shop', identity: identities[p === 'aws' ? 'gcp' : 'aws'] }).files['providers.tf'];
        expect(other).toBe(without);
      }
      expect(terraform(dir, ['fmt', '-check', '-no-color']).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
