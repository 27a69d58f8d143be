/**
 * "Table 1": per variable, overall and by group.
 *
 * Numeric variables: n (non-missing), missing, mean, SD (n − 1 denominator, R's sd()), median, first and third
 * quartiles, min, max. Quantiles are R's default, type 7 (Hyndman & Fan 1996): h = (n − 1)p,
 * x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]). Mean and SD are two-pass over the held values, as R's mean() and var():
 * mean = Σx/n corrected by Σ(x − mean)/n, then SD = sqrt(Σ(x − mean)² / (n − 1)).
 *
 * Categorical variables: counts per level, percentages of the non-missing values (R's prop.table(table(x))), and
 * the missing count. Levels sort numbers numerically first, then text by code point (compareLevels); numeric
 * levels are keyed by their value ("1.0" and "1" are one level). Within a group every level seen in any row is
 * listed, with 0 where the group has none.
 *
 * Kind: a variable is categorical when named in `categorical`, or when its first non-missing value is not a
 * number; otherwise numeric (a later non-number is then a data error naming line and column).
 *
 * Variables by default: on a CanRelax export (the file has the sex, age and expectation roles' columns) arm (left
 * out when it has a single level in the rows described, e.g. after --where arm=app), sex, age, expectation, then
 * the score columns of the instruments found (wai_*, phqads_*: scored on the fly when their items are present, or
 * taken as they are when already in the file); otherwise every column but the id column. The --by column is never
 * one of the variables.
 *
 * Groups: the levels of `by` (sorted as above). Rows missing `by` enter the overall summary ("all") only and
 * are counted in `missing_by`.
 *
 * Memory: numeric variables are held (8 bytes a value, growable Float64Array) with a group index per row
 * (4 bytes), since medians and quartiles need the values; categorical ones keep counts per level and group.
 */
import { DataError, UsageError, option, words, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import { quantileSorted } from '../stats/descriptive';
import { levelComparator, levelKey } from '../data/levels';
import { Float64Column, Int32Column } from '../data/growable';
import { TypeEvidence, VariableSet, columnTypeError, newEvidence, noteCell } from '../data/variables';
import { poolCoefficient } from '../stats/pool';
import type { ImputationSummary, MissingOptions } from '../frame/missing';
import { completedSamples } from '../frame/completed';
import { columns, restated, type DeclaredValues } from '../options';
import { BY, CATEGORICAL, ID } from './options';
import type { Sample } from '../frame/sample';

/** describe's options, declared once (options.ts): its command-line flags come from here. */
export const DESCRIBE_OPTIONS = {
  by: restated(BY, { description: 'one summary per level of this column, plus one over all rows' }),
  vars: columns('vars', { placeholder: 'cols', description: 'variables, comma-separated (default on a CanRelax export: arm, sex, age, expectation, scores)' }),
  categorical: restated(CATEGORICAL, { description: 'numeric columns to summarise as categories (counts and percentages)' }),
  id: restated(ID, { description: 'id column, left out of the default variables' }),
};

/** describe's option values as DescribeOptions (every front end: the command, the report's sample step). */
export function describeOptionsOf(values: DeclaredValues<typeof DESCRIBE_OPTIONS>): DescribeOptions {
  return { vars: values.vars ?? null, by: values.by ?? null, categorical: new Set(values.categorical ?? []), idColumn: values.id };
}

export interface DescribeOptions {
  /** Variables (roles or columns); null: the defaults described above. */
  vars: string[] | null;
  /** Grouping column (role or column), or null. */
  by: string | null;
  /** Columns (roles or names) to treat as categorical even when their values are numbers. */
  categorical: Set<string>;
  /** Column left out of the default "every column" variable list. */
  idColumn: string;
}

export interface NumericSummary {
  /** Non-missing values. */
  n: number;
  missing: number;
  mean: number | null;
  /** Sample SD (n − 1); null when n < 2. */
  sd: number | null;
  median: number | null;
  /** Quartiles, R's quantile(type = 7). */
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
  /** --missing mi: the mean pooled by Rubin's rules and the average of the per-imputation SDs. */
  mi?: PooledMean;
}

/**
 * A mean over M imputations: Rubin's rules on the per-imputation means with within variance s²/n and ν_com = n − 1
 * (stats/pool.ts poolCoefficient; van Buuren 2018, §5.2), CI Q̄ ± t_{ν, .975}·√T; `sd` the mean of the per-imputation SDs
 * (a description of the completed data, not a pooled estimate with its own error).
 */
export interface PooledMean {
  n: number;
  mean: number;
  se: number;
  ci: [number, number];
  df: number;
  fmi: number;
  sd: number;
}

export interface LevelCount {
  level: string;
  count: number;
  /** Percent of the non-missing values (0–100); null when there are none. */
  percent: number | null;
}

export interface CategoricalSummary {
  /** Non-missing values. */
  n: number;
  missing: number;
  levels: LevelCount[];
}

export type VariableSummary = NumericSummary | CategoricalSummary;

export interface DescribedVariable {
  /** Column name. */
  name: string;
  /** The role this column plays (alliance for wai_total, …), when the role's name differs from the column's. */
  role?: string;
  kind: 'numeric' | 'categorical';
  overall: VariableSummary;
  /** Per level of `by`, in the order of `groups`. */
  by_group?: Record<string, VariableSummary>;
}

export interface DescribeOutput {
  /** Column grouped by, or null. */
  by: string | null;
  /** Levels of `by`, sorted. */
  groups: string[];
  /** Rows per group. */
  group_rows: Record<string, number>;
  /** Rows described (after --where), the "all" column. */
  rows: number;
  /** Rows missing `by` (in "all" only); null without `by`. */
  missing_by: number | null;
  variables: DescribedVariable[];
  /** Notes for the reader (variables left out, …). */
  notes: Wording[];
  /** --missing mi: how (the numeric variables carry `mi`). */
  imputation?: ImputationSummary;
}

/** A variable being summarised: its column, what it turned out to be, and its running counts. */
interface Summarised {
  name: string;
  role: string | null;
  column: number;
  /** null until the first non-missing value decides (tentatively: the whole column is checked at the end). */
  categorical: boolean | null;
  forced: boolean;
  /** The column's cells by kind (data/variables columnTypeError). */
  evidence: TypeEvidence;
  numberColumn: boolean;
  /** Dropped when it turns out to have a single level (arm by default). */
  dropIfConstant: boolean;
  /** Numeric: one value per row read (NaN missing); categorical: unused. */
  values: Float64Column;
  /** Categorical: level key → counts per group index (0 = no group / missing by, then 1 + group). */
  counts: Map<string, number[]>;
  /** Missing count per group index (categorical and numeric). */
  missing: number[];
}

/** Mean and SD of values as R computes them (two passes). */
function meanSd(x: Float64Array): { mean: number | null; sd: number | null } {
  const n = x.length;
  if (n === 0) return { mean: null, sd: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  let mean = sum / n;
  if (Number.isFinite(mean)) {
    let correction = 0;
    for (let i = 0; i < n; i++) correction += x[i] - mean;
    mean += correction / n;
  }
  if (n < 2) return { mean, sd: null };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  return { mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** Numeric summary of the non-missing values given (any order) and a missing count. */
export function summariseNumeric(values: Float64Array, missing: number): NumericSummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const { mean, sd } = meanSd(sorted);
  return {
    n,
    missing,
    mean,
    sd,
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    min: n > 0 ? sorted[0] : null,
    max: n > 0 ? sorted[n - 1] : null,
  };
}

const CANRELAX_ROLES = ['sex', 'age', 'expectation'];

/** Roles whose column differs in name from the role: column → role. */
function roleNames(dataset: Dataset): Map<string, string> {
  const roles = new Map<string, string>();
  for (const [role, column] of dataset.config.roles) if (role !== column && !roles.has(column)) roles.set(column, role);
  return roles;
}

/** The default variable list (column names) and which of them may be dropped as constant. */
function defaultVariables(dataset: Dataset, options: DescribeOptions, byColumn: string | null): { names: string[]; dropIfConstant: Set<string> } {
  const canRelax = CANRELAX_ROLES.every((role) => dataset.has(role));
  const dropIfConstant = new Set<string>();
  let names: string[];
  if (canRelax) {
    const scores = new Set([...dataset.scoring.columns.map((c) => c.name), ...dataset.scoring.existing]);
    names = [];
    if (dataset.has('arm')) {
      names.push(dataset.columnName('arm'));
      dropIfConstant.add(dataset.columnName('arm'));
    }
    names.push(...CANRELAX_ROLES.map((role) => dataset.columnName(role)));
    names.push(...dataset.columns.filter((c) => scores.has(c)));
  } else {
    names = dataset.columns.filter((c) => c !== options.idColumn);
  }
  return { names: [...new Set(names)].filter((c) => c !== byColumn), dropIfConstant };
}

export async function describe(dataset: Dataset, options: DescribeOptions): Promise<DescribeOutput> {
  const forced = new Set<string>();
  for (const name of options.categorical) forced.add(dataset.columns[dataset.resolve(name, option('categorical'))]);

  const byColumn = options.by === null ? null : dataset.resolve(options.by, option('by'));
  const byName = byColumn === null ? null : dataset.columns[byColumn];
  const roles = roleNames(dataset);

  let chosen: Array<{ name: string; role: string | null; column: number; dropIfConstant: boolean }>;
  if (options.vars !== null) {
    if (options.vars.length === 0) throw new UsageError(words`${option('vars')} names no column, give at least one, e.g. ${option('vars')} age,sex`);
    const seen = new Set<string>();
    chosen = options.vars.map((typed) => {
      const column = dataset.resolve(typed, option('vars'));
      const name = dataset.columns[column];
      if (seen.has(name)) throw new UsageError(words`${option('vars')} names ${name} twice, name each variable once`);
      if (name === byName) throw new UsageError(words`${option('vars')} names the ${option('by')} column ${name}, which makes the groups; leave it out of ${option('vars')}`);
      seen.add(name);
      return { name, role: dataset.roleOf(typed) ?? roles.get(name) ?? null, column, dropIfConstant: false };
    });
  } else {
    const { names, dropIfConstant } = defaultVariables(dataset, options, byName);
    if (names.length === 0) throw new UsageError(words`no columns to describe besides ${options.idColumn}${byName ? ` and ${byName}` : ''}, name them with ${option('vars')}`);
    chosen = names.map((name) => ({
      name,
      role: roles.get(name) ?? null,
      column: dataset.resolve(name, option('vars')),
      dropIfConstant: dropIfConstant.has(name),
    }));
  }

  const vars: Summarised[] = chosen.map((c) => ({
    ...c,
    categorical: forced.has(c.name) ? true : dataset.isNumberColumn(c.column) ? false : null,
    forced: forced.has(c.name),
    evidence: newEvidence(),
    numberColumn: dataset.isNumberColumn(c.column),
    values: new Float64Column(),
    counts: new Map(),
    missing: [0],
  }));

  // Group index per row: 0 = missing `by`, 1 + i = the i-th level in order of appearance.
  const groupRows = new Int32Column();
  const levelIndex = new Map<string, number>();
  const levelNames: string[] = [];
  const rowsPerGroup: number[] = [0];
  let rows = 0;

  dataset.atEnd(() => {
    for (const v of vars) {
      const error = v.forced ? null : columnTypeError({ ...v, flag: options.vars !== null ? option('vars') : words`Table 1`, numeric: false }, dataset.format, dataset.input.source);
      if (error !== null) throw error;
    }
  });
  // Table 1's own reading loop, not the floor's readSample (judged in issue 19): a description of every row read is not
  // a model frame. readSample gives per stratum the rows complete on the members and drops rows missing the stratum;
  // here no row is dropped, each variable counts its own missing values, and rows missing --by stay in "All". Through
  // readSample that would be `complete: []`, `by: null` and --by as one more member, leaving it nothing to do but the
  // loop, while holding every variable as a column of 8 bytes a row where this keeps counts per level for the
  // categorical ones (the default on a file that is not a CanRelax export is every column). What must agree with the
  // floor is shared with it: a column's type from its whole column (data/variables.ts columnTypeError, noteCell) and
  // the level of a cell (data/levels.ts levelKey, levelComparator). --missing mi does read through the floor
  // (describeImputed: completedSamples).
  await dataset.forEach((row) => {
    let g = 0;
    if (byColumn !== null && !row.isMissing(byColumn)) {
      const key = levelKey(row, byColumn);
      let found = levelIndex.get(key);
      if (found === undefined) {
        levelNames.push(key);
        found = levelNames.length;
        levelIndex.set(key, found);
        rowsPerGroup.push(0);
        for (const v of vars) v.missing.push(0);
      }
      g = found;
    }
    rowsPerGroup[g]++;
    rows++;
    groupRows.push(g);
    for (const v of vars) {
      if (row.isMissing(v.column)) {
        v.missing[g]++;
        if (v.categorical !== true) v.values.push(NaN);
        continue;
      }
      // Type from the whole column (as data/variables.ts): the first value decides for now, every cell is counted.
      const value = v.forced ? NaN : row.numOrText(v.column);
      const text = !v.forced && row.wasText;
      if (!v.forced && !text && Number.isNaN(value)) {
        // A numeric missing code written another way (--na -99 and "-99.0").
        v.missing[g]++;
        if (v.categorical !== true) v.values.push(NaN);
        continue;
      }
      if (!v.forced) {
        noteCell(v.evidence, !text, row, v.column);
        if (v.categorical === null) {
          v.categorical = text;
          // Rows before this one were all missing: a categorical variable needs no numeric placeholders.
          if (v.categorical) v.values = new Float64Column();
        }
      }
      if (v.categorical) {
        const key = levelKey(row, v.column);
        let counts = v.counts.get(key);
        if (!counts) {
          counts = new Array(rowsPerGroup.length).fill(0);
          v.counts.set(key, counts);
        }
        while (counts.length <= g) counts.push(0);
        counts[g]++;
      } else {
        // Text in a numeric column: NaN here, an error once every row is read.
        v.values.push(value);
      }
    }
  });

  if (rows === 0) {
    throw new DataError(words`no rows left${dataset.whereText ? words` after ${option('where')} ${dataset.whereText}` : ''}, ${dataset.input.source}, loosen the filter`);
  }
  if (byColumn !== null && levelNames.length === 0) {
    throw new DataError(words`no rows with a value of ${byName} to group by, ${dataset.input.source}, choose another ${option('by')} column`);
  }

  // Groups in sort order: position p ↔ group index order[p].
  const order = levelNames
    .map((name, i) => ({ name, index: i + 1 }))
    .sort((a, b) => levelComparator(dataset.labelCodes.get(byColumn!))(a.name, b.name));
  const groups = order.map((o) => o.name);

  const notes: Wording[] = [];
  const kept = vars.filter((v) => {
    if (!v.dropIfConstant || v.categorical !== true || v.counts.size > 1) return true;
    const only = [...v.counts.keys()];
    notes.push(`${v.name} left out: ${only.length === 0 ? 'no values' : `a single level (${only[0]})`} in the rows described`);
    return false;
  });

  const gIndex = groupRows.view();
  const variables: DescribedVariable[] = kept.map((v) => {
    const kind: 'numeric' | 'categorical' = v.categorical === true ? 'categorical' : 'numeric';
    const missingIn = (g: number | null) => (g === null ? v.missing.reduce((a, b) => a + b, 0) : v.missing[g] ?? 0);
    let summarise: (g: number | null) => VariableSummary;
    if (kind === 'numeric') {
      const values = v.values.view();
      summarise = (g) => {
        const picked: number[] = [];
        for (let i = 0; i < values.length; i++) {
          const x = values[i];
          if (x === x && (g === null || gIndex[i] === g)) picked.push(x);
        }
        return summariseNumeric(Float64Array.from(picked), missingIn(g));
      };
    } else {
      const levels = [...v.counts.keys()].sort(levelComparator(dataset.labelCodes.get(v.column)));
      summarise = (g) => {
        const countOf = (level: string) => {
          const counts = v.counts.get(level)!;
          return g === null ? counts.reduce((a, b) => a + b, 0) : counts[g] ?? 0;
        };
        const n = levels.reduce((a, level) => a + countOf(level), 0);
        return {
          n,
          missing: missingIn(g),
          levels: levels.map((level) => {
            const count = countOf(level);
            return { level, count, percent: n > 0 ? 100 * (count / n) : null };
          }),
        };
      };
    }
    const described: DescribedVariable = { name: v.name, ...(v.role ? { role: v.role } : {}), kind, overall: summarise(null) };
    if (byColumn !== null) described.by_group = Object.fromEntries(order.map((o) => [o.name, summarise(o.index)]));
    return described;
  });

  return {
    by: byName,
    groups,
    group_rows: Object.fromEntries(order.map((o) => [o.name, rowsPerGroup[o.index]])),
    rows,
    missing_by: byColumn === null ? null : rowsPerGroup[0],
    variables,
    notes,
  };
}

/**
 * describe --missing mi: the numeric variables described (the --by column as the stratum, so each group is imputed
 * on its own: frame/completed.ts) imputed M times from a second read of the data, their means pooled by Rubin's
 * rules (poolCoefficient, U = s²/n, ν_com = n − 1) and their SDs averaged (PooledMean), overall and per group;
 * added to `output` as `mi`. Rows missing --by
 * are not imputed (they are in "All" of the observed summary only).
 */
export async function describeImputed(dataset: Dataset, output: DescribeOutput, options: DescribeOptions, missing: MissingOptions): Promise<void> {
  const variables = new VariableSet(dataset, options.categorical);
  const numeric = output.variables.filter((v) => v.kind === 'numeric');
  if (numeric.length === 0) throw new UsageError(words`${option('missing')} mi imputes numeric variables, and none is described; name some in ${option('vars')}`);
  const analysed = numeric.map((v) => variables.add(v.name, option('vars')));
  for (const v of analysed) variables.list[v].categorical = false;
  const by = output.by === null ? null : variables.add(output.by, option('by'));
  if (by !== null) variables.list[by].categorical = true;
  const completed = await completedSamples(dataset, { variables, members: analysed, by }, missing);
  output.imputation = completed.summary;
  if (completed.nothingMissing) return;
  // Per variable and group (−1 = all rows imputed, in file order): the per-imputation means and SDs.
  const strata = completed.strata;
  const groups = [-1, ...strata.map((_, s: number) => s)];
  const stats = numeric.map(() => groups.map(() => ({ means: [] as number[], sds: [] as number[], n: 0 })));
  for (const samples of completed.each()) {
    numeric.forEach((_, j) => {
      groups.forEach((g, k) => {
        const summary = summariseNumeric(g === -1 ? inFileOrder(samples, j) : samples[g].columns[j].values(), 0);
        const cell = stats[j][k];
        cell.n = summary.n;
        cell.means.push(summary.mean!);
        cell.sds.push(summary.sd ?? NaN);
      });
    });
  }
  numeric.forEach((v, j) => {
    groups.forEach((g, k) => {
      const { means, sds, n } = stats[j][k];
      if (n < 2) return;
      const pooled = poolCoefficient(means, sds.map((sd) => (sd * sd) / n), n - 1);
      const mi: PooledMean = { n, mean: pooled.estimate, se: pooled.se, ci: pooled.ci, df: pooled.pooled.df, fmi: pooled.pooled.fmi, sd: sds.reduce((a, b) => a + b, 0) / sds.length };
      const target = g === -1 ? v.overall : v.by_group?.[strata[g]!];
      if (target) (target as NumericSummary).mi = mi;
    });
  });
}

/** Member j's values over every stratum's sample, in the file's row order. */
function inFileOrder(samples: Sample[], j: number): Float64Array {
  const rows = samples.flatMap((s) => {
    const values = s.columns[j].values();
    return Array.from(s.rows, (row, i) => [row, values[i]]);
  });
  rows.sort((p, q) => p[0] - q[0]);
  return Float64Array.from(rows, ([, value]) => value);
}
