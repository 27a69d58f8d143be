/**
 * One record at a time, with typed access: text as it came, numbers parsed on first use and cached for the
 * record, missing as NaN. Columns past the input's are derived (scores), set by the scorer.
 *
 * A record from an unquoted batch arrives as its line of text: fields are located by scanning for the
 * delimiter (offsets, no substrings) and a cell becomes a string only when asked for — most answers are
 * one digit, read straight from the line. Records from quoted batches arrive already split by papaparse.
 *
 * A column is a number only where something reads it as one (an instrument item, a role, an analysis
 * variable, an ordered --where): other columns are never parsed and are echoed untouched. (The report's one typing
 * pass, data/typed-rows.ts, parses every cell once, for the many passes after it.)
 */
import { DataError, oneLine, shown, words } from '../errors';
import type { RecordBatch } from '../io/csv-reader';
import { INVALID, NumberFormat, notANumberFix, outOfRangeFix, parseNumber } from './values';
import type { RowAccess } from './where';

export type OutOfRangePolicy = 'error' | 'missing';

export interface Bounds {
  min: number;
  max: number;
}

export class RowReader implements RowAccess {
  line = 0;
  /** The record's text as it stood in the file (unquoted batches); null for a record papaparse split. */
  raw: string | null = null;
  readonly values: Float64Array;
  private split: string[] | null = null;
  /** Field i of `raw` spans [offsets[i], offsets[i + 1] − 1). */
  private readonly offsets: Int32Array;
  private readonly delimiterCode: number;
  private readonly stamp: Int32Array;
  private generation = 0;
  private readonly bounds: (Bounds | undefined)[];
  /** Whether the cell numOrText last read was text. */
  wasText = false;
  /** Answers outside their instrument's range that were set to missing (policy "missing"). */
  outOfRange = 0;
  /** Named codes by input column (config `levels`): the cell "1" reads as the text "male", as an SPSS label would. */
  private readonly levelNames: (ReadonlyMap<string, string> | undefined)[] = [];
  /** Whether any column has named codes: the hot paths (text, parse) test this flag, not the sparse array. */
  private named = false;

  constructor(
    readonly names: readonly string[],
    readonly inputWidth: number,
    private readonly source: string,
    private readonly format: NumberFormat,
    private readonly outOfRangePolicy: OutOfRangePolicy = 'error',
    delimiter = ',',
  ) {
    this.values = new Float64Array(names.length);
    this.stamp = new Int32Array(names.length).fill(-1);
    this.bounds = new Array(inputWidth);
    this.offsets = new Int32Array(inputWidth + 1);
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /** Declares an instrument's answer range for a column (checked whenever it is read as a number). */
  setBounds(column: number, bounds: Bounds): void {
    const prior = this.bounds[column];
    if (prior && (prior.min !== bounds.min || prior.max !== bounds.max)) {
      throw new DataError(
        `column "${this.names[column]}" is an item of two instruments with different ranges, ${this.source}, map it to one`,
      );
    }
    this.bounds[column] = bounds;
  }

  /**
   * Names a column's coded values: a cell holding a code (as written, or as its number: "1.0" is "1") reads as the
   * name, text and not a number; other cells as they are.
   */
  setLevelNames(column: number, names: ReadonlyMap<string, string>): void {
    this.levelNames[column] = names;
    this.named = true;
  }

  /** The name of the cell's code, or null (no names for the column, or a code without one). */
  private levelName(column: number, cell: string): string | null {
    const names = this.levelNames[column]!;
    const code = cell.trim();
    const name = names.get(code);
    if (name !== undefined) return name;
    const n = code === '' ? NaN : Number(code);
    return Number.isFinite(n) ? (names.get(String(n)) ?? null) : null;
  }

  /** Makes record r of a batch the current row; a line with the wrong number of fields is an error. */
  load(batch: RecordBatch, r: number): void {
    this.line = batch.lines[r];
    this.generation++;
    if (batch.raw !== null) {
      const text = batch.raw[r];
      this.raw = text;
      this.split = null;
      const offsets = this.offsets;
      const width = this.inputWidth;
      const d = this.delimiterCode;
      let field = 1;
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) === d) {
          if (field === width) throw this.ragged(text.split(String.fromCharCode(d)).length);
          offsets[field++] = i + 1;
        }
      }
      if (field !== width) throw this.ragged(field);
      offsets[width] = text.length + 1;
    } else {
      this.raw = null;
      this.split = batch.rows![r];
    }
  }

  /** Loads a record given as fields (tests, validate). */
  loadCells(cells: string[], line: number): void {
    this.line = line;
    this.generation++;
    this.raw = null;
    this.split = cells;
  }

  /** The input cells as strings (materialised on demand for a line). */
  get cells(): string[] {
    if (this.split === null) this.split = this.raw!.split(String.fromCharCode(this.delimiterCode));
    return this.split;
  }

  private ragged(fields: number): DataError {
    return new DataError(
      `line ${this.line} has ${fields} field${fields === 1 ? '' : 's'} but the header has ${this.inputWidth}, ` +
        `${this.source}, check the delimiter and the quotes on that line`,
    );
  }

  text(column: number): string {
    if (column >= this.inputWidth) {
      const v = this.values[column];
      return Number.isNaN(v) ? '' : String(v);
    }
    const cell = this.split !== null ? this.split[column] : this.raw!.slice(this.offsets[column], this.offsets[column + 1] - 1);
    return !this.named || this.levelNames[column] === undefined ? cell : (this.levelName(column, cell) ?? cell);
  }

  isMissing(column: number): boolean {
    if (column >= this.inputWidth) return Number.isNaN(this.values[column]);
    if (this.split === null) {
      const length = this.offsets[column + 1] - 1 - this.offsets[column];
      if (length === 0) return true;
      if (length === 1) {
        const c = this.raw!.charCodeAt(this.offsets[column]);
        if (c >= 48 && c <= 57) return this.format.missingNumbers.has(c - 48);
      }
    }
    const cell = this.text(column);
    return cell.length === 0 || this.format.missing.has(cell.trim());
  }

  textEquals(column: number, text: string): boolean {
    if (column >= this.inputWidth || this.split !== null || (this.named && this.levelNames[column] !== undefined)) return this.text(column) === text;
    const start = this.offsets[column];
    return this.offsets[column + 1] - 1 - start === text.length && this.raw!.startsWith(text, start);
  }

  /** Reads several columns as numbers at once (instrument items, before scoring). */
  loadNumbers(columns: Int32Array): void {
    for (let i = 0; i < columns.length; i++) this.num(columns[i]);
  }

  /**
   * Parses a cell: a one-digit cell of a line is read from its character code, anything else via parseNumber; INVALID
   * for text (and for a named code). No range check: numOrText applies it.
   */
  parse(column: number): number | typeof INVALID {
    if (this.named && this.levelNames[column] !== undefined) {
      const cell = this.split !== null ? this.split[column] : this.raw!.slice(this.offsets[column], this.offsets[column + 1] - 1);
      if (this.levelName(column, cell) !== null) return INVALID;
    }
    if (this.split === null) {
      const start = this.offsets[column];
      const length = this.offsets[column + 1] - 1 - start;
      if (length === 0) return NaN;
      if (length === 1) {
        const c = this.raw!.charCodeAt(start) - 48;
        if (c >= 0 && c <= 9) return this.format.missingNumbers.size > 0 && this.format.missingNumbers.has(c) ? NaN : c;
      }
    }
    return parseNumber(this.text(column), this.format);
  }

  /** The cell as a number; NaN when missing; a DataError naming line and column when it is not a number. */
  num(column: number): number {
    const value = this.numOrText(column);
    if (this.wasText) throw this.notANumber(column);
    return value;
  }

  /**
   * The cell as a number (NaN when missing, an instrument's range checked, cached for the record); NaN with
   * `wasText` set when it is text: for readers that decide what text means (VariableSet) without parsing twice.
   * (A flag rather than a symbol in the return value: a number-only return stays an unboxed double.)
   */
  numOrText(column: number): number {
    this.wasText = false;
    if (column >= this.inputWidth || this.stamp[column] === this.generation) return this.values[column];
    const parsed = this.parse(column);
    if (parsed === INVALID) {
      this.wasText = true;
      return NaN;
    }
    const value = this.inBounds(column, parsed) ? parsed : this.outOfRangeValue(column, parsed);
    this.values[column] = value;
    this.stamp[column] = this.generation;
    return value;
  }

  /** Whether a number is within its column's instrument range (always, for a column without one). */
  inBounds(column: number, value: number): boolean {
    const bounds = this.bounds[column];
    return bounds === undefined || !(value < bounds.min || value > bounds.max);
  }

  /** An answer outside its instrument's range: the error naming it (policy "error"), or NaN, counted ("missing"). */
  protected outOfRangeValue(column: number, value: number): number {
    if (this.outOfRangePolicy === 'error') {
      const bounds = this.bounds[column]!;
      throw new DataError(
        words`answer ${this.text(column).trim()} is outside ${bounds.min}–${bounds.max} at line ${this.line}, column "${this.names[column]}", ${this.source}, ${outOfRangeFix(value)}`,
      );
    }
    this.outOfRange++;
    return NaN;
  }

  tryNum(column: number): number | null {
    if (column >= this.inputWidth) return Number.isNaN(this.values[column]) ? null : this.values[column];
    const parsed = this.parse(column);
    return parsed === INVALID || Number.isNaN(parsed) ? null : parsed;
  }

  /** Sets the derived columns (scores) from `base` on, as the scorer computed them. */
  setDerived(base: number, scores: Float64Array): void {
    this.values.set(scores, base);
  }

  /** Sets one derived column (a --compute value; NaN for missing). */
  setValue(column: number, value: number): void {
    this.values[column] = value;
  }

  notANumber(column: number): DataError {
    const cell = this.text(column);
    return new DataError(
      words`"${shown(oneLine(cell), 40)}" is not a number at line ${this.line}, column "${this.names[column]}", ${this.source}, ${notANumberFix([cell], this.format, this.names[column], false)}`,
    );
  }
}
