import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CoreError } from '../domain/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing: an unknown or malformed flag is a usage error naming it, not a stack trace. */
export function parseFlags<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CoreError('validation', `${(e as Error).message.split('\n')[0]}\nUsage: ${usage}`);
  }
}

export function requireFlag(value: string | boolean | undefined, flag: string, usage: string): string {
  if (typeof value !== 'string' || value === '') throw new CoreError('validation', `--${flag} is required.\nUsage: ${usage}`);
  return value;
}

export function numberFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < min || n > max) throw new CoreError('validation', `--${flag} must be a number from ${min} to ${max}, got '${value}'`);
  return n;
}
