/**
 * Running univariate summaries in one pass: Welford's (1962) update keeps the mean and the sum of squared
 * deviations accurate where the naive Σx² − n·x̄² would cancel. SD is the sample SD (n − 1 denominator), as R's sd().
 */
export class RunningStats {
  n = 0;
  mean = 0;
  /** Σ (x − mean)². */
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(x: number): void {
    this.n++;
    const delta = x - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Sample SD, null when n < 2. */
  sd(): number | null {
    return this.n < 2 ? null : Math.sqrt(this.m2 / (this.n - 1));
  }
}

/**
 * Quantile of sorted data, R's default type 7: h = (n − 1)p, x[floor h] + (h − floor h)(x[floor h + 1] − x[floor h]).
 * Hyndman & Fan (1996).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
