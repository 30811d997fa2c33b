/**
 * Golden files: every provider × resource type, plus one combined configuration per provider,
 * regenerated and compared byte for byte. `UPDATE_GOLDEN=1 npx vitest run test/unit/terraform-generate/golden.test.ts`
 * rewrites them after an intended change; review the diff like any other code.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS, type Provider, type ResourceSpec } from '../../../src/domain/resources.js';
import { generateConfiguration, type GenerateOptions } from '../../../src/terraform/generate/index.js';
import { AZURE_ZONELESS, FIXTURES, PROJECT_LABELLED, PROJECT_LABELS } from './fixtures.js';
import { terraform } from './terraform.js';

const GOLDEN = join(import.meta.dirname, '../../golden');
const update = process.env.UPDATE_GOLDEN === '1';

const readDir = (dir: string) =>
  existsSync(dir) ? Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')])) : {};

function matchesGolden(provider: Provider, name: string, specs: ResourceSpec[], opts: GenerateOptions): void {
  const { files } = generateConfiguration(provider, specs, opts);
  const dir = join(GOLDEN, provider, name);
  if (update) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  }
  expect(files).toEqual(readDir(dir));
}

describe('golden Terraform configurations', () => {
  for (const provider of PROVIDERS) {
    for (const [name, specs] of Object.entries(FIXTURES[provider])) {
      it(`GIVEN ${provider} ${name} specs THEN the files match test/golden/${provider}/${name}`, () => {
        matchesGolden(provider, name, specs, { project: 'demo-shop' });
      });
    }
    it(`GIVEN a ${provider} project with labels THEN the files match test/golden/${provider}/project_labels`, () => {
      matchesGolden(provider, 'project_labels', PROJECT_LABELLED[provider], { project: 'demo-shop', labels: PROJECT_LABELS });
    });
  }

  it('GIVEN Azure specs in westus, a region without zones THEN the files match test/golden/azure/zoneless', () => {
    matchesGolden('azure', 'zoneless', AZURE_ZONELESS, { project: 'demo-shop' });
  });

  it('GIVEN the golden directory THEN terraform fmt finds nothing to change', () => {
    const r = terraform(GOLDEN, ['fmt', '-check', '-recursive', '-no-color']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
