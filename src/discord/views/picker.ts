import { ComponentType } from 'discord.js';
import { validationError } from '../../domain/errors.js';
import type { ResourceSpec } from '../../domain/resources.js';
import { encodeId } from '../customId.js';
import { keySettings, typeLabel } from './format.js';
import { LIMITS, truncate } from './limits.js';
import { pageOf, pagerRow } from './pager.js';
import type { StepMessage } from './placement.js';

/** What a resource is picked for: Edit Resource or Remove Resource. */
export type PickPurpose = 'edit' | 'remove';
const ASK: Record<PickPurpose, string> = { edit: 'Which resource should change?', remove: 'Which resource should go?' };

/**
 * A select of the session's resources, 25 to a page with Previous/Next when there are more (a lobby may
 * hold hundreds): the first step of editing or removing one.
 */
export function pickStep(sessionId: string, specs: ResourceSpec[], purpose: PickPurpose, page = 0): StepMessage {
  const p = pageOf(specs, page, 'resources');
  const rows: StepMessage['components'] = [{
    type: ComponentType.ActionRow,
    components: [{
      type: ComponentType.StringSelect, custom_id: encodeId(purpose === 'edit' ? 'editSelect' : 'removeSelect', sessionId),
      placeholder: purpose === 'edit' ? 'Resource to edit' : 'Resource to remove',
      options: p.shown.map((spec) => ({
        label: truncate(spec.name, LIMITS.optionLabel), value: spec.name,
        description: truncate(`${typeLabel(spec.type)} · ${keySettings(spec)}`, LIMITS.optionDescription),
      })),
    }],
  }];
  if (p.pages > 1) rows.push(pagerRow(p, (to, side) => encodeId('pickPage', sessionId, `${purpose}.${to}${side}`)));
  return { content: `${ASK[purpose]}${p.range}`, components: rows };
}

/** `edit.<page>p` / `remove.<page>n` from a page button. */
export function decodePickPage(arg: string | undefined): { purpose: PickPurpose; page: number } {
  const m = /^(edit|remove)\.(\d{1,4})[pn]$/.exec(arg ?? '');
  if (!m) throw validationError(['this page button is no longer valid; click Edit Resource or Remove Resource again']);
  return { purpose: m[1] as PickPurpose, page: Number(m[2]) };
}
