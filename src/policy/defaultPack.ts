/**
 * The default pack: rules every project gets, written against the resource items (README "Policy"),
 * never a provider's own plan attributes, so each works on every provider. A project's pack may replace
 * a rule (same id), change its level or turn it off (`levels:`).
 */
import type { PolicyRule } from '../domain/policy.js';

/** What a rule means by a resource "being changed": it exists after the apply, with this plan's configuration. */
const CHANGED = 'resource.action in ["create", "update", "replace"]';
/** A world-open firewall rule that lets TCP through on any of `ports`. */
const worldOpenTcp = (ports: number[]) =>
  `resource.world_open && ${CHANGED} && resource.protocol in ["tcp", "all"] && [${ports.join(', ')}].exists(port, resource.port_ranges.exists(r, r.from <= port && port <= r.to))`;
const productionDatabase = `input.session.production && resource.type == "database" && ${CHANGED}`;

const rule = (id: string, level: PolicyRule['level'], description: string, expression: string, scope: PolicyRule['scope'] = 'resource'): PolicyRule =>
  ({ id, level, scope, description, expression, source: 'default' });

export const DEFAULT_RULES: PolicyRule[] = [
  rule('public-bucket', 'hard-mandatory', 'A storage bucket must not be readable by anyone on the internet.',
    `resource.type == "storage_bucket" && resource.public_access && ${CHANGED}`),
  rule('world-open-admin-port', 'soft-mandatory', 'SSH (22) and RDP (3389) must not be open to the whole internet.', worldOpenTcp([22, 3389])),
  rule('world-open-database-port', 'soft-mandatory', 'Database ports (MySQL, PostgreSQL, SQL Server, MongoDB, Redis) must not be open to the whole internet.',
    worldOpenTcp([3306, 5432, 1433, 27017, 6379])),
  rule('production-database-backups', 'soft-mandatory', 'A production database must have backups enabled.', `${productionDatabase} && !resource.backups_enabled`),
  rule('production-database-ha', 'advisory', 'A production database should be highly available.', `${productionDatabase} && !resource.high_availability`),
  rule('stateful-destroy', 'advisory', 'Destroying or replacing a database or a bucket loses the data in it.', 'resource.stateful && resource.action in ["delete", "replace"]'),
  rule('cost-increase', 'advisory', "The plan raises the monthly cost by more than the project's threshold.",
    'input.cost.delta_monthly_usd > input.cost.threshold_usd', 'plan'),
  rule('missing-labels', 'advisory', 'A resource should carry owner and environment labels.',
    `${CHANGED} && !["owner", "environment"].all(k, k in resource.labels && resource.labels[k] != "")`),
];
