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
import { inflateSync } from 'node:zlib';
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
  const headerCases = r.int32();
  const bias = r.float64();
  r.at = 176;
  if (compression < 0 || compression > 2) throw corrupt(source, `unknown compression ${compression}`);
  // −1 is "not recorded" (PSPP: a writer that could not seek back); any other negative count is no count at all.
  if (headerCases < -1) throw corrupt(source, `a case count of ${headerCases} in its header`);
  // A compressed number is code − bias: a bias that is not finite gives no number at all (SPSS writes 100).
  if (compression !== 0 && !Number.isFinite(bias)) throw corrupt(source, `a compression bias of ${bias}`);

  const raws: Raw[] = [];
  let slotCount = 0;
  let encoding = 'windows-1252';
  let longNames: string | null = null;
  let extendedCases = -1;
  let veryLong: string | null = null;
  const labelSets: Array<{ labels: Array<{ value: Buffer; label: Buffer }>; slots: number[] }> = [];

  for (;;) {
    const type = r.int32();
    if (type === 2) {
      const at = r.at - 4;
      const width = r.int32();
      const hasLabel = r.int32();
      const missingCount = r.int32();
      // PSPP's rules: width −1 (a string's continuation), 0 (numeric) or 1–255 bytes; a label flag 0 or 1; 0–3
      // discrete missing values, or −2/−3 (a range, and one more value) — for strings discrete values only.
      if (!Number.isInteger(width) || width < -1 || width > 255) throw corrupt(source, `a variable width of ${width} at byte ${at}`);
      if (hasLabel !== 0 && hasLabel !== 1) throw corrupt(source, `a variable label flag of ${hasLabel} at byte ${at}`);
      if (missingCount < -3 || missingCount > 3 || missingCount === -1 || (width > 0 && missingCount < 0)) {
        throw corrupt(source, `a missing-value count of ${missingCount} at byte ${at}`);
      }
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
      if (subtype === 16 && data.length === 16) {
        // Extended case count (PSPP: int64 1, then the count as int64), for files of more than 2³¹ − 1 cases.
        extendedCases = Number(little ? data.readBigInt64LE(8) : data.readBigInt64BE(8));
      } else if (subtype === 3 && data.length >= 32) {
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

  const declaredCases = headerCases === -1 && extendedCases >= 0 ? extendedCases : headerCases;
  // A .zsav writer seeks back to fill in its zlib header, and so knows the count: without one, nothing would bound
  // how many cases a kilobyte of zlib decodes to (1,032 bytes of bytecode a byte, a case a byte: 268 M from 261 KB).
  if (compression === 2 && declaredCases === -1) throw corrupt(source, 'a .zsav header without its case count');
  // Nothing to read a case into: with 0 slots a case would be 0 bytes long, and reading stops nowhere.
  if (raws.length === 0) throw corrupt(source, 'no variables');
  // A string of width w takes ⌈w/8⌉ slots (its first and w/8 continuation records), a number one.
  for (const raw of raws) {
    const want = raw.width === 0 ? 1 : Math.ceil(raw.width / 8);
    if (raw.slots !== want) throw corrupt(source, `variable ${raw.shortName} of width ${raw.width} in ${raw.slots} slots, not ${want}`);
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
      if (!(slot >= 1 && slot <= slotCount)) throw corrupt(source, `value labels for variable ${slot}, of ${slotCount}`);
      const v = bySlotIndex.get(slot);
      if (v === undefined || v.width !== 0) continue;
      for (const { value, label } of set.labels) {
        v.valueLabels.set(little ? value.readDoubleLE(0) : value.readDoubleBE(0), text(label));
      }
    }
  }

  const dataStart = r.at;
  const totalSlots = variables.reduce((sum, v) => sum + v.slots, 0);
  // What each slot must hold: a compressed code must fit its slot's kind (a number, or 8 bytes of text).
  const slotOwner: SavVariable[] = new Array(totalSlots);
  for (const v of variables) for (let s = v.slot; s < v.slot + v.slots; s++) slotOwner[s] = v;
  // The .zsav layout is checked when the file is opened, before any case is read.
  const blocks = compression === 2 ? zsavBlocks(buf, dataStart, little, bias, declaredCases, totalSlots, source) : null;
  return {
    variables,
    declaredCases,
    *cases() {
      const slots =
        compression === 0
          ? rawSlots(buf.subarray(dataStart), totalSlots, source)
          : bytecodeSlots(blocks === null ? [buf.subarray(dataStart)] : inflateBlocks(buf, blocks, source), bias, slotOwner, source);
      let count = 0;
      for (const caseSlots of slots) {
        // Beyond the declared count: more data than the header says (a trailer read as cases, or a bomb).
        if (count === declaredCases) throw corrupt(source, `more cases than the ${declaredCases} its header declares`);
        count++;
        yield decodeCase(caseSlots, variables, little, text, source, count);
      }
      if (declaredCases >= 0 && count < declaredCases) throw corrupt(source, `its header declares ${declaredCases} cases, the data hold ${count}; the file is cut short`);
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

function* rawSlots(data: Buffer, total: number, source: string): Generator<Buffer[]> {
  const size = total * 8;
  if (data.length % size !== 0) throw corrupt(source, `the data end inside a case (${data.length} bytes of data, cases of ${size})`);
  for (let at = 0; at < data.length; at += size) {
    const slots: Buffer[] = new Array(total);
    for (let s = 0; s < total; s++) slots[s] = data.subarray(at + s * 8, at + s * 8 + 8);
    yield slots;
  }
}

const SPACES = Buffer.from('        ', 'latin1');

/**
 * Bytecode compression: groups of 8 command bytes, each for one slot: 0 padding, 1–251 the number code − bias,
 * 252 end of data, 253 the 8 bytes follow (after the command group), 254 eight spaces, 255 system-missing.
 * A number code (1–251, 255) belongs in a numeric slot and 254 in a text slot; anything else is not data SPSS
 * writes (eight spaces read as a double are 6.01e−154). The data come in chunks (.zsav: one per zlib block); a
 * command group and its values may straddle two.
 */
function* bytecodeSlots(chunks: Iterable<Buffer>, bias: number, owner: SavVariable[], source: string): Generator<Slot[]> {
  const next = chunks[Symbol.iterator]();
  let data: Buffer = Buffer.alloc(0);
  let at = 0;
  /** Whether `n` bytes from `at` are held, joining the next chunks as needed. */
  const have = (n: number): boolean => {
    while (data.length - at < n) {
      const step = next.next();
      if (step.done) return false;
      data = at < data.length ? Buffer.concat([data.subarray(at), step.value]) : step.value;
      at = 0;
    }
    return true;
  };
  const total = owner.length;
  const slots: Slot[] = new Array(total);
  let s = 0;
  let cases = 0;
  const wrong = (what: string) => corrupt(source, `${what} in variable ${owner[s].name} of case ${cases + 1}`);
  // The group's commands, copied: fetching a value may join the next chunk, which replaces `data`.
  const commands = new Uint8Array(8);
  while (have(8)) {
    for (let c = 0; c < 8; c++) commands[c] = data[at + c];
    at += 8;
    for (let c = 0; c < 8; c++) {
      const code = commands[c];
      if (code === 0) continue;
      if (code === 252) {
        if (s !== 0) throw corrupt(source, `the data end inside case ${cases + 1}`);
        return;
      }
      const numeric = owner[s].width === 0;
      let slot: Slot;
      if (code === 253) {
        if (!have(8)) throw corrupt(source, `the data end inside case ${cases + 1}`);
        slot = data.subarray(at, at + 8);
        at += 8;
      } else if (code === 254) {
        if (numeric) throw wrong('text (code 254) where a number belongs');
        slot = SPACES;
      } else {
        if (!numeric) throw wrong(`a number (code ${code}) where text belongs`);
        slot = code === 255 ? NaN : code - bias;
      }
      slots[s++] = slot;
      if (s === total) {
        // The consumer decodes the case before asking for the next: one array serves every case.
        yield slots;
        s = 0;
        cases++;
      }
    }
  }
  if (s !== 0) throw corrupt(source, `the data end inside case ${cases + 1}`);
}

/** A .zsav data block: where its zlib stream is, how long, and the bytes it declares it inflates to. */
interface ZBlock {
  offset: number;
  size: number;
  inflated: number;
}

/** The largest zlib block accepted: SPSS and haven write 0x3ff000 (4 MB) blocks. */
const MAX_ZBLOCK = 1 << 26;

/**
 * .zsav: the bytecode stream in zlib blocks, listed by the trailer. PSPP's rules (its "System File Format", the zlib
 * data header and trailer): the header gives its own offset, the trailer's offset and length (24 bytes and 24 per
 * block) and the trailer ends the file; the trailer's bias is the header's negated; the blocks follow one another
 * without gap or overlap, both as stored and as inflated, each of the trailer's block size but the last (no
 * larger). With a declared case count, the blocks may not inflate to more bytecode than that many cases can take:
 * 9 bytes a value at most (a command byte and 8 data bytes), in groups of 8, and one group to end.
 */
function zsavBlocks(buf: Buffer, start: number, little: boolean, bias: number, cases: number, slots: number, source: string): ZBlock[] {
  const r = new Bytes(buf, little, source);
  r.at = start;
  const zheader = r.int64();
  const trailerAt = r.int64();
  const trailerLength = r.int64();
  if (zheader !== start) throw corrupt(source, `a zlib header that says it is at byte ${zheader}, not ${start}`);
  if (trailerAt < start + 24 || trailerAt + trailerLength !== buf.length) {
    throw corrupt(source, `a zlib trailer at byte ${trailerAt} of ${trailerLength} bytes, which does not end the ${buf.length}-byte file`);
  }
  r.at = trailerAt;
  const trailerBias = r.int64();
  r.int64(); // zero
  const blockSize = r.int32();
  const count = r.int32();
  if (trailerBias !== -bias) throw corrupt(source, `a zlib trailer bias of ${-trailerBias} where the header's is ${bias}`);
  if (count < 0 || trailerLength !== 24 * (count + 1)) throw corrupt(source, `a zlib trailer of ${trailerLength} bytes listing ${count} blocks`);
  if (blockSize <= 0 || blockSize > MAX_ZBLOCK) throw corrupt(source, `a zlib block size of ${blockSize}`);
  const blocks: ZBlock[] = [];
  let inflatedAt = start;
  let storedAt = start + 24;
  for (let b = 0; b < count; b++) {
    const inflatedOffset = r.int64();
    const offset = r.int64();
    const inflated = r.int32();
    const size = r.int32();
    if (inflatedOffset !== inflatedAt || offset !== storedAt) {
      throw corrupt(source, `zlib block ${b + 1} is not where block ${b} ends (the blocks must follow one another)`);
    }
    if (inflated <= 0 || inflated > blockSize || (b < count - 1 && inflated !== blockSize) || size <= 0) {
      throw corrupt(source, `zlib block ${b + 1} declares ${size} bytes inflating to ${inflated}, in blocks of ${blockSize}`);
    }
    blocks.push({ offset, size, inflated });
    inflatedAt += inflated;
    storedAt += size;
  }
  if (storedAt !== trailerAt) throw corrupt(source, `the zlib blocks end at byte ${storedAt}, the trailer begins at ${trailerAt}`);
  const bytecode = inflatedAt - start;
  if (cases >= 0 && bytecode > Math.ceil((cases * slots) / 8) * 72 + 8) {
    throw corrupt(source, `zlib blocks inflating to ${bytecode} bytes, more than ${cases} cases of ${slots} values can take`);
  }
  return blocks;
}

/** The blocks inflated one at a time, each to no more than the bytes it declares. */
function* inflateBlocks(buf: Buffer, blocks: ZBlock[], source: string): Generator<Buffer> {
  for (let b = 0; b < blocks.length; b++) {
    const { offset, size, inflated } = blocks[b];
    let bytes: Buffer;
    try {
      bytes = inflateSync(buf.subarray(offset, offset + size), { maxOutputLength: inflated });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw corrupt(source, tooLarge ? `zlib block ${b + 1} inflates to more than the ${inflated} bytes it declares` : `zlib block ${b + 1} does not inflate`);
    }
    if (bytes.length !== inflated) throw corrupt(source, `zlib block ${b + 1} inflates to ${bytes.length} bytes, not the ${inflated} it declares`);
    yield bytes;
  }
}

function decodeCase(slots: Slot[], variables: SavVariable[], little: boolean, text: (b: Buffer) => string, source: string, caseNumber: number): Array<number | string> {
  const values: Array<number | string> = new Array(variables.length);
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i];
    if (v.width === 0) {
      const slot = slots[v.slot];
      if (typeof slot === 'number') {
        values[i] = slot;
        continue;
      }
      const value = little ? slot.readDoubleLE(0) : slot.readDoubleBE(0);
      // System-missing is −DBL_MAX; SPSS writes no NaN or infinity, which would otherwise pass as missing or as text.
      if (!Number.isFinite(value)) throw corrupt(source, `the value ${value} in variable ${v.name} of case ${caseNumber}`);
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
      const bytes = Buffer.concat(slots.slice(at, at + v.segments[seg]) as Buffer[]);
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

/** Whether a number is user-missing for the variable. */
export function isUserMissing(v: SavVariable, value: number): boolean {
  const { values, range } = v.missing;
  if (range !== null && value >= range[0] && value <= range[1]) return true;
  return values.includes(value);
}
