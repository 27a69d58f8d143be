/**
 * Summaries of a specification curve and their joint test (Simonsohn, Simmons & Nelson 2020, "Specification curve
 * analysis", Nat Hum Behav 4:1208; the observational case, their §"Inference with non-experimental data").
 *
 * The three statistics of a set of specification results (r_k, two-sided p_k), each oriented by the set's own
 * dominant sign, so that "as or more extreme" is one-sided on the null distribution built from the same function:
 *   (a) the median r, compared by its magnitude |median r|;
 *   (b) the share of specifications significant (p < α) with the dominant sign;
 *   (c) Stouffer's aggregated Z = Σ z_k / √K (Stouffer et al. 1949), z_k = Φ⁻¹(1 − p_k/2) when r_k has the dominant
 *       sign and −Φ⁻¹(1 − p_k/2) when not: each two-sided p made one-sided in the dominant direction.
 * Each joint p is the share of null resamples whose statistic is as or more extreme than the observed one, as the
 * paper defines it (no +1 correction).
 */
import { normalQuantile } from './distributions';
import { quantileType7 } from './bootstrap';

export interface CurveSummary {
  /** Median of the defined r (R's median), their minimum and maximum. */
  median_r: number;
  min_r: number;
  max_r: number;
  /** +1 or −1: the sign more specifications share (ties: the sign of the median, + when it is 0). */
  dominant_sign: 1 | -1;
  /** Share of specifications whose r has the dominant sign. */
  share_dominant: number;
  /** Share significant (p < α) with the dominant sign. */
  share_significant: number;
  /** Stouffer's Z, oriented by the dominant sign. */
  stouffer_z: number;
}

/**
 * The summary of the first `count` (r, p) pairs, or null when count is 0. `scratch` (length ≥ count) receives the
 * sorted r: nothing is allocated, so the null resamples can call this in their loop.
 */
export function summariseCurve(r: Float64Array, p: Float64Array, count: number, alpha: number, scratch: Float64Array): CurveSummary | null {
  if (count === 0) return null;
  let positive = 0;
  let negative = 0;
  for (let k = 0; k < count; k++) {
    if (r[k] > 0) positive++;
    else if (r[k] < 0) negative++;
  }
  const sorted = scratch.subarray(0, count);
  sorted.set(r.subarray(0, count));
  sorted.sort();
  const median = quantileType7(sorted, 0.5);
  const sign: 1 | -1 = positive > negative ? 1 : negative > positive ? -1 : median < 0 ? -1 : 1;
  let significant = 0;
  let zSum = 0;
  for (let k = 0; k < count; k++) {
    const agrees = sign > 0 ? r[k] > 0 : r[k] < 0;
    if (agrees && p[k] < alpha) significant++;
    const z = -normalQuantile(p[k] / 2);
    zSum += agrees ? z : -z;
  }
  return {
    median_r: median,
    min_r: sorted[0],
    max_r: sorted[count - 1],
    dominant_sign: sign,
    share_dominant: (sign > 0 ? positive : negative) / count,
    share_significant: significant / count,
    stouffer_z: zSum / Math.sqrt(count),
  };
}

/** The three statistics the joint test compares, each larger when more extreme. */
export function extremity(s: CurveSummary): [number, number, number] {
  return [Math.abs(s.median_r), s.share_significant, s.stouffer_z];
}

/**
 * Joint p-values: for each of the three statistics, the share of the null summaries at least as extreme as the
 * observed one. Null resamples where no specification was defined count as not extreme (they are in the
 * denominator: the p is over the resamples drawn). A tolerance of 1e-12 keeps equal shares equal despite rounding.
 */
export function jointPValues(observed: CurveSummary, nulls: Array<CurveSummary | null>): { median_r_p: number; share_significant_p: number; stouffer_p: number } {
  const at = extremity(observed);
  const counts = [0, 0, 0];
  for (const s of nulls) {
    if (s === null) continue;
    const e = extremity(s);
    for (let i = 0; i < 3; i++) if (e[i] >= at[i] - 1e-12) counts[i]++;
  }
  const b = nulls.length;
  return { median_r_p: counts[0] / b, share_significant_p: counts[1] / b, stouffer_p: counts[2] / b };
}
