/**
 * Everything the bot can build, checked against Discord's documented limits by the emulator's own
 * validators (test/emulator/validation.ts, interaction-validation.ts): unique option values, 1–25
 * options, no more defaults than a select takes, label/placeholder/custom id lengths, five modal rows,
 * 2,000 characters of content and the embed totals. The emulator answers a payload that breaks any of
 * them with Discord's 400 (50035), so a payload refused here would be refused on real Discord.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modalPayload } from '../../../src/discord/modals/build.js';
import { DIRECTIONS, resourceForm, type FormContext } from '../../../src/discord/modals/forms.js';
import { encodeId } from '../../../src/discord/customId.js';
import { renderLobby } from '../../../src/discord/views/lobby.js';
import {
  decodePlacement, decodeRegionPage, directionStep, encodePlacement, nextStep, providerRegionStep, regionStep, typeStep, zoneStep, type StepMessage,
} from '../../../src/discord/views/placement.js';
import { pickStep } from '../../../src/discord/views/picker.js';
import { refusedFormMessage } from '../../../src/discord/views/refusedForm.js';
import { replyOptions } from '../../../src/discord/respond.js';
import { gitDiffMessage, gitLogMessage } from '../../../src/discord/views/history.js';
import { planOutputMessage } from '../../../src/discord/views/plan.js';
import { quotaMessage } from '../../../src/discord/views/reports.js';
import { driftCard, resolvedCard } from '../../../src/discord/views/drift.js';
import { messageBody } from '../../../src/discord/outbox.js';
import { CATALOGS, type ProviderCatalog } from '../../../src/resources/index.js';
import { PROVIDERS, RESOURCE_TYPES, type Provider, type ResourceType } from '../../../src/domain/resources.js';
import { validateModal } from '../../emulator/interaction-validation.js';
import type { JsonObject } from '../../emulator/json.js';
import { assertValidNewMessage } from '../../emulator/validation.js';
import { admin, approver, dev, sandboxProject, testApp, vm, type TestApp } from '../../helpers/app.js';
import { projectKey } from '../../../src/domain/projects.js';
import { micros } from '../../../src/domain/money.js';

const SESSION = '6f1c2a9e-3b7d-4e8f-9a0b-1c2d3e4f5a6b';
const SHOP = projectKey('111111111111111111', 'shop');

/** The emulator's verdict on a payload: undefined when Discord would take it, else its error tree. */
function refusal(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (e) {
    return JSON.stringify((e as { body?: unknown }).body ?? String(e));
  }
}
const messageRefusal = (m: object) => refusal(() => assertValidNewMessage(JSON.parse(JSON.stringify(m)) as JsonObject, 0));

function modalRefusal(provider: Provider, type: ResourceType, ctx: Partial<FormContext>, region: string, detail?: string): string | undefined {
  const form = resourceForm(type, { provider, region, networks: [], ...ctx });
  const id = encodeId('modal', SESSION, encodePlacement({ type, region, ...(detail ? { detail } : {}) }));
  return refusal(() => validateModal(JSON.parse(JSON.stringify(modalPayload(id, form.title, form.fields))) as JsonObject));
}

/** Every modal a placement can lead to on a catalog: each region, each zone of it, each direction. */
function everyModal(provider: Provider, c: ProviderCatalog, ctx: Partial<FormContext> = {}): Array<[string, string | undefined]> {
  return RESOURCE_TYPES.flatMap((type) => Object.keys(c.regions).flatMap((region) => {
    const details = type === 'compute_vm' ? c.regions[region]! : type === 'firewall_rule' ? [...DIRECTIONS] : [];
    const cases = details.length ? details : [undefined];
    return cases.map((detail): [string, string | undefined] => [
      `${provider} ${type} ${region} ${detail ?? ''}`,
      modalRefusal(provider, type, { ...ctx, ...(type === 'compute_vm' && detail ? { zone: detail } : {}), ...(type === 'firewall_rule' && detail ? { direction: detail as 'ingress' } : {}) }, region, detail),
    ]);
  }));
}

const refused = (cases: Array<[string, string | undefined]>) => cases.filter(([, r]) => r !== undefined);

/** A made-up cloud with 40 regions of three zones each: more than one select holds. */
const WIDE: ProviderCatalog = {
  ...CATALOGS.azure,
  regions: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`region-${String(i + 1).padStart(2, '0')}`, ['1', '2', '3']])),
};

describe('modals on every provider', () => {
  it('GIVEN the Azure VM modal as it was built before region and zone became steps THEN Discord refuses it (duplicate zone values, seven defaults)', () => {
    // The old Zone select listed every region's zones in one single-choice select.
    const zones = Object.entries(CATALOGS.azure.regions).flatMap(([r, zs]) => (zs.length ? zs : [r]));
    const old = { custom_id: encodeId('modal', SESSION, 'compute_vm'), title: 'Add Virtual Machine · Azure', components: [{
      type: 18, label: 'Zone', component: { type: 3, custom_id: 'location', options: zones.map((z) => ({ label: z, value: z, ...(z === '1' ? { default: true } : {}) })) },
    }] };
    const verdict = refusal(() => validateModal(old as unknown as JsonObject));
    expect(verdict).toContain('SELECT_COMPONENT_OPTION_VALUE_DUPLICATED');
    expect(verdict).toContain('SELECT_COMPONENT_TOO_MANY_DEFAULT_VALUES');
  });

  it('GIVEN every provider, type, region, zone and direction THEN every modal is one Discord accepts', () => {
    const cases = PROVIDERS.flatMap((p) => everyModal(p, CATALOGS[p]));
    expect(cases.length).toBeGreaterThan(150);
    expect(refused(cases)).toEqual([]);
  });

  it('GIVEN a session with 30 networks and names at their longest THEN the firewall modal still fits', () => {
    const networks = Array.from({ length: 30 }, (_, i) => `network-with-a-long-descriptive-name-number-${String(i).padStart(3, '0')}`.slice(0, 63));
    expect(refused(PROVIDERS.flatMap((p) => everyModal(p, CATALOGS[p], { networks })))).toEqual([]);
  });

  it('GIVEN a network named "default" in the session THEN the firewall network select still has one option per name', () => {
    expect(refused(PROVIDERS.flatMap((p) => everyModal(p, CATALOGS[p], { networks: ['default', 'net-1'] })))).toEqual([]);
  });

  it('GIVEN every provider THEN every field of its spreadsheet is reachable from the lobby: the steps plus the modal inputs', () => {
    const reachable = (provider: Provider, type: ResourceType) => {
      const form = resourceForm(type, { provider, region: CATALOGS[provider].defaultRegion, networks: [], zone: 'x', direction: 'egress' });
      const typed: Record<string, string> = { shape: '4, 16', subnets: 'web=10.0.1.0/24', disk: '20, x', protocol_ports: 'tcp 22' };
      const raw = form.toRaw(Object.fromEntries(form.fields.map((f) => [f.id, f.kind === 'select' ? f.options.map((o) => o.value).slice(0, f.maxValues ?? 1) : typed[f.id] ?? '1'])));
      return Object.keys(raw);
    };
    const columns: Record<ResourceType, string[]> = {
      compute_vm: ['name', 'region', 'zone', 'machine_type', 'disk_size_gb', 'disk_type', 'image'],
      database: ['name', 'region', 'engine', 'version', 'tier', 'storage_gb', 'backups_enabled', 'high_availability'],
      vpc_network: ['name', 'region', 'cidr', 'subnets', 'dns_enabled'],
      storage_bucket: ['name', 'region', 'storage_class', 'versioning', 'lifecycle_days', 'storage_gb'],
      firewall_rule: ['name', 'region', 'network', 'direction', 'protocol', 'ports', 'source_ranges', 'priority'],
    };
    for (const provider of PROVIDERS) for (const type of RESOURCE_TYPES) expect(reachable(provider, type), `${provider} ${type}`).toEqual(expect.arrayContaining(columns[type]));
    expect(reachable('gcp', 'compute_vm')).toEqual(expect.arrayContaining(['cpu', 'memory_gb', 'image']));
    expect(reachable('azure', 'storage_bucket')).toContain('replication');
    expect(reachable('sandbox', 'compute_vm')).toContain('boot_seconds');
  });
});

describe('the steps before the modal', () => {
  function stepsOf(c: ProviderCatalog): Array<[string, StepMessage]> {
    const regions = Object.keys(c.regions);
    const pages = Math.ceil(regions.length / 25);
    const zoned = regions.filter((r) => c.regions[r]!.length > 0);
    return [
      ['type', typeStep(SESSION, 'a-project-id-of-forty-characters-long-xx')],
      ...RESOURCE_TYPES.flatMap((type) => Array.from({ length: pages }, (_, p): [string, StepMessage] => [`${type} regions page ${p}`, regionStep(SESSION, type, regions, regions[0]!, p)])),
      // Only a region with zones has a zone step (nextStep goes straight to the modal elsewhere).
      ...zoned.map((r): [string, StepMessage] => [`zones of ${r}`, zoneStep(SESSION, r, c.regions[r]!)]),
      ...regions.map((r): [string, StepMessage] => [`direction in ${r}`, directionStep(SESSION, r)]),
      ...RESOURCE_TYPES.flatMap((type) => Array.from({ length: pages }, (_, p): [string, StepMessage] => [`editing a ${type}, regions page ${p}`, regionStep(SESSION, type, regions, regions[0]!, p, editing(regions.at(-1)!, c.regions[regions.at(-1)!]![0]))])),
      ...zoned.map((r): [string, StepMessage] => [`editing, zones of ${r}`, zoneStep(SESSION, r, c.regions[r]!, editing(r, c.regions[r]![0]))]),
      ...regions.map((r): [string, StepMessage] => [`editing, direction in ${r}`, directionStep(SESSION, r, editing(r, 'egress'))]),
    ];
  }

  /** An edited resource at its longest: a 63-character name, in a region's last zone. */
  const editing = (region: string, detail?: string) => ({ ref: 'abcdef0123', name: `n${'a'.repeat(61)}z`, region, ...(detail ? { detail } : {}) });

  it('GIVEN every provider THEN every step message is one Discord accepts', () => {
    const steps = PROVIDERS.flatMap((p) => stepsOf(CATALOGS[p]).map(([label, m]): [string, string | undefined] => [`${p} ${label}`, messageRefusal({ ...m, flags: 64 })]));
    expect(refused(steps)).toEqual([]);
  });

  it('GIVEN a made-up 40-region catalog THEN the region step pages 25 at a time, every page is valid, every region is on exactly one page, and the page buttons lead there', () => {
    const regions = Object.keys(WIDE.regions);
    expect(refused(stepsOf(WIDE).map(([label, m]) => [label, messageRefusal(m)]))).toEqual([]);
    const offered: string[] = [];
    let page = 0;
    for (let hops = 0; hops < 3; hops++) {
      const step = regionStep(SESSION, 'database', regions, 'region-31', page);
      const select = step.components[0]!.components[0] as { options: Array<{ value: string; description?: string }> };
      offered.push(...select.options.map((o) => o.value));
      const next = step.components[1]!.components[1] as { custom_id: string; disabled: boolean };
      if (next.disabled) break;
      page = decodeRegionPage(next.custom_id.split(':')[3]).page;
    }
    expect(offered).toEqual(regions);
    const second = regionStep(SESSION, 'database', regions, 'region-31', 1);
    expect(second.content).toContain('regions 26–40 of 40');
    expect((second.components[0]!.components[0] as { options: Array<{ value: string; description?: string }> }).options.find((o) => o.value === 'region-31')?.description).toBe('where this session\'s resources are');
    expect(decodePlacement('compute_vm.region-40.3', WIDE)).toEqual({ type: 'compute_vm', region: 'region-40', detail: '3' });
    expect(nextStep('compute_vm', WIDE, 'region-40')).toBe('zone');
    expect(nextStep('storage_bucket', WIDE, 'region-40')).toBe('modal');
    expect(nextStep('compute_vm', CATALOGS.azure, 'westus')).toBe('modal');
    expect(nextStep('compute_vm', CATALOGS.azure, 'westus3')).toBe('zone');
    expect(refused(everyModal('azure', WIDE))).toEqual([]);
  });

  it.each(['aws', 'azure', 'gcp'] as const)('GIVEN the shipped %s regions THEN the region step offers them all within 25 options, grouped by geography, each labelled with its area; the usual one is marked', (provider) => {
    const step = providerRegionStep(SESSION, 'compute_vm', provider, CATALOGS[provider].defaultRegion);
    expect(messageRefusal(step)).toBeUndefined();
    const options = (step.components[0]!.components[0] as { options: Array<{ value: string; description?: string }> }).options;
    expect(options.length).toBeLessThanOrEqual(25);
    expect(options.map((o) => o.value).sort()).toEqual(Object.keys(CATALOGS[provider].regions).sort());
    const areas = options.map((o) => o.description!.split(' · ')[0]!);
    expect(areas).toEqual(options.map((o) => CATALOGS[provider].regionOffers[o.value]!.geography));
    expect(areas.filter((a, i) => i === 0 || a !== areas[i - 1])).toEqual([...new Set(areas)]);
    expect(new Set(areas)).toEqual(new Set(['North America', 'Europe', 'Asia Pacific', 'South America']));
    expect(options.find((o) => o.value === CATALOGS[provider].defaultRegion)?.description).toMatch(/ · where this session's resources are$/);
  });

  it('GIVEN the longest region and an edit THEN the zone and direction travel short and decode to what was picked; ids written with full names still decode', () => {
    const vmAt = { type: 'compute_vm', edit: 'abcdef0123', region: 'northamerica-northeast1', detail: 'northamerica-northeast1-a' } as const;
    expect(encodePlacement(vmAt)).toBe('compute_vm-abcdef0123.northamerica-northeast1._-a');
    expect(decodePlacement(encodePlacement(vmAt), CATALOGS.gcp)).toEqual(vmAt);
    const rule = { type: 'firewall_rule', edit: 'abcdef0123', region: 'northamerica-northeast1', detail: 'egress' } as const;
    expect(encodePlacement(rule)).toBe('firewall_rule-abcdef0123.northamerica-northeast1.out');
    expect(decodePlacement(encodePlacement(rule), CATALOGS.gcp)).toEqual(rule);
    expect(decodePlacement('compute_vm.ap-southeast-1.ap-southeast-1b', CATALOGS.aws)).toEqual({ type: 'compute_vm', region: 'ap-southeast-1', detail: 'ap-southeast-1b' });
    expect(decodePlacement('firewall_rule.eastus.ingress', CATALOGS.azure)).toEqual({ type: 'firewall_rule', region: 'eastus', detail: 'ingress' });
    expect(() => decodePlacement('compute_vm.ap-southeast-1._z', CATALOGS.aws)).toThrow(/'ap-southeast-1z' is not a choice here/);
  });

  it('GIVEN forged placements THEN each is refused naming what is wrong', () => {
    const c = CATALOGS.azure;
    expect(() => decodePlacement('warp_drive.eastus', c)).toThrow(/type must be one of/);
    expect(() => decodePlacement('compute_vm.mars-1', c)).toThrow(/region 'mars-1' is not a Azure region|region 'mars-1' is not an Azure region|region 'mars-1'/);
    expect(() => decodePlacement('compute_vm.constructor', c)).toThrow(/region 'constructor'/);
    expect(() => decodePlacement('compute_vm.eastus.9', c)).toThrow(/'9' is not a choice here; use one of 1, 2, 3/);
    expect(() => decodePlacement('firewall_rule.eastus.sideways', c)).toThrow(/use one of ingress, egress/);
    expect(() => decodePlacement('database.eastus.1', c)).toThrow(/not a choice here/);
  });

  it('GIVEN every place an edit can reach on every provider THEN its controls\' custom ids fit Discord\'s 100 characters', () => {
    const ids = PROVIDERS.flatMap((p) => Object.entries(CATALOGS[p].regions).flatMap(([region, zones]) => RESOURCE_TYPES.flatMap((type) => {
      const details = type === 'compute_vm' ? zones : type === 'firewall_rule' ? [...DIRECTIONS] : [undefined];
      return details.flatMap((detail) => (['modal', 'keep', 'zone', 'direction', 'region'] as const).map((action) => encodeId(action, SESSION, encodePlacement({ type, edit: 'abcdef0123', region, ...(detail ? { detail } : {}) }))));
    })));
    expect(Math.max(...ids.map((id) => id.length))).toBeLessThanOrEqual(100);
  });

  it('GIVEN 1, 25, 40 and 300 resources with names at their longest THEN every page of the Edit and Remove Resource selects is valid and every resource is on one page', () => {
    const specs = (n: number) => Array.from({ length: n }, (_, i) => ({ ...vm(`web-with-a-long-descriptive-name-that-reaches-the-limit-${String(i).padStart(3, '0')}`.slice(0, 63)), region: 'local', zone: 'local-a', machine_type: 'small', disk_size_gb: 20, disk_type: 'standard', image: 'debian-12', boot_seconds: 0 }));
    for (const n of [1, 25, 40, 300]) {
      for (const purpose of ['edit', 'remove'] as const) {
        const offered: string[] = [];
        for (let page = 0; page < Math.ceil(n / 25); page++) {
          const step = pickStep(SESSION, specs(n) as never, purpose, page);
          expect(messageRefusal({ ...step, flags: 64 }), `${purpose} ${n} page ${page}`).toBeUndefined();
          offered.push(...(step.components[0]!.components[0] as { options: Array<{ value: string }> }).options.map((o) => o.value));
          if (n > 25) expect(step.content).toContain(`of ${n})`);
        }
        expect(offered).toEqual(specs(n).map((s) => s.name));
      }
    }
  });

  it('GIVEN every form prefilled with hostile typed values (5,000 characters, choices never offered) THEN every modal is one Discord accepts', () => {
    const verdicts = PROVIDERS.flatMap((provider) => RESOURCE_TYPES.map((type): [string, string | undefined] => {
      const plain = resourceForm(type, { provider, region: Object.keys(CATALOGS[provider].regions)[0]!, networks: ['net-1'] });
      const values = Object.fromEntries(plain.fields.map((f) => [f.id, f.kind === 'text' ? 'x'.repeat(5000) : [...f.options.map((o) => o.value), 'forged', 'forged']]));
      const form = resourceForm(type, { provider, region: Object.keys(CATALOGS[provider].regions)[0]!, networks: ['net-1'] }, { verb: 'Edit', values });
      return [`${provider} ${type}`, refusal(() => validateModal(JSON.parse(JSON.stringify(modalPayload(encodeId('modal', SESSION, `${type}-abcdef0123`), form.title, form.fields))) as JsonObject))];
    }));
    expect(refused(verdicts)).toEqual([]);
  });

  it('GIVEN a refused form with fifty long problems THEN the answer with its Edit and retry button is one Discord accepts', () => {
    const problems = Array.from({ length: 50 }, (_, i) => ({ label: 'Disk: size GB, type', message: `problem ${i} ${'y'.repeat(200)}` }));
    expect(messageRefusal({ ...refusedFormMessage(SESSION, SESSION, problems), flags: 64 })).toBeUndefined();
  });
});

describe('command replies at their largest', () => {
  it('GIVEN 300 long commits, a 1 MB diff, a plan of 100,000 lines and a quota of 50 long regions THEN each reply, as the bot sends it, is one Discord accepts', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      hash: 'f'.repeat(40), shortHash: 'fffffff', author: 'a'.repeat(100), authorId: '1', approver: { name: 'b'.repeat(100), id: '2' }, date: '2026-12-05T07:00:00Z', message: `Deploy ${'x'.repeat(300)} ${i}`, tags: ['deploy-20261205-070000-abcdef12'], deployment: null,
    }));
    const diff = { from: 'a'.repeat(40), to: 'b'.repeat(40), text: '+resource "x" {}\n'.repeat(60_000), filesChanged: 3 };
    const plan = { status: 'succeeded', toAdd: 100_000, toChange: 0, toDestroy: 0, output: '  + terraform_data.x\n'.repeat(100_000), error: null } as never;
    const quota = { projectId: SHOP, maxResources: 10, maxMonthlyCostMicros: micros(5e9), allowedRegions: Array.from({ length: 50 }, (_, i) => `northamerica-northeast-${i}`), allowedMachineTypes: null, updatedBy: 'alice', updatedAt: '2026-12-05T07:00:00Z' };
    const replies = [
      ['git log', replyOptions({ content: gitLogMessage('shop', entries), ephemeral: true })],
      ['git diff', replyOptions({ ...gitDiffMessage('shop', diff), ephemeral: true })],
      ['plan output', replyOptions(planOutputMessage(SHOP, SESSION, plan))],
      ['quota', replyOptions({ content: quotaMessage(quota), ephemeral: true })],
    ] as const;
    const verdicts = replies.map(([label, r]): [string, string | undefined] => [label, refusal(() => assertValidNewMessage(JSON.parse(JSON.stringify({ ...r, files: undefined })) as JsonObject, r.files?.length ?? 0))]);
    expect(refused(verdicts)).toEqual([]);
  });
});

describe('the drift card at its largest', () => {
  it('GIVEN 200 drifted resources with long names, twenty attributes each and 5,000-character values, and a 40-character project THEN the card and the resolved card are messages Discord accepts', () => {
    const since = '2026-12-05T07:00:00Z';
    const resources = Array.from({ length: 200 }, (_, i) => ({
      name: `${'n'.repeat(60)}-${i}`, type: 'compute_vm', kind: i % 7 ? 'changed' as const : 'missing' as const, since,
      attributes: Array.from({ length: 20 }, (_, a) => ({ attribute: `attr_${a}_${'x'.repeat(50)}`, deployed: 'd'.repeat(5000), observed: { nested: 'o'.repeat(5000) } })),
    }));
    const project = 'p'.repeat(40);
    const state = { projectId: SHOP, checkedAt: since, revision: 9, nextCheckAt: null };
    expect(messageRefusal(messageBody(driftCard(project, { resources, since }, since)))).toBeUndefined();
    expect(messageRefusal(messageBody(resolvedCard(project, state)))).toBeUndefined();
  });
});

describe('the lobby in every state it can reach', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await sandboxProject(t.app, 'shop', 1000);
    await t.app.orchestrator.setQuota(admin, 'shop', { maxResources: 100 });
  });
  afterAll(() => t.cleanup());

  it('GIVEN draft (empty and with 60 resources), planned, approved and applied, failed, and cancelled sessions THEN each lobby message is one Discord accepts', async () => {
    const o = t.app.orchestrator;
    const views: Array<[string, string]> = [];
    const keep = (label: string, id: string) => views.push([label, id]);
    const empty = await o.startSession(dev, 'shop');
    keep('draft, empty', empty.id);
    await o.cancel(dev, empty.id);
    keep('cancelled', empty.id);
    const big = await o.startSession(dev, 'shop');
    for (let i = 0; i < 60; i++) await o.addResource(dev, big.id, vm(`web-with-a-long-descriptive-name-${i}`));
    keep('draft, 60 resources', big.id);
    await o.cancel(dev, big.id);
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    keep('planned', s.id);
    await o.approve(approver, s.id);
    await (await o.apply(s.id, approver.userName)).result;
    keep('applied', s.id);
    const failed = await o.startSession(dev, 'shop');
    await o.addResource(dev, failed.id, { ...vm('web-2'), machine_type: 'small' });
    await t.app.orchestrator.setQuota(admin, 'shop', { maxResources: 1 });
    await o.plan(dev, failed.id);
    keep('plan failed (quota)', failed.id);
    const verdicts = await Promise.all(views.map(async ([label, id]): Promise<[string, string | undefined]> => [label, messageRefusal(renderLobby(await o.sessionView(dev, id)))]));
    expect(verdicts.map(([label]) => label)).toHaveLength(6);
    expect(refused(verdicts)).toEqual([]);
  }, 60_000);
});
