/**
 * Every resource type on every provider, added through the lobby in a region that is not the
 * provider's default: `node bin/bot.js` against the Discord emulator, which refuses every payload
 * real Discord would refuse (duplicate option values, too many defaults, …). Region, then zone (VMs)
 * or direction (firewall rules), are steps before the modal; what lands in the store is what was picked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessionResources } from '../../src/db/sessions.js';
import { resourceForm } from '../../src/discord/modals/forms.js';
import { CATALOGS } from '../../src/resources/index.js';
import { RESOURCE_TYPES, type Provider, type ResourceType } from '../../src/domain/resources.js';
import { Permission, type ModalFields } from '../emulator/index.js';
import { readDb } from './helpers/db.js';
import { contentOf, type Driver, type Place } from './helpers/driver.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

let world: BotWorld;
let d: Driver;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Worldwide', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }],
  }, 'deploys');
  d = world.d;
});

afterAll(async () => expect(await world?.stop()).toBe(0));

/** A region that is not the default, and a zone of it that is not its first. */
const PLACES: Record<Provider, { region: string; zone: string }> = {
  gcp: { region: 'europe-west1', zone: 'europe-west1-c' },
  aws: { region: 'eu-west-1', zone: 'eu-west-1b' },
  azure: { region: 'westeurope', zone: '2' },
  sandbox: { region: 'local', zone: 'local-b' },
};

/** Answers for a type's modal on a provider, shaped as the modal asks (select or text). */
function answers(provider: Provider, type: ResourceType): ModalFields {
  const c = CATALOGS[provider];
  const wanted: Record<string, string | string[]> = {
    name: `${type.replace('_', '-')}-${provider}`, machine_type: c.defaultMachineType, disk: '30', image: '', shape: '', boot_seconds: '',
    engine: `postgres:${c.dbVersions.postgres.at(-1)}`, tier: c.defaultDbTier, storage_gb: type === 'database' ? String(Math.max(20, c.dbStorageGb.min)) : '10', options: type === 'database' ? ['backups'] : provider === 'azure' ? ['grs'] : [],
    cidr: '10.20.0.0/16', subnets: 'app=10.20.1.0/24', dns: 'enabled', storage_class: c.defaultStorageClass, lifecycle_days: '',
    protocol_ports: 'tcp 443', source_ranges: '10.0.0.0/8', network: `vpc-network-${provider}`, priority: '900', labels: 'team=platform',
  };
  const form = resourceForm(type, { provider, region: PLACES[provider].region, networks: [`vpc-network-${provider}`] });
  return Object.fromEntries(form.fields.map((f) => {
    const v = wanted[f.id]!;
    return [f.id, f.kind === 'select' ? (Array.isArray(v) ? v : [v]) : String(v)];
  }));
}

describe('adding every type on every provider, away from the default region', () => {
  for (const provider of ['gcp', 'aws', 'azure', 'sandbox'] as const) {
    it(`GIVEN a ${provider} project THEN a VM (in a later zone), a database, a network, a bucket and an outbound firewall rule are added in ${PLACES[provider].region}`, async () => {
      expect(await d.command('alice', 'cloud-create-project', { project_id: `world-${provider}`, budget_limit: 100000, provider })).toContain('created');
      const lobby = await d.openLobby('alice', `world-${provider}`);
      const order: ResourceType[] = ['vpc_network', ...RESOURCE_TYPES.filter((t) => t !== 'vpc_network')];
      for (const type of order) {
        const place: Place = { region: PLACES[provider].region, zone: PLACES[provider].zone, direction: 'egress' };
        const reply = await d.addResource('alice', lobby, type, answers(provider, type), place);
        expect(contentOf(reply), `${provider} ${type}`).toMatch(/^✅/);
      }
      const db = readDb(world.dirs.env.DATABASE_PATH!);
      try {
        const specs = (await listSessionResources(db.sql, lobby.sessionId));
        expect(specs.map((s) => s.type).sort()).toEqual([...RESOURCE_TYPES].sort());
        for (const spec of specs) expect(spec.region, `${provider} ${spec.type}`).toBe(PLACES[provider].region);
        expect(specs.find((s) => s.type === 'compute_vm')).toMatchObject({ zone: PLACES[provider].zone });
        expect(specs.find((s) => s.type === 'firewall_rule')).toMatchObject({ direction: 'egress', priority: 900, protocol: 'tcp', ports: ['443'], network: `vpc-network-${provider}` });
        if (provider === 'azure') expect(specs.find((s) => s.type === 'storage_bucket')).toMatchObject({ replication: 'GRS' });
        expect(specs.find((s) => s.type === 'vpc_network'), provider).toMatchObject({ labels: { team: 'platform' } });
      } finally {
        db.close();
      }
      await d.lobbyUntil(lobby, (t) => t.includes('Resources (5)'));
    });
  }
});

describe('regions around the world (the catalog follows pricing/<provider>.json)', () => {
  it('GIVEN an AWS lobby THEN a VM goes to Singapore in its second zone and a bucket to São Paulo; t3a in Stockholm, which AWS does not sell there, is refused naming the regions that have it', async () => {
    const lobby = await d.openLobby('alice', 'world-aws');
    const vm = (name: string, machine_type: string) => ({ ...answers('aws', 'compute_vm'), name, machine_type });
    expect(contentOf(await d.addResource('alice', lobby, 'compute_vm', vm('web-sg', 't3.small'), { region: 'ap-southeast-1', zone: 'ap-southeast-1b' }))).toMatch(/^✅/);
    expect(contentOf(await d.addResource('alice', lobby, 'storage_bucket', { ...answers('aws', 'storage_bucket'), name: 'assets-br' }, { region: 'sa-east-1' }))).toMatch(/^✅/);
    const refused = contentOf(await d.addResource('alice', lobby, 'compute_vm', vm('web-se', 't3a.medium'), { region: 'eu-north-1' }));
    expect(refused).toMatch(/^❌/);
    expect(refused).toMatch(/machine_type t3a\.medium is not sold in AWS region eu-north-1; regions that have it: us-east-1, .*ap-southeast-1/);
    const db = readDb(world.dirs.env.DATABASE_PATH!);
    try {
      const specs = await listSessionResources(db.sql, lobby.sessionId);
      expect(specs.find((s) => s.name === 'web-sg')).toMatchObject({ region: 'ap-southeast-1', zone: 'ap-southeast-1b', machine_type: 't3.small' });
      expect(specs.find((s) => s.name === 'assets-br')).toMatchObject({ region: 'sa-east-1' });
      expect(specs.find((s) => s.name === 'web-se')).toBeUndefined();
    } finally {
      db.close();
    }
  });
});

describe('Azure regions without availability zones', () => {
  it('GIVEN an Azure lobby THEN a VM in westus, which has no zones, goes from the region straight to the modal and is stored zone-less, while westus3 still asks for a zone', async () => {
    const lobby = await d.openLobby('alice', 'world-azure');
    const vm = (name: string): ModalFields => ({ ...answers('azure', 'compute_vm'), name });
    const menu = await d.openForm('alice', lobby, 'compute_vm', { region: 'westus' });
    expect(menu.modalId).toMatch(/\.westus$/);
    expect(contentOf(await world.emulator.submitModal(d.user('alice'), menu.handle, menu.modalId, vm('web-ca')).response(5_000))).toMatch(/^✅/);
    expect(contentOf(await d.addResource('alice', lobby, 'compute_vm', vm('web-az'), { region: 'westus3', zone: '2' }))).toMatch(/^✅/);
    // Edit → Keep where it is: the zone-less placement travels and reads back.
    const edit = await d.openEditForm('alice', lobby, 'web-ca', 'compute_vm', 'keep');
    expect(contentOf(await world.emulator.submitModal(d.user('alice'), edit.handle, edit.modalId, { ...vm('web-ca'), machine_type: Array.isArray(vm('web-ca')['machine_type']) ? ['Standard_B2ms'] : 'Standard_B2ms' }).response(5_000))).toMatch(/^✅/);
    const db = readDb(world.dirs.env.DATABASE_PATH!);
    try {
      const specs = await listSessionResources(db.sql, lobby.sessionId);
      expect(specs.find((s) => s.name === 'web-ca')).toMatchObject({ region: 'westus', zone: 'westus', machine_type: 'Standard_B2ms' });
      expect(specs.find((s) => s.name === 'web-az')).toMatchObject({ region: 'westus3', zone: '2' });
    } finally {
      db.close();
    }
  });
});

describe('who a lobby deploys as', () => {
  it('GIVEN /cloud-credentials with an AWS role THEN the reply and every new lobby say so, with the external id its trust policy must require; a malformed app id is refused naming the field', async () => {
    const role = 'arn:aws:iam::123456789012:role/world-aws-deployer';
    expect(await d.command('alice', 'cloud-credentials', { project: 'world-gcp' })).toMatch(/world-gcp\*\* deploys as: ⚠️ no identity set/);
    const shown = `AWS role \`${role}\` (external id \`cloud-engine:${d.guildId}:world-aws\`)`;
    expect(await d.command('alice', 'cloud-credentials', { project: 'world-aws', aws_role_arn: role })).toBe(`🔑 **world-aws** deploys as: ${shown}`);
    const lobby = await d.openLobby('alice', 'world-aws');
    expect(d.lobbyText(lobby)).toContain(`🔑 Deploys as\n${shown}`);
    expect(await d.command('alice', 'cloud-credentials', {
      project: 'world-azure', azure_client_id: 'not-a-guid', azure_tenant_id: '66666666-7777-8888-9999-000000000000', azure_subscription_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    })).toMatch(/^❌ client_id: must be the application \(client\) id \(a GUID\)/);
  });
});
