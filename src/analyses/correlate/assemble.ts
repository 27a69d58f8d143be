/**
 * A correlate result from an analysis's coded variables (either engine's), and the comparisons of strata.
 */
import type { Wording } from '../../errors';
import type { Dataset } from '../../data/dataset';
import type { Variable } from '../../data/variables';
import { partialCorrelation, residualSquares, semiPartialCorrelation, PartialResult } from '../../stats/partial';
import { correlationTest, ppcorSemiPartialTest } from '../../stats/inference';
import { fisherDifference, heterogeneity } from '../../stats/compare';
import type { BootstrapResult } from '../../stats/bootstrap';
import { partialCorrelationBF } from '../../stats/bayes';
import type { Analysis, Coded, Comparison, CorrelateOptions, CorrelateResult, Heterogeneity } from './types';
import { untested } from './types';

/** The result of one analysis from its coded variables: partial and zero-order r, tests, semi-partial, BF, bootstrap. */
export async function assemble(a: Analysis, coded: Coded, vars: Variable[], options: CorrelateOptions, dataset: Dataset, notes: Wording[] = []): Promise<CorrelateResult> {
  const xName = vars[a.x].name;
  const yName = vars[a.y].name;
  const excluded: CorrelateResult['excluded'] = a.excluded.summary();
  if (options.listExcluded) excluded.ids = a.ids;
  const base = { ...roleLabels(dataset, options, xName, yName), stratum: a.stratum };
  const { moments: m, x: xi, y: yi } = coded;
  const partial: PartialResult =
    a.n === 0 ? { r: null, n: 0, k: coded.z.length, dropped: [], reason: 'no rows with x, y and every covariate present' } : partialCorrelation(m, xi, yi, coded.z);
  const dropped = new Set(partial.dropped);
  const keptZ = coded.z.filter((_, i) => !dropped.has(i));
  const result: CorrelateResult = {
    ...base,
    covariates: coded.names.filter((_, i) => !dropped.has(i)),
    dropped_covariates: partial.dropped.map((i) => coded.names[i]),
    k: partial.k,
    n: a.n,
    excluded,
    ...untested(),
  };
  // Zero-order r on the same rows.
  if (a.n > 0) {
    const zero = partialCorrelation(m, xi, yi, []);
    if (zero.r !== null) {
      const test = correlationTest(zero.r, a.n, 0, { alternative: options.alternative, ciLevel: options.ciLevel });
      result.zero_order = { r: zero.r, p: test.p, ci: test.ci };
    }
  }
  if (partial.r === null) {
    result.reason = partial.reason;
    result.df = a.n - 2 - partial.k > 0 ? a.n - 2 - partial.k : null;
    return result;
  }
  const test = correlationTest(partial.r, a.n, partial.k, { alternative: options.alternative, ciLevel: options.ciLevel });
  Object.assign(result, { df: test.df, r: partial.r, t: test.t, p: test.p, ci: test.ci });
  // y an exact linear function of x and the covariates: |r| = 1 up to the rounding of the residual sums of squares
  // (1 − r² below PERFECT_FIT), so t = r·sqrt(df / (1 − r²)) is infinite, or a huge number rounding made finite; it is
  // reported as ∞ (null in JSON, which cannot hold ∞), p as computed (its limit, 0).
  const perfect = 1 - partial.r * partial.r < PERFECT_FIT;
  if (perfect) {
    result.t = null;
    addNote(notes, `${yName} is an exact linear function of ${xName}${keptZ.length > 0 ? ' and the covariates' : ''}${a.stratum === null ? '' : ` (${a.stratum})`}: r = ${partial.r < 0 ? -1 : 1}, t is infinite (null in JSON, ∞ in tables)`);
  }
  if (options.semi !== null) {
    const semi = semiPartialCorrelation(m, xi, yi, keptZ, options.semi);
    result.semi = {
      residualised: options.semi === 'x' ? xName : yName,
      r: semi.r,
      ppcor: semi.r === null ? null : ppcorSemiPartialTest(semi.r, a.n, partial.k),
      unique: { t: test.t, df: test.df, p: test.p },
    };
  }
  if (options.bayes) {
    // R²(y | Z) from the residual sum of squares of y; R²(y | x, Z) = 1 − (1 − R²(y | Z))(1 − r²).
    const tss = m.m2[yi * m.p + yi];
    const reduced = tss > 0 ? 1 - residualSquares(m, yi, keptZ) / tss : 0;
    const full = 1 - (1 - reduced) * (1 - partial.r * partial.r);
    // R²(y | x, Z) = 1: the evidence for the full model is unbounded, BF₁₀ = ∞ (null in JSON).
    if (perfect || full >= 1) {
      result.bf10 = null;
      addNote(notes, `BF10 of ${xName} with ${yName}${a.stratum === null ? '' : ` (${a.stratum})`} is infinite (a perfect fit; null in JSON, ∞ in tables)`);
    } else result.bf10 = partialCorrelationBF(a.n, partial.k, full, reduced);
  }
  if (options.bootstrap !== null && coded.columns !== null) {
    // The resampling engine (and its random generator) is imported when --bootstrap asks for it.
    const { bootstrapPartial } = await import('../../stats/bootstrap');
    const progress = options.phase?.(`bootstrap r(${xName}, ${yName})${a.stratum === null ? '' : `, ${a.stratum}`}`) ?? null;
    const boot: BootstrapResult = bootstrapPartial(coded.columns, 0, 1, keptZ, {
      resamples: options.bootstrap,
      seed: options.seed,
      ciLevel: options.ciLevel,
      ranks: options.method === 'spearman',
      onResample: progress ? (done, total) => progress.advance(done, total, 'resamples') : undefined,
    });
    progress?.done();
    result.bootstrap = {
      resamples: boot.resamples,
      failed: boot.failed,
      seed: options.seed,
      percentile: boot.percentile,
      bca: boot.bca,
      ...(boot.reason ? { reason: boot.reason } : {}),
    };
  }
  return result;
}

/** 1 − r² below this is a perfect fit (r = ±1 but for rounding: 1 − r² of two ulps below 1 is 4.4e-16). */
const PERFECT_FIT = 1e-12;

function addNote(notes: Wording[], note: string): void {
  if (!notes.includes(note)) notes.push(note);
}

/** x and y by column name, with the role typed (x_role, y_role) when it named another column. */
export function roleLabels(dataset: Dataset, options: CorrelateOptions, xName: string, yName: string): Pick<CorrelateResult, 'x' | 'x_role' | 'y' | 'y_role'> {
  const xRole = dataset.roleOf(options.x.find((n) => dataset.columnName(n) === xName) ?? xName);
  const yRole = dataset.roleOf(options.y.find((n) => dataset.columnName(n) === yName) ?? yName);
  return { x: xName, ...(xRole ? { x_role: xRole } : {}), y: yName, ...(yRole ? { y_role: yRole } : {}) };
}

/**
 * Per (x, y): Fisher's z difference of every pair of strata and, with more than two, Cochran's Q across them, over
 * the strata whose r is defined and below 1 in magnitude. `strata` is in level order, each with its analyses
 * in pair order.
 */
export function compareStrata(
  pairs: number,
  strata: Array<[string | null, Analysis[]]>,
  resultFor: Map<Analysis, CorrelateResult>,
  ciLevel: number,
): { comparisons: Comparison[]; heterogeneity: Heterogeneity[] } {
  const comparisons: Comparison[] = [];
  const heterogeneities: Heterogeneity[] = [];
  for (let p = 0; p < pairs; p++) {
    const usable = strata
      .map(([level, analyses]) => ({ level: level!, result: resultFor.get(analyses[p])! }))
      .filter(({ result }) => result.r !== null && Math.abs(result.r) < 1);
    for (let i = 0; i < usable.length; i++) {
      for (let j = i + 1; j < usable.length; j++) {
        const a = usable[i].result;
        const b = usable[j].result;
        const d = fisherDifference({ r: a.r!, n: a.n, k: a.k }, { r: b.r!, n: b.n, k: b.k }, ciLevel);
        comparisons.push({ x: a.x, y: a.y, strata: [usable[i].level, usable[j].level], ...d });
      }
    }
    if (usable.length > 2) {
      const h = heterogeneity(usable.map(({ result }) => ({ r: result.r!, n: result.n, k: result.k })));
      heterogeneities.push({ x: usable[0].result.x, y: usable[0].result.y, ...h });
    }
  }
  return { comparisons, heterogeneity: heterogeneities };
}
