/**
 * Design matrices as R's model.matrix builds them, one rule for every analysis (correlate, model, added-variable
 * plots):
 * - a numeric variable is one column under its name, centred (x − mean) when asked;
 * - a categorical variable is treatment-coded (R's contr.treatment): a 0/1 column for each level present in the
 *   rows used but the reference, which is the first level in sort order (`levelComparator`: SPSS codes for a labelled column, else numbers numerically,
 *   text by code point) unless `--ref col=level`. Columns are named as R names them, variable then level:
 *   `sexmale`. Levels absent from the rows get no column (lm drops unused levels). More than MAX_LEVELS levels is
 *   an error (an id column named by mistake, not a factor);
 * - an interaction is the product of every column of one term with every column of the other, named `a:b`
 *   (`alliance:sexmale`), in R's order (the first term's columns varying slowest).
 *
 * Two ways in: `Design` builds whole columns (model, the held correlate engine, added-variable plots);
 * `RowEncoder` codes one row at a time for the streaming co-moments, indicator columns appearing with their
 * levels, and is read back through the same `codeFactor` rule.
 */
import { option, UsageError, words } from '../errors';
import { indicator } from './growable';
import { findLevel, levelComparator } from './levels';
import type { Variable } from './variables';

/** Upper limit on the levels of a categorical variable in one analysis (an id column by mistake, not a factor). */
export const MAX_LEVELS = 100;

/** How factors are coded: the reference level per column name (--ref), and the stratum for messages. */
export interface CodingOptions {
  ref: ReadonlyMap<string, string>;
  stratum: string | null;
}

/** Treatment coding of one categorical variable over the levels present. */
export interface FactorCoding {
  /** Reference level (index into variable.levelNames). */
  ref: number;
  /** The coded levels, reference left out, in sort order. */
  levels: number[];
  /** R's column name of each coded level: `sexmale`. */
  names: string[];
}

/**
 * The coding of `variable` over the level indices `present` (any order, no repeats), or null when none is present.
 * Exit 2 when there are more than MAX_LEVELS levels or --ref names a level absent from the rows.
 */
export function codeFactor(variable: Variable, present: readonly number[], options: CodingOptions): FactorCoding | null {
  if (present.length === 0) return null;
  const order = levelComparator(variable.labelCodes);
  const sorted = [...present].sort((a, b) => order(variable.levelNames[a], variable.levelNames[b]));
  const where = options.stratum !== null ? ` of stratum ${options.stratum}` : '';
  if (sorted.length > MAX_LEVELS) {
    throw new UsageError(
      words`${variable.name} (${variable.flag}) has ${sorted.length} levels in the rows used${where}, more than ${MAX_LEVELS}; is it an id or a numeric column? leave it out or give it fewer levels`,
    );
  }
  let ref = sorted[0];
  const wanted = options.ref.get(variable.name);
  if (wanted !== undefined) {
    const level = findLevel(variable.levels, wanted);
    if (level === undefined || !sorted.includes(level)) {
      throw new UsageError(
        words`${option('ref')} ${variable.name}=${wanted}: no such level in the rows used${where} (levels: ${sorted.map((l) => variable.levelNames[l]).join(', ')})`,
      );
    }
    ref = level;
  }
  const levels = sorted.filter((l) => l !== ref);
  return { ref, levels, names: levels.map((l) => variable.name + variable.levelNames[l]) };
}

/** R's name of an interaction column: `alliance:sexmale`. */
export function interactionName(a: string, b: string): string {
  return `${a}:${b}`;
}

/** The columns one variable (or an interaction) contributes to a design. */
export interface Term {
  variable: Variable;
  /** Column names, as R names them. */
  names: string[];
  columns: Float64Array[];
  /** Indices of the columns in the design. */
  at: number[];
  /** Treatment coding (categorical variables), null for a numeric one. */
  coding: FactorCoding | null;
}

/**
 * A design matrix built column by column over n rows, in the order the terms are added. `take` supplies the
 * storage of new columns (a ColumnPool's scratch columns in a loop over analyses).
 */
export class Design {
  readonly columns: Float64Array[] = [];
  readonly names: string[] = [];
  /** Column index by name. */
  readonly index = new Map<string, number>();

  constructor(
    readonly n: number,
    private readonly options: CodingOptions,
    private readonly take: (n: number) => Float64Array = (length) => new Float64Array(length),
  ) {}

  /** Adds a column as it is; returns its index. */
  add(name: string, values: Float64Array): number {
    this.index.set(name, this.columns.length);
    this.columns.push(values);
    this.names.push(name);
    return this.columns.length - 1;
  }

  /** The intercept, a column of ones, named as lm names it. */
  intercept(): number {
    return this.add('(Intercept)', this.take(this.n).fill(1));
  }

  /** A numeric variable: its values, or x − mean(x) when `centre` (into a new column). */
  numeric(variable: Variable, values: Float64Array, centre = false): Term {
    let column = values;
    if (centre && values.length > 0) {
      let mean = 0;
      for (let i = 0; i < values.length; i++) mean += values[i];
      mean /= values.length;
      column = this.take(values.length);
      for (let i = 0; i < values.length; i++) column[i] = values[i] - mean;
    }
    return { variable, names: [variable.name], columns: [column], at: [this.add(variable.name, column)], coding: null };
  }

  /**
   * A categorical variable from its column of level indices: a 0/1 column per coded level (codeFactor). Null when no
   * level is present (no rows); a term with no column when only the reference is present.
   */
  factor(variable: Variable, levels: Float64Array): Term | null {
    const coding = codeFactor(variable, presentLevels(levels), this.options);
    if (coding === null) return null;
    const columns = coding.levels.map((level) => indicator(levels, level, this.take(levels.length)));
    const at = columns.map((column, i) => this.add(coding.names[i], column));
    return { variable, names: coding.names, columns, at, coding };
  }

  /** A variable by its kind: numeric() or factor(). */
  term(variable: Variable, values: Float64Array): Term | null {
    return variable.categorical ? this.factor(variable, values) : this.numeric(variable, values);
  }

  /** The products of each column of `a` with each column of `b`, named `a:b` (`interactionName`). */
  interaction(a: Term, b: Term): Term {
    const names: string[] = [];
    const columns: Float64Array[] = [];
    const at: number[] = [];
    a.columns.forEach((x, i) => {
      b.columns.forEach((y, j) => {
        const product = this.take(this.n);
        for (let r = 0; r < this.n; r++) product[r] = x[r] * y[r];
        const name = interactionName(a.names[i], b.names[j]);
        names.push(name);
        columns.push(product);
        at.push(this.add(name, product));
      });
    });
    return { variable: a.variable, names, columns, at, coding: null };
  }
}

/** The distinct level indices in a column of them. */
function presentLevels(levels: Float64Array): number[] {
  return [...new Set(levels)];
}

/**
 * Codes rows one at a time into a fixed layout for streaming co-moments: the numeric variables given, then one
 * indicator column per level of each categorical variable, a new column appended when a level first appears (all
 * rows before it had 0 there). Missing values are written as 0 (the caller adds a row only to moments of the
 * analyses it is complete for).
 */
export class RowEncoder {
  /** Column of each numeric variable (−1 for others). */
  private readonly position: Int32Array;
  /** Per categorical variable: level index → column. */
  private readonly indicators = new Map<number, Map<number, number>>();
  /** The coded row, `width` long. */
  row: Float64Array;

  /** `numeric`: the numeric variables, in column order; `factors`: the categorical ones (indices into vars). */
  constructor(variables: number, numeric: readonly number[], factors: readonly number[]) {
    this.position = new Int32Array(variables).fill(-1);
    numeric.forEach((v, i) => (this.position[v] = i));
    for (const v of factors) this.indicators.set(v, new Map());
    this.row = new Float64Array(numeric.length);
  }

  get width(): number {
    return this.row.length;
  }

  /** The column of a numeric variable. */
  columnOf(v: number): number {
    return this.position[v];
  }

  /**
   * Codes one row of values (per variable: NaN missing, the number, or the level index) into `row`. Returns the
   * number of columns added for levels first seen in it (the caller grows its moments by as many).
   */
  encode(values: Float64Array): number {
    let row = this.row;
    const position = this.position;
    for (let v = 0; v < position.length; v++) {
      const at = position[v];
      if (at >= 0) row[at] = values[v] === values[v] ? values[v] : 0;
    }
    let added = 0;
    for (const [v, map] of this.indicators) {
      for (const at of map.values()) row[at] = 0;
      const level = values[v];
      if (level !== level) continue;
      let at = map.get(level);
      if (at === undefined) {
        at = row.length;
        map.set(level, at);
        const grown = new Float64Array(at + 1);
        grown.set(row);
        row = this.row = grown;
        added++;
      }
      row[at] = 1;
    }
    return added;
  }

  /**
   * Treatment coding of categorical variable v over the levels for which `present(column)` holds (those whose
   * indicator is not all zero in an analysis's rows): the coding and the encoder's column of each coded level.
   */
  factor(variable: Variable, v: number, present: (column: number) => boolean, options: CodingOptions): { coding: FactorCoding; at: number[] } | null {
    const map = this.indicators.get(v) ?? new Map<number, number>();
    const coding = codeFactor(variable, [...map.keys()].filter((level) => present(map.get(level)!)), options);
    return coding === null ? null : { coding, at: coding.levels.map((level) => map.get(level)!) };
  }
}
