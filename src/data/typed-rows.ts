/**
 * Every row of an input typed once, for a command that passes over it many times (report: each step's analyses, and
 * each published value's population, on passes of their own). The one typing pass (Dataset.typeRows) reads every
 * record, scores it and computes its --compute columns, and keeps, per cell of the input, what RowReader would say of
 * it — missing or not, its number or that it is text, whether its text is other than its number's — and the derived
 * columns' values. A pass over the typed rows (a Dataset opened with `typed`) reads them through TypedRow, which
 * answers every question a RowReader answers with the same answer, from arrays: no cell is parsed, scored or computed
 * twice however many analyses run.
 *
 * A cell's text is kept only where it is not its number's (String(v), '' for a missing cell): text, missing codes,
 * "007", " 3", "2,5". A column's texts are kept as codes into its table of distinct texts while there are at most
 * MAX_KEPT_TEXTS of them (a factor's levels, missing codes); a column with more (ids, free text) keeps none, and its
 * texts are read back from the held records, the whole column at once, when a pass first asks for one (an id) — a
 * column of comments nobody asks about is never copied (an export with many kept every comment twice when all texts
 * were copied at typing).
 *
 * Every row is typed, whatever a pass's --where: a pass's filter is applied as the rows are replayed, so that passes
 * with other populations (published values) share the one typing. What a filtered pass would never have done to a row
 * it turns away — score it, compute it — can fail (an answer out of range, a --compute on text); such a row is marked,
 * and when a pass reaches it past its filter on input columns, where scoring it would have failed, it is scored again
 * from its held record to raise that failure, a fresh error (marks, not errors, are kept: a file failing in each of
 * 300,000 rows kept 300,000 errors and their stacks). A row whose items the typing shows to fail (text, or an answer
 * out of range under "error") is marked without being scored at all. Which cells are out of range is kept too, so that
 * a pass reading one raises the same error (or, under "missing", reads NaN) as a RowReader would. A failure that ends
 * the records (a line with the wrong number of fields, a damaged file) ends the typing; each pass raises it after the
 * rows before it, as a pass over the records would.
 *
 * TypedRow answers what the analyses ask of a row (text, isMissing, textEquals, numOrText and wasText, num, tryNum, the
 * derived values, line) as a RowReader does; what only `score` and `validate` ask (loading records, `cells`, the
 * out-of-range count of a whole pass) it does not keep, and refuses.
 */
import { CliError } from '../errors';
import type { RecordBatch } from '../io/csv-reader';
import { INVALID } from './values';
import { RowReader } from './row';

/**
 * A cell's kind, as flags: what isMissing says, that the cell is text (parse gave INVALID), that it is out of range,
 * that its text is not its number's (read back from the record when asked), that it has no number (NaN).
 */
const MISSING = 1;
const TEXT = 2;
const OUT_OF_RANGE = 4;
const OWN_TEXT = 8;
const NO_NUMBER = 16;

/**
 * Numbers are kept in chunks of 2^CHUNK_BITS rows per column, each as small as its numbers allow once full: none
 * (every cell text or missing: a comment column), bytes (whole numbers from −128 to 127: answers, codes, ages), or
 * doubles. Typing a wide export then holds about a byte or two a cell, not nine. The chunk being filled grows with the
 * rows (from 16) until it is a whole chunk, so a file of few rows holds little per column however many columns it has.
 */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
type NumberChunk = Float64Array | Int8Array | null;

/** Distinct texts a column keeps as codes (one byte a cell); beyond them, its texts are read back when asked. */
const MAX_KEPT_TEXTS = 255;

/** The chunk as its numbers allow (see NumberChunk); `kinds` tell which cells have none. */
function compact(chunk: Float64Array, length: number): NumberChunk {
  let numbers = 0;
  let bytes = true;
  for (let i = 0; i < length; i++) {
    const v = chunk[i];
    if (v !== v) continue;
    numbers++;
    if (bytes && !(Number.isInteger(v) && v >= -128 && v <= 127 && !Object.is(v, -0))) bytes = false;
  }
  if (numbers === 0) return null;
  if (!bytes) return length === CHUNK ? chunk : chunk.slice(0, length);
  const small = new Int8Array(length);
  for (let i = 0; i < length; i++) small[i] = chunk[i] === chunk[i] ? chunk[i] : 0;
  return small;
}

/** Rows a pass over typed rows hands on between two calls of its afterBatch (as a batch of records would). */
export const TYPED_BLOCK = 4096;

export class TypedRows {
  n = 0;
  /** Each row's line in the file, and where its record is held (batch, and record in the batch). */
  lines: Int32Array;
  private batchOf: Int32Array;
  private recordOf: Int32Array;
  private readonly batches: RecordBatch[] = [];
  /** Per input column: each cell's kind (flags above), and its number, in chunks (the last one being filled). */
  private kinds: Uint8Array[];
  private readonly numbers: NumberChunk[][];
  private readonly filling: Float64Array[];
  /**
   * Per input column with OWN_TEXT cells: its distinct texts and each cell's code into them (while at most
   * MAX_KEPT_TEXTS), or (more) the texts read back once a pass asks (`read`), or null until one is seen.
   */
  private readonly texts: Array<{ table: string[]; codes: Map<string, number>; cells: Uint8Array } | { read: Array<string | undefined> | null } | null>;
  /** Per derived column (scores, --compute), the value computed for each row. */
  private derived: Float64Array[];
  /** Rows whose scoring or computing fails (1), raised by a pass that keeps one (`raise`). */
  private failed: Uint8Array;
  /** The failure that ended the records (after the n rows typed), or null: raised by every pass after its rows. */
  end: CliError | null = null;
  /** Rows the arrays hold room for: from 16, doubling (a wide file of few rows holds little per column). */
  private capacity = 16;

  /**
   * `reader`: the typing pass's reader, which reads held records back (for their texts, and to score a failed row
   * again); `derive`: scores and computes the row it holds, as the typing pass did (throwing where it failed).
   */
  constructor(
    readonly width: number,
    readonly inputWidth: number,
    private readonly reader: RowReader,
    private readonly derive: (row: RowReader) => void,
  ) {
    this.lines = new Int32Array(this.capacity);
    this.batchOf = new Int32Array(this.capacity);
    this.recordOf = new Int32Array(this.capacity);
    this.failed = new Uint8Array(this.capacity);
    this.kinds = Array.from({ length: inputWidth }, () => new Uint8Array(this.capacity));
    this.numbers = Array.from({ length: inputWidth }, () => []);
    this.filling = Array.from({ length: inputWidth }, () => new Float64Array(this.capacity));
    this.texts = new Array(inputWidth).fill(null);
    this.derived = Array.from({ length: width - inputWidth }, () => new Float64Array(this.capacity));
  }

  /** Holds a batch of records whose rows are added next (the input holds it too: no copy). */
  addBatch(batch: RecordBatch): void {
    this.batches.push(batch);
  }

  /**
   * Types the row the reader holds (record r of the last batch) and scores and computes it; `items`: the instruments'
   * item columns (scoring reads every one), `strict`: answers out of range fail (--out-of-range error).
   */
  add(row: RowReader, r: number, items: Int32Array, strict: boolean): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    this.lines[i] = row.line;
    this.batchOf[i] = this.batches.length - 1;
    this.recordOf[i] = r;
    const at = i & (CHUNK - 1);
    for (let c = 0; c < this.inputWidth; c++) {
      const parsed = row.parse(c);
      let kind = row.isMissing(c) ? MISSING : 0;
      let value = NaN;
      if (parsed === INVALID) kind |= TEXT | OWN_TEXT;
      else {
        value = parsed;
        if (!row.inBounds(c, value)) kind |= OUT_OF_RANGE;
        if (!row.textEquals(c, value !== value ? '' : String(value))) kind |= OWN_TEXT;
      }
      if (value !== value) kind |= NO_NUMBER;
      if (kind & OWN_TEXT) this.keepText(c, i, row);
      this.kinds[c][i] = kind;
      this.filling[c][at] = value;
    }
    // Scoring fails on an item that is text, or out of range under "error": marked without scoring (no error made).
    let fails = false;
    for (let k = 0; k < items.length && !fails; k++) {
      const kind = this.kinds[items[k]][i];
      fails = (kind & TEXT) !== 0 || (strict && (kind & OUT_OF_RANGE) !== 0);
    }
    if (!fails) {
      try {
        this.derive(row);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        fails = true;
      }
    }
    this.failed[i] = fails ? 1 : 0;
    for (let d = 0; d < this.derived.length; d++) this.derived[d][i] = fails ? NaN : row.values[this.inputWidth + d];
    if (at === CHUNK - 1) this.fill();
  }

  /** Whether scoring or computing row i fails. */
  fails(i: number): boolean {
    return this.failed[i] === 1;
  }

  /** Raises row i's failure: its record scored and computed again, as the typing pass found it fails. */
  raise(i: number): never {
    this.reader.load(this.batches[this.batchOf[i]], this.recordOf[i]);
    this.derive(this.reader);
    throw new Error(`TypedRows: row ${i} was typed as failing, and scoring it again did not fail`);
  }

  /** Keeps the text of cell (i, c) as a code, while the column has at most MAX_KEPT_TEXTS distinct texts. */
  private keepText(c: number, i: number, row: RowReader): void {
    let texts = this.texts[c];
    if (texts === null) texts = this.texts[c] = { table: [], codes: new Map(), cells: new Uint8Array(this.capacity) };
    if (!('table' in texts)) return;
    const text = row.text(c);
    let code = texts.codes.get(text);
    if (code === undefined) {
      if (texts.table.length === MAX_KEPT_TEXTS) {
        this.texts[c] = { read: null };
        return;
      }
      code = texts.table.length;
      texts.codes.set(text, code);
      texts.table.push(text);
    }
    texts.cells[i] = code;
  }

  /** Stores the chunk being filled (full, or the last one), as small as its numbers allow. */
  private fill(): void {
    const length = ((this.n - 1) & (CHUNK - 1)) + 1;
    for (let c = 0; c < this.inputWidth; c++) {
      const chunk = compact(this.filling[c], length);
      this.numbers[c].push(chunk);
      if (chunk === this.filling[c]) this.filling[c] = new Float64Array(CHUNK);
    }
  }

  /** After the last row: the last chunk stored. */
  done(): void {
    if ((this.n & (CHUNK - 1)) !== 0) this.fill();
    this.filling.length = 0;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    const ints = (n: number) => new Int32Array(n);
    const bytes = (n: number) => new Uint8Array(n);
    this.lines = grown(this.lines, ints);
    this.batchOf = grown(this.batchOf, ints);
    this.recordOf = grown(this.recordOf, ints);
    this.failed = grown(this.failed, bytes);
    this.kinds = this.kinds.map((a) => grown(a, bytes));
    // The chunk being filled grows with the rows until it is a whole chunk.
    if (this.capacity <= CHUNK) for (let c = 0; c < this.inputWidth; c++) this.filling[c] = grown(this.filling[c], (n) => new Float64Array(n));
    for (const texts of this.texts) if (texts !== null && 'table' in texts) texts.cells = grown(texts.cells, bytes);
    this.derived = this.derived.map((a) => grown(a, (n) => new Float64Array(n)));
  }

  kind(c: number, i: number): number {
    return this.kinds[c][i];
  }

  number(c: number, i: number): number {
    return this.kinds[c][i] & NO_NUMBER ? NaN : this.numbers[c][i >>> CHUNK_BITS]![i & (CHUNK - 1)];
  }

  /** The cell's text as the file (and any named codes) gave it. */
  text(c: number, i: number): string {
    if (this.kinds[c][i] & OWN_TEXT) {
      const texts = this.texts[c]!;
      return 'table' in texts ? texts.table[texts.cells[i]] : (texts.read ?? this.readTexts(c, texts))[i]!;
    }
    const value = this.number(c, i);
    return value !== value ? '' : String(value);
  }

  /**
   * The texts of the OWN_TEXT cells of a column with many distinct texts, read back from the held records (the reader
   * gives named codes' names), once.
   */
  private readTexts(c: number, into: { read: Array<string | undefined> | null }): Array<string | undefined> {
    const texts: Array<string | undefined> = new Array(this.n);
    const interned = new Map<string, string>();
    const kinds = this.kinds[c];
    for (let i = 0; i < this.n; i++) {
      if (!(kinds[i] & OWN_TEXT)) continue;
      this.reader.load(this.batches[this.batchOf[i]], this.recordOf[i]);
      const text = this.reader.text(c);
      let own = interned.get(text);
      if (own === undefined) interned.set(text, (own = text));
      texts[i] = own;
    }
    into.read = texts;
    return texts;
  }

  /** Sets the derived columns of row i into `values` (from the input's width on). */
  derivedInto(i: number, values: Float64Array): void {
    for (let d = 0; d < this.derived.length; d++) values[this.inputWidth + d] = this.derived[d][i];
  }
}

/**
 * The typed rows of a held input, typed on first use: a pass is opened (its filter and --compute checked) before
 * anything is typed, so that its own errors come first, as they would on a pass over the records.
 */
export interface TypedInput {
  rows(): Promise<TypedRows>;
}

/** A RowReader over typed rows: row i by `at(i)`, every answer from the arrays (see the module comment). */
export class TypedRow extends RowReader {
  private i = 0;
  private rows: TypedRows | null = null;

  /** Reads these typed rows (once typed; a pass over rows of another shape is a programming error). */
  use(rows: TypedRows): void {
    if (rows.width !== this.names.length || rows.inputWidth !== this.inputWidth) {
      throw new Error('TypedRow: typed rows of another shape (a pass must be opened with the options that typed them)');
    }
    this.rows = rows;
  }

  /** Makes row i the current row. */
  at(i: number): void {
    this.i = i;
    this.line = this.rows!.lines[i];
    this.rows!.derivedInto(i, this.values);
  }

  /** The failure scoring or computing the row meets, raised now, where a pass over the records would meet it. */
  raiseFailure(): void {
    if (this.rows!.fails(this.i)) this.rows!.raise(this.i);
  }

  override load(): void {
    throw new Error('TypedRow: typed rows are read by at(), not loaded');
  }

  override loadCells(): void {
    throw new Error('TypedRow: typed rows are read by at(), not loaded');
  }

  override get cells(): string[] {
    throw new Error('TypedRow: the cells as the file wrote them are not kept (score and validate read records)');
  }

  override text(column: number): string {
    return column >= this.inputWidth ? super.text(column) : this.rows!.text(column, this.i);
  }

  override isMissing(column: number): boolean {
    return column >= this.inputWidth ? super.isMissing(column) : (this.rows!.kind(column, this.i) & MISSING) !== 0;
  }

  override textEquals(column: number, text: string): boolean {
    return this.text(column) === text;
  }

  override parse(column: number): number | typeof INVALID {
    return this.rows!.kind(column, this.i) & TEXT ? INVALID : this.rows!.number(column, this.i);
  }

  override numOrText(column: number): number {
    this.wasText = false;
    if (column >= this.inputWidth) return this.values[column];
    const rows = this.rows!;
    const kind = rows.kind(column, this.i);
    if (kind & TEXT) {
      this.wasText = true;
      return NaN;
    }
    const value = kind & OUT_OF_RANGE ? this.outOfRangeValue(column, rows.number(column, this.i)) : rows.number(column, this.i);
    // As RowReader keeps a number read for the record.
    this.values[column] = value;
    return value;
  }

  override tryNum(column: number): number | null {
    if (column >= this.inputWidth) return super.tryNum(column);
    if (this.rows!.kind(column, this.i) & TEXT) return null;
    const value = this.rows!.number(column, this.i);
    return value !== value ? null : value;
  }
}
