import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import { listSessionResources, setDeployedResources } from '../../src/db/sessions.js';
import { parseSpec } from '../../src/resources/validate.js';
import { exportCsv, exportProject, parseResourceFile } from '../../src/sheets/index.js';
import { admin, dev, sandboxProject, stranger, testApp, type TestApp, dbOf, keyOf, sqlOf } from '../helpers/app.js';
import { fillTemplate, template, zip, type Rows } from '../unit/sheets/helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());

const importFile = async (buffer: Buffer, name = 'resources.xlsx', actor = dev) =>
  t.app.orchestrator.importSession(actor, 'shop', await parseResourceFile(buffer, name), 'chan-1');

/** Everything an import could write; a refused import must leave all of it as it was. */
const footprint = () => ({
  sessions: dbOf(t.app).prepare('SELECT COUNT(*) FROM sessions').pluck().get(),
  resources: dbOf(t.app).prepare('SELECT COUNT(*) FROM session_resources').pluck().get(),
  audit: dbOf(t.app).prepare('SELECT COUNT(*) FROM audit_logs').pluck().get(),
});

/** 50 rows over every sheet: 20 VMs, 10 databases, 5 networks, 10 buckets, 5 firewall rules on those networks. */
const fifty: Rows = {
  'Virtual Machine': Array.from({ length: 20 }, (_, i) => ({ name: `vm-${i}`, machine_type: ['small', 'medium', 'large'][i % 3]!, disk_size_gb: 20 + i })),
  Database: Array.from({ length: 10 }, (_, i) => ({ name: `db-${i}`, engine: i % 2 ? 'mysql' : 'postgres', tier: 'medium', storage_gb: 50, high_availability: i % 2 === 0 })),
  'VPC Network': Array.from({ length: 5 }, (_, i) => ({ name: `net-${i}`, cidr: `10.${i}.0.0/16`, subnets: `app:10.${i}.1.0/24` })),
  'Storage Bucket': Array.from({ length: 10 }, (_, i) => ({ name: `bucket-${i}`, storage_class: i % 2 ? 'cold' : 'standard', storage_gb: 100 * (i + 1) })),
  'Firewall Rule': Array.from({ length: 5 }, (_, i) => ({ name: `fw-${i}`, network: `net-${i}`, ports: '443, 8000-8080', source_ranges: '0.0.0.0/0' })),
};

describe('importing a filled template', () => {
  it('GIVEN 50 rows THEN one DRAFT session holds exactly those 50 resources, costed as estimating them one by one', async () => {
    const { session, specs, estimate } = await importFile(await fillTemplate('sandbox', fifty));
    expect(session).toMatchObject({ state: 'DRAFT', provider: 'sandbox', channelId: 'chan-1', userId: dev.userId });
    const stored = (await listSessionResources(sqlOf(t.app), session.id));
    expect(stored).toHaveLength(50);
    expect(stored).toEqual(specs);
    const cost = t.app.orchestrator.deps.cost;
    const oneByOne = stored.reduce((micros, s) => micros + cost.estimateResource('sandbox', s).monthly, 0);
    expect(estimate.total_monthly).toBe(oneByOne);
    expect(Number.isSafeInteger(oneByOne) && oneByOne > 0).toBe(true);
    expect((await t.app.orchestrator.sessionView(dev, session.id)).totalMonthly).toBe(estimate.total_monthly);
  });

  it('GIVEN an import THEN it is audited once with the count, after the session was created', async () => {
    const { session } = await importFile(await fillTemplate('sandbox', fifty));
    const events = (await queryAudit(sqlOf(t.app), { projectId: keyOf('shop') })).filter((e) => e.sessionId === session.id).reverse();
    expect(events.map((e) => e.eventType)).toEqual(['session_created', 'resources_imported']);
    expect(events[1]).toMatchObject({ userId: dev.userId, details: { count: 50, removed: [] } });
  });

  it('GIVEN a project that already runs resources THEN the file replaces its configuration and the audit names what it drops', async () => {
    (await setDeployedResources(sqlOf(t.app), keyOf('shop'), 'sandbox', [parseSpec('sandbox', { type: 'compute_vm', name: 'old-vm' }), parseSpec('sandbox', { type: 'compute_vm', name: 'vm-0' })]));
    const { session } = await importFile(await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'vm-0', machine_type: 'large' }] }));
    expect((await listSessionResources(sqlOf(t.app), session.id))).toMatchObject([{ name: 'vm-0', machine_type: 'large' }]);
    expect((await queryAudit(sqlOf(t.app), { projectId: keyOf('shop'), eventType: 'resources_imported' }))[0]).toMatchObject({ sessionId: session.id, details: { count: 1, removed: ['old-vm'] } });
  });

  it('GIVEN a CSV THEN it imports like the template', async () => {
    const { session } = await importFile(Buffer.from('type,name,machine_type\r\ncompute_vm,web-1,medium\r\n'), 'resources.csv');
    expect((await listSessionResources(sqlOf(t.app), session.id))).toMatchObject([{ type: 'compute_vm', name: 'web-1', machine_type: 'medium' }]);
  });

  it("GIVEN the CLI's JSON format THEN it imports too, its problems naming resources[i]", async () => {
    const { session } = await importFile(Buffer.from(JSON.stringify([{ type: 'compute_vm', name: 'web-1' }])), 'resources.json');
    expect((await listSessionResources(sqlOf(t.app), session.id))).toMatchObject([{ name: 'web-1' }]);
    await expect(importFile(Buffer.from('[{"type": "compute_vm", "name": "X"}]'), 'resources.json')).rejects.toThrow(`resources[0] (X): name 'X' must be 2-63 characters`);
  });

  it('GIVEN labels and a public bucket as CLI JSON, a CSV and a template THEN each session stores the same specs, and their export imports back identical', async () => {
    const json = [{ type: 'compute_vm', name: 'web-1', labels: { owner: 'alice', environment: 'prod' } }, { type: 'storage_bucket', name: 'site', public_access: true, labels: { owner: 'web' } }];
    const csv = 'type,name,labels,public_access\r\ncompute_vm,web-1,"environment=prod, owner=alice",\r\nstorage_bucket,site,owner=web,TRUE\r\n';
    const xlsx = await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1', labels: 'owner=alice,environment=prod' }], 'Storage Bucket': [{ name: 'site', labels: 'owner=web', public_access: 'yes' }] });
    const stored = async (buffer: Buffer, name: string) => {
      const { session } = await importFile(buffer, name);
      await t.app.orchestrator.cancel(dev, session.id);
      return listSessionResources(sqlOf(t.app), session.id);
    };
    const fromJson = await stored(Buffer.from(JSON.stringify(json)), 'resources.json');
    expect(fromJson).toMatchObject([{ labels: { environment: 'prod', owner: 'alice' } }, { public_access: true, labels: { owner: 'web' } }]);
    expect(await stored(Buffer.from(csv), 'resources.csv')).toEqual(fromJson);
    expect(await stored(xlsx, 'resources.xlsx')).toEqual(fromJson);
    expect(await stored(exportCsv(fromJson, 'sandbox'), 'export.csv')).toEqual(fromJson);
    expect(await stored(await exportProject(fromJson, 'sandbox'), 'export.xlsx')).toEqual(fromJson);
  });

  it('GIVEN a project with nothing deployed and a file for another provider THEN the session uses the file\'s provider', async () => {
    const { session } = await importFile(await fillTemplate('aws', { 'Virtual Machine': [{ name: 'web-1', machine_type: 't3.small' }] }));
    expect(session.provider).toBe('aws');
  });
});

describe('a refused import changes nothing', () => {
  async function refused(make: () => Promise<Buffer> | Buffer, name = 'resources.xlsx', expected: string | RegExp): Promise<void> {
    const before = footprint();
    const error = await importFile(await make(), name).then(() => undefined, (e: unknown) => e);
    expect(error, name).toBeInstanceOf(CoreError);
    expect((error as CoreError).userMessage).toMatch(expected);
    expect(footprint()).toEqual(before);
  }

  const MB = 1024 * 1024;
  const cases: Array<[string, () => Promise<Buffer> | Buffer, string, string | RegExp]> = [
    ['random bytes', () => randomBytes(2048), 'resources.xlsx', 'it is not a zip archive'],
    ['a renamed text file', () => Buffer.from('hello world'), 'notes.xlsx', 'it is not a zip archive'],
    ['a zip that is not a workbook', () => zip([{ name: 'a.txt', data: Buffer.from('a') }]), 'archive.xlsx', 'it is a zip archive but not an Excel workbook'],
    ['an unsupported extension', () => Buffer.from('{}'), 'resources.txt', 'not a resources file'],
    ['JSON that is not an array', () => Buffer.from('{"type": "compute_vm"}'), 'resources.json', 'it must hold a JSON array of resources'],
    ['a file over 5 MB', () => Buffer.alloc(6 * MB), 'big.xlsx', 'at most 5 MB is allowed'],
    ['a zip bomb', () => zip([{ name: 'xl/sharedStrings.xml', data: Buffer.alloc(30 * MB) }]), 'bomb.xlsx', 'possible zip bomb'],
    ['an archive lying about sizes', () => zip([{ name: '[Content_Types].xml', data: Buffer.alloc(10 * MB), declaredSize: 10 }]), 'lie.xlsx', 'does not decompress to its declared size'],
    ['10,000 rows', () => Buffer.from(`type,name\n${Array.from({ length: 10_000 }, (_, i) => `compute_vm,vm-${i}`).join('\n')}`), 'many.csv', 'it has 10,000 filled rows; at most 2,000 resources'],
    ['a formula', () => fillTemplate('sandbox', { 'Virtual Machine': [{ name: { formula: '"web-"&1', result: 'web-1' } }] }), 'resources.xlsx', 'cell A2 holds a formula'],
    ['a date', () => fillTemplate('sandbox', { Database: [{ name: 'db-1', storage_gb: new Date(0) }] }), 'resources.xlsx', 'cell F2 is a date'],
    ['merged cells', () => fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }] }, (wb) => wb.getWorksheet('Virtual Machine')!.mergeCells('A2:B2')), 'resources.xlsx', 'merged cells A2:B2 are not allowed'],
    ['a renamed sheet', () => fillTemplate('sandbox', {}, (wb) => void (wb.getWorksheet('Storage Bucket')!.name = 'Buckets')), 'resources.xlsx', 'Sheet "Buckets" is not part of the template'],
    ['a missing header', () => fillTemplate('sandbox', {}, (wb) => void (wb.getWorksheet('Virtual Machine')!.getCell('B1').value = null)), 'resources.xlsx', 'missing column(s) region'],
    ['a bad value among good ones', () => fillTemplate('sandbox', { ...fifty, Database: [{ name: 'db-1', tier: 'galactic' }] }), 'resources.xlsx', `Sheet "Database", row 2, column tier: tier 'galactic'`],
    ['duplicate names across sheets', () => fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'x-1' }], 'Storage Bucket': [{ name: 'x-1' }] }), 'resources.xlsx', `name 'x-1' is already used by Sheet "Virtual Machine", row 2`],
    ['a type the provider does not have', () => Buffer.from('type,name\nkubernetes_cluster,k-1\n'), 'resources.csv', `Row 2, column type: type 'kubernetes_cluster' is not a resource type`],
    ['an empty template', () => fillTemplate('sandbox', {}), 'resources.xlsx', 'it lists no resources'],
  ];

  it.each(cases)('GIVEN %s THEN a clear error and no session, resources or audit rows', async (_what, make, name, expected) => {
    await refused(make, name, expected);
  });

  it('GIVEN more resources than the project quota THEN the quota is named and nothing is written', async () => {
    await t.app.orchestrator.setQuota(admin, 'shop', { maxResources: 10 });
    await refused(() => fillTemplate('sandbox', fifty), 'resources.xlsx', 'The project allows at most 10 resources; this configuration has 50.');
  });

  it('GIVEN a GCP template for a project running sandbox THEN the mismatch is named and nothing is written', async () => {
    (await setDeployedResources(sqlOf(t.app), keyOf('shop'), 'sandbox', [parseSpec('sandbox', { type: 'compute_vm', name: 'old-vm' })]));
    await refused(() => template('gcp'), 'gcp.xlsx', 'gcp.xlsx: this file is for GCP but project shop uses Sandbox; download the Sandbox template');
  });

  it('GIVEN someone who may not start sessions THEN the import is forbidden before the file is looked at', async () => {
    const before = footprint();
    await expect(importFile(await fillTemplate('sandbox', fifty), 'resources.xlsx', stranger)).rejects.toMatchObject({ code: 'forbidden' });
    expect(footprint()).toMatchObject({ sessions: before.sessions, resources: before.resources });
  });
});
