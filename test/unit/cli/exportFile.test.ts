/**
 * An export is a new file or nothing: interrupted, failing half-way, or aimed at something that exists
 * (a file, a directory, a dangling symlink), it leaves no half file and replaces nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeNewFile } from '../../../src/cli/exportFile.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ce-export-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function* lines(n: number, failAt?: number, onLine?: (i: number) => void): AsyncGenerator<string> {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error('row 7 cannot be read');
    onLine?.(i);
    yield `${'x'.repeat(100)} ${i}\n`;
  }
}

const live = () => new AbortController().signal;

describe('writing an export', () => {
  it('GIVEN 5,000 lines THEN the file holds them all and nothing else is left beside it', async () => {
    const out = join(dir, 'audit.csv');
    expect(await writeNewFile(out, lines(5000), live())).toBe(true);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(5000);
    expect(readdirSync(dir)).toEqual(['audit.csv']);
  });

  it('GIVEN an interruption half-way THEN it stops, says so, and leaves no file at all', async () => {
    const out = join(dir, 'audit.csv');
    const stop = new AbortController();
    expect(await writeNewFile(out, lines(5000, undefined, (i) => i === 2500 && stop.abort()), stop.signal)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('GIVEN a row that fails half-way THEN the error reaches the caller and no file is left', async () => {
    await expect(writeNewFile(join(dir, 'audit.csv'), lines(5000, 7), live())).rejects.toThrow('row 7 cannot be read');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('GIVEN a file, a directory or a dangling symlink at the path THEN it is refused as a conflict before anything is read, and left as it was', async () => {
    writeFileSync(join(dir, 'file.csv'), 'keep');
    mkdirSync(join(dir, 'dir.csv'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'link.csv'));
    for (const name of ['file.csv', 'dir.csv', 'link.csv']) {
      let read = 0;
      await expect(writeNewFile(join(dir, name), lines(10, undefined, () => read++), live())).rejects.toMatchObject({ code: 'conflict' });
      expect(read).toBe(0);
    }
    expect(readFileSync(join(dir, 'file.csv'), 'utf8')).toBe('keep');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('GIVEN someone else’s file where the partial would go THEN it is refused and that file survives', async () => {
    const out = join(dir, 'audit.csv');
    writeFileSync(`${out}.partial-${process.pid}`, 'theirs');
    await expect(writeNewFile(out, lines(10), live())).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(`${out}.partial-${process.pid}`, 'utf8')).toBe('theirs');
    expect(existsSync(out)).toBe(false);
  });

  it('GIVEN a directory that does not exist THEN it is a storage error naming the path', async () => {
    await expect(writeNewFile(join(dir, 'missing', 'audit.csv'), lines(10), live())).rejects.toMatchObject({ code: 'storage', message: expect.stringContaining(join(dir, 'missing')) });
  });
});
