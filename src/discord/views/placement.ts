import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import { validationError } from '../../domain/errors.js';
import type { ProviderCatalog } from '../../resources/index.js';
import { RESOURCE_TYPE_LABELS, RESOURCE_TYPES, type ResourceType } from '../../domain/resources.js';
import { encodeId } from '../customId.js';
import { DIRECTIONS, type Direction } from '../modals/forms.js';
import { LIMITS } from './limits.js';

/**
 * Where a new resource goes, chosen in message steps before its modal: a modal cannot make one field
 * follow another (a zone its region) and holds five inputs. Region first, then the zone of a VM or the
 * direction of a firewall rule. The choices so far travel in custom ids as `type.region.detail`, so a
 * step survives a restart like every other component.
 */
export interface Placement {
  type: ResourceType;
  region?: string;
  /** A VM's zone or a firewall rule's direction. */
  detail?: string;
}

export const encodePlacement = (p: Placement): string => [p.type, p.region, p.detail].filter((x) => x !== undefined).join('.');

export function parseResourceType(value: string | undefined): ResourceType {
  if (!value || !(RESOURCE_TYPES as readonly string[]).includes(value)) throw validationError([`type must be one of ${RESOURCE_TYPES.join(', ')}`]);
  return value as ResourceType;
}

/** A placement from a custom id, checked against the catalog: a forged or stale id names what is wrong. */
export function decodePlacement(arg: string | undefined, c: ProviderCatalog): Placement {
  const [type, region, detail, ...rest] = (arg ?? '').split('.');
  const placement: Placement = { type: parseResourceType(type) };
  if (region === undefined) return placement;
  if (!Object.hasOwn(c.regions, region) || rest.length) throw validationError([`region '${region}' is not a ${c.label} region; pick one from the list`]);
  placement.region = region;
  if (detail === undefined) return placement;
  const allowed: readonly string[] = type === 'compute_vm' ? c.regions[region]! : type === 'firewall_rule' ? DIRECTIONS : [];
  if (!allowed.includes(detail)) throw validationError([`'${detail}' is not a choice here; use one of ${allowed.join(', ') || '(none)'}`]);
  return { ...placement, detail };
}

/** What is still to be chosen once the region is: a VM's zone (where the region has zones), a firewall rule's direction, or nothing. */
export function nextStep(type: ResourceType, c: ProviderCatalog, region: string): 'zone' | 'direction' | 'modal' {
  if (type === 'compute_vm' && (c.regions[region]?.length ?? 0) > 0) return 'zone';
  return type === 'firewall_rule' ? 'direction' : 'modal';
}

export interface StepMessage {
  content: string;
  components: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
}

const PER_PAGE = LIMITS.selectOptions;

/** The first step: which type of resource. */
export function typeStep(sessionId: string, projectId: string): StepMessage {
  return {
    content: `What should **${projectId}** get? Pick a type, then where it goes.`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('type', sessionId), placeholder: 'Resource type',
        options: RESOURCE_TYPES.map((t) => ({ label: RESOURCE_TYPE_LABELS[t], value: t })),
      }],
    }],
  };
}

export const regionPageOf = (regions: readonly string[], region: string) => Math.max(0, Math.floor(regions.indexOf(region) / PER_PAGE));

/**
 * The region select, a page of 25 at a time with Previous/Next buttons when the cloud offers more;
 * `usual` (the session's first resource's region) is marked so the common choice is one click.
 */
export function regionStep(sessionId: string, type: ResourceType, regions: readonly string[], usual: string, page: number): StepMessage {
  const pages = Math.max(1, Math.ceil(regions.length / PER_PAGE));
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = regions.slice(at * PER_PAGE, (at + 1) * PER_PAGE);
  const rows: StepMessage['components'] = [{
    type: ComponentType.ActionRow,
    components: [{
      type: ComponentType.StringSelect, custom_id: encodeId('region', sessionId, type), placeholder: 'Region',
      options: shown.map((r) => ({ label: r, value: r, ...(r === usual ? { description: 'where this session\'s resources are' } : {}) })),
    }],
  }];
  if (pages > 1) {
    const turn = (to: number, label: string) => ({
      type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label, disabled: to < 0 || to >= pages,
      custom_id: encodeId('regionPage', sessionId, `${type}.${Math.min(Math.max(to, 0), pages - 1)}${label.startsWith('◀') ? 'p' : 'n'}`),
    });
    rows.push({ type: ComponentType.ActionRow, components: [turn(at - 1, '◀ Previous'), turn(at + 1, 'Next ▶')] });
  }
  const paging = pages > 1 ? ` (regions ${at * PER_PAGE + 1}–${at * PER_PAGE + shown.length} of ${regions.length})` : '';
  return { content: `Where should the new **${RESOURCE_TYPE_LABELS[type]}** go? Pick a region${paging}.`, components: rows };
}

/** `type.<page>p` / `type.<page>n` from a page button (the suffix keeps the two buttons' ids distinct). */
export function decodeRegionPage(arg: string | undefined): { type: ResourceType; page: number } {
  const m = /^([a-z_]+)\.(\d{1,4})[pn]$/.exec(arg ?? '');
  if (!m || !(RESOURCE_TYPES as readonly string[]).includes(m[1]!)) throw validationError(['this page button is no longer valid; click Add Resource again']);
  return { type: m[1] as ResourceType, page: Number(m[2]) };
}

export function zoneStep(sessionId: string, region: string, zones: readonly string[]): StepMessage {
  return {
    content: `Region **${region}**. Which zone should the **Virtual Machine** run in?`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('zone', sessionId, encodePlacement({ type: 'compute_vm', region })), placeholder: 'Zone',
        options: zones.slice(0, PER_PAGE).map((z) => ({ label: z, value: z })),
      }],
    }],
  };
}

const DIRECTION_LABELS: Record<Direction, { label: string; description: string }> = {
  ingress: { label: 'Inbound (ingress)', description: 'traffic from the listed sources to the network' },
  egress: { label: 'Outbound (egress)', description: 'traffic from the network to the listed destinations' },
};

export function directionStep(sessionId: string, region: string): StepMessage {
  return {
    content: `Region **${region}**. Does the **Firewall Rule** allow inbound or outbound traffic?`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('direction', sessionId, encodePlacement({ type: 'firewall_rule', region })), placeholder: 'Direction',
        options: DIRECTIONS.map((d) => ({ ...DIRECTION_LABELS[d], value: d })),
      }],
    }],
  };
}
