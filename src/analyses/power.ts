/**
 * Power of the t test of a partial correlation with k covariates — exact, from the distribution of the sample
 * (partial) correlation (src/stats/power.ts: Hotelling's 1953 density with N = n − k, Fisher 1924) — in one of
 * three modes, decided by what is given:
 *   n (no r)        → smallest detectable population |r| at 80% and 90% power, and at `power` when given;
 *   n and r         → power;
 *   r and power     → smallest n reaching that power (with the power at n and at n − 1).
 * Beside each exact value, clearly labelled, the Fisher-z approximation of pwr::pwr.r.test (Cohen 1988, ch. 3;
 * G*Power's "normal approximation") with n − k observations, as pwr computes it:
 *   r_c = t_c / sqrt(t_c² + N − 2) with t_c the t quantile (df N − 2), z_r = atanh(r) + r / (2(N − 1)),
 *   power = Φ((z_r − atanh r_c)·sqrt(N − 3)) [+ Φ((−z_r − atanh r_c)·sqrt(N − 3)) two-sided; r → −r for "less"].
 * Its roots here are solved to 1e-12, where pwr's uniroot stops at about 1e-4.
 *
 * Checks (UsageError, exit 2, naming the flag): n or r must be given; not n, r and power together; n and k whole
 * numbers with k ≥ 0, n ≤ 2^50 (MAX_N) and n > k + 3 (df = n − 2 − k ≥ 2, and the approximation's N − 3 > 0); r in (−1, 1) (and
 * ≠ 0, on the side of a one-sided alternative, for a required n); alpha in (0, 1); power in (alpha, 1).
 */
import { UsageError, option, words } from '../errors';
import type { Alternative } from '../stats/distributions';
import { normalCdf } from '../stats/distributions';
import { tQuantile } from '../stats/quantiles';
import { choice, number, whole } from '../options';
import { criticalR, MAX_N, minimumDetectableR, partialCorrelationPower, requiredN } from '../stats/power';

/** power's options, declared once (options.ts): its command-line flags come from here (the ranges checked by powerAnalysis). */
export const POWER_OPTIONS = {
  n: whole('n', { min: 1, max: Number.MAX_SAFE_INTEGER, unit: ' of observations' }, { placeholder: 'n', description: 'observations (rows with x, y and every covariate)' }),
  k: whole('k', { min: 0, max: Number.MAX_SAFE_INTEGER, unit: ' of covariates' }, { placeholder: 'k', description: 'covariates (columns after coding)', default: 0 }),
  r: number('r', { placeholder: 'r', description: 'population partial correlation' }),
  power: number('power', { placeholder: 'p', description: 'target power, e.g. 0.8' }),
  alpha: number('alpha', { placeholder: 'alpha', description: 'significance level', default: 0.05 }),
  alternative: choice('alternative', ['two-sided', 'less', 'greater'], { placeholder: 'h1', description: 'alternative hypothesis', default: 'two-sided' }),
};

export interface PowerOptions {
  /** Observations (rows with x, y and every covariate). */
  n: number | null;
  /** Covariates (columns after coding: a categorical covariate with L levels counts L − 1). */
  k: number;
  /** Population partial correlation. */
  r: number | null;
  /** Target power. */
  power: number | null;
  alpha: number;
  alternative: Alternative;
}

export const POWER_METHOD =
  'exact: the sample partial correlation with k covariates is distributed as a zero-order correlation of n − k ' +
  'bivariate-normal observations (Fisher 1924); Hotelling (1953) density integrated over the rejection region of the t test, df = n − 2 − k';

export const APPROXIMATION_METHOD = "Fisher z approximation, as pwr::pwr.r.test with n − k observations (for comparison only)";

export interface MinimumR {
  power: number;
  /** Smallest population |r| (signed for "less") with this exact power. */
  r: number;
  /** The same from the Fisher z approximation. */
  approximate_r: number;
}

export interface PowerResults {
  mode: 'minimum_r' | 'power' | 'required_n';
  method: string;
  /** The n given, or the n found. */
  n: number;
  /** df = n − 2 − k of the t test. */
  df: number;
  /** |r| the sample partial r must reach to reject at alpha (the sign of the alternative for one-sided tests). */
  critical_r: number;
  /** mode "minimum_r": one entry per power (.8, .9, and the one asked for). */
  minimum_r?: MinimumR[];
  /** mode "power": exact power at r; mode "required_n": exact power at n. */
  power?: number;
  /** mode "required_n": exact power at n − 1 (below the target, unless n − 1 is not a valid sample size). */
  power_at_n_minus_1?: number | null;
  approximation: {
    method: string;
    /** mode "power". */
    power?: number;
    /** mode "required_n": the approximation's continuous n (pwr.r.test's n + k) and its ceiling. */
    n?: number;
    n_ceiling?: number;
  };
}

/** pwr::pwr.r.test's power for N observations (N = n − k), Fisher z. */
export function fisherZPower(N: number, r: number, alpha: number, alternative: Alternative): number {
  const df = N - 2;
  const tail = (rr: number, a: number) => {
    const t = tQuantile(1 - a, df);
    const rc = Math.sqrt((t * t) / (t * t + df));
    const zr = Math.atanh(rr) + rr / (2 * (N - 1));
    return { zr, zrc: Math.atanh(rc) };
  };
  const s = Math.sqrt(N - 3);
  if (alternative === 'two-sided') {
    const rr = Math.abs(r);
    const { zr, zrc } = tail(rr, alpha / 2);
    return normalCdf((zr - zrc) * s) + normalCdf((-zr - zrc) * s);
  }
  const { zr, zrc } = tail(alternative === 'less' ? -r : r, alpha);
  return normalCdf((zr - zrc) * s);
}

/** Root of an increasing f on [lo, hi] with f(lo) < 0 ≤ f(hi), by bisection to `tol`. */
function bisect(f: (x: number) => number, lo: number, hi: number, tol: number): number {
  for (let i = 0; i < 400 && hi - lo > tol; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function checkInputs(o: PowerOptions): void {
  if (!Number.isInteger(o.k) || o.k < 0) throw new UsageError(words`${option('k')} must be a whole number of covariates ≥ 0, got ${o.k}`);
  if (!(o.alpha > 0 && o.alpha < 1)) throw new UsageError(words`${option('alpha')} must be in (0, 1), e.g. 0.05, got ${o.alpha}`);
  if (o.n !== null) {
    if (!Number.isInteger(o.n)) throw new UsageError(words`${option('n')} must be a whole number of observations, got ${o.n}`);
    if (o.n > MAX_N) throw new UsageError(words`${option('n')} ${o.n} is beyond the largest n computed, 2^50 = ${MAX_N}, give a smaller n`);
    if (o.n <= o.k + 3) {
      throw new UsageError(words`${option('n')} ${o.n} is too small for ${option('k')} ${o.k}: n must exceed k + 3 = ${o.k + 3} (df = n − 2 − k ≥ 2), give a larger n or fewer covariates`);
    }
  }
  if (o.r !== null && !(o.r > -1 && o.r < 1)) throw new UsageError(words`${option('r')} must be a correlation in (−1, 1), got ${o.r}`);
  if (o.power !== null && !(o.power > 0 && o.power < 1)) throw new UsageError(words`${option('power')} must be in (0, 1), e.g. 0.8, got ${o.power}`);
  if (o.power !== null && !(o.power > o.alpha)) {
    throw new UsageError(words`${option('power')} ${o.power} is not above ${option('alpha')} ${o.alpha}: any test has that power, ask for more, e.g. 0.8`);
  }
  if (o.n === null && o.r === null) throw new UsageError(words`give ${option('n')} (for the detectable r) or ${option('r')} (with ${option('n')} for the power, with ${option('power')} for the n needed)`);
  if (o.n !== null && o.r !== null && o.power !== null) {
    throw new UsageError(words`${option('n')}, ${option('r')} and ${option('power')} together leave nothing to compute, drop one of them`);
  }
  if (o.n === null && o.power === null) throw new UsageError(words`${option('r')} needs ${option('n')} (to compute the power) or ${option('power')} (to compute the n needed)`);
}

export function powerAnalysis(o: PowerOptions): PowerResults {
  checkInputs(o);
  const { k, alpha, alternative } = o;
  const critical = (n: number) => {
    const rc = criticalR(n, k, alpha, alternative);
    return alternative === 'less' ? -rc : rc;
  };
  if (o.n !== null && o.r === null) {
    const n = o.n;
    const targets = [0.8, 0.9];
    if (o.power !== null && !targets.includes(o.power)) targets.push(o.power);
    targets.sort((a, b) => a - b);
    const sign = alternative === 'less' ? -1 : 1;
    const minimum_r = targets.map((power) => {
      const r = minimumDetectableR({ n, k, power, alpha, alternative });
      const approx = bisect((x) => fisherZPower(n - k, sign * x, alpha, alternative) - power, 0, 1 - 1e-15, 1e-12);
      return { power, r, approximate_r: sign * approx };
    });
    return { mode: 'minimum_r', method: POWER_METHOD, n, df: n - 2 - k, critical_r: critical(n), minimum_r, approximation: { method: APPROXIMATION_METHOD } };
  }
  if (o.n !== null && o.r !== null) {
    const n = o.n;
    return {
      mode: 'power',
      method: POWER_METHOD,
      n,
      df: n - 2 - k,
      critical_r: critical(n),
      power: partialCorrelationPower({ n, k, r: o.r, alpha, alternative }),
      approximation: { method: APPROXIMATION_METHOD, power: fisherZPower(n - k, o.r, alpha, alternative) },
    };
  }
  // r and power: the n needed.
  const r = o.r!;
  const power = o.power!;
  if (r === 0) throw new UsageError(words`${option('r')} 0 cannot be detected at any n (the power stays alpha), give the smallest r worth detecting`);
  if ((alternative === 'greater' && r < 0) || (alternative === 'less' && r > 0)) {
    throw new UsageError(words`${option('r')} ${r} lies on the other side of ${option('alternative')} ${alternative}, change the sign of r or the alternative`);
  }
  let n: number;
  try {
    n = requiredN({ r, k, power, alpha, alternative });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(words`${error.message}, give a larger ${option('r')}`);
    throw error;
  }
  // The approximation needs N = n − k ≥ 4 (pwr: "at least 4"); it increases in N.
  const f = (N: number) => fisherZPower(N, r, alpha, alternative) - power;
  let hi = 8;
  while (f(hi) < 0 && hi < MAX_N) hi *= 2;
  const N = f(4) >= 0 ? 4 : bisect(f, 4, hi, 1e-9);
  return {
    mode: 'required_n',
    method: POWER_METHOD,
    n,
    df: n - 2 - k,
    critical_r: critical(n),
    power: partialCorrelationPower({ n, k, r, alpha, alternative }),
    power_at_n_minus_1: n - 1 >= k + 3 ? partialCorrelationPower({ n: n - 1, k, r, alpha, alternative }) : null,
    approximation: { method: APPROXIMATION_METHOD, n: N + k, n_ceiling: Math.ceil(N + k) },
  };
}
