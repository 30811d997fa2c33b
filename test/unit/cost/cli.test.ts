import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerings } from '../../../src/cost/coverage.js';
import { describe, expect, it } from 'vitest';
import { estimateCommand } from '../../../src/cli/commands/estimate.js';
import { pricingCommand } from '../../../src/cli/commands/pricing.js';
import { loadConfig } from '../../../src/config.js';
import { FIXTURES, PRICING_DIR } from './helpers.js';

function run(cmd: typeof estimateCommand, argv: string[], pricingDir = PRICING_DIR) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, config: loadConfig({ PRICING_DIR: pricingDir }) };
  return cmd.run(argv, ctx).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

const file = (items: unknown[]) => {
  const p = join(mkdtempSync(join(tmpdir(), 'est-')), 'resources.json');
  writeFileSync(p, JSON.stringify(items));
  return p;
};

describe('cloud-engine estimate', () => {
  const resources = file([
    { provider: 'gcp', type: 'compute_vm', name: 'web-1', region: 'us-central1', machine_type: 'e2-standard-4', disk_size_gb: 200 },
    { provider: 'azure', type: 'vpc_network', name: 'net-1', region: 'eastus', cidr: '10.0.0.0/16' },
  ]);

  it('GIVEN a valid file THEN a table with each resource, the total and the recommendations', async () => {
    const r = await run(estimateCommand, [resources]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/web-1 .* \$117\.84/);
    expect(r.out).toMatch(/TOTAL .* \$117\.84/);
    expect(r.out).toMatch(/Consider e2-standard-2 to save \$48\.92\/month/);
  });

  it('GIVEN --json THEN exactly the deployment contract', async () => {
    const r = await run(estimateCommand, [resources, '--json']);
    const d = JSON.parse(r.out);
    expect(Object.keys(d)).toEqual(['resources', 'total_hourly_usd', 'total_monthly_usd', 'complete']);
    expect(Object.keys(d.resources[0])).toEqual(['name', 'provider', 'type', 'region', 'hourly_usd', 'monthly_usd', 'breakdown', 'recommendations', 'warnings']);
    expect(d.total_monthly_usd).toBe(117.836673);
  });

  it('GIVEN two invalid items THEN exit 1 listing both', async () => {
    const r = await run(estimateCommand, [file([{ provider: 'gcp', type: 'compute_vm', name: 'X' }, { provider: 'nope', type: 'database', name: 'db-1' }])]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/resources\[0\]/);
    expect(r.err).toMatch(/resources\[1\]/);
  });

  it('GIVEN --help THEN the usage', async () => {
    expect((await run(estimateCommand, ['--help'])).out).toMatch(/^cloud-engine estimate <file\.json>/);
  });
});

describe('cloud-engine pricing update', () => {
  it('GIVEN --provider azure --from a directory of pages THEN the Azure file in --pricing-dir is updated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pu-'));
    copyFileSync(join(PRICING_DIR, 'azure.json'), join(dir, 'azure.json'));
    const r = await run(pricingCommand, ['update', '--provider', 'azure', '--from', join(FIXTURES, 'azure-pages'), '--pricing-dir', dir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'azure.json'), 'utf8')).sources.at(-1).id).toBe('azure-retail-prices');
  });

  it('GIVEN --provider sandbox THEN a validation error', async () => {
    const r = await run(pricingCommand, ['update', '--provider', 'sandbox']);
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/must be one of aws, azure, gcp/)]);
  });
});

describe('cloud-engine pricing coverage', () => {
  it('GIVEN a price file missing one disk price THEN every offering that needs it is listed with its region and reason, and the shipped files are untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-'));
    for (const p of ['aws', 'azure', 'gcp', 'sandbox']) copyFileSync(join(PRICING_DIR, `${p}.json`), join(dir, `${p}.json`));
    const aws = JSON.parse(readFileSync(join(dir, 'aws.json'), 'utf8'));
    delete aws.regions['eu-west-2'].disks.gp3;
    writeFileSync(join(dir, 'aws.json'), JSON.stringify(aws));
    const r = await run(pricingCommand, ['coverage', '--provider', 'aws', '--pricing-dir', dir, '--json']);
    expect(r.code).toBe(0);
    const [report] = JSON.parse(r.out).providers;
    // gp3 is the default disk: every machine type in eu-west-2 plus the gp3 disk offering itself.
    const gp3 = report.gaps.filter((g: { region: string; reason: string }) => g.region === 'eu-west-2');
    expect(gp3).toHaveLength(46);
    expect(gp3.every((g: { reason: string }) => /no price for disk type gp3 in eu-west-2/.test(g.reason))).toBe(true);
    expect(report.regions.find((r: { region: string }) => r.region === 'eu-west-2')).toEqual({ region: 'eu-west-2', offered: 166, priced: 120, unknown: 46 });
    expect(report.regions.find((r: { region: string }) => r.region === 'eu-north-1')).toEqual({ region: 'eu-north-1', offered: 159, priced: 159, unknown: 0 });
    expect(report).toMatchObject({ combinations: offerings('aws').length, unknown: 46, priced: offerings('aws').length - 46 });
    const text = await run(pricingCommand, ['coverage', '--provider', 'aws']);
    expect(text.out.split('\n')).toEqual([`aws: ${offerings('aws').length} of ${offerings('aws').length} offerings fully priced`]);
    const azure = (await run(pricingCommand, ['coverage', '--provider', 'azure'])).out.split('\n');
    expect(azure).toContainEqual(expect.stringMatching(/^  eastus +database mysql B_Standard_B2ms +Database instance \(B_Standard_B2ms, single instance\): no price for mysql tier B_Standard_B2ms in eastus; no source found: /));
  });
});
