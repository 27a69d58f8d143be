/**
 * Tests and confidence intervals for a (partial) correlation r from n observations with k covariates.
 */
import { Alternative, normalQuantile, tPValue } from './distributions';

export interface CorrelationTest {
  df: number;
  t: number;
  p: number;
  ci: [number, number];
}

/**
 * Largest |t| reported. When |r| = 1 the statistic r·sqrt(df / (1 − r²)) is infinite, which JSON cannot
 * carry; it is reported as ±Number.MAX_VALUE, with the limiting p (0 towards the alternative, 1 against it).
 */
export const T_LIMIT = Number.MAX_VALUE;

/**
 * Student's t test of ρ = 0 for a partial correlation (Fisher 1924): df = n − 2 − k,
 * t = r·sqrt(df / (1 − r²)), p from Student's t with df (two-sided 2·P(T ≤ −|t|), or one tail);
 * as R's `cor.test` for k = 0 and ppcor's `pcor.test`.
 *
 * Confidence interval from Fisher's z with standard error 1/sqrt(n − 3 − k) — see `fisherInterval`.
 * At |r| = 1: t = ±Number.MAX_VALUE, p its limit (two-sided 0), CI [r, r] (two-sided).
 * Needs n > k + 3 (a RangeError otherwise: `partialCorrelation` returns null before that point).
 */
export function correlationTest(r: number, n: number, k: number, opts: { alternative?: Alternative; ciLevel?: number } = {}): CorrelationTest {
  const alternative = opts.alternative ?? 'two-sided';
  const level = opts.ciLevel ?? 0.95;
  checkSample(n, k);
  const rho = clampCorrelation(r);
  const df = n - 2 - k;
  const t = tStatistic(rho, df);
  const p = Number.isFinite(t) ? tPValue(t, df, alternative) : limitingP(rho, alternative);
  return { df, t: clampT(t), p, ci: fisherInterval(rho, n, k, level, alternative) };
}

/** The two-sided p of `correlationTest` alone (no interval): the inner loop of resampling tests. Needs n > k + 2. */
export function correlationP(r: number, n: number, k: number): number {
  const df = n - 2 - k;
  const rho = clampCorrelation(r);
  const t = tStatistic(rho, df);
  return Number.isFinite(t) ? tPValue(t, df, 'two-sided') : 0;
}

/**
 * ppcor's `spcor.test` for a semi-partial correlation (Kim 2015, Commun Stat Appl Methods 22:665):
 * t = r·sqrt((n − 2 − k) / (1 − r²)), two-sided p on n − 2 − k df — the partial correlation's test,
 * which ppcor applies unchanged to the semi-partial r. |r| = 1 as in `correlationTest`.
 */
export function ppcorSemiPartialTest(r: number, n: number, k: number): { df: number; t: number; p: number } {
  const df = n - 2 - k;
  if (!(df > 0)) throw new RangeError(`semi-partial test needs n > k + 2 (n = ${n}, k = ${k})`);
  const rho = clampCorrelation(r);
  const t = tStatistic(rho, df);
  const p = Number.isFinite(t) ? tPValue(t, df, 'two-sided') : 0;
  return { df, t: clampT(t), p };
}

/**
 * Fisher z confidence interval for a (partial) correlation: z = atanh r, se = 1/sqrt(n − 3 − k)
 * (Fisher 1921 Metron 1:3; k covariates cost k more degrees of freedom), mapped back with tanh.
 * Two-sided: tanh(z ∓ Φ⁻¹(1 − (1 − level)/2)·se); 'less': [−1, tanh(z + Φ⁻¹(level)·se)];
 * 'greater': [tanh(z − Φ⁻¹(level)·se), 1]. At |r| = 1 atanh is ±∞ and tanh brings it back to ±1.
 */
export function fisherInterval(r: number, n: number, k: number, level = 0.95, alternative: Alternative = 'two-sided'): [number, number] {
  checkSample(n, k);
  checkLevel(level);
  const z = Math.atanh(clampCorrelation(r));
  const se = 1 / Math.sqrt(n - 3 - k);
  if (alternative === 'less') return [-1, Math.tanh(z + normalQuantile(level) * se)];
  if (alternative === 'greater') return [Math.tanh(z - normalQuantile(level) * se), 1];
  const half = normalQuantile(1 - (1 - level) / 2) * se;
  return [Math.tanh(z - half), Math.tanh(z + half)];
}

/** r·sqrt(df / (1 − r²)), written as R writes it so the rounding matches. */
function tStatistic(r: number, df: number): number {
  return r * Math.sqrt(df / (1 - r * r));
}

function limitingP(r: number, alternative: Alternative): number {
  if (alternative === 'less') return r < 0 ? 0 : 1;
  if (alternative === 'greater') return r > 0 ? 0 : 1;
  return 0;
}

function clampT(t: number): number {
  return t > T_LIMIT ? T_LIMIT : t < -T_LIMIT ? -T_LIMIT : t;
}

/** r from a computation may exceed ±1 by rounding; anything else outside [−1, 1] is a bug upstream. */
function clampCorrelation(r: number): number {
  if (!(Math.abs(r) <= 1 + 1e-12)) throw new RangeError(`a correlation must lie in [-1, 1], got ${r}`);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

function checkSample(n: number, k: number): void {
  if (!(n - 3 - k > 0)) throw new RangeError(`n = ${n} is too small for k = ${k} covariates (needs n > k + 3)`);
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must lie strictly between 0 and 1, got ${level}`);
}
