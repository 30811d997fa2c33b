import { ConfigError } from '../config.js';
import { isCoreError, type ErrorCode } from '../core/errors.js';
import { storageError } from '../db/database.js';
import type { CliIo } from './types.js';

const EXIT: Partial<Record<ErrorCode, number>> = { validation: 1, not_found: 4, forbidden: 3, locked: 5, conflict: 5, stale_plan: 5, budget: 6, quota: 6, storage: 74, terraform: 78 };

/** The one place the CLI turns errors into text and exit codes; bugs never print a stack unless asked. */
export function renderCliError(e: unknown, io: CliIo): number {
  if (e instanceof ConfigError) {
    for (const p of e.problems) io.err(`config: ${p}`);
    return 78;
  }
  const known = isCoreError(e) ? e : storageError(e);
  if (known) {
    io.err(`error: ${known.userMessage}`);
    return EXIT[known.code] ?? 2;
  }
  io.err(`internal error: ${(e as Error)?.message ?? String(e)}`);
  if (process.env.CLOUD_ENGINE_DEBUG) io.err((e as Error)?.stack ?? '');
  return 70;
}
