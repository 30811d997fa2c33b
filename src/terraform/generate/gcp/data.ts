/** GCP data services: Cloud SQL instances and Cloud Storage buckets. */
import type { DatabaseSpec, StorageBucketSpec } from '../../../domain/resources.js';
import type { Block } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { labelsOf } from '../labels.js';
import { storageClass } from '../topology.js';

const FINAL_BACKUP_DAYS = 30;

/**
 * No google_sql_user and no password anywhere: the instance enables IAM database authentication,
 * so people and service accounts log in with their Google identity (added as CLOUD_IAM_USER users
 * outside this configuration) and nothing secret reaches git or state.
 */
export function sqlInstance(db: DatabaseSpec): Block {
  const postgres = db.engine === 'postgres';
  // Regional (HA) instances require backups plus PITR (Postgres) or binary logs (MySQL).
  const backups = db.backups_enabled || db.high_availability;
  return block('resource', ['google_sql_database_instance', db.name], [
    attr('name', db.name),
    attr('region', db.region),
    attr('database_version', postgres ? `POSTGRES_${db.version}` : `MYSQL_${db.version.replace('.', '_')}`),
    // Removing the spec may delete the instance (as on AWS and Azure); the final backup below keeps the data.
    attr('deletion_protection', false),
    block('settings', [], body(
      attr('tier', db.tier),
      // Postgres 16+ defaults to ENTERPRISE_PLUS, which rejects shared-core and db-custom tiers.
      attr('edition', 'ENTERPRISE'),
      attr('availability_type', db.high_availability ? 'REGIONAL' : 'ZONAL'),
      attr('disk_type', 'PD_SSD'),
      attr('disk_size', db.storage_gb),
      // The spec's size is what is priced; autoresize would grow it silently and fight the next plan.
      attr('disk_autoresize', false),
      optAttr('user_labels', labelsOf(db)),
      block('backup_configuration', [], [
        attr('enabled', backups),
        attr(postgres ? 'point_in_time_recovery_enabled' : 'binary_log_enabled', backups),
      ]),
      block('ip_configuration', [], [attr('ssl_mode', 'ENCRYPTED_ONLY')]),
      block('database_flags', [], [attr('name', postgres ? 'cloudsql.iam_authentication' : 'cloudsql_iam_authentication'), attr('value', 'on')]),
      block('final_backup_config', [], [attr('enabled', true), attr('retention_days', FINAL_BACKUP_DAYS)]),
    )),
  ]);
}

const COLDER: Record<string, string> = { STANDARD: 'NEARLINE', NEARLINE: 'COLDLINE', COLDLINE: 'ARCHIVE' };

/** After lifecycle_days, objects of the bucket's class move one class colder; ARCHIVE, the coldest, deletes them. */
function lifecycleRule(bucket: StorageBucketSpec): Block | undefined {
  if (bucket.lifecycle_days === null) return undefined;
  const colder = COLDER[storageClass('gcp', bucket)];
  const action = colder ? [attr('type', 'SetStorageClass'), attr('storage_class', colder)] : [attr('type', 'Delete')];
  return block('lifecycle_rule', [], [
    block('condition', [], [attr('age', bucket.lifecycle_days), attr('matches_storage_class', [bucket.storage_class])]),
    block('action', [], action),
  ]);
}

/**
 * A public bucket lets the project's policy decide (`inherited`: an organization that enforces public access
 * prevention still wins) and grants anyone object reads; objects stay unlistable and unwritable.
 */
export function bucket(spec: StorageBucketSpec): Block[] {
  const main = block('resource', ['google_storage_bucket', spec.name], body(
    attr('name', spec.name),
    attr('location', spec.region.toUpperCase()),
    attr('storage_class', storageClass('gcp', spec)),
    attr('uniform_bucket_level_access', true),
    attr('public_access_prevention', spec.public_access ? 'inherited' : 'enforced'),
    optAttr('labels', labelsOf(spec)),
    block('versioning', [], [attr('enabled', spec.versioning)]),
    lifecycleRule(spec),
  ));
  if (!spec.public_access) return [main];
  return [main, block('resource', ['google_storage_bucket_iam_member', spec.name], [
    attr('bucket', ref('google_storage_bucket', spec.name, 'name')),
    attr('role', 'roles/storage.objectViewer'),
    attr('member', 'allUsers'),
  ])];
}
