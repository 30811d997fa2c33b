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

export function createRedactor(secretValues: string[]): Redactor {
  const exact = [...new Set(secretValues.filter((v) => v.length >= 6))].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const v of exact) out = out.split(v).join('[redacted]');
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  };
}
