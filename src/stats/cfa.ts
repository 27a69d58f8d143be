/**
 * Confirmatory factor analysis by maximum likelihood, as lavaan's `cfa()` with its defaults for continuous
 * indicators (Rosseel 2012, J Stat Softw 48(2); lavaan 0.6 source: lav_model_objective.R estimator.ML,
 * lav_model_gradient.R, lav_model_information.R):
 *
 *   Σ = ΛΨΛᵀ + Θ,  μ = ν + Λα                     (Θ diagonal, Ψ symmetric: correlated factors)
 *   F_g = log|Σ_g| + tr(S_g Σ_g⁻¹) − log|S_g| − p + (ȳ_g − μ_g)ᵀ Σ_g⁻¹ (ȳ_g − μ_g)
 *   F   = Σ_g (n_g / N) F_g,   χ² = N · F̂          (S_g with the n_g divisor: likelihood "normal")
 *
 * Each factor's first indicator has its loading fixed to 1 (the marker); residual variances, factor variances
 * and covariances are free and unbounded (a negative variance is reported, not prevented). With one group there is
 * no mean structure (the means are saturated and drop out of F). With several groups the mean structure is
 * included: intercepts ν free per group and latent means α fixed at 0 (configural); "metric" makes the loadings
 * equal across groups; "scalar" makes the loadings and intercepts equal and frees the latent means of every group
 * after the first (lavaan's group.equal = c("loadings", "intercepts")).
 *
 * The minimum is found from Fisher scoring, θ ← θ − (2 I)⁻¹ ∇F, refined by BFGS updates of the Hessian 2I, with step
 * halving while F does not decrease, where
 *   ∇F_a = Σ_g w_g [ tr(M_g ∂Σ_g/∂θ_a) − 2 d_gᵀ W_g ∂μ_g/∂θ_a ],   W = Σ⁻¹, d = ȳ − μ, M = W − W(S + ddᵀ)W,
 *   I_ab = Σ_g w_g [ ½ tr(W_g ∂Σ_g/∂θ_a W_g ∂Σ_g/∂θ_b) + ∂μ_g/∂θ_aᵀ W_g ∂μ_g/∂θ_b ]
 * is the expected information per observation (Magnus & Neudecker 1999, ch. 15; E[∂²F] = 2I). Standard errors are
 * lavaan's default (information = "expected"): cov(θ̂) = (N · I)⁻¹.
 */
import { cholesky } from './impute';

export type InvarianceLevel = 'configural' | 'metric' | 'scalar';

/** The nested levels of measurement invariance, each more restricted than the one before. */
export const INVARIANCE_LEVELS: readonly InvarianceLevel[] = ['configural', 'metric', 'scalar'];

/** The model: p items and, per factor, the item indices that load on it (the first is the marker). */
export interface CfaStructure {
  items: number;
  factors: number[][];
}

/** One group's sample moments: n, means and the n-divisor covariance (p × p, row-major). */
export interface GroupMoments {
  n: number;
  mean: Float64Array;
  cov: Float64Array;
}

type Kind = 'lambda' | 'theta' | 'psi' | 'nu' | 'alpha';
interface Location {
  group: number;
  kind: Kind;
  i: number;
  j: number;
}

export interface GroupEstimates {
  /** Loadings, p × m row-major (0 where an item does not load). */
  lambda: Float64Array;
  /** Residual variances, length p. */
  theta: Float64Array;
  /** Factor covariances, m × m row-major. */
  psi: Float64Array;
  /** Intercepts (null without a mean structure). */
  nu: Float64Array | null;
  /** Latent means (null without a mean structure). */
  alpha: Float64Array | null;
  /** Model-implied covariance, p × p. */
  sigma: Float64Array;
}

export interface CfaFit {
  converged: boolean;
  iterations: number;
  /** F̂ (lavaan's fx doubled: the χ² is N · F̂). */
  objective: number;
  chisq: number;
  df: number;
  /** Total n. */
  n: number;
  groups: GroupEstimates[];
  /** Free parameters and their standard errors (null when the information is singular). */
  parameters: Float64Array;
  se: Float64Array | null;
  /** Where each free parameter sits (all its places when it is shared across groups). */
  locations: Location[][];
  /** Largest absolute gradient element at the end. */
  gradient: number;
}

export interface CfaOptions {
  level?: InvarianceLevel;
  /** Mean structure: default true with several groups, false with one (lavaan's default). */
  meanStructure?: boolean;
  /** Starting values for the free parameters (a previous fit's `parameters`, e.g. in a bootstrap). */
  start?: Float64Array;
  /** Compute standard errors (default true). */
  standardErrors?: boolean;
  maxIterations?: number;
  /** Convergence: the largest step relative to 1 + |θ| (default 1e-10; a bootstrap's refits need far less). */
  tolerance?: number;
}

/** n-divisor moments of the rows `rows[pick[0]]`, `rows[pick[1]]`, …, as lavaan's sample statistics. */
export function groupMoments(rows: Float64Array[], p: number, pick: ArrayLike<number>): GroupMoments {
  const n = pick.length;
  const mean = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const x = rows[pick[r]];
    for (let j = 0; j < p; j++) mean[j] += x[j];
  }
  for (let j = 0; j < p; j++) mean[j] /= n;
  const cov = new Float64Array(p * p);
  for (let r = 0; r < n; r++) {
    const x = rows[pick[r]];
    for (let j = 0; j < p; j++) {
      const dj = x[j] - mean[j];
      for (let k = 0; k <= j; k++) cov[j * p + k] += dj * (x[k] - mean[k]);
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) cov[j * p + k] = cov[k * p + j] = cov[j * p + k] / n;
  return { n, mean, cov };
}

/** Free parameters of the model, each with every place it fills. */
function parameterTable(structure: CfaStructure, groups: number, meanStructure: boolean, level: InvarianceLevel): Location[][] {
  const table: Location[][] = [];
  const p = structure.items;
  const m = structure.factors.length;
  const shared = new Map<string, Location[]>();
  const add = (key: string | null, location: Location): void => {
    if (key === null) {
      table.push([location]);
      return;
    }
    const existing = shared.get(key);
    if (existing) existing.push(location);
    else {
      const places = [location];
      shared.set(key, places);
      table.push(places);
    }
  };
  for (let g = 0; g < groups; g++) {
    structure.factors.forEach((indicators, f) => {
      for (const item of indicators.slice(1)) add(level === 'configural' ? null : `lambda:${item}:${f}`, { group: g, kind: 'lambda', i: item, j: f });
    });
    for (let j = 0; j < p; j++) add(null, { group: g, kind: 'theta', i: j, j });
    for (let f = 0; f < m; f++) for (let h = f; h < m; h++) add(null, { group: g, kind: 'psi', i: f, j: h });
    if (meanStructure) {
      for (let j = 0; j < p; j++) add(level === 'scalar' ? `nu:${j}` : null, { group: g, kind: 'nu', i: j, j });
      if (level === 'scalar' && g > 0) for (let f = 0; f < m; f++) add(null, { group: g, kind: 'alpha', i: f, j: f });
    }
  }
  return table;
}

function emptyEstimates(p: number, m: number, meanStructure: boolean): GroupEstimates {
  return {
    lambda: new Float64Array(p * m),
    theta: new Float64Array(p),
    psi: new Float64Array(m * m),
    nu: meanStructure ? new Float64Array(p) : null,
    alpha: meanStructure ? new Float64Array(m) : null,
    sigma: new Float64Array(p * p),
  };
}

/** The group matrices from the free parameters θ (markers 1, latent means 0 unless free). */
function fill(structure: CfaStructure, table: Location[][], theta: ArrayLike<number>, out: GroupEstimates[]): void {
  const m = structure.factors.length;
  const p = structure.items;
  for (const est of out) {
    est.lambda.fill(0);
    structure.factors.forEach((indicators, f) => (est.lambda[indicators[0] * m + f] = 1));
    est.alpha?.fill(0);
  }
  table.forEach((places, a) => {
    for (const { group, kind, i, j } of places) {
      const est = out[group];
      if (kind === 'lambda') est.lambda[i * m + j] = theta[a];
      else if (kind === 'theta') est.theta[i] = theta[a];
      else if (kind === 'psi') est.psi[i * m + j] = est.psi[j * m + i] = theta[a];
      else if (kind === 'nu') est.nu![i] = theta[a];
      else est.alpha![i] = theta[a];
    }
  });
  for (const est of out) {
    // Σ = ΛΨΛᵀ + Θ
    const lp = new Float64Array(p * m);
    for (let i = 0; i < p; i++) for (let f = 0; f < m; f++) {
      let s = 0;
      for (let h = 0; h < m; h++) s += est.lambda[i * m + h] * est.psi[h * m + f];
      lp[i * m + f] = s;
    }
    for (let i = 0; i < p; i++) for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let f = 0; f < m; f++) s += lp[i * m + f] * est.lambda[k * m + f];
      if (i === k) s += est.theta[i];
      est.sigma[i * p + k] = est.sigma[k * p + i] = s;
    }
  }
}

/** Inverse and log-determinant of a symmetric positive-definite matrix by Cholesky; null when it is not. */
export function spdInverse(a: Float64Array, r: number): { inverse: Float64Array; logDet: number } | null {
  let l: Float64Array;
  try {
    l = cholesky(a, r);
  } catch {
    return null;
  }
  let logDet = 0;
  for (let i = 0; i < r; i++) logDet += 2 * Math.log(l[i * r + i]);
  // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹.
  const li = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    li[i * r + i] = 1 / l[i * r + i];
    for (let k = i + 1; k < r; k++) {
      let s = 0;
      for (let j = i; j < k; j++) s -= l[k * r + j] * li[j * r + i];
      li[k * r + i] = s / l[k * r + k];
    }
  }
  const inverse = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let k = i; k < r; k++) s += li[k * r + i] * li[k * r + j];
    inverse[i * r + j] = inverse[j * r + i] = s;
  }
  return { inverse, logDet };
}

/** log|S| of a sample covariance, or a thrown RangeError naming why the model cannot be fitted. */
function sampleLogDet(cov: Float64Array, p: number): number {
  const inv = spdInverse(cov, p);
  if (inv === null) throw new RangeError('the sample covariance matrix of the items is not positive definite');
  return inv.logDet;
}

/**
 * Every ∂Σ/∂θ_a of this model is a sum of outer products u vᵀ of vectors from one basis B = [I_p, ΛΨ, Λ]
 * (columns: the unit vectors e_i, then (ΛΨ)_{·f}, then Λ_{·f}), and every ∂μ/∂θ_a a multiple of one of them:
 *   λ_if: ∂Σ = e_i (ΛΨ)_{·f}ᵀ + (ΛΨ)_{·f} e_iᵀ,  ∂μ = α_f e_i
 *   θ_i:  ∂Σ = e_i e_iᵀ
 *   ψ_fh: ∂Σ = Λ_{·f} Λ_{·h}ᵀ + Λ_{·h} Λ_{·f}ᵀ (f ≠ h), Λ_{·f} Λ_{·f}ᵀ (f = h)
 *   ν_i:  ∂μ = e_i;   α_f: ∂μ = Λ_{·f}
 * so with the Gram matrices G_X = Bᵀ X B (X = W or M):
 *   tr(M ∂Σ_a) = Σ_{(u,v) ∈ a} G_M[v, u],   ½ tr(W ∂Σ_a W ∂Σ_b) = ½ Σ_{(u,v) ∈ a} Σ_{(x,y) ∈ b} G_W[v, x] G_W[y, u]
 * and the gradient and information cost O(p² m) per group instead of O(p³) per parameter.
 */
interface Term {
  /** Outer products u vᵀ of ∂Σ, as basis-index pairs. */
  sigma: number[];
  /** ∂μ = coefficient × basis vector: basis index, or −1; the coefficient is α_f for a loading, else 1. */
  mu: number;
  muLatent: number;
}

function termsOf(kind: Kind, i: number, j: number, p: number, m: number, meanStructure: boolean): Term {
  const lp = (f: number): number => p + f;
  const l = (f: number): number => p + m + f;
  if (kind === 'lambda') return { sigma: [i, lp(j), lp(j), i], mu: meanStructure ? i : -1, muLatent: j };
  if (kind === 'theta') return { sigma: [i, i], mu: -1, muLatent: -1 };
  if (kind === 'psi') return { sigma: i === j ? [l(i), l(i)] : [l(i), l(j), l(j), l(i)], mu: -1, muLatent: -1 };
  if (kind === 'nu') return { sigma: [], mu: i, muLatent: -1 };
  return { sigma: [], mu: l(i), muLatent: -1 };
}

/** Bᵀ X B for symmetric X (p × p) and B = [I_p, V] with V p × k (column-major columns in `columns`). */
function gram(x: Float64Array, columns: Float64Array[], p: number, out: Float64Array): void {
  const size = p + columns.length;
  for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) out[r * size + c] = x[r * p + c];
  const xv = columns.map((v) => {
    const w = new Float64Array(p);
    for (let r = 0; r < p; r++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += x[r * p + c] * v[c];
      w[r] = s;
    }
    return w;
  });
  columns.forEach((v, k) => {
    for (let r = 0; r < p; r++) out[r * size + p + k] = out[(p + k) * size + r] = xv[k][r];
    for (let h = 0; h <= k; h++) {
      let s = 0;
      for (let r = 0; r < p; r++) s += columns[h][r] * xv[k][r];
      out[(p + k) * size + p + h] = out[(p + h) * size + p + k] = s;
    }
  });
}

/** Each group's free parameters with their place in it (a parameter has at most one place per group). */
interface GroupEntry {
  parameter: number;
  term: Term;
}

function groupEntries(table: Location[][], groups: number, p: number, m: number, meanStructure: boolean): GroupEntry[][] {
  const entries: GroupEntry[][] = Array.from({ length: groups }, () => []);
  table.forEach((places, parameter) => {
    for (const { group, kind, i, j } of places) entries[group].push({ parameter, term: termsOf(kind, i, j, p, m, meanStructure) });
  });
  return entries;
}

/** What `evaluate` computes besides F. */
type Derivatives = 'none' | 'gradient' | 'information';

interface Evaluation {
  objective: number;
  gradient: Float64Array;
  information: Float64Array | null;
}

/**
 * F at θ, and (with `derivatives`) ∇F and the expected information I (see the module comment); null when some
 * group's Σ is not positive definite (F is +∞ there, as in lavaan).
 */
function evaluate(
  structure: CfaStructure,
  table: Location[][],
  entries: GroupEntry[][],
  samples: GroupMoments[],
  logDetS: number[],
  est: GroupEstimates[],
  theta: Float64Array,
  derivatives: Derivatives,
): Evaluation | null {
  fill(structure, table, theta, est);
  const p = structure.items;
  const m = structure.factors.length;
  const q = table.length;
  const size = p + 2 * m;
  const total = samples.reduce((s, g) => s + g.n, 0);
  let objective = 0;
  const gradient = new Float64Array(q);
  const information = derivatives === 'information' ? new Float64Array(q * q) : null;
  const gramW = new Float64Array(size * size);
  const gramM = new Float64Array(size * size);
  const d = new Float64Array(p);
  const sw = new Float64Array(p * p);
  const mMatrix = new Float64Array(p * p);
  for (let g = 0; g < samples.length; g++) {
    const { sigma, lambda, psi, nu, alpha } = est[g];
    const inv = spdInverse(sigma, p);
    if (inv === null) return null;
    const w = inv.inverse;
    const sample = samples[g];
    const weight = sample.n / total;
    d.fill(0);
    if (nu !== null) {
      for (let i = 0; i < p; i++) {
        let mu = nu[i];
        for (let f = 0; f < m; f++) mu += lambda[i * m + f] * alpha![f];
        d[i] = sample.mean[i] - mu;
      }
    }
    // F_g = log|Σ| + tr(W (S + ddᵀ)) − log|S| − p
    let trace = 0;
    for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) trace += w[i * p + k] * (sample.cov[k * p + i] + d[k] * d[i]);
    objective += weight * Math.max(inv.logDet + trace - logDetS[g] - p, 0);
    if (derivatives === 'none') continue;

    // M = W − W (S + ddᵀ) W
    for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (sample.cov[i * p + j] + d[i] * d[j]) * w[j * p + k];
      sw[i * p + k] = s;
    }
    for (let i = 0; i < p; i++) for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += w[i * p + j] * sw[j * p + k];
      mMatrix[i * p + k] = mMatrix[k * p + i] = w[i * p + k] - s;
    }
    const columns: Float64Array[] = [];
    for (let f = 0; f < m; f++) {
      const v = new Float64Array(p);
      for (let i = 0; i < p; i++) for (let h = 0; h < m; h++) v[i] += lambda[i * m + h] * psi[h * m + f];
      columns.push(v);
    }
    for (let f = 0; f < m; f++) {
      const v = new Float64Array(p);
      for (let i = 0; i < p; i++) v[i] = lambda[i * m + f];
      columns.push(v);
    }
    gram(w, columns, p, gramW);
    gram(mMatrix, columns, p, gramM);
    // Bᵀ W d, for the mean part of the gradient
    const bwd = new Float64Array(size);
    for (let r = 0; r < size; r++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += gramW[r * size + c] * d[c];
      bwd[r] = s;
    }
    const list = entries[g];
    for (const { parameter, term } of list) {
      let grad = 0;
      for (let k = 0; k < term.sigma.length; k += 2) grad += gramM[term.sigma[k + 1] * size + term.sigma[k]];
      if (term.mu >= 0) grad -= 2 * (term.muLatent >= 0 ? alpha![term.muLatent] : 1) * bwd[term.mu];
      gradient[parameter] += weight * grad;
    }
    if (information === null) continue;
    for (let x = 0; x < list.length; x++) {
      const a = list[x].term;
      const ca = a.mu >= 0 ? (a.muLatent >= 0 ? alpha![a.muLatent] : 1) : 0;
      for (let y = 0; y <= x; y++) {
        const b = list[y].term;
        let t = 0;
        for (let k = 0; k < a.sigma.length; k += 2) {
          const u = a.sigma[k];
          const v = a.sigma[k + 1];
          for (let l = 0; l < b.sigma.length; l += 2) t += gramW[v * size + b.sigma[l]] * gramW[b.sigma[l + 1] * size + u];
        }
        let value = 0.5 * t;
        if (ca !== 0 && b.mu >= 0) {
          const cb = b.muLatent >= 0 ? alpha![b.muLatent] : 1;
          value += ca * cb * gramW[a.mu * size + b.mu];
        }
        const i = list[x].parameter;
        const j = list[y].parameter;
        information![i * q + j] += weight * value;
        if (i !== j) information![j * q + i] += weight * value;
      }
    }
  }
  return { objective, gradient, information };
}

/**
 * BFGS: B + y yᵀ / (yᵀ s) − B s sᵀ B / (sᵀ B s) with s = θ₊ − θ, y = ∇F₊ − ∇F; null (start again from 2I) when the
 * curvature yᵀ s is not clearly positive.
 */
function bfgsUpdate(b: Float64Array, next: Float64Array, theta: Float64Array, gNext: Float64Array, g: Float64Array, q: number): Float64Array | null {
  const s = new Float64Array(q);
  const y = new Float64Array(q);
  let sy = 0;
  let ss = 0;
  let yy = 0;
  for (let a = 0; a < q; a++) {
    s[a] = next[a] - theta[a];
    y[a] = gNext[a] - g[a];
    sy += s[a] * y[a];
    ss += s[a] * s[a];
    yy += y[a] * y[a];
  }
  if (!(sy > 1e-10 * Math.sqrt(ss * yy))) return null;
  const bs = new Float64Array(q);
  let sbs = 0;
  for (let a = 0; a < q; a++) {
    for (let c = 0; c < q; c++) bs[a] += b[a * q + c] * s[c];
    sbs += s[a] * bs[a];
  }
  if (!(sbs > 0)) return null;
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) out[a * q + c] = b[a * q + c] + (y[a] * y[c]) / sy - (bs[a] * bs[c]) / sbs;
  return out;
}

/** Solves the symmetric positive-definite system A x = b by Cholesky; null when A is not positive definite. */
function spdSolve(a: Float64Array, b: Float64Array, r: number): Float64Array | null {
  let l: Float64Array;
  try {
    l = cholesky(a, r);
  } catch {
    return null;
  }
  const y = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * r + k] * y[k];
    y[i] = s / l[i * r + i];
  }
  for (let i = r - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < r; k++) s -= l[k * r + i] * y[k];
    y[i] = s / l[i * r + i];
  }
  return y;
}

/**
 * Starting values: loadings from the ratio of an item's covariances with its factor's other items to the marker's,
 * factor (co)variances from the covariances between the factors' items divided by their loadings, residual
 * variances half the item variances, intercepts the means. Any reasonable start reaches the same minimum; this one
 * keeps Σ positive definite.
 */
function startValues(structure: CfaStructure, table: Location[][], samples: GroupMoments[]): Float64Array {
  const p = structure.items;
  const start = new Float64Array(table.length);
  const loading = samples.map((sample) => {
    const values = new Float64Array(p * structure.factors.length);
    structure.factors.forEach((indicators, f) => {
      const meanCov = (item: number): number => {
        let s = 0;
        let k = 0;
        for (const other of indicators) if (other !== item) {
          s += sample.cov[item * p + other];
          k++;
        }
        return k === 0 ? sample.cov[item * p + item] : s / k;
      };
      const marker = meanCov(indicators[0]);
      for (const item of indicators) {
        const ratio = marker !== 0 ? meanCov(item) / marker : 1;
        values[item * structure.factors.length + f] = Number.isFinite(ratio) && ratio > 0.1 ? Math.min(ratio, 10) : 1;
      }
    });
    return values;
  });
  const m = structure.factors.length;
  table.forEach((places, a) => {
    const values = places.map(({ group, kind, i, j }) => {
      const sample = samples[group];
      if (kind === 'lambda') return loading[group][i * m + j];
      if (kind === 'theta') return sample.cov[i * p + i] / 2;
      if (kind === 'nu') return sample.mean[i];
      if (kind === 'alpha') return 0;
      let s = 0;
      let k = 0;
      for (const x of structure.factors[i]) for (const y of structure.factors[j]) {
        if (x === y) continue;
        s += sample.cov[x * p + y] / (loading[group][x * m + i] * loading[group][y * m + j]);
        k++;
      }
      const value = k === 0 ? 0 : s / k;
      return i === j ? Math.max(value, 0.05 * sample.cov[structure.factors[i][0] * (p + 1)]) : value * 0.5;
    });
    start[a] = values.reduce((s, v) => s + v, 0) / values.length;
  });
  return start;
}

export function degreesOfFreedom(structure: CfaStructure, groups: number, meanStructure: boolean, level: InvarianceLevel): number {
  const p = structure.items;
  const moments = groups * ((p * (p + 1)) / 2 + (meanStructure ? p : 0));
  return moments - parameterTable(structure, groups, meanStructure, level).length;
}

/**
 * Fits the model to the groups' moments. Convergence: the next Fisher-scoring step would change no parameter by
 * more than 1e-10 · (1 + |θ|), with the largest gradient element below 1e-6 (lavaan's nlminb stops at a relative
 * change in F of 1e-10, so this minimum is at least as tight).
 */
export function fitCfa(structure: CfaStructure, samples: GroupMoments[], options: CfaOptions = {}): CfaFit {
  const level = options.level ?? 'configural';
  const meanStructure = options.meanStructure ?? samples.length > 1;
  const table = parameterTable(structure, samples.length, meanStructure, level);
  const q = table.length;
  const p = structure.items;
  const m = structure.factors.length;
  const logDetS = samples.map((s) => sampleLogDet(s.cov, p));
  const est = samples.map(() => emptyEstimates(p, m, meanStructure));
  const entries = groupEntries(table, samples.length, p, m, meanStructure);
  let theta = options.start ? Float64Array.from(options.start) : startValues(structure, table, samples);
  let current = evaluate(structure, table, entries, samples, logDetS, est, theta, 'information');
  if (current === null) {
    theta = startValues(structure, table, samples);
    current = evaluate(structure, table, entries, samples, logDetS, est, theta, 'information');
  }
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-10;
  let converged = false;
  let iterations = 0;
  // B: the Hessian model, first the expected Hessian 2I (Fisher scoring), then improved by BFGS updates
  // (Nocedal & Wright 2006, Numerical Optimization, eq. 6.19), which make the convergence superlinear where Fisher
  // scoring's is linear at a rate set by the misfit; back to 2I whenever a step needs halving.
  let hessian: Float64Array | null = current === null ? null : current.information!.map((v) => 2 * v);
  while (current !== null && hessian !== null && iterations < maxIterations) {
    iterations++;
    const step = spdSolve(hessian, current.gradient, q);
    if (step === null) break;
    let largest = 0;
    for (let a = 0; a < q; a++) largest = Math.max(largest, Math.abs(step[a]) / (1 + Math.abs(theta[a])));
    const gradient = current.gradient.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    // The step is the distance to the minimum of F's quadratic model: below 1e-10 of every parameter the minimum is
    // reached (F itself no longer changes in double precision long before that).
    if (largest < tolerance && gradient < 1e-6) {
      converged = true;
      break;
    }
    let scale = 1;
    let next: Evaluation | null = null;
    let trial = theta;
    for (let halving = 0; halving < 30; halving++) {
      trial = new Float64Array(q);
      for (let a = 0; a < q; a++) trial[a] = theta[a] - scale * step[a];
      next = evaluate(structure, table, entries, samples, logDetS, est, trial, 'gradient');
      // Near the minimum F changes by less than its rounding (≈ 1e-15 of the log-determinants it sums): the step is
      // then taken on the quadratic model's word, within a tolerance far below any real increase.
      if (next !== null && next.objective <= current.objective + 1e-12 * (1 + current.objective)) break;
      next = null;
      scale /= 2;
    }
    if (next === null) {
      // No decrease along the step: at the minimum to rounding when the step is already tiny.
      converged = largest < Math.max(tolerance, 1e-7) && gradient < 1e-6;
      break;
    }
    hessian = scale < 1 ? null : bfgsUpdate(hessian, trial, theta, next.gradient, current.gradient, q);
    theta = trial;
    current = next;
    if (hessian === null) {
      current = evaluate(structure, table, entries, samples, logDetS, est, theta, 'information');
      hessian = current === null ? null : current.information!.map((v) => 2 * v);
    }
  }
  const final = evaluate(structure, table, entries, samples, logDetS, est, theta, 'information');
  if (final === null) {
    return { converged: false, iterations, objective: NaN, chisq: NaN, df: degreesOfFreedom(structure, samples.length, meanStructure, level), n: 0, groups: est, parameters: theta, se: null, locations: table, gradient: NaN };
  }
  fill(structure, table, theta, est);
  const n = samples.reduce((s, g) => s + g.n, 0);
  let se: Float64Array | null = null;
  if (options.standardErrors !== false) {
    const inv = spdInverse(final.information!, q);
    if (inv !== null) se = inv.inverse.filter((_, k) => k % (q + 1) === 0).map((v) => (v > 0 ? Math.sqrt(v / n) : NaN));
  }
  return {
    converged,
    iterations,
    objective: final.objective,
    chisq: n * final.objective,
    df: degreesOfFreedom(structure, samples.length, meanStructure, level),
    n,
    groups: est,
    parameters: theta,
    se,
    locations: table,
    gradient: final.gradient.reduce((s, v) => Math.max(s, Math.abs(v)), 0),
  };
}

/**
 * McDonald's ω of each factor from the unstandardized solution (McDonald 1999, Test Theory, eq. 6.20b):
 *   ω_f = (Σ_j λ_jf)² ψ_ff / ((Σ_j λ_jf)² ψ_ff + Σ_j θ_jj),  j over the factor's items.
 */
export function omega(structure: CfaStructure, est: GroupEstimates): number[] {
  const m = structure.factors.length;
  return structure.factors.map((indicators, f) => {
    let loadings = 0;
    let residual = 0;
    for (const item of indicators) {
      loadings += est.lambda[item * m + f];
      residual += est.theta[item];
    }
    const common = loadings * loadings * est.psi[f * m + f];
    return common / (common + residual);
  });
}

/** Completely standardized loading (lavaan's std.all): λ_jf √ψ_ff / √Σ̂_jj. */
export function standardizedLoading(est: GroupEstimates, item: number, factor: number, items: number, factors: number): number {
  return (est.lambda[item * factors + factor] * Math.sqrt(est.psi[factor * factors + factor])) / Math.sqrt(est.sigma[item * items + item]);
}

/** What makes a solution improper, in words (empty when it is proper): lavaan's post-estimation checks. */
export function improperSolution(structure: CfaStructure, est: GroupEstimates, itemNames: readonly string[], factorNames: readonly string[]): string[] {
  const m = structure.factors.length;
  const problems: string[] = [];
  const negativeItems = itemNames.filter((_, j) => est.theta[j] < 0);
  if (negativeItems.length > 0) problems.push(`negative residual variance of ${negativeItems.join(', ')} (a Heywood case)`);
  const negativeFactors = factorNames.filter((_, f) => est.psi[f * m + f] < 0);
  if (negativeFactors.length > 0) problems.push(`negative variance of factor ${negativeFactors.join(', ')}`);
  const beyond: string[] = [];
  for (let f = 0; f < m; f++) for (let h = f + 1; h < m; h++) {
    const r = est.psi[f * m + h] / Math.sqrt(est.psi[f * m + f] * est.psi[h * m + h]);
    if (Math.abs(r) >= 1) beyond.push(`${factorNames[f]}–${factorNames[h]} ${r.toFixed(3)}`);
  }
  if (beyond.length > 0) problems.push(`factor correlation at or beyond ±1 (${beyond.join(', ')})`);
  if (negativeFactors.length === 0 && beyond.length === 0 && spdInverse(est.psi, m) === null) {
    problems.push('the factor covariance matrix is not positive definite (the factors are linearly dependent)');
  }
  return problems;
}
