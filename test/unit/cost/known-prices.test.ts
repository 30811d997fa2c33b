import { describe, expect, it } from 'vitest';
import { bucket, db, estimator, hourlyOf, vm } from './helpers.js';
import { fromUsd as usd, toUsd } from '../../../src/domain/money.js';

describe('GCP list prices (Cyclenerd pricing.yml 2026-07-23, generated from the Cloud Billing Catalog; pricing-sources.md §4)', () => {
  it.each([
    ['us-central1', 'e2-micro', 0.0083764275],
    ['us-central1', 'e2-medium', 0.03350571],
    ['us-central1', 'e2-standard-4', 0.13402284],
    ['us-central1', 'n2-standard-4', 0.194236],
    ['us-central1', 'n1-standard-2', 0.0949995],
    ['us-central1', 'n1-standard-1', 0.04749975],
    ['us-central1', 'c2-standard-4', 0.208808],
    ['europe-west1', 'e2-standard-2', 2 * 0.02399337 + 8 * 0.00321609],
    ['europe-west4', 'n2d-standard-2', 2 * 0.030278 + 8 * 0.004058],
    ['us-east4', 'e2-standard-4', 4 * 0.02456745 + 16 * 0.00329199],
  ])('GIVEN %s %s THEN the hourly list price is $%d', (region, type, price) => {
    expect(hourlyOf('gcp', region, type)).toBeCloseTo(price, 12);
  });

  it('GIVEN the seed example e2-standard-4 with a 200 GB pd-balanced disk in us-central1 THEN VM $97.84 + disk $20.00 = $117.84/month', () => {
    const e = estimator.estimateResource('gcp', vm('us-central1', 'e2-standard-4', { disk_size_gb: 200, disk_type: 'pd-balanced' } as never));
    expect(e.breakdown.map((b) => [b.component, toUsd(b.monthly)])).toEqual([
      ['Instance usage (e2-standard-4, on-demand, Linux)', 97.836673],
      ['Boot disk (pd-balanced)', 20],
    ]);
    expect(toUsd(e.monthly).toFixed(2)).toBe('117.84');
    expect(e.price_unknown).toBeUndefined();
  });

  it('GIVEN GCS and Cloud SQL in us-central1 THEN Standard $0.02/GB, db-f1-micro zonal $7.67 (Infracost golden) and custom vCPU $0.0413/h', () => {
    expect(toUsd(estimator.estimateResource('gcp', bucket('us-central1', 'STANDARD', 100)).monthly)).toBe(2);
    expect(toUsd(estimator.estimateResource('gcp', db('us-central1', 'db-f1-micro')).monthly)).toBeCloseTo(7.665, 6);
    const custom = estimator.estimateResource('gcp', db('us-central1', 'db-custom-1-3840'));
    expect(custom.breakdown[0]).toMatchObject({ unit: 'vCPU-hour', quantity: 730, unit_price_usd: 0.0413 });
    expect(custom.breakdown[1]).toMatchObject({ unit: 'GB-hour', quantity: 3.75 * 730, unit_price_usd: 0.007 });
  });
});

describe('AWS list prices (EC2: aws/karpenter-provider-aws zz_generated 2026-07-20; RDS: Infracost DB dump via coroot; storage: Infracost goldens)', () => {
  it.each([
    ['t3.medium', 0.0416], ['t3.micro', 0.0104], ['t3a.medium', 0.0376], ['t4g.medium', 0.0336], ['m5.large', 0.096],
    ['m6i.xlarge', 0.192], ['c5.large', 0.085], ['c6i.2xlarge', 0.34], ['r5.large', 0.126], ['r6i.4xlarge', 1.008],
  ])('GIVEN us-east-1 %s THEN Linux on-demand is $%d/h', (type, price) => {
    expect(hourlyOf('aws', 'us-east-1', type)).toBe(price);
  });

  it('GIVEN t3.medium in us-east-1 THEN 730 h cost $30.368 (vector A1)', () => {
    expect(toUsd(estimator.estimateResource('aws', vm('us-east-1', 't3.medium')).monthly)).toBe(30.368);
  });

  it('GIVEN RDS db.t3.large in us-east-1 THEN MySQL $99.28, PostgreSQL $105.85 and Multi-AZ MySQL $198.56 per month (Infracost golden)', () => {
    expect(toUsd(estimator.estimateResource('aws', db('us-east-1', 'db.t3.large', { engine: 'mysql' })).monthly)).toBeCloseTo(99.28, 6);
    expect(toUsd(estimator.estimateResource('aws', db('us-east-1', 'db.t3.large')).monthly)).toBeCloseTo(105.85, 6);
    expect(toUsd(estimator.estimateResource('aws', db('us-east-1', 'db.t3.large', { engine: 'mysql', high_availability: true })).monthly)).toBeCloseTo(198.56, 6);
  });

  it('GIVEN RDS PostgreSQL db.m5.large THEN eu-central-1 ($0.212/h) is dearer than us-east-1 ($0.178/h)', () => {
    expect(estimator.estimateResource('aws', db('eu-central-1', 'db.m5.large')).breakdown[0]!.unit_price_usd).toBe(0.212);
    expect(estimator.estimateResource('aws', db('us-east-1', 'db.m5.large')).breakdown[0]!.unit_price_usd).toBe(0.178);
  });

  it('GIVEN S3 Standard with 60 TB in us-east-1 THEN tiers apply: 51200 x 0.023 + 10240 x 0.022 (vector A2)', () => {
    expect(toUsd(estimator.estimateResource('aws', bucket('us-east-1', 'STANDARD', 61440)).monthly)).toBeCloseTo(51200 * 0.023 + 10240 * 0.022, 6);
  });
});

describe('Azure list prices (Azure/karpenter-provider-azure zz_generated.pricing.go 2026-06-18; disks: Infracost golden + pricing-sources.md)', () => {
  it.each([
    ['eastus', 'Standard_B2s', 0.0416], ['eastus', 'Standard_B1s', 0.0104], ['eastus', 'Standard_D2s_v3', 0.096], ['eastus', 'Standard_D2s_v5', 0.096],
    ['eastus', 'Standard_E2s_v5', 0.126], ['westeurope', 'Standard_B2s', 0.048], ['westeurope', 'Standard_D2s_v5', 0.115], ['northeurope', 'Standard_D2s_v5', 0.107],
    ['centralus', 'Standard_B2s', 0.0499], ['westus2', 'Standard_D2_v5', 0.096],
  ])('GIVEN %s %s THEN the Linux pay-as-you-go price is $%d/h', (region, type, price) => {
    expect(hourlyOf('azure', region, type)).toBe(price);
  });

  it('GIVEN a 100 GB Premium_LRS disk in eastus THEN it rounds up to P10 (128 GiB) at $19.71/month (vector Z2)', () => {
    const e = estimator.estimateResource('azure', vm('eastus', 'Standard_B1s', { disk_size_gb: 100, disk_type: 'Premium_LRS' } as never));
    expect(e.breakdown[1]).toMatchObject({ component: 'Managed disk (Premium_LRS P10, 128 GiB, 100 GB requested)', unit: 'month', monthly: usd(19.71) });
  });

  it('GIVEN Hot LRS blob storage in eastus2 THEN the first tier is $0.0184/GB-month (vector Z4)', () => {
    expect(toUsd(estimator.estimateResource('azure', bucket('eastus2', 'Hot', 1000, { replication: 'LRS' })).monthly)).toBe(18.4);
  });
});

describe('AWS prices outside us-east-1 (added 2026-11-28)', () => {
  // EC2: skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv @00148f2a, generated from the AWS bulk offer CSV
  // (OnDemand, Linux, no pre-installed software, CapacityStatus Used); its us-east-1 column equals karpenter-aws.
  it.each([
    ['us-east-2', 't3.medium', 0.0416], ['us-west-2', 'm5.large', 0.096], ['eu-west-1', 't3.medium', 0.0456], ['eu-west-1', 'c6i.large', 0.0912],
    ['eu-central-1', 't3.medium', 0.048], ['eu-central-1', 'm5.large', 0.115], ['ca-central-1', 't3.medium', 0.0464], ['eu-west-2', 't3.medium', 0.0472],
  ])('GIVEN %s %s THEN Linux on-demand is $%d/h (SkyPilot catalog)', (region, type, price) => {
    expect(hourlyOf('aws', region, type)).toBe(price);
  });

  it('GIVEN eu-west-1 EBS and RDS storage THEN gp2 $0.11, io1 $0.138 and Multi-AZ RDS storage $0.253 per GB-month (Infracost golden elastic_beanstalk_environment_test)', () => {
    expect(toUsd(estimator.estimateResource('aws', vm('eu-west-1', 't3.medium', { disk_size_gb: 16, disk_type: 'gp2' } as never)).breakdown[1]!.monthly)).toBe(1.76);
    expect(toUsd(estimator.estimateResource('aws', vm('eu-west-1', 't3.medium', { disk_size_gb: 32, disk_type: 'io1' } as never)).breakdown[1]!.monthly)).toBeCloseTo(4.416, 6);
    const rds = estimator.estimateResource('aws', db('eu-west-1', 'db.t3.micro', { storage_gb: 100, high_availability: true }));
    expect(rds.breakdown[1]).toMatchObject({ unit_price_usd: 0.253, monthly: usd(25.3) });
    // Single-AZ storage is not in that golden; the official pricing-page feed gives $0.127, half the Multi-AZ price.
    expect(estimator.estimateResource('aws', db('eu-west-1', 'db.t3.micro', { storage_gb: 100 })).breakdown[1]).toMatchObject({ unit_price_usd: 0.127, monthly: usd(12.7) });
  });

  it.each([
    // cloudkeep-io/ebs-pricing ebs_pricing.json (AWS Price List Query API); gp2 in us-east-2/eu-west-2 also in Infracost goldens
    ['us-east-2', 'gp3', 0.08], ['us-west-2', 'gp3', 0.08], ['eu-west-1', 'gp3', 0.088], ['eu-central-1', 'gp3', 0.0952],
    ['eu-central-1', 'gp2', 0.119], ['eu-west-2', 'gp3', 0.0928], ['ca-central-1', 'gp3', 0.088],
  ])('GIVEN EBS in %s THEN %s costs $%d per GB-month (EBS Price List data)', (region, type, price) => {
    const e = estimator.estimateResource('aws', vm(region, 't3.medium', { disk_size_gb: 100, disk_type: type } as never));
    expect(e.price_unknown).toBeUndefined();
    expect(e.breakdown[1]).toMatchObject({ unit: 'GB-month', quantity: 100, unit_price_usd: price });
  });

  it('GIVEN S3 in eu-central-1 THEN Standard is tiered 0.0245 / 0.0235 and Glacier Instant Retrieval is $0.005 (official S3 price feed, three captures agree)', () => {
    expect(toUsd(estimator.estimateResource('aws', bucket('eu-central-1', 'STANDARD', 61440)).monthly)).toBeCloseTo(51200 * 0.0245 + 10240 * 0.0235, 6);
    expect(toUsd(estimator.estimateResource('aws', bucket('eu-central-1', 'GLACIER_IR', 1000)).monthly)).toBe(5);
    expect(toUsd(estimator.estimateResource('aws', bucket('us-east-1', 'GLACIER_IR', 1000)).monthly)).toBe(4);
  });

  it('GIVEN RDS in ca-central-1 and eu-west-2 THEN the Infracost DB dump prices apply (PostgreSQL db.t3.micro $0.02/h and $0.021/h)', () => {
    expect(estimator.estimateResource('aws', db('ca-central-1', 'db.t3.micro')).breakdown[0]!.unit_price_usd).toBe(0.02);
    expect(estimator.estimateResource('aws', db('eu-west-2', 'db.t3.micro')).breakdown[0]!.unit_price_usd).toBe(0.021);
  });
});

describe('Azure disks, PostgreSQL flexible and HA (added 2026-11-28)', () => {
  it.each([
    // Infracost goldens @95ba4f49: kubernetes_cluster_test / linux_virtual_machine_test (eastus), image_test / recovery_services_vault_test (West Europe)
    // (Infracost rounds these to the cent: S10 $5.89, P4 $5.81, S6 $3.01); the Retail API's own figures, via
    // flexera-public/policy_templates azure_md_pricing.json @5ae4acd8, are the ones we price with.
    ['eastus', 'Standard_LRS', 100, 'S10', 5.888], ['eastus', 'StandardSSD_LRS', 30, 'E4', 2.4], ['eastus', 'Standard_LRS', 32, 'S4', 1.536],
    ['westeurope', 'Premium_LRS', 32, 'P4', 5.8072], ['westeurope', 'Standard_LRS', 64, 'S6', 3.008], ['westeurope', 'Standard_LRS', 500, 'S20', 21.76],
    ['eastus', 'StandardSSD_LRS', 50, 'E6', 4.8], ['uksouth', 'StandardSSD_LRS', 50, 'E6', 5.28], ['westus2', 'Premium_LRS', 100, 'P10', 17.92],
  ])('GIVEN %s %s %d GB THEN tier %s costs $%d/month (Retail Prices API)', (region, type, gb, tier, month) => {
    const e = estimator.estimateResource('azure', vm(region, 'Standard_B1s', { disk_size_gb: gb, disk_type: type } as never));
    expect(e.breakdown[1]!.component).toContain(` ${tier}, `);
    expect(toUsd(e.breakdown[1]!.monthly)).toBe(month);
  });

  it('GIVEN PostgreSQL flexible GP_Standard_D2ds_v5 with 128 GB in eastus THEN $0.178/h and $0.115/GB-month (Retail API descriptors verified live, pricing-sources.md [Z4])', () => {
    const e = estimator.estimateResource('azure', db('eastus', 'GP_Standard_D2ds_v5', { storage_gb: 128 }));
    expect(e.price_unknown).toBeUndefined();
    expect(e.breakdown.map((b) => b.unit_price_usd)).toEqual([0.178, 0.115]);
    expect(toUsd(e.monthly)).toBeCloseTo(0.178 * 730 + 0.115 * 128, 6);
  });

  it('GIVEN zone-redundant HA THEN the standby doubles compute and storage (Microsoft Learn "Reliability in Azure Database for PostgreSQL", Cost)', () => {
    const single = estimator.estimateResource('azure', db('eastus', 'GP_Standard_D2ds_v5', { storage_gb: 128 }));
    const ha = estimator.estimateResource('azure', db('eastus', 'GP_Standard_D2ds_v5', { storage_gb: 128, high_availability: true }));
    expect(ha.breakdown.map((b) => b.unit_price_usd)).toEqual([0.356, 0.23]);
    expect(toUsd(ha.monthly)).toBeCloseTo(2 * toUsd(single.monthly), 6);
  });
});

describe('Azure flexible servers and blob storage outside eastus (Retail Prices API snapshots, added 2026-11-28)', () => {
  it.each([
    // mooncitizen/togen azure.json (Ddsv4 per-vCore rate 0.106 × 4) and Arturo-Quiroga-MSFT/azure-architecture-diagram-builder (per-size rows)
    ['westeurope', 'postgres', 'GP_Standard_D4ds_v4', 0.424], ['westus2', 'postgres', 'GP_Standard_D8ds_v5', 0.712], ['centralus', 'mysql', 'B_Standard_B2s', 0.07684],
  ])('GIVEN %s %s %s THEN compute is $%d/h', (region, engine, tier, hourly) => {
    const e = estimator.estimateResource('azure', db(region, tier, { engine, storage_gb: 0 }));
    expect(e.breakdown[0]!.unit_price_usd).toBe(hourly);
  });

  it('GIVEN uksouth PostgreSQL storage THEN $0.133/GB-month (dearer than eastus $0.115)', () => {
    expect(estimator.estimateResource('azure', db('uksouth', 'B_Standard_B1ms', { storage_gb: 100 })).breakdown[1]).toMatchObject({ unit_price_usd: 0.133, monthly: usd(13.3) });
  });

  it('GIVEN 60 TB of Hot LRS blob in eastus2 THEN 51200 × 0.0184 + 10240 × 0.017664 (the API tier rows), and Cool GRS is a flat $0.02', () => {
    expect(toUsd(estimator.estimateResource('azure', bucket('eastus2', 'Hot', 61440, { replication: 'LRS' })).monthly)).toBeCloseTo(51200 * 0.0184 + 10240 * 0.017664, 6);
    expect(toUsd(estimator.estimateResource('azure', bucket('eastus2', 'Cool', 1000, { replication: 'GRS' })).monthly)).toBe(20);
  });
});

describe('Cloud SQL outside us-central1 (added 2026-11-28)', () => {
  it('GIVEN db-custom-1-3840 with 20 GB SSD in us-east1 THEN $0.0413/vCPU-h + $0.007/GiB-h + $0.17/GB-month = $52.71/month (a public us-east1 cost review priced from the Billing Catalog, 2026-09-15)', () => {
    const e = estimator.estimateResource('gcp', db('us-east1', 'db-custom-1-3840', { storage_gb: 20 }));
    expect(e.price_unknown).toBeUndefined();
    expect(e.breakdown.map((b) => b.unit_price_usd)).toEqual([0.0413, 0.007, 0.17]);
    expect(toUsd(e.monthly).toFixed(2)).toBe('52.71');
    expect(toUsd(estimator.estimateResource('gcp', db('us-east1', 'db-f1-micro', { storage_gb: 20 })).monthly)).toBe(11.065); // the review's $11.07
  });

  it('GIVEN us-east4 THEN db-f1-micro is $0.0112/h and RAM $0.0075/GiB-h (captured SKUs), dearer than us-central1; db-g1-small follows its 1.07 tier: $0.0375/h, $0.0749 regional', () => {
    expect(estimator.estimateResource('gcp', db('us-east4', 'db-f1-micro')).breakdown[0]!.unit_price_usd).toBe(0.0112);
    expect(estimator.estimateResource('gcp', db('us-east4', 'db-custom-2-7680')).breakdown[1]!.unit_price_usd).toBe(0.0075);
    expect(estimator.estimateResource('gcp', db('us-east4', 'db-g1-small')).breakdown[0]!.unit_price_usd).toBe(0.0375);
    expect(estimator.estimateResource('gcp', db('us-east4', 'db-g1-small', { high_availability: true })).breakdown[0]!.unit_price_usd).toBe(0.0749);
  });

  it('GIVEN europe-west3 (Frankfurt) THEN Cloud SQL costs 1.2× Iowa, SSD storage $0.204 read from its own SKU', () => {
    const e = estimator.estimateResource('gcp', db('europe-west3', 'db-custom-1-3840', { storage_gb: 10 }));
    expect(e.breakdown.map((b) => b.unit_price_usd)).toEqual([0.0496, 0.0084, 0.204]);
  });
});

describe('Sandbox (fictional, labelled as such)', () => {
  it('GIVEN a medium sandbox VM with 10 GB standard disk THEN $29.20 + $0.50 and a warning that prices are fictional', () => {
    const e = estimator.estimateResource('sandbox', vm('local', 'medium', { disk_size_gb: 10, disk_type: 'standard' } as never));
    expect(toUsd(e.monthly)).toBe(29.7);
    expect(e.warnings).toContain('Sandbox prices are fictional.');
  });
});
