/**
 * The distribution functions the statistics need, from @stdlib (maintained, tested against R):
 * no hand-written special functions. Upper tails are taken from the symmetric lower tail where
 * that keeps precision (1 − cdf loses everything below 1e-16).
 */
import tCdfStd from '@stdlib/stats-base-dists-t-cdf';
import tQuantileStd from '@stdlib/stats-base-dists-t-quantile';
import normalCdfStd from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileStd from '@stdlib/stats-base-dists-normal-quantile';
import gammainc from '@stdlib/math-base-special-gammainc';
import betainc from '@stdlib/math-base-special-betainc';

export type Alternative = 'two-sided' | 'less' | 'greater';

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export const tCdf = (t: number, df: number): number => tCdfStd(t, df);

/** q-quantile of Student's t. */
export const tQuantile = (q: number, df: number): number => tQuantileStd(q, df);

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
