/**
 * Internal consistency from the item covariance matrix (raw Cronbach's alpha, as psych::alpha's raw_alpha
 * and SPSS RELIABILITY on complete cases):
 *   alpha = p/(p − 1) · (1 − Σ_j C_jj / Σ_ij C_ij)                       (Cronbach 1951)
 *   corrected item–total r_j = cor(item_j, total − item_j)
 *                            = (R_j − C_jj) / sqrt(C_jj · (S − 2R_j + C_jj)),  R_j = Σ_i C_ij, S = Σ_ij C_ij
 *   alpha if item j deleted = the same alpha over the other p − 1 items.
 * Any common scale of C (n − 1 or sums of squares) cancels, so the centred cross-products can be passed as they are.
 */
export interface Reliability {
  alpha: number | null;
  itemTotal: (number | null)[];
  alphaIfDeleted: (number | null)[];
}

function alphaOf(p: number, trace: number, total: number): number | null {
  if (p < 2 || !(total > 0)) return null;
  return (p / (p - 1)) * (1 - trace / total);
}

/** `c` is a p×p row-major covariance (or centred cross-product) matrix of the items. */
export function cronbachAlpha(c: ArrayLike<number>, p: number): Reliability {
  let trace = 0;
  let total = 0;
  const rowSums = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    trace += c[i * p + i];
    for (let j = 0; j < p; j++) rowSums[i] += c[i * p + j];
  }
  for (const r of rowSums) total += r;
  const itemTotal: (number | null)[] = [];
  const alphaIfDeleted: (number | null)[] = [];
  for (let j = 0; j < p; j++) {
    const cjj = c[j * p + j];
    const restVariance = total - 2 * rowSums[j] + cjj;
    const denominator = Math.sqrt(cjj * restVariance);
    itemTotal.push(denominator > 0 ? (rowSums[j] - cjj) / denominator : null);
    alphaIfDeleted.push(alphaOf(p - 1, trace - cjj, restVariance));
  }
  return { alpha: alphaOf(p, trace, total), itemTotal, alphaIfDeleted };
}
