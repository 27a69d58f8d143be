/**
 * Householder QR decomposition with R's limited column pivoting (LINPACK `dqrdc2`, the routine behind `lm`),
 * and the `dqrsl` operations `lm` performs with it: Q'y, Qy, coefficients, residuals, hat values.
 *
 * Why not a textbook QR: `lm` decides which columns are aliased (coefficient NA) by this exact rule, and we
 * want the same columns dropped, in the same order, as R. The rule (Becker, Chambers & Wilks 1988, R's
 * src/appl/dqrdc2.f): process the columns left to right; before reducing column l, if the norm of its part
 * below row l − 1 (after the reflections of the columns already kept) is below `tol` × its original norm,
 * move it to the right-hand end and shift the remaining ones left. Kept columns therefore keep their
 * relative order, and the aliased ones end up after them, in their original relative order.
 *
 * Storage mirrors LINPACK: `qr[j]` is column j of the pivoted, reduced matrix — R in its upper triangle,
 * the Householder vectors below the diagonal with their first element in `qraux[j]` — so H_j = I − v vᵀ / v₁
 * with v = (qraux[j], qr[j][j+1 … n−1]) on rows j … n − 1.
 */

export interface QrDecomposition {
  /** Rows. */
  n: number;
  /** Columns. */
  p: number;
  /** The reduced columns, in pivoted order (see the module comment for the layout). */
  qr: Float64Array[];
  /** First elements of the Householder vectors (LINPACK `qraux`). */
  qraux: Float64Array;
  /** pivot[j] = original (0-based) index of the column in position j; the first `rank` are the kept columns. */
  pivot: number[];
  /** Numerical rank: the number of columns kept (not aliased). */
  rank: number;
  /** The tolerance used. */
  tol: number;
}

/** Euclidean norm of x[from … to−1], scaled as BLAS dnrm2 so that it neither overflows nor underflows. */
function norm2(x: Float64Array, from: number, to: number): number {
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < to; i++) {
    const v = x[i];
    if (v !== 0) {
      const a = Math.abs(v);
      if (scale < a) {
        const q = scale / a;
        ssq = 1 + ssq * q * q;
        scale = a;
      } else {
        // (a/scale)² with one division: the same quotient squared.
        const q = a / scale;
        ssq += q * q;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

export interface QrOptions {
  /** Decompose `columns` themselves (they become `qr.qr`, reordered and overwritten) instead of copies of them. */
  inPlace?: boolean;
  /**
   * A vector reflected along with the columns, in place: on return it is Qᵀy, equal bit for bit to `qrQty(qr, y)`
   * (the same reflections, the same operations in the same order), without a second pass over the rows.
   */
  qty?: Float64Array;
}

/**
 * QR decomposition of the n × p matrix whose columns are `columns` (copied, not modified, unless `inPlace`), as
 * R's `qr(x, tol = 1e-7, LAPACK = FALSE)` / `lm`: LINPACK dqrdc2 with limited pivoting.
 * A column whose remaining norm falls below `tol` × its original norm is declared aliased and moved to the end.
 * Reference: Dongarra et al. (1979) LINPACK Users' Guide ch. 9; R's src/appl/dqrdc2.f.
 */
export function qrDecompose(columns: Float64Array[], tol = 1e-7, options: QrOptions = {}): QrDecomposition {
  const p = columns.length;
  const n = p > 0 ? columns[0].length : 0;
  for (const c of columns) if (c.length !== n) throw new RangeError('qrDecompose: columns of different lengths');
  const qty = options.qty ?? null;
  if (qty !== null && qty.length !== n) throw new RangeError('qrDecompose: y of another length than the columns');
  const x = options.inPlace ? columns : columns.map((c) => Float64Array.from(c));
  const qraux = new Float64Array(p);
  const work1 = new Float64Array(p); // running norms (kept for fidelity to dqrdc2; only work2 enters the rule)
  const work2 = new Float64Array(p); // original norms (1 where a column is all zero)
  const pivot = Array.from({ length: p }, (_, j) => j);
  if (n > 0) {
    for (let j = 0; j < p; j++) {
      qraux[j] = norm2(x[j], 0, n);
      work1[j] = qraux[j];
      work2[j] = qraux[j] === 0 ? 1 : qraux[j];
    }
  }
  const lup = Math.min(n, p);
  // k: 1 + the (1-based) position of the first column moved to the end, as in the Fortran.
  let k = p + 1;
  for (let l = 0; l < lup; l++) {
    // Cycle negligible columns to the right-hand edge; `l + 1 < k` (1-based l < k) avoids infinite cycling.
    while (l + 1 < k && qraux[l] < work2[l] * tol) {
      const col = x[l];
      const piv = pivot[l];
      const qa = qraux[l];
      const w1 = work1[l];
      const w2 = work2[l];
      for (let j = l + 1; j < p; j++) {
        x[j - 1] = x[j];
        pivot[j - 1] = pivot[j];
        qraux[j - 1] = qraux[j];
        work1[j - 1] = work1[j];
        work2[j - 1] = work2[j];
      }
      x[p - 1] = col;
      pivot[p - 1] = piv;
      qraux[p - 1] = qa;
      work1[p - 1] = w1;
      work2[p - 1] = w2;
      k--;
    }
    if (l === n - 1) continue; // last row: nothing to reflect
    const xl = x[l];
    let nrmxl = norm2(xl, l, n);
    // Qᵀy (qrQty) reflects y by the kept columns only: column l is kept while l + 1 < k (the aliased ones sit at
    // k − 1 … p − 1 and no later step moves an earlier column).
    const reflectsY = qty !== null && l + 1 < k;
    if (nrmxl === 0) {
      // No reflection for the columns; qrQty would still apply H_l with v₁ = qraux[l]: do as it does.
      if (reflectsY) reflectVector(qraux[l], xl, l, n, qty);
      continue;
    }
    if (xl[l] !== 0) nrmxl = xl[l] < 0 ? -Math.abs(nrmxl) : Math.abs(nrmxl);
    for (let i = l; i < n; i++) xl[i] /= nrmxl;
    xl[l] = 1 + xl[l];
    // Apply the reflection to the remaining columns (and y), then downdate the columns' norms.
    const targets = x.slice(l + 1, p);
    if (reflectsY) targets.push(qty);
    reflectColumns(xl, targets, l, n, reflectsY ? qty : null);
    for (let j = l + 1; j < p; j++) {
      const xj = x[j];
      if (qraux[j] !== 0) {
        const r = Math.abs(xj[l]) / qraux[j];
        const tt = Math.max(1 - r * r, 0);
        // R's 9/99 change: recompute the norm when it has dropped a lot (the tolerance is on the squared norm),
        // since the downdate loses accuracy exactly where the aliasing decision is made.
        if (Math.abs(tt) >= 1e-6) {
          qraux[j] *= Math.sqrt(tt);
        } else {
          qraux[j] = norm2(xj, l + 1, n);
          work1[j] = qraux[j];
        }
      }
    }
    qraux[l] = xl[l];
    xl[l] = -nrmxl;
  }
  const rank = Math.min(k - 1, n);
  return { n, p, qr: x, qraux, pivot, rank, tol };
}

/**
 * Apply H_l = I − v vᵀ / v₁ (v = xl[l … n−1]) to each of `targets` over rows l … n−1: x += t·v with
 * t = −(v·x)/v₁. Four columns go through each loop together: their dot products are four independent sums, each
 * still added in row order (so every bit is as column by column), but the processor overlaps them instead of
 * waiting for one sum's additions in turn, and v is read once for the four. The dot products of the columns start
 * at +0, as dqrdc2's; that of `y` (qrDecompose's `qty`) at −0, so that −0 + v₁y_l = v₁y_l exactly, as `reflect`
 * starts its sum, sign of zero included.
 */
function reflectColumns(xl: Float64Array, targets: Float64Array[], l: number, n: number, y: Float64Array | null): void {
  const v1 = xl[l];
  const count = targets.length;
  let j = 0;
  for (; j + 3 < count; j += 4) {
    const a = targets[j];
    const b = targets[j + 1];
    const c = targets[j + 2];
    const d = targets[j + 3];
    let da = a === y ? -0 : 0;
    let db = b === y ? -0 : 0;
    let dc = c === y ? -0 : 0;
    let dd = d === y ? -0 : 0;
    for (let i = l; i < n; i++) {
      const v = xl[i];
      da += v * a[i];
      db += v * b[i];
      dc += v * c[i];
      dd += v * d[i];
    }
    const ta = -da / v1;
    const tb = -db / v1;
    const tc = -dc / v1;
    const td = -dd / v1;
    for (let i = l; i < n; i++) {
      const v = xl[i];
      a[i] += ta * v;
      b[i] += tb * v;
      c[i] += tc * v;
      d[i] += td * v;
    }
  }
  // The rest two at a time (a lone column's sum waits on each addition), then the last one.
  for (; j + 1 < count; j += 2) {
    const a = targets[j];
    const b = targets[j + 1];
    let da = a === y ? -0 : 0;
    let db = b === y ? -0 : 0;
    for (let i = l; i < n; i++) {
      const v = xl[i];
      da += v * a[i];
      db += v * b[i];
    }
    const ta = -da / v1;
    const tb = -db / v1;
    for (let i = l; i < n; i++) {
      const v = xl[i];
      a[i] += ta * v;
      b[i] += tb * v;
    }
  }
  for (; j < count; j++) {
    const xj = targets[j];
    let dot = xj === y ? -0 : 0;
    for (let i = l; i < n; i++) dot += xl[i] * xj[i];
    const t = -dot / v1;
    for (let i = l; i < n; i++) xj[i] += t * xl[i];
  }
}

/** Number of Householder reflections `dqrsl` applies with k kept columns: min(k, n − 1). */
function reflections(qr: QrDecomposition, k: number): number {
  return Math.min(k, qr.n - 1);
}

/** Apply H_j (I − v vᵀ / v₁) in place to y; v as stored by qrDecompose. */
function reflect(qr: QrDecomposition, j: number, y: Float64Array): void {
  reflectVector(qr.qraux[j], qr.qr[j], j, qr.n, y);
}

/** dqrsl's H_j y: v = (v₁, col[j+1 … n−1]) on rows j … n − 1; nothing when v₁ = 0. */
function reflectVector(v1: number, col: Float64Array, j: number, n: number, y: Float64Array): void {
  if (v1 === 0) return;
  let dot = v1 * y[j];
  for (let i = j + 1; i < n; i++) dot += col[i] * y[i];
  const t = -dot / v1;
  y[j] += t * v1;
  for (let i = j + 1; i < n; i++) y[i] += t * col[i];
}

/** Qᵀy using the first k reflections (k defaults to the rank), as R's `qr.qty`. */
export function qrQty(qr: QrDecomposition, y: Float64Array, k = qr.rank): Float64Array {
  const out = Float64Array.from(y);
  const ju = reflections(qr, k);
  for (let j = 0; j < ju; j++) reflect(qr, j, out);
  return out;
}

/** Qy using the first k reflections (k defaults to the rank), as R's `qr.qy`. */
export function qrQy(qr: QrDecomposition, y: Float64Array, k = qr.rank): Float64Array {
  return qyInPlace(qr, Float64Array.from(y), k);
}

function qyInPlace(qr: QrDecomposition, y: Float64Array, k: number): Float64Array {
  const ju = reflections(qr, k);
  for (let j = ju - 1; j >= 0; j--) reflect(qr, j, y);
  return y;
}

/**
 * Least-squares coefficients in the ORIGINAL column order, null for aliased columns (R's NA), as `qr.coef`:
 * solve R₁₁ b = (Qᵀy)[0 … rank−1] by back substitution, then undo the pivoting.
 */
export function qrCoef(qr: QrDecomposition, y: Float64Array): (number | null)[] {
  return qrCoefOfQty(qr, qrQty(qr, y));
}

/** `qrCoef` from Qᵀy already at hand (qrQty, or qrDecompose's `qty`). */
export function qrCoefOfQty(qr: QrDecomposition, qty: Float64Array): (number | null)[] {
  const r = qr.rank;
  const b = new Float64Array(r);
  for (let i = r - 1; i >= 0; i--) {
    let s = qty[i];
    for (let j = i + 1; j < r; j++) s -= qr.qr[j][i] * b[j];
    b[i] = s / qr.qr[i][i];
  }
  const out: (number | null)[] = new Array(qr.p).fill(null);
  for (let i = 0; i < r; i++) out[qr.pivot[i]] = b[i];
  return out;
}

/** Residuals y − ŷ as R's `qr.resid` (LINPACK dqrsl): Qᵀy with its first `rank` entries zeroed, multiplied back by Q. */
export function qrResiduals(qr: QrDecomposition, y: Float64Array): Float64Array {
  return qrResidualsOfQty(qr, qrQty(qr, y));
}

/** `qrResiduals` from Qᵀy already at hand (not modified), written into `out` when given (n long). */
export function qrResidualsOfQty(qr: QrDecomposition, qty: Float64Array, out: Float64Array = new Float64Array(qty.length)): Float64Array {
  out.set(qty);
  for (let i = 0; i < qr.rank; i++) out[i] = 0;
  return qyInPlace(qr, out, qr.rank);
}

/**
 * Diagonal of the hat matrix H = Q₁Q₁ᵀ (Q₁: the first `rank` columns of Q): h_i = Σ_j Q_ij², as R's
 * `lm.influence`, which also sets h_i ≥ 1 − 10·ε to exactly 1.
 */
export function qrHat(qr: QrDecomposition): Float64Array {
  const hat = new Float64Array(qr.n);
  const e = new Float64Array(qr.n);
  for (let j = 0; j < qr.rank; j++) {
    e.fill(0);
    e[j] = 1;
    const q = qrQy(qr, e);
    for (let i = 0; i < qr.n; i++) hat[i] += q[i] * q[i];
  }
  const tol = 10 * Number.EPSILON;
  for (let i = 0; i < qr.n; i++) if (hat[i] >= 1 - tol) hat[i] = 1;
  return hat;
}

/**
 * (R₁₁ᵀR₁₁)⁻¹ = (X₁ᵀX₁)⁻¹ over the kept columns, in PIVOTED order (rank × rank, row-major), as R's
 * `chol2inv(qr$qr[1:rank, 1:rank])` (summary.lm's `cov.unscaled`): invert the triangular R₁₁ by back
 * substitution, then form R⁻¹R⁻ᵀ.
 */
export function qrUnscaledCovariance(qr: QrDecomposition): Float64Array {
  const r = qr.rank;
  // Rinv upper triangular, column-major in rinv[j][i] (row i, column j).
  const rinv: Float64Array[] = Array.from({ length: r }, () => new Float64Array(r));
  for (let j = 0; j < r; j++) {
    rinv[j][j] = 1 / qr.qr[j][j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= j; m++) s += qr.qr[m][i] * rinv[j][m];
      rinv[j][i] = -s / qr.qr[i][i];
    }
  }
  const out = new Float64Array(r * r);
  for (let a = 0; a < r; a++) {
    for (let b = a; b < r; b++) {
      let s = 0;
      for (let m = Math.max(a, b); m < r; m++) s += rinv[m][a] * rinv[m][b];
      out[a * r + b] = s;
      out[b * r + a] = s;
    }
  }
  return out;
}
