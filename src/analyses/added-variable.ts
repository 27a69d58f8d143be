/**
 * Added-variable (partial regression) plot data: for each x, the residuals of x and of y on [1, Z] over the rows
 * the partial correlation uses. The correlation of the two residual vectors is the partial r; the slope of y's
 * residuals on x's is the coefficient of x in lm(y ~ x + Z) (Frisch–Waugh–Lovell).
 *
 * Rows and coding as `correlate` and `model`: values read through the same VariableSet; listwise over x, y and
 * the covariates per x; [1, Z] built by src/data/design.ts (categorical covariates treatment-coded over the levels
 * present in the rows used: reference level, --ref, level cap, R's names). Residuals come from the OLS code (fitOls,
 * pivoted QR, lm's aliasing). One pass over the Dataset (frame/sample.ts readSample, every row kept), holding only
 * these columns.
 */
import { option } from '../errors';
import type { Dataset } from '../data/dataset';
import { Design } from '../data/design';
import { VariableSet } from '../data/variables';
import { readSample } from '../frame/sample';
import { fitOls } from '../stats/ols';

export interface AddedVariablePoint {
  id: string;
  /** Residual of x on [1, Z]. */
  x: number;
  /** Residual of y on [1, Z]. */
  y: number;
  /** The row's level of the grouping column (colours the points), or null. */
  group: string | null;
}

export interface AddedVariable {
  /** x as named in the plan (role or column) and its column. */
  x: string;
  column: string;
  n: number;
  /** Slope of the y residuals on the x residuals (= b of x in the full model); null when x has no residual variance. */
  slope: number | null;
  /** Correlation of the residuals (= the partial r). */
  r: number | null;
  /** The columns of Z as coded (R's names, `sexmale`), the intercept left out. */
  covariates: string[];
  /**
   * Standard error of the slope as lm(y ~ x + Z) gives it: the added-variable regression has the full model's
   * residuals (Frisch–Waugh–Lovell), so SE(b) = sqrt(RSS / df) / sqrt(Σ x̃²), df = n − rank([1, Z]) − 1
   * (Davidson & MacKinnon 2004, §2.4). Null with the slope, or when df = 0.
   */
  se: number | null;
  /** Residual degrees of freedom of the full model. */
  df: number;
  points: AddedVariablePoint[];
}

export async function addedVariables(
  dataset: Dataset,
  options: {
    x: string[];
    y: string;
    covariates: string[];
    group: string | null;
    idColumn: string;
    /** As correlate's and model's --ref and --categorical (none when absent). */
    ref?: ReadonlyMap<string, string>;
    categorical?: ReadonlySet<string>;
  },
): Promise<AddedVariable[]> {
  // Read as correlate reads them (VariableSet): x and y numeric, covariates numeric or categorical.
  const vars = new VariableSet(dataset, options.categorical ?? new Set());
  const xs = options.x.map((name) => vars.add(name, option('x')));
  const y = vars.add(options.y, option('y'));
  for (const v of [...xs, y]) vars.list[v].categorical = false;
  const covs = options.covariates.map((name) => vars.add(name, option('adjust'))).filter((c) => c !== y && !xs.includes(c));
  const group = options.group === null ? null : vars.add(options.group, option('by'));
  const members = vars.list.map((_, v) => v);
  // Every row, NaN where missing: each x has its own complete rows.
  const [sample] = (await readSample(dataset, { variables: vars, members, complete: [], by: null, idColumn: dataset.columns.indexOf(options.idColumn), needs: '' })).samples;
  const held = sample.columns.map((c) => c.values());
  const ids = sample.ids;
  const groupOf = (r: number): string | null => {
    if (group === null) return null;
    const value = held[group][r];
    if (value !== value) return null;
    const variable = vars.list[group];
    // A level's key as levels.ts levelKey makes it: a number's shortest text, or the trimmed text.
    return variable.categorical ? variable.levelNames[value] : String(value);
  };

  return xs.map((x, i) => {
    const used = [x, y, ...covs.filter((c) => c !== x)];
    const rows: number[] = [];
    for (let r = 0; r < sample.n; r++) if (used.every((m) => held[m][r] === held[m][r])) rows.push(r);
    const n = rows.length;
    const pick = (v: number) => Float64Array.from(rows, (r) => held[v][r]);
    const design = new Design(n, { ref: options.ref ?? new Map(), stratum: null });
    design.intercept();
    for (const c of used.slice(2)) design.term(vars.list[c], pick(c));
    const { columns, names } = design;
    const base = { x: options.x[i], column: vars.list[x].name, n, covariates: names.slice(1) };
    if (n === 0) return { ...base, slope: null, r: null, se: null, df: 0, points: [] };
    const fitX = fitOls(columns, names, pick(x));
    const ex = fitX.residuals;
    const ey = fitOls(columns, names, pick(y)).residuals;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let j = 0; j < n; j++) {
      sxx += ex[j] * ex[j];
      syy += ey[j] * ey[j];
      sxy += ex[j] * ey[j];
    }
    const slope = sxx > 0 ? sxy / sxx : null;
    const df = fitX.dfResidual - (slope === null ? 0 : 1);
    let rss = 0;
    if (slope !== null) for (let j = 0; j < n; j++) rss += (ey[j] - slope * ex[j]) ** 2;
    return {
      ...base,
      slope,
      r: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null,
      se: slope !== null && df > 0 ? Math.sqrt(rss / df / sxx) : null,
      df,
      points: rows.map((r, j) => ({ id: ids[r], x: ex[j], y: ey[j], group: groupOf(r) })),
    };
  });
}
