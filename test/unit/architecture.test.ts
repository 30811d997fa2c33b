import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/app.js';

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

const SRC = join(REPO_ROOT, 'src');
const files = [...sources(SRC)].map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const importsOf = (text: string) => [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

/** Each side effect has one owner (STYLE.md habit 7); data flows one way (ARCHITECTURE.md). */
const OWNERS: Array<[pkg: RegExp, allowed: RegExp]> = [
  [/^discord\.js$|^@discordjs\//, /^discord\//],
  [/^better-sqlite3$/, /^db\//],
  [/^execa$/, /^terraform\/runner\.ts$/],
  [/^simple-git$/, /^$/],
  // The runner hands Terraform a file descriptor for its output, which execa's options cannot express.
  [/^node:child_process$/, /^git\/client\.ts$|^terraform\/runner\.ts$/],
  [/^exceljs$/, /^sheets\//],
];

describe('architecture', () => {
  it('GIVEN a library with a side effect THEN only its owning module imports it', () => {
    const offenders = files.flatMap((f) => importsOf(f.text).flatMap((spec) =>
      OWNERS.filter(([pkg, allowed]) => pkg.test(spec) && !allowed.test(f.path)).map(() => `${f.path} imports ${spec}`)));
    expect(offenders).toEqual([]);
  });

  it('GIVEN the core THEN it never imports the Discord or CLI adapters', () => {
    const offenders = files.filter((f) => /^(core|resources|terraform|cost|policy|git|db|stats|sheets)\//.test(f.path))
      .flatMap((f) => importsOf(f.text).filter((s) => /\/(discord|cli)\//.test(s) || /^discord\.js$/.test(s)).map((s) => `${f.path} imports ${s}`));
    expect(offenders).toEqual([]);
  });

  it('GIVEN SQL THEN it lives only in src/db', () => {
    const sql = /\b(SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/;
    expect(files.filter((f) => !f.path.startsWith('db/') && sql.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('GIVEN the environment THEN it is read through src/config.ts, not scattered through modules', () => {
    const readers = files.filter((f) => /process\.env\b/.test(f.text)).map((f) => f.path);
    // Entry points default to process.env; the two child-process owners forward PATH/HOME to their children.
    expect(readers.filter((p) => !['config.ts', 'terraform/runner.ts', 'git/client.ts', 'cli/main.ts', 'cli/errors.ts', 'discord/main.ts', 'discord/registerMain.ts'].includes(p))).toEqual([]);
  });
});
