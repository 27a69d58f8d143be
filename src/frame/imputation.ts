/**
 * Multiple imputation by chained equations (MICE; van Buuren & Groothuis-Oudshoorn 2011, J Stat Softw 45(3);
 * van Buuren 2018, *Flexible Imputation of Missing Data*, 2nd ed., §4.5), as R's `mice` with its defaults:
 *
 * - Each imputation is its own chain: missing values start as random draws from the variable's observed values
 *   (`mice.impute.sample`), then `iterations` times every incomplete variable, left to right, is imputed from all
 *   the others as they currently stand — predictive mean matching for numeric variables, logistic regression for
 *   0/1 variables (src/stats/impute.ts) — and the passive variables are computed from their final parts (mice
 *   recomputes them after every step; since they predict nothing, once at the end gives the same values).
 * - Passive variables (a total that is the mean of its subscales: mice's `~I()`) are never imputed nor used as
 *   predictors: they are recomputed from the imputed parts, so the completed data stay coherent and the total does
 *   not predict its own parts (van Buuren 2018, §6.4).
 * - Groups (`--impute-by arm`, strata) are imputed separately: each group's rows form their own data set.
 * - Imputations are produced one at a time (a generator), so memory does not grow with M.
 *
 * Unordered factors with more than two levels enter as predictors (treatment-coded) but are not imputed here
 * (mice's `polyreg`): a missing value in one is an ImputationError.
 */
import { DataError, option, words, type Wording } from '../errors';
import { logregImpute, pmmImpute, pmmScratch } from '../stats/impute';
import { createRandom, Random } from '../stats/random';

export interface ImputationColumn {
  name: string;
  /** Values, NaN where missing; factors as level codes 0 … levels − 1, binary as 0/1. */
  values: Float64Array;
  kind: 'numeric' | 'binary' | 'factor';
  /** Number of levels (factors). */
  levels?: number;
  /** Computed from other columns: Σ weights[i]·column[parts[i]] (e.g. a total as the mean of its subscales). */
  passive?: { parts: number[]; weights: number[] };
}

export interface ImputationOptions {
  imputations: number;
  iterations: number;
  seed: number;
  /** Group code per row (impute each group on its own); all rows one group when absent. */
  groups?: { codes: Int32Array; names: string[] };
  donors?: number;
}

/** Data that cannot be imputed as asked (exit 1): the message names the column (and the group). */
export class ImputationError extends DataError {
  constructor(
    message: Wording,
    readonly column: string,
    readonly group: string | null,
  ) {
    super(message);
    this.name = 'ImputationError';
  }
}

/** Rows of each group, in file order. */
function groupRows(n: number, groups: ImputationOptions['groups']): Array<{ name: string | null; rows: Int32Array }> {
  if (!groups) return [{ name: null, rows: Int32Array.from({ length: n }, (_, i) => i) }];
  return groups.names.map((name, g) => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (groups.codes[i] === g) rows.push(i);
    return { name, rows: Int32Array.from(rows) };
  });
}

/** Checks that imputation is possible before any work: every incomplete variable has observed values in every group. */
export function checkImputable(columns: ImputationColumn[], options: ImputationOptions): void {
  const n = columns[0]?.values.length ?? 0;
  for (const group of groupRows(n, options.groups)) {
    if (group.rows.length === 0) continue;
    for (const column of columns) {
      if (column.passive) continue;
      let observed = 0;
      let missing = 0;
      for (const i of group.rows) Number.isNaN(column.values[i]) ? missing++ : observed++;
      const where = group.name === null ? '' : ` in group ${group.name}`;
      if (observed === 0) throw new ImputationError(`${column.name} is missing in every row${where}: nothing to impute it from`, column.name, group.name);
      if (missing > 0 && column.kind === 'factor') {
        throw new ImputationError(`${column.name} is a factor with ${column.levels} levels and ${missing} missing values${where}: only numeric and two-level variables are imputed`, column.name, group.name);
      }
    }
  }
}

/** How many values each column lacks (passive columns count their rows with a missing part). */
export function countMissing(columns: ImputationColumn[]): number[] {
  return columns.map((c) => c.values.reduce((s, v) => s + (Number.isNaN(v) ? 1 : 0), 0));
}

/**
 * The M completed data sets, one at a time: each yield is the columns in the given order, every missing value filled
 * (see the module comment). Observed values are never changed. Deterministic for a seed.
 */
export function* completedData(columns: ImputationColumn[], options: ImputationOptions): Generator<Float64Array[]> {
  checkImputable(columns, options);
  const n = columns[0]?.values.length ?? 0;
  const random = createRandom(options.seed);
  // Each group's working columns and buffers are made once and serve every imputation's chain in turn, so what
  // an imputation allocates is its completed copy alone (memory flat in M, and little for the collector).
  const chains = groupRows(n, options.groups)
    .filter((group) => group.rows.length > 0)
    .map((group) => groupChain(columns, group.rows, group.name, options));
  for (let m = 0; m < options.imputations; m++) {
    const out = columns.map((c) => Float64Array.from(c.values));
    for (const chain of chains) chain(random, out);
    yield out;
  }
}

/**
 * One group's chain: set up once (the group's columns as read, each variable's gaps, observed values, observed rows,
 * predictors and fit buffers), then each call runs one imputation's chain over the group's rows and writes the
 * completed values into `out`.
 */
function groupChain(columns: ImputationColumn[], rows: Int32Array, groupName: string | null, options: ImputationOptions): (random: Random, out: Float64Array[]) => void {
  const size = rows.length;
  const original = columns.map((c) => pick(c.values, rows));
  const data = original.map((values) => Float64Array.from(values));
  const missing = original.map((values, j) => (columns[j].passive ? null : Int32Array.from(indicesWhere(values, Number.isNaN))));
  const observedValues = original.map((values, j) => (missing[j]?.length ? values.filter((v) => !Number.isNaN(v)) : null));
  const recomputePassive = (): void => {
    columns.forEach((c, j) => {
      if (!c.passive) return;
      const { parts, weights } = c.passive;
      for (let i = 0; i < size; i++) {
        if (!Number.isNaN(original[j][i])) continue;
        let s = 0;
        for (let p = 0; p < parts.length; p++) s += weights[p] * data[parts[p]][i];
        data[j][i] = s;
      }
    });
  };
  // What does not change between iterations or imputations, once per group: each incomplete variable's observed
  // rows, its predictor columns (the intercept and factor indicators are constant, since factors are never imputed;
  // the other columns are the arrays `data` holds, updated in place) and the scratch its fit gathers X_obs into.
  const predictorsOf = predictorColumns(columns, data);
  const incomplete = columns
    .map((_, j) => j)
    .filter((j) => (missing[j]?.length ?? 0) > 0)
    .map((j) => {
      const isGap = new Uint8Array(size);
      for (const i of missing[j]!) isGap[i] = 1;
      const obsRows = Int32Array.from(indicesWhere(isGap, (v) => v === 0));
      const predictors = predictorsOf(j);
      const scratch = columns[j].kind === 'binary' ? undefined : pmmScratch(predictors.length, obsRows.length);
      return { j, obsRows, predictors, scratch };
    });
  return (random, out) => {
    data.forEach((values, j) => values.set(original[j]));
    // Start: each missing value a random draw from the observed ones (mice.impute.sample).
    data.forEach((values, j) => {
      const gaps = missing[j];
      const observed = observedValues[j];
      if (!gaps || !observed) return;
      for (const i of gaps) values[i] = observed[random.int(observed.length)];
    });
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      for (const { j, obsRows, predictors, scratch } of incomplete) {
        const gaps = missing[j]!;
        let imputed: Float64Array;
        try {
          imputed =
            columns[j].kind === 'binary'
              ? logregImpute(
                  predictors.map((c) => pick(c, obsRows)),
                  pick(data[j], obsRows),
                  predictors.map((c) => pick(c, gaps)),
                  random,
                )
              : pmmImpute(predictors, data[j], obsRows, gaps, random, options.donors ?? 5, scratch);
        } catch (error) {
          // A fit that cannot be drawn from (a covariance that is not positive definite): say which variable, in one line.
          const where = groupName === null ? '' : ` in group ${groupName}`;
          const method = columns[j].kind === 'binary' ? 'logistic regression' : 'predictive mean matching';
          const reason = (error as Error).message.split('\n')[0];
          throw new ImputationError(words`${columns[j].name} cannot be imputed${where} by ${method} (${reason}): a predictor determines it, drop that predictor or analyse with ${option('missing')} listwise`, columns[j].name, groupName);
        }
        for (let t = 0; t < gaps.length; t++) data[j][gaps[t]] = imputed[t];
      }
    }
    // The passive columns from their final parts: once, at the end, since no fit reads them (they predict nothing),
    // which gives the values mice's recomputation after every step leaves at the end.
    recomputePassive();
    data.forEach((values, j) => {
      for (let i = 0; i < size; i++) out[j][rows[i]] = values[i];
    });
  };
}

/**
 * The predictors of each target column: the intercept, then every other non-passive column (factors as
 * treatment-coded indicators of levels 1 … L − 1). The intercept and the indicators are made once and shared.
 */
function predictorColumns(columns: ImputationColumn[], data: Float64Array[]): (target: number) => Float64Array[] {
  const intercept = new Float64Array(data[0].length).fill(1);
  const sources = columns.map((c, j): Float64Array[] => {
    if (c.passive) return [];
    if (c.kind !== 'factor') return [data[j]];
    const indicators: Float64Array[] = [];
    for (let level = 1; level < (c.levels ?? 0); level++) indicators.push(data[j].map((v) => (v === level ? 1 : 0)));
    return indicators;
  });
  return (target) => [intercept, ...sources.flatMap((s, j) => (j === target ? [] : s))];
}

/** c[at[0]], c[at[1]], … (a loop: Float64Array.from with a map function is many times slower). */
function pick(c: Float64Array, at: Int32Array): Float64Array {
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) out[i] = c[at[i]];
  return out;
}

function indicesWhere(values: ArrayLike<number>, test: (v: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (test(values[i])) out.push(i);
  return out;
}
