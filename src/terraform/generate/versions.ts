/**
 * Provider pins, one place. Majors current at the time of writing, each with `~>` on the minor
 * so `terraform init -upgrade` takes fixes but never a new major's breaking changes.
 */
import { attr, block, renderFile } from './hcl.js';

export interface ProviderPin {
  /** Local name used in provider blocks and resource type prefixes. */
  local: string;
  source: string;
  version: string;
}

export const TERRAFORM_VERSION = '>= 1.5';

export function versionsFile(pins: ProviderPin[]): string {
  const required = pins.length
    ? [block('required_providers', [], pins.map((p) => attr(p.local, { source: p.source, version: p.version })))]
    : [];
  return renderFile([block('terraform', [], [attr('required_version', TERRAFORM_VERSION), ...required])]);
}
