/**
 * correlate with --missing mi: every (x, y, stratum) analysis on each of M completed data sets, pooled by Rubin's
 * rules on Fisher's z through the floor's one "fit each, pool" step (frame/completed.ts fitEachPool, as mice's with() +
 * pool()): each fit's estimate zᵢ = atanh(rᵢ) with its variance Wᵢ = 1/(n − 3 − kᵢ) and the complete-data df
 * ν_com = n − 2 − k (stats/pool.ts fisherZ), Barnard–Rubin ν; back on the r scale by `correlationOnZ`.
 *
 * - Imputation (frame/completed.ts completedSamples): the analysis variables and --auxiliary columns, within each
 *   --impute-by group and --by stratum. After imputation every row of a stratum is complete, so an analysis uses all
 *   of them.
 * - Per imputation and stratum, one design (src/data/design.ts: covariates coded as in the listwise engines; ranked
 *   for Spearman) and its co-moments are kept — p × p numbers, not the data — so memory stays flat in M.
 * - --mnar-delta (van Buuren 2018, §9.2, post-imputation shift): δ × SD(observed y of the stratum), or δ raw, is
 *   added to every imputed y. The co-moments carry a column marking the imputed y rows, so each δ is exact without
 *   re-imputing: CoMoments.shifted(y, marker, δ) is the co-moments of y + δ·marker. Tipping points (stats/tipping.ts)
 *   search δ in SD units the same way.
 * - Stratum differences: pooled z̄ᵢ with total variances Tᵢ (stats/compare.ts `pooledDifference`).
 * - With nothing missing there is nothing to pool: the complete-data (listwise) result is given, with a warning.
 */
import { UsageError, option, words } from '../../errors';
import type { Dataset } from '../../data/dataset';
import { Design } from '../../data/design';
import { coMomentsOf, CoMoments } from '../../stats/moments';
import { partialCorrelation, type PartialResult } from '../../stats/partial';
import { correlationTest } from '../../stats/inference';
import { correlationOnZ, fisherZ, poolCorrelation, type PooledCoefficient, type PooledCorrelation } from '../../stats/pool';
import { tippingPoints } from '../../stats/tipping';
import { averageRanks } from '../../stats/rank';
import { pooledDifference, pooledHeterogeneity, PooledSummary } from '../../stats/compare';
import { pAdjustWithMissing } from '../../stats/padjust';
import type { ImputationSetUp, MissingOptions } from '../../frame/missing';
import { completedSamples, fitEachPool, type Coefficient } from '../../frame/completed';
import { columnOf, type Sample } from '../../frame/sample';
import { roleLabels } from './assemble';
import type { Comparison, CorrelateOptions, CorrelateOutput, CorrelateResult, CorrelateVariables, Heterogeneity } from './types';
import { untested } from './types';

/** One stratum's design layout (the same in every imputation) and its co-moments per imputation. */
interface StratumDesign {
  name: string | null;
  rows: Int32Array;
  /** Design column of each x and y variable. */
  at: Map<number, number>;
  /** Design columns of the covariates, and their names. */
  z: number[];
  names: string[];
  /** Design column marking the imputed rows of each y variable. */
  marker: Map<number, number>;
  moments: CoMoments[];
}

export async function correlateImputed(
  dataset: Dataset,
  options: CorrelateOptions,
  missing: MissingOptions,
  resolved: CorrelateVariables,
): Promise<CorrelateOutput> {
  const { variables, xs, ys, covs, byVar, pairs, notes } = resolved;
  const vars = variables.list;
  if (options.bootstrap !== null) throw new UsageError(words`${option('bootstrap')} and ${option('missing')} mi do not combine (the intervals would need a bootstrap per imputation), drop one`);
  if (options.semi !== null) throw new UsageError(words`${option('semi')} and ${option('missing')} mi do not combine yet, drop one`);
  if (options.bayes) throw new UsageError(words`${option('bayes')} and ${option('missing')} mi do not combine (no pooling rule for Bayes factors), drop one`);
  if (options.method === 'spearman' && missing.mnarDelta.length > 0) {
    throw new UsageError(words`${option('mnarDelta')} shifts y in its own units, which ranks ignore: use it with ${option('method')} pearson`);
  }
  const written = [...new Set([...xs, ...ys, ...covs])];
  const completed = await completedSamples(dataset, { variables, members: written, by: byVar, ref: byVar === null ? undefined : options.ref.get(vars[byVar].name) }, missing, options.imputationSink);
  const { setUp, nothingMissing } = completed;
  if (byVar !== null && setUp.strataNames.length < 2) {
    throw new UsageError(words`${option('by')} ${options.by} has one level (${setUp.strataNames[0]}) in the rows used, stratify by a column with at least two levels`);
  }
  const strata: StratumDesign[] = completed.strata.map((name, s) => ({ name, rows: completed.strataRows[s], at: new Map(), z: [], names: [], marker: new Map(), moments: [] }));
  // Each fit: the stratum's design and co-moments (kept for the δ shifts), and per (x, y) pair its partial r and its
  // zero-order r, given to the pooling as two Fisher z's.
  const fits = fitEachPool(
    completed,
    (sample, s): PairFit[] => {
      const stratum = strata[s];
      const moments = addDesign(stratum, sample, written, setUp, options, xs, ys, covs);
      return pairs.map(([x, y]) => {
        const [xi, yi] = [stratum.at.get(x)!, stratum.at.get(y)!];
        return { n: sample.n, partial: partialCorrelation(moments, xi, yi, stratum.z), zero: partialCorrelation(moments, xi, yi, []).r };
      });
    },
    (fit) => fit.flatMap(({ n, partial, zero }) => [fisherCoefficient(partial.r, n, partial.k), fisherCoefficient(zero, n, 0)]),
    options.ciLevel,
  );

  const results: CorrelateResult[] = [];
  const pooledOf = new Map<CorrelateResult, PooledSummary>();
  pairs.forEach(([x, y], p) => {
    strata.forEach((stratum, s) => {
      const { first, pooled } = fits[s];
      const fit = { first: first[p], partial: pooled[2 * p], zero: pooled[2 * p + 1] };
      const { result, pooled: summary } = analyse(dataset, stratum, x, y, fit, setUp, options, missing, nothingMissing);
      results.push(result);
      if (summary) pooledOf.set(result, summary);
    });
  });
  const adjusted = pAdjustWithMissing(results.map((r) => r.p), options.pAdjust);
  results.forEach((r, i) => (r.p_adjusted = adjusted[i]));

  const comparisons: Comparison[] = [];
  const heterogeneity: Heterogeneity[] = [];
  if (byVar !== null) {
    for (let p = 0; p < pairs.length; p++) {
      const usable = results
        .slice(p * strata.length, (p + 1) * strata.length)
        .filter((r) => pooledOf.has(r) && Math.abs(r.r!) < 1)
        .map((r) => ({ result: r, pooled: pooledOf.get(r)! }));
      for (let i = 0; i < usable.length; i++) {
        for (let j = i + 1; j < usable.length; j++) {
          const a = usable[i].result;
          const d = pooledDifference(usable[i].pooled, usable[j].pooled);
          comparisons.push({ x: a.x, y: a.y, strata: [a.stratum!, usable[j].result.stratum!], ...d });
        }
      }
      if (usable.length > 2) heterogeneity.push({ x: usable[0].result.x, y: usable[0].result.y, ...pooledHeterogeneity(usable.map((u) => u.pooled)) });
    }
  }
  return {
    results,
    comparisons,
    heterogeneity,
    adjust: covs.map((c) => vars[c].name),
    missingStratum: setUp.droppedRows,
    notes,
    imputation: completed.summary,
  };
}

/** One (x, y) pair on one stratum of one completed data set. */
interface PairFit {
  n: number;
  partial: PartialResult;
  zero: number | null;
}

/** A correlation as a fit's coefficient to pool: its Fisher z, W and ν_com (null when r is). */
function fisherCoefficient(r: number | null, n: number, k: number): Coefficient {
  if (r === null) return { estimate: null, variance: null, df: null };
  const { estimate, variance, dfCom } = fisherZ(r, n, k);
  return { estimate, variance, df: dfCom };
}

/**
 * One imputation's design over a stratum's rows: x's and y's, covariates coded, a marker of each y's imputed rows.
 * Its co-moments are kept in the stratum (for the δ shifts) and returned.
 */
function addDesign(
  stratum: StratumDesign,
  sample: Sample,
  members: number[],
  setUp: ImputationSetUp,
  options: CorrelateOptions,
  xs: number[],
  ys: number[],
  covs: number[],
): CoMoments {
  const vars = setUp.variables.list;
  const rows = stratum.rows;
  const column = (v: number): Float64Array => columnOf(sample, members, v);
  const ranked = (values: Float64Array): Float64Array => (options.method === 'spearman' ? averageRanks(values, values) : values);
  const design = new Design(rows.length, { ref: options.ref, stratum: stratum.name });
  const first = stratum.moments.length === 0;
  for (const v of new Set([...xs, ...ys])) {
    const at = design.numeric(vars[v], ranked(column(v))).at[0];
    if (first) stratum.at.set(v, at);
  }
  for (const c of covs) {
    const term = vars[c].categorical ? design.factor(vars[c], column(c)) : design.numeric(vars[c], ranked(column(c)));
    if (term && first) {
      stratum.z.push(...term.at);
      stratum.names.push(...term.names);
    }
  }
  for (const y of ys) {
    const original = setUp.columns[setUp.columnOf(y)].values;
    const marker = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) marker[i] = Number.isNaN(original[rows[i]]) ? 1 : 0;
    const at = design.add(`imputed ${vars[y].name}`, marker);
    if (first) stratum.marker.set(y, at);
  }
  const moments = coMomentsOf(design.columns);
  stratum.moments.push(moments);
  return moments;
}

/**
 * One (x, y, stratum) analysis: pooled (or, with nothing missing, the complete-data test), δ shifts, tipping points.
 * `fit` is the first imputation's fit and the pooled Fisher z's of the partial and the zero-order r (null where some
 * imputation has no r).
 */
function analyse(
  dataset: Dataset,
  stratum: StratumDesign,
  x: number,
  y: number,
  fit: { first: PairFit; partial: PooledCoefficient | null; zero: PooledCoefficient | null },
  setUp: ImputationSetUp,
  options: CorrelateOptions,
  missing: MissingOptions,
  nothingMissing: boolean,
): { result: CorrelateResult; pooled: PooledSummary | null } {
  const vars = setUp.variables.list;
  const xi = stratum.at.get(x)!;
  const yi = stratum.at.get(y)!;
  const n = stratum.rows.length;
  const first = fit.first.partial;
  const dropped = new Set(first.dropped ?? []);
  const original = setUp.columns[setUp.columnOf(y)].values;
  let imputedY = 0;
  for (const i of stratum.rows) if (Number.isNaN(original[i])) imputedY++;
  const result: CorrelateResult = {
    ...roleLabels(dataset, options, vars[x].name, vars[y].name),
    stratum: stratum.name,
    covariates: stratum.names.filter((_, i) => !dropped.has(i)),
    dropped_covariates: [...dropped].map((i) => stratum.names[i]),
    k: first.k ?? stratum.z.length,
    n,
    excluded: { rows: 0, by_reason: {} },
    ...untested(),
  };
  const testOptions = { ciLevel: options.ciLevel, alternative: options.alternative };
  if (nothingMissing) {
    if (first.r === null) {
      result.reason = first.reason ?? 'no rows';
      return { result, pooled: null };
    }
    const test = correlationTest(first.r, n, first.k, testOptions);
    Object.assign(result, { df: test.df, r: first.r, t: test.t, p: test.p, ci: test.ci });
    const zero = fit.first.zero;
    if (zero !== null) {
      const zeroTest = correlationTest(zero, n, 0, testOptions);
      result.zero_order = { r: zero, p: zeroTest.p, ci: zeroTest.ci };
    }
    return { result, pooled: null };
  }
  if (fit.partial === null) {
    // Some imputation has no partial r: the first that lacks one says why.
    const failed = first.r === null ? first : stratum.moments.map((m) => partialCorrelation(m, xi, yi, stratum.z)).find((p) => p.r === null);
    result.reason = failed?.reason ?? 'no rows';
    return { result, pooled: null };
  }
  const k = first.k;
  const pooled = correlationOnZ(fit.partial.pooled, testOptions);
  Object.assign(result, { df: pooled.df, r: pooled.r, t: pooled.t, p: pooled.p, ci: pooled.ci });
  const q = pooled.pooled;
  result.mi = {
    m: q.m,
    within: q.within,
    between: q.between,
    total_variance: q.total,
    riv: q.riv,
    lambda: q.lambda,
    fmi: q.fmi,
    df_com: q.dfCom,
    imputed_y: imputedY,
  };
  if (fit.zero !== null) {
    const zero = correlationOnZ(fit.zero.pooled, testOptions);
    result.zero_order = { r: zero.r, p: zero.p, ci: zero.ci };
  }
  if (missing.mnarDelta.length > 0) {
    const marker = stratum.marker.get(y)!;
    const sd = observedSd(original, stratum.rows);
    const at = (shift: number): PooledCorrelation | null => {
      const rs = stratum.moments.map((m) => partialCorrelation(shift === 0 ? m : m.shifted(yi, marker, shift), xi, yi, stratum.z).r);
      return rs.every((r) => r !== null) ? poolCorrelation(rs as number[], n, k, testOptions) : null;
    };
    result.mnar = missing.mnarDelta.map((d) => {
      const shift = d.raw ? d.value : d.value * sd;
      const shifted = at(shift);
      return { delta: d.value, raw_delta: shift, r: shifted?.r ?? null, ci: shifted?.ci ?? null, p: shifted?.p ?? null };
    });
    // A δ at which r does not exist counts as an interval containing 0.
    const tipping = tippingPoints((delta) => at(delta * sd)?.ci ?? [-1, 1]);
    result.tipping = { at_zero: tipping.atZero, up: tipping.up, down: tipping.down, sd, limit: tipping.limit, step: tipping.step, tolerance: tipping.tolerance };
  }
  return { result, pooled: { r: pooled.r, z: q.estimate, variance: q.total, ci: pooled.ci } };
}

/** Sample SD of the observed values of a column over the rows given. */
function observedSd(values: Float64Array, rows: Int32Array): number {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const i of rows) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  return count > 1 ? Math.sqrt(m2 / (count - 1)) : NaN;
}
