/**
 * What a run's output and directory give back. Terraform prints its state on its output only when it can
 * write it to no file (a full disk), which cannot be provoked reliably here, so `printer` — a shell script
 * standing in for Terraform — prints what Terraform prints then; everything else uses real files.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerraformRunner } from '../../../src/terraform/runner.js';
import { readStateFile } from '../../../src/terraform/workspace.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ce-run-output-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state = (serial: number) => JSON.stringify({ version: 4, terraform_version: '1.11.0', serial, lineage: 'l-1', outputs: {}, resources: [{ mode: 'managed', type: 'terraform_data', name: 'web', instances: [{ attributes: { id: 'x', input: { password: 'hunter2' } } }] }] }, null, 2);

function printer(body: string): string {
  const path = join(dir, 'fake-terraform.sh');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the output of a run', () => {
  it('GIVEN Terraform prints its state because it could not write it THEN the state is kept apart and never appears among the lines', async () => {
    const printed = state(7);
    const bin = printer(`echo 'terraform_data.web: Creation complete after 0s'\necho 'Error: Failed to persist state'\ncat <<'JSON'\n${printed}\nJSON\necho 'after the dump'\nexit 1`);
    const res = await new TerraformRunner(bin).run([], { cwd: dir });
    expect(res.dumpedState).toBe(printed);
    expect(res.lines).toEqual(['terraform_data.web: Creation complete after 0s', 'Error: Failed to persist state', 'after the dump']);
    expect(res.lines.join('\n')).not.toContain('hunter2');
  });

  it('GIVEN a JSON block that is not a state THEN it is streamed like any other output', async () => {
    const bin = printer(`echo '{'\necho '  "hello": 1'\necho '}'\necho done`);
    const res = await new TerraformRunner(bin).run([], { cwd: dir });
    expect(res.dumpedState).toBeUndefined();
    expect(res.lines).toEqual(['{', '  "hello": 1', '}', 'done']);
  });

  it('GIVEN output written faster than it is read and a last line without a newline THEN every line arrives once, in order', async () => {
    const bin = printer(`i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done; printf 'tail'`);
    const res = await new TerraformRunner(bin).run([], { cwd: dir });
    expect(res.lines).toEqual([...Array.from({ length: 3000 }, (_, i) => `line ${i}`), 'tail']);
  });
});

describe('the state a run left', () => {
  it('GIVEN errored.tfstate newer than terraform.tfstate (Terraform could not overwrite it) THEN the newer one is read', () => {
    writeFileSync(join(dir, 'terraform.tfstate'), state(3));
    writeFileSync(join(dir, 'errored.tfstate'), state(4));
    expect(JSON.parse(readStateFile(dir)!).serial).toBe(4);
  });

  it('GIVEN a torn terraform.tfstate and no other THEN it is returned as it is, so the capture refuses it and says why', () => {
    writeFileSync(join(dir, 'terraform.tfstate'), '{"version": 4, "ser');
    expect(readStateFile(dir)).toBe('{"version": 4, "ser');
  });
});
