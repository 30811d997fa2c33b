/**
 * Golden files: every provider × resource type, plus one combined configuration per provider,
 * regenerated and compared byte for byte. `UPDATE_GOLDEN=1 npx vitest run test/unit/terraform-generate/golden.test.ts`
 * rewrites them after an intended change; review the diff like any other code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/domain/resources.js';
import { generateConfiguration } from '../../../src/terraform/generate/index.js';
import { FIXTURES } from './fixtures.js';
import { terraform } from './terraform.js';

const GOLDEN = join(import.meta.dirname, '../../golden');
const update = process.env.UPDATE_GOLDEN === '1';

const readDir = (dir: string) =>
  existsSync(dir) ? Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')])) : {};

describe('golden Terraform configurations', () => {
  for (const provider of PROVIDERS) {
    for (const [name, specs] of Object.entries(FIXTURES[provider])) {
      it(`GIVEN ${provider} ${name} specs THEN the files match test/golden/${provider}/${name}`, () => {
        const { files } = generateConfiguration(provider, specs, { project: 'demo-shop' });
        const dir = join(GOLDEN, provider, name);
        if (update) {
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir, { recursive: true });
          for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
        }
        expect(files).toEqual(readDir(dir));
      });
    }
  }

  it('GIVEN the golden directory THEN terraform fmt finds nothing to change', () => {
    const r = terraform(GOLDEN, ['fmt', '-check', '-recursive', '-no-color']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
