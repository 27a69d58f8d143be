/**
 * Published against reanalysed: every value of a published-values file (src/data/published.ts) recomputed on the
 * data by the analyses the commands run — describe for means and SDs, correlate for r and partial r, model for
 * coefficients — each statistic on a fresh pass over its analysis's rows (`where`), listwise as those analyses are.
 *
 * Per value: the reanalysed value, its 95% interval, and the first verdict that holds of
 *   matches    the reanalysed value prints as the published one at its precision (rounding half up);
 *   within_ci  the published value lies in the reanalysis interval;
 *   differs    neither.
 * Intervals: t for a mean, m ± t(n − 1, .975)·s/√n; χ² for an SD, [s·√((n − 1)/χ²(.975, n − 1)), s·√((n − 1)/χ²(.025,
 * n − 1))]; Fisher z for r and partial r (correlate's, se = 1/√(n − 3 − k)); the model's t interval for a coefficient;
 * none for a count of rows (matches or differs).
 * Per claim: the estimate and its p, the comparisons (with the Fisher z test of the difference of two independent
 * correlations and Zou's interval, as correlate --by reports them), and whether every condition holds.
 *
 * Never throws for a problem of the data: a value that cannot be computed (a column missing, no usable rows — e.g.
 * the waitlist arm, which has no WAI-I answers) gets reanalysed null, verdict null and the reason.
 */
import { CliError, joinedWords, words, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import { matchesPrinted, type Published, type StatisticSpec } from '../data/published';
import { correlate } from './correlate';
import { describe, type NumericSummary } from './describe';
import { model } from './model';
import { chisqQuantile, tQuantile } from '../stats/quantiles';
import { fisherDifference } from '../stats/compare';

/** Fresh Datasets over the same input, filtered by `where` (a report's source is one). */
export interface DatasetSource {
  open(where: string | null): Promise<Dataset>;
}

export type Verdict = 'matches' | 'within_ci' | 'differs';

export interface Estimate {
  value: number | null;
  /** Rows the statistic used. */
  n: number | null;
  /** Covariates (correlations): the k of n − 3 − k. */
  k: number | null;
  p: number | null;
  ci: [number, number] | null;
  reason?: Wording;
}

export interface ValueCheck {
  quantity: string;
  statistic: string;
  analysis: string;
  published: number;
  precision: number;
  reanalysed: number | null;
  n: number | null;
  ci: [number, number] | null;
  verdict: Verdict | null;
  reason?: Wording;
}

export interface ClaimComparison {
  analysis: string;
  estimate: number | null;
  /** Fisher z test of estimate − this (independent correlations); null when not two correlations. */
  difference: { z: number; p: number; difference: number; ci: [number, number] } | null;
}

export interface ClaimCheck {
  claim: string;
  test: string;
  analysis: string;
  estimate: number | null;
  p: number | null;
  n: number | null;
  compared: ClaimComparison[];
  supported: boolean | null;
  reason?: Wording;
}

export interface PublishedCheck {
  values: ValueCheck[];
  claims: ClaimCheck[];
}

const CI_LEVEL = 0.95;

export async function checkPublished(source: DatasetSource, published: Published): Promise<PublishedCheck> {
  const cache = new Map<string, Promise<Estimate>>();
  const estimate = (spec: StatisticSpec): Promise<Estimate> => {
    const key = JSON.stringify([spec.statistic, spec.analysis.id, spec.variable, spec.x, spec.y, spec.term]);
    let result = cache.get(key);
    if (result === undefined) cache.set(key, (result = compute(source, spec)));
    return result;
  };

  const values: ValueCheck[] = [];
  for (const v of published.values) {
    const e = await estimate(v);
    values.push({
      quantity: v.quantity,
      statistic: v.statistic,
      analysis: v.analysis.label,
      published: v.published,
      precision: v.precision,
      reanalysed: e.value,
      n: e.n,
      ci: e.ci,
      verdict: e.value === null ? null : verdict(e.value, e.ci, v.published, v.precision),
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
    });
  }

  const claims: ClaimCheck[] = [];
  for (const c of published.claims) {
    const e = await estimate(c.estimate);
    const compared: ClaimComparison[] = [];
    const reasons: Wording[] = e.reason !== undefined ? [e.reason] : [];
    const conditions: boolean[] = [];
    if (e.value !== null) {
      if (c.sign !== null) conditions.push(c.sign === 'positive' ? e.value > 0 : e.value < 0);
      if (c.pBelow !== null || c.pAtLeast !== null) {
        if (e.p === null) reasons.push('no p for the estimate');
        else conditions.push(c.pBelow !== null ? e.p < c.pBelow : e.p >= c.pAtLeast!);
      }
    }
    for (const [specs, below] of [[c.below, true], [c.above, false]] as const) {
      for (const spec of specs) {
        const other = await estimate(spec);
        compared.push({ analysis: spec.analysis.label, estimate: other.value, difference: difference(c.estimate.statistic, e, other) });
        if (other.value === null) reasons.push(words`${spec.analysis.label}: ${other.reason ?? 'not computed'}`);
        else if (e.value !== null) conditions.push(below ? e.value < other.value : e.value > other.value);
      }
    }
    claims.push({
      claim: c.claim,
      test: c.test,
      analysis: c.estimate.analysis.label,
      estimate: e.value,
      p: e.p,
      n: e.n,
      compared,
      supported: reasons.length > 0 ? null : conditions.every(Boolean),
      ...(reasons.length > 0 ? { reason: joinedWords(reasons, '; ') } : {}),
    });
  }
  return { values, claims };
}

/** The first verdict that holds (see the top of the file). */
export function verdict(value: number, ci: [number, number] | null, published: number, precision: number): Verdict {
  if (matchesPrinted(value, published, precision)) return 'matches';
  if (ci !== null && ci[0] <= published && published <= ci[1]) return 'within_ci';
  return 'differs';
}

/** Two correlations from independent samples (different strata): the Fisher z difference. */
function difference(statistic: string, a: Estimate, b: Estimate): ClaimComparison['difference'] {
  if (statistic !== 'r' && statistic !== 'partial_r') return null;
  if (a.value === null || b.value === null || Math.abs(a.value) >= 1 || Math.abs(b.value) >= 1) return null;
  if (a.n! - 3 - a.k! <= 0 || b.n! - 3 - b.k! <= 0) return null;
  return fisherDifference({ r: a.value, n: a.n!, k: a.k! }, { r: b.value, n: b.n!, k: b.k! }, CI_LEVEL);
}

async function compute(source: DatasetSource, spec: StatisticSpec): Promise<Estimate> {
  const none = (reason: Wording): Estimate => ({ value: null, n: null, k: null, p: null, ci: null, reason });
  try {
    const dataset = await source.open(spec.analysis.where);
    switch (spec.statistic) {
      case 'rows': {
        await dataset.forEach(() => undefined);
        const n = dataset.counts.kept;
        return { value: n, n, k: null, p: null, ci: null };
      }
      case 'mean':
      case 'sd': {
        const out = await describe(dataset, { vars: [spec.variable!], by: null, categorical: new Set(), idColumn: 'id' });
        const described = out.variables[0];
        const name = described.name === spec.variable ? described.name : `${spec.variable} (${described.name})`;
        if (described.kind !== 'numeric') return none(`${name} is not numeric`);
        const summary = described.overall as NumericSummary;
        return spec.statistic === 'mean' ? meanEstimate(summary, name) : sdEstimate(summary, name);
      }
      case 'r':
      case 'partial_r': {
        const out = await correlate(dataset, {
          x: [spec.x!],
          y: [spec.y!],
          adjust: spec.statistic === 'r' ? [] : spec.analysis.adjust,
          method: 'pearson',
          by: null,
          ciLevel: CI_LEVEL,
          alternative: 'two-sided',
          pAdjust: 'none',
          semi: null,
          bootstrap: null,
          seed: 1,
          ref: new Map(),
          categorical: new Set(),
          listExcluded: false,
          idColumn: 'id',
        });
        const r = out.results[0];
        if (r.r === null) return { ...none(r.reason ?? 'not defined'), n: r.n };
        return { value: r.r, n: r.n, k: r.k, p: r.p, ci: r.ci };
      }
      case 'coefficient': {
        const out = await model(dataset, {
          y: spec.y!,
          x: [spec.x!],
          adjust: spec.analysis.adjust,
          interaction: spec.analysis.interaction,
          by: null,
          categorical: new Set(),
          ref: new Map(),
          robust: null,
          standardize: false,
          ciLevel: CI_LEVEL,
          idColumn: 'id',
        });
        const fit = out.models[0];
        const name = spec.term ?? dataset.columnName(spec.x!);
        const term = fit.terms.find((t) => t.term === name);
        if (term === undefined) return { ...none(`the model has no term "${name}" (terms: ${fit.terms.map((t) => t.term).join(', ')})`), n: fit.n };
        if (term.estimate === null) return { ...none(`term "${name}" is aliased`), n: fit.n };
        return { value: term.estimate, n: fit.n, k: null, p: term.p, ci: term.ci };
      }
    }
  } catch (error) {
    // A problem of the data or of the names (a column missing, no usable rows): reported, never thrown.
    if (error instanceof CliError) return none(error.wording);
    throw error;
  }
}

/** Mean with its t interval: m ± t(n − 1, 1 − α/2)·s/√n. */
function meanEstimate(s: NumericSummary, variable: string): Estimate {
  if (s.mean === null) return { value: null, n: 0, k: null, p: null, ci: null, reason: `no rows with a value of ${variable}` };
  if (s.sd === null) return { value: s.mean, n: s.n, k: null, p: null, ci: null };
  const half = tQuantile(1 - (1 - CI_LEVEL) / 2, s.n - 1) * (s.sd / Math.sqrt(s.n));
  return { value: s.mean, n: s.n, k: null, p: null, ci: [s.mean - half, s.mean + half] };
}

/** SD with its χ² interval: s·√((n − 1)/χ²(1 − α/2, n − 1)) to s·√((n − 1)/χ²(α/2, n − 1)). */
function sdEstimate(s: NumericSummary, variable: string): Estimate {
  if (s.sd === null) return { value: null, n: s.n, k: null, p: null, ci: null, reason: `fewer than 2 rows with a value of ${variable}` };
  const df = s.n - 1;
  const alpha = 1 - CI_LEVEL;
  const lo = s.sd * Math.sqrt(df / chisqQuantile(1 - alpha / 2, df));
  const hi = s.sd * Math.sqrt(df / chisqQuantile(alpha / 2, df));
  return { value: s.sd, n: s.n, k: null, p: null, ci: [lo, hi] };
}
