/**
 * Fit measures of a CFA as lavaan's `fitMeasures()` (lavaan 0.6 lav_fit_measures.R, lav_fit_cfi.R, lav_fit_rmsea.R,
 * lav_fit_srmr.R) and the nested-model test of `lavTestLRT()` (method "standard"):
 *
 *   baseline (independence) χ²_b = Σ_g n_g (Σ_j log s_jj − log|S_g|),  df_b = G · p(p − 1)/2   (means saturated)
 *   CFI  = 1 − max(χ² − df, 0) / max(χ² − df, χ²_b − df_b, 0)   (1 when both are 0)
 *   TLI  = 1 − ((χ² − df) df_b) / ((χ²_b − df_b) df)             (1 when df = 0)
 *   RMSEA = √max(χ²/(N df) − 1/N, 0) · √G; its 90 % CI from the noncentralities λ with
 *           P(χ²_{df}(λ) ≤ χ²) = .95 (lower) and .05 (upper), RMSEA_ci = √(λ/(N df)) · √G
 *   SRMR (Bentler; lavaan's "srmr") = √(mean over j ≤ k of ((s_jk − σ̂_jk)/√(s_jj s_kk))²)   (one group, no means)
 *   Δχ² = χ²_restricted − χ²_free on Δdf, p = P(χ²_{Δdf} ≥ Δχ²)
 */
import { chisqUpper, noncentralChisqCdf } from './distributions';
import { CfaFit, GroupMoments, spdInverse } from './cfa';

export interface FitMeasures {
  chisq: number;
  df: number;
  p: number | null;
  cfi: number;
  tli: number;
  rmsea: number;
  rmseaCi: [number, number];
  /** Null for a multi-group fit (not reported there). */
  srmr: number | null;
  baselineChisq: number;
  baselineDf: number;
}

/** χ²_b of the independence model, the sum over groups. */
export function baselineChisq(samples: GroupMoments[]): number {
  let total = 0;
  for (const { n, cov } of samples) {
    const p = cov.length === 0 ? 0 : Math.round(Math.sqrt(cov.length));
    let diagonal = 0;
    for (let j = 0; j < p; j++) diagonal += Math.log(cov[j * p + j]);
    // S is positive definite: the fit checked it
    const logDet = spdInverse(cov, p)!.logDet;
    total += n * (diagonal - logDet);
  }
  return total;
}

/** The λ in [lo, hi] where the decreasing g(λ) = P(χ²_df(λ) ≤ x) − target crosses 0, by bisection to 1e-12. */
function noncentrality(x: number, df: number, target: number, hi: number): number {
  let lo = 0;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (noncentralChisqCdf(x, df, mid) - target > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** lavaan's lav_fit_rmsea_ci (level .90). */
export function rmseaInterval(chisq: number, df: number, n: number, groups: number, level = 0.9): [number, number] {
  const upperPerc = 1 - (1 - level) / 2;
  const lowerPerc = (1 - level) / 2;
  const scale = (lambda: number): number => Math.sqrt(lambda / (n * df)) * Math.sqrt(groups);
  let lower = 0;
  if (df >= 1 && noncentralChisqCdf(chisq, df, 0) - upperPerc >= 0) lower = scale(noncentrality(chisq, df, upperPerc, chisq));
  let upper = 0;
  const top = Math.max(n, chisq * 4);
  if (df >= 1 && !(noncentralChisqCdf(chisq, df, top) - lowerPerc > 0) && !(noncentralChisqCdf(chisq, df, 0) - lowerPerc < 0)) {
    upper = scale(noncentrality(chisq, df, lowerPerc, top));
  }
  return [lower, upper];
}

/** SRMR (Bentler) of a one-group fit without mean structure. */
export function srmrBentler(sample: GroupMoments, sigma: Float64Array): number {
  const p = sample.mean.length;
  let sum = 0;
  let count = 0;
  for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) {
    const r = (sample.cov[j * p + k] - sigma[j * p + k]) / Math.sqrt(sample.cov[j * p + j] * sample.cov[k * p + k]);
    sum += r * r;
    count++;
  }
  return Math.sqrt(sum / count);
}

export function fitMeasures(fit: CfaFit, samples: GroupMoments[]): FitMeasures {
  const { chisq, df, n } = fit;
  const groups = samples.length;
  const p = samples[0].mean.length;
  const baseline = baselineChisq(samples);
  const baselineDf = (groups * p * (p - 1)) / 2;
  const t1 = Math.max(chisq - df, 0);
  const t2 = Math.max(chisq - df, baseline - baselineDf, 0);
  // lavaan: CFI is 1 when all.equal(t1, 0) and all.equal(t2, 0) (tolerance 1.5e-8)
  const cfi = Math.abs(t1) < 1.5e-8 && Math.abs(t2) < 1.5e-8 ? 1 : 1 - t1 / t2;
  const tliDenominator = (baseline - baselineDf) * df;
  const tli = df > 0 && Math.abs(tliDenominator) > 0 ? 1 - ((chisq - df) * baselineDf) / tliDenominator : 1;
  const rmsea = df > 0 ? Math.sqrt(Math.max(chisq / n / df - 1 / n, 0)) * Math.sqrt(groups) : 0;
  return {
    chisq,
    df,
    p: df > 0 ? chisqUpper(chisq, df) : null,
    cfi,
    tli,
    rmsea,
    rmseaCi: rmseaInterval(chisq, df, n, groups),
    srmr: groups === 1 && fit.groups[0].nu === null ? srmrBentler(samples[0], fit.groups[0].sigma) : null,
    baselineChisq: baseline,
    baselineDf,
  };
}

export interface NestedTest {
  deltaChisq: number;
  deltaDf: number;
  p: number | null;
}

/** lavTestLRT's standard χ² difference of a restricted model against the freer one it is nested in. */
export function nestedTest(free: { chisq: number; df: number }, restricted: { chisq: number; df: number }): NestedTest {
  const deltaChisq = restricted.chisq - free.chisq;
  const deltaDf = restricted.df - free.df;
  return { deltaChisq, deltaDf, p: deltaDf > 0 ? chisqUpper(Math.max(deltaChisq, 0), deltaDf) : null };
}
