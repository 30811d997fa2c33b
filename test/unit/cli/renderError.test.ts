/**
 * Text from files and names reaches CLI errors. It must neither style the terminal (ANSI/OSC escapes),
 * rewrite a line (CR), nor start a line of its own that passes for our output (a forged "✅ Applied").
 */
import { describe, expect, it } from 'vitest';
import { readResourcesJson, parseResources } from '../../../src/cli/resourcesFile.js';
import { renderCliError } from '../../../src/cli/errors.js';
import { CoreError, validationError } from '../../../src/domain/errors.js';

const render = (e: unknown) => {
  const lines: string[] = [];
  const code = renderCliError(e, { out: () => {}, err: (t) => lines.push(...t.split('\n')) });
  return { code, lines };
};

const FORGED = 'web\n\u001b[32m✅ Applied: 3 added\r\u001b]0;owned\u0007';

describe('CLI errors carrying hostile text', () => {
  it('GIVEN a name with ANSI/OSC escapes, CR and LF in a resources file THEN the error shows them escaped and no line starts like our output', () => {
    let err: unknown;
    try {
      parseResources([{ type: 'compute_vm', name: FORGED, machine_type: 'small' }, { type: 'compute_vm', name: FORGED }], 'sandbox');
    } catch (e) {
      err = e;
    }
    const { code, lines } = render(err);
    expect(code).toBe(1);
    for (const line of lines) {
      expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(line).toMatch(/^(error: |  )/);
    }
    expect(lines.join('\n')).toContain('\\u001b[32m');
    expect(lines.join('\n')).toContain('\\r');
  });

  it('GIVEN a single problem or a message with several lines THEN continuation lines are indented, never at column 0', () => {
    for (const e of [validationError([`name '${FORGED}' is not valid`]), new CoreError('conflict', `first line\n✅ Applied: forged`)]) {
      const { lines } = render(e);
      expect(lines[0]).toMatch(/^error: /);
      for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}/);
      expect(lines.join('')).not.toContain('\u001b');
    }
  });

  it('GIVEN a resources file that is not JSON THEN the parser message it echoes is shown escaped', () => {
    expect(() => readResourcesJson('/nonexistent/\u001b[31mfile.json')).toThrow(CoreError);
    const { lines } = render(new CoreError('not_found', "Resources file '/x/\u001b[31mfile.json' was not found."));
    expect(lines.join('')).not.toContain('\u001b');
  });
});
