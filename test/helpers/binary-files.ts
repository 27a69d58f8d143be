/**
 * SPSS system files and Excel workbooks built byte by byte, for the strict-reader tests (issue 20): valid ones, and
 * each of the hostile shapes (cut short, bombs, lenient cells) from the same few functions.
 *
 * SPSS after GNU PSPP's "System File Format": the 176-byte header (record type $FL2/$FL3, product, layout code 2,
 * nominal case size, compression, weight index, case count, bias, dates, label), variable records (type 2), the
 * end of the dictionary (999), then the data — raw 8-byte slots, bytecode (compression 1) or bytecode in zlib
 * blocks with the .zsav header and trailer (compression 2). Excel: the five parts an .xlsx needs, zipped by fflate.
 */
import * as zlib from 'node:zlib';
import { cellAddress } from '../../src/io/xlsx';

export interface SavVariableSpec {
  name: string;
  /** 0 numeric, else the string width (up to 255). */
  width: number;
}

export interface SavSpec {
  variables: SavVariableSpec[];
  /** Case count in the header (−1: unknown). */
  cases: number;
  /** The extended case count record (7.16), when given. */
  extendedCases?: number;
  compression: 0 | 1 | 2;
  bias?: number;
  /** The data after the dictionary: raw slots, bytecode, or (compression 2) what zsavData builds. */
  data: Buffer;
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}
function int64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(v));
  return b;
}
function float64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b;
}
function padded(text: string, length: number): Buffer {
  const b = Buffer.alloc(length, 0x20);
  b.write(text, 'latin1');
  return b;
}

/** The header and dictionary, without the data: what the data's offsets (a .zsav's) are counted after. */
export function savDictionary(spec: Omit<SavSpec, 'data'>): Buffer {
  const slots = spec.variables.reduce((n, v) => n + (v.width === 0 ? 1 : Math.ceil(v.width / 8)), 0);
  const parts: Buffer[] = [
    Buffer.from(spec.compression === 2 ? '$FL3' : '$FL2', 'latin1'),
    padded('@(#) SPSS DATA FILE test', 60),
    int32(2),
    int32(slots),
    int32(spec.compression),
    int32(0),
    int32(spec.cases),
    float64(spec.bias ?? 100),
    padded('07 Dec 26', 9),
    padded('12:00:00', 8),
    padded('', 64),
    Buffer.alloc(3),
  ];
  for (const v of spec.variables) {
    const format = v.width === 0 ? 0x050802 : 0x010000 | (v.width << 8);
    parts.push(int32(2), int32(v.width), int32(0), int32(0), int32(format), int32(format), padded(v.name, 8));
    for (let s = 1; s < (v.width === 0 ? 1 : Math.ceil(v.width / 8)); s++) {
      parts.push(int32(2), int32(-1), int32(0), int32(0), int32(0), int32(0), padded('', 8));
    }
  }
  if (spec.extendedCases !== undefined) parts.push(int32(7), int32(16), int32(8), int32(2), int64(1), int64(spec.extendedCases));
  parts.push(int32(999), int32(0));
  return Buffer.concat(parts);
}

export function savFile(spec: SavSpec): Buffer {
  return Buffer.concat([savDictionary(spec), spec.data]);
}

/** Raw (uncompressed) slots of the cases: numbers as doubles, text in 8-byte slots padded with spaces. */
export function rawData(variables: SavVariableSpec[], cases: Array<Array<number | string>>): Buffer {
  const parts: Buffer[] = [];
  for (const values of cases) {
    variables.forEach((v, i) => {
      if (v.width === 0) parts.push(float64(Number.isNaN(values[i]) ? -Number.MAX_VALUE : (values[i] as number)));
      else parts.push(padded(String(values[i]), Math.ceil(v.width / 8) * 8));
    });
  }
  return Buffer.concat(parts);
}

/**
 * Bytecode: each slot's command (1–251 a whole number code + bias, 253 raw bytes after the group, 254 eight spaces,
 * 255 system-missing), in groups of 8 with their raw values after; `end` adds the end-of-data code 252.
 */
export function bytecode(variables: SavVariableSpec[], cases: Array<Array<number | string>>, bias = 100, end = true): Buffer {
  const commands: Array<[number, Buffer | null]> = [];
  for (const values of cases) {
    variables.forEach((v, i) => {
      const value = values[i];
      if (v.width === 0) {
        const n = value as number;
        if (Number.isNaN(n)) commands.push([255, null]);
        else if (Number.isInteger(n) && n + bias >= 1 && n + bias <= 251) commands.push([n + bias, null]);
        else commands.push([253, float64(n)]);
      } else {
        const text = padded(String(value), Math.ceil(v.width / 8) * 8);
        for (let at = 0; at < text.length; at += 8) {
          const slot = text.subarray(at, at + 8);
          commands.push(slot.equals(Buffer.from('        ')) ? [254, null] : [253, slot]);
        }
      }
    });
  }
  if (end) commands.push([252, null]);
  const out: Buffer[] = [];
  for (let g = 0; g < commands.length; g += 8) {
    const group = commands.slice(g, g + 8);
    out.push(Buffer.from([...group.map((c) => c[0]), ...new Array(8 - group.length).fill(0)]));
    for (const [, raw] of group) if (raw !== null) out.push(raw);
  }
  return Buffer.concat(out);
}

export interface ZBlockSpec {
  /** Inflated bytes the trailer declares, and the zlib stream stored. */
  inflated: number;
  stored: Buffer;
}

/**
 * A .zsav's data part: the zlib header, the blocks and the trailer. `dataAt` is where it starts in the file (after
 * the dictionary); `blocks` default to the bytecode deflated in blocks of `blockSize`; `listed` (indexes into the
 * blocks) is what the trailer lists, default each once in order.
 */
export function zsavData(
  dataAt: number,
  code: Buffer,
  options: { blockSize?: number; bias?: number; blocks?: ZBlockSpec[]; listed?: number[] } = {},
): Buffer {
  const blockSize = options.blockSize ?? 0x3ff000;
  const blocks: ZBlockSpec[] = options.blocks ?? [];
  if (options.blocks === undefined) {
    for (let at = 0; at < code.length; at += blockSize) {
      const part = code.subarray(at, at + blockSize);
      blocks.push({ inflated: part.length, stored: zlib.deflateSync(part) });
    }
  }
  const listed = options.listed ?? blocks.map((_, i) => i);
  const storedAt: number[] = [];
  let at = dataAt + 24;
  for (const b of blocks) {
    storedAt.push(at);
    at += b.stored.length;
  }
  const trailerAt = at;
  const trailer: Buffer[] = [int64(-(options.bias ?? 100)), int64(0), int32(blockSize), int32(listed.length)];
  let inflatedAt = dataAt;
  for (const i of listed) {
    trailer.push(int64(inflatedAt), int64(storedAt[i]), int32(blocks[i].inflated), int32(blocks[i].stored.length));
    inflatedAt += blocks[i].inflated;
  }
  const header = Buffer.concat([int64(dataAt), int64(trailerAt), int64(24 * (listed.length + 1))]);
  return Buffer.concat([header, ...blocks.map((b) => b.stored), ...trailer]);
}

/** A whole .zsav of the cases. */
export function zsavFile(variables: SavVariableSpec[], cases: number, code: Buffer, options: Parameters<typeof zsavData>[2] = {}): Buffer {
  const dictionary = savDictionary({ variables, cases, compression: 2, bias: options.bias });
  return Buffer.concat([dictionary, zsavData(dictionary.length, code, options)]);
}

// ---------------------------------------------------------------------------------------------------------
// Excel

export interface CellSpec {
  /** The `t` attribute (omitted: a number). */
  t?: string;
  /** The stored value (<v>, or the inline string's text). */
  v?: string;
  /** A formula. */
  f?: string;
  /** Style index. */
  s?: number;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cellXml(ref: string, cell: CellSpec | string | number): string {
  if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
  if (typeof cell === 'string') return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`;
  const attrs = `${cell.t === undefined ? '' : ` t="${cell.t}"`}${cell.s === undefined ? '' : ` s="${cell.s}"`}`;
  const formula = cell.f === undefined ? '' : `<f>${escapeXml(cell.f)}</f>`;
  const value = cell.v === undefined ? '' : cell.t === 'inlineStr' ? `<is><t>${escapeXml(cell.v)}</t></is>` : `<v>${escapeXml(cell.v)}</v>`;
  return `<c r="${ref}"${attrs}>${formula}${value}</c>`;
}

/** Sheet XML of rows of cells (a number, inline text, or a cell spec), from row 1 and column A. */
export function sheetXml(rows: Array<Array<CellSpec | string | number>>): string {
  const body = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((c, i) => cellXml(cellAddress(i + 1, r + 1), c)).join('')}</row>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
}

/** Shared-strings XML; `count` more empty-text entries (`<si><t/></si>`) may follow the listed ones. */
export function sharedStringsXml(strings: string[], extra = 0): string {
  const si = strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('') + '<si><t/></si>'.repeat(extra);
  return `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length + extra}" uniqueCount="${strings.length + extra}">${si}</sst>`;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** An .xlsx of one sheet ("data"), with shared strings when given, as fflate zips it. */
export function workbook(sheet: string, options: { sharedStrings?: string; level?: number } = {}): Buffer {
  const { zipSync, strToU8 } = require('fflate') as typeof import('fflate');
  const shared = options.sharedStrings !== undefined;
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${
        shared ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''
      }</Relationships>`,
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
  };
  if (shared) files['xl/sharedStrings.xml'] = strToU8(options.sharedStrings!);
  return Buffer.from(zipSync(files, { level: (options.level ?? 6) as 6 }));
}
