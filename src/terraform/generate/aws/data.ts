/** AWS data services: RDS instances and S3 buckets with their separate configuration resources. */
import type { DatabaseSpec, ResourceSpec, StorageBucketSpec } from '../../../domain/resources.js';
import type { Block, Item } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { fitName, pairLabel } from '../naming.js';
import { ofType, storageClass } from '../topology.js';
import { labelsOf } from '../labels.js';

/** RDS needs subnets in two zones; a VPC in the database's region with two or more subnets provides them. */
function subnetGroupVpc(db: DatabaseSpec, specs: ResourceSpec[]) {
  return ofType(specs, 'vpc_network').find((v) => v.region === db.region && v.subnets.length >= 2);
}

/**
 * The master password never appears: `manage_master_user_password` has RDS generate it and keep it
 * in Secrets Manager. Deleting the spec deletes the instance only after a final snapshot.
 */
export function dbInstance(db: DatabaseSpec, specs: ResourceSpec[], project: string): Block[] {
  const vpc = subnetGroupVpc(db, specs);
  const group = vpc && block('resource', ['aws_db_subnet_group', db.name], body(
    attr('region', db.region),
    attr('name', fitName(`${project}-${db.name}`, 255)),
    attr('subnet_ids', vpc.subnets.map((s) => ref('aws_subnet', pairLabel(vpc.name, s.name), 'id'))),
    optAttr('tags', labelsOf(db)),
  ));
  const instance = block('resource', ['aws_db_instance', db.name], body(
    attr('region', db.region),
    attr('identifier', db.name),
    attr('engine', db.engine),
    // A major version ("16", "8.0"): RDS picks the newest minor and keeps it patched.
    attr('engine_version', db.version),
    attr('instance_class', db.tier),
    attr('allocated_storage', db.storage_gb),
    attr('storage_type', 'gp3'),
    attr('storage_encrypted', true),
    attr('multi_az', db.high_availability),
    attr('backup_retention_period', db.backups_enabled ? 7 : 0),
    attr('username', 'dbadmin'),
    attr('manage_master_user_password', true),
    attr('iam_database_authentication_enabled', true),
    optAttr('db_subnet_group_name', group ? ref('aws_db_subnet_group', db.name, 'name') : undefined),
    attr('publicly_accessible', false),
    attr('copy_tags_to_snapshot', true),
    attr('skip_final_snapshot', false),
    attr('final_snapshot_identifier', fitName(`${project}-${db.name}-final`, 255)),
    optAttr('tags', labelsOf(db)),
  ));
  return group ? [group, instance] : [instance];
}

/** Each class one step colder; DEEP_ARCHIVE, the coldest, expires objects instead. */
const COLDER: Record<string, string> = {
  STANDARD: 'STANDARD_IA', STANDARD_IA: 'GLACIER_IR', ONEZONE_IA: 'GLACIER_IR', GLACIER_IR: 'GLACIER', GLACIER: 'DEEP_ARCHIVE',
};
/** S3 refuses moving objects into the IA classes before day 30, or out of them within 30 days of arriving. */
const IA = new Set(['STANDARD_IA', 'ONEZONE_IA']);

/**
 * S3 has no bucket-level storage class (each upload picks one), so the spec's class is a lifecycle
 * transition on day 0 (day 30 for the IA classes); `lifecycle_days` then moves objects one class
 * colder or expires them, clamped to S3's minimum gaps.
 */
export function lifecycleActions(bucket: StorageBucketSpec): Item[] {
  const actions: Item[] = [];
  let last: { days: number; cls: string } | undefined;
  const transition = (cls: string, days: number) => {
    actions.push(block('transition', [], [attr('days', days), attr('storage_class', cls)]));
    last = { days, cls };
  };
  const earliest = () => (last ? last.days + (IA.has(last.cls) ? 30 : 1) : 1);
  const cls = storageClass('aws', bucket);
  if (cls !== 'STANDARD') transition(cls, IA.has(cls) ? 30 : 0);
  if (bucket.lifecycle_days !== null) {
    const next = COLDER[cls];
    const days = Math.max(bucket.lifecycle_days, earliest(), next && IA.has(next) ? 30 : 0);
    if (next) transition(next, days);
    else actions.push(block('expiration', [], [attr('days', days)]));
  }
  return actions;
}

/**
 * Anyone may GET the bucket's objects; listing and writing stay closed. The access block must be lifted
 * before S3 accepts a public policy, hence the depends_on (an account-level block still refuses it).
 */
function publicRead(spec: StorageBucketSpec, common: Item[]): Block[] {
  return [
    block('data', ['aws_iam_policy_document', spec.name], [
      block('statement', [], [
        attr('sid', 'PublicRead'),
        attr('actions', ['s3:GetObject']),
        // The bucket is named exactly spec.name, and every catalog region is in the aws partition.
        attr('resources', [`arn:aws:s3:::${spec.name}/*`]),
        block('principals', [], [attr('type', '*'), attr('identifiers', ['*'])]),
      ]),
    ]),
    block('resource', ['aws_s3_bucket_policy', spec.name], [
      ...common,
      attr('policy', ref('data', 'aws_iam_policy_document', spec.name, 'json')),
      attr('depends_on', [ref('aws_s3_bucket_public_access_block', spec.name)]),
    ]),
  ];
}

export function bucket(spec: StorageBucketSpec): Block[] {
  const id = ref('aws_s3_bucket', spec.name, 'id');
  const common = [attr('region', spec.region), attr('bucket', id)];
  const closed = !spec.public_access;
  const blocks = [
    block('resource', ['aws_s3_bucket', spec.name], body(attr('region', spec.region), attr('bucket', spec.name), optAttr('tags', labelsOf(spec)))),
    block('resource', ['aws_s3_bucket_public_access_block', spec.name], [
      ...common,
      attr('block_public_acls', closed),
      attr('block_public_policy', closed),
      attr('ignore_public_acls', closed),
      attr('restrict_public_buckets', closed),
    ]),
    ...(closed ? [] : publicRead(spec, common)),
  ];
  // Only an enabled bucket gets the resource: removing it later suspends versioning, which is what `false` means.
  if (spec.versioning) {
    blocks.push(block('resource', ['aws_s3_bucket_versioning', spec.name], [...common, block('versioning_configuration', [], [attr('status', 'Enabled')])]));
  }
  const actions = lifecycleActions(spec);
  if (actions.length) {
    blocks.push(block('resource', ['aws_s3_bucket_lifecycle_configuration', spec.name], body(
      ...common,
      spec.versioning ? attr('depends_on', [ref('aws_s3_bucket_versioning', spec.name)]) : undefined,
      block('rule', [], [attr('id', 'storage-class'), attr('status', 'Enabled'), block('filter', [], []), ...actions]),
    )));
  }
  return blocks;
}
