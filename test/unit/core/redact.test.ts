import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact.js';

describe('redaction', () => {
  const redact = createRedactor(['s3cr3t-value-123']);
  it('GIVEN a known secret value anywhere in a line THEN it is masked', () => {
    expect(redact('token=abc s3cr3t-value-123 end')).not.toContain('s3cr3t-value-123');
  });
  it('GIVEN secret-shaped text THEN passwords, AWS keys, URL credentials and private keys are masked', () => {
    const out = redact('password = "hunter22" AKIAABCDEFGHIJKLMNOP https://bob:tok3n@git.example.com/x.git -----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----');
    expect(out).not.toMatch(/hunter22|AKIAABCDEFGHIJKLMNOP|tok3n|abc\n/);
    expect(out).toContain('https://***@git.example.com/x.git');
  });
  it('GIVEN ordinary Terraform output THEN it is unchanged', () => {
    const line = 'terraform_data.web-1: Creation complete after 0s [id=4f1c]';
    expect(redact(line)).toBe(line);
  });

  it('GIVEN a secret echoed URL-encoded, JSON-escaped or base64-encoded THEN every form is masked', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfi"CYEXAMPLEKEY';
    const r = createRedactor([secret]);
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
    for (const form of forms) expect(r(`error: signature mismatch for ${form} (retrying)`), form).not.toContain(form);
  });

  it('GIVEN a JSON credential in the environment THEN its secret fields are masked when a provider echoes one alone', () => {
    const key = { type: 'service_account', project_id: 'acme-prod', private_key_id: '0123456789abcdef0123456789abcdef01234567', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n', client_email: 'ce@acme-prod.iam.gserviceaccount.com', token_uri: 'https://oauth2.googleapis.com/token' };
    const r = createRedactor([JSON.stringify(key)]);
    expect(r(`Error: invalid key id ${key.private_key_id}`)).not.toContain(key.private_key_id);
    expect(r(`"private_key": ${JSON.stringify(key.private_key)}`)).not.toContain('MIIEvQIBADANBg');
    // Not secret, and masking it would only hide useful output.
    expect(r(`POST ${key.token_uri}`)).toBe(`POST ${key.token_uri}`);
  });

  it('GIVEN a secret inside HTTP Basic credentials, at any base64 offset, or in hex THEN none of it survives', () => {
    const secret = 'azure-client-secret-7Q9zK2marker';
    const redact = createRedactor([secret]);
    const basic = Buffer.from(`11111111-2222-3333-4444-555555555555:${secret}`).toString('base64');
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const shown = redact(`Authorization: Basic ${Buffer.from(`${prefix}${secret}!`).toString('base64')}`);
      expect(shown, prefix).toContain('[redacted]');
    }
    expect(redact(`Authorization: Basic ${basic}`)).toContain('[redacted]');
    expect(redact(`token=${Buffer.from(secret).toString('hex')}`)).toBe('token=[redacted]');
    expect(redact(`TOKEN=${Buffer.from(secret).toString('hex').toUpperCase()}`)).toContain('[redacted]');
    expect(redact('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.')).toBe('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
  });
});
