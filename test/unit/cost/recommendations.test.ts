import { describe, expect, it } from 'vitest';
import { bucket, db, estimator, vm } from './helpers.js';
import { toUsd } from '../../../src/domain/money.js';

const recs = (provider: Parameters<typeof estimator.estimateResource>[0], spec: Parameters<typeof estimator.estimateResource>[1]) =>
  estimator.estimateResource(provider, spec).recommendations;

describe('rightsizing', () => {
  it('GIVEN e2-standard-4 without cpu/memory THEN next size down: "Consider e2-standard-2 to save $48.92/month (~50%)"', () => {
    const r = recs('gcp', vm('us-central1', 'e2-standard-4'))[0]!;
    expect(r.message).toMatch(/^Consider e2-standard-2 to save \$48\.92\/month \(~50%\)/);
    // The difference of the two monthly amounts as each is stated: 97.836673 - 48.918337.
    expect(toUsd(r.monthly_savings)).toBe(48.918336);
  });

  it('GIVEN the smallest type of its series (t3.nano) THEN no rightsizing advice', () => {
    expect(recs('aws', vm('us-east-1', 't3.nano')).some((r) => r.message.startsWith('Consider'))).toBe(false);
  });

  it('GIVEN e2-standard-8 asked for 4 vCPU / 4 GB THEN the cheapest E2 type that still has them: e2-highcpu-4', () => {
    const r = recs('gcp', vm('us-central1', 'e2-standard-8', { cpu: 4, memory_gb: 4 } as never)).find((x) => x.message.startsWith('Consider'))!;
    expect(r.message).toMatch(/^Consider e2-highcpu-4 to save/);
  });

  it('GIVEN e2-highcpu-4 asked for 4 vCPU / 4 GB THEN it is already the cheapest fit: silent', () => {
    expect(recs('gcp', vm('us-central1', 'e2-highcpu-4', { cpu: 4, memory_gb: 4 } as never)).some((r) => r.message.startsWith('Consider'))).toBe(false);
  });
});

describe('commitments', () => {
  it('GIVEN an E2 VM in us-central1 THEN 1-year (37%) and 3-year (55%) committed-use savings from the data', () => {
    const r = recs('gcp', vm('us-central1', 'e2-standard-4')).filter((x) => /committed use/.test(x.message));
    expect(r.map((x) => toUsd(x.monthly_savings))).toEqual([36.199569, 53.810170]);
  });

  it('GIVEN t3.medium in us-east-1 THEN reserved-instance savings from the 1y $0.0261 / 3y $0.018 rates (Infracost golden)', () => {
    const r = recs('aws', vm('us-east-1', 't3.medium')).filter((x) => /Reserved/.test(x.message));
    expect(r.map((x) => toUsd(x.monthly_savings))).toEqual([30.368 - 19.053, 30.368 - 13.14].map((v) => Math.round(v * 1e6) / 1e6));
  });

  it.each([
    // The official pricing-page RI feed (yeo/ec2.shop copies); in us-east-1 also the offer-file records for m5.large and c5.xlarge
    ['us-east-1', 'm5.large', 0.096, 0.06, 0.041],
    ['us-east-1', 'c5.xlarge', 0.17, 0.107, 0.071],
    ['eu-west-2', 'm5.large', 0.111, 0.07, 0.048],
  ])('GIVEN %s %s ($%d/h on demand) THEN Standard RI no-upfront savings at $%d/h (1 year) and $%d/h (3 years)', (region, type, onDemand, oneYear, threeYear) => {
    const r = recs('aws', vm(region, type)).filter((x) => /Reserved/.test(x.message));
    expect(r.map((x) => toUsd(x.monthly_savings))).toEqual([(onDemand - oneYear) * 730, (onDemand - threeYear) * 730].map((v) => Math.round(v * 1e6) / 1e6));
  });

  it('GIVEN an Azure VM (no reservation prices sourced) THEN no commitment advice', () => {
    expect(recs('azure', vm('eastus', 'Standard_B2s')).some((x) => /Reserved|commit/i.test(x.message))).toBe(false);
  });

  it('GIVEN an N1 VM THEN the estimate stays list price and a warning explains the automatic sustained-use discount', () => {
    const e = estimator.estimateResource('gcp', vm('us-central1', 'n1-standard-1'));
    expect(toUsd(e.monthly)).toBe(34.674818);
    expect(e.warnings[0]).toMatch(/list price.*up to 30%.*\$24\.27/);
  });
});

describe('database HA advice', () => {
  it('GIVEN HA on shared-core db-g1-small THEN advise dropping HA, saving the HA premium ($25.55)', () => {
    const r = recs('gcp', db('us-central1', 'db-g1-small', { high_availability: true }));
    expect(r).toHaveLength(1);
    expect(toUsd(r[0]!.monthly_savings)).toBe(25.55);
  });

  it('GIVEN a production-named 2-vCPU dedicated RDS tier without HA THEN advise HA with its extra cost as a negative saving', () => {
    const r = recs('aws', db('us-east-1', 'db.m5.large', { name: 'orders-prod' }));
    expect(r[0]!.message).toMatch(/looks like production/);
    expect(toUsd(r[0]!.monthly_savings)).toBe(-129.94);
  });

  it('GIVEN the same tier with a non-production name, or a burstable tier without HA THEN silent', () => {
    expect(recs('aws', db('us-east-1', 'db.m5.large', { name: 'scratch' }))).toEqual([]);
    expect(recs('aws', db('us-east-1', 'db.t3.micro', { name: 'app-prod' }))).toEqual([]);
  });
});

describe('storage and disks', () => {
  it('GIVEN a GCS STANDARD bucket with a 30-day lifecycle rule THEN NEARLINE halves the price: $5.00 on 500 GB', () => {
    const r = recs('gcp', bucket('us-central1', 'STANDARD', 500, { lifecycle_days: 30 }));
    expect(r.map((x) => toUsd(x.monthly_savings))).toEqual([5]);
  });

  it('GIVEN no lifecycle rule, or the coldest class THEN silent', () => {
    expect(recs('gcp', bucket('us-central1', 'STANDARD', 500))).toEqual([]);
    expect(recs('gcp', bucket('us-central1', 'ARCHIVE', 500, { lifecycle_days: 365 }))).toEqual([]);
  });

  it('GIVEN a 100 GB gp2 boot disk THEN switch to gp3 saves $2.00; a gp3 disk gets no such advice', () => {
    expect(toUsd(recs('aws', vm('us-east-1', 't3.micro', { disk_size_gb: 100, disk_type: 'gp2' } as never)).find((x) => /gp3/.test(x.message))!.monthly_savings)).toBe(2);
    expect(recs('aws', vm('us-east-1', 't3.micro', { disk_size_gb: 100, disk_type: 'gp3' } as never)).some((x) => /gp3/.test(x.message))).toBe(false);
  });
});
