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
import { normalCdf } from '../stats/distributions';
import { createRandom, Random } from '../stats/random';

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
    correlation: { taskBond: 0.65, taskGoal: 0.75, bondGoal: 0.65 },
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
      allianceEffect: { female: -0.38, male: -0.073 },
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
