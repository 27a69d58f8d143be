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
import Papa from 'papaparse';
import { DataError, option, UsageError, words } from '../errors';

type PapaParser = { parse(input: string, baseIndex: number, ignoreLastRow: boolean): Papa.ParseResult<string[]> };
/** papaparse's low-level parser: exported by the package, absent from its type definitions. */
const { Parser } = Papa as unknown as { Parser: new (config: Papa.ParseConfig) => PapaParser };

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
  throw new UsageError(words`${option('delimiter')} must be ",", ";" or "tab", got "${value}"`);
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
    words`cannot tell the delimiter from the header line (found ${what}), ${source} line 1, pass ${option('delimiter')} "," ";" or tab`,
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

/** The first CR or LF in `text`, or −1. */
function firstEol(text: string): number {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
}

/** Characters binaryKind looks at. */
const PREFIX_CHARS = 16;

/** What to do with a file of another program: the same everywhere. */
const KIND_FIX = 'export it as CSV (UTF-8) from the program that made it, or read it in R and write.csv it';

/**
 * Files of other programs, known by their first bytes (as decoded from UTF-8: bytes above 0x7F read as U+FFFD):
 * Stata 13+ (.dta), Parquet. (Zip files, OLE compound files and SPSS files never reach the CSV reader: input.ts
 * reads them as .xlsx and .sav, or names them.)
 */
export function binaryKind(start: string): string | null {
  if (start.startsWith('<stata_dta>')) return 'a Stata data file (.dta)';
  if (start.startsWith('PAR1')) return 'a Parquet file';
  return null;
}

/** The first character that is not text: U+FFFD (bytes that are not UTF-8) or NUL, or −1. */
function firstBad(text: string): number {
  const bad = text.indexOf('\uFFFD');
  const nul = text.indexOf('\u0000');
  return bad === -1 ? nul : nul === -1 ? bad : Math.min(bad, nul);
}

function noRecords(): RecordBatch {
  return { rows: null, raw: [], lines: [] };
}

/**
 * Parses a stream of text chunks. Call `push` for each chunk and `end` once; each returns the complete
 * records seen so far. The first record is the header (`header`).
 *
 * Errors come in file order, whatever the chunks: a problem found in a chunk is kept in `failure`, the
 * records before it are returned first, and the next `push` or `end` throws it. So the first problem a
 * command reports (a bad value in an early record, or a broken record further on) does not depend on how
 * the input was cut into chunks.
 *
 * Time is linear in the input: while a record is incomplete only the new text is looked at (text waiting
 * is kept in `parts`, joined once when parsed), and papaparse parses an incomplete quoted record again
 * only when the text waiting has doubled — a long quoted field is not re-read from its start per chunk.
 */
export class CsvChunkParser {
  header: string[] | null = null;
  delimiter: string | undefined;
  /** The first problem found; the records before it have been returned. `push` and `end` throw it. */
  failure: DataError | null = null;
  private newline: '\n' | '\r' = '\n';
  private parser: PapaParser | null = null;
  /** The header line has been seen: delimiter and line ending are known. */
  private configured = false;
  /** Text not yet parsed: `pending`, then `parts` (`length` in all). */
  private pending = '';
  private parts: string[] = [];
  private length = 0;
  /** The text waiting holds a quote character (papaparse splits it). */
  private quoted = false;
  /** Length of the incomplete record papaparse left on its last pass (parsed again once the text doubles). */
  private incomplete = 0;
  /** Before the header: where its line starts (after blank lines), −1 until seen; a CR ends the text so far. */
  private headerStart = -1;
  private headerCr = false;
  private nextLine = 1;
  private started = false;
  /** The first characters, until there are two: enough to tell a BOM or UTF-16. */
  private head = '';
  /** The first PREFIX_CHARS characters, to name another program's file when the bytes fail (binaryKind). */
  private prefix = '';

  constructor(private readonly options: CsvOptions) {
    this.delimiter = options.delimiter;
  }

  push(chunk: string): RecordBatch {
    if (this.failure !== null) throw this.failure;
    if (this.prefix.length < PREFIX_CHARS) this.prefix += chunk.slice(0, PREFIX_CHARS - this.prefix.length);
    if (!this.started) {
      // A chunk may decode to less than a character (the first byte of a BOM): decide on two.
      this.head += chunk;
      if (this.head.length < 2) return noRecords();
      chunk = this.checkStart(this.head);
      this.head = '';
    }
    return this.feed(chunk);
  }

  end(): RecordBatch {
    if (this.failure !== null) throw this.failure;
    const empty = () => new DataError(`no header line, ${this.options.source} is empty, export the data with a header row`);
    if (!this.started) {
      if (this.head === '') throw empty();
      const batch = this.feed(this.checkStart(this.head));
      this.head = '';
      if (this.failure !== null) return batch;
    }
    if (!this.configured) {
      const text = this.joined();
      if (this.headerStart === -1 || text.trim() === '') throw empty();
      this.start(text.slice(this.headerStart), false);
      this.quoted = text.indexOf('"') !== -1;
    }
    const batch = this.parse(true, false, '');
    if (this.header === null && this.failure === null) throw empty();
    return batch;
  }

  /** Text past the start: parsed up to the first character that is not text, which is the failure. */
  private feed(chunk: string): RecordBatch {
    this.started = true;
    const at = firstBad(chunk);
    if (at === -1) return this.take(chunk, false);
    const batch = this.take(chunk.slice(0, at), true);
    if (this.failure === null) {
      // Every complete record before it has been parsed: the rest is the record it is in.
      const line = this.nextLine + countChar(this.joined(), this.newline);
      const kind = binaryKind(this.prefix);
      const what = chunk.charCodeAt(at) === 0 ? 'a NUL byte (binary data)' : 'bytes that are not UTF-8';
      this.failure = new DataError(
        kind !== null ? `${this.options.source} looks like ${kind}, not CSV text: ${KIND_FIX}` : `${what} near line ${line}, ${this.options.source}, save the export as UTF-8 CSV`,
      );
    }
    return batch;
  }

  /** The text waiting, as one string. */
  private joined(): string {
    if (this.parts.length > 0) {
      this.pending += this.parts.length === 1 ? this.parts[0] : this.parts.join('');
      this.parts = [];
    }
    return this.pending;
  }

  /** Adds text; parses when it may complete a record (`force`: parse whatever is complete now). */
  private take(text: string, force: boolean): RecordBatch {
    const base = this.length;
    if (text.length > 0) {
      this.parts.push(text);
      this.length += text.length;
    }
    if (!this.configured) {
      // The header line (the first line that is not blank) must be whole before the delimiter can be read off it.
      let from = 0;
      if (this.headerStart === -1) {
        while (from < text.length && (text.charCodeAt(from) === 10 || text.charCodeAt(from) === 13)) from++;
        if (from === text.length) return this.waiting();
        this.headerStart = base + from;
      }
      let eol: number;
      let crOnly: boolean;
      if (this.headerCr) {
        if (text.length === 0) return this.waiting();
        eol = base - 1;
        crOnly = text.charCodeAt(0) !== 10;
      } else {
        const i = firstEol(from === 0 ? text : text.slice(from));
        if (i === -1) return this.waiting();
        const at = from + i;
        // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next one.
        if (text.charCodeAt(at) === 13 && at === text.length - 1) {
          this.headerCr = true;
          return this.waiting();
        }
        eol = base + at;
        crOnly = text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) !== 10;
      }
      const all = this.joined();
      this.start(all.slice(this.headerStart, eol), crOnly);
      this.quoted = all.indexOf('"') !== -1;
      return this.parse(false, true, text);
    }
    if (!this.quoted && text.indexOf('"') !== -1) this.quoted = true;
    return this.parse(false, force, text);
  }

  /** Nothing complete yet: only the length guard. */
  private waiting(): RecordBatch {
    this.guardLength();
    return noRecords();
  }

  private checkStart(chunk: string): string {
    const kind = binaryKind(this.prefix);
    if (kind !== null) throw new DataError(`${this.options.source} looks like ${kind}, not CSV text: ${KIND_FIX}`);
    // A UTF-16 file decoded as UTF-8 starts with U+FFFD U+FFFD (its BOM) or alternates NUL bytes.
    if (chunk.startsWith('\uFFFD\uFFFD') || chunk.charCodeAt(1) === 0 || chunk.charCodeAt(0) === 0) {
      throw new DataError(
        `${this.options.source} looks like UTF-16 or binary, not UTF-8 text, save the export as UTF-8 CSV`,
      );
    }
    return chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
  }

  private start(headerLine: string, crOnly: boolean): void {
    if (this.delimiter === undefined) this.delimiter = detectDelimiter(headerLine, this.options.source);
    this.newline = crOnly ? '\r' : '\n';
    this.configured = true;
  }

  /** The text waiting is one record longer than any export holds: an unclosed quote, or no line breaks. */
  private guardLength(): void {
    if (this.length > MAX_RECORD_CHARS) {
      this.failure ??= new DataError(
        `a record starting at line ${this.nextLine} runs past ${MAX_RECORD_CHARS / 1048576} MB, ${this.options.source}, ` +
          `look for ${this.quoted ? 'an unclosed quote' : 'missing line breaks'} there`,
      );
    }
  }

  /** Parses the complete records waiting; `text` is what was just added. */
  private parse(final: boolean, force: boolean, text: string): RecordBatch {
    if (!this.quoted) {
      // The text waiting before `text` holds no line ending (it was parsed up to its last one).
      if (!final && !force && text.indexOf(this.newline) === -1) return this.waiting();
      return this.parseUnquoted(this.joined(), final);
    }
    // An incomplete record is parsed again once the text has doubled (or at the end, or to find its limit).
    if (!final && !force && this.length < 2 * this.incomplete && this.length <= MAX_RECORD_CHARS) return noRecords();
    const input = this.joined();
    this.parser ??= new Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' });
    const result = this.parser.parse(input, 0, !final);
    let rows = result.data;
    // An error in the last record of a pass that is not the last is about a record not yet whole (a chunk
    // ending between a closing quote and its CRLF): it is parsed again with the next chunk.
    const error = result.errors.find((e) => final || (e.row ?? 0) < rows.length);
    if (error !== undefined) rows = rows.slice(0, error.row ?? 0);
    const consumed = final ? input.length : result.meta.cursor;
    this.pending = input.slice(consumed);
    this.length = this.pending.length;
    this.incomplete = final ? 0 : this.length;
    this.quoted = this.pending.indexOf('"') !== -1;

    const startLine = this.nextLine;
    const nl = this.newline;
    const newlines = countChar(input, nl, 0, consumed);
    const lines: number[] = new Array(rows.length);
    if (error === undefined && (newlines === rows.length || (final && newlines === rows.length - 1 && !input.endsWith(nl)))) {
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
    const batch = this.shape(rows, lines);
    if (error !== undefined) this.failure ??= this.quoteError(error, input, startLine);
    if (!final) this.guardLength();
    return batch;
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
    this.length = this.pending.length;
    this.incomplete = 0;
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

  /** Drops CRs and blank lines, takes the header, checks field counts (records from a ragged one on are held back). */
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
        this.failure ??= new DataError(
          `line ${lines[i]} has ${row.length} field${row.length === 1 ? '' : 's'} but the header has ${this.header.length}, ` +
            `${this.options.source}, check the delimiter and the quotes on that line`,
        );
        break;
      }
      out.push(row);
      outLines.push(lines[i]);
    }
    return { rows: out, raw: null, lines: outLines };
  }

  private quoteError(error: Papa.ParseError, input: string, startLine: number): DataError {
    const at = (error as { index?: number }).index ?? 0;
    const line = startLine + countChar(input, this.newline, 0, Math.max(0, at - 1));
    const what = error.code === 'MissingQuotes' ? 'an unclosed quote' : 'a malformed quote (text after a closing quote)';
    return new DataError(`${what} in the record at line ${line}, ${this.options.source}, fix the quoting there`);
  }
}
