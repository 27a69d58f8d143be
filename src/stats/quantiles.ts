/**
 * The t and chi-square quantiles (R's qt, qchisq), from @stdlib as the rest of distributions.ts, but a module of their
 * own: both packages reach the inverse incomplete gamma function, which loads the `debug` package (and node:tty)
 * when it is initialised, a few ms. A command whose modules never import this file (correlate without --missing mi,
 * score, validate) does not pay for it.
 */
import chisqQuantileStd from '@stdlib/stats-base-dists-chisquare-quantile';
import tQuantileStd from '@stdlib/stats-base-dists-t-quantile';

/** q-quantile of Student's t. */
export const tQuantile = (q: number, df: number): number => tQuantileStd(q, df);

/** Chi-square quantile: the q such that P(X ≤ q) = p with `df` degrees of freedom (R's qchisq). */
export const chisqQuantile = (p: number, df: number): number => chisqQuantileStd(p, df);
