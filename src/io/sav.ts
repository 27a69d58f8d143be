/**
 * SPSS system files (.sav, and .zsav with zlib-compressed data): the dictionary (variable names, labels, value labels,
 * user-missing values) and the cases, decoded from the bytes held in memory.
 *
 * Written here, not taken from npm: the one maintained JavaScript reader (sav-reader 2.0.8) stops after the first case
 * of a bytecode-compressed file (SPSS's and haven's default), refuses .zsav, and took 146 s for an uncompressed
 * 10⁵-case file (one promise per value). The layout follows GNU PSPP's "System File Format" (PSPP manual, appendix
 * B): records 1 (header), 2 (variable), 3/4 (value labels), 6 (document), 7 (extensions: 3 integer info, 4 float
 * info, 13 long names, 14 very long strings, 20 encoding), 999 (end of dictionary),
 * then the data: 8-byte slots, raw, bytecode-compressed (compression 1) or bytecode in zlib blocks (compression 2).
 */
import { DataError } from '../errors';

/** One variable as a column: its name, label, value labels and user-missing values. */
export interface SavVariable {
  name: string;
  /** Variable label (SPSS "label"), or null. */
  label: string | null;
  /** 0 numeric, else the string width in bytes. */
  width: number;
  /** Value labels of a numeric variable, code → label. */
  valueLabels: Map<number, string>;
  /** User-missing: discrete values and at most one range (numeric); discrete texts (string). */
  missing: { values: number[]; range: [number, number] | null; texts: string[] };
  /** First 8-byte slot in a case, and the number of slots (segments of a very long string included). */
  slot: number;
  slots: number;
  /** Very long strings: the slot counts of their 255-byte segments (one entry for any other variable). */
  segments: number[];
}

export interface SavFile {
  variables: SavVariable[];
  /** Cases as declared in the header (−1: unknown). */
  declaredCases: number;
  /** Decodes the cases in order: each one's values (number, NaN for system-missing, or text). */
  cases(): Generator<Array<number | string>>;
}

const SYSMIS = -Number.MAX_VALUE;

class Bytes {
  at = 0;
  constructor(
    readonly buf: Buffer,
    readonly little: boolean,
    readonly source: string,
  ) {}
  need(n: number): void {
    if (this.at + n > this.buf.length) throw corrupt(this.source, `the file ends inside a record at byte ${this.at}`);
  }
  int32(): number {
    this.need(4);
    const v = this.little ? this.buf.readInt32LE(this.at) : this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  int64(): number {
    this.need(8);
    const v = this.little ? this.buf.readBigInt64LE(this.at) : this.buf.readBigInt64BE(this.at);
    this.at += 8;
    return Number(v);
  }
  float64(): number {
    this.need(8);
    const v = this.little ? this.buf.readDoubleLE(this.at) : this.buf.readDoubleBE(this.at);
    this.at += 8;
    return v;
  }
  bytes(n: number): Buffer {
    if (n < 0) throw corrupt(this.source, `a negative length at byte ${this.at}`);
    this.need(n);
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
}

function corrupt(source: string, why: string): DataError {
  return new DataError(`${source} is not a readable SPSS file (${why}), save it again from SPSS or export it as CSV`);
}

/** The variable record's short name and its parts before the long names (record 7.13) are known. */
interface Raw {
  shortName: string;
  label: Buffer | null;
  width: number;
  slot: number;
  slots: number;
  missingCount: number;
  missingRaw: Buffer[];
}

/** Parses the dictionary; the cases are decoded when `cases()` is iterated. */
export function readSav(buf: Buffer, source: string): SavFile {
  if (buf.length < 176) throw corrupt(source, 'shorter than its header');
  const magic = buf.toString('latin1', 0, 4);
  if (magic !== '$FL2' && magic !== '$FL3') throw corrupt(source, 'no $FL2 or $FL3 signature');
  // layout_code is 2 or 3 in the writer's byte order: that tells the byte order.
  const layoutLE = buf.readInt32LE(64);
  const little = layoutLE === 2 || layoutLE === 3;
  const r = new Bytes(buf, little, source);
  r.at = 64;
  r.int32(); // layout_code
  r.int32(); // nominal_case_size
  const compression = r.int32();
  r.int32(); // weight_index
  const declaredCases = r.int32();
  const bias = r.float64();
  r.at = 176;
  if (compression < 0 || compression > 2) throw corrupt(source, `unknown compression ${compression}`);

  const raws: Raw[] = [];
  let slotCount = 0;
  let encoding = 'windows-1252';
  let longNames: string | null = null;
  let veryLong: string | null = null;
  const labelSets: Array<{ labels: Array<{ value: Buffer; label: Buffer }>; slots: number[] }> = [];

  for (;;) {
    const type = r.int32();
    if (type === 2) {
      const width = r.int32();
      const hasLabel = r.int32();
      const missingCount = r.int32();
      r.int32(); // print format
      r.int32(); // write format
      const shortName = r.bytes(8);
      let label: Buffer | null = null;
      if (hasLabel === 1) {
        const length = r.int32();
        label = r.bytes(length);
        r.at += (4 - (length % 4)) % 4;
      }
      const missingRaw: Buffer[] = [];
      for (let i = 0; i < Math.abs(missingCount); i++) missingRaw.push(r.bytes(8));
      slotCount++;
      if (width === -1) {
        // A continuation slot of the string before.
        const last = raws[raws.length - 1];
        if (last === undefined) throw corrupt(source, 'a string continuation before any variable');
        last.slots++;
        continue;
      }
      raws.push({ shortName: shortName.toString('latin1').trimEnd(), label, width, slot: slotCount - 1, slots: 1, missingCount, missingRaw });
    } else if (type === 3) {
      const count = r.int32();
      const labels: Array<{ value: Buffer; label: Buffer }> = [];
      for (let i = 0; i < count; i++) {
        const value = r.bytes(8);
        const length = r.buf[r.at];
        r.need(1);
        r.at += 1;
        const label = r.bytes(length);
        r.at += (8 - ((length + 1) % 8)) % 8;
        labels.push({ value, label });
      }
      if (r.int32() !== 4) throw corrupt(source, 'value labels without their variable record');
      const n = r.int32();
      const slots: number[] = [];
      for (let i = 0; i < n; i++) slots.push(r.int32());
      labelSets.push({ labels, slots });
    } else if (type === 6) {
      const lines = r.int32();
      r.bytes(lines * 80);
    } else if (type === 7) {
      const subtype = r.int32();
      const size = r.int32();
      const count = r.int32();
      const data = r.bytes(size * count);
      if (subtype === 3 && data.length >= 32) {
        const code = little ? data.readInt32LE(28) : data.readInt32BE(28);
        encoding = codePageEncoding(code) ?? encoding;
      } else if (subtype === 13) longNames = data.toString('latin1');
      else if (subtype === 14) veryLong = data.toString('latin1');
      else if (subtype === 20) encoding = data.toString('latin1').trim() || encoding;
    } else if (type === 999) {
      r.int32();
      break;
    } else {
      throw corrupt(source, `unknown record type ${type} at byte ${r.at - 4}`);
    }
  }

  let decoder: { decode(b: Uint8Array): string };
  try {
    decoder = new TextDecoder(encoding.toLowerCase() === 'utf8' ? 'utf-8' : encoding);
  } catch {
    throw new DataError(`${source} uses the character encoding "${encoding}", which cannot be read here; save it as UTF-8 (SPSS: Unicode mode)`);
  }
  const text = (b: Buffer) => decoder.decode(b);

  // Long names (7.13) are in the file's encoding: decode the record, then split.
  const longByShort = new Map<string, string>();
  if (longNames !== null) {
    for (const pair of decoder.decode(Buffer.from(longNames, 'latin1')).split('\t')) {
      const at = pair.indexOf('=');
      if (at > 0) longByShort.set(pair.slice(0, at).toUpperCase(), pair.slice(at + 1));
    }
  }
  const veryLongWidth = new Map<string, number>();
  if (veryLong !== null) {
    for (const pair of veryLong.split(/[\0\t]+/)) {
      const at = pair.indexOf('=');
      if (at > 0) veryLongWidth.set(pair.slice(0, at).toUpperCase(), Number.parseInt(pair.slice(at + 1), 10));
    }
  }

  // A very long string is written as segments of up to 255 bytes, each its own variable (record 7.14 names the
  // first and its true width): merge the segments into one variable.
  const variables: SavVariable[] = [];
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i];
    const name = longByShort.get(raw.shortName.toUpperCase()) ?? raw.shortName;
    const variable: SavVariable = {
      name,
      label: raw.label === null ? null : text(raw.label),
      width: raw.width,
      valueLabels: new Map(),
      missing: { values: [], range: null, texts: [] },
      slot: raw.slot,
      slots: raw.slots,
      segments: [raw.slots],
    };
    const full = veryLongWidth.get(raw.shortName.toUpperCase());
    if (full !== undefined && full > 255) {
      const count = Math.ceil(full / 252);
      for (let s = 1; s < count && i + 1 < raws.length; s++) {
        const seg = raws[++i];
        variable.segments.push(seg.slots);
        variable.slots += seg.slots;
      }
      variable.width = full;
    }
    if (raw.width === 0) {
      const values = raw.missingRaw.map((b) => (little ? b.readDoubleLE(0) : b.readDoubleBE(0)));
      if (raw.missingCount < 0) {
        variable.missing.range = [values[0], values[1]];
        variable.missing.values = values.slice(2);
      } else {
        variable.missing.values = values;
      }
    } else {
      variable.missing.texts = raw.missingRaw.map((b) => text(b).trimEnd());
    }
    variables.push(variable);
  }
  const bySlotIndex = new Map<number, SavVariable>();
  for (const v of variables) bySlotIndex.set(v.slot + 1, v);
  for (const set of labelSets) {
    for (const slot of set.slots) {
      const v = bySlotIndex.get(slot);
      if (v === undefined || v.width !== 0) continue;
      for (const { value, label } of set.labels) {
        v.valueLabels.set(little ? value.readDoubleLE(0) : value.readDoubleBE(0), text(label));
      }
    }
  }

  const dataStart = r.at;
  const totalSlots = variables.reduce((sum, v) => sum + v.slots, 0);
  return {
    variables,
    declaredCases,
    *cases() {
      let data: Buffer = buf.subarray(dataStart);
      if (compression === 2) data = inflateZsav(buf, dataStart, little, source);
      const slots = compression === 0 ? rawSlots(data, totalSlots) : bytecodeSlots(data, bias, totalSlots, source);
      for (const caseSlots of slots) yield decodeCase(caseSlots, variables, little, text);
    },
  };
}

/** Windows code page numbers (record 7.3's character code) the decoder knows by name. */
function codePageEncoding(code: number): string | null {
  if (code === 65001) return 'utf-8';
  if (code === 1252 || code === 2) return 'windows-1252';
  if (code >= 1250 && code <= 1258) return `windows-${code}`;
  if (code === 28591) return 'iso-8859-1';
  return null;
}

/** One case's slots: a number per numeric slot (NaN: system-missing) and 8 bytes per string slot. */
type Slot = number | Buffer;

function* rawSlots(data: Buffer, total: number): Generator<Buffer[]> {
  const size = total * 8;
  for (let at = 0; at + size <= data.length; at += size) {
    const slots: Buffer[] = new Array(total);
    for (let s = 0; s < total; s++) slots[s] = data.subarray(at + s * 8, at + s * 8 + 8);
    yield slots;
  }
}

const SPACES = Buffer.from('        ', 'latin1');

/**
 * Bytecode compression: groups of 8 command bytes, each for one slot: 0 padding, 1–251 the number code − bias,
 * 252 end of data, 253 the 8 bytes follow (after the command group), 254 eight spaces, 255 system-missing.
 */
function* bytecodeSlots(data: Buffer, bias: number, total: number, source: string): Generator<Slot[]> {
  let at = 0;
  const slots: Slot[] = new Array(total);
  let s = 0;
  while (at + 8 <= data.length) {
    const commands = at;
    at += 8;
    for (let c = 0; c < 8; c++) {
      const code = data[commands + c];
      if (code === 0) continue;
      if (code === 252) {
        if (s !== 0) throw corrupt(source, 'the data end inside a case');
        return;
      }
      let slot: Slot;
      if (code === 253) {
        if (at + 8 > data.length) throw corrupt(source, 'the data end inside a value');
        slot = data.subarray(at, at + 8);
        at += 8;
      } else if (code === 254) slot = SPACES;
      else if (code === 255) slot = NaN;
      else slot = code - bias;
      slots[s++] = slot;
      if (s === total) {
        // The consumer decodes the case before asking for the next: one array serves every case.
        yield slots;
        s = 0;
      }
    }
  }
  if (s !== 0) throw corrupt(source, 'the data end inside a case');
}

/** .zsav: the bytecode stream in zlib blocks, listed by the trailer (offsets of each block). */
function inflateZsav(buf: Buffer, start: number, little: boolean, source: string): Buffer {
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const r = new Bytes(buf, little, source);
  r.at = start;
  r.int64(); // zheader_ofs
  const trailerAt = r.int64();
  r.int64(); // ztrailer_len
  r.at = trailerAt;
  r.int64(); // bias
  r.int64(); // zero
  r.int32(); // block size
  const blocks = r.int32();
  const parts: Buffer[] = [];
  for (let b = 0; b < blocks; b++) {
    r.int64(); // uncompressed offset
    const offset = r.int64();
    r.int32(); // uncompressed size
    const size = r.int32();
    try {
      parts.push(zlib.inflateSync(buf.subarray(offset, offset + size)));
    } catch {
      throw corrupt(source, `zlib block ${b + 1} does not inflate`);
    }
  }
  return Buffer.concat(parts);
}

function decodeCase(slots: Slot[], variables: SavVariable[], little: boolean, text: (b: Buffer) => string): Array<number | string> {
  const values: Array<number | string> = new Array(variables.length);
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i];
    if (v.width === 0) {
      const slot = slots[v.slot];
      const value = typeof slot === 'number' ? slot : little ? slot.readDoubleLE(0) : slot.readDoubleBE(0);
      values[i] = value === SYSMIS ? NaN : value;
      continue;
    }
    const first = slots[v.slot];
    if (v.slots === 1 && typeof first !== 'number') {
      // A short string (up to 8 bytes), the common case: ASCII needs no decoder.
      values[i] = (isAscii(first) ? first.toString('latin1', 0, Math.min(8, v.width)) : text(first.subarray(0, Math.min(8, v.width)))).trimEnd();
      continue;
    }
    // A string: its slots' bytes; a very long string's segments each hold 255 bytes (one pad byte after), the last its rest.
    const parts: Buffer[] = [];
    let at = v.slot;
    for (let seg = 0; seg < v.segments.length; seg++) {
      const bytes = Buffer.concat(slots.slice(at, at + v.segments[seg]).map((s) => (typeof s === 'number' ? numberBytes(s) : s)));
      parts.push(v.segments.length > 1 && seg < v.segments.length - 1 ? bytes.subarray(0, 255) : bytes);
      at += v.segments[seg];
    }
    const all = Buffer.concat(parts);
    values[i] = text(all.subarray(0, Math.min(all.length, v.width))).trimEnd();
  }
  return values;
}

function isAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
  return true;
}

/** A compressed number code in a string slot does not occur in valid files; as bytes it is read as spaces. */
function numberBytes(_: number): Buffer {
  return SPACES;
}

/** Whether a number is user-missing for the variable. */
export function isUserMissing(v: SavVariable, value: number): boolean {
  const { values, range } = v.missing;
  if (range !== null && value >= range[0] && value <= range[1]) return true;
  return values.includes(value);
}
