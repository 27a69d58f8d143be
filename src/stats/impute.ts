/**
 * Univariate imputation steps of chained equations, as R's `mice` (van Buuren & Groothuis-Oudshoorn 2011,
 * J Stat Softw 45(3); van Buuren 2018, *Flexible Imputation of Missing Data*, 2nd ed., §3.2 and §3.4).
 *
 * - `normDraw` is `mice:::.norm.draw` (Rubin 1987, p. 167; van Buuren 2018, Algorithm 3.1): the least-squares fit
 *   β̂ of y on X (observed rows, X with an intercept column), its residuals ε̂ and V = (XᵀX)⁻¹ (mice's `estimice`);
 *   then σ* = √(ε̂ᵀε̂ / g) with g ~ χ²(ν), ν = max(n_obs − p, 1), and β* = β̂ + σ*·Lz with L the lower Cholesky
 *   factor of V and z ~ N(0, I_p). Columns that R's pivoted QR declares aliased get β̂ = β* = 0, as mice's
 *   `rank.adjust`.
 * - `pmmImpute` is `mice.impute.pmm` with mice's defaults: type-1 matching (ŷ_obs = X_obs·β̂ for the donors,
 *   ŷ_mis = X_mis·β* for the targets), 5 donors; each target takes the observed y of one of the 5 donors whose
 *   ŷ_obs is nearest its ŷ_mis, drawn with equal probability; ties among donors are broken at random (mice's
 *   `matchindex` shuffles before sorting). An imputed value is therefore always an observed value.
 *
 * The random numbers differ from R's (MT19937 here, R's own generator there), so single imputations do not
 * match mice draw for draw; pooled results agree to Monte-Carlo error.
 */
import { qrCoef, qrDecompose, qrResiduals, qrUnscaledCovariance } from './qr';
import type { Random } from './random';

export interface NormDraw {
  /** β̂ in the original column order (0 for aliased columns). */
  coef: Float64Array;
  /** β* in the original column order (0 for aliased columns). */
  beta: Float64Array;
  /** σ*. */
  sigma: number;
}

/**
 * Bayesian linear-regression draw of (β, σ) from the observed rows (see the module comment).
 * `columns` are the predictor columns over the observed rows, the intercept among them; `y` the observed values.
 */
export function normDraw(columns: Float64Array[], y: Float64Array, random: Random): NormDraw {
  const p = columns.length;
  const n = y.length;
  const qr = qrDecompose(columns);
  const fitted = qrCoef(qr, y);
  const coef = Float64Array.from(fitted, (b) => b ?? 0);
  const residuals = qrResiduals(qr, y);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += residuals[i] * residuals[i];
  const df = Math.max(n - p, 1);
  const sigma = Math.sqrt(rss / random.chisquare(df));
  // V over the kept columns, in pivoted order; draw there and map back.
  const rank = qr.rank;
  const v = qrUnscaledCovariance(qr);
  const lower = cholesky(v, rank);
  const z = new Float64Array(rank);
  for (let j = 0; j < rank; j++) z[j] = random.normal();
  const beta = Float64Array.from(coef);
  for (let i = 0; i < rank; i++) {
    let s = 0;
    for (let j = 0; j <= i; j++) s += lower[i * rank + j] * z[j];
    beta[qr.pivot[i]] += sigma * s;
  }
  return { coef, beta, sigma };
}

/**
 * Lower Cholesky factor L (row-major r × r) of a symmetric positive-definite matrix A = LLᵀ
 * (Golub & Van Loan 2013, Algorithm 4.2.1). V = (XᵀX)⁻¹ of full-rank kept columns is positive definite.
 */
export function cholesky(a: Float64Array, r: number): Float64Array {
  const l = new Float64Array(r * r);
  for (let j = 0; j < r; j++) {
    let d = a[j * r + j];
    for (let k = 0; k < j; k++) d -= l[j * r + k] * l[j * r + k];
    if (!(d > 0)) throw new RangeError('matrix is not positive definite');
    const ljj = Math.sqrt(d);
    l[j * r + j] = ljj;
    for (let i = j + 1; i < r; i++) {
      let s = a[i * r + j];
      for (let k = 0; k < j; k++) s -= l[i * r + k] * l[j * r + k];
      l[i * r + j] = s / ljj;
    }
  }
  return l;
}

/** Xb for the rows of `columns` (column-major predictors) and coefficients b. */
export function linearPredictor(columns: Float64Array[], b: ArrayLike<number>): Float64Array {
  const n = columns[0].length;
  const out = new Float64Array(n);
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j];
    const bj = b[j];
    if (bj === 0) continue;
    for (let i = 0; i < n; i++) out[i] += c[i] * bj;
  }
  return out;
}

/**
 * Predictive mean matching (see the module comment): for each target ŷ_mis, the observed y of one of the `donors`
 * donors nearest in ŷ_obs, drawn uniformly. Donors are shuffled, then stably sorted by ŷ_obs, so equal ŷ_obs are in
 * random order (mice's `matchindex`); the nearest are found by walking outwards from the target's position.
 */
export function pmmMatch(yhatObs: Float64Array, yObs: Float64Array, yhatMis: Float64Array, random: Random, donors = 5): Float64Array {
  const n1 = yhatObs.length;
  if (n1 === 0) throw new RangeError('predictive mean matching needs at least one observed value');
  const k = Math.max(1, Math.min(donors, n1));
  const order = new Int32Array(n1);
  for (let i = 0; i < n1; i++) order[i] = i;
  for (let i = n1 - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const sorted = Array.from(order).sort((a, b) => yhatObs[a] - yhatObs[b]); // Array.prototype.sort is stable
  const keys = Float64Array.from(sorted, (i) => yhatObs[i]);
  const out = new Float64Array(yhatMis.length);
  for (let t = 0; t < yhatMis.length; t++) {
    const target = yhatMis[t];
    // First position with key ≥ target.
    let lo = 0;
    let hi = n1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    // Take the h-th nearest (h uniform on 1 … k) by merging outwards from both neighbours.
    const h = 1 + random.int(k);
    let left = lo - 1;
    let right = lo;
    let pick = -1;
    for (let taken = 0; taken < h; taken++) {
      const useLeft = right >= n1 || (left >= 0 && target - keys[left] <= keys[right] - target);
      pick = useLeft ? left-- : right++;
    }
    out[t] = yObs[sorted[pick]];
  }
  return out;
}

/**
 * One PMM imputation of y's missing rows (see the module comment): `xObs`/`xMis` are the predictor columns (with
 * the intercept) over the observed and the missing rows; returns the imputed values for the missing rows in order.
 */
export function pmmImpute(xObs: Float64Array[], yObs: Float64Array, xMis: Float64Array[], random: Random, donors = 5): Float64Array {
  const draw = normDraw(xObs, yObs, random);
  return pmmMatch(linearPredictor(xObs, draw.coef), yObs, linearPredictor(xMis, draw.beta), random, donors);
}
