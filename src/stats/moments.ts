/**
 * First and second co-moments of p variables: the count, the means and the centred cross-product
 * matrix Σ (v_i − mean_i)(v_j − mean_j). Everything the correlation statistics need, in O(p²) memory
 * whatever the number of rows, and without ever forming raw sums of squares (Σ v², whose difference
 * with n·mean² cancels catastrophically for data such as SAT scores around 600 ± 100).
 *
 * References: Welford (1962) Technometrics 4:419 (one observation at a time);
 * Chan, Golub & LeVeque (1979) "Updating formulae and a pairwise algorithm for computing sample
 * variances", Stanford CS report STAN-CS-79-773 (merging two sets); Björck (1996) §2.2 / Chan, Golub &
 * LeVeque (1983) Am Stat 37:242 (corrected two-pass algorithm, used for held data).
 */
export class CoMoments {
  /** Number of observations added. */
  n = 0;
  /** Means, length p. */
  mean: Float64Array;
  private cross: Float64Array;
  /** `add` updates the upper triangle only (half the work per row); the lower one is filled when m2 is read. */
  private lowerStale = false;
  private size: number;
  /** Deviations from the old means of the observation being added; kept to avoid allocating per row. */
  private delta: Float64Array;

  constructor(p: number) {
    if (!Number.isInteger(p) || p < 0) throw new RangeError(`CoMoments needs a whole number of variables, got ${p}`);
    this.size = p;
    this.mean = new Float64Array(p);
    this.cross = new Float64Array(p * p);
    this.delta = new Float64Array(p);
  }

  /** Centred cross-products, p × p row-major and symmetric: m2[i·p + j] = Σ (v_i − mean_i)(v_j − mean_j). */
  get m2(): Float64Array {
    if (this.lowerStale) {
      const p = this.size;
      const m2 = this.cross;
      for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) m2[j * p + i] = m2[i * p + j];
      this.lowerStale = false;
    }
    return this.cross;
  }

  set m2(value: Float64Array) {
    this.cross = value;
    this.lowerStale = false;
  }

  /** Number of variables. */
  get p(): number {
    return this.size;
  }

  /** Forget every observation (keeps the variables). */
  reset(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }

  /**
   * Adds one observation (all p values finite). Welford's update, in its symmetric form: with
   * δ_i = v_i − mean_i(before), mean_i += δ_i / n and m2_ij += δ_i δ_j (n − 1) / n.
   */
  add(values: ArrayLike<number>): void {
    const p = this.size;
    if (values.length !== p) throw new RangeError(`CoMoments.add: expected ${p} values, got ${values.length}`);
    const n = this.n + 1;
    this.n = n;
    const { mean, cross: m2, delta } = this;
    for (let i = 0; i < p; i++) {
      const d = values[i] - mean[i];
      delta[i] = d;
      mean[i] += d / n;
    }
    const f = (n - 1) / n;
    for (let i = 0; i < p; i++) {
      const di = delta[i] * f;
      const row = i * p;
      for (let j = i; j < p; j++) m2[row + j] += di * delta[j];
    }
    this.lowerStale = true;
  }

  /**
   * Appends a variable that was 0 on every observation seen so far (a categorical level that has just
   * appeared while streaming) and returns its index. Its mean and every cross-product involving it are
   * then exactly 0, and because Welford's update of entry (i, j) depends only on δ_i and δ_j, the
   * moments that follow are bit-for-bit those obtained with the zero column present from the start.
   */
  addVariable(): number {
    const p = this.size;
    const q = p + 1;
    const mean = new Float64Array(q);
    mean.set(this.mean);
    const m2 = new Float64Array(q * q);
    for (let i = 0; i < p; i++) m2.set(this.m2.subarray(i * p, i * p + p), i * q);
    this.mean = mean;
    this.m2 = m2;
    this.delta = new Float64Array(q);
    this.size = q;
    return p;
  }

  /**
   * Adds every observation of `other` (same variables in the same order). Chan, Golub & LeVeque:
   * with δ = mean_b − mean_a, mean = mean_a + δ·n_b / n, m2 = m2_a + m2_b + δ_i δ_j n_a n_b / n.
   */
  merge(other: CoMoments): void {
    const p = this.size;
    if (other.p !== p) throw new RangeError(`CoMoments.merge: ${other.p} variables into ${p}`);
    if (other.n === 0) return;
    if (this.n === 0) {
      this.n = other.n;
      this.mean.set(other.mean);
      this.m2.set(other.m2);
      return;
    }
    const na = this.n;
    const nb = other.n;
    const n = na + nb;
    const { mean, m2, delta } = this;
    for (let i = 0; i < p; i++) {
      delta[i] = other.mean[i] - mean[i];
      mean[i] += (delta[i] * nb) / n;
    }
    const f = (na * nb) / n;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) m2[i * p + j] += other.m2[i * p + j] + delta[i] * delta[j] * f;
    }
    this.n = n;
  }

  /** A deep copy. */
  clone(): CoMoments {
    const c = new CoMoments(this.size);
    c.n = this.n;
    c.mean.set(this.mean);
    c.m2.set(this.m2);
    return c;
  }

  /**
   * The co-moments after variable `v` is replaced by v + δ·s, s another of the variables (an indicator of the
   * imputed rows, for a delta-adjustment sensitivity analysis): exact, from bilinearity of centred cross-products,
   *   mean'_v = mean_v + δ·mean_s,  C'_vv = C_vv + 2δ·C_vs + δ²·C_ss,  C'_vj = C_vj + δ·C_sj (j ≠ v).
   */
  shifted(v: number, s: number, delta: number): CoMoments {
    const c = this.clone();
    const p = this.size;
    const src = this.m2;
    const m2 = c.m2;
    c.mean[v] += delta * this.mean[s];
    for (let j = 0; j < p; j++) {
      if (j === v) continue;
      m2[v * p + j] = src[v * p + j] + delta * src[s * p + j];
      m2[j * p + v] = m2[v * p + j];
    }
    m2[v * p + v] = src[v * p + v] + 2 * delta * src[v * p + s] + delta * delta * src[s * p + s];
    return c;
  }

  /**
   * Norm of variable i as a raw column, sqrt(Σ v_i²) = sqrt(m2_ii + n·mean_i²): the yardstick R's QR
   * (LINPACK dqrdc2) measures a column's residual against when deciding it is negligible.
   */
  uncentredNorm(i: number): number {
    const p = this.size;
    const v = this.m2[i * p + i] + this.n * this.mean[i] * this.mean[i];
    return Math.sqrt(Math.max(v, 0));
  }
}

/**
 * Co-moments of held data: `columns[j][row]`, over every row or over the rows listed in `rows`
 * (which may repeat a row: a bootstrap resample). Corrected two-pass algorithm (Chan, Golub & LeVeque
 * 1983): means first, then Σ d_i d_j − (Σ d_i)(Σ d_j)/n with d = v − mean, the second term removing
 * the rounding left in the mean. More accurate than streaming, and the reference for `add`.
 */
export function coMomentsOf(columns: ArrayLike<number>[], rows?: ArrayLike<number>): CoMoments {
  const m = new CoMoments(columns.length);
  coMomentsInto(m, columns, rows);
  return m;
}

/** `coMomentsOf` into an existing CoMoments with as many variables as columns (overwrites it). */
export function coMomentsInto(target: CoMoments, columns: ArrayLike<number>[], rows?: ArrayLike<number>): void {
  const p = columns.length;
  if (target.p !== p) throw new RangeError(`coMomentsInto: target has ${target.p} variables, ${p} columns given`);
  const length = p > 0 ? columns[0].length : 0;
  for (const c of columns) {
    if (c.length !== length) throw new RangeError('coMomentsOf: columns differ in length');
  }
  const n = rows ? rows.length : length;
  target.reset();
  target.n = n;
  if (n === 0 || p === 0) return;
  const { mean, m2 } = target;
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let s = 0;
    if (rows) for (let i = 0; i < n; i++) s += col[rows[i]];
    else for (let i = 0; i < n; i++) s += col[i];
    mean[j] = s / n;
  }
  const d = new Float64Array(p);
  const sums = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const row = rows ? rows[i] : i;
    if (rows && (row < 0 || row >= length || !Number.isInteger(row))) throw new RangeError(`coMomentsOf: row ${row} out of range`);
    for (let j = 0; j < p; j++) {
      const v = columns[j][row] - mean[j];
      d[j] = v;
      sums[j] += v;
    }
    for (let a = 0; a < p; a++) {
      const da = d[a];
      const off = a * p;
      for (let b = a; b < p; b++) m2[off + b] += da * d[b];
    }
  }
  finishTwoPass(m2, mean, sums, p, n);
}

/**
 * Second pass of the corrected algorithm, shared with the bootstrap: subtracts (Σ d_a)(Σ d_b)/n from the
 * upper triangle, mirrors it, and adds the mean correction Σ d / n to the means.
 */
export function finishTwoPass(m2: Float64Array, mean: Float64Array, sums: ArrayLike<number>, p: number, n: number): void {
  for (let a = 0; a < p; a++) {
    const off = a * p;
    for (let b = a; b < p; b++) {
      const v = m2[off + b] - (sums[a] * sums[b]) / n;
      m2[off + b] = v;
      m2[b * p + a] = v;
    }
  }
  for (let a = 0; a < p; a++) mean[a] += sums[a] / n;
}
