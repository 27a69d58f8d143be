/**
 * Synthetic CanRelax-2.0-like trial data for `canrelax-analyze simulate`: one row per participant,
 * every cell already formatted as CSV text. The generative model (documented in README.md "Simulated data"):
 *
 *   arm ~ Bernoulli(½) (app / waitlist), sex ~ Bernoulli(0.70) (female), age = clip(round(55 + 12·z_age), 18, 85),
 *   E* ~ N(0, 1) latent treatment expectation, expectation = clip(round(6.5 + 2·E*), 1, 10),
 *   D0 = 0.25·(female − 0.7) − 0.10·z_age + s0·z   (latent baseline distress, variance ≈ 1),
 *   app arm only — alliance factors A_s = γ·E* + √(1 − γ²)·Z_s, (Z_task, Z_bond, Z_goal) ~ N(0, R),
 *     WAI item i of subscale s = clip(round(μ_s + σ_s·A_s + σ_e·ε_i), 1, 5),
 *   D1 = a·D0 + δ_arm + [app]·k_sex·(A_task + A_goal + w_bond·A_bond) + s1·z   (latent week-10 distress),
 *   PHQ-9 / GAD-7 item j at time t = #{k : λ·D_t + ε_j > τ_jk}  (0–3, graded-response probit),
 *   then item answers blank independently with probability 2 %, and 5 % drop out (all week-10 items blank).
 *
 * Items are drawn from their conditional distribution given the latent value with ONE uniform each: e.g. a
 * WAI item is 1 + #{k = 1…4 : u < Φ((F − k − ½)/σ_e)}, which is exactly clip(round(F + σ_e·ε)) in distribution,
 * with Φ read from a table (linear interpolation, error < 2·10⁻⁶). A uniform costs less than half a Box–Muller
 * normal, and the 3–4 probabilities are shared by all items of a scale: a quarter less time per row.
 *
 * w_bond = −(r_task,bond + r_goal,bond) makes bond's partial covariance with D1 (given E*) exactly zero, so task
 * and goal carry the alliance–outcome association. μ_s, σ_s, γ, k_female and k_male were calibrated (numerical
 * integration for μ_s, σ_s; simulation of 1,000,000 app-arm rows for γ and k) so that the SCORED columns hit the
 * published targets; see README.md "Simulated data" for the targets and the achieved values.
 *
 * Reproducibility: one MT19937 stream per call (`createRandom(seed)`), consumed row by row in a fixed order,
 * so the same (n, seed) gives byte-identical rows and the first m rows do not depend on n.
 */
import { fitCfa, groupMoments, improperSolution, INVARIANCE_LEVELS, type CfaFit, type CfaStructure, type GroupMoments, type InvarianceLevel } from '../stats/cfa';
import { normalCdf } from '../stats/distributions';
import { tQuantile } from '../stats/quantiles';
import { createRandom, Random } from '../stats/random';
import { DataError, option, UsageError, words } from '../errors';
import { BUILT_IN } from '../instruments/definition';
import { planScoring, scoreRow } from '../instruments/scorer';
import { printedInterval, type Published, type StatisticSpec } from './published';
import { DEFAULT_ROLES } from './schema';
import { compileWhere, parseWhere, type Condition, type RowAccess } from './where';

const N_WAI = 12;
const N_PHQ = 9;
const N_GAD = 7;
const N_DISTRESS = N_PHQ + N_GAD;

function range(prefix: string, count: number, suffix = ''): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}${suffix}`);
}

/** The header of a simulated file, in column order (the default schema). */
export const SIMULATED_COLUMNS: string[] = [
  'id',
  'arm',
  'sex',
  'age',
  'expectation',
  ...range('wai_', N_WAI),
  ...range('phq9_', N_PHQ, '_t0'),
  ...range('gad7_', N_GAD, '_t0'),
  ...range('phq9_', N_PHQ, '_w10'),
  ...range('gad7_', N_GAD, '_w10'),
];

export interface SimulateOptions {
  /** Number of participants (rows), a non-negative integer. */
  n: number;
  /** Seed of the random stream, an integer in 0 … 4294967295. */
  seed: number;
}

/** One WAI subscale's latent factor: scored subscale mean ≈ target when items are rounded from N(mean, sd² + σ_e²). */
export interface LatentScale {
  mean: number;
  sd: number;
}

/** Every number of the generative model. `SIMULATION_PARAMETERS` holds the calibrated defaults. */
export interface SimulationParameters {
  /** P(arm = app), simple randomisation. */
  appShare: number;
  /** P(sex = female). */
  femaleShare: number;
  age: { mean: number; sd: number; min: number; max: number };
  /** Treatment expectation, an integer rating: clip(round(mean + sd·E*), min, max). */
  expectation: { mean: number; sd: number; min: number; max: number };
  alliance: {
    /** γ: loading of every standardised alliance factor on the latent expectation E*. */
    expectationLoading: number;
    /** Correlations of the factor parts Z_s that are not explained by expectation. */
    correlation: { taskBond: number; taskGoal: number; bondGoal: number };
    task: LatentScale;
    bond: LatentScale;
    goal: LatentScale;
    /** σ_e: SD of the item-specific noise added to the factor before rounding to 1–5. */
    itemNoiseSd: number;
  };
  distress: {
    /** λ: loading of the latent item response on the latent distress D. */
    loading: number;
    /** Cut points between 0|1, 1|2, 2|3 of an average item on the standardised latent response scale. */
    cuts: [number, number, number];
    /** Item severity offsets (added to the cuts): PHQ-9 items 1–9, then GAD-7 items 1–7. */
    itemOffsets: number[];
    /** D0 = female·([sex = female] − femaleShare) + agePerSd·z_age + √(1 − variance explained)·z. */
    baseline: { female: number; agePerSd: number };
    week10: {
      /** a: D1 = a·D0 + … */
      stability: number;
      /** s1: SD of the week-10 innovation. */
      residualSd: number;
      /** δ_arm: mean change of latent distress (in baseline SDs) by arm. */
      shift: { app: number; waitlist: number };
      /** k_sex: effect of the alliance composite A_task + A_goal + w_bond·A_bond on D1 (app arm). */
      allianceEffect: { female: number; male: number };
    };
  };
  missing: {
    /** Probability that any one item answer is blank (independent per cell). */
    itemShare: number;
    /** Probability that a participant has all week-10 items blank. */
    dropoutShare: number;
  };
}

/** The calibrated defaults (see README.md "Simulated data" for how they were calibrated and what they achieve). */
export const SIMULATION_PARAMETERS: Readonly<SimulationParameters> = deepFreeze<SimulationParameters>({
  appShare: 0.5,
  femaleShare: 0.7,
  age: { mean: 55, sd: 12, min: 18, max: 85 },
  expectation: { mean: 6.5, sd: 2, min: 1, max: 10 },
  alliance: {
    expectationLoading: 0.266,
    // With γ the factors A_s correlate γ² + (1 − γ²)·r: task–goal .85, task–bond = bond–goal .68 (the CFA of 800,000
    // complete rows: .85, .64, .64). The WAI-SR/WAI-I pattern: task and goal so close that a two-factor model (bond;
    // task and goal together) often fits as well (Hatcher & Gillaspy 2006; Falkenström et al. 2015; Gómez Penedo et
    // al. 2020 for the WAI-I), bond clearly distinct from both.
    correlation: { taskBond: 0.65, taskGoal: 0.84, bondGoal: 0.65 },
    task: { mean: 2.786, sd: 0.6989 },
    bond: { mean: 4.281, sd: 1.2357 },
    goal: { mean: 3.4712, sd: 0.6989 },
    itemNoiseSd: 0.55,
  },
  distress: {
    loading: 0.8426,
    cuts: [-0.4824, 0.5676, 1.2676],
    // PHQ-9: interest, mood, sleep, fatigue, appetite, worthlessness, concentration, psychomotor, self-harm;
    // GAD-7: nervous, uncontrollable worry, worrying too much, trouble relaxing, restless, irritable, afraid.
    itemOffsets: [0, 0, -0.4, -0.6, 0.1, 0.3, 0.1, 0.7, 1.3, -0.2, 0.1, -0.2, -0.1, 0.4, 0.1, 0.3],
    baseline: { female: 0.25, agePerSd: -0.1 },
    week10: {
      stability: 0.75,
      residualSd: 0.6614, // √(1 − 0.75²): waitlist D1 has variance ≈ 1
      shift: { app: -0.4, waitlist: -0.1 },
      allianceEffect: { female: -0.346, male: -0.064 },
    },
  },
  missing: { itemShare: 0.02, dropoutShare: 0.05 },
});

/** Streams `opts.n` rows of the default model: `SIMULATED_COLUMNS` order, every cell CSV text ('' = blank). */
export function* simulateRows(opts: SimulateOptions): Generator<string[]> {
  yield* simulateRowsWith(opts, SIMULATION_PARAMETERS);
}

// Subscale of each WAI item (WAI-SR key): task = 1, 2, 10, 12; bond = 3, 5, 7, 9; goal = 4, 6, 8, 11.
const TASK = 0;
const BOND = 1;
const GOAL = 2;
const WAI_SUBSCALE = [TASK, TASK, BOND, GOAL, BOND, GOAL, BOND, GOAL, BOND, TASK, GOAL, TASK];

const COL_WAI = 5;
const COL_T0 = COL_WAI + N_WAI;
const COL_W10 = COL_T0 + N_DISTRESS;
const N_COLUMNS = COL_W10 + N_DISTRESS;
const N_ITEM_CELLS = N_COLUMNS - COL_WAI; // 44 item cells, contiguous from column 5

/** Φ on [PHI_MIN, −PHI_MIN] in steps of 1/PHI_PER_UNIT, for linear interpolation; made on the first call. */
const PHI_MIN = -8.5;
const PHI_PER_UNIT = 128;
const PHI_LAST = -2 * PHI_MIN * PHI_PER_UNIT;
let phiTable: Float64Array | null = null;

/** Standard normal cdf by linear interpolation in the Φ table: |error| ≤ h²·φ(1)/8 < 2·10⁻⁶ (h = 1/128). */
function phi(x: number): number {
  const t = (x - PHI_MIN) * PHI_PER_UNIT;
  if (t <= 0) return 0;
  if (t >= PHI_LAST) return 1;
  const table = (phiTable ??= Float64Array.from({ length: PHI_LAST + 1 }, (_, i) => normalCdf(PHI_MIN + i / PHI_PER_UNIT)));
  const i = t | 0;
  const lo = table[i];
  return lo + (t - i) * (table[i + 1] - lo);
}

/** Pre-formatted small integers, so that no cell allocates a string. */
const INT_TEXT: string[] = Array.from({ length: 128 }, (_, i) => String(i));

/**
 * The model with explicit parameters: for calibration and tests. Validates the options, precomputes every
 * threshold, then draws per row, in this order: arm (u), sex (u), z_age, E*, z(D0), 16 baseline items (u each),
 * [app: 3 factor normals, 12 WAI items (u each)], dropout (u), [not dropped: z(D1), 16 week-10 items (u each)],
 * then the blank cells (geometric gaps, one u per blank plus one).
 */
export function* simulateRowsWith(opts: SimulateOptions, p: Readonly<SimulationParameters>): Generator<string[]> {
  const { n, seed } = opts;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const rng: Random = createRandom(seed); // validates the seed
  const idWidth = Math.max(4, String(n).length);

  // Alliance: Cholesky factor of R (order task, bond, goal) and per-subscale latent scales.
  const r = p.alliance.correlation;
  const l21 = r.taskBond;
  const l22 = Math.sqrt(1 - l21 * l21);
  const l31 = r.taskGoal;
  const l32 = (r.bondGoal - l31 * l21) / l22;
  const l33 = Math.sqrt(1 - l31 * l31 - l32 * l32);
  if (!(l22 > 0 && l33 > 0)) throw new RangeError('alliance correlation matrix is not positive definite');
  const gamma = p.alliance.expectationLoading;
  const gammaRest = Math.sqrt(1 - gamma * gamma);
  const scaleMean = [p.alliance.task.mean, p.alliance.bond.mean, p.alliance.goal.mean];
  const scaleSd = [p.alliance.task.sd, p.alliance.bond.sd, p.alliance.goal.sd];
  const itemNoise = p.alliance.itemNoiseSd;
  // Bond weight that makes Cov(Z_bond, Z_task + Z_goal + w·Z_bond) = 0.
  const wBond = -(r.taskBond + r.bondGoal);

  // Distress items: thresholds τ_jk on the scale of λ·D + ε (ε ~ N(0, 1)), item-major, 3 per item;
  // P(item_j ≥ k | D) = Φ(λ·D − τ_jk).
  const d = p.distress;
  const lambda = d.loading;
  const scale = Math.sqrt(1 + lambda * lambda);
  const tau = new Float64Array(N_DISTRESS * 3);
  for (let j = 0; j < N_DISTRESS; j++) {
    for (let k = 0; k < 3; k++) tau[3 * j + k] = (d.cuts[k] + d.itemOffsets[j]) * scale;
  }
  const femaleShare = p.femaleShare;
  const bFemale = d.baseline.female;
  const bAge = d.baseline.agePerSd;
  const s0 = Math.sqrt(Math.max(0, 1 - bFemale * bFemale * femaleShare * (1 - femaleShare) - bAge * bAge));
  const w10 = d.week10;

  const missShare = p.missing.itemShare;
  const logKeep = Math.log(1 - missShare);
  const dropShare = p.missing.dropoutShare;

  const factor = new Float64Array(3);
  const waiAtLeast = new Float64Array(3 * 4); // P(WAI item ≥ k + 1 | F_s), k = 1…4, per subscale
  const distressAtLeast = new Float64Array(N_DISTRESS * 3); // P(item_j ≥ k | D), k = 1…3
  const invNoise = 1 / itemNoise;

  for (let i = 0; i < n; i++) {
    const row: string[] = new Array<string>(N_COLUMNS);
    row[0] = 'CR' + String(i + 1).padStart(idWidth, '0');

    const app = rng.uniform() < p.appShare;
    row[1] = app ? 'app' : 'waitlist';
    const female = rng.uniform() < femaleShare;
    row[2] = female ? 'female' : 'male';
    const zAge = rng.normal();
    row[3] = intText(clipRound(p.age.mean + p.age.sd * zAge, p.age.min, p.age.max));
    const eLatent = rng.normal();
    row[4] = intText(clipRound(p.expectation.mean + p.expectation.sd * eLatent, p.expectation.min, p.expectation.max));

    const d0 = bFemale * ((female ? 1 : 0) - femaleShare) + bAge * zAge + s0 * rng.normal();
    distressItems(rng, row, COL_T0, lambda * d0, tau, distressAtLeast);

    let d1 = w10.stability * d0 + (app ? w10.shift.app : w10.shift.waitlist);
    if (app) {
      const z1 = rng.normal();
      const z2 = rng.normal();
      const z3 = rng.normal();
      factor[TASK] = gamma * eLatent + gammaRest * z1;
      factor[BOND] = gamma * eLatent + gammaRest * (l21 * z1 + l22 * z2);
      factor[GOAL] = gamma * eLatent + gammaRest * (l31 * z1 + l32 * z2 + l33 * z3);
      for (let s = 0; s < 3; s++) {
        const f = scaleMean[s] + scaleSd[s] * factor[s];
        for (let k = 0; k < 4; k++) waiAtLeast[4 * s + k] = phi((f - k - 1.5) * invNoise);
      }
      for (let item = 0; item < N_WAI; item++) {
        const at = 4 * WAI_SUBSCALE[item];
        const u = rng.uniform();
        row[COL_WAI + item] =
          INT_TEXT[u < waiAtLeast[at + 3] ? 5 : u < waiAtLeast[at + 2] ? 4 : u < waiAtLeast[at + 1] ? 3 : u < waiAtLeast[at] ? 2 : 1];
      }
      const k = female ? w10.allianceEffect.female : w10.allianceEffect.male;
      d1 += k * (factor[TASK] + factor[GOAL] + wBond * factor[BOND]);
    } else {
      for (let item = 0; item < N_WAI; item++) row[COL_WAI + item] = '';
    }

    if (rng.uniform() < dropShare) {
      for (let j = 0; j < N_DISTRESS; j++) row[COL_W10 + j] = '';
    } else {
      d1 += w10.residualSd * rng.normal();
      distressItems(rng, row, COL_W10, lambda * d1, tau, distressAtLeast);
    }

    // Blank answers: each of the 44 item cells independently with probability missShare, drawn as geometric
    // gaps between blank cells (memoryless, so exactly i.i.d. Bernoulli per cell) — about 2 draws per row
    // instead of 44. Cells already blank (waitlist WAI, dropout) stay blank.
    if (missShare > 0) {
      let cell = Math.floor(Math.log(1 - rng.uniform()) / logKeep);
      while (cell < N_ITEM_CELLS) {
        row[COL_WAI + cell] = '';
        cell += 1 + Math.floor(Math.log(1 - rng.uniform()) / logKeep);
      }
    }
    yield row;
  }
}

/**
 * Writes the 16 PHQ-9 + GAD-7 items (0–3) at columns from…from+15 given the latent mean response λ·D:
 * item_j = #{k : u_j < Φ(λ·D − τ_jk)}, i.e. #{k : λ·D + ε_j > τ_jk} in distribution. `atLeast` is scratch space.
 */
function distressItems(rng: Random, row: string[], from: number, mean: number, tau: Float64Array, atLeast: Float64Array): void {
  for (let t = 0; t < atLeast.length; t++) atLeast[t] = phi(mean - tau[t]);
  for (let j = 0; j < N_DISTRESS; j++) {
    const u = rng.uniform();
    const t = 3 * j;
    row[from + j] = INT_TEXT[u < atLeast[t + 2] ? 3 : u < atLeast[t + 1] ? 2 : u < atLeast[t] ? 1 : 0];
  }
}

function intText(v: number): string {
  return v >= 0 && v < INT_TEXT.length ? INT_TEXT[v] : String(v);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function clipRound(x: number, min: number, max: number): number {
  const v = Math.round(x);
  return v < min ? min : v > max ? max : v;
}

// ---------------------------------------------------------------------------------------------------------------
// simulate --match: a file whose app arm reproduces published values (src/data/published.ts).
// ---------------------------------------------------------------------------------------------------------------

export interface MatchOptions {
  /** Seed of every random stream of the run, an integer in 0 … 4294967295. */
  seed: number;
  /** Rows of the whole file (the published N in the app arm, the rest waitlist); default twice the published N. */
  n?: number | null;
  /** Proposals per attempt before the search starts again from a fresh draw (tests lower it). */
  maxSteps?: number;
  /** Fresh draws tried before giving up. */
  attempts?: number;
}

export interface MatchResult {
  /** Rows in SIMULATED_COLUMNS order, every cell CSV text. */
  rows: string[][];
  /** The published N: rows in the app arm. */
  appRows: number;
  /** Draws tried (1 when the first search succeeded). */
  attempts: number;
  /** Proposals of the successful search, and how many were kept (item answers changed by ±1). */
  steps: number;
  changes: number;
}

/** Rounding margins the search keeps from every boundary, so that the results hold at full precision too. */
const BAND = 0.6; // a published value is aimed at the central 60 % of the interval that prints as it
const CLAIM_MARGIN = 0.02; // a claim on a correlation holds with 0.02 to spare (sign, p threshold, order)
const DEFAULT_MAX_STEPS = 25_000; // the CanRelax file needs 350–2,000 (bench: 20 seeds)
// A draw that meets every target still fails when the WAI-I's factor model is improper in a sex (1 in 3 draws of the
// CanRelax file, seeds 1–40); 8 draws leave fewer than 1 seed in 5,000 ((1/3)⁸) without a file.
const DEFAULT_ATTEMPTS = 8;

/** Cells of a simulated row as the --where grammar reads them (blank = missing). */
function rowAccess(cells: string[]): RowAccess {
  return {
    text: (c) => cells[c],
    num: (c) => (cells[c] === '' ? NaN : Number(cells[c])),
    tryNum: (c) => (cells[c] === '' || !Number.isFinite(Number(cells[c])) ? null : Number(cells[c])),
    textEquals: (c, t) => cells[c] === t,
    isMissing: (c) => cells[c] === '',
  };
}

/** A statistic the search tracks: raw sums over its rows (fixed: the answered items never change) of its slots. */
interface TrackedStat {
  kind: 'mean' | 'sd' | 'r';
  /** Variable slots: [variable] for mean/sd; [x, y, covariates…] for r (partial when covariates are given). */
  slots: number[];
  /** Row indices (into the whole file) that enter it. */
  rows: number[];
  sum: Float64Array;
  cross: Float64Array;
  /** Scratch for the centred cross-products. */
  centred: Float64Array;
  value: number;
}

/** Raw-sum statistic: mean, SD (n − 1), or the partial correlation of slots 0 and 1 given the rest (sweep). */
function statValue(s: TrackedStat): number {
  const n = s.rows.length;
  const p = s.slots.length;
  if (s.kind === 'mean') return s.sum[0] / n;
  if (s.kind === 'sd') return Math.sqrt(Math.max(0, (s.cross[0] - (s.sum[0] * s.sum[0]) / n) / (n - 1)));
  // Centred cross-products, then eliminate the covariates (slots 2…) one at a time: the Schur complement is the
  // residual cross-products of x and y on [1, covariates] (as src/stats/partial.ts, here on raw sums for speed).
  const c = s.centred;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) c[a * p + b] = s.cross[a * p + b] - (s.sum[a] * s.sum[b]) / n;
  for (let k = 2; k < p; k++) {
    const pivot = c[k * p + k];
    if (!(pivot > 1e-12)) continue;
    for (let a = 0; a < p; a++) {
      if (a === k) continue;
      const f = c[a * p + k] / pivot;
      for (let b = 0; b < p; b++) if (b !== k) c[a * p + b] -= f * c[k * p + b];
    }
  }
  return c[1] / Math.sqrt(c[0] * c[p + 1]);
}

function addRow(s: TrackedStat, v: Float64Array, sign: 1 | -1): void {
  const p = s.slots.length;
  for (let a = 0; a < p; a++) {
    const va = v[s.slots[a]] * sign;
    s.sum[a] += va;
    for (let b = 0; b < p; b++) s.cross[a * p + b] += va * v[s.slots[b]];
  }
}

/**
 * A CanRelax-like export (both arms, the columns of plain `simulate`) whose app arm has exactly the published N and
 * whose scored statistics print as every published value and make every claim true, under the published analysis
 * (items scored by the built-in instruments' rules, listwise deletion per analysis). Method:
 *   1. draw the app arm's N rows and the waitlist's n − N rows from the calibrated model (simulateRowsWith with
 *      appShare 1 and 0: realistic answers, 2 % blank items, 5 % week-10 drop-out), and interleave them at seeded
 *      random positions;
 *   2. repair: propose a ±1 change of one answered WAI-I or week-10 item of a random app-arm row (seeded), keep it
 *      when it lowers the penalty — Σ ((distance from the value's aim − 0.6·half-width)⁺ / half-width)² over the
 *      values, plus (shortfall / 0.01)² over the claims, each with a 0.02 margin in r — and stop at penalty 0;
 *   3. accept the file only when the WAI-I's three-factor model (stats/cfa.ts, as `measure --by sex` fits it) is a
 *      proper solution on the app arm's complete rows, pooled and in each sex as configural, metric and scalar models
 *      (converged within 50 iterations, no negative variance, no factor correlation at or beyond ±1): with a latent task–goal correlation of
 *      .85 and 30–60 complete rows per sex, about a third of the draws that meet the targets give an improper solution;
 *   4. after `maxSteps` proposals without success, or an improper solution, start again from a fresh draw; after
 *      `attempts` draws, fail.
 * Deterministic: every stream is seeded from `seed`, so the same published file, seed and n give the same bytes.
 * What it can target: analyses filtering on input columns the search never changes (arm, sex, age, expectation, id,
 * baseline items), means and SDs of score columns, age or expectation, and r / partial r among them with sex as a
 * 0/1 covariate. Anything else (coefficients, other columns) is a DataError naming the value.
 */
/** Who the messages of simulateMatch speak of. */
const MATCHING = words`simulate ${option('match')}`;

export function simulateMatch(published: Published, opts: MatchOptions): MatchResult {
  const where = (text: string | null): Condition[] => (text === null ? [] : parseWhere(text));
  const nValues = published.values.filter((v) => v.statistic === 'rows');
  const from = `published values ${published.origin}`;
  if (nValues.length !== 1) {
    throw new DataError(words`${MATCHING} needs exactly one "rows" value, the published N of the app arm; ${from} has ${nValues.length}, add it`);
  }
  const nSpec = where(nValues[0].analysis.where);
  if (!(nSpec.length === 1 && nSpec[0].column === 'arm' && nSpec[0].op === '=' && nSpec[0].value === 'app')) {
    throw new DataError(words`${MATCHING}: the "rows" value must count the app arm (analysis where "arm=app"), ${from} has "${nValues[0].analysis.where ?? ''}"`);
  }
  const appRows = nValues[0].published;
  if (appRows < 10) throw new DataError(words`${MATCHING}: the published N (${appRows}) is too small to reproduce correlations, ${from}`);
  const total = opts.n ?? 2 * appRows;
  if (!Number.isSafeInteger(total) || total < appRows) {
    throw new UsageError(words`${option('n')} ${total} is smaller than the published N of the app arm (${appRows}); give ${option('n')} ${appRows} or more`);
  }
  const master = createRandom(opts.seed);
  const attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  let closest = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const seeds = [master.int(0x100000000), master.int(0x100000000), master.int(0x100000000)];
    const search = new MatchSearch(published, appRows, total, seeds);
    if (search.run(maxSteps)) {
      // The targets hold; the WAI-I must also measure what it claims in both sexes, as `measure --by sex` checks.
      const rows = search.text();
      const problems = waiFactorModelProblems(rows);
      if (problems.length === 0) return { rows, appRows, attempts: attempt, steps: search.steps, changes: search.changes };
      closest = `every value and claim, but the WAI-I factor model by sex is not proper (${problems.join('; ')})`;
    } else closest = search.describeMisses();
  }
  throw new DataError(
    words`${MATCHING} could not reproduce ${from} in ${attempts} draws of ${maxSteps} proposals each (closest: ${closest}); check that the values and claims can hold together, or try another ${option('seed')}`,
  );
}

/**
 * Why the WAI-I's three-factor model is not a proper solution on simulated rows (SIMULATED_COLUMNS order; empty when
 * it is): fitted as `measure --by sex` fits it (stats/cfa.ts, lavaan's cfa() defaults) to the app-arm rows complete
 * on the 12 items, pooled and across sex as configural, metric and scalar models; each must converge with no negative
 * variance, no factor correlation at or beyond ±1 and a positive definite factor covariance matrix in every group.
 */
export function waiFactorModelProblems(rows: readonly string[][]): string[] {
  const complete: Float64Array[] = [];
  const bySex = new Map<string, number[]>();
  for (const row of rows) {
    if (row[1] !== 'app') continue;
    const answers = row.slice(COL_WAI, COL_WAI + N_WAI);
    if (answers.includes('')) continue;
    if (!bySex.has(row[2])) bySex.set(row[2], []);
    bySex.get(row[2])!.push(complete.length);
    complete.push(Float64Array.from(answers, Number));
  }
  const levels = [...bySex.keys()].sort();
  const problems: string[] = [];
  const check = (model: string, samples: GroupMoments[], level: InvarianceLevel): void => {
    let fit: CfaFit;
    try {
      fit = fitCfa(WAI_MODEL.structure, samples, { level, standardErrors: false, maxIterations: CFA_ITERATIONS });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error; // fitCfa's RangeError: a singular sample covariance matrix
      problems.push(`${model}: the items' covariance matrix is singular`);
      return;
    }
    if (!fit.converged) problems.push(`${model}: did not converge in ${CFA_ITERATIONS} iterations`);
    else fit.groups.forEach((est, g) => {
      for (const problem of improperSolution(WAI_MODEL.structure, est, WAI_MODEL.items, WAI_MODEL.factors)) problems.push(`${model}${samples.length > 1 ? ` ${levels[g]}` : ''}: ${problem}`);
    });
  };
  check('all rows', [groupMoments(complete, N_WAI, Int32Array.from(complete.keys()))], 'configural');
  const groups = levels.map((level) => groupMoments(complete, N_WAI, bySex.get(level)!));
  if (levels.length > 1) for (const level of INVARIANCE_LEVELS) check(level, groups, level);
  return problems;
}

// A proper fit of the WAI-I on ~45 rows a group converges in 12–30 iterations; one that needs more is near a boundary
// (a factor correlation heading for 1). Rejecting it costs a fresh draw; fitting on to measure's 500 cost up to 2 s.
const CFA_ITERATIONS = 50;

/** The built-in WAI-I's factor model (task, bond, goal, correlated) on the simulated columns, items in WAI order. */
const WAI_MODEL: { structure: CfaStructure; items: string[]; factors: string[] } = (() => {
  const items = SIMULATED_COLUMNS.slice(COL_WAI, COL_WAI + N_WAI);
  const subscales = BUILT_IN.get('wai')!.subscales;
  return { items, factors: subscales.map((s) => s.id), structure: { items: N_WAI, factors: subscales.map((s) => s.items.map((item) => items.indexOf(item))) } };
})();

const SCORED = planScoring(SIMULATED_COLUMNS, (name) => indexOfColumn(name), [...BUILT_IN.values()], {
  explicit: true,
  itemColumns: new Map(),
  source: 'simulate',
});
function indexOfColumn(name: string): number | undefined {
  const i = SIMULATED_COLUMNS.indexOf(name);
  return i < 0 ? undefined : i;
}
const ROLES = new Map(DEFAULT_ROLES);
const MUTABLE_FROM = COL_WAI; // WAI and week-10 items change; their columns and the scores read from them
const N_MOVES = N_WAI + N_DISTRESS;

/** One search: the drawn file, the tracked statistics, the penalty, and the moves. */
class MatchSearch {
  private readonly cells: string[][];
  /** Per row: item answers (NaN blank) in input-column positions, then slot values. */
  private readonly items: Float64Array[];
  private readonly slotValues: Float64Array[];
  private readonly scores = new Float64Array(SCORED.columns.length);
  private readonly slotSource: Array<{ score: number } | { cell: number } | { male: true }> = [];
  private readonly slotOf = new Map<string, number>();
  private readonly stats: TrackedStat[] = [];
  private readonly statsOfRow: number[][];
  private readonly penalties: Array<{ label: string; penalty: () => number }> = [];
  private readonly app: number[] = [];
  private readonly rng: Random;
  steps = 0;
  changes = 0;

  constructor(
    private readonly published: Published,
    appRows: number,
    total: number,
    seeds: number[],
  ) {
    const appDraw = [...simulateRowsWith({ n: appRows, seed: seeds[0] }, { ...SIMULATION_PARAMETERS, appShare: 1 })];
    const waitDraw = [...simulateRowsWith({ n: total - appRows, seed: seeds[1] }, { ...SIMULATION_PARAMETERS, appShare: 0 })];
    this.rng = createRandom(seeds[2]);
    // Interleave: a seeded shuffle of the arms' positions (Fisher–Yates), ids numbered in file order.
    const isApp = Array.from({ length: total }, (_, i) => i < appRows);
    for (let i = total - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [isApp[i], isApp[j]] = [isApp[j], isApp[i]];
    }
    const idWidth = Math.max(4, String(total).length);
    let a = 0;
    let w = 0;
    this.cells = isApp.map((app, i) => {
      const row = app ? appDraw[a++] : waitDraw[w++];
      row[0] = 'CR' + String(i + 1).padStart(idWidth, '0');
      if (app) this.app.push(i);
      return row;
    });
    this.items = this.cells.map((row) => Float64Array.from(row, (c, j) => (j < COL_WAI || c === '' ? NaN : Number(c))));
    this.compile();
    this.slotValues = this.cells.map(() => new Float64Array(this.slotSource.length));
    this.cells.forEach((_, i) => this.fillSlots(i));
    this.statsOfRow = this.cells.map(() => []);
    this.stats.forEach((s, k) => {
      s.rows = s.rows.filter((i) => s.slots.every((slot) => this.slotValues[i][slot] === this.slotValues[i][slot]));
      for (const i of s.rows) this.statsOfRow[i].push(k);
    });
    this.recomputeAll();
  }

  /** Resolves the published values and claims into tracked statistics and penalty terms. */
  private compile(): void {
    const from = `published values ${this.published.origin}`;
    const slot = (name: string, what: string, covariate: boolean): number => {
      const column = ROLES.get(name) ?? name;
      const key = column === 'sex' ? 'sex' : column;
      const known = this.slotOf.get(key);
      if (known !== undefined) return known;
      const score = SCORED.columns.findIndex((c) => c.name === column);
      let source: (typeof this.slotSource)[number];
      if (score >= 0) source = { score };
      else if (column === 'age' || column === 'expectation') source = { cell: SIMULATED_COLUMNS.indexOf(column) };
      else if (column === 'sex' && covariate) source = { male: true };
      else {
        throw new DataError(
          words`${MATCHING} cannot target ${what} "${name}" in ${from}: it reaches score columns (${SCORED.columns.map((c) => c.name).join(', ')}), age and expectation, with sex as a covariate`,
        );
      }
      this.slotSource.push(source);
      this.slotOf.set(key, this.slotSource.length - 1);
      return this.slotSource.length - 1;
    };
    const tracked = new Map<string, TrackedStat>();
    const track = (spec: StatisticSpec, what: string): TrackedStat => {
      if (spec.statistic === 'rows' || spec.statistic === 'coefficient') {
        throw new DataError(words`${MATCHING} cannot target ${what} (a ${spec.statistic}) in ${from}: it reaches means, SDs, r and partial r`);
      }
      const conditions = spec.analysis.where === null ? [] : parseWhere(spec.analysis.where);
      for (const c of conditions) {
        const col = SIMULATED_COLUMNS.indexOf(c.column);
        if (col < 0 || col >= MUTABLE_FROM) {
          throw new DataError(
            words`${MATCHING} cannot target ${what} in ${from}: analysis "${spec.analysis.id}" filters on ${c.column}, filter on arm, sex, age or expectation`,
          );
        }
      }
      const predicate = compileWhere(conditions, (name) => SIMULATED_COLUMNS.indexOf(name));
      const fixedSex = conditions.some((c) => c.column === 'sex' && c.op === '=');
      const slots =
        spec.statistic === 'mean' || spec.statistic === 'sd'
          ? [slot(spec.variable!, what, false)]
          : [
              slot(spec.x!, what, false),
              slot(spec.y!, what, false),
              // A covariate constant in the analysis's rows (sex within a sex stratum) has no indicator (correlate's rule).
              ...(spec.statistic === 'partial_r' ? spec.analysis.adjust.filter((c) => !(fixedSex && (ROLES.get(c) ?? c) === 'sex')).map((c) => slot(c, what, true)) : []),
            ];
      const kind = spec.statistic === 'mean' || spec.statistic === 'sd' ? spec.statistic : 'r';
      const key = JSON.stringify([kind, slots, spec.analysis.where]);
      let stat = tracked.get(key);
      if (stat === undefined) {
        const rows = this.cells.map((row, i) => (predicate(rowAccess(row)) ? i : -1)).filter((i) => i >= 0);
        const p = slots.length;
        stat = { kind, slots, rows, sum: new Float64Array(p), cross: new Float64Array(p * p), centred: new Float64Array(p * p), value: NaN };
        tracked.set(key, stat);
        this.stats.push(stat);
      }
      return stat;
    };
    const squared = (shortfall: number) => (shortfall > 0 ? (shortfall / 0.01) ** 2 : shortfall === shortfall ? 0 : Infinity);
    // Critical |r| of a two-sided test at level alpha on df = n − 2 − k (k covariates): t/√(df + t²).
    // Computed once per statistic (its rows are fixed), not per proposal: the t quantile is costly.
    const criticals = new Map<string, number>();
    const critical = (s: TrackedStat, alpha: number): number => {
      const df = s.rows.length - s.slots.length;
      const key = `${df} ${alpha}`;
      let r = criticals.get(key);
      if (r === undefined) {
        const t = tQuantile(1 - alpha / 2, df);
        criticals.set(key, (r = t / Math.sqrt(df + t * t)));
      }
      return r;
    };
    for (const v of this.published.values) {
      if (v.statistic === 'rows') continue;
      const s = track(v, `value "${v.quantity}"`);
      const [lo, hi] = printedInterval(v.published, v.precision);
      const centre = (lo + hi) / 2;
      const half = (hi - lo) / 2;
      this.penalties.push({
        label: `${v.quantity} ${v.published}`,
        penalty: () => {
          const d = Math.abs(s.value - centre) - BAND * half;
          return d > 0 ? (d / half) ** 2 : d === d ? 0 : Infinity;
        },
      });
    }
    for (const c of this.published.claims) {
      const s = track(c.estimate, `claim "${c.claim}"`);
      const isR = s.kind === 'r';
      const margin = isR ? CLAIM_MARGIN : 0;
      const label = `claim "${c.claim}"`;
      if (c.sign !== null) {
        const sign = c.sign === 'positive' ? 1 : -1;
        this.penalties.push({ label, penalty: () => squared(margin - sign * s.value) });
      }
      if (c.pBelow !== null) {
        const alpha = c.pBelow;
        // Significant: |r| beyond the critical value, on the side the claim states (or the side r is on).
        this.penalties.push({ label, penalty: () => squared(critical(s, alpha) + margin - (c.sign === 'negative' ? -s.value : c.sign === 'positive' ? s.value : Math.abs(s.value))) });
      }
      if (c.pAtLeast !== null) {
        const alpha = c.pAtLeast;
        this.penalties.push({ label, penalty: () => squared(Math.abs(s.value) - (critical(s, alpha) - margin)) });
      }
      for (const other of c.below.map((o) => track(o, label))) this.penalties.push({ label, penalty: () => squared(s.value - other.value + margin) });
      for (const other of c.above.map((o) => track(o, label))) this.penalties.push({ label, penalty: () => squared(other.value - s.value + margin) });
    }
  }

  /** Scores row i with the instruments' rules and copies its slot values (NaN when missing). */
  private fillSlots(i: number): void {
    scoreRow(SCORED, this.items[i], this.scores);
    const out = this.slotValues[i];
    const cells = this.cells[i];
    this.slotSource.forEach((source, k) => {
      if ('score' in source) out[k] = this.scores[source.score];
      else if ('cell' in source) out[k] = cells[source.cell] === '' ? NaN : Number(cells[source.cell]);
      else out[k] = cells[2] === '' ? NaN : cells[2] === 'male' ? 1 : 0;
    });
  }

  private recomputeAll(): void {
    for (const s of this.stats) {
      s.sum.fill(0);
      s.cross.fill(0);
      for (const i of s.rows) addRow(s, this.slotValues[i], 1);
      s.value = statValue(s);
    }
  }

  private penalty(): number {
    let total = 0;
    for (const p of this.penalties) total += p.penalty();
    return total;
  }

  /** The repair search; true when every value and claim holds (checked again on freshly summed statistics). */
  run(maxSteps: number): boolean {
    let current = this.penalty();
    const rng = this.rng;
    const app = this.app;
    const before = new Float64Array(this.slotSource.length);
    const after = new Float64Array(this.slotSource.length);
    while (this.steps < maxSteps) {
      if (current === 0) {
        this.recomputeAll(); // no drift from the running sums
        current = this.penalty();
        if (current === 0) return true;
      }
      this.steps++;
      const i = app[rng.int(app.length)];
      const move = rng.int(N_MOVES);
      const col = move < N_WAI ? COL_WAI + move : COL_W10 + move - N_WAI;
      const [min, max] = move < N_WAI ? [1, 5] : [0, 3];
      const items = this.items[i];
      const old = items[col];
      let step = rng.uniform() < 0.5 ? -1 : 1;
      if (old !== old) continue;
      if (old + step < min || old + step > max) step = -step;
      const touched = this.statsOfRow[i];
      before.set(this.slotValues[i]);
      const change = (value: number, from: Float64Array) => {
        for (const k of touched) addRow(this.stats[k], from, -1);
        items[col] = value;
        this.fillSlots(i);
        for (const k of touched) {
          addRow(this.stats[k], this.slotValues[i], 1);
          this.stats[k].value = statValue(this.stats[k]);
        }
      };
      change(old + step, before);
      const next = this.penalty();
      if (next < current) {
        current = next;
        this.changes++;
      } else {
        after.set(this.slotValues[i]);
        change(old, after);
      }
    }
    return false;
  }

  /** The penalty terms still above 0, for the failure message. */
  describeMisses(): string {
    this.recomputeAll();
    const misses = this.penalties.filter((p) => p.penalty() > 0).map((p) => p.label);
    return misses.length === 0 ? 'none' : [...new Set(misses)].join('; ');
  }

  /** The file's rows as CSV text cells, the repaired answers written back. */
  text(): string[][] {
    return this.cells.map((row, i) => {
      const items = this.items[i];
      for (let j = COL_WAI; j < N_COLUMNS; j++) {
        if (j >= COL_T0 && j < COL_W10) continue;
        row[j] = items[j] === items[j] ? INT_TEXT[items[j]] : '';
      }
      return row;
    });
  }
}
