/**
 * Every path a user hands us (a resources file, a spreadsheet, a price list) is read through one gate:
 * regular files only, never more than the limit + 1 byte. Devices, FIFOs, directories and links to them
 * are refused at once — before this gate `/dev/zero` ate 16.9 GB and a FIFO hung the CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResourceItems } from '../../../src/cli/resourcesFile.js';
import { CoreError } from '../../../src/domain/errors.js';
import { refusal } from './refusal.js';
import { readDocuments } from '../../../src/cost/updaters/index.js';
import { readUserFile } from '../../../src/userFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'ce-user-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fifo = (name: string) => { const p = join(dir, name); execFileSync('mkfifo', [p]); return p; };
const link = (name: string, to: string) => { const p = join(dir, name); symlinkSync(to, p); return p; };
const bigFile = (name: string) => { const p = join(dir, name); writeFileSync(p, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20)); return p; };


describe('files a user names', () => {
  const hostile: Array<[string, string, RegExp]> = [
    ['/dev/zero as JSON', '/dev/zero', /is a device; give the path of a regular file/],
    ['a spreadsheet name linked to /dev/zero', link('zero.xlsx', '/dev/zero'), /is a device/],
    ['a JSON name linked to /dev/zero', link('zero.json', '/dev/zero'), /is a device/],
    ['a FIFO named .json', fifo('pipe.json'), /is a pipe \(FIFO\)/],
    ['a FIFO named .csv', fifo('pipe.csv'), /is a pipe \(FIFO\)/],
    ['a directory', dir, /is a directory/],
    ['a JSON file one byte over 5 MB', bigFile('big.json'), /is 5\.0 MB; at most 5\.0 MB is allowed/],
    ['a spreadsheet one byte over 5 MB', bigFile('big.xlsx'), /is 5\.0 MB; at most 5\.0 MB is allowed/],
  ];
  for (const [label, path, message] of hostile) {
    it(`GIVEN ${label} as a resources file THEN it is refused at once, naming what it is`, async () => {
      const e = await refusal(() => readResourceItems(path));
      expect(e.code).toBe('validation');
      expect(e.userMessage).toMatch(message);
    });
  }

  it('GIVEN a device or a FIFO as a price list THEN it is refused at once', async () => {
    expect((await refusal(() => readDocuments('/dev/zero'))).userMessage).toMatch(/is a device/);
    expect((await refusal(() => readDocuments(fifo('prices.json')))).userMessage).toMatch(/is a pipe \(FIFO\)/);
  });

  it('GIVEN a limit THEN a regular file within it is read whole, and one past it is refused', () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, '[]');
    expect(readUserFile(ok, 10, 'x').toString()).toBe('[]');
    expect(() => readUserFile(join(dir, 'big.json'), 10, 'x')).toThrow(CoreError);
  });
});
