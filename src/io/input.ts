/**
 * Opening the input: a path or `-` for standard input, decoded as UTF-8 by the stream itself (so a multi-byte
 * character split across two chunks is joined, not corrupted), parsed into record batches.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { Hash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from '../errors';
import { CsvChunkParser, RecordBatch, parseDelimiterFlag } from './csv-reader';

export interface InputOptions {
  /** Path, or '-' for stdin. */
  path: string;
  delimiter?: string;
  /** Bytes per read; tests vary it to show results do not depend on it. */
  chunkSize?: number;
  /** Also compute the SHA-256 of the bytes read (provenance in JSON output). */
  hash?: boolean;
}

export interface CsvInput {
  source: string;
  header: string[];
  delimiter: string;
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

function openStream(options: InputOptions, streams: InputStreams): ByteSource {
  if (options.path === '-') return streams.stdin;
  let stat;
  try {
    stat = statSync(options.path);
  } catch {
    throw new UsageError(`file not found: ${options.path}, check the path (or use - for stdin)`);
  }
  if (!stat.isFile()) throw new UsageError(`not a file: ${options.path}, give a CSV file (or - for stdin)`);
  const chunkSize = options.chunkSize ?? 1 << 16;
  // A small file is read at once: streaming it would start libuv's thread pool and wait on it for a few
  // round trips, the larger part of a short run's I/O time. The bytes are handed on in the same chunks.
  if (stat.size <= SMALL_FILE) {
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

/** SHA-256 of the bytes read. node:crypto is loaded only when a hash is asked for: it costs a few ms at start-up. */
function sha256Hash(): Hash {
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256');
}

/** SHA-256 (hex) of bytes held whole, e.g. a config or plan file. */
export function sha256Of(bytes: Buffer | string): string {
  return sha256Hash().update(bytes).digest('hex');
}

function readError(source: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new UsageError(`cannot read ${source} (${code}), check the path and its permissions`);
}

/**
 * The input read once, for a command that passes over it more than once (report): its size and SHA-256, and the
 * streams for each pass. A file is opened again by every pass (whose own hash then shows a file rewritten between
 * passes); standard input can be read only once, so its bytes are kept and handed on again from memory.
 */
export interface HeldInput {
  path: string;
  bytes: number;
  sha256: string;
  /** Streams for one more pass over the same bytes. */
  streams<S extends InputStreams>(streams: S): S | InputStreams;
}

export async function holdInput(path: string, streams: InputStreams): Promise<HeldInput> {
  const source = describeSource(path);
  const hash = sha256Hash();
  const kept: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of openStream({ path }, streams)) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      hash.update(buffer);
      bytes += buffer.length;
      if (path === '-') kept.push(buffer);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw readError(source, error);
  }
  const stdin = path === '-' ? Buffer.concat(kept) : null;
  return {
    path,
    bytes,
    sha256: hash.digest('hex'),
    streams: (given) => (stdin === null ? given : { stdin: chunksOf(stdin) }),
  };
}

/** Opens the input and reads up to the end of the header record. */
export async function openCsv(options: InputOptions, streams: InputStreams): Promise<CsvInput> {
  const source = describeSource(options.path);
  let delimiter = options.delimiter === undefined ? undefined : parseDelimiterFlag(options.delimiter);
  if (delimiter === undefined && options.path.toLowerCase().endsWith('.tsv')) delimiter = '\t';
  const stream = openStream(options, streams);
  // The hash only when asked for (JSON provenance).
  const hash: Hash | null = options.hash ? sha256Hash() : null;
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
    header: parser.header!,
    delimiter: parser.delimiter!,
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
