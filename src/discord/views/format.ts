import { escapeMarkdown } from 'discord.js';
import { formatUsd, toUsd, type Money } from '../../domain/money.js';
import { resourceTypeLabel, type ResourceSpec } from '../../domain/resources.js';
import type { SessionState } from '../../domain/sessions.js';

/** An hourly rate as people read one: under a dollar it keeps three decimals ($0.134), and a sliver is not shown as free. */
export function hourlyUsd(amount: Money): string {
  if (amount <= 0 || amount >= 999_500) return formatUsd(amount);
  return amount < 500 ? '<$0.001' : `$${toUsd(amount).toFixed(3)}`;
}

export const STATE_BADGE: Record<SessionState, string> = {
  DRAFT: '📝 DRAFT',
  PLANNING: '⏳ PLANNING',
  PLANNED: '📋 PLANNED',
  PLAN_FAILED: '⚠️ PLAN FAILED',
  APPLYING: '🚀 APPLYING',
  APPLIED: '✅ APPLIED',
  FAILED: '❌ FAILED',
  INTERRUPTED: '⏹️ INTERRUPTED',
  CANCELLED: '🚫 CANCELLED',
  EXPIRED: '⌛ EXPIRED',
};

export const STATE_COLOR: Record<SessionState, number> = {
  DRAFT: 0x5865f2,
  PLANNING: 0xfee75c,
  PLANNED: 0x3498db,
  PLAN_FAILED: 0xe67e22,
  APPLYING: 0xfee75c,
  APPLIED: 0x57f287,
  FAILED: 0xed4245,
  INTERRUPTED: 0xe67e22,
  CANCELLED: 0x99aab5,
  EXPIRED: 0x99aab5,
};

/** Discord renders <t:…:R> in each reader's time zone ("in 58 minutes"). */
export const relativeTime = (iso: string): string => `<t:${Math.floor(Date.parse(iso) / 1000)}:R>`;

/** A Discord user as a mention; anyone else (the system acting on a lease's end) by name. */
export const userRef = (userId: string, userName: string) => (/^\d{1,20}$/.test(userId) ? `<@${userId}>` : `**${userName}**`);

export const typeLabel = resourceTypeLabel;

/** A VM's place: its zone where the zone names its region (europe-west1-b), else both (westeurope, zone 2). */
const vmPlace = (spec: Extract<ResourceSpec, { type: 'compute_vm' }>) => (spec.zone.startsWith(spec.region) ? spec.zone : `${spec.region} zone ${spec.zone}`);

/** The few settings that tell resources apart at a glance, each with where it runs (resources of one session may be in several regions). */
export function keySettings(spec: ResourceSpec): string {
  switch (spec.type) {
    case 'compute_vm': {
      const shape = spec.cpu !== undefined && spec.memory_gb !== undefined ? ` (${spec.cpu} vCPU, ${spec.memory_gb} GB)` : '';
      return `${spec.machine_type}${shape}, ${spec.disk_size_gb} GB ${spec.disk_type} disk, ${vmPlace(spec)}`;
    }
    case 'database':
      return `${spec.engine} ${spec.version}, ${spec.tier}, ${spec.storage_gb} GB, backups ${spec.backups_enabled ? 'on' : 'off'}${spec.high_availability ? ', HA' : ''}, ${spec.region}`;
    case 'vpc_network':
      return `${spec.cidr}, ${spec.subnets.length} subnet${spec.subnets.length === 1 ? '' : 's'}, DNS ${spec.dns_enabled ? 'on' : 'off'}, ${spec.region}`;
    case 'storage_bucket':
      // First, so it survives when a long list cuts the line short.
      return `${spec.public_access ? '🌐 public, ' : ''}${spec.storage_class}, versioning ${spec.versioning ? 'on' : 'off'}, ${spec.lifecycle_days === null ? 'no lifecycle rule' : `lifecycle ${spec.lifecycle_days} d`}, ${spec.region}`;
    case 'firewall_rule': {
      const ports = spec.ports.length ? spec.ports.join(',') : 'all ports';
      return `${spec.direction} ${spec.protocol}/${ports} from ${spec.source_ranges.join(', ')} on ${spec.network}, ${spec.region}`;
    }
  }
}

export const codeBlock = (text: string): string => `\`\`\`\n${text.replace(/```/g, '``\u200b`')}\n\`\`\``;

/**
 * Someone's free text (a reason) inside the bot's own lines: one line, markdown shown as typed, cut to `max`.
 * A newline in it could otherwise forge a line of the lobby ("Approvals 2/2").
 */
export const quotedText = (text: string, max: number): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return escapeMarkdown(line.length > max ? `${line.slice(0, max - 1)}…` : line);
};
