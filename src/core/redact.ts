/**
 * Masks secrets in text bound for users, logs, git or the audit log: exact values we know to be
 * secret (credentials handed to Terraform) and shapes that look like secrets wherever they appear.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '[redacted-aws-key]'],
  [/((?:password|passwd|secret|token|api[_-]?key|client[_-]?secret|access[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',}]{4,}/gi, '$1[redacted]'],
  [/(https?:\/\/)[^\s/:@]+:[^\s/@]+@/g, '$1***@'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[redacted-private-key]'],
];

export type Redactor = (text: string) => string;

/** The fields of a JSON credential (a GCP service-account key) that are secret on their own. */
const SECRET_FIELD = /private|secret|key|token|password|credential/i;

function jsonSecretFields(value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  return Object.entries(parsed).flatMap(([k, v]) => (typeof v === 'string' && SECRET_FIELD.test(k) && !/_(uri|url)$/i.test(k) ? [v] : []));
}

/**
 * A secret inside a longer base64 text (HTTP Basic `base64(user:secret)`, a JSON credential encoded whole)
 * encodes differently for each of the three byte offsets it can start at: the characters that depend on
 * the secret alone, without the group it shares with what precedes or follows it, for each offset.
 */
function base64Cores(v: Buffer): string[] {
  return [0, 1, 2].flatMap((k) => {
    const enc = Buffer.concat([Buffer.alloc(k), v]).toString('base64');
    const core = enc.slice(k ? 4 : 0, -4);
    return [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
  }).filter((c) => c.length >= 12);
}

/** A secret as output may carry it: as is, URL-encoded, JSON-escaped, hex, and base64 (standard and URL-safe, padded or not, or inside a longer encoding). */
function encodings(v: string): string[] {
  const bytes = Buffer.from(v);
  const b64 = bytes.toString('base64');
  const hex = bytes.toString('hex');
  return [v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1), b64, b64.replace(/=+$/, ''), bytes.toString('base64url'), hex, hex.toUpperCase(), ...base64Cores(bytes)];
}

export function createRedactor(secretValues: string[]): Redactor {
  const values = secretValues.flatMap((v) => [v, ...jsonSecretFields(v)]);
  const exact = [...new Set(values.flatMap(encodings).filter((v) => v.length >= 6))].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const v of exact) out = out.split(v).join('[redacted]');
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  };
}
