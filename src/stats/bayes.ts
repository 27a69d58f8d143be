/**
 * JZS (Jeffreys–Zellner–Siow) Bayes factors for linear regression and, through them, for a (partial) correlation,
 * as R's BayesFactor::linearReg.R2stat (Liang, Paulo, Molina, Clyde & Berger 2008; Rouder & Morey 2012).
 * Also the adaptive Gauss–Kronrod quadrature they (and power.ts) use.
 */

// ---------------------------------------------------------------------------------------------------------------
// Quadrature

/** Kronrod 15-point nodes on [−1, 1] (non-negative half, descending) and weights; QUADPACK dqk15. */
const XGK = [
  0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
  0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
  0.207784955007898467600689403773245, 0,
];
const WGK = [
  0.02293532201052922496373200805897, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
  0.140653259715525918745189590510238, 0.16900472663926790282658342659855, 0.190350578064785409913256402421014,
  0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
];
/** Gauss 7-point weights for the nodes XGK[1], XGK[3], XGK[5], XGK[7] = 0. */
const WG = [0.129484966168869693270611432679082, 0.27970539148927666790146777142378, 0.381830050505118944950369775488975, 0.417959183673469387755102040816327];

interface Piece { a: number; b: number; value: number; error: number }

function gk15(f: (x: number) => number, a: number, b: number): Piece {
  const c = (a + b) / 2;
  const h = (b - a) / 2;
  const fc = f(c);
  let k = fc * WGK[7];
  let g = fc * WG[3];
  for (let j = 0; j < 7; j++) {
    const dx = h * XGK[j];
    const s = f(c - dx) + f(c + dx);
    k += WGK[j] * s;
    if (j % 2 === 1) g += WG[(j - 1) / 2] * s;
  }
  return { a, b, value: k * h, error: Math.abs((k - g) * h) };
}

export interface IntegrateOptions {
  /** Relative tolerance on the total (default 1e-12). */
  relTol?: number;
  /** Absolute tolerance (default 0). */
  absTol?: number;
  /** Maximum number of subintervals (default 2000). */
  maxPieces?: number;
}

/**
 * ∫ₐᵇ f(x) dx by globally adaptive Gauss–Kronrod (7/15 points): repeatedly bisect the piece with the largest
 * |K15 − G7| until the summed estimate is below max(absTol, relTol·|I|) — QUADPACK's QAG strategy (Piessens et al.
 * 1983) with the plain |K − G| error estimate, which is pessimistic for smooth integrands. `f` must be finite on
 * [a, b] (endpoints are never evaluated). Returns the integral and the error estimate.
 */
export function integrate(f: (x: number) => number, a: number, b: number, opts: IntegrateOptions = {}): { value: number; error: number } {
  const relTol = opts.relTol ?? 1e-12;
  const absTol = opts.absTol ?? 0;
  const maxPieces = opts.maxPieces ?? 2000;
  if (a === b) return { value: 0, error: 0 };
  const pieces: Piece[] = [gk15(f, a, b)];
  let value = pieces[0].value;
  let error = pieces[0].error;
  while (error > Math.max(absTol, relTol * Math.abs(value)) && pieces.length < maxPieces) {
    let worst = 0;
    for (let i = 1; i < pieces.length; i++) if (pieces[i].error > pieces[worst].error) worst = i;
    const p = pieces[worst];
    const m = (p.a + p.b) / 2;
    if (m <= p.a || m >= p.b) break; // cannot split further in floating point
    const left = gk15(f, p.a, m);
    const right = gk15(f, m, p.b);
    pieces[worst] = left;
    pieces.push(right);
    value = 0;
    error = 0;
    for (const q of pieces) {
      value += q.value;
      error += q.error;
    }
  }
  return { value, error };
}

// ---------------------------------------------------------------------------------------------------------------
// JZS regression Bayes factor

/** log(1 + eˣ) without overflow or loss of precision. */
const log1pExp = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

function checkArgs(n: number, p: number, r2: number, rscale: number): void {
  if (!Number.isInteger(p) || p < 1) throw new RangeError(`JZS Bayes factor: number of predictors must be an integer ≥ 1, got ${p}`);
  if (!(n > p + 1)) throw new RangeError(`JZS Bayes factor: need n > p + 1 (n = ${n}, p = ${p})`);
  if (!(r2 >= 0 && r2 < 1)) throw new RangeError(`JZS Bayes factor: R² must be in [0, 1), got ${r2}`);
  if (!(rscale > 0 && Number.isFinite(rscale))) throw new RangeError(`JZS Bayes factor: rscale must be positive, got ${rscale}`);
}

/**
 * log BF₁₀ of the regression with p predictors and coefficient of determination R² against the intercept-only
 * model, with the JZS (Zellner–Siow mixture of g) prior — exactly what BayesFactor::linearReg.R2stat(N = n, p, R2,
 * rscale) returns as `$bf` (0.9.12-4.4; Liang et al. 2008 eq. 10–11, Rouder & Morey 2012 eq. 11):
 *
 *   BF₁₀ = ∫₀^∞ (1 + g)^{(n−p−1)/2} · (1 + (1 − R²) g)^{−(n−1)/2} · IG(g; ½, rscale²·n/2) dg,
 *
 * IG(g; a, b) = bᵃ/Γ(a) g^{−a−1} e^{−b/g} the inverse-gamma density. `rscale` is on BayesFactor's scale for
 * `linearReg.R2stat` (a number; its named "medium" = √2/4, "wide" = ½, "ultrawide" = √2/2); rscale = 1 is the
 * original Zellner–Siow / Liang et al. prior, g ~ IG(½, n/2), used by Wetzels & Wagenmakers (2012).
 *
 * Computation: as BayesFactor, substitute g = eᵘ (integrand × eᵘ), and work in logs:
 *   log φ(u) = ½[(n−p−1)·log(1+eᵘ) − (n−1)·log(1+(1−R²)eᵘ)] + ½ log b − ½ log π − ½u − b e^{−u},  b = rscale²n/2.
 * The integrand is exp(log φ − max log φ), integrated by adaptive Gauss–Kronrod over the u-range where it exceeds
 * e^{−60} of its maximum (left tail decays as exp(−b e^{−u}), right as exp(−(p+1)u/2)), split at the mode, to a
 * requested relative error of 1e-10 (tighter only chases the rounding noise of log φ for large n); the tests agree
 * with a rel.tol = 1e-13 R integral of the same integrand to 1e-10 in log BF.
 */
export function jzsRegressionLogBF(n: number, p: number, r2: number, rscale = 1): number {
  checkArgs(n, p, r2, rscale);
  const b = (rscale * rscale * n) / 2;
  const logB = Math.log(b);
  const log1mR2 = Math.log1p(-r2);
  const logPhi = (u: number): number =>
    0.5 * ((n - p - 1) * log1pExp(u) - (n - 1) * log1pExp(u + log1mR2)) + 0.5 * logB - 0.5 * Math.log(Math.PI) - 0.5 * u - b * Math.exp(-u);

  // Locate the maximum on a grid wide enough for the prior's scale (u ≈ log b) and the likelihood's
  // (g up to ≈ n/(1 − R²)), then refine it by golden-section search around the best grid point.
  const step = 0.125;
  const lo0 = logB - 12;
  const hi0 = Math.max(Math.log(n) - log1mR2, logB) + 12;
  let best = lo0;
  let bestVal = -Infinity;
  for (let u = lo0; u <= hi0; u += step) {
    const v = logPhi(u);
    if (v > bestVal) {
      bestVal = v;
      best = u;
    }
  }
  let a = best - step;
  let c = best + step;
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const x1 = c - gr * (c - a);
    const x2 = a + gr * (c - a);
    if (logPhi(x1) > logPhi(x2)) c = x2;
    else a = x1;
  }
  const mode = (a + c) / 2;
  const maxLog = Math.max(bestVal, logPhi(mode));

  // Integration limits: walk out from the mode until the integrand is below e^{−60} of its maximum.
  const cutoff = maxLog - 60;
  let lower = mode - 0.5;
  for (let w = 0.5; logPhi(lower) > cutoff; w *= 1.5) lower -= w;
  let upper = mode + 0.5;
  for (let w = 0.5; logPhi(upper) > cutoff; w *= 1.5) upper += w;

  const f = (u: number): number => Math.exp(logPhi(u) - maxLog);
  // Split at the mode so the first bisection already resolves the peak.
  const left = integrate(f, lower, mode, { relTol: 1e-10 });
  const right = integrate(f, mode, upper, { relTol: 1e-10 });
  return Math.log(left.value + right.value) + maxLog;
}

/**
 * BF₁₀ = exp(jzsRegressionLogBF(n, p, R², rscale)) = exp(BayesFactor::linearReg.R2stat(n, p, R2, rscale)$bf).
 * For overwhelming evidence this overflows to Infinity (log BF > 709.78); use the log form to report such values.
 */
export function jzsRegressionBF(n: number, p: number, r2: number, rscale = 1): number {
  return Math.exp(jzsRegressionLogBF(n, p, r2, rscale));
}

/**
 * log BF₁₀ for the partial correlation of y and x given k covariates Z, as the ratio of two JZS regression BFs
 * against the intercept-only model (so the intercept-only model cancels; Rouder & Morey 2012, "model comparison"):
 *
 *   BF₁₀ = BF(n, k + 1, R²_{y|x,Z}) / BF(n, k, R²_{y|Z}),   the denominator being 1 when k = 0,
 *
 * i.e. y ~ x + Z against y ~ Z. With k = 0 this is the JZS correlation test of Wetzels & Wagenmakers (2012):
 * r = .6, n = 20 gives BF₁₀ = 8.2214 (rscale = 1).
 */
export function partialCorrelationLogBF(n: number, k: number, r2Full: number, r2Reduced: number, rscale = 1): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`partialCorrelationBF: k must be an integer ≥ 0, got ${k}`);
  const full = jzsRegressionLogBF(n, k + 1, r2Full, rscale);
  if (k === 0) return full;
  return full - jzsRegressionLogBF(n, k, r2Reduced, rscale);
}

/** exp(partialCorrelationLogBF(...)); see there. */
export function partialCorrelationBF(n: number, k: number, r2Full: number, r2Reduced: number, rscale = 1): number {
  return Math.exp(partialCorrelationLogBF(n, k, r2Full, r2Reduced, rscale));
}

export interface BayesFactorResult {
  bf10: number | null;
  logBf10: number | null;
  reason?: string;
}

/**
 * partialCorrelationBF for data-driven input: instead of throwing, returns null with the reason when the BF is
 * undefined (n ≤ k + 2, an R² outside [0, 1) — e.g. a perfect fit — or a non-positive rscale); bf10 is null also when
 * it overflows (logBf10 is then still given).
 */
export function partialCorrelationBayesFactor(opts: { n: number; k: number; r2Full: number; r2Reduced: number; rscale?: number }): BayesFactorResult {
  try {
    const logBf10 = partialCorrelationLogBF(opts.n, opts.k, opts.r2Full, opts.r2Reduced, opts.rscale ?? 1);
    const bf10 = Math.exp(logBf10);
    return Number.isFinite(bf10) ? { bf10, logBf10 } : { bf10: null, logBf10, reason: 'BF10 exceeds the double range; see logBf10' };
  } catch (e) {
    if (e instanceof RangeError) return { bf10: null, logBf10: null, reason: e.message };
    throw e;
  }
}
