/**
 * Mediation x → m → y with covariates (PROCESS model 4; Hayes 2022, Introduction to Mediation, Moderation, and
 * Conditional Process Analysis, 3rd ed.), per stratum, optionally moderated (Hayes 2015 Multivariate Behav Res 50:1).
 * Composes src/stats/mediation.ts (paths by lm, Sobel), src/stats/ols.ts (the moderated models) and
 * src/stats/bootstrap.ts (percentile and BCa intervals of every indirect quantity, statistics from co-moments).
 *
 * Sample: one per stratum, the rows complete on x, m, y, every covariate and the moderator (listwise), so that every
 * path is fitted on the same rows and c = c′ + a·b holds exactly.
 *
 * Models, terms ordered and named as R's lm orders and names them (src/data/design.ts codes the factors):
 *   a: m ~ x + Z        b, c′: y ~ x + m + Z        c: y ~ x + Z
 * With --moderator W (categorical, treatment-coded; its dummies D_j) the equation it moderates gains W and the
 * products (PROCESS models 7, 14, 58):
 *   moderate a:    m ~ x * W + Z      (a₁ + a₃ⱼ the x slope at level j),  y as model b above
 *   moderate b:    m as model a above, y ~ x + m * W + Z   (b₁ + b₃ⱼ the m slope at level j)
 *   moderate both: m ~ x * W + Z and y ~ x + m * W + Z
 * W enters an equation it does not moderate only when --adjust names it. The conditional indirect effect at level j
 * is (a₁ + a₃ⱼ)·b (a), a·(b₁ + b₃ⱼ) (b) or (a₁ + a₃ⱼ)(b₁ + b₃ⱼ) (both). The index of moderated mediation
 * (Hayes 2015), the difference between level j and the reference, is a₃ⱼ·b (a) or a·b₃ⱼ (b); with both the
 * indirect effect is not linear in W and no single index exists: the differences of the conditional effects are
 * reported instead.
 *
 * Bootstrap: every quantity is re-estimated on each resample from the resample's co-moments (partialSlope); each
 * quantity is a separate pass with the same seed, hence on the same resamples. --by: each stratum is resampled on its
 * own; the differences between strata are bootstrapped with resampling within strata, from one co-moment matrix over
 * the stacked per-stratum blocks [1_s, x·1_s, m·1_s, y·1_s, Z·1_s] (least squares on a block and its indicator
 * reproduces the within-stratum fit, the other rows contributing nothing).
 */
import { DataError, option, UsageError, words, type Wording } from '../errors';
import { choice, column, restated, whole, type DeclaredValues } from '../options';
import { ADJUST, BY, CATEGORICAL, CI, REF, referenceLevels } from './options';
import type { Dataset } from '../data/dataset';
import type { Progress } from '../data/progress';
import { terminalText } from '../text';
import { VariableSet, type Variable } from '../data/variables';
import { columnOf, readSample, type Sample } from '../frame/sample';
import { completedSamples, fitEachPool, withSe, type CompletedSamples, type ImputationSink } from '../frame/completed';
import type { ImputationSummary, MissingOptions } from '../frame/missing';
import { normalPValue } from '../stats/distributions';
import type { PooledCoefficient } from '../stats/pool';
import { Design, type Term } from '../data/design';
import { bootstrapStatistics, pooledPercentile, type BootstrapResult } from '../stats/bootstrap';
import type { CoMoments } from '../stats/moments';
import { indirectEffectStatistic, mediationPaths, type MediationPaths } from '../stats/mediation';
import { fitOls, type OlsTerm } from '../stats/ols';
import { partialSlope, PartialWorkspace } from '../stats/partial';

export type Moderate = 'a' | 'b' | 'both';

/** mediate's options, declared once (options.ts): its command-line flags come from here. */
export const MEDIATE_OPTIONS = {
  x: column('x', { placeholder: 'col', description: 'predictor (numeric), e.g. expectation' }),
  m: column('m', { placeholder: 'col', description: 'mediator (numeric), e.g. alliance' }),
  y: column('y', { placeholder: 'col', description: 'outcome (numeric), e.g. distress' }),
  adjust: ADJUST,
  by: restated(BY, { description: 'one mediation per level of this column, and the differences of the indirect effects' }),
  moderator: column('moderator', { placeholder: 'col', description: words`categorical moderator of path a, b or both (with ${option('moderate')})` }),
  moderate: choice('moderate', ['a', 'b', 'both'], { placeholder: 'path', description: 'the path the moderator moderates' }),
  categorical: restated(CATEGORICAL, { description: 'numeric columns to treat as categorical (factors)' }),
  ref: restated(REF, { description: 'reference level of a categorical covariate or the moderator (repeatable)' }),
  bootstrap: whole('bootstrap', { min: 100, max: 10_000_000, unit: ' of resamples', orZero: true }, {
    placeholder: 'n',
    description: words`bootstrap resamples for the percentile and BCa intervals (0: none; with ${option('missing')} mi, in all over the imputations)`,
    default: 5000,
  }),
  ci: CI,
};

/** One column named by an option (`example`: a column to name in the message), or a usage error. */
function one(value: string | undefined, key: string, example: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(words`${option(key)} is needed: name one column or role, e.g. ${option(key)} ${example}`);
  if (value.includes(',')) throw new UsageError(words`${option(key)} takes one column, got "${value}", e.g. ${option(key)} ${example}`);
  return value.trim();
}

/** mediate's option values as MediateOptions; `seed`: the bootstrap's (declared with the missing-data options). */
export function mediateOptionsOf(values: DeclaredValues<typeof MEDIATE_OPTIONS>, seed: number): MediateOptions {
  const x = one(values.x, 'x', 'expectation');
  const m = one(values.m, 'm', 'alliance');
  const y = one(values.y, 'y', 'distress');
  if (x === m) throw new UsageError(words`${option('x')} and ${option('m')} both name ${x}: the mediator must be another variable than the predictor`);
  const moderator = values.moderator === undefined ? null : one(values.moderator, 'moderator', 'sex');
  const moderate = values.moderate ?? null;
  if (moderate !== null && moderator === null) throw new UsageError(words`${option('moderate')} ${moderate} needs ${option('moderator')}: name the column that moderates, e.g. ${option('moderator')} sex`);
  if (moderator !== null && moderate === null) throw new UsageError(words`${option('moderator')} ${moderator} needs ${option('moderate')} a, b or both: the path it moderates`);
  return {
    x,
    m,
    y,
    adjust: values.adjust ?? [],
    by: values.by === undefined ? null : one(values.by, 'by', 'sex'),
    moderator,
    moderate,
    categorical: new Set(values.categorical ?? []),
    ref: referenceLevels(values.ref),
    resamples: values.bootstrap,
    seed,
    ciLevel: values.ci,
  };
}

export interface MediateOptions {
  x: string;
  m: string;
  y: string;
  adjust: string[];
  by: string | null;
  moderator: string | null;
  moderate: Moderate | null;
  categorical: Set<string>;
  ref: Map<string, string>;
  /** Bootstrap resamples (0: none). */
  resamples: number;
  seed: number;
  ciLevel: number;
  /** A progress line for a long phase (the bootstrap), or null for none: see data/progress.ts. */
  phase?: (label: string) => Progress | null;
  /** --missing and its options (listwise when absent). */
  missing?: MissingOptions;
  /** Receives the completed data sets as rows of fields, the header first (--write-imputations). */
  imputationSink?: ImputationSink;
}

/** The p below which the proportion mediated is reported (the total effect must be distinguishable from 0). */
export const PROPORTION_ALPHA = 0.05;

export interface Path {
  estimate: number;
  se: number;
  t: number;
  p: number;
  ci: [number, number];
  /** --missing mi: Rubin's rules as mice::pool (the values above are pooled; t, p and ci on the Barnard–Rubin df). */
  mi?: { df: number; ubar: number; b: number; t: number; riv: number; lambda: number; fmi: number; dfcom: number };
}

export interface ModelTermOut {
  term: string;
  estimate: number | null;
  se: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
}

/** A bootstrapped quantity: its estimate on the sample, the SD of its resamples and the two intervals. */
export interface Bootstrapped {
  estimate: number;
  se_boot: number | null;
  ci_percentile: [number, number] | null;
  ci_bca: [number, number] | null;
  /** Why an interval is null (from the bootstrap). */
  reason?: Wording;
}

export interface Indirect extends Bootstrapped {
  sobel: { se: number; z: number; p: number };
  bootstrap: { resamples: number; failed: number; acceleration: number | null; bias: number | null };
}

export interface ModeratedModel {
  formula: string;
  terms: ModelTermOut[];
}

export interface Moderated {
  moderator: string;
  moderate: Moderate;
  /** Levels, the reference first. */
  levels: string[];
  reference: string;
  a_model: ModeratedModel | null;
  b_model: ModeratedModel | null;
  /** Index of moderated mediation per non-reference level (a, b); empty with both. */
  index: Array<Bootstrapped & { level: string; term: string; formula: string }>;
  /** The indirect effect at each level of the moderator. */
  conditional: Array<Bootstrapped & { level: string; a: number; b: number }>;
  /** Conditional effect at each non-reference level minus at the reference (both: in place of an index). */
  differences: Array<Bootstrapped & { level: string; versus: string }>;
}

export interface MediationEntry {
  stratum: string | null;
  n: number;
  excluded: { rows: number; by_reason: Record<string, number> };
  /** Covariate columns as coded (R names). */
  covariates: string[];
  paths: { a: Path; b: Path; c: Path; c_prime: Path } | null;
  indirect: Indirect | null;
  proportion_mediated: Bootstrapped | null;
  proportion_mediated_reason?: Wording;
  moderated?: Moderated;
  notes: Wording[];
  /** Why nothing could be estimated. */
  reason?: string;
}

export interface StratumDifference extends Bootstrapped {
  stratum: string;
  versus: string;
}

export interface MediateOutput {
  x: string;
  m: string;
  y: string;
  roles: { x: string | null; m: string | null; y: string | null };
  adjust: string[];
  by: string | null;
  moderator: string | null;
  moderate: Moderate | null;
  formulas: { a: string; b: string; c: string };
  mediation: MediationEntry[];
  /** --by: each stratum's indirect effect minus the first stratum's, resampled within strata. */
  by_differences: StratumDifference[] | null;
  missingStratum: number | null;
  notes: Wording[];
  /** --missing mi: how (the summary correlate and model give). */
  imputation?: ImputationSummary;
}

interface Spec {
  vars: Variable[];
  members: number[];
  x: number;
  m: number;
  y: number;
  w: number | null;
  covs: number[];
  options: MediateOptions;
}

export async function mediate(dataset: Dataset, options: MediateOptions): Promise<MediateOutput> {
  if (options.moderate !== null && options.moderator === null) {
    throw new UsageError(words`${option('moderate')} ${options.moderate} needs ${option('moderator')}: name the column that moderates, e.g. ${option('moderator')} sex`);
  }
  if (options.moderator !== null && options.moderate === null) {
    throw new UsageError(words`${option('moderator')} ${options.moderator} needs ${option('moderate')} a, b or both: which path it moderates`);
  }
  const variables = new VariableSet(dataset, options.categorical);
  const vars = variables.list;
  for (const name of options.categorical) dataset.resolve(name, option('categorical'));
  const x = variables.add(options.x, option('x'));
  const m = variables.add(options.m, option('m'));
  const y = variables.add(options.y, option('y'));
  if (m === x) throw new UsageError(words`${option('m')} ${options.m} is the same column as ${option('x')} (${vars[x].name}), name a mediator other than the predictor`);
  if (y === x || y === m) throw new UsageError(words`${option('y')} ${options.y} is the same column as ${option(y === x ? 'x' : 'm')} (${vars[y].name}), name an outcome other than the predictor and the mediator`);
  for (const [v, flag, what] of [[x, option('x'), 'predictor'], [m, option('m'), 'mediator'], [y, option('y'), 'outcome']] as const) {
    if (vars[v].forcedCategorical) throw new UsageError(words`${flag} ${vars[v].name} is named in ${option('categorical')}, but the ${what} of a mediation must be numeric`);
    vars[v].categorical = false;
  }
  const notes: Wording[] = [];
  let w: number | null = null;
  if (options.moderator !== null) {
    w = variables.add(options.moderator, option('moderator'));
    if ([x, m, y].includes(w)) throw new UsageError(words`${option('moderator')} ${options.moderator} is the predictor, mediator or outcome, moderate by another column`);
    vars[w].categorical = true;
  }
  let byVar: number | null = null;
  if (options.by !== null) {
    byVar = variables.add(options.by, option('by'));
    if ([x, m, y, w].includes(byVar)) throw new UsageError(words`${option('by')} ${options.by} is also the predictor, mediator, outcome or moderator, stratify by another column`);
    vars[byVar].categorical = true;
  }
  const leaving = new Map<number, string>();
  if (byVar !== null) leaving.set(byVar, 'is the stratifier and leaves the covariates');
  const covs = variables.covariates(options.adjust, [x, m, y], 'the predictor, mediator or outcome', leaving, notes);
  for (const [name, level] of options.ref) {
    const v = variables.indexOf(dataset.columnName(name));
    if (v === undefined || !(covs.includes(v) || v === w || v === byVar)) {
      throw new UsageError(words`${option('ref')} ${name}=${level} names no covariate, moderator or stratifier, use it for a categorical column in ${option('adjust')}, ${option('moderator')} or ${option('by')}`);
    }
  }

  const members = [x, m, y, ...(w === null || covs.includes(w) ? [] : [w]), ...covs];
  const spec: Spec = { vars, members, x, m, y, w, covs, options };
  const checkRef = () => {
    for (const [name, level] of options.ref) {
      const variable = vars[variables.indexOf(dataset.columnName(name))!];
      if (variable.categorical === false) throw new UsageError(words`${option('ref')} ${name}=${level}: ${variable.name} is a numeric column, name it in ${option('categorical')} too to treat it as a factor`);
    }
  };
  const names = (vs: number[]) => vs.map((v) => vars[v].name);
  const rhs = (terms: string[]) => terms.join(' + ');
  const output = (mediation: MediationEntry[], byDifferences: StratumDifference[] | null, missingStratum: number): MediateOutput => ({
    x: vars[x].name,
    m: vars[m].name,
    y: vars[y].name,
    roles: { x: dataset.roleOf(options.x), m: dataset.roleOf(options.m), y: dataset.roleOf(options.y) },
    adjust: names(covs),
    by: byVar === null ? null : vars[byVar].name,
    moderator: w === null ? null : vars[w].name,
    moderate: options.moderate,
    formulas: {
      a: `${vars[m].name} ~ ${rhs([vars[x].name, ...names(covs)])}`,
      b: `${vars[y].name} ~ ${rhs([vars[x].name, vars[m].name, ...names(covs)])}`,
      c: `${vars[y].name} ~ ${rhs([vars[x].name, ...names(covs)])}`,
    },
    mediation,
    by_differences: byDifferences,
    missingStratum: byVar === null ? null : missingStratum,
    notes,
  });

  if (options.missing?.missing === 'mi') {
    if (w !== null) throw new UsageError(words`${option('moderator')} and ${option('missing')} mi do not combine yet (the moderated models are not pooled), drop one`);
    const completed = await completedSamples(dataset, { variables, members, by: byVar, ref: byVar === null ? undefined : options.ref.get(vars[byVar].name) }, options.missing, options.imputationSink);
    checkRef();
    const { droppedRows, imputeBy } = completed.setUp;
    if (droppedRows > 0 && byVar === null) notes.push(`${droppedRows} rows missing ${imputeBy} are left out`);
    if (completed.nothingMissing) {
      const fitted = [...completed.each()][0].map((sample) => fitSample(sample, spec));
      return { ...output(fitted.map((f) => f.entry), byVar === null ? null : stratumDifferences(fitted, options), droppedRows), imputation: completed.summary };
    }
    if (byVar !== null) notes.push(words`${option('missing')} mi: the differences between strata are not estimated (they would need the bootstrap across strata pooled over the imputations)`);
    return { ...output(fitImputed(completed, spec), byVar === null ? null : [], droppedRows), imputation: completed.summary };
  }

  const { samples: all, missingStratum } = await readSample(dataset, {
    variables,
    members,
    by: byVar,
    needs: 'the predictor, the mediator, the outcome, the moderator or a covariate',
    ref: byVar === null ? undefined : options.ref.get(vars[byVar].name),
  });
  checkRef();
  if (byVar !== null && all.length === 1) notes.push(`${vars[byVar].name} has one level (${all[0].stratum}) in the rows read: one mediation`);
  const fitted = all.map((sample) => fitSample(sample, spec));
  return output(fitted.map((f) => f.entry), byVar === null ? null : stratumDifferences(fitted, options), missingStratum);
}

/**
 * --missing mi (MI-then-bootstrap): on each completed data set the simple paths by lm; a, b, c, c′ pooled by Rubin's
 * rules exactly as mice::pool on the four lm fits (frame/completed.ts fitEachPool, ν_com each fit's residual df).
 * The indirect effect is the mean of aᵢ·bᵢ over the imputations; its bootstrap draws ⌈B/M⌉ resamples within each
 * completed data set (seed + i − 1 for the i-th) and pools all of them: the SD and percentile interval of the pooled
 * values (stats/bootstrap.ts pooledPercentile; Schomaker & Heumann 2018, "MI Boot (pooled sample)"); no BCa. The
 * Sobel test uses the pooled a and b and their pooled SEs: SE = √(b̄²·T_a + ā²·T_b), z = mean(aᵢbᵢ)/SE. The
 * proportion mediated is not pooled.
 */
function fitImputed(completed: CompletedSamples, spec: Spec): MediationEntry[] {
  const { options } = spec;
  const M = completed.count;
  const perImputation = options.resamples === 0 ? 0 : Math.ceil(options.resamples / M);
  const strata = completed.strata.map(() => ({ products: [] as number[], replicates: [] as Float64Array[], failed: 0, imputation: 0 }));
  const pooledFits = fitEachPool(
    completed,
    (sample, s) => {
      const simple = simplePaths(sample, spec);
      const stratum = strata[s];
      const i = stratum.imputation++;
      if ('reason' in simple) return simple;
      const { paths, zColumns } = simple;
      stratum.products.push(paths.a.estimate! * paths.b.estimate!);
      if (perImputation > 0) {
        const Z = zColumns.map((_, j) => 3 + j);
        const [result] = bootstrapStatistics([simple.xv, simple.mv, simple.yv, ...zColumns], [indirectEffectStatistic(0, 1, 2, Z)], {
          resamples: perImputation,
          seed: (options.seed + i) % 0x100000000,
          ciLevel: options.ciLevel,
          keepReplicates: true,
        });
        stratum.replicates.push(result.replicates ?? new Float64Array(0));
        stratum.failed += result.failed;
      }
      return simple;
    },
    (fit) => {
      if ('reason' in fit) return [0, 1, 2, 3].map(() => withSe(null, null, null));
      const { paths } = fit;
      return [
        withSe(paths.a.estimate, paths.a.se, paths.df.a),
        withSe(paths.b.estimate, paths.b.se, paths.df.b),
        withSe(paths.c.estimate, paths.c.se, paths.df.c),
        withSe(paths.cPrime.estimate, paths.cPrime.se, paths.df.cPrime),
      ];
    },
    options.ciLevel,
  );
  return pooledFits.map(({ first, pooled }, s) => {
    if ('reason' in first) return emptyEntry(first.base, first.reason);
    if (pooled.some((p) => p === null) || strata[s].products.length !== M) return emptyEntry(first.base, 'a path could not be estimated in every completed data set');
    const [a, b, c, cPrime] = pooled.map((p) => p!);
    const path = (p: PooledCoefficient): Path => {
      const { within, between, total, df, riv, lambda, fmi, dfCom } = p.pooled;
      return { estimate: p.estimate, se: p.se, t: p.t, p: p.p, ci: p.ci, mi: { df, ubar: within, b: between, t: total, riv, lambda, fmi, dfcom: dfCom } };
    };
    const { products, replicates, failed } = strata[s];
    const estimate = products.reduce((sum, v) => sum + v, 0) / M;
    const sobelSe = Math.sqrt(b.estimate ** 2 * a.se ** 2 + a.estimate ** 2 * b.se ** 2);
    const z = estimate / sobelSe;
    const indirect: Indirect = {
      ...unbootstrapped(estimate),
      sobel: { se: sobelSe, z, p: normalPValue(z) },
      bootstrap: { resamples: perImputation * M, failed, acceleration: null, bias: null },
    };
    if (perImputation === 0) indirect.reason = words`no bootstrap (${option('bootstrap')} 0)`;
    else {
      const boot = pooledPercentile(replicates, options.ciLevel);
      indirect.se_boot = boot.se;
      indirect.ci_percentile = boot.percentile;
      indirect.reason = `MI-then-bootstrap: ${perImputation} resamples within each of the ${M} completed data sets, pooled; percentile interval only (no BCa)`;
    }
    return {
      ...first.base,
      covariates: first.zNames,
      paths: { a: path(a), b: path(b), c: path(c), c_prime: path(cPrime) },
      indirect,
      proportion_mediated: null,
      proportion_mediated_reason: words`not pooled under ${option('missing')} mi`,
      notes: first.notes,
    };
  });
}

/** One stratum's design: x, m, y and the coded covariates; with a moderator its dummies and product columns. */
interface Fitted {
  entry: MediationEntry;
  /** Columns for the bootstrap: x, m, y, covariates (null when the paths could not be estimated). */
  columns: Float64Array[] | null;
}

/** One sample's design and simple paths (a, b, c, c′ by lm), or why there are none. */
interface SimplePaths {
  base: Pick<MediationEntry, 'stratum' | 'n' | 'excluded'>;
  notes: Wording[];
  design: Design;
  xTerm: Term;
  mTerm: Term;
  wTerm: Term | null;
  covTerms: Term[];
  zNames: string[];
  zColumns: Float64Array[];
  xv: Float64Array;
  mv: Float64Array;
  yv: Float64Array;
  paths: MediationPaths;
}

function simplePaths(sample: Sample, d: Spec): SimplePaths | { base: SimplePaths['base']; reason: string } {
  const { vars, members, x, m, y, w, covs, options } = d;
  const n = sample.n;
  const col = (v: number) => columnOf(sample, members, v);
  const base = { stratum: sample.stratum, n, excluded: sample.excluded.summary() };
  if (n === 0) return { base, reason: 'no rows with the predictor, the mediator, the outcome, the moderator and every covariate present' };
  const notes: Wording[] = [];
  const xv = col(x);
  const mv = col(m);
  const yv = col(y);
  const design = new Design(n, { ref: options.ref, stratum: sample.stratum });
  const xTerm = design.numeric(vars[x], xv);
  const mTerm = design.numeric(vars[m], mv);
  const wTerm = w === null ? null : design.factor(vars[w], col(w))!;
  const covTerms: Term[] = [];
  for (const c of covs) {
    const term = c === w ? wTerm! : design.term(vars[c], col(c))!;
    covTerms.push(term);
    if (term.coding !== null && term.coding.levels.length === 0) {
      notes.push(`${vars[c].name} has one level (${vars[c].levelNames[term.coding.ref]}) in the rows used and enters no column`);
    }
  }
  const zNames = covTerms.flatMap((t) => t.names);
  const zColumns = covTerms.flatMap((t) => t.columns);
  let paths: MediationPaths;
  try {
    paths = mediationPaths(xv, mv, yv, zColumns, zNames, options.ciLevel);
  } catch (error) {
    if (error instanceof RangeError) return { base, reason: error.message };
    throw error;
  }
  if (paths.sobel.se === 0 || !Number.isFinite(paths.sobel.z)) return { base, reason: 'the paths have no standard errors (as many columns as rows)' };
  return { base, notes, design, xTerm, mTerm, wTerm, covTerms, zNames, zColumns, xv, mv, yv, paths };
}

/** An entry with nothing estimated, and why. */
function emptyEntry(base: SimplePaths['base'], reason: string): MediationEntry {
  return { ...base, covariates: [], paths: null, indirect: null, proportion_mediated: null, notes: [], reason };
}

const pathOf = (t: OlsTerm): Path => ({ estimate: t.estimate!, se: t.se!, t: t.t!, p: t.p!, ci: t.ci! });

function fitSample(sample: Sample, d: Spec): Fitted {
  const { vars, x, m, y, w, covs, options } = d;
  const simple = simplePaths(sample, d);
  if ('reason' in simple) return { entry: emptyEntry(simple.base, simple.reason), columns: null };
  const { base, notes, design, xTerm, mTerm, wTerm, covTerms, zNames, zColumns, xv, mv, yv, paths } = simple;
  const entry: MediationEntry = {
    ...base,
    covariates: zNames,
    paths: { a: pathOf(paths.a), b: pathOf(paths.b), c: pathOf(paths.c), c_prime: pathOf(paths.cPrime) },
    indirect: null,
    proportion_mediated: null,
    notes,
  };

  // Bootstrap columns: 0 x, 1 m, 2 y, then Z; with a moderator its dummies D, then x·D and m·D.
  const columns = [xv, mv, yv, ...zColumns];
  const Z = zColumns.map((_, i) => 3 + i);
  const batch = new BootstrapBatch();
  const indirect: Indirect = {
    ...unbootstrapped(paths.indirect),
    sobel: paths.sobel,
    bootstrap: { resamples: 0, failed: 0, acceleration: null, bias: null },
  };
  entry.indirect = batch.track(indirect, indirectEffectStatistic(0, 1, 2, Z), (r) => {
    indirect.bootstrap = { resamples: r.resamples, failed: r.failed, acceleration: r.acceleration, bias: r.bias };
  });
  if (paths.c.p! < PROPORTION_ALPHA) {
    const ws = new PartialWorkspace();
    const statistic = combine(indirectEffectStatistic(0, 1, 2, Z), (mom) => partialSlope(mom, 0, 2, Z, ws), (ab, c) => ab / c);
    entry.proportion_mediated = batch.track(unbootstrapped(paths.indirect / paths.c.estimate!), statistic);
  } else {
    // The words only: c's p is in the paths, and the table prints it (render/mediate.ts).
    entry.proportion_mediated_reason = 'the total effect c is not significant: a·b / c is unstable when c may be 0';
  }

  const simpleColumns = columns.slice();
  if (wTerm !== null) {
    if (wTerm.coding === null || wTerm.coding.levels.length === 0) {
      notes.push(`the moderator ${vars[w!].name} has one level in the rows used: no moderated mediation`);
    } else {
      const xw = design.interaction(xTerm, wTerm);
      const mw = design.interaction(mTerm, wTerm);
      // The moderated equations' covariates: Z without the moderator's own columns (it enters as a main effect).
      const zMod: number[] = [];
      let at = 3;
      for (const t of covTerms) {
        if (t !== wTerm) t.columns.forEach((_, j) => zMod.push(at + j));
        at += t.columns.length;
      }
      const add = (cs: Float64Array[]) => cs.map((c) => columns.push(c) - 1);
      const D = add(wTerm.columns);
      const XW = add(xw.columns);
      const MW = add(mw.columns);
      const names = [vars[x].name, vars[m].name, vars[y].name, ...zNames, ...wTerm.names, ...xw.names, ...mw.names];
      entry.moderated = moderated({
        options, vars, x, m, y, w: w!, wTerm, xw, mw, columns, names, Z, zMod, D, XW, MW, batch, notes, paths,
        covariates: covs.filter((c) => c !== w).map((c) => vars[c].name),
      });
    }
  }
  batch.run(columns, options, `bootstrap mediation${sample.stratum === null ? '' : `, ${terminalText(sample.stratum)}`}`);
  return { entry, columns: simpleColumns };
}

type Statistic = (mom: CoMoments) => number | null;

/** Two statistics on the same co-moments combined by `op`; null when either is. */
function combine(f: Statistic, g: Statistic, op: (u: number, v: number) => number): Statistic {
  return (mom) => {
    const u = f(mom);
    if (u === null) return null;
    const v = g(mom);
    return v === null ? null : op(u, v);
  };
}
const times = (u: number, v: number) => u * v;
const minus = (u: number, v: number) => u - v;

/** A quantity before its bootstrap. */
function unbootstrapped(estimate: number): Bootstrapped {
  return { estimate, se_boot: null, ci_percentile: null, ci_bca: null };
}

/**
 * The bootstrapped quantities of one sample, resampled together (bootstrapStatistics: one co-moment matrix per
 * resample for all of them): `track` registers a quantity and its statistic, `run` fills in every one.
 */
class BootstrapBatch {
  private readonly statistics: Statistic[] = [];
  private readonly targets: Array<{ target: Bootstrapped; after?: (result: BootstrapResult) => void }> = [];

  track<T extends Bootstrapped>(target: T, statistic: Statistic, after?: (result: BootstrapResult) => void): T {
    this.statistics.push(statistic);
    this.targets.push({ target, after });
    return target;
  }

  run(columns: Float64Array[], options: MediateOptions, label: string, strata?: Int32Array): void {
    if (this.statistics.length === 0) return;
    if (options.resamples === 0) {
      for (const { target } of this.targets) target.reason = words`no bootstrap (${option('bootstrap')} 0)`;
      return;
    }
    const progress = options.phase?.(label) ?? null;
    const results = bootstrapStatistics(columns, this.statistics, {
      resamples: options.resamples,
      seed: options.seed,
      ciLevel: options.ciLevel,
      strata,
      onResample: progress ? (done, total) => progress.advance(done, total, 'resamples') : undefined,
    });
    progress?.done();
    results.forEach((r, i) => {
      const { target, after } = this.targets[i];
      target.se_boot = r.se;
      target.ci_percentile = r.percentile;
      target.ci_bca = r.bca;
      if (r.reason) target.reason = r.reason;
      after?.(r);
    });
  }
}

interface ModeratedSpec {
  options: MediateOptions;
  vars: Variable[];
  x: number;
  m: number;
  y: number;
  w: number;
  wTerm: Term;
  xw: Term;
  mw: Term;
  /** Bootstrap columns and their R names: x, m, y, Z, D, x·D, m·D. */
  columns: Float64Array[];
  names: string[];
  Z: number[];
  zMod: number[];
  D: number[];
  XW: number[];
  MW: number[];
  /** The covariates of the moderated equations (the moderator left out), by variable. */
  covariates: string[];
  paths: MediationPaths;
  batch: BootstrapBatch;
  notes: Wording[];
}

/**
 * The moderated models (lm, R's term order) and the bootstrapped index, conditional indirect effects and differences.
 * Slopes on a resample come from partialSlope with the equation's other columns as covariates.
 */
function moderated(s: ModeratedSpec): Moderated {
  const { options, vars, wTerm, xw, mw, columns, Z, zMod, D, XW, MW } = s;
  const moderate = options.moderate!;
  const coding = wTerm.coding!;
  const wVar = vars[s.w];
  const reference = wVar.levelNames[coding.ref];
  const levels = [reference, ...coding.levels.map((l) => wVar.levelNames[l])];
  const [X, M, Y] = [0, 1, 2];
  const name = (v: number) => vars[v].name;
  const one = new Float64Array(columns[0].length).fill(1);
  const fit = (formula: string, cols: number[], outcome: number): ModeratedModel => {
    const model = fitOls([one, ...cols.map((j) => columns[j])], ['(Intercept)', ...cols.map((j) => s.names[j])], columns[outcome], { ciLevel: options.ciLevel });
    s.notes.push(...model.notes);
    return { formula, terms: model.coefficients.map(({ term, estimate, se, t, p, ci }) => ({ term, estimate, se, t, p, ci })) };
  };
  const tail = s.covariates.length ? ` + ${s.covariates.join(' + ')}` : '';
  const moderatesA = moderate !== 'b';
  const moderatesB = moderate !== 'a';
  // lm orders (Intercept), x, [m], W, covariates, products.
  const aCols = moderatesA ? [X, ...D, ...zMod, ...XW] : [X, ...Z];
  const bCols = moderatesB ? [X, M, ...D, ...zMod, ...MW] : [X, M, ...Z];
  const aModel = moderatesA ? fit(`${name(s.m)} ~ ${name(s.x)} * ${wVar.name}${tail}`, aCols, M) : null;
  const bModel = moderatesB ? fit(`${name(s.y)} ~ ${name(s.x)} + ${name(s.m)} * ${wVar.name}${tail}`, bCols, Y) : null;

  // Slope of the column `target` in the equation with columns `cols` (others as covariates), on co-moments.
  const slope = (cols: number[], target: number, outcome: number) => {
    const others = cols.filter((j) => j !== target);
    const ws = new PartialWorkspace();
    return (mom: CoMoments) => partialSlope(mom, target, outcome, others, ws);
  };
  // a at level j (−1 the reference): a₁ (+ a₃ⱼ); b likewise.
  const plus = (u: number, v: number) => u + v;
  const aAt = (j: number) => (j >= 0 && moderatesA ? combine(slope(aCols, X, M), slope(aCols, XW[j], M), plus) : slope(aCols, X, M));
  const bAt = (j: number) => (j >= 0 && moderatesB ? combine(slope(bCols, M, Y), slope(bCols, MW[j], Y), plus) : slope(bCols, M, Y));
  const conditionalAt = (j: number) => () => combine(aAt(j), bAt(j), times);
  const coefficient = (model: ModeratedModel | null, term: string): number => {
    const found = model?.terms.find((t) => t.term === term);
    if (!found || found.estimate === null) throw new DataError(`${term} is aliased in the moderated model: the moderated mediation cannot be estimated`);
    return found.estimate;
  };
  // The sample values: from the moderated lm fits, or the simple paths for the equation W does not moderate.
  const a1 = aModel ? coefficient(aModel, name(s.x)) : s.paths.a.estimate!;
  const b1 = bModel ? coefficient(bModel, name(s.m)) : s.paths.b.estimate!;
  const aValue = (j: number) => a1 + (j >= 0 && moderatesA ? coefficient(aModel, xw.names[j]) : 0);
  const bValue = (j: number) => b1 + (j >= 0 && moderatesB ? coefficient(bModel, mw.names[j]) : 0);
  const js = [-1, ...coding.levels.map((_, j) => j)];
  const conditional = js.map((j, i) => {
    const a = aValue(j);
    const b = bValue(j);
    return s.batch.track({ level: levels[i], a, b, ...unbootstrapped(a * b) }, conditionalAt(j)());
  });
  const index: Moderated['index'] = [];
  const differences: Moderated['differences'] = [];
  if (moderate === 'both') {
    js.slice(1).forEach((j, i) => {
      const value = conditional[i + 1].estimate - conditional[0].estimate;
      const statistic = () => combine(conditionalAt(j)(), conditionalAt(-1)(), minus);
      differences.push(s.batch.track({ level: levels[i + 1], versus: reference, ...unbootstrapped(value) }, statistic()));
    });
  } else {
    js.slice(1).forEach((j, i) => {
      const term = moderate === 'a' ? xw.names[j] : mw.names[j];
      const value = moderate === 'a' ? coefficient(aModel, term) * b1 : a1 * coefficient(bModel, term);
      const statistic = () => (moderate === 'a' ? combine(slope(aCols, XW[j], M), slope(bCols, M, Y), times) : combine(slope(aCols, X, M), slope(bCols, MW[j], Y), times));
      const formula = moderate === 'a' ? `${term} × b` : `a × ${term}`;
      index.push(s.batch.track({ level: levels[i + 1], term, formula, ...unbootstrapped(value) }, statistic()));
    });
  }
  return { moderator: wVar.name, moderate, levels, reference, a_model: aModel, b_model: bModel, index, conditional, differences };
}

/**
 * --by: each stratum's indirect effect minus the first stratum's (level order), with bootstrap intervals from
 * resampling within strata. The statistic reads every stratum from one co-moment matrix over stacked blocks
 * [1_s, x·1_s, m·1_s, y·1_s, Z·1_s] (zero outside stratum s): least squares of m·1_s on 1_s, x·1_s and Z·1_s with the
 * pooled intercept fits the other rows exactly by the intercept (all their values are 0), so the slopes are the
 * within-stratum ones.
 */
function stratumDifferences(fitted: Fitted[], options: MediateOptions): StratumDifference[] {
  const usable = fitted.filter((f) => f.columns !== null && f.entry.indirect !== null);
  if (usable.length < 2) return [];
  const total = usable.reduce((sum, f) => sum + f.entry.n, 0);
  const columns: Float64Array[] = [];
  const strata = new Int32Array(total);
  const blocks: Array<{ x: number; m: number; y: number; z: number[] }> = [];
  let offset = 0;
  usable.forEach((f, s) => {
    const n = f.entry.n;
    strata.fill(s, offset, offset + n);
    const place = (values: Float64Array | null): number => {
      const column = new Float64Array(total);
      if (values === null) column.fill(1, offset, offset + n);
      else column.set(values, offset);
      return columns.push(column) - 1;
    };
    const indicator = place(null);
    const [x, m, y, ...z] = f.columns!.map(place);
    blocks.push({ x, m, y, z: [indicator, ...z] });
    offset += n;
  });
  const first = usable[0].entry;
  const indirectOf = (block: (typeof blocks)[number]) => indirectEffectStatistic(block.x, block.m, block.y, block.z);
  const batch = new BootstrapBatch();
  const differences = usable.slice(1).map((f, i) =>
    batch.track(
      { stratum: f.entry.stratum!, versus: first.stratum!, ...unbootstrapped(f.entry.indirect!.estimate - first.indirect!.estimate) },
      combine(indirectOf(blocks[i + 1]), indirectOf(blocks[0]), minus),
    ),
  );
  batch.run(columns, options, 'bootstrap differences between strata', strata);
  return differences;
}
