/**
 * The one HCL writer every provider uses. Configurations are built as a typed tree and rendered
 * here, so user text only ever lands inside a fully escaped string literal and identifiers are
 * validated before they are written: no spec value can change the configuration's structure.
 * Output follows `terraform fmt` (2-space indents, `=` aligned across consecutive attributes).
 */

/** Attribute and block names: HCL identifiers as the providers spell them. */
const NAME = /^[a-z_][a-z0-9_]*$/;
/** Block labels and reference segments: resource names may also contain dashes. */
const LABEL = /^[a-z][a-z0-9_-]*$/;
/** Object keys that may stay bare; anything else is written as an escaped string key. */
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A reference such as `google_compute_network.main.id`, `high_availability[0].zone` or the type keyword `string`. */
export class Ref {
  readonly parts: ReadonlyArray<string | number>;
  constructor(parts: Array<string | number>) {
    for (const p of parts) {
      if (typeof p === 'number' ? !Number.isSafeInteger(p) || p < 0 : !LABEL.test(p)) {
        throw new Error(`invalid HCL reference segment ${JSON.stringify(p)}`);
      }
    }
    this.parts = parts;
  }

  toString(): string {
    return this.parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  }
}

/** A call of one of the few functions a configuration needs, on plain values: `sensitive("…")`. */
export class Call {
  constructor(readonly fn: 'sensitive', readonly args: ReadonlyArray<string | number | boolean>) {}
}

export type Value = string | number | boolean | null | Ref | Call | readonly Value[] | { readonly [key: string]: Value };

export interface Attribute {
  kind: 'attr';
  name: string;
  value: Value;
}

export interface Block {
  kind: 'block';
  type: string;
  labels: string[];
  body: Item[];
}

export type Item = Attribute | Block;

function label(text: string): string {
  if (typeof text !== 'string' || !LABEL.test(text)) throw new Error(`invalid HCL label ${JSON.stringify(text)}: must match ${LABEL}`);
  return text;
}

function name(text: string): string {
  if (typeof text !== 'string' || !NAME.test(text)) throw new Error(`invalid HCL name ${JSON.stringify(text)}: must match ${NAME}`);
  return text;
}

export const ref = (...parts: Array<string | number>) => new Ref(parts);

export const sensitive = (value: string | number | boolean) => new Call('sensitive', [value]);

/** Builds a body, dropping `undefined` entries so optional arguments read inline. */
export const body = (...items: Array<Item | undefined>): Item[] => items.filter((i): i is Item => i !== undefined);

export const attr = (attrName: string, value: Value): Attribute => ({ kind: 'attr', name: name(attrName), value });

export function block(type: string, labels: string[], items: Item[]): Block {
  return { kind: 'block', type: name(type), labels: labels.map(label), body: items };
}

/** `NAME = value` only when value is defined: for arguments a spec may leave out. */
export const optAttr = (attrName: string, value: Value | undefined) => (value === undefined ? undefined : attr(attrName, value));

const hex = (cp: number) => (cp > 0xffff ? `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`);

/**
 * An HCL quoted string literal for any text. Besides quotes and backslashes, control and
 * invisible format characters (bidi overrides, zero-width, U+2028/2029) are written as
 * \u escapes so a reviewer sees them, and template openers are doubled (`$${`, `%%{`) so
 * the value is never interpolated.
 */
export function quote(text: string): string {
  if (/\p{Cs}/u.test(text)) throw new Error('string contains an unpaired UTF-16 surrogate');
  const escaped = text.replace(/[\\"]|\$\{|%\{|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (m) => {
    if (m === '\\' || m === '"') return `\\${m}`;
    if (m === '${' || m === '%{') return `${m[0]}${m}`;
    if (m === '\n') return '\\n';
    if (m === '\r') return '\\r';
    if (m === '\t') return '\\t';
    return hex(m.codePointAt(0)!);
  });
  return `"${escaped}"`;
}

function scalar(value: Value): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write non-finite number ${value}`);
    return String(value);
  }
  if (value instanceof Ref) return value.toString();
  if (value instanceof Call) return `${value.fn}(${value.args.map((a) => scalar(a)).join(', ')})`;
  return undefined;
}

const pad = (depth: number) => '  '.repeat(depth);

/** Renders a value whose first line continues the current line; nested lines are indented at depth + 1. */
function renderValue(value: Value, depth: number): string {
  const simple = scalar(value);
  if (simple !== undefined) return simple;
  if (Array.isArray(value)) {
    const items = value as readonly Value[];
    if (items.every((v) => scalar(v) !== undefined)) return `[${items.map((v) => scalar(v)).join(', ')}]`;
    return `[\n${items.map((v) => `${pad(depth + 1)}${renderValue(v, depth + 1)},\n`).join('')}${pad(depth)}]`;
  }
  const entries = Object.entries(value as { [key: string]: Value });
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => ({ lead: BARE_KEY.test(k) ? k : quote(k), value: renderValue(v, depth + 1) }));
  return `{\n${alignedLines(lines, depth + 1)}${pad(depth)}}`;
}

/** Display width as `terraform fmt` counts it (grapheme clusters), which matters only for quoted non-ASCII keys. */
const segmenter = new Intl.Segmenter();
const width = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text.length : [...segmenter.segment(text)].length);

/**
 * `terraform fmt` aligns `=` over runs of consecutive single-line assignments; a value that
 * opens a multi-line bracket ends the run (its line is not counted) and the next line starts one.
 */
function alignedLines(lines: Array<{ lead: string; value: string }>, depth: number): string {
  const out: string[] = [];
  let run: Array<{ lead: string; value: string }> = [];
  const flush = () => {
    const column = run.reduce((widest, l) => Math.max(widest, width(l.lead)), 0);
    for (const l of run) out.push(`${pad(depth)}${l.lead}${' '.repeat(column - width(l.lead))} = ${l.value}\n`);
    run = [];
  };
  for (const line of lines) {
    if (line.value.includes('\n')) {
      if (run.length) flush();
      out.push(`${pad(depth)}${line.lead} = ${line.value}\n`);
    } else run.push(line);
  }
  if (run.length) flush();
  return out.join('');
}

function renderBlock(b: Block, depth: number): string {
  const header = [b.type, ...b.labels.map(quote)].join(' ');
  if (b.body.length === 0) return `${pad(depth)}${header} {}\n`;
  return `${pad(depth)}${header} {\n${renderBody(b.body, depth + 1)}${pad(depth)}}\n`;
}

/** Attributes in runs, nested blocks set off by blank lines, as hand-written Terraform reads. */
function renderBody(items: Item[], depth: number): string {
  const chunks: string[] = [];
  let attrs: Attribute[] = [];
  const flush = () => {
    if (attrs.length) chunks.push(alignedLines(attrs.map((a) => ({ lead: a.name, value: renderValue(a.value, depth) })), depth));
    attrs = [];
  };
  for (const item of items) {
    if (item.kind === 'attr') attrs.push(item);
    else {
      flush();
      chunks.push(renderBlock(item, depth));
    }
  }
  flush();
  return chunks.join('\n');
}

/** A whole .tf file: top-level blocks separated by one blank line, ending in a newline. */
export function renderFile(blocks: Block[]): string {
  const seen = new Set<string>();
  for (const b of blocks) {
    if (b.type !== 'resource' && b.type !== 'data' && b.type !== 'variable' && b.type !== 'output') continue;
    const address = [b.type, ...b.labels].join('.');
    if (seen.has(address)) throw new Error(`duplicate ${address} in one configuration`);
    seen.add(address);
  }
  return blocks.map((b) => renderBlock(b, 0)).join('\n');
}
