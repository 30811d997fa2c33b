import { inflateRawSync } from 'node:zlib';
import { MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES, RATIO_CHECK_MIN_BYTES } from './limits.js';

/**
 * Reads a zip archive's central directory and inflates every entry with a hard output cap, BEFORE
 * the archive reaches exceljs (whose JSZip inflates whatever it is given). Sizes come from the
 * central directory, as JSZip reads them, and each entry must inflate to exactly its declared size:
 * an archive that lies about its sizes is refused instead of trusted.
 */
export class ZipProblem extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_MARK = 0xffffffff;

export const looksLikeZip = (buf: Buffer) => buf.length >= 4 && buf.readUInt32LE(0) === LOCAL;

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  size: number;
  localOffset: number;
}

function findEndOfDirectory(buf: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535 bytes; search backwards like JSZip.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ZipProblem('it is not a zip archive (no central directory)');
}

function readDirectory(buf: Buffer): Entry[] {
  const end = findEndOfDirectory(buf);
  const count = buf.readUInt16LE(end + 10);
  const dirSize = buf.readUInt32LE(end + 12);
  const dirOffset = buf.readUInt32LE(end + 16);
  if (buf.readUInt16LE(end + 4) !== 0 || buf.readUInt16LE(end + 6) !== 0) throw new ZipProblem('it is a multi-part zip archive');
  if (count === 0xffff || dirOffset === ZIP64_MARK) throw new ZipProblem('it is a ZIP64 archive, which a workbook under 5 MB never needs');
  if (count > MAX_ZIP_ENTRIES) throw new ZipProblem(`the archive holds ${count} files; a workbook has a few dozen`);
  if (dirOffset + dirSize > end) throw new ZipProblem('its central directory is damaged');
  const entries: Entry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CENTRAL) throw new ZipProblem('its central directory is damaged');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    // JSZip strips one leading slash, as exceljs then does; compare names as they will be read.
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen).replace(/^\//, '');
    // JSZip resolves `.`, `..` and empty segments, so an archive could name one part twice; a workbook never does.
    if (name.split('/').some((s, i, all) => s === '.' || s === '..' || (s === '' && i < all.length - 1)) || name.includes('\\')) {
      throw new ZipProblem(`'${name.slice(0, 60)}' is not a plain path inside the archive`);
    }
    // JSZip prefers an Info-ZIP Unicode path (extra field 0x7075) to the name itself; Excel never writes one.
    if (extraFieldIds(buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen)).includes(0x7075)) {
      throw new ZipProblem(`'${name.slice(0, 60)}' carries a second file name; refusing the archive`);
    }
    entries.push({
      flags: buf.readUInt16LE(p + 8), method: buf.readUInt16LE(p + 10), compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42), name,
    });
    p += 46 + nameLen + extraLen + buf.readUInt16LE(p + 32);
  }
  return entries;
}

function extraFieldIds(extra: Buffer): number[] {
  const ids: number[] = [];
  for (let q = 0; q + 4 <= extra.length; q += 4 + extra.readUInt16LE(q + 2)) ids.push(extra.readUInt16LE(q));
  return ids;
}

function checkSizes(entries: Entry[]): void {
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total > MAX_UNCOMPRESSED_BYTES) throw new ZipProblem(`it would expand to more than ${MAX_UNCOMPRESSED_BYTES / 1048576} MB; refusing it as a possible zip bomb`);
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new ZipProblem(`the archive lists '${e.name.slice(0, 60)}' twice`);
    names.add(e.name);
    if (e.flags & 1) throw new ZipProblem('it is encrypted (password protected); save it without a password');
    if (e.method !== 0 && e.method !== 8) throw new ZipProblem(`'${e.name.slice(0, 60)}' uses an unsupported compression method (${e.method})`);
    if (e.size === ZIP64_MARK || e.compressed === ZIP64_MARK) throw new ZipProblem('it is a ZIP64 archive, which a workbook under 5 MB never needs');
    if (e.size >= RATIO_CHECK_MIN_BYTES && e.size > e.compressed * MAX_COMPRESSION_RATIO) {
      throw new ZipProblem(`'${e.name.slice(0, 60)}' is compressed ${Math.round(e.size / Math.max(1, e.compressed))}:1; refusing it as a possible zip bomb`);
    }
  }
}

function inflateEntry(buf: Buffer, e: Entry): Buffer {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw new ZipProblem(`'${e.name.slice(0, 60)}' is damaged`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + e.compressed > buf.length) throw new ZipProblem(`'${e.name.slice(0, 60)}' is truncated`);
  const raw = buf.subarray(start, start + e.compressed);
  let data: Buffer;
  try {
    // One byte of headroom: inflating past the declared size is what a lying archive does.
    data = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: e.size + 1 });
  } catch {
    throw new ZipProblem(`'${e.name.slice(0, 60)}' does not decompress to its declared size; refusing it`);
  }
  if (data.length !== e.size) throw new ZipProblem(`'${e.name.slice(0, 60)}' does not decompress to its declared size; refusing it`);
  return data;
}

/**
 * A fresh archive holding exactly `parts`: what exceljs reads is then what the guard checked, whatever
 * the original's local headers, extra directory records or offsets said (JSZip reads those differently).
 */
export async function rebuildArchive(parts: Map<string, Buffer>): Promise<Buffer> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  for (const [name, data] of parts) zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

/** Every file in the archive, decompressed, or a ZipProblem saying why the archive is refused. */
export function unzipBounded(buf: Buffer): Map<string, Buffer> {
  const entries = readDirectory(buf);
  checkSizes(entries);
  return new Map(entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, inflateEntry(buf, e)]));
}
