/**
 * Cook's distances from co-moments, for a weighted sample: rows counted counts[i] times (the copies of a bootstrap
 * resample), without refitting from the rows. For the least-squares fit of y on [1, X] (X the predictors, S their
 * centred cross-products, s_y their cross-products with y, N = Σ counts):
 *   β = S⁻¹ s_y,  RSS = C_yy − s_yᵀ S⁻¹ s_y,  σ² = RSS / (N − p),  p = 1 + kept predictors;
 *   for row i with d_i = x_i − x̄: e_i = (y_i − ȳ) − βᵀ d_i,  h_i = 1/N + d_iᵀ S⁻¹ d_i,
 *   D_i = e_i² h_i / (p σ² (1 − h_i)²)
 * (Cook 1977; every copy of a row has that row's residual, leverage and distance, as R's cooks.distance gives for
 * the data with the copies as rows). S⁻¹ and β come from the sweep operator (Goodnight 1979 Am Stat 33:149) over
 * the predictors in order, a predictor aliased — left out, as lm's QR leaves it out — when its pivot is negligible
 * by the criterion of stats/partial.ts.
 */
import type { CoMoments } from './moments';
import { aliasedPivot } from './partial';

export interface WeightedInfluence {
  /** N − p; the distances are undefined (all NaN) when it is not positive or σ² is 0. */
  dfResidual: number;
  /** Coefficients estimated: the intercept and the kept predictors. */
  rank: number;
}

/**
 * Cook's distance of each row into `out` (NaN for rows with count 0, leverage 1, or when σ² is not positive),
 * given the sample's co-moments `m` over `columns` (row values, same order) with the predictors at `x` and y at `y`.
 */
export function weightedCooksDistance(m: CoMoments, columns: ArrayLike<number>[], x: readonly number[], y: number, counts: ArrayLike<number>, out: Float64Array): WeightedInfluence {
  const q = x.length;
  const s = q + 1;
  const p = m.p;
  const m2 = m.m2;
  const index = [...x, y];
  const a = new Float64Array(s * s);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) a[i * s + j] = m2[index[i] * p + index[j]];
  const kept = new Uint8Array(q);
  let k = 0;
  for (let c = 0; c < q; c++) {
    const d = a[c * s + c];
    if (aliasedPivot(d, m, index[c])) continue;
    kept[c] = 1;
    k++;
    // Sweep on c: afterwards the swept block is +S⁻¹, column y holds β and a[y, y] the residual sum of squares.
    for (let j = 0; j < s; j++) a[c * s + j] /= d;
    for (let i = 0; i < s; i++) {
      if (i === c) continue;
      const b = a[i * s + c];
      if (b === 0) continue;
      for (let j = 0; j < s; j++) a[i * s + j] -= b * a[c * s + j];
      a[i * s + c] = -b / d;
    }
    a[c * s + c] = 1 / d;
  }
  const n = m.n;
  const rank = 1 + k;
  const dfResidual = n - rank;
  const rss = a[q * s + q];
  const sigma2 = dfResidual > 0 ? rss / dfResidual : NaN;
  out.fill(NaN);
  if (!(sigma2 > 0)) return { dfResidual, rank };
  const d = new Float64Array(q);
  const mean = m.mean;
  for (let i = 0; i < out.length; i++) {
    if (counts[i] === 0) continue;
    let e = columns[y][i] - mean[y];
    for (let c = 0; c < q; c++) {
      d[c] = kept[c] ? columns[x[c]][i] - mean[x[c]] : 0;
      e -= a[c * s + q] * d[c];
    }
    let h = 1 / n;
    for (let r = 0; r < q; r++) {
      if (!kept[r]) continue;
      let row = 0;
      for (let c = 0; c < q; c++) if (kept[c]) row += a[r * s + c] * d[c];
      h += d[r] * row;
    }
    if (Math.abs(1 - h) <= 1e-10) continue;
    out[i] = (e * e * h) / (rank * sigma2 * (1 - h) * (1 - h));
  }
  return { dfResidual, rank };
}
