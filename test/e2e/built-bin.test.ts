/**
 * The entry points run the compiled JavaScript in dist/ with plain Node: no TypeScript is transpiled at
 * run time (that cost the bot ~75 MB of RSS), and a checkout without a build says how to make one.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
});
