/**
 * The distribution functions the statistics need, from @stdlib (maintained, tested against R):
 * no hand-written special functions. Upper tails are taken from the symmetric lower tail where
 * that keeps precision (1 − cdf loses everything below 1e-16).
 *
 * Imported statically, as any module: the functions stay synchronous, and in the bundle (scripts/build.mjs) a
 * command's module graph, these included, is initialised only when that command runs. The t and chi-square
 * quantiles are a module of their own (quantiles.ts).
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';
import normalCdfStd from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStd from '@stdlib/stats-base-dists-normal-quantile';
import tCdfStd from '@stdlib/stats-base-dists-t-cdf';

export type Alternative = 'two-sided' | 'less' | 'greater';

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export const tCdf = (t: number, df: number): number => tCdfStd(t, df);

/** Standard normal P(Z ≤ z). */
export const normalCdf = (z: number): number => normalCdfStd(z, 0, 1);

/** Standard normal quantile. */
export const normalQuantile = (q: number): number => normalQuantileStd(q, 0, 1);

/** Upper tail P(X² ≥ q) of chi-square with df degrees of freedom: the regularised upper incomplete gamma Q(df/2, q/2). */
export const chisqUpper = (q: number, df: number): number => (q <= 0 ? 1 : gammainc(q / 2, df / 2, true, true));

/**
 * Upper tail P(F ≥ f) with (df1, df2) degrees of freedom, as R's `pf(f, df1, df2, lower.tail = FALSE)`:
 * I_x(df2/2, df1/2) with x = df2 / (df2 + df1·f), the regularised incomplete beta (no 1 − cdf cancellation).
 */
export const fUpper = (f: number, df1: number, df2: number): number =>
  f <= 0 ? 1 : betainc(df2 / (df2 + df1 * f), df2 / 2, df1 / 2, true, false);

/**
 * p-value of a t statistic: two-sided 2·P(T ≤ −|t|) as R's `2 * pt(-abs(t), df)`;
 * "less" P(T ≤ t); "greater" P(T ≥ t) = P(T ≤ −t).
 */
export function tPValue(t: number, df: number, alternative: Alternative = 'two-sided'): number {
  if (alternative === 'less') return tCdf(t, df);
  if (alternative === 'greater') return tCdf(-t, df);
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** p-value of a standard normal statistic, same conventions as `tPValue` (R's `2 * pnorm(-abs(z))`). */
export function normalPValue(z: number, alternative: Alternative = 'two-sided'): number {
  if (alternative === 'less') return normalCdf(z);
  if (alternative === 'greater') return normalCdf(-z);
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/**
 * P(X ≤ x) for noncentral chi-square with `df` degrees of freedom and noncentrality `ncp` (R's
 * `pchisq(x, df, ncp)`), as the Poisson mixture of central chi-squares (Johnson, Kotz & Balakrishnan 1995,
 * Continuous Univariate Distributions 2, eq. 29.2):
 *   P(X ≤ x) = Σ_k e^{−μ} μ^k / k! · P(χ²_{df+2k} ≤ x),  μ = ncp/2,
 * summed outward from the largest Poisson weight (k₀ = ⌊μ⌋) until the weights left are below 1e-17 of the total.
 */
export function noncentralChisqCdf(x: number, df: number, ncp: number): number {
  if (!(x > 0)) return 0;
  if (!(ncp > 0)) return 1 - chisqUpper(x, df);
  const mu = ncp / 2;
  const k0 = Math.floor(mu);
  // log k₀! by summing logs: exact enough (relative 1e-13) for the k₀ up to 10⁵ that RMSEA intervals reach.
  let logFactorial = 0;
  for (let i = 2; i <= k0; i++) logFactorial += Math.log(i);
  const w0 = Math.exp(-mu + k0 * Math.log(mu) - logFactorial);
  const lower = (k: number): number => gammainc(x / 2, df / 2 + k, true, false);
  let sum = w0 * lower(k0);
  let weights = w0;
  let w = w0;
  for (let k = k0 + 1; ; k++) {
    w *= mu / k;
    weights += w;
    sum += w * lower(k);
    if (w < 1e-17 * weights || w === 0) break;
  }
  w = w0;
  for (let k = k0; k > 0; k--) {
    w *= k / mu;
    weights += w;
    sum += w * lower(k - 1);
    if (w < 1e-17 * weights) break;
  }
  return Math.min(1, sum);
}
