import { describe, expect, it } from 'vitest';
import { ApplyProgress, parseApplyCounts } from '../../../src/terraform/applyProgress.js';

/** What Terraform 1.11 printed for `apply -no-color` of a plan replacing b (tainted), updating a and creating c. */
const OUTPUT = [
  'terraform_data.b: Destroying... [id=e0905c29-a8a3-3cb0-c612-9456d3582f58]',
  'terraform_data.b: Destruction complete after 0s',
  'terraform_data.a: Modifying... [id=232e6ecb-4e39-bafd-3f55-4baea91c9778]',
  'terraform_data.c: Creating...',
  'terraform_data.a: Modifications complete after 0s [id=232e6ecb-4e39-bafd-3f55-4baea91c9778]',
  'terraform_data.b: Creating...',
  "terraform_data.b: Provisioning with 'local-exec'...",
  'terraform_data.b (local-exec): Executing: ["/bin/sh" "-c" "echo boom >&2; exit 3"]',
  'terraform_data.b (local-exec): boom',
  'terraform_data.c: Still creating... [1m10s elapsed]',
  'terraform_data.c: Creation complete after 1m11s [id=0c516345-6ce3-b7bd-9e02-92786a126a6b]',
  '',
  'Error: local-exec provisioner error',
  '',
  '  with terraform_data.b,',
  '  on main.tf line 4, in resource "terraform_data" "b":',
  '   4:   provisioner "local-exec" { command = "echo boom >&2; exit 3" }',
  '',
  "Error running command 'echo boom >&2; exit 3': exit status 3. Output: boom",
  '',
];
const PLANNED = [
  { address: 'terraform_data.a', actions: ['update'] },
  { address: 'terraform_data.b', actions: ['delete', 'create'] },
  { address: 'terraform_data.c', actions: ['create'] },
  { address: 'terraform_data.d', actions: ['create'] },
];

const phases = (p: ApplyProgress) => Object.fromEntries(p.list().map((r) => [r.address.replace('terraform_data.', ''), r.phase]));

describe('apply progress from Terraform output', () => {
  it('GIVEN the plan THEN every planned resource starts pending, with what the plan does to it', () => {
    const p = new ApplyProgress(PLANNED);
    expect(p.list().map((r) => [r.address, r.action, r.phase])).toEqual([
      ['terraform_data.a', 'update', 'pending'], ['terraform_data.b', 'replace', 'pending'], ['terraform_data.c', 'create', 'pending'], ['terraform_data.d', 'create', 'pending'],
    ]);
  });

  it('GIVEN lines as they come THEN resources move pending → running → done, a replace only once both halves finished, with the seconds Terraform reported', () => {
    let now = 1000;
    const p = new ApplyProgress(PLANNED, () => now);
    for (const line of OUTPUT.slice(0, 3)) p.feed(line);
    expect(phases(p)).toEqual({ a: 'running', b: 'running', c: 'pending', d: 'pending' });
    expect(p.list().find((r) => r.address === 'terraform_data.b')!.doing).toBe('delete');
    now = 4000;
    for (const line of OUTPUT.slice(3, 10)) p.feed(line);
    expect(phases(p)).toEqual({ a: 'done', b: 'running', c: 'running', d: 'pending' });
    const c = p.list().find((r) => r.address === 'terraform_data.c')!;
    expect([c.seconds, c.seenStartAt]).toEqual([70, 4000]);
    p.feed(OUTPUT[10]!);
    expect(p.list().find((r) => r.address === 'terraform_data.c')).toMatchObject({ phase: 'done', seconds: 71 });
    expect(p.tally()).toEqual({ pending: 1, running: 1, done: 2, failed: 0, stopped: 0 });
  });

  it('GIVEN an error block THEN the resource it names fails at once and the whole block comes back once, when it ends, with its line number', () => {
    const p = new ApplyProgress(PLANNED);
    const errors = OUTPUT.flatMap((line) => p.feed(line));
    expect(errors).toEqual([]);
    expect(phases(p).b).toBe('failed');
    const [error, ...more] = p.end();
    expect(more).toEqual([]);
    expect(error).toMatchObject({ seq: 13, address: 'terraform_data.b' });
    expect(error!.lines[0]).toBe('Error: local-exec provisioner error');
    expect(error!.lines).toContain("Error running command 'echo boom >&2; exit 3': exit status 3. Output: boom");
    expect(p.end()).toEqual([]);
  });

  it('GIVEN two errors and a warning THEN each error is complete when the next block starts, numbered; the warning is not an error', () => {
    const p = new ApplyProgress([{ address: 'terraform_data.x', actions: ['create'] }]);
    const seen = ['Error: first', '  with terraform_data.x,', 'Warning: deprecated', 'detail', 'Error: second', 'text'].flatMap((l) => p.feed(l));
    expect(seen.map((e) => [e.index, e.lines[0]])).toEqual([[1, 'Error: first']]);
    expect(p.end().map((e) => [e.index, e.lines])).toEqual([[2, ['Error: second', 'text']]]);
    expect(p.errors).toBe(2);
    expect(p.list()).toEqual([expect.objectContaining({ address: 'terraform_data.x', phase: 'failed' })]);
  });

  it('GIVEN an error about the provider (credentials gone between plan and apply) THEN no resource fails and no row is added', () => {
    const p = new ApplyProgress([{ address: 'aws_instance.web', actions: ['create'] }]);
    for (const l of ['Error: failed to get shared config profile, nope', '', '  with provider["registry.terraform.io/hashicorp/aws"],', '  on main.tf line 1, in provider "aws":']) p.feed(l);
    expect(p.end()[0]!.address).toBeUndefined();
    expect(p.list()).toEqual([expect.objectContaining({ address: 'aws_instance.web', phase: 'pending' })]);
  });

  it("GIVEN real output with for_each keys holding ': Creating...', quotes and spaces, and a create_before_destroy replace THEN every row ends done", () => {
    // Terraform 1.11's own lines for such a configuration.
    const lines = [
      'terraform_data.weird["x: Creating..."]: Modifying... [id=94709796-89f8-ac27-2a91-2c9dcbde058b]',
      'terraform_data.weird["a b"]: Modifying... [id=34c03fe3-afc8-05d4-33ed-fc7422435cee]',
      'terraform_data.weird["q\\"uote"]: Modifying... [id=f0e4e2eb-d7e0-b701-1e6b-cf493e3baf42]',
      'terraform_data.cbd: Creating...',
      'terraform_data.cbd: Creation complete after 0s [id=876e0ad9-7307-62da-2c2c-c59f58035442]',
      'terraform_data.weird["x: Creating..."]: Modifications complete after 0s [id=94709796-89f8-ac27-2a91-2c9dcbde058b]',
      'terraform_data.cbd (deposed object e9ea4dd3): Destroying... [id=20fca547-5142-7507-efff-d78b2576b457]',
      'terraform_data.weird["a b"]: Still modifying... [id=34c03fe3-afc8-05d4-33ed-fc7422435cee, 10s elapsed]',
      'terraform_data.cbd: Destruction complete after 0s',
      'terraform_data.weird["q\\"uote"]: Modifications complete after 0s [id=f0e4e2eb-d7e0-b701-1e6b-cf493e3baf42]',
      'terraform_data.weird["a b"]: Modifications complete after 12s [id=34c03fe3-afc8-05d4-33ed-fc7422435cee]',
    ];
    const p = new ApplyProgress([
      { address: 'terraform_data.weird["x: Creating..."]', actions: ['update'] }, { address: 'terraform_data.weird["a b"]', actions: ['update'] },
      { address: 'terraform_data.weird["q\\"uote"]', actions: ['update'] }, { address: 'terraform_data.cbd', actions: ['create', 'delete'] },
    ]);
    for (const l of lines) p.feed(l);
    expect(p.list().map((r) => [r.address, r.phase])).toEqual([
      ['terraform_data.weird["x: Creating..."]', 'done'], ['terraform_data.weird["a b"]', 'done'], ['terraform_data.weird["q\\"uote"]', 'done'], ['terraform_data.cbd', 'done'],
    ]);
    expect(p.list()[1]!.seconds).toBe(12);
  });

  it('GIVEN a resource the plan did not list THEN it appears when Terraform starts it, named by what Terraform does', () => {
    const p = new ApplyProgress([]);
    p.feed('module.net.terraform_data.vpc["eu west"]: Destroying... [id=1]');
    expect(p.list()).toEqual([expect.objectContaining({ address: 'module.net.terraform_data.vpc["eu west"]', action: 'delete', phase: 'running' })]);
  });

  it('GIVEN the apply ends with resources still running THEN they are marked as not finished', () => {
    const p = new ApplyProgress(PLANNED);
    p.feed('terraform_data.d: Creating...');
    p.stopRunning();
    expect(phases(p)).toEqual({ a: 'pending', b: 'pending', c: 'pending', d: 'stopped' });
  });

  it('GIVEN the same lines fed twice into new boards THEN both are identical (a relay rebuilds the board after a restart)', () => {
    const one = new ApplyProgress(PLANNED, () => 0);
    const two = new ApplyProgress(PLANNED, () => 0);
    for (const line of OUTPUT) { one.feed(line); two.feed(line); }
    expect(two.list()).toEqual(one.list());
    expect(two.end()).toEqual(one.end());
  });

  it("GIVEN Terraform's closing line THEN reads the counts from it", () => {
    expect(parseApplyCounts('Apply complete! Resources: 3 added, 1 changed, 2 destroyed.')).toEqual({ added: 3, changed: 1, destroyed: 2 });
    expect(parseApplyCounts('terraform_data.web: Creating...')).toBeUndefined();
    const p = new ApplyProgress([]);
    p.feed('Apply complete! Resources: 3 added, 1 changed, 2 destroyed.');
    expect(p.counts).toEqual({ added: 3, changed: 1, destroyed: 2 });
  });
});
