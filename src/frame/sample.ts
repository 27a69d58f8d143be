/**
 * The one sample reader: R's `model.frame` in role. `readSample(dataset, spec)` streams the rows once and gives, per
 * stratum of the stratifier (one sample without one), the columns of the variables an analysis uses, their ids and the
 * rows left out with their reasons:
 *
 * - values as data/variables.ts reads them (numbers, or level indices of categorical variables; NaN when missing),
 *   each column's type decided by its whole column after the last row (VariableSet's end check);
 * - listwise deletion over `complete` (default every member): a row missing any of them is counted in its stratum's
 *   Exclusions under every variable it lacks, and not kept. With `complete: []` every row is kept, NaN where missing
 *   (analyses that delete per analysis: robustness, the added-variable plots);
 * - rows missing the stratum are counted in `missingStratum` and enter no sample;
 * - the samples in the stratifier's level order with its reference level (`ref`) first (levels.ts stratumOrder), the
 *   single sample under `null` without a stratifier.
 *
 * Its errors are the ones every analysis raises: no row with a stratum, or no row complete (each naming --where when
 * one filtered the rows). Pearson's constant-memory co-moments (analyses/correlate/streaming.ts) are a second reader
 * of the same rule, tested to agree with this one.
 */
import { DataError, option, words } from '../errors';
import type { Dataset } from '../data/dataset';
import type { RowReader } from '../data/row';
import { checkStratumRef, stratumOrder } from '../data/levels';
import { Exclusions, type VariableSet } from '../data/variables';
import { ChunkedColumn, Int32Column, type RowPicker } from '../data/growable';

export interface SampleSpec {
  variables: VariableSet;
  /** The variables the sample holds (indices into variables.list), in this order. */
  members: readonly number[];
  /** Listwise deletion over these (default: every member); [] keeps every row. */
  complete?: readonly number[];
  /** The stratifier (a categorical variable), or null. */
  by: number | null;
  /** The stratifier's reference level (--ref), listed first; else the column's level order. */
  ref?: string;
  /**
   * Variables a row must have to be read at all (imputation's grouping columns): a row lacking one is counted in
   * `missingStratum` with the rows lacking the stratum, and no other value of it is read.
   */
  required?: readonly number[];
  /** Record each kept row's number among the rows after --where (1-based), in `rows`. */
  numbered?: boolean;
  /** The id of each row kept: an id column's text (−1: none in the file, then `line N`), or undefined for no ids. */
  idColumn?: number;
  /** What a row misses when no row is complete, for the error: "the outcome, an x or a covariate". */
  needs: string;
}

/** One stratum's rows. */
export interface Sample {
  stratum: string | null;
  n: number;
  /**
   * One per member, `n` long: rows picked by index (the held engines: no copy), or the whole column as an array
   * (`columnOf`).
   */
  columns: RowPicker[];
  /** Each row's id (when asked), else []. */
  ids: string[];
  /** Each row's number after --where (when `numbered`), else empty. */
  rows: Int32Array;
  excluded: Exclusions;
}

export interface Samples {
  samples: Sample[];
  /** Rows left out of every sample because the stratum (or a `required` variable) was missing. */
  missingStratum: number;
}

/** The rows read, per stratum (see the module comment). */
export async function readSample(dataset: Dataset, spec: SampleSpec): Promise<Samples> {
  const { variables, members, by } = spec;
  const vars = variables.list;
  const complete = (spec.complete ?? members).map((v) => members.indexOf(v));
  const idColumn = spec.idColumn;
  const idOf = (row: RowReader) => (idColumn! >= 0 ? row.text(idColumn!) : `line ${row.line}`);
  const required = (spec.required ?? []).map((v) => members.indexOf(v));
  const numbered = spec.numbered === true;
  interface Reading {
    stratum: string | null;
    columns: ChunkedColumn[];
    ids: string[];
    rows: Int32Column;
    excluded: Exclusions;
  }
  const readings = new Map<string | null, Reading>();
  const make = (stratum: string | null): Reading => ({ stratum, columns: members.map(() => new ChunkedColumn()), ids: [], rows: new Int32Column(), excluded: new Exclusions() });
  if (by === null) readings.set(null, make(null));
  let missingStratum = 0;
  const values = new Float64Array(members.length);
  await dataset.forEach((row) => {
    const reading = variables.groupOf(row, by, readings, make);
    let lacks = reading === null;
    for (let r = 0; r < required.length; r++) {
      const j = required[r];
      values[j] = variables.read(row, members[j]);
      if (values[j] !== values[j]) lacks = true;
    }
    if (lacks) {
      missingStratum++;
      return;
    }
    for (let j = 0; j < members.length; j++) if (!required.includes(j)) values[j] = variables.read(row, members[j]);
    let missing: string[] | null = null;
    for (let c = 0; c < complete.length; c++) {
      const j = complete[c];
      if (values[j] !== values[j]) (missing ??= []).push(vars[members[j]].name);
    }
    if (missing !== null) {
      reading!.excluded.add(missing);
      return;
    }
    for (let j = 0; j < members.length; j++) reading!.columns[j].push(values[j]);
    if (idColumn !== undefined) reading!.ids.push(idOf(row));
    // Dataset.forEach counts a row kept by --where before handing it on: its number after --where.
    if (numbered) reading!.rows.push(dataset.counts.kept);
  });
  if (by !== null && readings.size === 0) throw noStratum(dataset, vars[by].name);
  const order = stratumOrder(by === null ? undefined : vars[by].labelCodes, spec.ref);
  const samples = [...readings.values()]
    .sort((a, b) => order(a.stratum ?? '', b.stratum ?? ''))
    .map(({ stratum, columns, ids, rows, excluded }): Sample => ({ stratum, n: columns[0]?.length ?? 0, columns, ids, rows: rows.view(), excluded }));
  if (by !== null) checkStratumRef(samples.map((s) => s.stratum ?? ''), vars[by].name, spec.ref);
  if (complete.length > 0 && samples.every((s) => s.n === 0)) throw noUsableRows(dataset, spec.needs);
  return { samples, missingStratum };
}

/** The two errors of a sample reader (readSample, and Pearson's streaming reader of the same rule). */
const afterWhere = (dataset: Dataset) => (dataset.whereText ? words` (after ${option('where')} ${dataset.whereText})` : '');

/** No row has a value of the stratifier. */
export function noStratum(dataset: Dataset, stratifier: string): DataError {
  return new DataError(words`no rows with a value of ${stratifier} to stratify by${afterWhere(dataset)}, ${dataset.input.source}`);
}

/** No row is complete: every row misses one of `needs` ("x, y or a covariate"). */
export function noUsableRows(dataset: Dataset, needs: string): DataError {
  return new DataError(words`no usable rows: every row misses ${needs}${afterWhere(dataset)}, ${dataset.input.source}`);
}

/** A sample's column of one member variable, as one array (a copy of a column read in chunks). */
export function columnOf(sample: Sample, members: readonly number[], v: number): Float64Array {
  return sample.columns[members.indexOf(v)].values();
}
