import { RESOURCE_TYPES, RESOURCE_TYPE_LABELS, type ResourceType } from '../domain/resources.js';

/** The workbook's shape, shared by the writer and the reader so a template always reads back. */
export const INSTRUCTIONS_SHEET = 'Instructions';
/** Hidden sheet holding drop-down lists longer than Excel's 255-character inline limit. */
export const LISTS_SHEET = 'Lists';
/** The Instructions row whose column B names the provider the file is for. */
export const PROVIDER_KEY = 'Provider';
export const HEADER_ROW = 1;
export const FIRST_DATA_ROW = 2;

export const RESOURCE_SHEETS: Array<{ type: ResourceType; sheet: string }> = RESOURCE_TYPES.map((type) => ({ type, sheet: RESOURCE_TYPE_LABELS[type] }));
