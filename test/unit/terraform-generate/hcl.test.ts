import { describe, expect, it } from 'vitest';
import { attr, block, body, quote, ref, renderFile } from '../../../src/terraform/generate/hcl.js';

describe('HCL string literals', () => {
  it('GIVEN quotes, backslashes and line breaks THEN escapes each', () => {
    expect(quote('a"b\\c\nd\re\tf')).toBe('"a\\"b\\\\c\\nd\\re\\tf"');
  });

  it('GIVEN template openers THEN doubles them so nothing is interpolated', () => {
    expect(quote('${file("/etc/passwd")} %{ if true }')).toBe('"$${file(\\"/etc/passwd\\")} %%{ if true }"');
    // An existing escape stays literal: `$${` in the input must come back as `$${`, not as `${`.
    expect(quote('$${x} $$${y}')).toBe('"$$${x} $$$${y}"');
  });

  it('GIVEN control, bidi, zero-width and line-separator characters THEN writes visible \\u escapes', () => {
    expect(quote('\u0000\u0007\u001b\u007f\u0085')).toBe('"\\u0000\\u0007\\u001B\\u007F\\u0085"');
    expect(quote('a\u202Eb\u200Bc\u2028d\u2029e\uFEFF')).toBe('"a\\u202Eb\\u200Bc\\u2028d\\u2029e\\uFEFF"');
    expect(quote('tag\u{E0041}')).toBe('"tag\\U000E0041"');
  });

  it('GIVEN printable unicode THEN keeps it as UTF-8', () => {
    expect(quote('héllo 🚀 раураl')).toBe('"héllo 🚀 раураl"');
  });

  it('GIVEN an unpaired surrogate THEN refuses, as it has no UTF-8 form', () => {
    expect(() => quote('bad\uD800')).toThrow(/surrogate/);
  });
});

describe('HCL identifiers', () => {
  it('GIVEN labels outside ^[a-z][a-z0-9_-]*$ THEN throws instead of writing them', () => {
    for (const bad of ['', 'Web', '1web', 'a b', 'a"b', 'a.b', '${x}', 'a\nb', '../x', 'wéb']) {
      expect(() => block('resource', ['terraform_data', bad], [])).toThrow(/invalid HCL label/);
      expect(() => ref('aws_instance', bad, 'id')).toThrow(/invalid HCL reference/);
    }
  });

  it('GIVEN attribute or block names that are not identifiers THEN throws', () => {
    expect(() => attr('a-b', 1)).toThrow(/invalid HCL name/);
    expect(() => block('bad name', [], [])).toThrow(/invalid HCL name/);
  });

  it('GIVEN index segments THEN writes them as [n]', () => {
    expect(String(ref('high_availability', 0, 'standby_availability_zone'))).toBe('high_availability[0].standby_availability_zone');
    expect(() => ref('a', -1)).toThrow();
  });
});

describe('HCL layout', () => {
  it('GIVEN consecutive attributes THEN aligns = like terraform fmt, and a multi-line value ends the run', () => {
    const out = renderFile([block('resource', ['t', 'x'], body(
      attr('a', 1),
      attr('long_name', 'v'),
      attr('obj', { k: true, longer: null }),
      attr('b', [1, 'two']),
      block('nested', [], []),
      undefined,
    ))]);
    expect(out).toBe([
      'resource "t" "x" {',
      '  a         = 1',
      '  long_name = "v"',
      '  obj = {',
      '    k      = true',
      '    longer = null',
      '  }',
      '  b = [1, "two"]',
      '',
      '  nested {}',
      '}',
      '',
    ].join('\n'));
  });

  it('GIVEN object keys that are not identifiers THEN quotes and escapes them', () => {
    const out = renderFile([block('locals', [], [attr('m', { 'my-key': 1, 'x"}\n': 2 })])]);
    expect(out).toContain('"my-key" = 1');
    expect(out).toContain('"x\\"}\\n" = 2');
  });

  it('GIVEN non-finite numbers THEN throws', () => {
    expect(() => renderFile([block('locals', [], [attr('n', Number.NaN)])])).toThrow(/non-finite/);
    expect(() => renderFile([block('locals', [], [attr('n', Infinity)])])).toThrow(/non-finite/);
  });

  it('GIVEN the same resource address twice THEN throws', () => {
    const r = block('resource', ['t', 'x'], []);
    expect(() => renderFile([r, r])).toThrow(/duplicate resource.t.x/);
  });
});
