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
  [/^better-sqlite3$|^pg$|^pg-boss$/, /^db\//],
  [/^execa$/, /^terraform\/runner\.ts$/],
  [/^simple-git$/, /^$/],
  // The runner hands Terraform a file descriptor for its output, which execa's options cannot express.
  [/^node:child_process$/, /^git\/client\.ts$|^terraform\/runner\.ts$/],
  [/^exceljs$/, /^sheets\//],
  // Policy rules run in a thread of their own, so a rule that loops or fills memory is ended without the bot.
  [/^node:worker_threads$/, /^policy\/(policyWorker|celWorker)\.ts$/],
  // CEL evaluation has no cost limit: one module wraps it, and only the policy worker evaluates through it.
  [/^@bufbuild\/cel/, /^policy\/cel\.ts$/],
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

  it('GIVEN the layers THEN imports point down only: adapters → core → services → domain, and the domain imports nothing', () => {
    // The composition root (app.ts) wires adapters to the core; config, logging and file reading are services.
    const RANK: Record<string, number> = { domain: 0, resources: 1, terraform: 1, cost: 1, git: 1, policy: 1, sheets: 1, stats: 1, db: 1, 'config.ts': 1, 'log.ts': 1, 'userFiles.ts': 1, 'processes.ts': 1, core: 2, cli: 3, discord: 3, 'app.ts': 3 };
    const layerOf = (path: string) => RANK[path.split('/')[0]!];
    const offenders = files.flatMap((f) => importsOf(f.text).filter((s) => s.startsWith('.')).flatMap((spec) => {
      const target = relative(SRC, join(SRC, f.path, '..', spec)).replace(/\.js$/, '.ts');
      const [from, to] = [layerOf(f.path), layerOf(target)];
      if (from === undefined || to === undefined) return [`${f.path} or ${target} has no layer`];
      if (to > from || (from === 0 && to !== 0)) return [`${f.path} (layer ${from}) imports ${target} (layer ${to})`];
      return [];
    }));
    expect(offenders).toEqual([]);
    // Third-party code stays out of the domain too.
    expect(files.filter((f) => f.path.startsWith('domain/') && importsOf(f.text).some((s) => !s.startsWith('.'))).map((f) => f.path)).toEqual([]);
  });

  it('GIVEN the store THEN the core and the adapters reach it only through the port in src/domain; only the composition root names src/db', () => {
    const offenders = files.filter((f) => f.path !== 'app.ts').flatMap((f) => importsOf(f.text).filter((s) => s.startsWith('.')).flatMap((spec) => {
      const target = relative(SRC, join(SRC, f.path, '..', spec));
      return target.startsWith('db/') && !f.path.startsWith('db/') ? [`${f.path} imports ${target}`] : [];
    }));
    expect(offenders).toEqual([]);
  });

  it('GIVEN the core and the domain THEN no string in them names Discord, a slash command, a mention or a button: adapters say what to do next', () => {
    const adapterWords = /['"`][^'"`\n]*(\/cloud-[a-z]|<@|\b[Cc]lick\b|\b[Bb]utton|Discord)[^'"`\n]*['"`]/;
    const code = (text: string) => text.split('\n').filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l)).join('\n');
    expect(files.filter((f) => /^(core|domain)\//.test(f.path) && adapterWords.test(code(f.text))).map((f) => f.path)).toEqual([]);
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
