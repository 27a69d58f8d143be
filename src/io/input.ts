/**
 * Opening the input: a path or `-` for standard input, decoded as UTF-8 by the stream itself (so a multi-byte
 * character split across two chunks is joined, not corrupted), parsed into record batches.
 *
 * SPSS (.sav, .zsav) and Excel (.xlsx) files, told by their extension or their first bytes, enter here too: their
 * reader turns each case or sheet row into the text cells a CSV export of the same data holds (numbers in their
 * shortest round-trip text, which the CSV number parser reads back as the identical double), so every command sees
 * one kind of input and gives the same results to the last bit.
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Hash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { DataError, option, UsageError, words } from '../errors';
import { CsvChunkParser, RecordBatch, parseDelimiterFlag } from './csv-reader';
import { importLibrary } from './library';

export interface InputOptions {
  /** Path, or '-' for stdin. */
  path: string;
  delimiter?: string;
  /** Bytes per read; tests vary it to show results do not depend on it. */
  chunkSize?: number;
  /** Also compute the SHA-256 of the bytes read (provenance in JSON output). */
  hash?: boolean;
  /** Excel: the sheet, by name or number from 1 (default the first). */
  sheet?: string;
  /** The input's bytes, already read (a held input): read from here, not from the path or stdin. */
  bytes?: Buffer;
}

export type InputFormat = 'csv' | 'sav' | 'xlsx';

export interface CsvInput {
  source: string;
  format: InputFormat;
  header: string[];
  delimiter: string;
  /** SPSS variable labels by column name (empty for CSV and Excel). */
  variableLabels: ReadonlyMap<string, string>;
  /** SPSS value labels of numeric columns, column index → code → label (empty for CSV and Excel). */
  valueLabels: ReadonlyMap<number, ReadonlyMap<number, string>>;
  /** SPSS: the columns whose cells are read as their value labels (set before `batches()`; default none). */
  useLabels(columns: ReadonlySet<number>): void;
  /** Record batches after the header, in file order. */
  batches(): AsyncGenerator<RecordBatch>;
  /** Hex SHA-256 of the input, once `batches()` is exhausted (when `hash` was asked). */
  sha256(): string | null;
  /** Bytes read so far (a progress line's percent of the file). */
  bytesRead(): number;
}

/** Byte chunks: a file stream, process.stdin, or anything a test injects. */
export type ByteSource = AsyncIterable<Buffer | string>;

/** Where standard input comes from; tests inject a stream. */
export interface InputStreams {
  stdin: ByteSource;
}

/** The chunks of a buffer in memory, as a stream would hand them on (without loading Node's stream modules). */
export async function* chunksOf(bytes: Buffer, chunkSize = 1 << 16): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
}

export function describeSource(path: string): string {
  return path === '-' ? 'stdin' : path;
}

/** Files up to this size are read in one call (see openStream). */
const SMALL_FILE = 1 << 20;

/** The input file's size; a path that is not there, or not a file, is a command-line error whatever its format. */
function inputFileSize(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`file not found: ${path}, check the path (or use - for stdin)`);
  }
  if (!stat.isFile()) throw new UsageError(`not a file: ${path}, give a CSV file (or - for stdin)`);
  return stat.size;
}

function openStream(options: InputOptions, streams: InputStreams): ByteSource {
  if (options.bytes !== undefined) return chunksOf(options.bytes, options.chunkSize);
  if (options.path === '-') return streams.stdin;
  const size = inputFileSize(options.path);
  const chunkSize = options.chunkSize ?? 1 << 16;
  // A small file is read at once: streaming it would start libuv's thread pool and wait on it for a few
  // round trips, the larger part of a short run's I/O time. The bytes are handed on in the same chunks.
  if (size <= SMALL_FILE) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(options.path);
    } catch (error) {
      throw new UsageError(`cannot read ${options.path} (${(error as NodeJS.ErrnoException).code}), check its permissions`);
    }
    return chunksOf(bytes, chunkSize);
  }
  return createReadStream(options.path, { highWaterMark: chunkSize });
}

/** SHA-256 of the bytes read. node:crypto is imported when a hash is asked for: loading it costs a few ms. */
async function sha256Hash(): Promise<Hash> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256');
}

/** SHA-256 (hex) of bytes held whole, e.g. a config or plan file. */
export async function sha256Of(bytes: Buffer | string): Promise<string> {
  return (await sha256Hash()).update(bytes).digest('hex');
}

function readError(source: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new UsageError(`cannot read ${source} (${code}), check the path and its permissions`);
}

/**
 * The input read once, for a command that passes over it more than once (report): its size and SHA-256 from that
 * one read, its bytes kept, and its records parsed once. The first pass parses the bytes held and keeps every record
 * batch; each later pass replays the kept batches (and the input's failure, if parsing stopped at one, after the
 * records before it), so the file is read once and parsed once however many analyses run on it.
 */
export interface HeldInput {
  path: string;
  bytes: number;
  sha256: string;
  /** The input for one more pass (the reading options must be the same for every pass). */
  open(options: Omit<InputOptions, 'path' | 'bytes' | 'hash'>): Promise<CsvInput>;
}

export async function holdInput(path: string, streams: InputStreams): Promise<HeldInput> {
  const source = describeSource(path);
  const hash = await sha256Hash();
  const kept: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of openStream({ path }, streams)) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      hash.update(buffer);
      bytes += buffer.length;
      kept.push(buffer);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw readError(source, error);
  }
  const all = Buffer.concat(kept);
  const sha256 = hash.digest('hex');
  let first: CsvInput | null = null;
  // The record batches as the first pass read them, whether it read to the end, and the failure that ended it.
  const batches: RecordBatch[] = [];
  let state: 'unread' | 'reading' | 'read' = 'unread';
  let failure: unknown = null;
  return {
    path,
    bytes,
    sha256,
    async open(options) {
      first ??= await openInput({ ...options, path, bytes: all }, streams);
      const input = first;
      return {
        ...input,
        async *batches() {
          if (state === 'unread') {
            state = 'reading';
            // By hand, not for await: a pass that stops early (its own error, caught by a report step) must not
            // close the records for the passes after it, which read on to the end here.
            const iterator = input.batches()[Symbol.asyncIterator]();
            let ended = false;
            try {
              for (;;) {
                const step = await iterator.next();
                if (step.done) break;
                batches.push(step.value);
                yield step.value;
              }
              ended = true;
            } catch (error) {
              failure = error;
              ended = true;
              throw error;
            } finally {
              try {
                while (!ended) {
                  const step = await iterator.next();
                  if (step.done) ended = true;
                  else batches.push(step.value);
                }
              } catch (error) {
                failure = error;
              }
              state = 'read';
            }
            return;
          }
          // Passes run one after another: a second pass during the first would see only part of the records.
          if (state === 'reading') throw new Error('held input: a pass began before the first ended');
          yield* batches;
          if (failure !== null) throw failure;
        },
        sha256: () => sha256,
      };
    },
  };
}

/** Cases or sheet rows per batch from SPSS and Excel files. */
const BINARY_BATCH = 2048;

/** The format a file's name or first bytes tell; null for text. */
function binaryFormat(path: string, head: Buffer, source: string): InputFormat | null {
  const lower = path.toLowerCase();
  const magic = head.subarray(0, 4).toString('latin1');
  if (magic === '$FL2' || magic === '$FL3') return 'sav';
  if (magic === 'PK\u0003\u0004') return 'xlsx';
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) {
    // An OLE compound file: a legacy .xls, or an .xlsx encrypted with a password (Office wraps those in one).
    throw new DataError(
      `${source} is a password-protected workbook or an old binary .xls, which cannot be read; save it from Excel as .xlsx without a password, or as CSV`,
    );
  }
  if (lower.endsWith('.sav') || lower.endsWith('.zsav')) throw new DataError(`${source} is not an SPSS system file (no $FL2/$FL3 signature), check the file`);
  if (lower.endsWith('.xlsx')) throw new DataError(`${source} is not an .xlsx workbook (not a zip file), check the file or save it again from Excel`);
  return null;
}

/** The whole input in memory: SPSS and Excel readers need random access (a .sav's dictionary, a workbook's zip). */
async function allBytes(source: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(parts);
}

/** The first bytes of a file (to tell its format) without opening a stream; empty when it cannot be read here. */
function fileHead(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const head = Buffer.alloc(8);
    return head.subarray(0, readSync(fd, head, 0, 8, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens the input, whatever its format, and reads up to its header. Standard input is told by its first chunk,
 * which is handed on to the CSV reader when it is text.
 */
export async function openInput(options: InputOptions, streams: InputStreams): Promise<CsvInput> {
  const source = describeSource(options.path);
  if (options.bytes !== undefined) {
    const format = binaryFormat(options.path === '-' ? '' : options.path, options.bytes.subarray(0, 8), source);
    return format === null ? openCsv(options, streams) : openBinary(format, options.bytes, options, source);
  }
  if (options.path !== '-') {
    inputFileSize(options.path);
    const format = binaryFormat(options.path, fileHead(options.path), source);
    sheetOnlyForExcel(options, format, source);
    if (format === null) return openCsv(options, streams);
    let bytes: Buffer;
    try {
      bytes = readFileSync(options.path);
    } catch (error) {
      throw readError(source, error);
    }
    return openBinary(format, bytes, options, source);
  }
  const iterator = streams.stdin[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : typeof first.value === 'string' ? Buffer.from(first.value, 'utf8') : first.value;
  const rest: ByteSource = { [Symbol.asyncIterator]: () => iterator };
  async function* again(): AsyncGenerator<Buffer | string> {
    if (!first.done) yield first.value;
    yield* rest;
  }
  const format = binaryFormat('', head, source);
  sheetOnlyForExcel(options, format, source);
  if (format === null) return openCsv(options, { ...streams, stdin: again() });
  return openBinary(format, await allBytes(again()), options, source);
}

/** --sheet names an Excel sheet: on any other input it would be ignored, so it is a usage error. */
function sheetOnlyForExcel(options: InputOptions, format: InputFormat | null, source: string): void {
  if (options.sheet === undefined || format === 'xlsx') return;
  throw new UsageError(words`${option('sheet')} is for Excel workbooks (.xlsx), and ${source} is ${format === 'sav' ? 'an SPSS file' : 'text (CSV)'}; drop ${option('sheet')}`);
}

/** An SPSS or Excel input; its reader (sav.ts, xlsx.ts with its zip and XML parsers) is loaded here, for its format. */
async function openBinary(format: InputFormat, bytes: Buffer, options: InputOptions, source: string): Promise<CsvInput> {
  const sha256 = options.hash ? await sha256Of(bytes) : null;
  return format === 'sav' ? openSav(bytes, source, sha256) : openXlsx(bytes, options.sheet, source, sha256);
}

/**
 * An SPSS file's cases as cells: a number in its shortest round-trip text, system- and user-missing values empty,
 * the columns `useLabels` names as their value labels (a code without a label as the code), text as it is.
 */
async function openSav(bytes: Buffer, source: string, sha256: string | null): Promise<CsvInput> {
  const { isUserMissing, readSav } = await import('./sav');
  const file = readSav(bytes, source);
  const variables = file.variables;
  const valueLabels = new Map<number, ReadonlyMap<number, string>>();
  variables.forEach((v, i) => {
    if (v.valueLabels.size > 0) valueLabels.set(i, v.valueLabels);
  });
  let asLabels: ReadonlySet<number> = new Set();
  let decoded = 0;
  return {
    source,
    format: 'sav',
    header: variables.map((v) => v.name),
    delimiter: ',',
    variableLabels: new Map(variables.filter((v) => v.label !== null && v.label !== '').map((v) => [v.name, v.label!])),
    valueLabels,
    useLabels(columns) {
      asLabels = columns;
    },
    // The file is read at once; progress goes by the cases decoded of those the header declares.
    bytesRead: () => (file.declaredCases > 0 ? Math.round((bytes.length * Math.min(decoded, file.declaredCases)) / file.declaredCases) : bytes.length),
    async *batches() {
      const width = variables.length;
      const labelsOf = variables.map((v, i) => (asLabels.has(i) ? v.valueLabels : null));
      let rows: string[][] = [];
      let lines: number[] = [];
      let line = 1;
      for (const values of file.cases()) {
        const cells: string[] = new Array(width);
        for (let i = 0; i < width; i++) {
          const value = values[i];
          if (typeof value === 'string') {
            cells[i] = variables[i].missing.texts.includes(value) ? '' : value;
          } else if (Number.isNaN(value) || isUserMissing(variables[i], value)) {
            cells[i] = '';
          } else {
            cells[i] = labelsOf[i]?.get(value) ?? String(value);
          }
        }
        rows.push(cells);
        lines.push(++line);
        decoded++;
        if (rows.length === BINARY_BATCH) {
          yield { rows, raw: null, lines };
          rows = [];
          lines = [];
        }
      }
      if (rows.length > 0) yield { rows, raw: null, lines };
    },
    sha256: () => sha256,
  };
}

/** An Excel sheet's rows as cells (src/io/xlsx.ts); a record's line is its row number in the sheet. */
async function openXlsx(bytes: Buffer, sheet: string | undefined, source: string, sha256: string | null): Promise<CsvInput> {
  const { readSheet } = await importLibrary('the Excel reader (saxes, fflate)', import('./xlsx'));
  const rows = await readSheet(bytes, sheet, source);
  return {
    source,
    format: 'xlsx',
    header: rows.header,
    delimiter: ',',
    variableLabels: new Map(),
    valueLabels: new Map(),
    useLabels() {},
    // The workbook is read at once, and how many rows the sheet has is known only at its end.
    bytesRead: () => bytes.length,
    async *batches() {
      for await (const batch of rows.batches(BINARY_BATCH)) yield { rows: batch.rows, raw: null, lines: batch.lines };
    },
    sha256: () => sha256,
  };
}

/** Opens a CSV input and reads up to the end of the header record. */
export async function openCsv(options: InputOptions, streams: InputStreams): Promise<CsvInput> {
  const source = describeSource(options.path);
  let delimiter = options.delimiter === undefined ? undefined : parseDelimiterFlag(options.delimiter);
  if (delimiter === undefined && options.path.toLowerCase().endsWith('.tsv')) delimiter = '\t';
  const stream = openStream(options, streams);
  // The hash only when asked for (JSON provenance).
  const hash: Hash | null = options.hash ? await sha256Hash() : null;
  // Raw bytes go to the hash; a StringDecoder joins multi-byte characters split across chunks.
  const decoder = new StringDecoder('utf8');
  const parser = new CsvChunkParser({ source, delimiter });
  const iterator = stream[Symbol.asyncIterator]();
  const queued: RecordBatch[] = [];
  let done = false;
  let bytesRead = 0;

  const chunkSize = options.chunkSize;
  /** A problem in the input: thrown once the records before it have been handed on (see CsvChunkParser). */
  let failure: unknown = null;
  const feed = (text: string): void => {
    queued.push(parser.push(text));
    if (parser.failure !== null) throw parser.failure;
  };
  async function next(): Promise<boolean> {
    let step: IteratorResult<Buffer | string>;
    try {
      step = await iterator.next();
    } catch (error) {
      throw readError(source, error);
    }
    try {
      if (step.done) {
        done = true;
        const tail = decoder.end();
        if (tail) feed(tail);
        queued.push(parser.end());
        if (parser.failure !== null) throw parser.failure;
        return false;
      }
      const bytes: Buffer = typeof step.value === 'string' ? Buffer.from(step.value, 'utf8') : step.value;
      hash?.update(bytes);
      bytesRead += bytes.length;
      if (chunkSize !== undefined && bytes.length > chunkSize) {
        // stdin ignores highWaterMark: split here so tests can vary the chunk size on any stream.
        for (let at = 0; at < bytes.length; at += chunkSize) feed(decoder.write(bytes.subarray(at, at + chunkSize)));
      } else {
        feed(decoder.write(bytes));
      }
      return true;
    } catch (error) {
      failure = error;
      done = true;
      // Nothing more is read: close the file (or stop reading stdin) now rather than when collected.
      iterator.return?.().catch(() => undefined);
      return false;
    }
  }

  while (parser.header === null && !done) await next();
  if (parser.header === null) throw failure;
  let digest: string | null = null;

  return {
    source,
    format: 'csv',
    header: parser.header!,
    delimiter: parser.delimiter!,
    variableLabels: new Map(),
    valueLabels: new Map(),
    useLabels() {},
    async *batches() {
      for (;;) {
        while (queued.length > 0) {
          const batch = queued.shift()!;
          if (batch.lines.length > 0) yield batch;
        }
        if (failure !== null) throw failure;
        if (done) return;
        await next();
      }
    },
    sha256() {
      if (digest === null && hash && done) digest = hash.digest('hex');
      return digest;
    },
    bytesRead: () => bytesRead,
  };
}
