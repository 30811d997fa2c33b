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
});
