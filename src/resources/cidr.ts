/** IPv4 CIDR parsing and overlap checks for VPCs, subnets and firewall source ranges. */
export interface Cidr {
  text: string;
  start: number;
  prefix: number;
  size: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseCidr(text: string): Cidr | string {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return `'${text}' is not a CIDR block; write it as a.b.c.d/nn, e.g. 10.0.0.0/16`;
  const octets = m[1]!.split('.');
  const prefix = Number(m[2]);
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o)) || prefix > 32) {
    return `'${text}' is not a valid IPv4 CIDR block (four octets 0-255 and a prefix 0-32)`;
  }
  const ip = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ip / size) * size;
  if (start !== ip) return `'${text}' has host bits set; did you mean ${formatIp(start)}/${prefix}?`;
  return { text, start, prefix, size };
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export const contains = (outer: Cidr, inner: Cidr) => inner.start >= outer.start && inner.start + inner.size <= outer.start + outer.size;
export const overlaps = (a: Cidr, b: Cidr) => a.start < b.start + b.size && b.start < a.start + a.size;
