export * from '../domain/resources.js';
export { CATALOGS, machineShape, dbTierShape, soldHere, regionsByArea, type ProviderCatalog } from './catalogs/index.js';
export { parseSpec, parseProvider, configurationProblems, assertConfiguration } from './validate.js';
export { allowedFields, defaultsFor, specSchema } from './schemas.js';
export { parseProjectLabels, withProjectLabels } from './labels.js';
