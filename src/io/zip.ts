/**
 * Zip archives held in memory (an .xlsx workbook is one): the entries its central directory lists, and an entry's
 * bytes inflated a slice at a time, never to more than the size the directory declares for it.
 *
 * The layout is PKWARE's APPNOTE.TXT (sections 4.3.12–4.3.16 and 4.5.3): the end-of-central-directory record
 * (its zip64 form when the counts or offsets overflow 32 bits), one central header per entry, and the local header
 * before each entry's data. fflate (already here for DOCX) inflates, in its streaming form so that a bomb never
 * sits in memory whole; Node's zlib.crc32 (from Node 20.15, package.json's engines) checks what it gave against the directory's CRC-32. Everything is
 * synchronous: a damaged archive ends in an error thrown here, never in a stream that stalls.
 */
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';

/** One entry: its name, compression (0 stored, 8 deflated), CRC-32 and sizes as the central directory gives them. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of its local header. */
  headerAt: number;
}

/** What is wrong with the archive (the caller words the message for its format). */
export class ZipError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError('a size or offset beyond 2^53');
  return Number(v);
}

/** The entries by name, from the central directory. */
export function zipEntries(buf: Buffer): Map<string, ZipEntry> {
  // The end record is the last 22 bytes but a comment of up to 65,535 bytes after it.
  let end = -1;
  for (let at = buf.length - 22; at >= 0 && at >= buf.length - 22 - 0xffff; at--) {
    if (buf.readUInt32LE(at) === EOCD) {
      end = at;
      break;
    }
  }
  if (end === -1) throw new ZipError('no end of its central directory');
  let count = buf.readUInt16LE(end + 10);
  let directoryAt = buf.readUInt32LE(end + 16);
  if (end >= 20 && buf.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
    const at64 = u64(buf, end - 12);
    if (at64 + 56 > buf.length || buf.readUInt32LE(at64) !== ZIP64_EOCD) throw new ZipError('a zip64 locator pointing nowhere');
    count = u64(buf, at64 + 32);
    directoryAt = u64(buf, at64 + 48);
  }
  const entries = new Map<string, ZipEntry>();
  let at = directoryAt;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw new ZipError(`central directory entry ${i + 1} is not where the directory says`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    let compressedSize = buf.readUInt32LE(at + 20);
    let size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    let headerAt = buf.readUInt32LE(at + 42);
    if (at + 46 + nameLength + extraLength > buf.length) throw new ZipError(`central directory entry ${i + 1} runs past the end`);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    // Zip64 extended information (header 0x0001): the 8-byte values of the fields that were 0xFFFFFFFF, in order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = buf.readUInt16LE(extra);
      const length = buf.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = (): number => {
          if (field + 8 > extra + 4 + length) throw new ZipError(`entry ${name} has a short zip64 field`);
          const v = u64(buf, field);
          field += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (headerAt === 0xffffffff) headerAt = next();
      }
      extra += 4 + length;
    }
    if (flags & 1) throw new ZipError(`entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new ZipError(`entry ${name} uses compression method ${method}`);
    if (entries.has(name)) throw new ZipError(`entry ${name} is listed twice`);
    entries.set(name, { name, method, crc, compressedSize, size, headerAt });
    at = extraEnd + commentLength;
  }
  return entries;
}

/** Compressed bytes handed to the inflater at a time: its output per push is at most 1,032 times this (4 MB). */
const SLICE = 1 << 12;

/**
 * The entry's bytes, in slices, inflated on demand: `next()` gives the next slice (null at the end, once the size
 * and CRC-32 have been checked). Inflating past the declared size, or to less, is an error.
 */
export class ZipReader {
  private at: number;
  private readonly end: number;
  private produced = 0;
  private crc = 0;
  private readonly ready: Uint8Array[] = [];
  private readonly inflater: Inflate | null;
  private finished = false;

  constructor(
    private readonly buf: Buffer,
    private readonly entry: ZipEntry,
  ) {
    const h = entry.headerAt;
    if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL) throw new ZipError(`entry ${entry.name} has no local header where the directory says`);
    this.at = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
    this.end = this.at + entry.compressedSize;
    if (this.end > buf.length) throw new ZipError(`entry ${entry.name} runs past the end of the file`);
    if (entry.method === 8) {
      this.inflater = new Inflate((chunk) => {
        if (chunk.length > 0) this.ready.push(chunk);
      });
    } else {
      this.inflater = null;
    }
  }

  next(): Uint8Array | null {
    while (this.ready.length === 0) {
      if (this.finished) {
        this.check();
        return null;
      }
      const to = Math.min(this.at + SLICE, this.end);
      const slice = this.buf.subarray(this.at, to);
      this.at = to;
      const last = to === this.end;
      if (this.inflater === null) {
        if (slice.length > 0) this.ready.push(slice);
      } else {
        try {
          this.inflater.push(slice, last);
        } catch (error) {
          throw new ZipError(`entry ${this.entry.name} does not inflate (${(error as Error).message})`);
        }
      }
      if (last) this.finished = true;
    }
    const chunk = this.ready.shift()!;
    this.produced += chunk.length;
    if (this.produced > this.entry.size) throw new ZipError(`entry ${this.entry.name} inflates to more than the ${this.entry.size} bytes it declares`);
    this.crc = crc32(chunk, this.crc);
    return chunk;
  }

  private check(): void {
    if (this.produced !== this.entry.size) throw new ZipError(`entry ${this.entry.name} inflates to ${this.produced} bytes, not the ${this.entry.size} it declares`);
    if (this.crc >>> 0 !== this.entry.crc >>> 0) throw new ZipError(`entry ${this.entry.name} fails its CRC-32 check`);
  }
}
