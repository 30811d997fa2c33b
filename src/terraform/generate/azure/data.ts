/** Azure data services: PostgreSQL/MySQL flexible servers and storage accounts with one container. */
import type { DatabaseSpec, StorageBucketSpec } from '../../../domain/resources.js';
import type { Block, Item } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { labelsOf } from '../labels.js';
import { storageAccountName } from '../naming.js';
import { storageClass } from '../topology.js';
import { hasZones, placed } from './common.js';

export const MYSQL_PASSWORD_VARIABLE = 'mysql_admin_password';
/** PostgreSQL flexible servers accept only these sizes (MiB); a spec's GB are rounded up to the next one. */
const PG_STORAGE_MB = [32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408];

export const pgStorageMb = (gb: number) => PG_STORAGE_MB.find((mb) => mb >= gb * 1024) ?? PG_STORAGE_MB[PG_STORAGE_MB.length - 1]!;

/**
 * HA is zone-redundant where the region has zones. After such a failover Azure swaps the zones; following them back
 * would mean another failover. A region without zones (westus) can only keep the standby in the primary's zone.
 */
const highAvailability = (db: DatabaseSpec): Item[] => {
  if (!db.high_availability) return [];
  if (!hasZones(db.region)) return [block('high_availability', [], [attr('mode', 'SameZone')])];
  return [block('high_availability', [], [attr('mode', 'ZoneRedundant')]),
    block('lifecycle', [], [attr('ignore_changes', [ref('zone'), ref('high_availability', 0, 'standby_availability_zone')])])];
};

/**
 * PostgreSQL: Microsoft Entra authentication only (password auth off), so no administrator
 * password exists at all. Backups cannot be turned off on Azure: 7 days is the minimum.
 */
function postgres(db: DatabaseSpec): Block {
  return block('resource', ['azurerm_postgresql_flexible_server', db.name], body(
    ...placed(db.name, db.region),
    attr('version', db.version),
    attr('sku_name', db.tier),
    attr('storage_mb', pgStorageMb(db.storage_gb)),
    attr('backup_retention_days', 7),
    optAttr('tags', labelsOf(db)),
    block('authentication', [], [
      attr('active_directory_auth_enabled', true),
      attr('password_auth_enabled', false),
      attr('tenant_id', ref('data', 'azurerm_client_config', 'current', 'tenant_id')),
    ]),
    ...highAvailability(db),
  ));
}

/**
 * MySQL flexible servers need an administrator password at creation. It comes from an ephemeral,
 * sensitive variable into the write-only `administrator_password_wo`, so it is in neither the
 * files, the saved plan nor the state; bump `_wo_version` to rotate it.
 */
function mysql(db: DatabaseSpec): Block {
  return block('resource', ['azurerm_mysql_flexible_server', db.name], body(
    ...placed(db.name, db.region),
    attr('version', db.version),
    attr('sku_name', db.tier),
    attr('administrator_login', 'dbadmin'),
    attr('administrator_password_wo', ref('var', MYSQL_PASSWORD_VARIABLE)),
    attr('administrator_password_wo_version', 1),
    attr('backup_retention_days', db.backups_enabled ? 7 : 1),
    optAttr('tags', labelsOf(db)),
    block('storage', [], [attr('size_gb', db.storage_gb)]),
    ...highAvailability(db),
  ));
}

export const database = (db: DatabaseSpec): Block => (db.engine === 'postgres' ? postgres(db) : mysql(db));

export function mysqlPasswordVariable(): Block {
  return block('variable', [MYSQL_PASSWORD_VARIABLE], [
    attr('description', 'Administrator password for the MySQL flexible servers; supply it as TF_VAR_mysql_admin_password on every plan and apply.'),
    attr('type', ref('string')),
    attr('sensitive', true),
    attr('ephemeral', true),
  ]);
}

/**
 * The account's default tier is the spec's class; Archive exists only per blob, so an Archive
 * bucket is a Hot account (no early-deletion charge for the hours before the move) whose
 * management policy archives every blob as soon as it can.
 */
const ACCESS_TIER: Record<string, string> = { Hot: 'Hot', Cool: 'Cool', Cold: 'Cold', Archive: 'Hot' };
const NEXT: Record<string, string> = {
  Hot: 'tier_to_cool_after_days_since_modification_greater_than',
  Cool: 'tier_to_cold_after_days_since_modification_greater_than',
  Cold: 'tier_to_archive_after_days_since_modification_greater_than',
  Archive: 'delete_after_days_since_modification_greater_than',
};

function baseBlobActions(bucket: StorageBucketSpec): Item[] {
  const actions: Item[] = [];
  const cls = storageClass('azure', bucket);
  if (cls === 'Archive') actions.push(attr('tier_to_archive_after_days_since_modification_greater_than', 0));
  if (bucket.lifecycle_days !== null) actions.push(attr(NEXT[cls]!, bucket.lifecycle_days));
  return actions;
}

/** A public bucket: the account allows public containers and its container lets anyone read blobs (not list them). */
export function storage(bucket: StorageBucketSpec, project: string): Block[] {
  const account = ref('azurerm_storage_account', bucket.name, 'id');
  const open = bucket.public_access === true;
  const blocks = [
    block('resource', ['azurerm_storage_account', bucket.name], body(
      ...placed(storageAccountName(project, bucket.name), bucket.region),
      attr('account_kind', 'StorageV2'),
      attr('account_tier', 'Standard'),
      attr('account_replication_type', bucket.replication ?? 'LRS'),
      attr('access_tier', ACCESS_TIER[storageClass('azure', bucket)]!),
      attr('min_tls_version', 'TLS1_2'),
      attr('allow_nested_items_to_be_public', open),
      optAttr('tags', labelsOf(bucket)),
      block('blob_properties', [], [attr('versioning_enabled', bucket.versioning)]),
    )),
    block('resource', ['azurerm_storage_container', bucket.name], [
      attr('name', bucket.name),
      attr('storage_account_id', account),
      attr('container_access_type', open ? 'blob' : 'private'),
    ]),
  ];
  const actions = baseBlobActions(bucket);
  if (actions.length) {
    blocks.push(block('resource', ['azurerm_storage_management_policy', bucket.name], body(
      attr('storage_account_id', account),
      block('rule', [], [
        attr('name', 'storage-class'),
        attr('enabled', true),
        block('filters', [], [attr('blob_types', ['blockBlob'])]),
        block('actions', [], [block('base_blob', [], actions)]),
      ]),
    )));
  }
  return blocks;
}
