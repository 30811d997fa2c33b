import { describe, expect, it } from 'vitest';
import { boardEmbed } from '../../../src/discord/views/board.js';
import { ApplyProgress } from '../../../src/terraform/applyProgress.js';

const planned = (n: number) => Array.from({ length: n }, (_, i) => ({ address: `module.fleet.terraform_data.node_${String(i).padStart(5, '0')}`, actions: ['create'] }));
const size = (e: ReturnType<typeof boardEmbed>) => (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);

describe('status board view', () => {
  it('GIVEN an apply under way THEN lists failures first, then what runs (with elapsed time), then what is pending, then what finished', () => {
    let now = 0;
    const p = new ApplyProgress(planned(4), () => now);
    p.feed('module.fleet.terraform_data.node_00000: Creating...');
    p.feed('module.fleet.terraform_data.node_00000: Creation complete after 2s [id=1]');
    p.feed('module.fleet.terraform_data.node_00001: Creating...');
    p.feed('module.fleet.terraform_data.node_00002: Creating...');
    p.feed('Error: boom');
    p.feed('  with module.fleet.terraform_data.node_00002,');
    now = 75_000;
    const e = boardEmbed({ rows: p.list(), tally: p.tally(), startedAt: 0, now });
    expect(e.description!.split('\n')).toEqual([
      '❌ `module.fleet.terraform_data.node_00002` · failed',
      '🔄 `module.fleet.terraform_data.node_00001` · creating · 1 min 15 s',
      '⏳ `module.fleet.terraform_data.node_00003` · to create',
      '✅ `module.fleet.terraform_data.node_00000` · created in 2 s',
    ]);
    expect(e.footer!.text).toBe('✅ 1 done · 🔄 1 running · ⏳ 1 pending · ❌ 1 failed · applying · 1 min 15 s');
  });

  it('GIVEN 20,000 resources THEN the board is one embed within Discord limits, the rest summarised by phase', () => {
    const p = new ApplyProgress(planned(20_000), () => 0);
    for (let i = 0; i < 15_000; i++) p.feed(`module.fleet.terraform_data.node_${String(i).padStart(5, '0')}: Creation complete after 1s [id=${i}]`);
    for (let i = 15_000; i < 15_010; i++) p.feed(`module.fleet.terraform_data.node_${String(i).padStart(5, '0')}: Creating...`);
    const e = boardEmbed({ rows: p.list(), tally: p.tally(), startedAt: 0, now: 5000, outcome: 'succeeded' });
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    expect(size(e)).toBeLessThanOrEqual(6000);
    const lines = e.description!.split('\n');
    expect(lines.slice(0, 10).every((l) => l.startsWith('🔄'))).toBe(true);
    const shown = lines.length - 1;
    expect(lines.at(-1)).toBe(`… and ${20_000 - shown} more: ${4990 - (shown - 10)} pending, 15000 done`);
    expect(e.footer!.text).toBe('✅ 15000 done · 🔄 10 running · ⏳ 4990 pending · complete · 5 s');
  });

  it('GIVEN an address longer than a line THEN it is cut, never the embed', () => {
    const p = new ApplyProgress([{ address: `terraform_data.${'x'.repeat(5000)}`, actions: ['delete'] }]);
    const e = boardEmbed({ rows: p.list(), tally: p.tally(), startedAt: 0, now: 0 });
    expect(e.description!.length).toBeLessThan(300);
    expect(e.description).toContain('to destroy');
  });
});
