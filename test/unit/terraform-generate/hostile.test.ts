/**
 * Hostile input: user text must never change a configuration's structure. Names that cannot be
 * identifiers are refused; every other string, whatever it holds, stays inside one string literal.
 */
import { describe, expect, it } from 'vitest';
import type { Provider, ResourceSpec } from '../../../src/domain/resources.js';
import { PROVIDERS } from '../../../src/domain/resources.js';
import { generateConfiguration } from '../../../src/terraform/generate/index.js';
import { FIXTURES } from './fixtures.js';
import { planJson, removeDir, terraform, tf, writeDir } from './terraform.js';

const HOSTILE = [
  'quote " backslash \\ escaped \\" end',
  '${file("/etc/passwd")}',
  '%{ if true }yes%{ endif }',
  '$${kept} $$${double} %%{kept}',
  'line\nbreak\r\nand\ttab',
  '"}\nresource "null_resource" "x" { provisioner "local-exec" { command = "touch /tmp/pwned" } }',
  '"\n}\ndata "external" "x" {\n  program = ["sh", "-c", "id"]\n}\n#',
  '../../../etc/passwd',
  'x'.repeat(10 * 1024),
  '\u202Eevil\u202C zero\u200Bwidth \u2028line\u2029para 👨‍👩‍👧 раураl gооgle',
  'nul\u0000 bell\u0007 esc\u001b[31m del\u007f nel\u0085',
  '\\u0024{not-an-escape} \\n \\\\',
  '<<EOF\nheredoc\nEOF',
  '# comment /* block */ // line',
];

const gen = (provider: Provider, specs: ResourceSpec[]) => generateConfiguration(provider, specs, { project: 'demo-shop' });

type Target = { spec: number; path: Array<string | number> };

/** Every string leaf of every spec (except `type`), so each can be replaced in turn. */
function stringTargets(specs: ResourceSpec[]): Target[] {
  const leaves = (value: unknown, path: Array<string | number>): Array<Array<string | number>> => {
    if (typeof value === 'string') return [path];
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
    if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
    return [];
  };
  return specs.flatMap((s, spec) => leaves(s, []).filter((path) => path[0] !== 'type').map((path) => ({ spec, path })));
}

function withText(specs: ResourceSpec[], targets: Target[], text: string): ResourceSpec[] {
  const copy = structuredClone(specs) as unknown as Array<Record<string | number, unknown>>;
  for (const { spec, path } of targets) {
    let node = copy[spec]!;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1]!] = text;
  }
  return copy as unknown as ResourceSpec[];
}

function tryGen(provider: Provider, specs: ResourceSpec[]): { files?: Record<string, string>; error?: Error } {
  try {
    return { files: gen(provider, specs).files };
  } catch (e) {
    return { error: e as Error };
  }
}

/**
 * The configuration with every string literal emptied: what remains is its structure. A template
 * opener that escaped escaping (`${`, `%{` not written as `$${`, `%%{`) is structure too, so it stays.
 */
const skeleton = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([f, text]) => [f, text.replace(/"(?:[^"\\\n]|\\.)*"/g, (literal) =>
    `"${(literal.match(/\$\$\{|%%\{|\$\{|%\{/g) ?? []).filter((m) => m.length === 2).join('')}"`)]));

/**
 * What user text could try to forge: top-level block headers and provisioners. Hostile text never
 * spans lines (line breaks are escaped), so a forged block would show up here as a line of its own.
 */
function structure(files: Record<string, string>) {
  const lines = Object.values(files).flatMap((f) => f.split('\n'));
  return {
    blocks: lines.filter((l) => /^[a-z]/.test(l)).map((l) => l.replace(/ \{\}?$/, '').replace(/^(resource|data) ("[a-z0-9_]+") .*/, '$1 $2')),
    provisioners: lines.filter((l) => /^\s*provisioner /.test(l)),
  };
}
const ALLOWED_BLOCK = /^(terraform|provider "(google|aws|azurerm)"|output "resource_ids"|variable "[a-z_]+"|(resource|data) "(google|aws|azurerm)_[a-z0-9_]+"|resource "terraform_data")$/;

/** Fields that become identifiers (labels, references): hostile text there must be refused. Sandbox uses only the spec name. */
const isNameField = (provider: Provider, path: Array<string | number>) =>
  path.join('.') === 'name' || (provider !== 'sandbox' && (path[path.length - 1] === 'name' || path[0] === 'network'));
const LABEL = /^[a-z][a-z0-9_-]*$/;

describe('hostile spec values', () => {
  for (const provider of PROVIDERS) {
    it(`GIVEN hostile text in any string field of any ${provider} resource THEN only string literals change, or an identifier is refused`, () => {
      const toFormat: string[] = [];
      for (const [kase, specs] of Object.entries(FIXTURES[provider])) {
        /** Per hostile value, the fields where it landed only inside string literals. */
        const literalOnly = HOSTILE.map((): Target[] => []);
        for (const target of stringTargets(specs)) {
          const baseline = tryGen(provider, withText(specs, [target], 'benign')).files;
          HOSTILE.forEach((text, h) => {
            const where = `${provider}/${kase}/${specs[target.spec]!.name}.${target.path.join('.')} = HOSTILE[${h}]`;
            const { files, error } = tryGen(provider, withText(specs, [target], text));
            if (!files) {
              // Refusing is always safe; where benign text is accepted, only an identifier may be refused.
              if (baseline) expect(error!.message, where).toMatch(/invalid HCL/);
              return;
            }
            expect(baseline, `${where} accepted where benign text is not`).toBeDefined();
            expect(structure(files).blocks.every((b) => ALLOWED_BLOCK.test(b)), where).toBe(true);
            if (LABEL.test(text)) {
              // A valid label may become an identifier, outside any literal, by design.
              expect(structure(files), where).toEqual(structure(baseline!));
              return;
            }
            expect(isNameField(provider, target.path), `${where} was accepted as an identifier`).toBe(false);
            expect(skeleton(files), where).toEqual(skeleton(baseline!));
            literalOnly[h]!.push(target);
          });
        }
        // Then every such field hostile at once, per value: the configurations terraform fmt checks below.
        HOSTILE.forEach((text, h) => {
          const files = gen(provider, withText(specs, literalOnly[h]!, text)).files;
          expect(skeleton(files), `${provider}/${kase} all fields = HOSTILE[${h}]`).toEqual(skeleton(gen(provider, withText(specs, literalOnly[h]!, 'benign')).files));
          toFormat.push(...Object.values(files));
        });
      }
      // fmt is syntax-only, so all of them fit in one file.
      const dir = writeDir({ 'all.tf': toFormat.join('\n') });
      try {
        const fmt = terraform(dir, ['fmt', '-check', '-no-color']);
        expect(fmt.stdout + fmt.stderr).toBe('');
        expect(fmt.code).toBe(0);
      } finally {
        removeDir(dir);
      }
    });
  }

  it('GIVEN a hostile name in any provider and resource type THEN generation refuses it', () => {
    const names = ['Web', 'a"b', '${x}', 'a\nb', '../x', 'a b', 'wéb', 'x}\nresource "null_resource" "y" {'];
    for (const provider of PROVIDERS) {
      for (const specs of Object.values(FIXTURES[provider])) {
        specs.forEach((spec, i) => {
          for (const name of names) {
            // Firewall rules follow a renamed VPC, so the refusal is about the name itself.
            const renamed = specs.map((s, j) =>
              j === i ? { ...s, name } : s.type === 'firewall_rule' && s.network === spec.name ? { ...s, network: name } : s);
            expect(() => gen(provider, renamed), `${provider} ${spec.type} ${name}`).toThrow(/invalid HCL/);
          }
        });
      }
    }
  });
});

describe('sandbox round trip through real terraform', () => {
  it('GIVEN hostile values and keys THEN terraform validates and plans every input exactly as given', () => {
    const specs = HOSTILE.map((text, i) => ({
      type: 'storage_bucket', name: `h${i}`, region: 'local', storage_class: text, versioning: false, lifecycle_days: null, storage_gb: i,
      note: { [text]: [text, i, true, null], 'é\u0301 🇩🇪': 'combining mark and flag keys align like terraform fmt' },
    }) as unknown as ResourceSpec);
    const dir = writeDir(gen('sandbox', specs).files);
    try {
      tf(dir, 'init', '-input=false', '-no-color');
      tf(dir, 'validate', '-no-color');
      expect(terraform(dir, ['fmt', '-check', '-no-color']).code).toBe(0);
      const plan = planJson(dir);
      const inputs = Object.fromEntries((plan.resource_changes ?? []).map((c) => [c.address, c.change.after?.input]));
      specs.forEach((spec, i) => expect(inputs[`terraform_data.h${i}`], `HOSTILE[${i}]`).toEqual(spec));
      expect(Object.keys(inputs)).toHaveLength(HOSTILE.length);
    } finally {
      removeDir(dir);
    }
  });
});
