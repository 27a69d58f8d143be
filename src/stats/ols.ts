/**
 * Ordinary least squares as R's `lm` + `summary.lm` (and the usual companions: `sandwich::vcovHC(type = "HC3")`,
 * `lmtest::coeftest`, `car::vif`, `cooks.distance`), on a model matrix the caller has already built.
 *
 * The caller builds the columns (intercept, dummy and interaction columns) and names them as R does
 * (`(Intercept)`, `sexmale`, `ACT:sexmale`, …). Nothing here reads data or knows about factors.
 *
 * Degenerate quantities are null, never NaN, with the reason in `OlsFit.notes` (or a `reason` field).
 */
import { fUpper, tPValue } from './distributions';
import { tQuantile } from './quantiles';
import { qrCoef, qrDecompose, qrHat, qrResiduals, qrUnscaledCovariance, type QrDecomposition } from './qr';

export interface OlsTerm {
  term: string;
  /** True when the column is (numerically) a linear combination of earlier columns: R's NA coefficient. */
  aliased: boolean;
  estimate: number | null;
  se: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
}

export interface OlsFit {
  n: number;
  /** Number of non-aliased columns. */
  rank: number;
  /** n − rank. */
  dfResidual: number;
  /** True when columns[0] is the intercept (R² centred, F on rank − 1 df). */
  intercept: boolean;
  ciLevel: number;
  coefficients: OlsTerm[];
  /** Residual standard error sqrt(RSS / df_res); null when df_res = 0. */
  sigma: number | null;
  /** R² = MSS / (MSS + RSS) as summary.lm (= 1 − RSS/TSS, TSS centred with an intercept); null when y is constant. */
  r2: number | null;
  /** 1 − (1 − R²)(n − df_int)/df_res; null when R² or df_res is undefined. */
  adjR2: number | null;
  /** Overall F = (MSS / (rank − df_int)) / σ²; null when there is no non-intercept term or σ = 0. */
  f: number | null;
  fDf: [number, number];
  fP: number | null;
  rss: number;
  residuals: Float64Array;
  fitted: Float64Array;
  /** Leverages h_i (diagonal of the hat matrix); values within 10ε of 1 are set to 1, as R. */
  hat: Float64Array;
  /** σ²(X'X)⁻¹, rank × rank, row-major, over the non-aliased terms in term order. Zero-filled when σ is undefined. */
  vcov: Float64Array;
  /** (X'X)⁻¹ over the non-aliased terms in term order (summary.lm's cov.unscaled), row-major. */
  covUnscaled: Float64Array;
  /** Indices (into `coefficients`) of the non-aliased terms, in order: the rows/columns of `vcov`. */
  kept: number[];
  /** Why something is null. */
  notes: string[];
  /** The decomposition, for further use (pivoted order). */
  qr: QrDecomposition;
}

export interface OlsOptions {
  /** Confidence level of the coefficient intervals (default 0.95), as `confint`. */
  ciLevel?: number;
  /** Whether columns[0] is the intercept. Default: true when columns[0] is all ones. */
  intercept?: boolean;
  /** Aliasing tolerance of the QR (default 1e-7, as lm). */
  tol?: number;
}

const isAllOnes = (c: Float64Array | undefined): boolean => c !== undefined && c.length > 0 && c.every((v) => v === 1);

function checkDesign(columns: Float64Array[], names: string[], y: Float64Array): void {
  if (columns.length !== names.length) throw new RangeError(`fitOls: ${columns.length} columns but ${names.length} names`);
  for (const c of columns) if (c.length !== y.length) throw new RangeError('fitOls: a column and y differ in length');
  for (const c of columns) for (const v of c) if (!Number.isFinite(v)) throw new RangeError('fitOls: non-finite value in the model matrix');
  for (const v of y) if (!Number.isFinite(v)) throw new RangeError('fitOls: non-finite value in y');
}

/**
 * Fit y = Xβ + ε by least squares through the pivoted Householder QR (qr.ts), as R's `lm` and `summary.lm`:
 *   β̂ = R₁₁⁻¹ (Qᵀy)₁ (aliased columns: null, R's NA); e = y − Xβ̂; σ² = RSS / (n − rank);
 *   SE_j = σ sqrt([(X'X)⁻¹]_jj); t_j = β̂_j / SE_j; p two-sided from t with n − rank df;
 *   CI = β̂_j ± t_{(1+level)/2, df} SE_j (confint.lm);
 *   R² = MSS / (MSS + RSS), MSS = Σ(ŷ − mean ŷ)² with an intercept (Σŷ² without), which equals
 *   1 − RSS/TSS with TSS centred; adjusted R² = 1 − (1 − R²)(n − df_int)/df_res;
 *   F = (MSS / (rank − df_int)) / σ² with p = P(F ≥ f) (fUpper, no 1 − cdf cancellation).
 * Reference: R's stats::lm.fit, summary.lm; Chambers (1992) "Linear models", Statistical Models in S.
 */
export function fitOls(columns: Float64Array[], names: string[], y: Float64Array, opts: OlsOptions = {}): OlsFit {
  checkDesign(columns, names, y);
  const ciLevel = opts.ciLevel ?? 0.95;
  if (!(ciLevel > 0 && ciLevel < 1)) throw new RangeError(`fitOls: ciLevel must be in (0, 1), got ${ciLevel}`);
  const intercept = opts.intercept ?? isAllOnes(columns[0]);
  if (intercept && !isAllOnes(columns[0])) throw new RangeError('fitOls: intercept = true but columns[0] is not all ones');
  const n = y.length;
  const p = columns.length;
  const notes: string[] = [];

  const qr = qrDecompose(columns, opts.tol ?? 1e-7);
  const rank = qr.rank;
  const dfResidual = n - rank;
  const coef = qrCoef(qr, y);
  const residuals = qrResiduals(qr, y);
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = y[i] - residuals[i];
  const hat = qrHat(qr);

  let rss = 0;
  for (const e of residuals) rss += e * e;
  const dfInt = intercept ? 1 : 0;
  let mss = 0;
  if (intercept) {
    let m = 0;
    for (const f of fitted) m += f;
    m /= n;
    for (const f of fitted) mss += (f - m) * (f - m);
  } else {
    for (const f of fitted) mss += f * f;
  }

  const sigma2 = dfResidual > 0 ? rss / dfResidual : null;
  const sigma = sigma2 === null ? null : Math.sqrt(sigma2);
  if (dfResidual <= 0) notes.push(`no residual degrees of freedom (n = ${n}, rank = ${rank}): sigma, standard errors and tests undefined`);
  else if (sigma === 0) notes.push('residuals are all zero (perfect fit): t statistics and tests undefined');

  // y constant: R², F and every t are 0/0 in exact arithmetic (what is left is rounding noise), so null.
  const yConstant = y.every((v) => v === y[0]);
  let r2: number | null = !yConstant && mss + rss > 0 ? mss / (mss + rss) : null;
  if (yConstant) notes.push('y is constant: R², F and t statistics undefined');
  const adjR2 = r2 !== null && dfResidual > 0 ? 1 - (1 - r2) * ((n - dfInt) / dfResidual) : null;
  if (r2 !== null && r2 > 1) r2 = 1;

  const fDf: [number, number] = [rank - dfInt, dfResidual];
  let f: number | null = null;
  let fP: number | null = null;
  if (fDf[0] <= 0) notes.push('no term besides the intercept: overall F undefined');
  else if (sigma2 !== null && sigma2 > 0 && !yConstant) {
    f = mss / fDf[0] / sigma2;
    fP = fUpper(f, fDf[0], fDf[1]);
  }

  // Unscaled covariance in pivoted order → term order. Limited pivoting keeps the kept columns in their
  // original relative order, so sorting the first `rank` pivots gives the term order directly.
  const covPiv = qrUnscaledCovariance(qr);
  const keptPiv = qr.pivot.slice(0, rank);
  const order = keptPiv.map((orig, pos) => ({ orig, pos })).sort((a, b) => a.orig - b.orig);
  const kept = order.map((o) => o.orig);
  const covUnscaled = new Float64Array(rank * rank);
  for (let a = 0; a < rank; a++) for (let b = 0; b < rank; b++) covUnscaled[a * rank + b] = covPiv[order[a].pos * rank + order[b].pos];
  const vcov = new Float64Array(rank * rank);
  if (sigma2 !== null) for (let i = 0; i < vcov.length; i++) vcov[i] = covUnscaled[i] * sigma2;

  const tcrit = dfResidual > 0 ? tQuantile((1 + ciLevel) / 2, dfResidual) : NaN;
  const coefficients: OlsTerm[] = [];
  for (let j = 0; j < p; j++) {
    const est = coef[j];
    const a = kept.indexOf(j);
    if (est === null || a < 0) {
      coefficients.push({ term: names[j], aliased: true, estimate: null, se: null, t: null, p: null, ci: null });
      continue;
    }
    const se = sigma2 !== null ? Math.sqrt(covUnscaled[a * rank + a] * sigma2) : null;
    const t = se !== null && se > 0 && !yConstant ? est / se : null;
    coefficients.push({
      term: names[j],
      aliased: false,
      estimate: est,
      se,
      t,
      p: t !== null ? tPValue(t, dfResidual) : null,
      ci: se !== null ? [est - tcrit * se, est + tcrit * se] : null,
    });
  }
  const aliasedNames = coefficients.filter((c) => c.aliased).map((c) => c.term);
  if (aliasedNames.length > 0) notes.push(`aliased (linear combination of earlier columns, estimate null as R's NA): ${aliasedNames.join(', ')}`);

  return {
    n, rank, dfResidual, intercept, ciLevel, coefficients, sigma, r2, adjR2, f, fDf, fP, rss,
    residuals, fitted, hat, vcov, covUnscaled, kept, notes, qr,
  };
}

export interface RobustSe {
  /** Per term (null for aliased terms, or all null when undefined). */
  se: (number | null)[];
  /** The HC3 covariance, rank × rank over the non-aliased terms in term order (as fit.vcov); absent when undefined. */
  vcov?: Float64Array;
  reason?: string;
}

/**
 * HC3 heteroskedasticity-consistent covariance, as `sandwich::vcovHC(fit, type = "HC3")` (MacKinnon & White 1985;
 * Long & Ervin 2000):  V = (X'X)⁻¹ X' diag(e_i² / (1 − h_i)²) X (X'X)⁻¹, over the non-aliased columns.
 * When some h_i = 1 (to 1e-10) the weight e_i²/(1 − h_i)² is 0/0, so HC3 is undefined (sandwich returns NaN):
 * all null with reason "leverage 1 at row …" (0-based row indices).
 * Robust tests as `lmtest::coeftest(fit, vcov. = vcovHC(fit, "HC3"))`: t = β̂/SE_HC3, p from t on fit.dfResidual —
 * see `robustCoefficients`.
 */
export function hc3(fit: OlsFit, columns: Float64Array[]): RobustSe {
  const p = fit.coefficients.length;
  if (columns.length !== p) throw new RangeError(`hc3: ${columns.length} columns for ${p} terms`);
  const lev1: number[] = [];
  for (let i = 0; i < fit.n; i++) if (Math.abs(1 - fit.hat[i]) <= 1e-10) lev1.push(i);
  if (lev1.length > 0) {
    const shown = lev1.slice(0, 10).join(', ') + (lev1.length > 10 ? ', …' : '');
    return { se: new Array(p).fill(null), reason: `leverage 1 at row ${shown} (0-based): HC3 divides by (1 − h)² = 0` };
  }
  const r = fit.rank;
  const kept = fit.kept;
  // meat M = Σ_i w_i x_i x_iᵀ with w_i = e_i²/(1 − h_i)², over kept columns.
  const meat = new Float64Array(r * r);
  const xi = new Float64Array(r);
  for (let i = 0; i < fit.n; i++) {
    const d = 1 - fit.hat[i];
    const w = (fit.residuals[i] * fit.residuals[i]) / (d * d);
    if (w === 0) continue;
    for (let a = 0; a < r; a++) xi[a] = columns[kept[a]][i];
    for (let a = 0; a < r; a++) {
      const wa = w * xi[a];
      for (let b = a; b < r; b++) meat[a * r + b] += wa * xi[b];
    }
  }
  for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) meat[a * r + b] = meat[b * r + a];
  const vcov = sandwich(fit.covUnscaled, meat, r);
  const se: (number | null)[] = new Array(p).fill(null);
  for (let a = 0; a < r; a++) se[kept[a]] = Math.sqrt(Math.max(0, vcov[a * r + a]));
  return { se, vcov };
}

/** B M B for symmetric r × r row-major B, M. */
function sandwich(B: Float64Array, M: Float64Array, r: number): Float64Array {
  const BM = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) {
    let s = 0;
    for (let b = 0; b < r; b++) s += B[a * r + b] * M[b * r + c];
    BM[a * r + c] = s;
  }
  const out = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let c = a; c < r; c++) {
    let s = 0;
    for (let b = 0; b < r; b++) s += BM[a * r + b] * B[b * r + c];
    out[a * r + c] = s;
    out[c * r + a] = s;
  }
  return out;
}

/**
 * Coefficient table with a different covariance (e.g. HC3), as `lmtest::coeftest(fit, vcov. = V)` for an lm:
 * t = β̂_j / sqrt(V_jj), p two-sided from t on fit.dfResidual, CI β̂_j ± t_{(1+level)/2, df} SE_j.
 * `vcov` is rank × rank over the non-aliased terms in term order (as `hc3(...).vcov`).
 */
export function robustCoefficients(fit: OlsFit, vcov: Float64Array): OlsTerm[] {
  const r = fit.rank;
  if (vcov.length !== r * r) throw new RangeError('robustCoefficients: vcov must be rank × rank');
  const tcrit = fit.dfResidual > 0 ? tQuantile((1 + fit.ciLevel) / 2, fit.dfResidual) : NaN;
  return fit.coefficients.map((c, j) => {
    const a = fit.kept.indexOf(j);
    if (c.aliased || c.estimate === null || a < 0 || fit.dfResidual <= 0) return { ...c, se: null, t: null, p: null, ci: null };
    const se = Math.sqrt(Math.max(0, vcov[a * r + a]));
    const t = se > 0 ? c.estimate / se : null;
    return {
      ...c,
      se,
      t,
      p: t !== null ? tPValue(t, fit.dfResidual) : null,
      ci: [c.estimate - tcrit * se, c.estimate + tcrit * se],
    };
  });
}

export interface LinearCombination {
  estimate: number;
  se: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
  reason?: string;
}

/**
 * A linear combination cᵀβ̂ of the coefficients with SE sqrt(cᵀVc), t = cᵀβ̂/SE, p two-sided on the model's
 * residual df and CI cᵀβ̂ ± t_{(1+level)/2, df}·SE (as `multcomp::glht` / a contrast on an lm).
 * Typical use, simple slopes: the slope of x in group g is β_x + β_{x:g}, so c has 1 at x and at x:g.
 * `c` runs over all terms; aliased terms must have weight 0. `vcov` (rank × rank over non-aliased terms in term
 * order) defaults to fit.vcov; pass `hc3(...).vcov` for a robust SE.
 */
export function linearCombination(fit: OlsFit, c: number[], vcov: Float64Array = fit.vcov, ciLevel = fit.ciLevel): LinearCombination {
  const p = fit.coefficients.length;
  if (c.length !== p) throw new RangeError(`linearCombination: ${c.length} weights for ${p} terms`);
  const r = fit.rank;
  if (vcov.length !== r * r) throw new RangeError('linearCombination: vcov must be rank × rank');
  let estimate = 0;
  const ck = new Float64Array(r);
  for (let j = 0; j < p; j++) {
    const coef = fit.coefficients[j];
    if (c[j] === 0) continue;
    if (coef.aliased || coef.estimate === null) throw new RangeError(`linearCombination: term ${coef.term} is aliased and must have weight 0`);
    estimate += c[j] * coef.estimate;
    ck[fit.kept.indexOf(j)] = c[j];
  }
  if (fit.dfResidual <= 0 || fit.sigma === null) return { estimate, se: null, t: null, p: null, ci: null, reason: 'no residual degrees of freedom' };
  let v = 0;
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) v += ck[a] * vcov[a * r + b] * ck[b];
  const se = Math.sqrt(Math.max(0, v));
  const tcrit = tQuantile((1 + ciLevel) / 2, fit.dfResidual);
  const ci: [number, number] = [estimate - tcrit * se, estimate + tcrit * se];
  if (!(se > 0)) return { estimate, se, t: null, p: null, ci, reason: 'standard error is 0' };
  const t = estimate / se;
  return { estimate, se, t, p: tPValue(t, fit.dfResidual), ci };
}

/**
 * Variance inflation factor of each non-intercept column: VIF_j = 1/(1 − R²_j), R²_j from regressing column j on
 * the other columns (with the intercept when `intercept`; without it, R²_j is uncentred: 1 − RSS/Σx²).
 * For 1-df terms this is `car::vif` (Fox & Monette 1992). For interaction models the VIF is of the columns AS
 * CODED (x, g, x·g), which is large by construction when x is not centred — it measures the coding, not a problem
 * with the model (car::vif warns likewise). null when the column is (numerically, R²_j > 1 − 1e-12) a linear
 * combination of the others, or constant. With `intercept`, the result has one entry per column after columns[0].
 */
export function vif(columns: Float64Array[], names: string[], intercept = true): (number | null)[] {
  if (columns.length !== names.length) throw new RangeError('vif: columns and names differ in length');
  const start = intercept ? 1 : 0;
  const out: (number | null)[] = [];
  for (let j = start; j < columns.length; j++) {
    const others = columns.filter((_, i) => i !== j);
    const otherNames = names.filter((_, i) => i !== j);
    const xj = columns[j];
    if (others.length === 0) {
      out.push(intercept ? 1 : null);
      continue;
    }
    const fit = fitOls(others, otherNames, xj, { intercept });
    let tss = 0;
    if (intercept) {
      let m = 0;
      for (const v of xj) m += v;
      m /= xj.length;
      for (const v of xj) tss += (v - m) * (v - m);
    } else for (const v of xj) tss += v * v;
    const ratio = tss > 0 ? fit.rss / tss : 0; // 1 − R²_j
    out.push(ratio > 1e-12 ? 1 / ratio : null);
  }
  return out;
}

/**
 * Cook's distance D_i = e_i² h_i / (p σ² (1 − h_i)²), p = rank, as R's `cooks.distance` (Cook 1977).
 * null (R: NaN) for rows with leverage 1 (to 1e-10), and for every row when σ is 0 or undefined.
 */
export function cooksDistance(fit: OlsFit): (number | null)[] {
  const s2 = fit.sigma === null ? 0 : fit.sigma * fit.sigma;
  const out: (number | null)[] = new Array(fit.n);
  for (let i = 0; i < fit.n; i++) {
    const h = fit.hat[i];
    if (!(s2 > 0) || Math.abs(1 - h) <= 1e-10) {
      out[i] = null;
      continue;
    }
    const e = fit.residuals[i] / (1 - h);
    out[i] = (e * e * h) / (fit.rank * s2);
  }
  return out;
}

/** Sample SD (n − 1). */
function sd(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return Math.sqrt(s / (x.length - 1));
}

/**
 * Standardized ("beta") coefficients b*_j = β̂_j · sd(x_j) / sd(y) for the non-intercept columns (null for the
 * intercept, aliased terms, constant columns, or constant y). For main effects this equals the slope from lm on
 * the z-scored variables. Convention for interactions (as SPSS "Beta" and R's `lm.beta`): x_j is the model-matrix
 * column AS CODED — for `ACT:sexmale` the product column ACT·sexmale — i.e. the result equals lm on z-scored
 * model-matrix columns, NOT lm on z-scored ACT and sex with their product formed afterwards (which would change
 * the main-effect estimates themselves). `columns` and `y` must be the rows the fit used.
 */
export function standardizedCoefficients(fit: OlsFit, columns: Float64Array[], y: Float64Array): (number | null)[] {
  const sy = sd(y);
  return fit.coefficients.map((c, j) => {
    if ((fit.intercept && j === 0) || c.estimate === null || !(sy > 0)) return null;
    const sx = sd(columns[j]);
    return sx > 0 ? (c.estimate * sx) / sy : null;
  });
}

export interface PartialR {
  term: string;
  /** Partial r of y and x_j given the other columns: t / sqrt(t² + df_res). */
  partial: number | null;
  /** Semi-partial (part) r: x_j residualised on the others, y not: t·sqrt((1 − R²)/df_res). */
  semiPartial: number | null;
}

/**
 * Per term, from the coefficient t statistic (Cohen, Cohen, West & Aiken 2003, §3.5; Darlington & Hayes 2017):
 *   partial r_j      = t_j / sqrt(t_j² + df_res)
 *   semi-partial r_j = t_j · sqrt((1 − R²) / df_res)   (sign of t; its square is the drop in R² when x_j is removed)
 * Identical to correlating the residuals of y and of x_j on the other columns (partial) or y with the residual of
 * x_j (semi-partial). null for the intercept, aliased terms, or when t or R² is undefined.
 */
export function partialAndSemiPartialR(fit: OlsFit): PartialR[] {
  return fit.coefficients.map((c, j) => {
    const t = c.t;
    if ((fit.intercept && j === 0) || t === null || fit.dfResidual <= 0) return { term: c.term, partial: null, semiPartial: null };
    return {
      term: c.term,
      partial: t / Math.sqrt(t * t + fit.dfResidual),
      semiPartial: fit.r2 === null ? null : t * Math.sqrt((1 - fit.r2) / fit.dfResidual),
    };
  });
}
