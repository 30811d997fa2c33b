/**
 * The file layout every provider shares: versions.tf, providers.tf, main.tf, and variables.tf /
 * outputs.tf when there is something to put in them.
 */
import type { Block, Ref } from './hcl.js';
import { attr, block, renderFile } from './hcl.js';

export interface ProviderPin {
  /** Local name used in provider blocks and resource type prefixes. */
  local: string;
  source: string;
  version: string;
}

export interface ConfigParts {
  pins: ProviderPin[];
  /** Terraform 1.11 is needed for write-only arguments; 1.5 otherwise. */
  terraformVersion?: string;
  providers: Block[];
  main: Block[];
  variables: Block[];
  outputs: Block[];
}

function versions(pins: ProviderPin[], terraformVersion: string): Block {
  const required = pins.length
    ? [block('required_providers', [], pins.map((p) => attr(p.local, { source: p.source, version: p.version })))]
    : [];
  return block('terraform', [], [attr('required_version', terraformVersion), ...required]);
}

export function assemble(parts: ConfigParts): Record<string, string> {
  const files: Record<string, string> = { 'versions.tf': renderFile([versions(parts.pins, parts.terraformVersion ?? '>= 1.5')]) };
  if (parts.providers.length) files['providers.tf'] = renderFile(parts.providers);
  files['main.tf'] = renderFile(parts.main);
  if (parts.variables.length) files['variables.tf'] = renderFile(parts.variables);
  if (parts.outputs.length) files['outputs.tf'] = renderFile(parts.outputs);
  return files;
}

/** `resource_ids`: each spec's main resource id by spec name, for the runner and the CLI. */
export function idsOutput(ids: Array<[name: string, id: Ref]>, description: string): Block {
  return block('output', ['resource_ids'], [attr('description', description), attr('value', Object.fromEntries(ids))]);
}
