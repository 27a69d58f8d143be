/**
 * Every row of an input typed once, for a command that passes over it many times (report: each step's analyses, and
 * each published value's population, on passes of their own). The one typing pass (Dataset.typeRows) reads every
 * record, scores it and computes its --compute columns, and keeps, per cell of the input, what RowReader would say of
 * it — missing or not, its number or that it is text, its text where that is not the number's own — and the derived
 * columns' values. A pass over the typed rows (a Dataset opened with `typed`) reads them through TypedRow, which
 * answers every question a RowReader answers with the same answer, from arrays: no cell is parsed, scored or computed
 * twice however many analyses run.
 *
 * Every row is typed, whatever a pass's --where: a pass's filter is applied as the rows are replayed, so that passes
 * with other populations (published values) share the one typing. What a filtered pass would never have done to a row
 * it turns away — score it, compute it — can fail (an answer out of range, a --compute on text); such a failure is
 * kept with its row and raised when a pass reaches that row past its filter on input columns, where scoring it would
 * have raised it. Which cells are out of range is kept too, so that a pass reading one raises the same error (or,
 * under "missing", reads NaN) as a RowReader would.
 */
import { CliError } from '../errors';
import { INVALID } from './values';
import { RowReader } from './row';
import type { NumberFormat } from './values';
import type { OutOfRangePolicy } from './row';

/** A cell's kind, as flags: what isMissing says, that the cell is text (parse gave INVALID), that it is out of range. */
const MISSING = 1;
const TEXT = 2;
const OUT_OF_RANGE = 4;

/** Rows a pass over typed rows hands on between two calls of its afterBatch (as a batch of records would). */
export const TYPED_BLOCK = 4096;

export class TypedRows {
  n = 0;
  /** Each row's line in the file. */
  lines: Int32Array;
  /** Per input column: each cell's kind (flags above) and its number (NaN when it has none). */
  private kinds: Uint8Array[];
  private numbers: Float64Array[];
  /**
   * Per input column, the cells whose text is not what the number gives (String(v), '' for NaN): text, missing codes,
   * "007", " 3", "2,5". Null for a column where every cell's text is its number's. Texts are interned per column.
   */
  private texts: Array<Array<string | undefined> | null>;
  private interned: Array<Map<string, string> | null>;
  /** Per derived column (scores, --compute), the value computed for each row. */
  private derived: Float64Array[];
  /** The error scoring or computing a row raised, by row index: raised by a pass that keeps that row. */
  readonly failures = new Map<number, CliError>();
  private capacity = 1024;

  constructor(
    readonly width: number,
    readonly inputWidth: number,
  ) {
    this.lines = new Int32Array(this.capacity);
    this.kinds = Array.from({ length: inputWidth }, () => new Uint8Array(this.capacity));
    this.numbers = Array.from({ length: inputWidth }, () => new Float64Array(this.capacity));
    this.texts = new Array(inputWidth).fill(null);
    this.interned = new Array(inputWidth).fill(null);
    this.derived = Array.from({ length: width - inputWidth }, () => new Float64Array(this.capacity));
  }

  /** Keeps the row the reader holds (loaded, scored, computed), or its failure. */
  add(row: RowReader, failure: CliError | null): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    this.lines[i] = row.line;
    if (failure !== null) this.failures.set(i, failure);
    for (let c = 0; c < this.inputWidth; c++) {
      const parsed = row.parse(c);
      let kind = row.isMissing(c) ? MISSING : 0;
      let value = NaN;
      if (parsed === INVALID) kind |= TEXT;
      else {
        value = parsed;
        if (!row.inBounds(c, value)) kind |= OUT_OF_RANGE;
      }
      this.kinds[c][i] = kind;
      this.numbers[c][i] = value;
      const text = row.text(c);
      if (kind & TEXT || text !== (value !== value ? '' : String(value))) this.keepText(c, i, text);
    }
    for (let d = 0; d < this.derived.length; d++) this.derived[d][i] = row.values[this.inputWidth + d];
  }

  private keepText(c: number, i: number, text: string): void {
    const texts = (this.texts[c] ??= []);
    const interned = (this.interned[c] ??= new Map());
    let own = interned.get(text);
    if (own === undefined) interned.set(text, (own = text));
    texts[i] = own;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    this.lines = grown(this.lines, (n) => new Int32Array(n));
    this.kinds = this.kinds.map((a) => grown(a, (n) => new Uint8Array(n)));
    this.numbers = this.numbers.map((a) => grown(a, (n) => new Float64Array(n)));
    this.derived = this.derived.map((a) => grown(a, (n) => new Float64Array(n)));
  }

  kind(c: number, i: number): number {
    return this.kinds[c][i];
  }

  number(c: number, i: number): number {
    return this.numbers[c][i];
  }

  /** The cell's text as the file (and any named codes) gave it. */
  text(c: number, i: number): string {
    const own = this.texts[c]?.[i];
    if (own !== undefined) return own;
    const value = this.numbers[c][i];
    return value !== value ? '' : String(value);
  }

  /** Sets the derived columns of row i into `values` (from the input's width on). */
  derivedInto(i: number, values: Float64Array): void {
    for (let d = 0; d < this.derived.length; d++) values[this.inputWidth + d] = this.derived[d][i];
  }
}

/** A RowReader over typed rows: row i by `at(i)`, every answer from the arrays (see the module comment). */
export class TypedRow extends RowReader {
  private i = 0;

  constructor(
    private readonly rows: TypedRows,
    names: readonly string[],
    inputWidth: number,
    source: string,
    format: NumberFormat,
    outOfRangePolicy: OutOfRangePolicy,
    delimiter: string,
  ) {
    super(names, inputWidth, source, format, outOfRangePolicy, delimiter);
  }

  /** Makes row i the current row. */
  at(i: number): void {
    this.i = i;
    this.line = this.rows.lines[i];
    this.rows.derivedInto(i, this.values);
  }

  /** The failure scoring or computing the row raised when it was typed: raised now, where a pass would have met it. */
  raiseFailure(): void {
    const failure = this.rows.failures.get(this.i);
    if (failure !== undefined) throw failure;
  }

  override load(): void {
    throw new Error('TypedRow: typed rows are read by at(), not loaded');
  }

  override get cells(): string[] {
    return Array.from({ length: this.inputWidth }, (_, c) => this.rows.text(c, this.i));
  }

  override text(column: number): string {
    return column >= this.inputWidth ? super.text(column) : this.rows.text(column, this.i);
  }

  override isMissing(column: number): boolean {
    return column >= this.inputWidth ? super.isMissing(column) : (this.rows.kind(column, this.i) & MISSING) !== 0;
  }

  override textEquals(column: number, text: string): boolean {
    return this.text(column) === text;
  }

  override parse(column: number): number | typeof INVALID {
    return this.rows.kind(column, this.i) & TEXT ? INVALID : this.rows.number(column, this.i);
  }

  override numOrText(column: number): number {
    this.wasText = false;
    if (column >= this.inputWidth) return this.values[column];
    const kind = this.rows.kind(column, this.i);
    if (kind & TEXT) {
      this.wasText = true;
      return NaN;
    }
    const value = this.rows.number(column, this.i);
    return kind & OUT_OF_RANGE ? this.outOfRangeValue(column, value) : value;
  }

  override tryNum(column: number): number | null {
    if (column >= this.inputWidth) return super.tryNum(column);
    if (this.rows.kind(column, this.i) & TEXT) return null;
    const value = this.rows.number(column, this.i);
    return value !== value ? null : value;
  }
}
