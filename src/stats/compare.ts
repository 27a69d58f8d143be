/**
 * Comparing (partial) correlations from independent samples, on Fisher's z scale.
 */
import { chisqUpper, normalPValue } from './distributions';
import { fisherInterval } from './inference';

export interface CorrelationSummary {
  r: number;
  n: number;
  /** Covariates the correlation is adjusted for. */
  k: number;
}

/**
 * Difference between two independent (partial) correlations.
 * z = (atanh r₁ − atanh r₂) / sqrt(1/(n₁ − 3 − k₁) + 1/(n₂ − 3 − k₂)), two-sided normal p
 * (Fisher 1921 Metron 1:3).
 * The interval for r₁ − r₂ is Zou's (2007, Psychol Methods 12:399) for independent correlations, built from each
 * correlation's own Fisher interval (lᵢ, uᵢ) at `ciLevel`, which respects the bounds of r better than a z-scale difference:
 *   L = r₁ − r₂ − sqrt((r₁ − l₁)² + (u₂ − r₂)²),  U = r₁ − r₂ + sqrt((u₁ − r₁)² + (r₂ − l₂)²).
 * Needs |rᵢ| < 1 and nᵢ > kᵢ + 3 (RangeError otherwise: z would be infinite or undefined).
 */
export function fisherDifference(a: CorrelationSummary, b: CorrelationSummary, ciLevel = 0.95): { z: number; p: number; difference: number; ci: [number, number] } {
  checkSummary(a);
  checkSummary(b);
  const z = (Math.atanh(a.r) - Math.atanh(b.r)) / Math.sqrt(1 / (a.n - 3 - a.k) + 1 / (b.n - 3 - b.k));
  const [l1, u1] = fisherInterval(a.r, a.n, a.k, ciLevel);
  const [l2, u2] = fisherInterval(b.r, b.n, b.k, ciLevel);
  return { z, p: normalPValue(z, 'two-sided'), difference: a.r - b.r, ci: zouInterval(a.r, [l1, u1], b.r, [l2, u2]) };
}

/**
 * Zou's (2007) interval for r₁ − r₂ from each correlation's own interval (lᵢ, uᵢ):
 *   L = r₁ − r₂ − sqrt((r₁ − l₁)² + (u₂ − r₂)²),  U = r₁ − r₂ + sqrt((u₁ − r₁)² + (r₂ − l₂)²).
 */
export function zouInterval(r1: number, ci1: readonly [number, number], r2: number, ci2: readonly [number, number]): [number, number] {
  const difference = r1 - r2;
  return [difference - Math.sqrt((r1 - ci1[0]) ** 2 + (ci2[1] - r2) ** 2), difference + Math.sqrt((ci1[1] - r1) ** 2 + (r2 - ci2[0]) ** 2)];
}

/** A correlation pooled over imputations, on Fisher's z: z̄ and its total variance T (Rubin's rules), its interval. */
export interface PooledSummary {
  r: number;
  z: number;
  variance: number;
  ci: [number, number];
}

/**
 * Difference of two independent correlations each pooled over imputations (van Buuren 2018, §5.3: the pooled z̄ᵢ
 * with total variance Tᵢ): z = (z̄₁ − z̄₂)/sqrt(T₁ + T₂), two-sided normal p; Zou's interval from the pooled intervals.
 */
export function pooledDifference(a: PooledSummary, b: PooledSummary): { z: number; p: number; difference: number; ci: [number, number] } {
  const z = (a.z - b.z) / Math.sqrt(a.variance + b.variance);
  return { z, p: normalPValue(z, 'two-sided'), difference: a.r - b.r, ci: zouInterval(a.r, a.ci, b.r, b.ci) };
}

/** Cochran's Q over pooled correlations: weights 1/Tᵢ on z̄ᵢ (as `heterogeneity` with 1/(nᵢ − 3 − kᵢ) replaced by T). */
export function pooledHeterogeneity(groups: PooledSummary[]): { q: number; df: number; p: number } {
  return cochranQ(
    groups.map((g) => g.z),
    groups.map((g) => 1 / g.variance),
  );
}

function cochranQ(z: number[], w: number[]): { q: number; df: number; p: number } {
  let sw = 0;
  let swz = 0;
  for (let i = 0; i < z.length; i++) {
    sw += w[i];
    swz += w[i] * z[i];
  }
  const mean = swz / sw;
  let q = 0;
  for (let i = 0; i < z.length; i++) q += w[i] * (z[i] - mean) ** 2;
  const df = z.length - 1;
  return { q, df, p: chisqUpper(q, df) };
}

/**
 * Homogeneity of g independent (partial) correlations (Cochran's Q on Fisher's z; Hedges & Olkin 1985, Statistical Methods for Meta-Analysis):
 * wᵢ = nᵢ − 3 − kᵢ (inverse variance of atanh rᵢ), zᵢ = atanh rᵢ, z̄ = Σ wᵢ zᵢ / Σ wᵢ,
 * Q = Σ wᵢ (zᵢ − z̄)², referred to chi-square with g − 1 df (upper tail). Needs g ≥ 2.
 */
export function heterogeneity(groups: CorrelationSummary[]): { q: number; df: number; p: number } {
  if (groups.length < 2) throw new RangeError(`heterogeneity needs at least 2 groups, got ${groups.length}`);
  groups.forEach(checkSummary);
  return cochranQ(
    groups.map((g) => Math.atanh(g.r)),
    groups.map((g) => g.n - 3 - g.k),
  );
}

function checkSummary(g: CorrelationSummary): void {
  if (!(Math.abs(g.r) < 1)) throw new RangeError(`Fisher's z needs |r| < 1, got r = ${g.r}`);
  if (!(g.n - 3 - g.k > 0)) throw new RangeError(`n = ${g.n} is too small for k = ${g.k} covariates (needs n > k + 3)`);
}
