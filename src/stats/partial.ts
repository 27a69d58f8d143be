/**
 * Partial and semi-partial correlations from co-moments.
 *
 * The partial correlation of x and y given covariates Z is the correlation of the residuals of x and of
 * y after least squares on [1, Z] (Fisher 1924 Metron 3:329; as R's `lm.fit` residuals, ppcor's `pcor`). With C the
 * centred cross-product matrix of (Z, x, y), those residual cross-products are the Schur complement
 * C_{xy·Z} = C_xy − C_xZ C_ZZ⁻¹ C_Zy, obtained here by Gaussian elimination (the sweep operator, Goodnight
 * 1979 Am Stat 33:149) of the covariate block one covariate at a time, in the order given, with no matrix
 * inverse and no raw sums of squares. The intercept is handled by centring.
 *
 * Rank deficiency follows R's `lm` (LINPACK dqrdc2 with tol = 1e-7, limited column pivoting): covariate j,
 * in the order given, is aliased (dropped) when the norm of its residual after the intercept and the
 * covariates kept before it is below 1e-7 × the norm of its raw, uncentred column, sqrt(Σ z_j²). That
 * residual's squared norm is the pivot the elimination meets for column j. A column whose raw norm is 0
 * is measured against 1, as dqrdc2 does. Working with squares, the residual norm is resolved to about
 * sqrt(ε) ≈ 1.5e-8 of the column's norm (times the conditioning of the covariates), so only columns
 * within rounding of the 1e-7 threshold can be judged differently from R's QR, which also downdates its
 * norms approximately.
 */
import { CoMoments } from './moments';

/** dqrdc2's tolerance as `lm.fit` passes it (`tol = 1e-07`). */
export const ALIAS_TOLERANCE = 1e-7;

export const ZERO_VARIANCE = 'zero variance after adjustment';

export interface PartialResult {
  /** The (semi-)partial correlation, or null when it does not exist (see `reason`). */
  r: number | null;
  reason?: string;
  /** Observations. */
  n: number;
  /** Covariates kept (not aliased): the k in df = n − 2 − k. */
  k: number;
  /** Positions in `z` of the covariates dropped as aliased, ascending. */
  dropped: number[];
}

/** Which variables are residualised on the covariates: both (partial), or only x or only y (semi-partial). */
export type Residualise = 'both' | 'x' | 'y';

/** Reusable scratch memory, so that repeated calls (bootstrap) allocate nothing. */
export class PartialWorkspace {
  matrix = new Float64Array(0);
  index = new Int32Array(0);
  kept = new Uint8Array(0);
  /** Kept covariates of the last call. */
  k = 0;
  /** Outcome of the last call: 0 defined, 1 n too small, 2 zero variance after adjustment. */
  status = 0;

  ensure(covariates: number): void {
    const s = covariates + 2;
    if (this.index.length < s) {
      this.matrix = new Float64Array(s * s);
      this.index = new Int32Array(s);
      this.kept = new Uint8Array(s);
    }
  }
}

const STATUS_OK = 0;
const STATUS_TOO_SMALL = 1;
const STATUS_ZERO_VARIANCE = 2;

/**
 * Partial correlation of variables x and y of `m` given the variables z (indices into `m`):
 * r = C_{xy·Z} / sqrt(C_{xx·Z} C_{yy·Z}). Null with a reason when n ≤ k + 3 (no confidence interval
 * then: its standard error is 1/sqrt(n − 3 − k)) or when x or y has nothing left after adjustment
 * (residual norm < 1e-7 × raw norm, the aliasing criterion; covers a constant x or a covariate equal to y).
 */
export function partialCorrelation(m: CoMoments, x: number, y: number, z: number[]): PartialResult {
  return correlationResult(m, x, y, z, 'both');
}

/**
 * Semi-partial (part) correlation, as ppcor's `spcor`: with `residualise: 'y'` the covariates are removed
 * from y only, r = cor(x, resid(y | Z)) = C_{xy·Z} / sqrt(C_xx · C_{yy·Z}); with 'x', from x only,
 * r = cor(resid(x | Z), y) = C_{xy·Z} / sqrt(C_{xx·Z} · C_yy). (Σ (x − x̄)·e_y = Σ e_x·e_y because e_y is
 * orthogonal to the fitted part of x.) Kim (2015) Commun Stat Appl Methods 22:665.
 */
export function semiPartialCorrelation(m: CoMoments, x: number, y: number, z: number[], residualise: 'x' | 'y'): PartialResult {
  if (residualise !== 'x' && residualise !== 'y') throw new RangeError(`residualise must be 'x' or 'y', got ${String(residualise)}`);
  return correlationResult(m, x, y, z, residualise);
}

/**
 * The statistic alone, number or null, allocating nothing when given a workspace: the bootstrap's inner loop.
 * The workspace's `k` and `status` describe the call afterwards.
 */
export function partialR(m: CoMoments, x: number, y: number, z: ArrayLike<number>, residualise: Residualise = 'both', ws: PartialWorkspace = new PartialWorkspace()): number | null {
  const r = adjustAndCorrelate(m, x, y, z, residualise, ws);
  return ws.status === STATUS_OK ? r : null;
}

/**
 * Least-squares coefficient of x in the regression of y on [1, Z, x], from co-moments (Frisch–Waugh–Lovell:
 * regress both on [1, Z], then y's residuals on x's): β = C_{xy·Z} / C_{xx·Z}. Aliased covariates are skipped as
 * in `partialCorrelation`; null when x has nothing left after adjustment or n ≤ k + 3. The mediation paths
 * a (m on x given Z) and b (y on m given x and Z) are such slopes.
 */
export function partialSlope(m: CoMoments, x: number, y: number, z: ArrayLike<number>, ws: PartialWorkspace = new PartialWorkspace()): number | null {
  checkIndices(m, x, y, z);
  adjustAndCorrelate(m, x, y, z, 'both', ws);
  if (ws.status === STATUS_TOO_SMALL) return null;
  const q = z.length;
  const s = q + 2;
  const sxx = ws.matrix[q * s + q];
  if (negligible(sxx, m, x)) return null;
  return ws.matrix[q * s + q + 1] / sxx;
}

/**
 * Residual sum of squares of variable v after least squares on [1, Z] (aliased covariates skipped as above):
 * C_{vv·Z}, the Schur complement the elimination leaves. R²(v | Z) = 1 − C_{vv·Z} / C_vv.
 */
export function residualSquares(m: CoMoments, v: number, z: ArrayLike<number>, ws: PartialWorkspace = new PartialWorkspace()): number {
  checkIndices(m, v, v, z);
  adjustAndCorrelate(m, v, v, z, 'both', ws);
  const s = z.length + 2;
  return Math.max(0, ws.matrix[z.length * s + z.length]);
}

function correlationResult(m: CoMoments, x: number, y: number, z: number[], residualise: Residualise): PartialResult {
  checkIndices(m, x, y, z);
  const ws = new PartialWorkspace();
  const r = adjustAndCorrelate(m, x, y, z, residualise, ws);
  const dropped: number[] = [];
  for (let c = 0; c < z.length; c++) if (!ws.kept[c]) dropped.push(c);
  const base = { n: m.n, k: ws.k, dropped };
  if (ws.status === STATUS_TOO_SMALL) {
    const noun = ws.k === 1 ? 'covariate' : 'covariates';
    return { r: null, reason: `n = ${m.n} is too small for k = ${ws.k} ${noun} (needs n > k + 3)`, ...base };
  }
  if (ws.status === STATUS_ZERO_VARIANCE) return { r: null, reason: ZERO_VARIANCE, ...base };
  return { r, ...base };
}

function checkIndices(m: CoMoments, x: number, y: number, z: ArrayLike<number>): void {
  const p = m.p;
  const ok = (i: number) => Number.isInteger(i) && i >= 0 && i < p;
  if (!ok(x) || !ok(y)) throw new RangeError(`variable index out of range (x = ${x}, y = ${y}, ${p} variables)`);
  for (let c = 0; c < z.length; c++) if (!ok(z[c])) throw new RangeError(`covariate index ${z[c]} out of range (${p} variables)`);
}

/** Raw column norm, or 1 for an all-zero column (dqrdc2: `if (work(j,2) .eq. 0) work(j,2) = 1`). */
function yardstick(m: CoMoments, i: number): number {
  const norm = m.uncentredNorm(i);
  return norm === 0 ? 1 : norm;
}

/** dqrdc2's test, on norms: a column is negligible unless its residual norm ≥ tol × its raw norm. */
/** Whether a pivot (residual sum of squares of variable i after those eliminated before it) marks i as aliased. */
export function aliasedPivot(residualSquares: number, m: CoMoments, i: number): boolean {
  return negligible(residualSquares, m, i);
}

function negligible(residualSquares: number, m: CoMoments, i: number): boolean {
  return !(Math.sqrt(Math.max(residualSquares, 0)) >= ALIAS_TOLERANCE * yardstick(m, i));
}

/**
 * Eliminates the covariates from the cross-products of (Z, x, y) and returns the correlation; sets
 * ws.k, ws.kept, ws.status. The returned number is meaningful only when ws.status is 0.
 *
 * Elimination of pivot c updates the upper triangle: W_ab −= W_ca W_cb / W_cc for c < a ≤ b, which turns
 * the trailing block into the cross-products of the residuals on [1, kept covariates so far].
 */
function adjustAndCorrelate(m: CoMoments, x: number, y: number, z: ArrayLike<number>, residualise: Residualise, ws: PartialWorkspace): number {
  const q = z.length;
  const s = q + 2;
  ws.ensure(q);
  const { matrix: w, index, kept } = ws;
  const p = m.p;
  const m2 = m.m2;
  for (let c = 0; c < q; c++) index[c] = z[c];
  index[q] = x;
  index[q + 1] = y;
  for (let a = 0; a < s; a++) {
    const from = index[a] * p;
    for (let b = a; b < s; b++) w[a * s + b] = m2[from + index[b]];
  }
  let k = 0;
  for (let c = 0; c < q; c++) {
    const pivot = w[c * s + c];
    if (negligible(pivot, m, index[c])) {
      kept[c] = 0;
      continue;
    }
    kept[c] = 1;
    k++;
    const rowC = c * s;
    for (let a = c + 1; a < s; a++) {
      const f = w[rowC + a] / pivot;
      if (f === 0) continue;
      const rowA = a * s;
      for (let b = a; b < s; b++) w[rowA + b] -= f * w[rowC + b];
    }
  }
  ws.k = k;
  if (m.n <= k + 3) {
    ws.status = STATUS_TOO_SMALL;
    return 0;
  }
  const sxy = w[q * s + q + 1];
  // Residual sums of squares, or the centred ones for the variable a semi-partial leaves alone.
  const sxx = residualise === 'y' ? m2[x * p + x] : w[q * s + q];
  const syy = residualise === 'x' ? m2[y * p + y] : w[(q + 1) * s + q + 1];
  if (negligible(sxx, m, x) || negligible(syy, m, y)) {
    ws.status = STATUS_ZERO_VARIANCE;
    return 0;
  }
  ws.status = STATUS_OK;
  const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
  // Rounding can leave |r| a few ulps above 1 when x and y are (nearly) collinear after adjustment.
  return r > 1 ? 1 : r < -1 ? -1 : r;
}
