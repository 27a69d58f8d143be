/**
 * Exact power of the t test of a (partial) correlation under bivariate (multivariate) normality.
 *
 * Why exact: the usual approximation (pwr::pwr.r.test, G*Power's "normal approximation") puts Fisher's z of r on a
 * normal curve; the exact distribution of the sample correlation is known in closed form and cheap to integrate.
 *
 * Partial r with k covariates: under multivariate normality the sample partial correlation given k variables has
 * the distribution of a zero-order sample correlation from N = n − k observations with ρ the population partial
 * correlation (Fisher 1924; Anderson 2003, An Introduction to Multivariate Statistical Analysis, §4.3, Thm 4.3.5).
 * Its test is t = r·sqrt(df/(1 − r²)) with df = n − 2 − k, so the test rejects when |r| ≥ r_c,
 * r_c = t_c / sqrt(df + t_c²), t_c the t quantile at alpha — and power = P(|r| ≥ r_c | ρ, N).
 *
 * Cost does not grow with n: the Gamma ratio comes from its asymptotic series for large n and the density's powers
 * are formed without the O(n) cancellation (see `logPowers`), so one evaluation takes the same few milliseconds at
 * n = 100 and n = 2^50 (MAX_N, the largest n accepted), and the same exact method serves every n. The tests check it
 * against the normal limit of Fisher's z (error O(1/n)) at n = 1e8 … 2^50, where the two agree to 1e-9.
 */
import type { Alternative } from './distributions';
import { tQuantile } from './quantiles';
import { integrate } from './bayes';

/** Largest n `requiredN` searches: 2^50 ≈ 1.1e15, where integers are still exact in doubles with room to spare. */
export const MAX_N = 2 ** 50;

/** Below this m the ratio is summed term by term; from it on, the asymptotic series (error < 1e-22). */
const RATIO_SERIES_FROM = 1000;

/**
 * log Γ(m)/Γ(m + ½) for integer m ≥ 1. Small m: Γ(1)/Γ(3/2) = 2/√π and the recurrence R(m+1) = R(m)·m/(m + ½).
 * m ≥ 1000: the asymptotic expansion log Γ(m + ½)/Γ(m) = ½ log m − 1/(8m) + 1/(192m³) − 1/(640m⁵) + 17/(14336m⁷)
 * (from Stirling's series for log Γ, Abramowitz & Stegun 6.1.41; Tricomi & Erdélyi 1951 Pacific J Math 1:133), whose
 * first omitted term is below 1e-22 there — the recurrence cost O(m), 1e9 steps at n = 1e9.
 */
function logGammaRatioHalf(m: number): number {
  if (m >= RATIO_SERIES_FROM) {
    const i = 1 / m;
    const i2 = i * i;
    return -(0.5 * Math.log(m) - i / 8 + (i * i2) / 192 - (i * i2 * i2) / 640 + (17 * i * i2 * i2 * i2) / 14336);
  }
  let s = Math.log(2 / Math.sqrt(Math.PI));
  for (let j = 1; j < m; j++) s += Math.log1p(-0.5 / (j + 0.5));
  return s;
}

/**
 * (N−1)/2·log(1−ρ²) + (N−4)/2·log(1−r²) − (N−3/2)·log(1−ρr), the powers in Hotelling's density. Each term is of
 * order N while their sum is of order 1 near the peak, so for large N the sum is formed from
 * (1−ρ²)(1−r²)/(1−ρr)² = 1 − u², u = (r − ρ)/(1 − ρr) (since (1−ρr)² − (1−ρ²)(1−r²) = (r−ρ)²):
 *   = (N − 3/2)/2·log(1 − u²) + ¼·log(1−ρ²) − (5/4)·log(1−r²),
 * with log1p(−u²) exact to rounding where it matters (u² ≤ ½); `logOneMinusR2` is log(1 − r²), given by the caller
 * (2·log cos θ under r = sin θ).
 */
function logPowers(r: number, rho: number, N: number, logOneMinusR2: number): number {
  const u = (r - rho) / (1 - rho * r);
  const a = Math.log1p(-rho * rho);
  const log1mu2 = u * u <= 0.5 ? Math.log1p(-u * u) : a + logOneMinusR2 - 2 * Math.log1p(-rho * r);
  return ((N - 1.5) / 2) * log1mu2 + 0.25 * a - 1.25 * logOneMinusR2;
}

/**
 * ₂F₁(½, ½; N − ½; z) for 0 ≤ z < 1 and integer N ≥ 3 — the hypergeometric factor of Hotelling's density.
 * z ≤ 0.9: the Gauss series Σ (½)_j² / ((N−½)_j j!) zʲ (all terms positive; stop when the geometric bound on the
 * tail, t_{j+1}/(1 − z), is below 1e-17 of the sum). z > 0.9, where the series converges slowly: Euler's integral
 * with t = sin²φ,
 *   ₂F₁ = Γ(N−½)/(Γ(½)Γ(N−1)) · 2∫₀^{π/2} cos^{2N−3}φ (1 − z sin²φ)^{−½} dφ,
 * whose integrand is smooth and bounded on the whole range (Abramowitz & Stegun 15.3.1).
 */
export function hyp2f1HalfHalf(N: number, z: number, logRatio = logGammaRatioHalf(N - 1)): number {
  const c = N - 0.5;
  if (z <= 0.9) {
    let term = 1;
    let sum = 1;
    for (let j = 0; j < 100000; j++) {
      term *= (((j + 0.5) * (j + 0.5)) / ((j + 1) * (j + c))) * z;
      sum += term;
      if (term / (1 - z) < 1e-17 * sum) break;
    }
    return sum;
  }
  const e = 2 * N - 3;
  const f = (phi: number): number => {
    const s = Math.sin(phi);
    return Math.exp(e * Math.log(Math.cos(phi))) / Math.sqrt(1 - z * s * s);
  };
  // Most of the mass sits within a few multiples of 1/sqrt(N) of φ = 0 for large N: split there.
  const brk = Math.min(Math.PI / 4, 8 / Math.sqrt(2 * N));
  const v = integrate(f, 0, brk, { relTol: 1e-13 }).value + integrate(f, brk, Math.PI / 2, { relTol: 1e-13, absTol: 1e-300 }).value;
  // Γ(N−½)/(Γ(½)Γ(N−1)) = 1 / (√π · Γ(N−1)/Γ(N−½)).
  return (2 * v) / (Math.sqrt(Math.PI) * Math.exp(logRatio));
}

/**
 * Density of the sample correlation r of N bivariate-normal observations with population correlation ρ
 * (Hotelling 1953, J. R. Stat. Soc. B 15, eq. 27; Fisher 1915):
 *
 *   f(r) = (N−2)·Γ(N−1)·(1−ρ²)^{(N−1)/2}·(1−r²)^{(N−4)/2} / ( √(2π)·Γ(N−½)·(1−ρr)^{N−3/2} ) · ₂F₁(½, ½; N−½; (1+ρr)/2),
 *
 * for −1 < r < 1, |ρ| < 1, integer N ≥ 3 (computed in logs). At ρ = 0 it reduces to (1−r²)^{(N−4)/2} / B(½, (N−2)/2).
 */
export function correlationDensity(r: number, rho: number, N: number): number {
  checkN(N);
  if (!(Math.abs(rho) < 1)) throw new RangeError(`correlationDensity: |ρ| must be < 1, got ${rho}`);
  if (!(r > -1 && r < 1)) return 0;
  const logRatio = logGammaRatioHalf(N - 1);
  return Math.exp(logDensityNoHyp(r, rho, N, logRatio)) * hyp2f1HalfHalf(N, (1 + rho * r) / 2, logRatio);
}

function checkN(N: number): void {
  if (!Number.isInteger(N) || N < 3) throw new RangeError(`need an integer n − k ≥ 3 (df = n − 2 − k ≥ 1), got n − k = ${N}`);
}

/** log of Hotelling's density without its ₂F₁ factor. */
function logDensityNoHyp(r: number, rho: number, N: number, logRatio: number): number {
  return Math.log(N - 2) + logRatio - 0.5 * Math.log(2 * Math.PI) + logPowers(r, rho, N, Math.log1p(-r * r));
}

/**
 * P(r ≥ r0 | ρ, N) = ∫_{r0}^{1} f(r) dr. Substituting r = sin θ turns (1 − r²)^{(N−4)/2} dr into cos^{N−3}θ dθ, which
 * is bounded for every N ≥ 3 (no endpoint singularity). The interval is split around the peak of f
 * (r ≈ ρ ± j·(1 − ρ²)/√(N − 1)) so that adaptive quadrature cannot miss a narrow peak for large N.
 */
function upperTail(r0: number, rho: number, N: number, logRatio: number): number {
  if (r0 >= 1) return 0;
  const a = Math.asin(Math.max(-1, r0));
  const b = Math.PI / 2;
  const g = (theta: number): number => {
    const r = Math.sin(theta);
    const c = Math.cos(theta);
    // dr = cos θ dθ: the density's (1 − r²)^{(N−4)/2} times cos θ.
    const logCos = Math.log(c);
    const logBase = Math.log(N - 2) + logRatio - 0.5 * Math.log(2 * Math.PI) + logPowers(r, rho, N, 2 * logCos) + logCos;
    if (logBase < -745) return 0;
    return Math.exp(logBase) * hyp2f1HalfHalf(N, (1 + rho * r) / 2, logRatio);
  };
  const sd = (1 - rho * rho) / Math.sqrt(N - 1);
  const cuts = [a, b];
  for (const j of [-8, -4, -2, -1, 0, 1, 2, 4, 8]) {
    const r = rho + j * sd;
    if (r > -1 && r < 1) {
      const t = Math.asin(r);
      if (t > a && t < b) cuts.push(t);
    }
  }
  cuts.sort((x, y) => x - y);
  let sum = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    if (cuts[i + 1] > cuts[i]) sum += integrate(g, cuts[i], cuts[i + 1], { relTol: 1e-12, absTol: 1e-17 }).value;
  }
  return sum;
}

/** P(r ≥ r0 | ρ, N) and P(r ≤ −r0 | ρ, N) = P(r ≥ r0 | −ρ, N) by symmetry. */
function tails(r0: number, rho: number, N: number): { upper: number; lower: number } {
  const lr = logGammaRatioHalf(N - 1);
  return { upper: upperTail(r0, rho, N, lr), lower: upperTail(r0, -rho, N, lr) };
}

/**
 * Critical |r| of the test of a partial correlation with k covariates: t_c = t quantile at 1 − α/2 (two-sided) or
 * 1 − α (one-sided) with df = n − 2 − k, and r_c = t_c / sqrt(df + t_c²) (inverting t = r·sqrt(df/(1 − r²))).
 */
export function criticalR(n: number, k: number, alpha = 0.05, alternative: Alternative = 'two-sided'): number {
  const df = n - 2 - k;
  if (!(df >= 1)) throw new RangeError(`need df = n − 2 − k ≥ 1, got ${df}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const tc = tQuantile(alternative === 'two-sided' ? 1 - alpha / 2 : 1 - alpha, df);
  return tc / Math.sqrt(df + tc * tc);
}

function checkNk(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  checkN(n - k);
}

/**
 * Exact power of the level-α t test of a partial correlation with k covariates when the population partial
 * correlation is r (|r| < 1), with n observations: with N = n − k and r_c from `criticalR`,
 *   two-sided: P(r̂ ≥ r_c) + P(r̂ ≤ −r_c);  "greater": P(r̂ ≥ r_c);  "less": P(r̂ ≤ −r_c),
 * each an integral of Hotelling's exact density (`correlationDensity`) by adaptive Gauss–Kronrod (relative
 * accuracy ~1e-10). At r = 0 this is α exactly (the t test is exact). Not pwr::pwr.r.test, which approximates r̂
 * through Fisher's z; the tests record how far that lies.
 */
export function partialCorrelationPower(opts: { n: number; k: number; r: number; alpha?: number; alternative?: Alternative }): number {
  const { n, k, r } = opts;
  const alpha = opts.alpha ?? 0.05;
  const alternative = opts.alternative ?? 'two-sided';
  checkNk(n, k);
  if (!(Math.abs(r) < 1)) throw new RangeError(`the population correlation must be in (−1, 1), got ${r}`);
  const rc = criticalR(n, k, alpha, alternative);
  const N = n - k;
  if (alternative === 'greater') return Math.min(1, tails(rc, r, N).upper);
  if (alternative === 'less') return Math.min(1, tails(rc, r, N).lower);
  const t = tails(rc, r, N);
  return Math.min(1, t.upper + t.lower);
}

/** Brent's root finder (Brent 1973, ch. 4; as R's uniroot/zeroin) for f on [a, b] with f(a)·f(b) ≤ 0. */
function brent(f: (x: number) => number, a: number, b: number, tol: number): number {
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 200; iter++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return b;
}

function checkPower(power: number, alpha: number): void {
  if (!(power > alpha && power < 1)) throw new RangeError(`power must be in (alpha, 1) = (${alpha}, 1), got ${power}`);
}

/**
 * Smallest population partial correlation detectable with the given power: the root in ρ of
 * partialCorrelationPower(n, k, ρ) = power (Brent, |Δρ| ≤ 1e-10). Power increases with |ρ| from α at ρ = 0 to 1 as
 * |ρ| → 1, so the root is unique. Returns ρ > 0 for "two-sided" (the negative root is −ρ) and "greater", ρ < 0 for
 * "less". Requires alpha < power < 1.
 */
export function minimumDetectableR(opts: { n: number; k: number; alpha?: number; power: number; alternative?: Alternative }): number {
  const alpha = opts.alpha ?? 0.05;
  const alternative = opts.alternative ?? 'two-sided';
  checkNk(opts.n, opts.k);
  checkPower(opts.power, alpha);
  const sign = alternative === 'less' ? -1 : 1;
  const f = (rho: number): number =>
    partialCorrelationPower({ n: opts.n, k: opts.k, r: sign * rho, alpha, alternative }) - opts.power;
  // Bracket: f(0) = α − power < 0; walk the upper end towards 1 until the power is reached.
  let hi = 0.5;
  while (f(hi) < 0) {
    if (hi > 1 - 1e-12) throw new RangeError(`power ${opts.power} not reachable with n = ${opts.n}, k = ${opts.k}`);
    hi = 1 - (1 - hi) / 4;
  }
  const lo = hi === 0.5 ? 0 : 1 - (1 - hi) * 4;
  return sign * brent(f, lo, hi, 1e-10);
}

/**
 * Smallest integer n (observations) whose exact power for a population partial correlation r with k covariates
 * reaches `power`: n ≥ k + 3 (df ≥ 1); found by doubling then bisection on the integers, since power increases
 * with n. Requires r ≠ 0 (with the sign matching a one-sided alternative) and alpha < power < 1.
 */
export function requiredN(opts: { r: number; k: number; alpha?: number; power: number; alternative?: Alternative }): number {
  const alpha = opts.alpha ?? 0.05;
  const alternative = opts.alternative ?? 'two-sided';
  const { r, k } = opts;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
  if (!(Math.abs(r) < 1) || r === 0) throw new RangeError(`r must be in (−1, 1) and non-zero, got ${r}`);
  if ((alternative === 'greater' && r < 0) || (alternative === 'less' && r > 0)) {
    throw new RangeError(`r = ${r} lies on the other side of the one-sided alternative "${alternative}"`);
  }
  checkPower(opts.power, alpha);
  const ok = (n: number): boolean => partialCorrelationPower({ n, k, r, alpha, alternative }) >= opts.power;
  let lo = k + 3; // smallest valid n
  if (ok(lo)) return lo;
  let hi = lo + 8;
  while (!ok(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > MAX_N) throw new RangeError(`power ${opts.power} needs more than ${MAX_N} observations for r = ${r}`);
  }
  // Invariant: ok(hi), !ok(lo).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
