/**
 * Nonparametric bootstrap confidence intervals for a partial correlation: percentile and BCa
 * (Efron 1987 JASA 82:171; Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 14).
 *
 * A resample is held as multiplicities: counts[i] = how many times row i was drawn. The co-moments of the
 * resampled rows are then Σ counts[i]·(…) over the original rows, computed into one preallocated CoMoments
 * (see WeightedSample): no array is allocated per resample, and the same code serves the full sample
 * (all counts 1). Ranks of a resample (`ranks: true`, Spearman) come from each column's tie structure, computed
 * once, in O(n) per column per resample. The BCa jackknife's n leave-one-out samples are derived from the full
 * sample's co-moments (WeightedSample.jackknife), not recomputed (n passes over n rows): the whole costs
 * resamples × rows.
 *
 * Quantiles of the bootstrap distribution are R's `quantile(type = 7)` (Hyndman & Fan 1996 Am Stat 50:361,
 * definition 7: linear interpolation between order statistics at h = (B − 1)·p); boot's `norm.inter`
 * interpolates on the normal scale instead, which differs from type 7 by far less than the Monte Carlo error
 * at B in the thousands.
 */
import { normalCdf, normalQuantile } from './distributions';
import { CoMoments, finishTwoPass } from './moments';
import { partialCorrelation, partialR, PartialWorkspace } from './partial';
import { createRandom } from './random';
import { rankCountsInto, TieStructure, tieStructure } from './rank';

export interface BootstrapResult {
  /** Resamples drawn. */
  resamples: number;
  /** Resamples on which the statistic was undefined (null): left out of both intervals. */
  failed: number;
  percentile: [number, number] | null;
  bca: [number, number] | null;
  /** Standard deviation of the valid bootstrap values (n − 1 denominator, as R's `sd(boot$t)`): the bootstrap SE. */
  se: number | null;
  /** BCa acceleration a, from the jackknife. */
  acceleration: number | null;
  /** BCa bias correction z0 = Φ⁻¹(#{θ* < θ̂} / B_valid) (on the normal scale, not r − mean(r*)). */
  bias: number | null;
  /** The statistic on the full sample, θ̂ (equal to `partialCorrelation`'s r up to rounding, ~1e-15). */
  estimate: number | null;
  /** Why an interval or constant is null. */
  reason?: string;
  /** The valid bootstrap values, ascending (when `keepReplicates`): to pool resamples drawn on several data sets. */
  replicates?: Float64Array;
}

export interface BootstrapOptions {
  resamples: number;
  /** Seed for MT19937: the same seed gives the same resamples and intervals. */
  seed: number;
  /** Two-sided confidence level, default 0.95. */
  ciLevel?: number;
  /** Stratum code per row: each stratum is resampled on its own, keeping its size. */
  strata?: Int32Array;
  /**
   * The statistic, from the co-moments of all `columns` (in their order); default the partial correlation
   * of x and y given z, computed from those columns only. With a custom statistic every column enters the
   * co-moments, so pass only the columns it needs.
   */
  statistic?: (m: CoMoments) => number | null;
  /** Replace the values by their average ranks within each sample (full, resample, jackknife): Spearman. */
  ranks?: boolean;
  /** Called after each resample with (done, total): a progress line (the stats layer writes nothing itself). */
  onResample?: (done: number, total: number) => void;
  /** Return the bootstrap values themselves (BootstrapResult.replicates). */
  keepReplicates?: boolean;
}

/**
 * Bootstrap of the partial correlation of columns[x] and columns[y] given columns[z] (complete cases,
 * rows aligned). Rows are drawn with replacement (within strata when given) `resamples` times from
 * `createRandom(seed)`; resamples where the statistic is null are counted in `failed` and excluded.
 *
 * Percentile interval: type-7 quantiles of the bootstrap values at (1 ∓ level)/2.
 * BCa: quantiles at α' = Φ(z0 + (z0 + z_α) / (1 − a (z0 + z_α))) for α = (1 ∓ level)/2 (Efron 1987),
 * with z0 from the proportion of bootstrap values below θ̂ and a from the jackknife, see `jackknifeAcceleration`.
 */
export function bootstrapPartial(columns: Float64Array[], x: number, y: number, z: number[], opts: BootstrapOptions): BootstrapResult {
  const { resamples, strata, statistic, ranks = false } = opts;
  const level = opts.ciLevel ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive whole number, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must lie strictly between 0 and 1, got ${level}`);
  const n = columns.length > 0 ? columns[0].length : 0;
  for (const c of columns) if (c.length !== n) throw new RangeError('bootstrapPartial: columns differ in length');
  const valid = (i: number) => Number.isInteger(i) && i >= 0 && i < columns.length;
  if (![x, y, ...z].every(valid)) throw new RangeError(`bootstrapPartial: variable index out of range (${columns.length} columns)`);
  if (strata && strata.length !== n) throw new RangeError(`bootstrapPartial: ${strata.length} stratum codes for ${n} rows`);

  // The variables entering the co-moments, and the statistic on them.
  let vars: number[];
  let evaluate: (m: CoMoments) => number | null;
  if (statistic) {
    vars = columns.map((_, j) => j);
    evaluate = statistic;
  } else {
    vars = [...new Set([x, y, ...z])];
    const local = (i: number) => vars.indexOf(i);
    const lz = Int32Array.from(z, local);
    const lx = local(x);
    const ly = local(y);
    const ws = new PartialWorkspace();
    evaluate = (m) => partialR(m, lx, ly, lz, 'both', ws);
  }
  const sample = new WeightedSample(vars.map((j) => columns[j]), ranks);
  const [result] = resampleStatistics(sample, n, [evaluate], { ...opts, ciLevel: level });
  if (result.estimate === null && !statistic) {
    const counts = new Int32Array(n).fill(1);
    result.reason = `undefined on the full sample: ${partialCorrelation(sample.moments(counts), vars.indexOf(x), vars.indexOf(y), z.map((i) => vars.indexOf(i))).reason}`;
  }
  return result;
}

/**
 * Several statistics of the same resamples: each resample's co-moments of all `columns` are computed once and every
 * statistic evaluated on them (the resamples, hence the intervals, are those `bootstrapPartial` with the same seed
 * and a custom statistic gives each alone). Same options and intervals as `bootstrapPartial`.
 */
export function bootstrapStatistics(columns: Float64Array[], statistics: Array<(m: CoMoments) => number | null>, opts: Omit<BootstrapOptions, 'statistic' | 'ranks'>): BootstrapResult[] {
  const level = opts.ciLevel ?? 0.95;
  if (!Number.isInteger(opts.resamples) || opts.resamples < 1) throw new RangeError(`resamples must be a positive whole number, got ${opts.resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must lie strictly between 0 and 1, got ${level}`);
  const n = columns.length > 0 ? columns[0].length : 0;
  for (const c of columns) if (c.length !== n) throw new RangeError('bootstrapStatistics: columns differ in length');
  if (opts.strata && opts.strata.length !== n) throw new RangeError(`bootstrapStatistics: ${opts.strata.length} stratum codes for ${n} rows`);
  return resampleStatistics(new WeightedSample(columns, false), n, statistics, { ...opts, ciLevel: level });
}

/**
 * The bootstrap loop: `resamples` draws of row multiplicities from `createRandom(seed)` (within strata when given),
 * every statistic evaluated on each; then per statistic the percentile interval, the jackknife acceleration and BCa.
 */
function resampleStatistics(
  sample: WeightedSample,
  n: number,
  evaluates: Array<(m: CoMoments) => number | null>,
  opts: Omit<BootstrapOptions, 'statistic' | 'ranks'> & { ciLevel: number },
): BootstrapResult[] {
  const { resamples, seed, strata, ciLevel: level } = opts;
  const k = evaluates.length;
  const counts = new Int32Array(n).fill(1);
  const full = sample.moments(counts);
  const estimates = evaluates.map((evaluate) => evaluate(full));
  const live = estimates.map((e) => defined(e));
  const results: BootstrapResult[] = estimates.map((estimate, s) =>
    live[s]
      ? { resamples, failed: 0, percentile: null, bca: null, se: null, acceleration: null, bias: null, estimate: estimate! }
      : { resamples: 0, failed: 0, percentile: null, bca: null, se: null, acceleration: null, bias: null, estimate: null, reason: 'the statistic is undefined on the full sample' },
  );
  if (!live.some(Boolean)) return results;

  const groups = strataGroups(n, strata);
  const rng = createRandom(seed);
  const values = evaluates.map((_, s) => new Float64Array(live[s] ? resamples : 0));
  const kept = new Int32Array(k);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    if (strata) {
      for (const rows of groups) {
        const size = rows.length;
        for (let t = 0; t < size; t++) counts[rows[rng.int(size)]]++;
      }
    } else {
      // The same draws without the identity lookup: one random memory access a draw, not two (at 10⁶ rows each
      // is a cache miss).
      for (let t = 0; t < n; t++) counts[rng.int(n)]++;
    }
    const moments = sample.moments(counts);
    for (let s = 0; s < k; s++) {
      if (!live[s]) continue;
      const theta = evaluates[s](moments);
      if (defined(theta)) values[s][kept[s]++] = theta;
    }
    opts.onResample?.(b + 1, resamples);
  }
  const alpha = (1 - level) / 2;
  for (let s = 0; s < k; s++) {
    if (!live[s]) continue;
    const result = results[s];
    const replicates = values[s].subarray(0, kept[s]).sort();
    result.failed = resamples - kept[s];
    result.se = standardDeviation(replicates);
    if (opts.keepReplicates) result.replicates = replicates;
    if (kept[s] === 0) {
      result.reason = 'the statistic was undefined on every resample';
      continue;
    }
    result.percentile = [quantileType7(replicates, alpha), quantileType7(replicates, 1 - alpha)];
    // Jackknife: leave each row out in turn, from the full sample's co-moments (see WeightedSample.jackknife).
    const jackknife = sample.jackknife(evaluates[s]);
    if (typeof jackknife === 'number') {
      result.reason = `the statistic is undefined without row ${jackknife + 1} (jackknife): no BCa acceleration`;
      continue;
    }
    result.acceleration = jackknifeAcceleration(jackknife, strata);
    const bca = bcaInterval(replicates, result.estimate!, result.acceleration, level);
    result.bias = bca.z0;
    result.bca = bca.interval;
    if (bca.reason) result.reason = bca.reason;
  }
  return results;
}

/**
 * R's `quantile(x, prob, type = 7)` of ascending `sorted` (length ≥ 1): with index h = 1 + (B − 1)·prob,
 * lo = ⌊h⌋, hi = ⌈h⌉, (1 − (h − lo))·x_lo + (h − lo)·x_hi, the form R computes.
 */
export function quantileType7(sorted: ArrayLike<number>, prob: number): number {
  const count = sorted.length;
  if (count === 0) throw new RangeError('quantile of an empty sample');
  if (!(prob >= 0 && prob <= 1)) throw new RangeError(`probability must lie in [0, 1], got ${prob}`);
  const index = 1 + Math.max(count - 1, 0) * prob;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qs = sorted[lo - 1];
  const h = index - lo;
  if (!(index > lo && sorted[hi - 1] !== qs)) return qs;
  return (1 - h) * qs + h * sorted[hi - 1];
}

/**
 * BCa acceleration from leave-one-out values θ₍ᵢ₎ (Efron & Tibshirani 1993 eq. 14.15):
 * a = Σ (θ̄ − θ₍ᵢ₎)³ / (6 (Σ (θ̄ − θ₍ᵢ₎)²)^{3/2}), θ̄ the mean of the θ₍ᵢ₎.
 * With strata, each stratum s of size n_s has its own mean θ̄_s and influence values
 * l = (n_s − 1)(θ̄_s − θ₍ᵢ₎), combined as a = Σ_s n_s⁻³ Σ l³ / (6 (Σ_s n_s⁻² Σ l²)^{3/2})
 * (Davison & Hinkley 1997, Bootstrap Methods and their Application, ch. 3 stratified influence values and ch. 5 BCa); with one stratum the
 * factors cancel and this is the formula above. 0 when every θ₍ᵢ₎ equals its stratum mean (no skewness to correct).
 */
export function jackknifeAcceleration(leaveOneOut: ArrayLike<number>, strata?: ArrayLike<number>): number {
  const n = leaveOneOut.length;
  if (strata && strata.length !== n) throw new RangeError(`${strata.length} stratum codes for ${n} jackknife values`);
  let s2 = 0;
  let s3 = 0;
  for (const rows of strataGroups(n, strata)) {
    const size = rows.length;
    if (size < 2) continue;
    let mean = 0;
    for (const i of rows) mean += leaveOneOut[i];
    mean /= size;
    let d2 = 0;
    let d3 = 0;
    for (const i of rows) {
      const d = mean - leaveOneOut[i];
      d2 += d * d;
      d3 += d * d * d;
    }
    const f = (size - 1) / size;
    s2 += f * f * d2;
    s3 += f * f * f * d3;
  }
  return s2 > 0 ? s3 / (6 * s2 ** 1.5) : 0;
}

/**
 * BCa interval from ascending bootstrap values, the estimate θ̂ and the acceleration a (Efron 1987):
 * z0 = Φ⁻¹(#{θ* < θ̂} / B); for α = (1 − level)/2 and 1 − α, α' = Φ(z0 + (z0 + z_α)/(1 − a(z0 + z_α)));
 * limits = type-7 quantiles at α'. Null (with the reason) when z0 is infinite (every θ* on one side of θ̂)
 * or when 1 − a(z0 + z_α) ≤ 0 (acceleration too large for the formula).
 */
export function bcaInterval(sorted: ArrayLike<number>, estimate: number, acceleration: number, level = 0.95): { interval: [number, number] | null; z0: number | null; reason?: string } {
  const count = sorted.length;
  let below = 0;
  while (below < count && sorted[below] < estimate) below++;
  if (below === 0 || below === count) {
    return { interval: null, z0: null, reason: `every bootstrap value lies ${below === 0 ? 'at or above' : 'below'} the estimate: the BCa bias correction is infinite` };
  }
  const z0 = normalQuantile(below / count);
  const alpha = (1 - level) / 2;
  const limits: number[] = [];
  for (const a of [alpha, 1 - alpha]) {
    const w = z0 + normalQuantile(a);
    const denominator = 1 - acceleration * w;
    if (!(denominator > 0)) return { interval: null, z0, reason: `acceleration ${acceleration} is too large for the BCa formula` };
    limits.push(quantileType7(sorted, normalCdf(z0 + w / denominator)));
  }
  return { interval: [limits[0], limits[1]], z0 };
}

/** Sample standard deviation (n − 1 denominator), by two passes; null for fewer than two values. */
function standardDeviation(values: Float64Array): number | null {
  const count = values.length;
  if (count < 2) return null;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += values[i];
  mean /= count;
  let ss = 0;
  for (let i = 0; i < count; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (count - 1));
}

/** A custom statistic may return NaN or ±Infinity: treated as undefined (failed), like null. */
function defined(theta: number | null): theta is number {
  return theta !== null && Number.isFinite(theta);
}

/** Row indices grouped by stratum code (ascending codes), or one group of every row. */
function strataGroups(n: number, strata?: ArrayLike<number>): Int32Array[] {
  if (!strata) return [Int32Array.from({ length: n }, (_, i) => i)];
  const byCode = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const code = strata[i];
    let rows = byCode.get(code);
    if (!rows) byCode.set(code, (rows = []));
    rows.push(i);
  }
  return [...byCode.keys()].sort((a, b) => a - b).map((code) => Int32Array.from(byCode.get(code) as number[]));
}

/**
 * Co-moments of a weighted sample of fixed columns, into one reused CoMoments, in one pass over the rows
 * with the values shifted by the full sample's means s (the "shifted data" algorithm; Chan, Golub &
 * LeVeque 1983 Am Stat 37:242): with d = v − s, N = Σ c_i,
 *   mean = s + Σ c_i d / N,  m2_ab = Σ c_i d_a d_b − (Σ c_i d_a)(Σ c_i d_b) / N.
 * A resample's means stay within a few standard errors of s, so the subtraction loses almost nothing
 * (with ranks, s = (n + 1)/2 is every sample's exact mean rank). The values are held row-major.
 */
export class WeightedSample {
  private readonly target: CoMoments;
  /** Row-major n × p, shifted by `shift`. */
  private readonly data: Float64Array;
  private readonly shift: Float64Array;
  private readonly ties: TieStructure[] | null;
  private readonly sums: Float64Array;
  private readonly p: number;

  constructor(columns: Float64Array[], ranks: boolean) {
    const p = columns.length;
    const n = p > 0 ? columns[0].length : 0;
    this.p = p;
    this.target = new CoMoments(p);
    this.sums = new Float64Array(p);
    this.ties = ranks ? columns.map((c) => tieStructure(c)) : null;
    this.shift = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let total = 0;
      for (let i = 0; i < n; i++) total += columns[j][i];
      this.shift[j] = ranks ? (n + 1) / 2 : n > 0 ? total / n : 0;
    }
    this.data = new Float64Array(n * p);
    if (!ranks) for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) this.data[i * p + j] = columns[j][i] - this.shift[j];
  }

  /** The co-moments of the sample with row i counted counts[i] times (into one reused CoMoments). */
  moments(counts: Int32Array): CoMoments {
    const { target, data, sums, shift, p } = this;
    const rows = counts.length;
    if (this.ties) {
      for (let j = 0; j < p; j++) rankCountsInto(this.ties[j], counts, data, p, j);
      for (let i = 0; i < rows; i++) if (counts[i] !== 0) for (let j = 0; j < p; j++) data[i * p + j] -= shift[j];
    }
    target.reset();
    const { mean, m2 } = target;
    sums.fill(0);
    let total = 0;
    for (let i = 0; i < rows; i++) {
      const c = counts[i];
      if (c === 0) continue;
      total += c;
      const base = i * p;
      for (let a = 0; a < p; a++) {
        const ca = c * data[base + a];
        sums[a] += ca;
        const off = a * p;
        for (let b = a; b < p; b++) m2[off + b] += ca * data[base + b];
      }
    }
    target.n = total;
    if (total === 0) return target;
    mean.set(shift);
    finishTwoPass(m2, mean, sums, p, total);
    return target;
  }

  /**
   * The statistic on each leave-one-out sample θ₍ᵢ₎, i = 0 … n − 1, or the first row whose θ₍ᵢ₎ is undefined.
   * Each sample's co-moments come from the full sample's, never from a pass over the n − 1 rows (which made the
   * jackknife O(n²)); the statistic then sees an ordinary CoMoments.
   *
   * Values: removing row i, with d = v_i − mean, from n rows leaves mean − d/(n − 1) and the cross-products
   * M − n/(n − 1)·d dᵀ (Welford's update run backwards; Chan, Golub & LeVeque 1979). O(n·p²) in all.
   *
   * Ranks: with c_aj = R_aj − (n + 1)/2 the full sample's centred average ranks of column a, removing row i lowers
   * R_aj by 1 where v_aj > v_ai and by ½ where v_aj = v_ai (j ≠ i), and the mean rank becomes n/2, so the centred
   * rank of row j in the smaller sample is c_aj + g_a(i, j) with g_a(i, j) = sign(v_ai − v_aj)/2 (0 for j = i). Then
   *   S_ab(i) = Σ_{j≠i} (c_aj + g_a)(c_bj + g_b) = M_ab − c_ai c_bi + T_ab(i) + T_ba(i) + K_ab(i)/4,
   *   T_ab(i) = ½ Σ_j c_aj sign(v_bi − v_bj)   (prefix sums of c_a in column b's sort order: O(n) for all i),
   *   K_ab(i) = Σ_j sign(v_ai − v_aj) sign(v_bi − v_bj)   (row i's concordant minus discordant pairs, Kendall 1938;
   *             counted for all i with a Fenwick tree, Fenwick 1994: O(n log n)); K_aa(i) = n − (ties of v_ai).
   * O(p²·n log n) time after the sorts the resamples already use, and 8·n·p(p + 1)/2 bytes for the S_ab(i).
   */
  jackknife(evaluate: (m: CoMoments) => number | null): Float64Array | number {
    const { p, target } = this;
    const n = this.data.length / Math.max(p, 1);
    const ones = new Int32Array(n).fill(1);
    const full = this.moments(ones).clone();
    if (n < 2) return 0;
    const values = new Float64Array(n);
    const m2 = target.m2;
    if (!this.ties) {
      const { data, shift } = this;
      const offset = Float64Array.from(full.mean, (m, j) => m - shift[j]);
      const d = new Float64Array(p);
      const scale = n / (n - 1);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < p; j++) d[j] = data[i * p + j] - offset[j];
        target.n = n - 1;
        for (let a = 0; a < p; a++) {
          target.mean[a] = full.mean[a] - d[a] / (n - 1);
          for (let b = 0; b < p; b++) m2[a * p + b] = full.m2[a * p + b] - scale * d[a] * d[b];
        }
        const theta = evaluate(target);
        if (!defined(theta)) return i;
        values[i] = theta;
      }
      return values;
    }
    const cross = rankJackknifeCrossProducts(this.ties, this.data, full.m2, p);
    for (let i = 0; i < n; i++) {
      target.n = n - 1;
      target.mean.fill(n / 2);
      let t = i;
      for (let a = 0; a < p; a++) {
        for (let b = a; b < p; b++, t += n) m2[a * p + b] = m2[b * p + a] = cross[t];
      }
      const theta = evaluate(target);
      if (!defined(theta)) return i;
      values[i] = theta;
    }
    return values;
  }
}

/**
 * The leave-one-out centred rank cross-products S_ab(i) of `WeightedSample.jackknife`, pair-major p(p + 1)/2 × n
 * (pairs a ≤ b in order; each pair's n values together, so that the scattered writes stay within one n-long run),
 * from the columns' tie structures, the full sample's centred ranks c (row-major n × p) and their cross-products M.
 */
function rankJackknifeCrossProducts(ties: TieStructure[], centred: Float64Array, full: Float64Array, p: number): Float64Array {
  const n = centred.length / p;
  const pairs = (p * (p + 1)) / 2;
  const cross = new Float64Array(n * pairs);
  // group[a][row]: index of row's run of equal values in column a's sort order.
  const group = ties.map(({ order, groupStart }) => {
    const g = new Int32Array(n);
    for (let k = 0; k + 1 < groupStart.length; k++) for (let s = groupStart[k]; s < groupStart[k + 1]; s++) g[order[s]] = k;
    return g;
  });
  // T[a][b] for all rows, accumulated straight into the pair (min, max).
  const pairIndex = (a: number, b: number): number => (a <= b ? a * p - (a * (a - 1)) / 2 + (b - a) : pairIndex(b, a));
  const prefix = new Float64Array(n + 1);
  for (let b = 0; b < p; b++) {
    const { order, groupStart } = ties[b];
    for (let a = 0; a < p; a++) {
      for (let s = 0; s < n; s++) prefix[s + 1] = prefix[s] + centred[order[s] * p + a];
      const total = prefix[n];
      const t = pairIndex(a, b);
      const twice = a === b ? 2 : 1;
      for (let k = 0; k + 1 < groupStart.length; k++) {
        const start = groupStart[k];
        const end = groupStart[k + 1];
        const value = (twice * (prefix[start] - (total - prefix[end]))) / 2;
        for (let s = start; s < end; s++) cross[t * n + order[s]] += value;
      }
    }
  }
  // M_ab − c_ai c_bi, and K_ab(i)/4.
  const concordance = new Float64Array(n);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const t = pairIndex(a, b);
      if (a === b) {
        const { order, groupStart } = ties[a];
        for (let k = 0; k + 1 < groupStart.length; k++) {
          const size = groupStart[k + 1] - groupStart[k];
          for (let s = groupStart[k]; s < groupStart[k + 1]; s++) concordance[order[s]] = n - size;
        }
      } else concordancePerRow(ties[a], group[b], ties[b].groupStart.length - 1, concordance);
      const m = full[a * p + b];
      for (let i = 0; i < n; i++) cross[t * n + i] += m - centred[i * p + a] * centred[i * p + b] + concordance[i] / 4;
    }
  }
  return cross;
}

/**
 * K(i) = Σ_j sign(a_i − a_j)·sign(b_i − b_j) for every row i: rows visited in column a's order, one run of equal a at
 * a time, with a Fenwick tree over b's runs counting the rows already passed (below in a) by their b; then the same
 * downwards. Below in a: +#{b_j < b_i} − #{b_j > b_i}; above in a: +#{b_j > b_i} − #{b_j < b_i}.
 */
function concordancePerRow(a: TieStructure, bGroup: Int32Array, bGroups: number, out: Float64Array): void {
  const { order, groupStart } = a;
  const tree = new Int32Array(bGroups + 1);
  const add = (g: number) => {
    for (let k = g + 1; k <= bGroups; k += k & -k) tree[k]++;
  };
  /** Rows in the tree whose b run is below g. */
  const below = (g: number) => {
    let c = 0;
    for (let k = g; k > 0; k -= k & -k) c += tree[k];
    return c;
  };
  const runs = groupStart.length - 1;
  let inserted = 0;
  for (let k = 0; k < runs; k++) {
    for (let s = groupStart[k]; s < groupStart[k + 1]; s++) {
      const g = bGroup[order[s]];
      const less = below(g);
      const greater = inserted - below(g + 1);
      out[order[s]] = less - greater;
    }
    for (let s = groupStart[k]; s < groupStart[k + 1]; s++) add(bGroup[order[s]]);
    inserted += groupStart[k + 1] - groupStart[k];
  }
  tree.fill(0);
  inserted = 0;
  for (let k = runs - 1; k >= 0; k--) {
    for (let s = groupStart[k]; s < groupStart[k + 1]; s++) {
      const g = bGroup[order[s]];
      const less = below(g);
      const greater = inserted - below(g + 1);
      out[order[s]] += greater - less;
    }
    for (let s = groupStart[k]; s < groupStart[k + 1]; s++) add(bGroup[order[s]]);
    inserted += groupStart[k + 1] - groupStart[k];
  }
}

/**
 * Bootstrap values drawn on several data sets (the M completed data sets of a multiple imputation, each resampled on
 * its own) pooled into one distribution: its SD and its percentile interval, type-7 quantiles at (1 ∓ level)/2 of all
 * the values together — "MI Boot (pooled sample)" of Schomaker & Heumann (2018), Stat Med 37:2252, §2.3. No BCa: its
 * bias correction and acceleration belong to one data set's estimate and jackknife.
 */
export function pooledPercentile(sets: readonly Float64Array[], level = 0.95): { values: number; se: number | null; percentile: [number, number] | null } {
  const total = sets.reduce((sum, set) => sum + set.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const set of sets) {
    all.set(set, at);
    at += set.length;
  }
  all.sort();
  const alpha = (1 - level) / 2;
  return {
    values: total,
    se: standardDeviation(all),
    percentile: total === 0 ? null : [quantileType7(all, alpha), quantileType7(all, 1 - alpha)],
  };
}
