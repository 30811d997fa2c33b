import { ComponentType } from 'discord.js';
import type { ResourceSpec } from '../../domain/resources.js';
import { encodeId } from '../customId.js';
import { keySettings, typeLabel } from './format.js';
import { LIMITS, truncate } from './limits.js';
import type { StepMessage } from './placement.js';

/** Remove Resource: a select of the session's resources (the first 25; the message says how many more). */
export function removeStep(sessionId: string, specs: ResourceSpec[]): StepMessage {
  const shown = specs.slice(0, LIMITS.selectOptions);
  const more = specs.length - shown.length;
  return {
    content: `Which resource should go?${more ? ` (the first ${shown.length} are listed; ${more} more)` : ''}`,
    components: [{
      type: ComponentType.ActionRow,
      components: [{
        type: ComponentType.StringSelect, custom_id: encodeId('removeSelect', sessionId), placeholder: 'Resource to remove',
        options: shown.map((spec) => ({
          label: truncate(spec.name, LIMITS.optionLabel), value: spec.name,
          description: truncate(`${typeLabel(spec.type)} · ${keySettings(spec)}`, LIMITS.optionDescription),
        })),
      }],
    }],
  };
}
