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
import { qrCoef, qrCoefOfQty, qrDecompose, qrResidualsOfQty, qrUnscaledCovariance } from './qr';
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
 * Buffers of one variable's PMM step (n₁ observed rows, p predictors), made once by the caller and reused at every
 * iteration, so that a step allocates nothing in proportion to n₁: X_obs (overwritten by the QR decomposition),
 * y_obs, Qᵀy, the residuals, ŷ_obs, and the donor sort's arrays.
 */
export interface PmmScratch {
  x: Float64Array[];
  yObs: Float64Array;
  qty: Float64Array;
  residuals: Float64Array;
  yhatObs: Float64Array;
  sort: SortScratch;
}

/** The donor sort's arrays (stableOrder): the shuffled order, the keys' bits, two index arrays, six histograms. */
export interface SortScratch {
  order: Int32Array;
  bits: Float64Array;
  from: Int32Array;
  to: Int32Array;
  counts: Int32Array;
  keys: Float64Array;
}

export function pmmScratch(p: number, n1: number): PmmScratch {
  return {
    x: Array.from({ length: p }, () => new Float64Array(n1)),
    yObs: new Float64Array(n1),
    qty: new Float64Array(n1),
    residuals: new Float64Array(n1),
    yhatObs: new Float64Array(n1),
    sort: sortScratch(n1),
  };
}

function sortScratch(n1: number): SortScratch {
  return { order: new Int32Array(n1), bits: new Float64Array(n1), from: new Int32Array(n1), to: new Int32Array(n1), counts: new Int32Array(6 * 2048), keys: new Float64Array(n1) };
}

/**
 * Bayesian linear-regression draw of (β, σ) from the observed rows (see the module comment).
 * `columns` are the predictor columns over the observed rows, the intercept among them; `y` the observed values.
 */
export function normDraw(columns: Float64Array[], y: Float64Array, random: Random): NormDraw {
  return normDrawInto(columns, y, random, false, new Float64Array(y.length), new Float64Array(y.length));
}

/**
 * normDraw with Qᵀy and the residuals written into the given arrays (y.length long); with `inPlace` the columns
 * are the caller's scratch, which the QR decomposition overwrites instead of a copy.
 */
function normDrawInto(columns: Float64Array[], y: Float64Array, random: Random, inPlace: boolean, qty: Float64Array, residualsOut: Float64Array): NormDraw {
  const p = columns.length;
  const n = y.length;
  // Qᵀy made during the decomposition (qrDecompose's `qty`), then β̂ and the residuals from it.
  qty.set(y);
  const qr = qrDecompose(columns, 1e-7, { qty, inPlace });
  const fitted = qrCoefOfQty(qr, qty);
  const coef = Float64Array.from(fitted, (b) => b ?? 0);
  const residuals = qrResidualsOfQty(qr, qty, residualsOut);
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

/**
 * Xb for the rows of `columns` (column-major predictors) and coefficients b; with `rows`, for those rows only
 * (rows[0], rows[1], …), read where they are instead of from a copy; written into `into` when given.
 */
export function linearPredictor(columns: Float64Array[], b: ArrayLike<number>, rows?: Int32Array, into?: Float64Array): Float64Array {
  const n = rows?.length ?? columns[0].length;
  const out = into === undefined ? new Float64Array(n) : into.fill(0);
  for (let j = 0; j < columns.length; j++) {
    const c = columns[j];
    const bj = b[j];
    if (bj === 0) continue;
    if (rows === undefined) for (let i = 0; i < n; i++) out[i] += c[i] * bj;
    else for (let i = 0; i < n; i++) out[i] += c[rows[i]] * bj;
  }
  return out;
}

/**
 * Predictive mean matching (see the module comment): for each target ŷ_mis, the observed y of one of the `donors`
 * donors nearest in ŷ_obs, drawn uniformly. Donors are shuffled, then stably sorted by ŷ_obs, so equal ŷ_obs are in
 * random order (mice's `matchindex`); the nearest are found by walking outwards from the target's position.
 */
export function pmmMatch(yhatObs: Float64Array, yObs: Float64Array, yhatMis: Float64Array, random: Random, donors = 5, scratch = sortScratch(yhatObs.length)): Float64Array {
  const n1 = yhatObs.length;
  if (n1 === 0) throw new RangeError('predictive mean matching needs at least one observed value');
  const k = Math.max(1, Math.min(donors, n1));
  const order = scratch.order;
  for (let i = 0; i < n1; i++) order[i] = i;
  for (let i = n1 - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const sorted = stableOrder(yhatObs, order, n1, scratch);
  const keys = scratch.keys;
  for (let i = 0; i < n1; i++) keys[i] = yhatObs[sorted[i]];
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
 * The n donors `order` lists, stably sorted by key: the order a stable comparator sort of `order` by keys[·] gives
 * (equal keys keep their order in `order`), without a comparator, by a least-significant-digit radix sort of the
 * keys' bits (Knuth, TAOCP vol. 3, §5.2.5), which is stable by construction. A finite double's 64 bits read as an
 * unsigned integer are in numeric order once the sign bit is flipped for x ≥ 0 and every bit for x < 0; −0 is
 * made +0 first (−0 + 0 = +0), since a comparator sorts them as equal. Six passes of 11, 11, 10 bits over the low
 * then the high 32-bit word; a pass whose digit is the same for every key (the sign and exponent, mostly) is
 * skipped. The keys are finite (fitted values). Under 128 donors, an insertion sort (below).
 */
function stableOrder(keys: Float64Array, order: Int32Array, n: number, scratch: SortScratch): Int32Array {
  if (n < 128) {
    // Few donors (the CanRelax arm): insertion sort, moving a donor only past strictly greater keys (stable), in
    // about n²/4 comparisons, fewer operations than the radix sort's 6 × 2048 bucket counts.
    const out = scratch.from;
    for (let i = 0; i < n; i++) out[i] = order[i];
    for (let i = 1; i < n; i++) {
      const donor = out[i];
      const key = keys[donor];
      let j = i - 1;
      while (j >= 0 && keys[out[j]] > key) {
        out[j + 1] = out[j];
        j--;
      }
      out[j + 1] = donor;
    }
    return out;
  }
  const bits = scratch.bits;
  for (let t = 0; t < n; t++) bits[t] = keys[order[t]] + 0;
  const words = new Uint32Array(bits.buffer);
  for (let t = 0; t < n; t++) {
    const hi = words[2 * t + HIGH];
    if (hi & 0x80000000) {
      words[2 * t + HIGH] = ~hi;
      words[2 * t + LOW] = ~words[2 * t + LOW];
    } else words[2 * t + HIGH] = hi | 0x80000000;
  }
  // One histogram per pass, all six in one reading of the keys.
  const counts = scratch.counts.fill(0);
  for (let t = 0; t < n; t++) {
    const lo = words[2 * t + LOW];
    const hi = words[2 * t + HIGH];
    counts[lo & 0x7ff]++;
    counts[2048 + ((lo >>> 11) & 0x7ff)]++;
    counts[4096 + (lo >>> 22)]++;
    counts[6144 + (hi & 0x7ff)]++;
    counts[8192 + ((hi >>> 11) & 0x7ff)]++;
    counts[10240 + (hi >>> 22)]++;
  }
  let from = scratch.from;
  let to = scratch.to;
  for (let t = 0; t < n; t++) from[t] = t;
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * 2048;
    const word = pass < 3 ? LOW : HIGH;
    const shift = (pass % 3) * 11;
    const mask = pass % 3 === 2 ? 0x3ff : 0x7ff;
    // Starting position of each digit's block; skip the pass when one digit holds every key.
    let start = 0;
    let trivial = false;
    for (let d = 0; d < 2048; d++) {
      const c = counts[base + d];
      if (c === n) trivial = true;
      counts[base + d] = start;
      start += c;
    }
    if (trivial) continue;
    for (let i = 0; i < n; i++) {
      const t = from[i];
      to[counts[base + ((words[2 * t + word] >>> shift) & mask)]++] = t;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  for (let i = 0; i < n; i++) to[i] = order[from[i]];
  return to;
}

/** Index of the low and the high 32-bit word of a double in a Uint32Array view, on this machine's byte order. */
const LOW = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/**
 * One PMM imputation of y's missing rows (see the module comment): `predictors` are the predictor columns (with
 * the intercept) over every row, `obsRows` the rows where y is observed, `misRows` those to impute; returns the
 * imputed values for `misRows` in order. The fit needs X_obs as columns of its own, which its QR decomposition
 * overwrites: they are gathered into `scratch.x` (pmmScratch, reused from call to call by a caller that imputes the
 * same variable again); ŷ is read from `predictors` in place.
 */
export function pmmImpute(
  predictors: Float64Array[],
  y: Float64Array,
  obsRows: Int32Array,
  misRows: Int32Array,
  random: Random,
  donors = 5,
  scratch = pmmScratch(predictors.length, obsRows.length),
): Float64Array {
  const n1 = obsRows.length;
  predictors.forEach((c, j) => {
    const x = scratch.x[j];
    for (let i = 0; i < n1; i++) x[i] = c[obsRows[i]];
  });
  const yObs = scratch.yObs;
  for (let i = 0; i < n1; i++) yObs[i] = y[obsRows[i]];
  const draw = normDrawInto(scratch.x, yObs, random, true, scratch.qty, scratch.residuals);
  const yhatObs = linearPredictor(predictors, draw.coef, obsRows, scratch.yhatObs);
  return pmmMatch(yhatObs, yObs, linearPredictor(predictors, draw.beta, misRows), random, donors, scratch.sort);
}

/**
 * Weighted logistic regression by iteratively reweighted least squares, as R's `glm.fit` with the (quasi)binomial
 * family and logit link: start μ = (w·y + 0.5)/(w + 1) (binomial's `mustart`), then repeat
 *   η = Xβ, μ = linkinv(η), z = η + (y − μ)/μ'(η), weights wᵢμ'(ηᵢ)²/(μᵢ(1 − μᵢ)), β = weighted least squares of z on X,
 * until |dev − dev_old|/(|dev| + 0.1) < 1e-8 (glm.control's epsilon; at most 25 iterations). linkinv and μ' = dμ/dη
 * are binomial()$linkinv and $mu.eta (R's src/library/stats/src/family.c): e^η/(1 + e^η) with e^η taken as ε for
 * η < −30 and 1/ε for η > 30 (ε = DBL_EPSILON), so μ stays within [ε/(1 + ε), 1/(1 + ε)], and μ' = ε beyond ±30.
 * Without the bounds, separated data (a predictor that splits the 0s from the 1s) drive μ to exactly 0 or 1 and
 * the weights to NaN; with them the fit ends, as glm.fit's does, at large but finite coefficients.
 * Returns β and (XᵀWX)⁻¹ at the last weights (summary.glm's `cov.unscaled`), both in the original column order
 * over the columns the weighted QR keeps (aliased ones get β = 0 and no variance, as `rank.adjust`).
 */
export function logisticFit(columns: Float64Array[], y: Float64Array, weights: Float64Array): { coef: Float64Array; covUnscaled: Float64Array; kept: number[] } {
  const n = y.length;
  const p = columns.length;
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (weights[i] * y[i] + 0.5) / (weights[i] + 1);
    eta[i] = Math.log(mu[i] / (1 - mu[i]));
  }
  const deviance = (): number => {
    let d = 0;
    for (let i = 0; i < n; i++) d -= 2 * weights[i] * (y[i] * Math.log(mu[i]) + (1 - y[i]) * Math.log(1 - mu[i]));
    return d;
  };
  let devOld = deviance();
  let coef: Float64Array = new Float64Array(p);
  let cov: Float64Array = new Float64Array(0);
  let kept: number[] = [];
  for (let iter = 0; iter < 25; iter++) {
    const sw = new Float64Array(n);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = logitMuEta(eta[i]);
      sw[i] = Math.sqrt((weights[i] * d * d) / (mu[i] * (1 - mu[i])));
      z[i] = (eta[i] + (y[i] - mu[i]) / d) * sw[i];
    }
    const qr = qrDecompose(columns.map((c) => c.map((v, i) => v * sw[i])));
    coef = Float64Array.from(qrCoef(qr, z), (b) => b ?? 0);
    cov = qrUnscaledCovariance(qr);
    kept = qr.pivot.slice(0, qr.rank);
    const lp = linearPredictor(columns, coef);
    for (let i = 0; i < n; i++) {
      eta[i] = lp[i];
      mu[i] = logitLinkinv(lp[i]);
    }
    const dev = deviance();
    const converged = Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-8;
    devOld = dev;
    if (converged) break;
  }
  return { coef, covUnscaled: cov, kept };
}

/** R's DBL_EPSILON, 2^−52, and the |η| beyond which binomial's logit link is bounded (family.c's THRESH). */
const EPSILON = 2.220446049250313e-16;
const THRESH = 30;

/** binomial()$linkinv for the logit link (family.c's logit_linkinv): μ = t/(1 + t), t = e^η bounded to [ε, 1/ε]. */
function logitLinkinv(eta: number): number {
  const t = eta < -THRESH ? EPSILON : eta > THRESH ? 1 / EPSILON : Math.exp(eta);
  return t / (1 + t);
}

/** binomial()$mu.eta for the logit link (family.c's logit_mu_eta): dμ/dη = e^η/(1 + e^η)², ε beyond |η| > 30. */
function logitMuEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > THRESH || eta < -THRESH ? EPSILON : Math.exp(eta) / (opexp * opexp);
}

/**
 * White, Daniel & Royston (2010)'s augmentation, as mice's `augment` for a 0/1 variable: for each predictor j (not the
 * intercept, the first column), four pseudo-rows at its mean ± ½ SD (clipped to its range; + − + −) with the other
 * predictors at their means, y = 0, 0, 1, 1, each of weight (p + 1)/(4p); observed rows weigh 1. Mean, SD and range
 * are over every row, the missing ones' predictors included, as mice computes them.
 */
export function augmentBinary(xObs: Float64Array[], yObs: Float64Array, xMis: Float64Array[]): { columns: Float64Array[]; y: Float64Array; weights: Float64Array } {
  const p = xObs.length - 1;
  const n = yObs.length;
  const nr = 4 * p;
  const columns = xObs.map((c, j) => {
    const out = new Float64Array(n + nr);
    out.set(c);
    if (j === 0) {
      out.fill(1, n);
      return out;
    }
    const all = [...c, ...xMis[j]];
    let mean = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of all) {
      mean += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    mean /= all.length;
    let ss = 0;
    for (const v of all) ss += (v - mean) ** 2;
    const sd = Math.sqrt(ss / (all.length - 1));
    out.fill(mean, n);
    const block = n + 4 * (j - 1);
    for (let r = 0; r < 4; r++) out[block + r] = Math.min(max, Math.max(min, mean + (r % 2 === 0 ? 0.5 : -0.5) * sd));
    return out;
  });
  const y = new Float64Array(n + nr);
  y.set(yObs);
  for (let j = 0; j < p; j++) y.set([0, 0, 1, 1], n + 4 * j);
  const weights = new Float64Array(n + nr).fill(1);
  weights.fill((p + 1) / nr, n);
  return { columns, y, weights };
}

/**
 * `mice.impute.logreg` for a 0/1 variable: the observed rows augmented (`augmentBinary`; skipped, as in mice, when
 * there are no predictors or only one missing row), a weighted logistic fit, β* = β̂ + Lz with L the lower Cholesky
 * factor of cov.unscaled; each missing row is 1 when a uniform u ≤ 1/(1 + e^{−xβ*}). The intercept is the first column.
 */
export function logregImpute(xObs: Float64Array[], yObs: Float64Array, xMis: Float64Array[], random: Random): Float64Array {
  const data = xObs.length > 1 && xMis[0].length > 1 ? augmentBinary(xObs, yObs, xMis) : { columns: xObs, y: yObs, weights: new Float64Array(yObs.length).fill(1) };
  const fit = logisticFit(data.columns, data.y, data.weights);
  const r = fit.kept.length;
  const lower = cholesky(fit.covUnscaled, r);
  const beta = Float64Array.from(fit.coef);
  const z = new Float64Array(r);
  for (let j = 0; j < r; j++) z[j] = random.normal();
  for (let i = 0; i < r; i++) {
    let s = 0;
    for (let j = 0; j <= i; j++) s += lower[i * r + j] * z[j];
    beta[fit.kept[i]] += s;
  }
  const lp = linearPredictor(xMis, beta);
  return lp.map((v) => (random.uniform() <= 1 / (1 + Math.exp(-v)) ? 1 : 0));
}
