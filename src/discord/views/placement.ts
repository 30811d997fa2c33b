import { createHash } from 'node:crypto';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import { validationError } from '../../domain/errors.js';
import { CATALOGS, regionsByArea, type ProviderCatalog } from '../../resources/index.js';
import { RESOURCE_TYPE_LABELS, RESOURCE_TYPES, type Provider, type ResourceType } from '../../domain/resources.js';
import { encodeId } from '../customId.js';
import { DIRECTIONS, type Direction } from '../modals/forms.js';
import { LIMITS, truncate } from './limits.js';
import { pageOf, pagerRow } from './pager.js';

/**
 * Where a new resource goes, chosen in message steps before its modal: a modal cannot make one field
 * follow another (a zone its region) and holds five inputs. Region first, then the zone of a VM or the
 * direction of a firewall rule. An edit takes the same steps for the resource it changes. The choices so far
 * travel in custom ids as `type[-ref].region.detail`, so a step survives a restart like every other component.
 */
export interface Placement {
  type: ResourceType;
  /** The resource being edited, by `resourceRef` of its name (a name may be 63 characters; a custom id holds 100). */
  edit?: string;
  region?: string;
  /** A VM's zone or a firewall rule's direction. */
  detail?: string;
}

/** A short stand-in for a resource name in custom ids; the handler finds the resource by it and refuses when none matches. */
export const resourceRef = (name: string): string => createHash('sha256').update(name).digest('hex').slice(0, 10);

/**
 * Details travel short, so the longest region (northamerica-northeast1) still fits a 100-character custom id: a zone
 * that starts with its region's name as `_` + the rest (`asia-southeast1-b` in asia-southeast1 is `_-b`), a direction
 * as in/out. Ids written before (full names) still decode.
 */
const SAME_REGION = '_';
const SHORT_DIRECTION: Record<string, string> = { ingress: 'in', egress: 'out' };
const LONG_DIRECTION: Record<string, string> = { in: 'ingress', out: 'egress' };

function shortDetail(p: Placement): string | undefined {
  if (p.detail === undefined) return undefined;
  if (p.type === 'firewall_rule' && Object.hasOwn(SHORT_DIRECTION, p.detail)) return SHORT_DIRECTION[p.detail];
  return p.region !== undefined && p.detail.startsWith(p.region) ? `${SAME_REGION}${p.detail.slice(p.region.length)}` : p.detail;
}

function longDetail(type: ResourceType, region: string, short: string | undefined): string | undefined {
  if (short === undefined) return undefined;
  if (type === 'firewall_rule' && Object.hasOwn(LONG_DIRECTION, short)) return LONG_DIRECTION[short];
  return short.startsWith(SAME_REGION) ? `${region}${short.slice(SAME_REGION.length)}` : short;
}

export const encodePlacement = (p: Placement): string =>
  [p.edit ? `${p.type}-${p.edit}` : p.type, p.region, shortDetail(p)].filter((x) => x !== undefined).join('.');

export function parseResourceType(value: string | undefined): ResourceType {
  if (!value || !(RESOURCE_TYPES as readonly string[]).includes(value)) throw validationError([`type must be one of ${RESOURCE_TYPES.join(', ')}`]);
  return value as ResourceType;
}

/** `compute_vm` or `compute_vm-<ref>` (types have no hyphen). */
function parseSubject(head: string | undefined): Pick<Placement, 'type' | 'edit'> {
  const [type, edit, ...rest] = (head ?? '').split('-');
  if (edit !== undefined && (rest.length || !/^[0-9a-f]{10}$/.test(edit))) throw validationError(['this control is no longer valid; click Edit Resource again']);
  return { type: parseResourceType(type), ...(edit ? { edit } : {}) };
}

/** A placement from a custom id, checked against the catalog: a forged or stale id names what is wrong. */
export function decodePlacement(arg: string | undefined, c: ProviderCatalog): Placement {
  const [head, region, short, ...rest] = (arg ?? '').split('.');
  const placement: Placement = parseSubject(head);
  const type = placement.type;
  if (region === undefined) return placement;
  const detail = longDetail(type, region, short);
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

/** The resource an edit places again: its ref and name, and where it is now. */
export interface Editing {
  ref: string;
  name: string;
  region: string;
  /** Its zone (a VM) or direction (a firewall rule). */
  detail?: string;
}

const NOW = 'where it is now';
const subjectOf = (type: ResourceType, editing?: Editing) => encodePlacement({ type, ...(editing ? { edit: editing.ref } : {}) });
const whereNow = (e: Editing) => (e.detail ? `${e.region} (${e.detail})` : e.region);

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

export const regionPageOf = (regions: readonly string[], region: string) => Math.max(0, Math.floor(regions.indexOf(region) / LIMITS.selectOptions));

/** An edit's way past the steps: the modal for the resource where it is. */
function keepRow(sessionId: string, type: ResourceType, e: Editing): StepMessage['components'][number] {
  return {
    type: ComponentType.ActionRow,
    components: [{
      type: ComponentType.Button, style: ButtonStyle.Primary, label: truncate(`Keep ${whereNow(e)} · edit settings`, LIMITS.buttonLabel),
      custom_id: encodeId('keep', sessionId, encodePlacement({ type, edit: e.ref, region: e.region, ...(e.detail ? { detail: e.detail } : {}) })),
    }],
  };
}

/**
 * The region select, a page of 25 at a time with Previous/Next buttons when the cloud offers more; callers list the
 * regions grouped by geography and `areaOf` labels each option with its area (North America, Asia Pacific…). For a new
 * resource `usual` (the session's first resource's region) is marked; for an edit, where the resource is now,
 * with a button to keep it there.
 */
export function regionStep(sessionId: string, type: ResourceType, regions: readonly string[], usual: string, page: number, editing?: Editing, areaOf?: (region: string) => string | undefined): StepMessage {
  const p = pageOf(regions, page, 'regions');
  const [marked, note] = editing ? [editing.region, NOW] : [usual, 'where this session\'s resources are'];
  const subject = subjectOf(type, editing);
  const describe = (r: string) => [areaOf?.(r), r === marked ? note : undefined].filter(Boolean).join(' · ').slice(0, LIMITS.optionDescription);
  const rows: StepMessage['components'] = [{
    type: ComponentType.ActionRow,
    components: [{
      type: ComponentType.StringSelect, custom_id: encodeId('region', sessionId, subject), placeholder: 'Region',
      options: p.shown.map((r) => ({ label: r, value: r, ...(describe(r) ? { description: describe(r) } : {}) })),
    }],
  }];
  if (p.pages > 1) rows.push(pagerRow(p, (to, side) => encodeId('regionPage', sessionId, `${subject}.${to}${side}`)));
  if (!editing) return { content: `Where should the new **${RESOURCE_TYPE_LABELS[type]}** go? Pick a region${p.range}.`, components: rows };
  return {
    content: `Editing **${editing.name}** (${RESOURCE_TYPE_LABELS[type]}), now in **${whereNow(editing)}**. Keep it there, or pick a region to move it to${p.range}.`,
    components: [...rows, keepRow(sessionId, type, editing)],
  };
}

/**
 * The region step of a provider: its regions grouped by geography, each option labelled with its area, on `page`
 * or else the page holding `usual`.
 */
export function providerRegionStep(sessionId: string, type: ResourceType, provider: Provider, usual: string, page?: number, editing?: Editing): StepMessage {
  const regions = regionsByArea(provider);
  const at = page ?? regionPageOf(regions, editing?.region ?? usual);
  return regionStep(sessionId, type, regions, usual, at, editing, (r) => CATALOGS[provider].regionOffers[r]?.geography);
}

/** `type[-ref].<page>p` / `…n` from a page button (the suffix keeps the two buttons' ids distinct). */
export function decodeRegionPage(arg: string | undefined): Pick<Placement, 'type' | 'edit'> & { page: number } {
  const m = /^(([a-z_]+)(?:-[0-9a-f]{10})?)\.(\d{1,4})[pn]$/.exec(arg ?? '');
  if (!m || !(RESOURCE_TYPES as readonly string[]).includes(m[2]!)) throw validationError(['this page button is no longer valid; click Add Resource again']);
  return { ...parseSubject(m[1]), page: Number(m[3]) };
}

export function zoneStep(sessionId: string, region: string, zones: readonly string[], editing?: Editing): StepMessage {
  const here = editing?.region === region ? editing.detail : undefined;
  return {
    content: `Region **${region}**. Which zone should ${editing ? `**${editing.name}**` : 'the **Virtual Machine**'} run in?`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('zone', sessionId, encodePlacement({ type: 'compute_vm', ...(editing ? { edit: editing.ref } : {}), region })), placeholder: 'Zone',
        options: zones.slice(0, LIMITS.selectOptions).map((z) => ({ label: z, value: z, ...(z === here ? { description: NOW } : {}) })),
      }],
    }],
  };
}

const DIRECTION_LABELS: Record<Direction, { label: string; description: string }> = {
  ingress: { label: 'Inbound (ingress)', description: 'traffic from the listed sources to the network' },
  egress: { label: 'Outbound (egress)', description: 'traffic from the network to the listed destinations' },
};

export function directionStep(sessionId: string, region: string, editing?: Editing): StepMessage {
  return {
    content: `Region **${region}**. Does ${editing ? `**${editing.name}**` : 'the **Firewall Rule**'} allow inbound or outbound traffic?`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('direction', sessionId, encodePlacement({ type: 'firewall_rule', ...(editing ? { edit: editing.ref } : {}), region })), placeholder: 'Direction',
        options: DIRECTIONS.map((d) => ({ ...DIRECTION_LABELS[d], value: d, ...(d === editing?.detail ? { description: `${NOW}: ${DIRECTION_LABELS[d].description}`.slice(0, LIMITS.optionDescription) } : {}) })),
      }],
    }],
  };
}
