/**
 * A cloud identity per project. Terraform cannot reach AWS or Azure here, so TERRAFORM_BIN is a wrapper
 * that records what each run was given — its provider block and its environment — and then fails the
 * plan as an unreachable cloud would (version and everything else go to the real Terraform). The Azure
 * wrapper also prints the secret it received, as a misbehaving provider might: it must be redacted.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { simpleGit } from 'simple-git';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIdentity } from '../../src/core/identity.js';
import { admin, dev, GUILD, keyOf, testApp, vm, type TestApp, dbOf, repoOf } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(() => t?.cleanup());

const MARKER = 'azure-client-secret-7Q9zK2marker';
const ROLE = 'arn:aws:iam::123456789012:role/team-a-deployer';

/** A Terraform that records the provider block and credential environment of each plan in `logs/<project>.*`. */
function recordingTerraform(dir: string): string {
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const bin = join(dir, 'terraform-recording');
  writeFileSync(bin, `#!/bin/sh
case "$1" in
  init) exit 0 ;;
  plan)
    project=$(basename "$(dirname "$PWD")")
    cat providers.tf > "${logs}/$project.tf"
    env | grep -E '^(ARM_|AWS_|GOOGLE_|CLOUD_ENGINE_)' | sort > "${logs}/$project.env"
    echo "provider debug: client secret is $ARM_CLIENT_SECRET" >&2
    echo "Error: no route to the cloud from this machine" >&2
    exit 1 ;;
esac
exec terraform "$@"
`);
  chmodSync(bin, 0o755);
  return bin;
}

async function project(app: TestApp['app'], id: string, provider: 'aws' | 'azure' | 'gcp') {
  await app.orchestrator.createProject(admin, { id, provider, budgetUsd: 100_000 });
  await app.orchestrator.grantRole(admin, id, dev.userId, 'deployer');
}

async function planOn(app: TestApp['app'], id: string, spec: Record<string, unknown>) {
  const s = await app.orchestrator.startSession(dev, id);
  await app.orchestrator.addResource(dev, s.id, spec);
  const outcome = await app.orchestrator.plan(dev, s.id);
  // A failed plan keeps the project's lock for its session; the next plan is another session's.
  await app.orchestrator.cancel(dev, s.id);
  return { session: s, outcome };
}

describe('a cloud identity per project', () => {
  it('GIVEN two AWS projects, one with a role THEN only that one assumes it (session named after the session); the other is refused until the operator allows the default, and then assumes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-identity-'));
    const bin = recordingTerraform(dir);
    t = await testApp({ dir, env: { TERRAFORM_BIN: bin } });
    await project(t.app, 'team-a', 'aws');
    await project(t.app, 'team-b', 'aws');
    await t.app.orchestrator.setIdentity(admin, 'team-a', parseIdentity({ provider: 'aws', role_arn: ROLE }));
    const awsVm = { ...vm('web-1'), region: 'us-east-1', zone: undefined, machine_type: 't3.micro' };
    delete (awsVm as Record<string, unknown>).zone;

    const a = await planOn(t.app, 'team-a', awsVm);
    expect(a.outcome.plan.status).toBe('failed');
    const tf = readFileSync(join(dir, 'logs', 'team-a.tf'), 'utf8');
    const externalId = (p: string) => `cloud-engine:${admin.guildId}:${p}`;
    expect(tf).toMatch(new RegExp(`assume_role \\{\\s+role_arn\\s+= "${ROLE.replace(/[/]/g, '\\/')}"\\s+session_name = "cloud-engine-${a.session.id}"\\s+external_id\\s+= "${externalId('team-a')}"\\s+\\}`));
    expect((await t.app.orchestrator.sessionView(dev, a.session.id)).identity).toMatchObject({ kind: 'identity', identity: { role_arn: ROLE } });

    const b = await t.app.orchestrator.startSession(dev, 'team-b');
    await t.app.orchestrator.addResource(dev, b.id, awsVm);
    expect((await t.app.orchestrator.sessionView(dev, b.id)).identity).toEqual({ kind: 'missing' });
    await expect(t.app.orchestrator.plan(dev, b.id)).rejects.toMatchObject({ code: 'forbidden', refusal: { kind: 'no_identity', projectId: keyOf('team-b'), provider: 'aws' }, next: { kind: 'set_identity', projectId: keyOf('team-b') } });
    expect(existsSync(join(dir, 'logs', 'team-b.tf'))).toBe(false);
    t.app.close();

    t = await testApp({ dir, env: { TERRAFORM_BIN: bin, CLOUD_DEFAULT_CREDENTIALS: 'allow' } });
    const again = await planOn(t.app, 'team-b', { ...awsVm, name: 'web-2' });
    expect(again.outcome.plan.status).toBe('failed');
    expect(readFileSync(join(dir, 'logs', 'team-b.tf'), 'utf8')).not.toContain('assume_role');
    expect((await t.app.orchestrator.sessionView(dev, again.session.id)).identity).toEqual({ kind: 'default' });

    // team-b's admin names team-a's role: its runs still present team-b's external id, which team-a's trust policy refuses.
    await t.app.orchestrator.setIdentity(admin, 'team-b', parseIdentity({ provider: 'aws', role_arn: ROLE }));
    await planOn(t.app, 'team-b', { ...awsVm, name: 'web-3' });
    expect(readFileSync(join(dir, 'logs', 'team-b.tf'), 'utf8')).toContain(`external_id  = "${externalId('team-b')}"`);
    // A project with its own identity never falls back to the bot's credentials on another cloud, even where the default is allowed.
    const gcp = await t.app.orchestrator.startSession(dev, 'team-b', 'gcp');
    expect((await t.app.orchestrator.sessionView(dev, gcp.id)).identity).toEqual({ kind: 'missing' });
  }, 60_000);

  it('GIVEN an Azure project naming its secret variable THEN only its runs receive the secret, and the secret reaches no stored plan, audit row, log or repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-identity-'));
    const bin = recordingTerraform(dir);
    const logs: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
    t = await testApp({ dir, logger, env: { TERRAFORM_BIN: bin, [`CLOUD_ENGINE_SECRET_${GUILD}__TEAM_C`]: MARKER, CLOUD_DEFAULT_CREDENTIALS: 'allow', LOG_LEVEL: 'debug' } });
    await project(t.app, 'team-c', 'azure');
    await project(t.app, 'team-d', 'azure');
    const identity = { provider: 'azure', client_id: '11111111-2222-3333-4444-555555555555', tenant_id: '66666666-7777-8888-9999-000000000000', subscription_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' };
    await t.app.orchestrator.setIdentity(admin, 'team-c', parseIdentity(identity));
    const azVm = { type: 'compute_vm', name: 'web-1', region: 'eastus', machine_type: 'Standard_B2s' };
    await planOn(t.app, 'team-c', azVm);
    await planOn(t.app, 'team-d', azVm);
    // team-d's admin copies team-c's app: its runs read only team-d's own variable, which the operator never set.
    await t.app.orchestrator.setIdentity(admin, 'team-d', parseIdentity(identity));
    const copied = await planOn(t.app, 'team-d', { ...azVm, name: 'web-2' });
    expect(copied.outcome.plan.status).toBe('failed');
    expect(copied.outcome.plan.error).toMatch(new RegExp(`CLOUD_ENGINE_SECRET_${GUILD}__TEAM_D is not set in the bot's environment`));
    expect(readFileSync(join(dir, 'logs', 'team-c.env'), 'utf8')).toBe([
      `ARM_CLIENT_ID=${identity.client_id}`, `ARM_CLIENT_SECRET=${MARKER}`, `ARM_SUBSCRIPTION_ID=${identity.subscription_id}`, `ARM_TENANT_ID=${identity.tenant_id}`, '',
    ].join('\n'));
    expect(readFileSync(join(dir, 'logs', 'team-c.tf'), 'utf8')).toMatch(/client_id\s+= "11111111-2222-3333-4444-555555555555"/);
    expect(readFileSync(join(dir, 'logs', 'team-d.env'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'logs', 'team-c.tf'), 'utf8')).not.toContain(MARKER);

    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('')).not.toContain(MARKER);
    const plans = dbOf(t.app).prepare('SELECT output, error FROM plans').all();
    expect(JSON.stringify(plans)).toContain('[redacted]');
    expect(JSON.stringify(plans)).not.toContain(MARKER);
    dbOf(t.app).pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir, 'cloud-engine.db')).includes(MARKER)).toBe(false);
    for (const p of ['team-c', 'team-d']) {
      const repo = repoOf(dir, p);
      if (!existsSync(join(repo, '.git'))) continue;
      expect(await simpleGit(repo).raw(['log', '-p', '--all'])).not.toContain(MARKER);
      for (const f of readdirSync(repo)) if (statSync(join(repo, f)).isFile()) expect(readFileSync(join(repo, f), 'utf8')).not.toContain(MARKER);
    }
  }, 60_000);

  it('GIVEN a GCP service account THEN it is impersonated only once the operator binds it to the project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-identity-'));
    const bin = recordingTerraform(dir);
    const sa = 'deployer@team-f-prod.iam.gserviceaccount.com';
    t = await testApp({ dir, env: { TERRAFORM_BIN: bin } });
    await project(t.app, 'team-f', 'gcp');
    await t.app.orchestrator.setIdentity(admin, 'team-f', parseIdentity({ provider: 'gcp', service_account: sa }));
    const gcpVm = { type: 'compute_vm', name: 'web-1', region: 'us-central1', machine_type: 'e2-small' };
    const unbound = await planOn(t.app, 'team-f', gcpVm);
    expect(unbound.outcome.plan.error).toMatch(new RegExp(`not bound to project team-f by the operator: set CLOUD_ENGINE_GCP_SA_${GUILD}__TEAM_F`));
    expect(existsSync(join(dir, 'logs', 'team-f.tf'))).toBe(false);
    t.app.close();
    t = await testApp({ dir, env: { TERRAFORM_BIN: bin, [`CLOUD_ENGINE_GCP_SA_${GUILD}__TEAM_F`]: sa } });
    await planOn(t.app, 'team-f', { ...gcpVm, name: 'web-2' });
    expect(readFileSync(join(dir, 'logs', 'team-f.tf'), 'utf8')).toContain(`impersonate_service_account = "${sa}"`);
  }, 60_000);

  it('GIVEN identities that are not references (a secret in a field, a wrong shape, another cloud) THEN each is refused naming the field', async () => {
    t = await testApp();
    await project(t.app, 'team-e', 'aws');
    const refused = (raw: unknown) => { try { parseIdentity(raw); return ''; } catch (e) { return [(e as Error).message, ...((e as { details?: string[] }).details ?? [])].join('\n'); } };
    expect(refused({ provider: 'aws', role_arn: 'AKIAIOSFODNN7EXAMPLE' })).toMatch(/role_arn: must be an IAM role ARN/);
    expect(refused({ provider: 'azure', client_id: 'x', tenant_id: 'y', subscription_id: 'z', secret_env: 'DISCORD_TOKEN' })).toMatch(/client_id: must be the application \(client\) id[^]*Unrecognized key[^]*secret_env/);
    expect(refused({ provider: 'aws', role_arn: ROLE, external_id: 'mine' })).toMatch(/Unrecognized key[^]*external_id/);
    expect(refused({ provider: 'gcp', service_account: 'me@gmail.com' })).toMatch(/service_account: must be a service account e-mail/);
    expect(refused({ provider: 'aws', role_arn: ROLE, secret_access_key: 'x' })).toMatch(/Unrecognized key/);
    await expect(t!.app.orchestrator.setIdentity(admin, 'team-e', parseIdentity({ provider: 'gcp', service_account: 'deployer@my-project-1.iam.gserviceaccount.com' }))).rejects.toThrow(/team-e deploys to aws, not gcp/);
    await expect(t!.app.orchestrator.setIdentity(dev, 'team-e', parseIdentity({ provider: 'aws', role_arn: ROLE }))).rejects.toThrow(/admin/i);
  });
});
