/**
 * `measure`: the measurement model of each instrument found in the file (and each time point of it), from its
 * definition — one factor per subscale (a "total" is not a factor), the subscale's items its indicators, reversed
 * items reversed first (min + max − answer, as the scorer does) — fitted as lavaan's cfa() would (stats/cfa.ts):
 * rows complete on the instrument's items (and the --by column; read through frame/sample.ts, in file order), ML with
 * the n-divisor covariance, marker loadings, expected-information standard errors. Per instrument: fit measures
 * (stats/cfa-fit.ts), loadings with SE and the completely standardized loading, factor correlations, McDonald's ω per
 * factor beside Cronbach's α of the same items and rows, with a seeded percentile bootstrap interval for ω (rows
 * resampled, the model refitted from the full-sample estimates); and with --by, measurement invariance across its
 * levels: configural, metric, scalar, the χ² difference tests and Chen's (2007) rule.
 *
 * An improper solution (a negative variance, a factor correlation at or beyond ±1, a latent covariance matrix that
 * is not positive definite) or a fit that did not converge is said in words in `status` and `notes`; renderers print
 * the words, not the estimates, for those.
 */
import { DataError, UsageError, option, words } from '../errors';
import type { Dataset } from '../data/dataset';
import { VariableSet } from '../data/variables';
import { readSample } from '../frame/sample';
import type { Progress } from '../data/progress';
import { quantileType7 } from '../stats/bootstrap';
import { fitCfa, groupMoments, improperSolution, INVARIANCE_LEVELS, omega as omegaOf, spdInverse, standardizedLoading, type CfaFit, type CfaStructure, type GroupMoments, type InvarianceLevel } from '../stats/cfa';
import { fitMeasures, nestedTest } from '../stats/cfa-fit';
import { createRandom } from '../stats/random';
import { cronbachAlpha } from '../stats/reliability';
import type { InstrumentDefinition } from '../instruments/definition';
import { column, DEFAULT_SEED, SEED_RULE, whole } from '../options';

/** measure's options, declared once (options.ts): its command-line flags come from here. */
export const MEASURE_OPTIONS = {
  by: column('by', { placeholder: 'col', description: 'measurement invariance across the levels of this column (configural, metric, scalar)' }),
  bootstrap: whole('bootstrap', { min: 100, max: 1_000_000, unit: ' of resamples', orZero: true }, { placeholder: 'n', description: "bootstrap resamples for ω's percentile interval (0: none)", default: 1000 }),
  seed: whole('seed', SEED_RULE, { placeholder: 'seed', description: "bootstrap seed (as every random procedure's)", default: DEFAULT_SEED }),
};

export interface MeasureOptions {
  /** Grouping column (role or name) for invariance, or null. */
  by: string | null;
  /** Bootstrap resamples for ω's interval (0: none). */
  resamples: number;
  seed: number;
  /** Fisher-scoring iterations allowed (tests: a small number shows non-convergence). */
  maxIterations?: number;
  /** A progress line for ω's bootstrap, or null for none: see data/progress.ts. */
  phase?: (label: string) => Progress | null;
}

export interface FitResult {
  chisq: number;
  df: number;
  p: number | null;
  cfi: number;
  tli: number;
  rmsea: number;
  rmsea_ci: [number, number];
  srmr: number;
}

export interface LoadingResult {
  factor: string;
  item: string;
  estimate: number;
  /** Null for the marker (fixed at 1). */
  se: number | null;
  std: number;
}

export interface OmegaResult {
  factor: string;
  omega: number;
  ci: [number, number] | null;
  alpha: number | null;
}

export interface InvarianceModel {
  model: InvarianceLevel;
  chisq: number;
  df: number;
  cfi: number;
  rmsea: number;
  converged: boolean;
  /** Improper estimates in words, per group ("male: negative residual variance of wai_3"). */
  problems: string[];
}

export interface InvarianceTest {
  model: 'metric' | 'scalar';
  delta_chisq: number;
  delta_df: number;
  p: number | null;
  delta_cfi: number;
  delta_rmsea: number;
  /** Chen's rule flags non-invariance: ΔCFI ≤ −.010 together with ΔRMSEA ≥ .015. */
  flagged: boolean;
}

export interface InvarianceResult {
  by: string;
  groups: Array<{ level: string; n: number }>;
  models: InvarianceModel[];
  tests: InvarianceTest[];
  /** The highest level that held, or null when the configural model could not be assessed. */
  level: InvarianceLevel | null;
  verdict: string;
}

export type MeasureStatus = 'proper' | 'improper' | 'not converged' | 'not fitted';

export interface MeasurementResult {
  instrument: string;
  label: string | null;
  timepoint: string | null;
  factors: string[];
  items: string[];
  n: number;
  status: MeasureStatus;
  converged: boolean;
  fit: FitResult | null;
  loadings: LoadingResult[];
  factor_correlations: Array<{ factors: [string, string]; r: number }>;
  omega: OmegaResult[];
  bootstrap: { resamples: number; seed: number; failed: number } | null;
  invariance: InvarianceResult | null;
  notes: string[];
}

export interface MeasureResult {
  source: string;
  rows: { read: number; kept: number };
  by: string | null;
  measurement: MeasurementResult[];
}

/** Chen (2007, Struct Equ Modeling 14:464): a drop in CFI of at least .010 with a rise in RMSEA of at least .015. */
export const CHEN_CFI = -0.01;
export const CHEN_RMSEA = 0.015;
export const CHEN_CRITERION = 'ΔCFI ≤ −.010 together with ΔRMSEA ≥ .015 flags non-invariance';
export const CHEN_RULE = `Chen (2007): ${CHEN_CRITERION}`;
const BY_CHEN = `By Chen's (2007) rule (${CHEN_CRITERION})`;

interface Unit {
  instrument: string;
  label: string | null;
  timepoint: string;
  factors: string[];
  itemNames: string[];
  columns: number[];
  reverse: boolean[];
  min: number;
  max: number;
  structure: CfaStructure;
  /** Complete rows (items reversed as keyed), with their group index (−1 without --by). */
  rows: Float64Array[];
  group: number[];
  /** Items of the definition not found in the file. */
  missing: string[];
}

/**
 * The units to fit: one per instrument and time point the scoring plan found, factors = the definition's subscales
 * (not a total). Item columns come from the plan's score columns (which know --map and the time-point suffix); a
 * subscale whose score column the file already has (the plan then leaves it out) finds its items through the
 * instrument's other columns (a total lists every item), else by name.
 */
function units(dataset: Dataset): Unit[] {
  const found = new Map<string, { def: InstrumentDefinition; timepoint: string; physical: Map<string, number> }>();
  for (const col of dataset.scoring.columns) {
    const def = dataset.instruments.find((d) => d.id === col.instrument);
    if (def === undefined || col.items.length === 0) continue;
    const key = `${col.instrument}\u0000${col.timepoint}`;
    let entry = found.get(key);
    if (entry === undefined) {
      entry = { def, timepoint: col.timepoint, physical: new Map() };
      found.set(key, entry);
    }
    col.itemNames.forEach((item, i) => entry!.physical.set(item, col.items[i]));
  }
  return [...found.values()].map(({ def, timepoint, physical }) => {
    const unit: Unit = {
      instrument: def.id,
      label: def.label ?? null,
      timepoint,
      factors: [],
      itemNames: [],
      columns: [],
      reverse: [],
      min: def.min,
      max: def.max,
      structure: { items: 0, factors: [] },
      rows: [],
      group: [],
      missing: [],
    };
    for (const subscale of def.subscales) {
      const indicators: number[] = [];
      for (const item of subscale.items) {
        const column = physical.get(item) ?? dataset.columns.indexOf(timepoint ? `${item}_${timepoint}` : item);
        if (column < 0) {
          unit.missing.push(timepoint ? `${item}_${timepoint}` : item);
          continue;
        }
        let at = unit.columns.indexOf(column);
        if (at < 0) {
          at = unit.columns.length;
          unit.columns.push(column);
          unit.itemNames.push(dataset.columns[column]);
          unit.reverse.push(subscale.reverse?.includes(item) ?? false);
        }
        indicators.push(at);
      }
      unit.factors.push(subscale.id);
      unit.structure.factors.push(indicators);
    }
    unit.structure.items = unit.columns.length;
    return unit;
  });
}

function fitResult(fit: CfaFit, samples: GroupMoments[]): FitResult {
  const m = fitMeasures(fit, samples);
  return { chisq: m.chisq, df: m.df, p: m.p, cfi: m.cfi, tli: m.tli, rmsea: m.rmsea, rmsea_ci: m.rmseaCi, srmr: m.srmr ?? NaN };
}

/** Why a model cannot be fitted to these rows, or null. */
function notFittable(unit: Unit, n: number, where: string): string | null {
  const short = unit.factors.filter((_, f) => unit.structure.factors[f].length < 2);
  if (short.length > 0) return `factor ${short.join(', ')} has fewer than 2 items: a CFA needs at least 2 indicators per factor`;
  const p = unit.structure.items;
  if (n <= p) return `${n} complete rows${where} for ${p} items: a CFA needs more rows than items`;
  return null;
}

function describeFailure(error: unknown): string {
  // The sample covariance of the items is singular: an item is a linear combination of others (or n is too small).
  if (error instanceof RangeError) return `${error.message} (an item is a linear combination of others, e.g. a copy or a sum of them)`;
  throw error;
}

function fitUnit(unit: Unit, options: MeasureOptions, byName: string | null, levels: string[]): MeasurementResult {
  const p = unit.structure.items;
  const m = unit.factors.length;
  const base: MeasurementResult = {
    instrument: unit.instrument,
    label: unit.label,
    timepoint: unit.timepoint || null,
    factors: unit.factors,
    items: unit.itemNames,
    n: unit.rows.length,
    status: 'not fitted',
    converged: false,
    fit: null,
    loadings: [],
    factor_correlations: [],
    omega: [],
    bootstrap: null,
    invariance: null,
    notes: [],
  };
  if (unit.missing.length > 0) {
    base.notes.push(`not fitted: the items ${unit.missing.join(', ')} of the definition are not in the file`);
    return base;
  }
  const reversed = unit.itemNames.filter((_, j) => unit.reverse[j]);
  if (reversed.length > 0) base.notes.push(`reversed before the fit (${unit.min} + ${unit.max} − answer): ${reversed.join(', ')}`);
  const why = notFittable(unit, unit.rows.length, '');
  if (why !== null) {
    base.notes.push(`not fitted: ${why}`);
    return base;
  }
  const all = Int32Array.from(unit.rows.keys());
  const sample = groupMoments(unit.rows, p, all);
  const constant = unit.itemNames.filter((_, j) => !(sample.cov[j * p + j] > 0));
  if (constant.length > 0) {
    base.notes.push(`not fitted: ${constant.join(', ')} ${constant.length === 1 ? 'has' : 'have'} the same answer in every complete row, and a factor model needs item variance`);
    return base;
  }
  let fit: CfaFit;
  try {
    fit = fitCfa(unit.structure, [sample], { maxIterations: options.maxIterations });
  } catch (error) {
    base.notes.push(`not fitted: ${describeFailure(error)}`);
    return base;
  }
  base.converged = fit.converged;
  if (!fit.converged) {
    base.status = 'not converged';
    base.notes.push(`the maximum-likelihood fit did not converge (${fit.iterations} iterations): no estimates are reported`);
  } else {
    const est = fit.groups[0];
    const problems = improperSolution(unit.structure, est, unit.itemNames, unit.factors);
    base.status = problems.length === 0 ? 'proper' : 'improper';
    if (problems.length > 0) base.notes.push(`improper solution: ${problems.join('; ')} — the estimates are not interpretable`);
    base.fit = fitResult(fit, [sample]);
    unit.structure.factors.forEach((indicators, f) => {
      for (const item of indicators) {
        const a = fit.locations.findIndex((places) => places[0].kind === 'lambda' && places[0].i === item && places[0].j === f);
        base.loadings.push({
          factor: unit.factors[f],
          item: unit.itemNames[item],
          estimate: est.lambda[item * m + f],
          se: a < 0 ? null : (fit.se?.[a] ?? null),
          std: standardizedLoading(est, item, f, p, m),
        });
      }
    });
    for (let f = 0; f < m; f++) for (let h = f + 1; h < m; h++) {
      base.factor_correlations.push({ factors: [unit.factors[f], unit.factors[h]], r: est.psi[f * m + h] / Math.sqrt(est.psi[f * m + f] * est.psi[h * m + h]) });
    }
    const omegas = omegaOf(unit.structure, est);
    // An improper solution's ω is not interpretable: no interval for it.
    const intervals = base.status === 'proper' ? omegaIntervals(unit, fit, options) : null;
    if (intervals !== null) base.bootstrap = { resamples: options.resamples, seed: options.seed, failed: intervals.failed };
    base.omega = unit.factors.map((factor, f) => {
      const items = unit.structure.factors[f];
      const cov = new Float64Array(items.length * items.length);
      items.forEach((a, x) => items.forEach((b, y) => (cov[x * items.length + y] = sample.cov[a * p + b])));
      return { factor, omega: omegas[f], ci: intervals?.ci[f] ?? null, alpha: cronbachAlpha(cov, items.length).alpha };
    });
  }
  if (byName !== null) base.invariance = invariance(unit, options, byName, levels);
  return base;
}

/**
 * Percentile bootstrap of every factor's ω: rows drawn with replacement (createRandom(seed), as the other
 * bootstraps), the model refitted from the full-sample estimates; resamples that do not converge count as failed.
 */
function omegaIntervals(unit: Unit, fit: CfaFit, options: MeasureOptions): { ci: ([number, number] | null)[]; failed: number } | null {
  if (options.resamples === 0) return null;
  const random = createRandom(options.seed);
  const n = unit.rows.length;
  const p = unit.structure.items;
  const values: number[][] = unit.factors.map(() => []);
  const pick = new Int32Array(n);
  let failed = 0;
  const progress = options.phase?.(`bootstrap ω of ${unit.instrument}${unit.timepoint ? ` ${unit.timepoint}` : ''}`) ?? null;
  for (let b = 0; b < options.resamples; b++) {
    progress?.advance(b + 1, options.resamples, 'resamples');
    for (let i = 0; i < n; i++) pick[i] = random.int(n);
    try {
      // ω to 1e-6 of every parameter is far inside the interval's Monte Carlo error
      const refit = fitCfa(unit.structure, [groupMoments(unit.rows, p, pick)], { start: fit.parameters, standardErrors: false, maxIterations: options.maxIterations, tolerance: 1e-6 });
      if (!refit.converged) {
        failed++;
        continue;
      }
      omegaOf(unit.structure, refit.groups[0]).forEach((w, f) => values[f].push(w));
    } catch (error) {
      describeFailure(error);
      failed++;
    }
  }
  progress?.done();
  return {
    failed,
    ci: values.map((v) => {
      if (v.length === 0) return null;
      const sorted = Float64Array.from(v).sort();
      return [quantileType7(sorted, 0.025), quantileType7(sorted, 0.975)];
    }),
  };
}

function invariance(unit: Unit, options: MeasureOptions, byName: string, levels: string[]): InvarianceResult {
  const p = unit.structure.items;
  const groups = levels.map((level, g) => ({ level, pick: Int32Array.from(unit.group.flatMap((x, r) => (x === g ? [r] : []))) }));
  const result: InvarianceResult = { by: byName, groups: groups.map(({ level, pick }) => ({ level, n: pick.length })), models: [], tests: [], level: null, verdict: '' };
  const present = groups.filter((g) => g.pick.length > 0);
  if (present.length < 2) {
    result.verdict = `invariance across ${byName} not assessed: ${present.length === 1 ? `one level (${present[0].level})` : 'no levels'} among the complete rows`;
    return result;
  }
  for (const g of present) {
    const why = notFittable(unit, g.pick.length, ` with ${byName} = ${g.level}`);
    if (why !== null) {
      result.verdict = `invariance across ${byName} not assessed: ${why}`;
      return result;
    }
  }
  const samples = present.map((g) => groupMoments(unit.rows, p, g.pick));
  const singular = present.filter((_, g) => spdInverse(samples[g].cov, p) === null).map((g) => g.level);
  if (singular.length > 0) {
    result.verdict = `invariance across ${byName} not assessed: the sample covariance matrix of the items is not positive definite with ${byName} = ${singular.join(', ')} (an item without variance there, or a linear combination of others)`;
    return result;
  }
  const fits = INVARIANCE_LEVELS.map((level) => fitCfa(unit.structure, samples, { level, standardErrors: false, maxIterations: options.maxIterations }));
  fits.forEach((fit, k) => {
    const problems: string[] = [];
    if (fit.converged) {
      fit.groups.forEach((est, g) => {
        for (const problem of improperSolution(unit.structure, est, unit.itemNames, unit.factors)) problems.push(`${present[g].level}: ${problem}`);
      });
    }
    const measures = fitMeasures(fit, samples);
    result.models.push({ model: INVARIANCE_LEVELS[k], chisq: measures.chisq, df: measures.df, cfi: measures.cfi, rmsea: measures.rmsea, converged: fit.converged, problems });
  });
  for (let k = 1; k < 3; k++) {
    const free = result.models[k - 1];
    const restricted = result.models[k];
    const test = nestedTest(free, restricted);
    const deltaCfi = restricted.cfi - free.cfi;
    const deltaRmsea = restricted.rmsea - free.rmsea;
    result.tests.push({
      model: INVARIANCE_LEVELS[k] as 'metric' | 'scalar',
      delta_chisq: test.deltaChisq,
      delta_df: test.deltaDf,
      p: test.p,
      delta_cfi: deltaCfi,
      delta_rmsea: deltaRmsea,
      flagged: deltaCfi <= CHEN_CFI && deltaRmsea >= CHEN_RMSEA,
    });
  }
  result.verdict = verdict(result, byName);
  return result;
}

function verdict(result: InvarianceResult, byName: string): string {
  const [configural, metric, scalar] = result.models;
  const unconverged = result.models.filter((m) => !m.converged).map((m) => m.model);
  if (!configural.converged) return `invariance across ${byName} not assessed: the configural model did not converge`;
  const caveat =
    (unconverged.length > 0 ? ` The ${unconverged.join(' and ')} model did not converge.` : '') +
    (configural.problems.length > 0 ? ` The configural solution is improper (${configural.problems.join('; ')}), so the comparison rests on estimates that are not interpretable.` : '');
  const [metricTest, scalarTest] = result.tests;
  if (!metric.converged || metricTest.flagged) {
    result.level = 'configural';
    return `${BY_CHEN}, metric invariance across ${byName} did not hold: only the configural level is reached, the loadings differ between the groups.${caveat}`;
  }
  if (!scalar.converged || scalarTest.flagged) {
    result.level = 'metric';
    return `${BY_CHEN}, metric invariance across ${byName} held but scalar invariance did not: the level reached is metric, the intercepts differ, so the groups' mean scores are not comparable.${caveat}`;
  }
  result.level = 'scalar';
  return `${BY_CHEN}, metric and scalar invariance across ${byName} held: the level reached is scalar.${caveat}`;
}

export async function measure(dataset: Dataset, options: MeasureOptions): Promise<MeasureResult> {
  const found = units(dataset);
  if (found.length === 0) {
    throw new DataError(
      words`no instrument items found in ${dataset.input.source}: measure fits the instruments whose items are in the file (built-in: ${dataset.instruments.map((d) => d.id).join(', ')}), name a definition with ${option('instrument')} FILE.json or map the item columns with ${option('map')}`,
    );
  }
  const byColumn = options.by === null ? null : dataset.resolve(options.by, option('by'));
  const byName = byColumn === null ? null : dataset.columns[byColumn];
  if (byColumn !== null && found.some((u) => u.columns.includes(byColumn))) throw new UsageError(words`${option('by')} ${options.by} is one of the items: name a grouping column such as sex`);
  // Every unit's items and the grouping column through the one sample reader (frame/sample.ts): every row with a
  // group kept, each unit then keeping the rows complete on its own items, in file order (the order the bootstrap
  // resamples), items reversed as keyed. Items hold numbers by definition: text in one has already failed the scoring
  // of its row (the scorer reads every item).
  const variables = new VariableSet(dataset, new Set(byName === null ? [] : [byName]));
  const by = byName === null ? null : variables.add(byName, option('by'));
  const itemsOf = found.map((unit) => unit.columns.map((c) => variables.add(dataset.columns[c], words`the ${unit.instrument} items`)));
  const members = [...new Set(itemsOf.flat())];
  const { samples } = await readSample(dataset, { variables, members, complete: [], by, numbered: true, needs: 'an item' });
  // Groups in the order every command sorts levels (the samples' order).
  const levels = samples.map((sample) => sample.stratum ?? '');
  found.forEach((unit, u) => {
    const at = itemsOf[u].map((v) => members.indexOf(v));
    const kept: Array<{ row: number; group: number; values: Float64Array }> = [];
    samples.forEach((sample, g) => {
      const columns = at.map((j) => sample.columns[j].values());
      for (let i = 0; i < sample.n; i++) {
        const values = new Float64Array(at.length);
        let complete = true;
        for (let j = 0; j < at.length && complete; j++) {
          const v = columns[j][i];
          if (v !== v) complete = false;
          else values[j] = unit.reverse[j] ? unit.min + unit.max - v : v;
        }
        if (complete) kept.push({ row: sample.rows[i], group: by === null ? -1 : g, values });
      }
    });
    kept.sort((a, b) => a.row - b.row);
    unit.rows = kept.map((k) => k.values);
    unit.group = kept.map((k) => k.group);
  });
  return {
    source: dataset.input.source,
    rows: { read: dataset.counts.read, kept: dataset.counts.kept },
    by: byName,
    measurement: found.map((unit) => fitUnit(unit, options, byName, levels)),
  };
}
