/**
 * The entry points run the compiled JavaScript in dist/ with plain Node: no TypeScript is transpiled at
 * run time (that cost the bot ~75 MB of RSS), and a checkout without a build says how to make one.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/app.js';

const dir = mkdtempSync(join(tmpdir(), 'ce-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
  execFile(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: dir } }, (err, stdout, stderr) =>
    resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
});

describe('the bin scripts', () => {
  it('GIVEN `cloud-engine --help` THEN it runs dist/ and loads no TypeScript, tsx, esbuild or compiler', async () => {
    // A resolve hook (it sees every ESM import, the entry point included) reports each module the process loads.
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`loaded ${r.url}\\n`); return r; }\n");
    writeFileSync(join(dir, 'watch.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const r = await node(['--import', pathToFileURL(join(dir, 'watch.mjs')).href, join(REPO_ROOT, 'bin', 'cloud-engine.js'), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Commands:');
    const loaded = [...r.stderr.matchAll(/^loaded (.+)$/gm)].map((m) => m[1]!);
    expect(loaded).toContain(pathToFileURL(join(REPO_ROOT, 'dist', 'cli', 'main.js')).href);
    expect(loaded.filter((url) => /\.[cm]?ts$|\/node_modules\/(tsx|esbuild|typescript)\//.test(url))).toEqual([]);
  });

  it.each([['cloud-engine.js', 'cli/main.js'], ['bot.js', 'discord/main.js'], ['register-commands.js', 'discord/registerMain.js']])(
    'GIVEN no dist/ THEN %s exits 1 with one line saying to run npm run build, no stack trace', async (bin, entry) => {
      const copy = mkdtempSync(join(dir, 'unbuilt-'));
      cpSync(join(REPO_ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
      const r = await node([join(copy, 'bin', bin), '--help']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`cloud-engine: dist/${entry} is missing; run npm run build (npm ci runs it on install).\n`);
    });

  it('GIVEN a source changed after the build (a pull without a build) THEN the bin refuses to run the old code, naming the file', async () => {
    const copy = mkdtempSync(join(dir, 'stale-'));
    cpSync(join(REPO_ROOT, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(REPO_ROOT, 'dist'), join(copy, 'dist'), { recursive: true, preserveTimestamps: true });
    cpSync(join(REPO_ROOT, 'src'), join(copy, 'src'), { recursive: true, preserveTimestamps: true });
    cpSync(join(REPO_ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'));
    // The catalog's regions come from the package's price data, read as the code loads: without it, one line.
    const noPrices = await node([join(copy, 'bin', 'cloud-engine.js'), '--help']);
    expect(noPrices).toMatchObject({ code: 1, stdout: '' });
    expect(noPrices.stderr).toMatch(/^cloud-engine: cannot read pricing\/\w+\.json \(ENOENT\); the installation is incomplete: reinstall with npm ci\.\n$/);
    cpSync(join(REPO_ROOT, 'pricing'), join(copy, 'pricing'), { recursive: true });
    const fresh = await node([join(copy, 'bin', 'cloud-engine.js'), '--help']);
    expect(fresh.code).toBe(0);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(copy, 'src', 'core', 'views.ts'), later, later);
    const r = await node([join(copy, 'bin', 'cloud-engine.js'), '--help']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'cloud-engine: src/core/views.ts changed after dist/ was built; run npm run build.\n' });
  });
});
