import type { StoreCipher } from './cipher.js';

export type Param = string | number | Buffer | null;
/** Positional parameters for `?`, or named ones for `@name`: every repository writes its SQL once, for both dialects. */
export type Params = readonly Param[] | object;

/**
 * What a repository function runs its SQL on. Repositories are written once in the SQL both SQLite and
 * PostgreSQL speak; the few places the dialects differ are the fragments below, chosen by each executor.
 */
export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** Seals and opens state bodies, plan files and plan text at rest. */
  readonly cipher: StoreCipher;
  all<T>(text: string, params?: Params): Promise<T[]>;
  get<T>(text: string, params?: Params): Promise<T | undefined>;
  /** The first column of the first row. */
  value<T>(text: string, params?: Params): Promise<T | undefined>;
  /** The first column of every row. */
  values<T>(text: string, params?: Params): Promise<T[]>;
  /** Runs a statement; the number of rows it changed. */
  run(text: string, params?: Params): Promise<number>;
  /**
   * A body column's stored form. SQLite keeps text and sealed bytes apart by the value's own type;
   * PostgreSQL has one BYTEA column, so a leading byte says which of the two it holds.
   */
  body(value: string | Buffer): Param;
  /** What `body` stored, as the cipher reads it: text as a string, sealed or binary values as bytes. */
  unbody(stored: unknown): string | Buffer;
  /** SQL for the key id (16 hex digits) that sealed the body in `column`, NULL when it is in clear. */
  keyIdOf(column: string): string;
  /** A FROM item that yields each element of the JSON text array in `column` as `<alias>.value`. */
  jsonEach(column: string, alias: string): string;
  /** The column that orders a table's rows by insertion where timestamps tie. */
  readonly insertionOrder: string;
}

const TEXT_BODY = 0;
const BYTES_BODY = 1;

/** The PostgreSQL forms of a body: one tagged BYTEA column. */
export const taggedBody = {
  body: (value: string | Buffer): Buffer =>
    typeof value === 'string' ? Buffer.concat([Buffer.of(TEXT_BODY), Buffer.from(value, 'utf8')]) : Buffer.concat([Buffer.of(BYTES_BODY), value]),
  unbody: (stored: unknown): string | Buffer => {
    if (typeof stored === 'string') return stored;
    const b = stored as Buffer;
    return b[0] === TEXT_BODY ? b.subarray(1).toString('utf8') : b.subarray(1);
  },
};

/**
 * `?` and `@name` placeholders as PostgreSQL's `$n` (a name used twice is one parameter), with the
 * values in that order. Quoted literals and identifiers are left alone.
 */
export function toNumbered(text: string, params: Params | undefined): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const named = new Map<string, number>();
  const positional = Array.isArray(params) ? (params as readonly Param[]) : [];
  const byName = (Array.isArray(params) ? {} : params ?? {}) as Record<string, unknown>;
  let next = 0;
  const out = text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?|@([A-Za-z_]\w*)/g, (match, name: string | undefined) => {
    if (match === '?') {
      if (next >= positional.length) throw new Error(`SQL has more placeholders than the ${positional.length} values given: ${text.slice(0, 80)}`);
      values.push(positional[next++]);
      return `$${values.length}`;
    }
    if (name === undefined) return match;
    let at = named.get(name);
    if (at === undefined) {
      if (!(name in byName)) throw new Error(`SQL names @${name}, which the values lack: ${text.slice(0, 80)}`);
      values.push(byName[name] ?? null);
      at = values.length;
      named.set(name, at);
    }
    return `$${at}`;
  });
  if (next < positional.length) throw new Error(`SQL has ${next} placeholders but ${positional.length} values were given: ${text.slice(0, 80)}`);
  return { text: out, values };
}
