/**
 * Streaming CSV reader: text chunks in, batches of records out, each record with the file line it starts on.
 *
 * papaparse's low-level `Parser` does the field splitting (its fast path splits on the delimiter when a chunk
 * has no quotes). We drive it chunk by chunk ourselves, as its own ChunkStreamer does, because we need what
 * the streamer hides: the text each batch consumed (to number lines exactly, quoted newlines included) and
 * a guard against an unclosed quote swallowing the rest of the file.
 *
 * Conventions (README "Reading exports"):
 * - UTF-8, with or without BOM; bytes that are not UTF-8, NUL bytes or a UTF-16 file are errors.
 * - Records end with LF or CRLF (the CR is dropped; mixed endings are fine) or, in old Mac files, CR alone.
 * - The delimiter is given, or `.tsv` means tab, or it is read off the header line; if the header holds more
 *   than one candidate, or none, that is an error asking for `--delimiter` (never a silent guess).
 * - Blank lines are skipped. A record with a different number of fields from the header is an error.
 */
import type Papa from 'papaparse';
import { DataError, UsageError } from '../errors';

type PapaParser = { parse(input: string, baseIndex: number, ignoreLastRow: boolean): Papa.ParseResult<string[]> };
type PapaModule = { Parser: new (config: Papa.ParseConfig) => PapaParser };

/** papaparse, loaded the first time a chunk holds a quote (text without quotes never needs it). */
let papa: PapaModule | null = null;
function papaparse(): PapaModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (papa ??= require('papaparse') as PapaModule);
}

export interface CsvOptions {
  /** Shown in messages: the path, or "stdin". */
  source: string;
  /** ',', ';' or '\t'; undefined to detect. */
  delimiter?: string;
}

/**
 * Records in file order. Records from text without quotes come whole (`raw`: each record's line as it stood,
 * line ending removed; its field count is checked when it is read); records papaparse split come as fields
 * (`rows`). Exactly one of the two is set.
 */
export interface RecordBatch {
  rows: string[][] | null;
  raw: string[] | null;
  /** 1-based line on which each record starts. */
  lines: number[];
}

/** A record longer than this is taken for an unclosed quote rather than buffered until memory runs out. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

const CANDIDATES: Array<[string, string]> = [
  [',', 'comma'],
  [';', 'semicolon'],
  ['\t', 'tab'],
];

/** The delimiter a flag value names: `,` `;` `tab` (or a literal tab). */
export function parseDelimiterFlag(value: string): string {
  if (value === ',' || value === 'comma') return ',';
  if (value === ';' || value === 'semicolon') return ';';
  if (value === 'tab' || value === '\t' || value === '\\t') return '\t';
  throw new UsageError(`--delimiter must be ",", ";" or "tab", got "${value}"`);
}

/** Counts each candidate delimiter outside quotes in the header line; exactly one must occur. */
export function detectDelimiter(headerLine: string, source: string): string {
  const counts = new Map<string, number>();
  let inQuotes = false;
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === ',' || c === ';' || c === '\t')) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const found = CANDIDATES.filter(([d]) => counts.has(d));
  if (found.length === 1) return found[0][0];
  const what = found.length === 0 ? 'none of comma, semicolon, tab' : found.map(([, name]) => name).join(' and ');
  throw new DataError(
    `cannot tell the delimiter from the header line (found ${what}), ${source} line 1, pass --delimiter "," ";" or tab`,
  );
}

function countChar(text: string, ch: string, from = 0, to = text.length): number {
  let count = 0;
  let i = text.indexOf(ch, from);
  while (i !== -1 && i < to) {
    count++;
    i = text.indexOf(ch, i + 1);
  }
  return count;
}

/**
 * Parses a stream of text chunks. Call `push` for each chunk and `end` once; each returns the complete
 * records seen so far. The first record is the header (`header`).
 */
export class CsvChunkParser {
  header: string[] | null = null;
  delimiter: string | undefined;
  private newline: '\n' | '\r' = '\n';
  private parser: PapaParser | null = null;
  /** The header line has been seen: delimiter and line ending are known. */
  private configured = false;
  private pending = '';
  private nextLine = 1;
  private started = false;

  constructor(private readonly options: CsvOptions) {
    this.delimiter = options.delimiter;
  }

  push(chunk: string): RecordBatch {
    if (!this.started) {
      this.started = true;
      chunk = this.checkStart(chunk);
    }
    this.checkText(chunk);
    this.pending += chunk;
    if (!this.configured) {
      // The header line must be whole before the delimiter can be read off it.
      const eol = this.pending.search(/[\r\n]/);
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next one.
      if (eol === -1 || eol === this.pending.length - 1) {
        this.guardLength();
        return { rows: null, raw: [], lines: [] };
      }
      this.start(this.pending.slice(0, eol), this.pending[eol] === '\r' && this.pending[eol + 1] !== '\n');
    }
    return this.parse(false);
  }

  end(): RecordBatch {
    if (!this.started || (!this.configured && this.pending.trim() === '')) {
      throw new DataError(`no header line, ${this.options.source} is empty, export the data with a header row`);
    }
    if (!this.configured) this.start(this.pending, false);
    const batch = this.parse(true);
    if (this.header === null) {
      throw new DataError(`no header line, ${this.options.source} is empty, export the data with a header row`);
    }
    return batch;
  }

  private checkStart(chunk: string): string {
    // A UTF-16 file decoded as UTF-8 starts with U+FFFD U+FFFD (its BOM) or alternates NUL bytes.
    if (chunk.startsWith('\uFFFD\uFFFD') || chunk.charCodeAt(1) === 0 || chunk.charCodeAt(0) === 0) {
      throw new DataError(
        `${this.options.source} looks like UTF-16 or binary, not UTF-8 text, save the export as UTF-8 CSV`,
      );
    }
    return chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
  }

  private checkText(chunk: string): void {
    const bad = chunk.indexOf('\uFFFD');
    const nul = chunk.indexOf('\u0000');
    if (bad === -1 && nul === -1) return;
    const at = bad === -1 ? nul : nul === -1 ? bad : Math.min(bad, nul);
    const line = this.nextLine + countChar(this.pending, this.newline) + countChar(chunk, this.newline, 0, at);
    const what = at === nul ? 'a NUL byte (binary data)' : 'bytes that are not UTF-8';
    throw new DataError(`${what} near line ${line}, ${this.options.source}, save the export as UTF-8 CSV`);
  }

  private start(headerLine: string, crOnly: boolean): void {
    if (this.delimiter === undefined) this.delimiter = detectDelimiter(headerLine, this.options.source);
    this.newline = crOnly ? '\r' : '\n';
    this.configured = true;
  }

  private guardLength(): void {
    if (this.pending.length > MAX_RECORD_CHARS) {
      throw new DataError(
        `a record starting at line ${this.nextLine} runs past ${MAX_RECORD_CHARS / 1048576} MB, ${this.options.source}, ` +
          `look for an unclosed quote there`,
      );
    }
  }

  private parse(final: boolean): RecordBatch {
    const input = this.pending;
    if (input.indexOf('"') === -1) return this.parseUnquoted(input, final);
    this.parser ??= new (papaparse().Parser)({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' });
    const result = this.parser.parse(input, 0, !final);
    const consumed = final ? input.length : result.meta.cursor;
    this.pending = input.slice(consumed);
    if (!final) this.guardLength();
    if (result.errors.length > 0) this.fail(result, input);

    const rows = result.data;
    const startLine = this.nextLine;
    const nl = this.newline;
    const newlines = countChar(input, nl, 0, consumed);
    const lines: number[] = new Array(rows.length);
    if (newlines === rows.length || (final && newlines === rows.length - 1 && !input.endsWith(nl))) {
      // No quoted newline in this batch: one record per line.
      for (let i = 0; i < rows.length; i++) lines[i] = startLine + i;
    } else {
      let line = startLine;
      for (let i = 0; i < rows.length; i++) {
        lines[i] = line;
        line += 1;
        for (const field of rows[i]) if (field.indexOf(nl) !== -1) line += countChar(field, nl);
      }
    }
    this.nextLine = startLine + newlines + (final && consumed > 0 && !input.endsWith(nl) ? 1 : 0);
    return this.shape(rows, lines);
  }

  /**
   * Text without a quote character: every line is a record and every delimiter separates fields, so records
   * are the lines (papaparse's own fast path splits the same way). They stay whole: the row reader locates
   * fields in them without making a string per cell, and `score` echoes them as they came.
   */
  private parseUnquoted(input: string, final: boolean): RecordBatch {
    const nl = this.newline;
    const end = final ? input.length : input.lastIndexOf(nl) + 1;
    this.pending = input.slice(end);
    if (!final) this.guardLength();
    const raw: string[] = [];
    const lines: number[] = [];
    if (end === 0) return { rows: null, raw, lines };
    const text = input.slice(0, end).split(nl);
    if (text[text.length - 1] === '') text.pop();
    const startLine = this.nextLine;
    const crlf = nl === '\n';
    for (let i = 0; i < text.length; i++) {
      let line = text[i];
      if (crlf && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (line === '') continue;
      if (this.header === null) {
        this.header = line.split(this.delimiter!);
        continue;
      }
      raw.push(line);
      lines.push(startLine + i);
    }
    this.nextLine = startLine + text.length;
    return { rows: null, raw, lines };
  }

  /** Drops CRs and blank lines, takes the header, checks field counts. */
  private shape(rows: string[][], lines: number[]): RecordBatch {
    const out: string[][] = [];
    const outLines: number[] = [];
    const crlf = this.newline === '\n';
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (crlf) {
        const last = row[row.length - 1];
        if (last.charCodeAt(last.length - 1) === 13) row[row.length - 1] = last.slice(0, -1);
      }
      if (row.length === 1 && row[0] === '') continue;
      if (this.header === null) {
        this.header = row;
        continue;
      }
      if (row.length !== this.header.length) {
        throw new DataError(
          `line ${lines[i]} has ${row.length} field${row.length === 1 ? '' : 's'} but the header has ${this.header.length}, ` +
            `${this.options.source}, check the delimiter and the quotes on that line`,
        );
      }
      out.push(row);
      outLines.push(lines[i]);
    }
    return { rows: out, raw: null, lines: outLines };
  }

  private fail(result: Papa.ParseResult<string[]>, input: string): never {
    const error = result.errors[0];
    const at = (error as { index?: number }).index ?? 0;
    const line = this.nextLine + countChar(input, this.newline, 0, Math.max(0, at - 1));
    const what = error.code === 'MissingQuotes' ? 'an unclosed quote' : 'a malformed quote (text after a closing quote)';
    throw new DataError(`${what} in the record at line ${line}, ${this.options.source}, fix the quoting there`);
  }
}
