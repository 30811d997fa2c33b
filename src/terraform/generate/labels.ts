/** A spec's labels as the clouds take them: none is the same to every generator whether absent or `{}`. */
import type { Labels, ResourceSpec } from '../../domain/resources.js';

export const labelsOf = (spec: ResourceSpec): Labels | undefined => (spec.labels && Object.keys(spec.labels).length ? spec.labels : undefined);

/** Tags a resource carries anyway (its Name) followed by the spec's labels, which are lowercase and cannot replace them. */
export const withLabels = (tags: Labels, spec: ResourceSpec): Labels => ({ ...tags, ...labelsOf(spec) });
