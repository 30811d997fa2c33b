/** Cloud-side names derived from spec names, deterministic so a re-run never renames anything. */
import { createHash } from 'node:crypto';

export const shortHash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** `name` itself when it fits, else a prefix plus a hash of the whole so long names stay distinct. */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  return `${name.slice(0, max - 9).replace(/-+$/, '')}-${shortHash(name, 8)}`;
}

/**
 * Azure storage account names are 3-24 lowercase letters and digits, unique across all of Azure:
 * the bucket name's letters (for recognition) plus a hash of project and name (for uniqueness).
 */
export function storageAccountName(project: string, name: string): string {
  return `${name.replace(/[^a-z0-9]/g, '').slice(0, 14)}${shortHash(`${project}/${name}`, 10)}`;
}

/** Label for a resource that belongs to two specs' names (a VPC's subnet): `_` never occurs in a spec name, so it cannot collide. */
export const pairLabel = (a: string, b: string) => `${a}_${b}`;
