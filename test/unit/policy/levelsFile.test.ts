import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { withLevel } from '../../../src/policy/levelsFile.js';

describe('withLevel', () => {
  it('GIVEN no file THEN it writes a pack file holding only that level', () => {
    const text = withLevel(null, 'missing-labels', 'off');
    expect(parse(text)).toEqual({ levels: { 'missing-labels': 'off' } });
  });

  it('GIVEN a file with other levels, rules and comments THEN it sets the one level and keeps everything else', () => {
    const before = [
      '# Levels for the shop project (ticket OPS-12)',
      'levels:',
      '  stateful-destroy: hard-mandatory # data matters here',
      '  missing-labels: advisory',
      'rules:',
      '  - id: no-large-vms',
      '    level: advisory',
      '    description: No large VMs.',
      '    expression: resource.machine_type == "large"',
      '',
    ].join('\n');
    const text = withLevel(before, 'missing-labels', 'soft-mandatory');
    expect(parse(text)).toEqual({
      levels: { 'stateful-destroy': 'hard-mandatory', 'missing-labels': 'soft-mandatory' },
      rules: [{ id: 'no-large-vms', level: 'advisory', description: 'No large VMs.', expression: 'resource.machine_type == "large"' }],
    });
    expect(text).toContain('# Levels for the shop project (ticket OPS-12)');
    expect(text).toContain('# data matters here');
    expect(parse(withLevel(text, 'public-bucket', 'off')).levels).toEqual({ 'stateful-destroy': 'hard-mandatory', 'missing-labels': 'soft-mandatory', 'public-bucket': 'off' });
  });
});
