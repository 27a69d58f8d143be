/**
 * One record at a time, with typed access: text as it came, numbers parsed on first use and cached for the
 * record, missing as NaN. Columns past the input's are derived (scores), set by the scorer.
 *
 * A column is a number only where something reads it as one (an instrument item, a role, an analysis
 * variable, an ordered --where): other columns are never parsed and are echoed untouched.
 */
import { DataError } from '../errors';
import { INVALID, NumberFormat, parseNumber } from './values';
import type { RowAccess } from './where';

export type OutOfRangePolicy = 'error' | 'missing';

export interface Bounds {
  min: number;
  max: number;
}

export class RowReader implements RowAccess {
  cells: string[] = [];
  line = 0;
  /** The record's batch held no quote character (its fields need no quoting on output). */
  unquoted = false;
  /** The record's text as it stood in the file, when its batch was unquoted; else null. */
  raw: string | null = null;
  readonly values: Float64Array;
  private readonly stamp: Int32Array;
  private generation = 0;
  private readonly bounds: (Bounds | undefined)[];
  /** Answers outside their instrument's range that were set to missing (policy "missing"). */
  outOfRange = 0;

  constructor(
    readonly names: readonly string[],
    readonly inputWidth: number,
    private readonly source: string,
    private readonly format: NumberFormat,
    private readonly outOfRangePolicy: OutOfRangePolicy = 'error',
  ) {
    this.values = new Float64Array(names.length);
    this.stamp = new Int32Array(names.length).fill(-1);
    this.bounds = new Array(inputWidth);
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

  load(cells: string[], line: number): void {
    this.cells = cells;
    this.line = line;
    this.generation++;
  }

  text(column: number): string {
    if (column < this.inputWidth) return this.cells[column];
    const v = this.values[column];
    return Number.isNaN(v) ? '' : String(v);
  }

  isMissing(column: number): boolean {
    if (column >= this.inputWidth) return Number.isNaN(this.values[column]);
    const cell = this.cells[column];
    return cell.length === 0 || this.format.missing.has(cell.trim());
  }

  /** Reads several columns as numbers at once (instrument items, before scoring). */
  loadNumbers(columns: Int32Array): void {
    for (let i = 0; i < columns.length; i++) this.num(columns[i]);
  }

  /** The cell as a number; NaN when missing; a DataError naming line and column when it is not a number. */
  num(column: number): number {
    if (column >= this.inputWidth || this.stamp[column] === this.generation) return this.values[column];
    const parsed = parseNumber(this.cells[column], this.format);
    if (parsed === INVALID) throw this.notANumber(column);
    let value = parsed;
    const bounds = this.bounds[column];
    if (bounds !== undefined && (value < bounds.min || value > bounds.max)) {
      if (this.outOfRangePolicy === 'error') {
        throw new DataError(
          `answer ${this.cells[column].trim()} is outside ${bounds.min}–${bounds.max} at line ${this.line}, column "${this.names[column]}", ` +
            `${this.source}, correct it or pass --out-of-range missing`,
        );
      }
      this.outOfRange++;
      value = NaN;
    }
    this.values[column] = value;
    this.stamp[column] = this.generation;
    return value;
  }

  tryNum(column: number): number | null {
    if (column >= this.inputWidth) return Number.isNaN(this.values[column]) ? null : this.values[column];
    const parsed = parseNumber(this.cells[column], this.format);
    return parsed === INVALID || Number.isNaN(parsed) ? null : parsed;
  }

  setDerived(column: number, value: number): void {
    this.values[column] = value;
  }

  notANumber(column: number): DataError {
    const cell = this.cells[column];
    const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
    return new DataError(
      `"${shown}" is not a number at line ${this.line}, column "${this.names[column]}", ${this.source}, ` +
        `correct the value or declare a missing code with --na`,
    );
  }
}
