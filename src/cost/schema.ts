import { z } from 'zod';
import { regionOfferFields } from '../resources/catalogs/regions.js';

/** Prices are decimal strings so a JSON round-trip never turns 0.0416 into 0.04160000000000001. */
const price = z.string().regex(/^\d{1,9}(\.\d{1,12})?$/, 'must be a non-negative decimal string such as "0.0416"');
const pct = z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage string below 100 such as "37"');
const sourceRef = z.string().min(1);

const tiers = z
  .array(z.object({ from_gb: z.number().int().nonnegative(), gb_month: price }).strict())
  .min(1)
  .refine((t) => t[0]!.from_gb === 0 && t.every((x, i) => i === 0 || x.from_gb > t[i - 1]!.from_gb), 'tiers must start at 0 GB and ascend');

const pair = z.object({ single: price.optional(), ha: price.optional(), source: sourceRef.optional() }).strict();
const rates = z.object({ vcpu_hour: price, gib_ram_hour: price }).strict();

const commitment = z
  .object({
    program: z.string().min(1),
    one_year_pct: pct.optional(),
    three_year_pct: pct.optional(),
    one_year_hourly: price.optional(),
    three_year_hourly: price.optional(),
    source: sourceRef,
  })
  .strict();

const regionPrices = z
  .object({
    /** Zones, geography and what is not sold there: the catalog reads these (src/resources/catalogs/regions.ts). */
    zones: regionOfferFields.zones.optional(),
    geography: regionOfferFields.geography.optional(),
    not_sold: regionOfferFields.not_sold,
    /** Offering (as `pricing coverage` names it, e.g. "database mysql db.m5.large HA") → why no source was found. */
    unsourced: z.record(z.string(), z.string().min(1)).optional(),
    /** Whole-machine hourly prices (AWS, Azure, sandbox, GCP C2). */
    machines: z.record(z.string(), z.object({ hour: price, source: sourceRef }).strict()).optional(),
    /** GCP: per-vCPU and per-GiB hourly rates; machine prices come from the catalog shapes. */
    machine_families: z.record(z.string(), rates.extend({ source: sourceRef }).strict()).optional(),
    disks: z.record(z.string(), z.object({ gb_month: price, source: sourceRef }).strict()).optional(),
    /** Azure managed disks: a monthly price per size tier (S4, E10, P30…); sizes round up to the tier. */
    disk_tiers: z.record(z.string(), z.record(z.string(), z.object({ max_gb: z.number().int().positive(), month: price, source: sourceRef }).strict())).optional(),
    storage: z.record(z.string(), z.object({ tiers, source: sourceRef }).strict()).optional(),
    /** engine ("postgres" | "mysql" | "any") → tier → single-instance and HA (Multi-AZ / regional) hourly price. */
    databases: z.record(z.string(), z.record(z.string(), pair)).optional(),
    database_families: z.record(z.string(), z.object({ single: rates, ha: rates.optional(), source: sourceRef }).strict()).optional(),
    database_storage: z.record(z.string(), pair).optional(),
    database_backup_gb_month: price.optional(),
    /** Keyed by machine type or by family. */
    commitments: z.record(z.string(), commitment).optional(),
  })
  .strict();

export const priceFileSchema = z
  .object({
    provider: z.enum(['gcp', 'aws', 'azure', 'sandbox']),
    currency: z.literal('USD'),
    as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    fictional: z.boolean(),
    sources: z
      .array(z.object({ id: z.string().min(1), title: z.string().min(1), url: z.string().min(1), retrieved: z.string().min(1), covers: z.string().min(1) }).strict())
      .min(1),
    regions: z.record(z.string(), regionPrices),
    sustained_use: z.record(z.string(), z.object({ max_pct: pct, source: sourceRef }).strict()).optional(),
    /** Azure flexible servers bill the HA standby like the primary, so HA multiplies compute and storage. */
    database_ha_multiplier: price.optional(),
  })
  .strict();

export type PriceFile = z.output<typeof priceFileSchema>;
export type RegionPrices = z.output<typeof regionPrices>;
export type Tier = { from_gb: number; gb_month: string };
export type Commitment = z.output<typeof commitment>;
