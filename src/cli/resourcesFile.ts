import { basename } from 'node:path';
import { CoreError, validationError } from '../domain/errors.js';
import { readUserFile } from '../userFiles.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { parseProvider, parseSpec, configurationProblems } from '../resources/validate.js';
import { declaredProvider, isSpreadsheet, parseResourceFile, validateItems } from '../sheets/index.js';

export const MAX_RESOURCES_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_RESOURCES = 2000;

/** Reads a JSON array of resources; fails with the file's every problem, each naming its item. */
export function readResourcesJson(path: string): unknown[] {
  const text = readUserFile(path, MAX_RESOURCES_FILE_BYTES, 'resources file').toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw validationError([`resources file '${path}' is not valid JSON: ${(e as Error).message}`]);
  }
  if (!Array.isArray(data)) throw validationError(['resources file must hold a JSON array: [{"type": "compute_vm", "name": "web-1", …}]']);
  if (data.length > MAX_RESOURCES) throw validationError([`resources file has ${data.length} resources; at most ${MAX_RESOURCES} are allowed`]);
  return data;
}

const label = (raw: unknown, i: number) => {
  const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `resources[${i}] (${name.slice(0, 40)})` : `resources[${i}]`;
};

/** Validates every item; `provider` per item (estimate files) or one for all (session files). */
export function parseResources(items: unknown[], provider?: Provider): Array<{ provider: Provider; spec: ResourceSpec }> {
  const problems: string[] = [];
  const out: Array<{ provider: Provider; spec: ResourceSpec }> = [];
  items.forEach((raw, i) => {
    try {
      const p = provider ?? parseProvider((raw as { provider?: unknown } | null)?.provider);
      out.push({ provider: p, spec: parseSpec(p, raw) });
    } catch (e) {
      if (!(e instanceof CoreError)) throw e;
      const msgs = e.details.length ? e.details : [e.message];
      for (const m of msgs) problems.push(`${label(raw, i)}: ${m}`);
    }
  });
  if (!problems.length && provider) for (const p of configurationProblems(out.map((o) => o.spec))) problems.push(p);
  if (problems.length) throw validationError(problems);
  return out;
}

/**
 * Resource items from a file, by extension: JSON, or a spreadsheet (.xlsx, .csv) read by src/sheets.
 * A template names its provider, so its rows are checked here, with sheet and row in every message.
 */
export async function readResourceItems(path: string): Promise<unknown[]> {
  if (!isSpreadsheet(path)) return readResourcesJson(path);
  const items = await parseResourceFile(readUserFile(path, MAX_RESOURCES_FILE_BYTES, 'resources file'), basename(path));
  const declared = declaredProvider(items);
  if (declared) validateItems(declared, items);
  return items;
}
