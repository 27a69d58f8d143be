/**
 * The dimensions of a specification curve (analyses/robustness.ts) and their options, in a module of their own
 * with no numeric imports: the command line and the report build them before any analysis is loaded.
 */

export type SpecMethod = 'pearson' | 'spearman';
export type InfluentialRule = 'kept' | 'removed';

/** The options of each dimension; the first of each makes the primary specification. */
export interface SpecDimensions {
  covariates: string[][];
  method: SpecMethod[];
  influential: InfluentialRule[];
}

/** The number of specifications per curve the dimensions make. */
export function specificationCount(d: SpecDimensions): number {
  return d.covariates.length * d.method.length * d.influential.length;
}

/** Every subset of `names`, the full set first, then by size descending (within a size, keeping `names`' order). */
export function covariateSubsets(names: string[]): string[][] {
  const k = names.length;
  const has = (mask: number, i: number) => (mask & (1 << (k - 1 - i))) !== 0;
  const masks = Array.from({ length: 2 ** k }, (_, m) => 2 ** k - 1 - m);
  const size = (mask: number) => names.filter((_, i) => has(mask, i)).length;
  masks.sort((a, b) => size(b) - size(a) || b - a);
  return masks.map((mask) => names.filter((_, i) => has(mask, i)));
}
