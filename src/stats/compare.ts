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
  const difference = a.r - b.r;
  const lower = difference - Math.sqrt((a.r - l1) ** 2 + (u2 - b.r) ** 2);
  const upper = difference + Math.sqrt((u1 - a.r) ** 2 + (b.r - l2) ** 2);
  return { z, p: normalPValue(z, 'two-sided'), difference, ci: [lower, upper] };
}

/**
 * Homogeneity of g independent (partial) correlations (Cochran's Q on Fisher's z; Hedges & Olkin 1985, Statistical Methods for Meta-Analysis):
 * wᵢ = nᵢ − 3 − kᵢ (inverse variance of atanh rᵢ), zᵢ = atanh rᵢ, z̄ = Σ wᵢ zᵢ / Σ wᵢ,
 * Q = Σ wᵢ (zᵢ − z̄)², referred to chi-square with g − 1 df (upper tail). Needs g ≥ 2.
 */
export function heterogeneity(groups: CorrelationSummary[]): { q: number; df: number; p: number } {
  if (groups.length < 2) throw new RangeError(`heterogeneity needs at least 2 groups, got ${groups.length}`);
  groups.forEach(checkSummary);
  let sw = 0;
  let swz = 0;
  for (const g of groups) {
    const w = g.n - 3 - g.k;
    sw += w;
    swz += w * Math.atanh(g.r);
  }
  const mean = swz / sw;
  let q = 0;
  for (const g of groups) q += (g.n - 3 - g.k) * (Math.atanh(g.r) - mean) ** 2;
  const df = groups.length - 1;
  return { q, df, p: chisqUpper(q, df) };
}

function checkSummary(g: CorrelationSummary): void {
  if (!(Math.abs(g.r) < 1)) throw new RangeError(`Fisher's z needs |r| < 1, got r = ${g.r}`);
  if (!(g.n - 3 - g.k > 0)) throw new RangeError(`n = ${g.n} is too small for k = ${g.k} covariates (needs n > k + 3)`);
}
