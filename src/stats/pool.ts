/**
 * Rubin's rules: pooling one estimate over M multiply imputed data sets.
 *
 * For estimates Q₁…Q_M with complete-data variances U₁…U_M (Rubin 1987; van Buuren 2018, *Flexible Imputation of
 * Missing Data*, 2nd ed., §5.2):
 *   Q̄ = mean Qᵢ,  Ū = mean Uᵢ (within),  B = Σ(Qᵢ − Q̄)² / (M − 1) (between),  T = Ū + (1 + 1/M)·B (total);
 *   riv r = (1 + 1/M)·B / Ū,  λ = (1 + 1/M)·B / T,  fmi = (r + 2/(ν + 3)) / (r + 1);
 *   ν by Barnard & Rubin (1999) with the complete-data df ν_com (see `barnardRubinDf`).
 * This is `mice::pool` (pool.vector, rule "rubin1987") term by term; mice 3.15's `barnard.rubin` floors λ at 1e-4
 * inside the df only (so B = 0 gives a finite ν), and so does this. The reported λ is not floored, as in mice.
 */
import { Alternative, tPValue } from './distributions';
import { tQuantile } from './quantiles';

export interface Pooled {
  m: number;
  /** Q̄. */
  estimate: number;
  /** Ū. */
  within: number;
  /** B. */
  between: number;
  /** T = Ū + (1 + 1/M)·B. */
  total: number;
  /** Barnard–Rubin degrees of freedom. */
  df: number;
  riv: number;
  lambda: number;
  fmi: number;
  dfCom: number;
}

/**
 * Barnard & Rubin (1999) small-sample degrees of freedom, as mice 3.15's `barnard.rubin(m, b, t, dfcom)`:
 *   λ = max((1 + 1/M)·B / T, 1e-4),  ν_old = (M − 1)/λ²,  ν_obs = (ν_com + 1)/(ν_com + 3)·ν_com·(1 − λ),
 *   ν = ν_old·ν_obs / (ν_old + ν_obs)  (ν_old alone when ν_com is infinite).
 */
export function barnardRubinDf(m: number, between: number, total: number, dfCom: number): number {
  const lambda = Math.max(((1 + 1 / m) * between) / total, 1e-4);
  const dfOld = (m - 1) / (lambda * lambda);
  if (!Number.isFinite(dfCom)) return dfOld;
  const dfObs = ((dfCom + 1) / (dfCom + 3)) * dfCom * (1 - lambda);
  return (dfOld * dfObs) / (dfOld + dfObs);
}

/** Rubin's rules over M ≥ 2 estimates and their complete-data variances (see the module comment). */
export function poolRubin(estimates: ArrayLike<number>, variances: ArrayLike<number>, dfCom: number): Pooled {
  const m = estimates.length;
  if (m < 2) throw new RangeError(`Rubin's rules need at least 2 imputations, got ${m}`);
  if (variances.length !== m) throw new RangeError(`${variances.length} variances for ${m} estimates`);
  let qbar = 0;
  let ubar = 0;
  for (let i = 0; i < m; i++) {
    qbar += estimates[i];
    ubar += variances[i];
  }
  qbar /= m;
  ubar /= m;
  let b = 0;
  for (let i = 0; i < m; i++) b += (estimates[i] - qbar) ** 2;
  b /= m - 1;
  const total = ubar + (1 + 1 / m) * b;
  const df = barnardRubinDf(m, b, total, dfCom);
  const riv = ((1 + 1 / m) * b) / ubar;
  return {
    m,
    estimate: qbar,
    within: ubar,
    between: b,
    total,
    df,
    riv,
    lambda: ((1 + 1 / m) * b) / total,
    fmi: (riv + 2 / (df + 3)) / (riv + 1),
    dfCom,
  };
}

/**
 * `mice::pool.r.squared`: Rubin's rules on Fisher's z of R = √R², with within variance 1/(n − 3) and ν_com = ∞
 * (pool.scalar's default n = Inf), and a normal 95% interval with the constant 1.96, squared back:
 *   R²_pooled = tanh(z̄)², CI = tanh(z̄ ± 1.96·√T)².
 * Kept identical to mice (1/(n − 3) ignores the number of predictors; 1.96 is not the t quantile) so that
 * results can be checked against it; `fmi` as pool.scalar computes it, with T = Ū + (M + 1)·B/M.
 */
export function poolRSquared(rSquared: ArrayLike<number>, n: ArrayLike<number>): { estimate: number; ci: [number, number]; fmi: number } {
  const z = Array.from(rSquared, (r2) => Math.atanh(Math.sqrt(r2)));
  const u = Array.from(n, (ni) => 1 / (ni - 3));
  const pooled = poolRubin(z, u, Infinity);
  const back = (v: number): number => Math.tanh(v) ** 2;
  const half = 1.96 * Math.sqrt(pooled.total);
  return { estimate: back(pooled.estimate), ci: [back(pooled.estimate - half), back(pooled.estimate + half)], fmi: pooled.fmi };
}

/** A correlation pooled on Fisher's z, in the shape of a complete-data correlation test plus the pooling details. */
export interface PooledCorrelation {
  r: number;
  ci: [number, number];
  t: number;
  df: number;
  p: number;
  pooled: Pooled;
}

/** Fisher's z of a (partial) correlation on n rows with k covariate columns, as one fit's estimate to pool: W = 1/(n − 3 − k), ν_com = n − 2 − k. */
export function fisherZ(r: number, n: number, k: number): { estimate: number; variance: number; dfCom: number } {
  return { estimate: Math.atanh(r), variance: 1 / (n - 3 - k), dfCom: n - 2 - k };
}

/**
 * A (partial) correlation over M imputations, pooled on Fisher's z (van Buuren 2018, §5.3.3 and §14.x):
 * zᵢ = atanh(rᵢ) with within variance W = 1/(n − 3 − k); Rubin's rules with ν_com = n − 2 − k (the df of the
 * partial r's t test) and Barnard–Rubin ν; then `correlationOnZ`. n is the number of rows analysed (the same in every
 * imputation), k the covariate columns.
 */
export function poolCorrelation(
  rs: ArrayLike<number>,
  n: number,
  k: number,
  opts: { ciLevel?: number; alternative?: Alternative } = {},
): PooledCorrelation {
  const { variance, dfCom } = fisherZ(0, n, k);
  const z = Array.from(rs, (r) => Math.atanh(r));
  return correlationOnZ(poolRubin(z, new Array<number>(z.length).fill(variance), dfCom), opts);
}

/**
 * A correlation from its Fisher z pooled by Rubin's rules (z̄, T, ν): CI = tanh(z̄ ± t_{ν, 1−α/2}·√T) (one-sided: the
 * bound at t_{ν, level}); t = z̄/√T and p two-sided (or one-sided) from Student's t on ν.
 */
export function correlationOnZ(pooled: Pooled, opts: { ciLevel?: number; alternative?: Alternative } = {}): PooledCorrelation {
  const level = opts.ciLevel ?? 0.95;
  const alternative = opts.alternative ?? 'two-sided';
  const se = Math.sqrt(pooled.total);
  const t = pooled.estimate / se;
  let ci: [number, number];
  if (alternative === 'two-sided') {
    const q = tQuantile(1 - (1 - level) / 2, pooled.df);
    ci = [Math.tanh(pooled.estimate - q * se), Math.tanh(pooled.estimate + q * se)];
  } else {
    const q = tQuantile(level, pooled.df);
    ci = alternative === 'less' ? [-1, Math.tanh(pooled.estimate + q * se)] : [Math.tanh(pooled.estimate - q * se), 1];
  }
  return { r: Math.tanh(pooled.estimate), ci, t, df: pooled.df, p: tPValue(t, pooled.df, alternative), pooled };
}

/** An estimate (a regression coefficient, a mean) pooled as `summary(mice::pool(fit), conf.int = TRUE)` gives it, with the pooling details. */
export interface PooledCoefficient {
  estimate: number;
  /** √T. */
  se: number;
  /** Q̄/√T. */
  t: number;
  /** Two-sided, from Student's t on the Barnard–Rubin ν. */
  p: number;
  /** Q̄ ± t_{ν, 1−α/2}·√T. */
  ci: [number, number];
  pooled: Pooled;
}

/**
 * One estimate over M fits: Rubin's rules on the estimates with their complete-data variances Uᵢ (a coefficient's
 * SEᵢ², a mean's sᵢ²/n) and ν_com (mice::pool takes df.residual of each lm), then t, p and the interval on the
 * Barnard–Rubin ν.
 */
export function poolCoefficient(estimates: ArrayLike<number>, variances: ArrayLike<number>, dfCom: number, ciLevel = 0.95): PooledCoefficient {
  const pooled = poolRubin(estimates, variances, dfCom);
  const se = Math.sqrt(pooled.total);
  const t = pooled.estimate / se;
  const half = tQuantile(1 - (1 - ciLevel) / 2, pooled.df) * se;
  return { estimate: pooled.estimate, se, t, p: tPValue(t, pooled.df), ci: [pooled.estimate - half, pooled.estimate + half], pooled };
}
