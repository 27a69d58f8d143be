/**
 * Specification curve with joint inference (Simonsohn, Simmons & Nelson 2020, Nat Hum Behav 4:1208): for each
 * (x, y), every combination of the dimensions' options — covariate set × method × influential rows — estimated as
 * `correlate` estimates that combination, summarised, and tested jointly against bootstrapped null data.
 *
 * Specification estimates: the rows complete on x, y and the specification's covariates (listwise, as correlate),
 * minus, under "removed", the rows whose Cook's distance in the primary model (first covariate set, Pearson: OLS of
 * y on 1, x and those covariates, src/stats/ols.ts as R's cooks.distance) exceeds 4/n. Each is coded by correlate's
 * held engine (correlate/held.ts codeRows: design.ts coding, ranks for Spearman) and estimated by its partial r and
 * test (stats/partial.ts, stats/inference.ts): the numbers `correlate` prints for that combination.
 *
 * Joint test (their observational case): for specification k, the null data y*ₖ = y − bₖ·x, bₖ the least-squares
 * coefficient of x in y ~ 1 + x + covariates on the specification's rows (partialSlope); a Spearman specification
 * takes the null data of its Pearson twin (same covariates and rows), ranked within each resample — only
 * approximately a null for the rank correlation, since removing the linear slope does not make the ranks
 * independent. B resamples of the rows with x and y present, drawn once per curve from the seed and shared by every
 * specification (each uses the drawn rows it is complete on); each specification is re-estimated on its own null
 * data from co-moments weighted by the resample's multiplicities (stats/bootstrap.ts WeightedSample; the Pearson
 * specifications of covariate sets on the same rows from one such co-moments, shifted: see SharedGroup), and the
 * three curve statistics of each resample (stats/specification-curve.ts) give the null distribution. The
 * influential-row rule is a procedure, and is applied again in each resample (Cook's distance of the primary model
 * on the primary null data, from the resample's co-moments: stats/influence.ts): keeping the rows it removed from
 * the observed data out of every resample made the test liberal (12% rejections at .05 in 150 simulated null data
 * sets, against 5% when re-applied; bench/robustness-null.ts, 200 data sets: 5.0%, 4.5%, 5.5%).
 */
import { UsageError, option, words, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import type { Progress } from '../data/progress';
import { VariableSet, type Variable } from '../data/variables';
import { ColumnPool, type RowPicker } from '../data/growable';
import { partialCorrelation, partialR, partialSlope, PartialWorkspace } from '../stats/partial';
import { correlationP, correlationTest } from '../stats/inference';
import { WeightedSample } from '../stats/bootstrap';
import type { CoMoments } from '../stats/moments';
import { createRandom } from '../stats/random';
import { fitOls, cooksDistance } from '../stats/ols';
import { jointPValues, summariseCurve, type CurveSummary } from '../stats/specification-curve';
import { weightedCooksDistance } from '../stats/influence';
import { correlate } from './correlate';
import { codeRows } from './correlate/held';
import type { MissingOptions } from '../frame/missing';
import { noUsableRows, readSample } from '../frame/sample';
import { specificationCount, type InfluentialRule, type SpecDimensions, type SpecMethod } from './specifications';

export type { InfluentialRule, SpecDimensions, SpecMethod } from './specifications';

export interface RobustnessOptions {
  x: string[];
  y: string[];
  dimensions: SpecDimensions;
  nullSamples: number;
  seed: number;
  ciLevel: number;
  /** Significance level of "share significant" (the paper's .05). */
  alpha: number;
  /** Most specifications a curve may have. */
  maxSpecs: number;
  ref: Map<string, string>;
  categorical: Set<string>;
  idColumn: string;
  /** A progress line for each curve's null resamples, or null for none: see data/progress.ts. */
  phase?: (label: string) => Progress | null;
  /**
   * The missing-data dimension (--with-mi): each covariate set × method also by multiple imputation, as
   * `correlate --missing mi` gives it (influential rows kept), on a fresh pass over the input from `open`.
   */
  mi?: { missing: MissingOptions; open: () => Promise<Dataset> };
}

export interface Specification {
  /** The covariate set's columns as named (a categorical one is coded as correlate codes it). */
  covariates: string[];
  method: SpecMethod;
  influential: InfluentialRule;
  missing: 'listwise' | 'mi';
  n: number;
  /** Covariate columns kept (coded, not aliased): df = n − 2 − k. */
  k: number;
  r: number | null;
  ci: [number, number] | null;
  p: number | null;
  reason?: string;
}

export interface Curve {
  x: string;
  y: string;
  /** The primary specification: the first option of every dimension (listed first in `specifications`). */
  primary: Specification;
  summary: Omit<CurveSummary, 'stouffer_z'> | null;
  joint: {
    null_samples: number;
    seed: number;
    median_r_p: number | null;
    share_significant_p: number | null;
    stouffer_z: number | null;
    stouffer_p: number | null;
    /** Resamples in which no specification was defined. */
    failed: number;
  };
  /** Rows the primary model finds influential (Cook's distance > 4/n): what "removed" leaves out. */
  influential: { threshold: number | null; rows: string[]; reason?: string };
  specifications: Specification[];
}

export interface RobustnessOutput {
  curves: Curve[];
  /** The missing-data dimension's options. */
  missing: Array<'listwise' | 'mi'>;
  /** The covariate sets as columns (roles resolved). */
  covariates: string[][];
  notes: Wording[];
}

export const SPEARMAN_NULL_NOTE =
  "Spearman specifications' null data are their Pearson twin's y − b·x, ranked: removing the linear slope does not make the ranks independent, so their part of the joint test is approximate.";

export async function robustness(dataset: Dataset, options: RobustnessOptions): Promise<RobustnessOutput> {
  const { dimensions } = options;
  const count = specificationCount(dimensions) + (options.mi ? dimensions.covariates.length * dimensions.method.length : 0);
  if (count === 0) throw new UsageError('no specifications: every dimension needs at least one option');
  if (count > options.maxSpecs) {
    throw new UsageError(words`${count} specifications per curve exceed ${option('maxSpecs')} ${options.maxSpecs}, use fewer covariates or options, or raise ${option('maxSpecs')}`);
  }
  const variables = new VariableSet(dataset, options.categorical);
  const vars = variables.list;
  const xs = options.x.map((name) => variables.add(name, option('x')));
  const ys = options.y.map((name) => variables.add(name, option('y')));
  for (const name of options.categorical) dataset.resolve(name, option('categorical'));
  for (const v of [...xs, ...ys]) {
    if (vars[v].forcedCategorical) throw new UsageError(words`${option('categorical')} ${vars[v].name} is also an x or y, which must be numbers`);
    vars[v].categorical = false;
  }
  const notes: Wording[] = [];
  // Each covariate set as variable indices (checked as correlate checks --adjust).
  const sets = dimensions.covariates.map((set) => variables.covariates(set, [...xs, ...ys], 'an x or y', new Map(), notes));
  const union = [...new Set(sets.flat())];
  for (const [name, level] of options.ref) {
    const v = variables.indexOf(dataset.columns[dataset.resolve(name, option('ref'))]);
    if (v === undefined || !union.includes(v)) throw new UsageError(words`${option('ref')} ${name}=${level} names no covariate, use it for a covariate column`);
  }
  const pairs: Array<[number, number]> = [];
  for (const x of xs) for (const y of ys) if (x !== y) pairs.push([x, y]);
  if (pairs.length === 0) throw new UsageError(words`every x equals its y, give different columns in ${option('x')} and ${option('y')}`);

  // Every row, NaN where missing: each specification has its own complete rows.
  const members = vars.map((_, v) => v);
  const [sample] = (await readSample(dataset, { variables, members, complete: [], by: null, idColumn: dataset.columns.indexOf(options.idColumn), needs: '' })).samples;
  const table = sample.columns;
  const ids = sample.ids;

  const held = { table, vars, ids, sets };
  const curves = pairs.map(([x, y]) => curveOf(x, y, held, options));
  if (curves.every((c) => c.specifications.every((s) => s.n === 0))) {
    throw noUsableRows(dataset, 'x, y or a covariate');
  }
  if (dimensions.method.includes('spearman')) notes.push(SPEARMAN_NULL_NOTE);
  const covariates = sets.map((set) => set.map((v) => vars[v].name));
  if (options.mi) {
    await imputedSpecifications(curves, covariates, options, options.mi);
    notes.push(MI_NOTE);
  }
  return { curves, missing: options.mi ? ['listwise', 'mi'] : ['listwise'], covariates, notes };
}

export const MI_NOTE =
  words`The specifications by multiple imputation (missing "mi": correlate ${option('missing')} mi with every x imputed together, pooled by Rubin's rules on Fisher z, influential rows kept) are listed and drawn; the summary and the joint test are over the listwise specifications, since a null resample would have to be imputed again.`;

/**
 * Appends to each curve, per covariate set and method, the specification `correlate --missing mi` gives (one run
 * per set and method, for every x and y at once, on a fresh pass over the input; its seed is the options').
 */
async function imputedSpecifications(curves: Curve[], covariates: string[][], options: RobustnessOptions, mi: NonNullable<RobustnessOptions['mi']>): Promise<void> {
  for (const set of covariates) {
    for (const method of options.dimensions.method) {
      const output = await correlate(await mi.open(), {
        x: options.x,
        y: options.y,
        adjust: set,
        method,
        by: null,
        ciLevel: options.ciLevel,
        alternative: 'two-sided',
        pAdjust: 'none',
        semi: null,
        bootstrap: null,
        seed: mi.missing.seed,
        ref: options.ref,
        categorical: options.categorical,
        listExcluded: false,
        idColumn: options.idColumn,
        missing: mi.missing,
      });
      for (const result of output.results) {
        const curve = curves.find((c) => c.x === result.x && c.y === result.y);
        if (curve === undefined) continue;
        curve.specifications.push({
          covariates: set,
          method,
          influential: 'kept',
          missing: 'mi',
          n: result.n,
          k: result.k,
          r: result.r,
          ci: result.ci,
          p: result.p,
          ...(result.reason ? { reason: result.reason } : {}),
        });
      }
    }
  }
}

interface Held {
  table: RowPicker[];
  vars: Variable[];
  ids: string[];
  sets: number[][];
}

/** Those of `candidates` (held-row indices; every row when null) complete on every variable in `members`. */
function completeRows(table: RowPicker[], members: number[], candidates: Int32Array | null): Int32Array {
  const rows = candidates ?? Int32Array.from({ length: table[0].length }, (_, i) => i);
  const columns = members.map((v) => table[v].pick(rows));
  const out = new Int32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    let complete = true;
    for (let c = 0; c < columns.length && complete; c++) complete = columns[c][i] === columns[c][i];
    if (complete) out[n++] = rows[i];
  }
  return out.slice(0, n);
}

/**
 * The primary model (first covariate set, Pearson, every row complete on it): the design [1, x, covariates] and y,
 * for Cook's distance on the observed data and, in each null resample, on the primary null data.
 */
interface PrimaryModel {
  rows: Int32Array;
  design: Float64Array[];
  names: string[];
  y: Float64Array;
}

function primaryModel(x: number, y: number, held: Held, rows: Int32Array, options: RobustnessOptions): PrimaryModel {
  const coded = codeRows(rows, x, y, held.sets[0], held.vars, { rank: false, ref: options.ref, stratum: null }, held.table, new ColumnPool());
  const columns = coded.columns!;
  const ones = new Float64Array(rows.length).fill(1);
  return { rows, design: [ones, columns[0], ...coded.z.map((j) => columns[j])], names: ['(Intercept)', 'x', ...coded.names], y: columns[1] };
}

/**
 * Rows (indices into the model's rows) whose Cook's distance (R's cooks.distance, Cook 1977) exceeds 4/n in the
 * least-squares fit of y on the design; null when the model has no more rows than coefficients.
 */
function influentialOf(design: Float64Array[], names: string[], y: Float64Array): { rows: number[]; threshold: number } | null {
  const n = y.length;
  if (n <= design.length) return null;
  const threshold = 4 / n;
  const rows: number[] = [];
  cooksDistance(fitOls(design, names, y)).forEach((d, i) => {
    if (d !== null && d > threshold) rows.push(i);
  });
  return { rows, threshold };
}

/**
 * The influential-row rule applied again in each null resample, as the specification defines it: the primary
 * model refitted on the resample (each copy of a drawn row a row) with y replaced by the primary null data
 * y − b·x, and the rows whose Cook's distance exceeds 4/N removed from every "removed" specification. The fit comes
 * from the resample's weighted co-moments (stats/influence.ts), not from the rows again.
 */
class NullInfluence {
  private readonly at: Int32Array;
  /** x, the covariate columns and the null y (the design without its intercept). */
  private readonly columns: Float64Array[];
  private readonly sample: WeightedSample;
  private readonly counts: Int32Array;
  private readonly distances: Float64Array;
  private readonly predictors: number[];

  constructor(model: PrimaryModel, slope: number, positionOf: Int32Array) {
    this.at = Int32Array.from(model.rows, (r) => positionOf[r]);
    const x = model.design[1];
    const yNull = Float64Array.from(model.y, (v, i) => v - slope * x[i]);
    this.columns = [...model.design.slice(1), yNull];
    this.predictors = model.design.slice(1).map((_, j) => j);
    this.sample = new WeightedSample(this.columns, false);
    this.counts = new Int32Array(model.rows.length);
    this.distances = new Float64Array(model.rows.length);
  }

  /** Marks (1) in `out`, by universe position, the rows the rule removes from this resample. */
  flag(counts: Int32Array, out: Uint8Array): void {
    out.fill(0);
    const { at, counts: mine, distances } = this;
    for (let i = 0; i < at.length; i++) mine[i] = counts[at[i]];
    const m = this.sample.moments(mine);
    if (m.n <= this.columns.length) return;
    weightedCooksDistance(m, this.columns, this.predictors, this.columns.length - 1, mine, distances);
    const threshold = 4 / m.n;
    for (let i = 0; i < at.length; i++) if (distances[i] > threshold) out[at[i]] = 1;
  }
}

/** One specification's estimate and, for the joint test, its null sample. */
interface Estimated {
  spec: Specification;
  /** Positions (in the curve's resampling universe) of its rows, and its null data's weighted sample. */
  universe: Int32Array;
  sample: WeightedSample | null;
  z: Int32Array;
  /** Drops, in each resample, the rows the influential-row rule finds there. */
  removes: boolean;
  /** A Pearson specification: its null co-moments are its group's, with y shifted by −b·x; `z` indexes the group's. */
  shared: { group: SharedGroup; slope: number } | null;
}

/**
 * Covariate sets whose rows are the same (all of them, when no covariate is missing): their Pearson
 * specifications share, in each resample, one weighted co-moments of x, y and every covariate of the group
 * (one per influential-row rule), from which each specification's null co-moments follow exactly by
 * CoMoments.shifted (y − b·x), instead of a pass over the rows per specification.
 */
interface SharedGroup {
  sets: number[];
  /** Universe positions of the rows. */
  universe: Int32Array;
  /** The coded covariate columns' names, in the group design's order (after x and y). */
  names: string[];
  /** Per rule (kept, removed): the weighted sample, its counts and this resample's co-moments (null: not yet). */
  samples: [WeightedSample, WeightedSample];
  counts: [Int32Array, Int32Array];
  cached: [CoMoments | null, CoMoments | null];
}

function sharedGroups(x: number, y: number, held: Held, setRows: Int32Array[], positionOf: Int32Array, options: RobustnessOptions): SharedGroup[] {
  const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  const members: number[][] = [];
  setRows.forEach((rows, s) => {
    const found = members.find((g) => same(setRows[g[0]], rows));
    if (found) found.push(s);
    else members.push([s]);
  });
  return members.map((sets) => {
    const rows = setRows[sets[0]];
    const covs = [...new Set(sets.flatMap((s) => held.sets[s]))];
    const coded = codeRows(rows, x, y, covs, held.vars, { rank: false, ref: options.ref, stratum: null }, held.table, new ColumnPool());
    const columns = coded.columns!;
    return {
      sets,
      universe: Int32Array.from(rows, (r) => positionOf[r]),
      names: coded.names,
      samples: [new WeightedSample(columns, false), new WeightedSample(columns, false)],
      counts: [new Int32Array(rows.length), new Int32Array(rows.length)],
      cached: [null, null],
    };
  });
}

function curveOf(x: number, y: number, held: Held, options: RobustnessOptions): Curve {
  const { table, vars, sets } = held;
  const { dimensions } = options;
  // Resampling universe: the rows with x and y present; position of each held row in it.
  const universe = completeRows(table, [x, y], null);
  const positionOf = new Int32Array(table[0].length).fill(-1);
  universe.forEach((r, i) => (positionOf[r] = i));
  const setRows = sets.map((covs) => completeRows(table, covs, universe));

  const influential: Curve['influential'] = { threshold: null, rows: [] };
  const removedRows = new Set<number>();
  const removing = dimensions.influential.includes('removed');
  const model = removing ? primaryModel(x, y, held, setRows[0], options) : null;
  if (model !== null) {
    const found = influentialOf(model.design, model.names, model.y);
    if (found === null) influential.reason = `the primary model has ${model.rows.length} rows for ${model.design.length} coefficients`;
    else {
      for (const i of found.rows) removedRows.add(model.rows[i]);
      influential.threshold = found.threshold;
      influential.rows = found.rows.map((i) => held.ids[model.rows[i]]);
    }
  }

  const estimated: Estimated[] = [];
  const pool = new ColumnPool();
  let nullInfluence: NullInfluence | null = null;
  const groups = sharedGroups(x, y, held, setRows, positionOf, options);
  sets.forEach((covs, s) => {
    // Null data cover every row of the covariate set: a "removed" specification drops, in each resample, the rows
    // the rule finds there (NullInfluence), not the rows it found in the observed data.
    pool.release();
    const all = codeRows(setRows[s], x, y, covs, vars, { rank: false, ref: options.ref, stratum: null }, table, pool);
    const allColumns = all.columns!.map((c) => Float64Array.from(c));
    const allZ = Int32Array.from(all.z);
    const universeAt = Int32Array.from(setRows[s], (r) => positionOf[r]);
    const group = groups.find((g) => g.sets.includes(s))!;
    const sharedZ = Int32Array.from(all.names, (name) => group.names.indexOf(name));
    if (sharedZ.some((j) => j < 0)) throw new Error(`robustness: a covariate column of set ${s} is not in its group's design`);
    for (const rule of dimensions.influential) {
      const rows = rule === 'removed' ? setRows[s].filter((r) => !removedRows.has(r)) : setRows[s];
      const choices = { covariates: covs.map((c) => vars[c].name), influential: rule, missing: 'listwise' as const };
      // The Pearson coding gives bₖ, and its null data serve both methods.
      pool.release();
      const pearson = codeRows(rows, x, y, covs, vars, { rank: false, ref: options.ref, stratum: null }, table, pool);
      const slope = rows.length > 0 ? partialSlope(pearson.moments, 0, 1, pearson.z) : null;
      if (s === 0 && rule === 'kept' && slope !== null && model !== null) nullInfluence = new NullInfluence(model, slope, positionOf);
      for (const method of dimensions.method) {
        const coded = method === 'pearson' ? pearson : codeRows(rows, x, y, covs, vars, { rank: true, ref: options.ref, stratum: null }, table, pool);
        const spec = estimate(coded, rows.length, method, choices, options.ciLevel);
        const removes = rule === 'removed';
        if (spec.r === null || slope === null) estimated.push({ spec, universe: universeAt, sample: null, z: allZ, removes, shared: null });
        else if (method === 'pearson') {
          // Pearson null data from the group's co-moments: y − b·x is a shift of one variable (CoMoments.shifted).
          estimated.push({ spec, universe: universeAt, sample: null, z: Int32Array.from(sharedZ, (j) => j + 2), removes, shared: { group, slope } });
        } else estimated.push({ spec, universe: universeAt, sample: new WeightedSample(nullData(allColumns, slope), true), z: allZ, removes, shared: null });
      }
    }
  });
  // The primary model's kept slope is needed even when the dimensions list no "kept" rule.
  if (model !== null && nullInfluence === null) {
    const primary = codeRows(setRows[0], x, y, sets[0], vars, { rank: false, ref: options.ref, stratum: null }, table, new ColumnPool());
    const slope = setRows[0].length > 0 ? partialSlope(primary.moments, 0, 1, primary.z) : null;
    if (slope !== null) nullInfluence = new NullInfluence(model, slope, positionOf);
  }
  // Generated set by set, rule by rule, method by method: the first is the primary (every dimension's first option).
  const ordered = estimated;
  const specifications = ordered.map((e) => e.spec);

  const defined = specifications.filter((s) => s.r !== null);
  const r = Float64Array.from(defined, (s) => s.r!);
  const p = Float64Array.from(defined, (s) => s.p!);
  const scratch = new Float64Array(specifications.length);
  const observed = summariseCurve(r, p, defined.length, options.alpha, scratch);
  const joint: Curve['joint'] = {
    null_samples: options.nullSamples,
    seed: options.seed,
    median_r_p: null,
    share_significant_p: null,
    stouffer_z: observed?.stouffer_z ?? null,
    stouffer_p: null,
    failed: 0,
  };
  if (observed !== null && options.nullSamples > 0) {
    const progress = options.phase?.(`null resamples, ${vars[x].name} with ${vars[y].name}`) ?? null;
    const nulls = nullSummaries(ordered, universe.length, nullInfluence, options, progress);
    progress?.done();
    joint.failed = nulls.filter((s) => s === null).length;
    Object.assign(joint, jointPValues(observed, nulls));
  }
  let summary: Curve['summary'] = null;
  if (observed !== null) {
    const { stouffer_z: _z, ...rest } = observed;
    summary = rest;
  }
  return { x: vars[x].name, y: vars[y].name, primary: specifications[0], summary, joint, influential, specifications };
}

/** Columns x, y − b·x, covariates: the specification's data with x's effect on y removed. */
function nullData(columns: Float64Array[], slope: number): Float64Array[] {
  const xs = columns[0];
  const ys = columns[1];
  const yNull = new Float64Array(ys.length);
  for (let i = 0; i < ys.length; i++) yNull[i] = ys[i] - slope * xs[i];
  return [Float64Array.from(xs), yNull, ...columns.slice(2).map((c) => Float64Array.from(c))];
}

/** A specification's r, CI and p, exactly as correlate's assemble computes them from the coded variables. */
function estimate(coded: ReturnType<typeof codeRows>, n: number, method: SpecMethod, choices: Omit<Specification, 'method' | 'n' | 'k' | 'r' | 'ci' | 'p'>, ciLevel: number): Specification {
  const base = { ...choices, method, n };
  if (n === 0) return { ...base, k: coded.z.length, r: null, ci: null, p: null, reason: 'no rows with x, y and every covariate present' };
  const partial = partialCorrelation(coded.moments, coded.x, coded.y, coded.z);
  if (partial.r === null) return { ...base, k: partial.k, r: null, ci: null, p: null, reason: partial.reason };
  const test = correlationTest(partial.r, n, partial.k, { ciLevel });
  return { ...base, k: partial.k, r: partial.r, ci: test.ci, p: test.p };
}

/** The curve statistics of each null resample (null when no specification is defined in it). */
function nullSummaries(specs: Estimated[], size: number, influence: NullInfluence | null, options: RobustnessOptions, progress: Progress | null): Array<CurveSummary | null> {
  const rng = createRandom(options.seed);
  const counts = new Int32Array(size);
  const removed = new Uint8Array(size);
  const own = specs.map((e) => new Int32Array(e.sample === null ? 0 : e.universe.length));
  const groups = [...new Set(specs.flatMap((e) => (e.shared ? [e.shared.group] : [])))];
  const r = new Float64Array(specs.length);
  const p = new Float64Array(specs.length);
  const scratch = new Float64Array(specs.length);
  const ws = new PartialWorkspace();
  const removing = influence !== null && specs.some((e) => e.removes);
  /** Counts of a spec's rows in this resample (zero for rows the rule removes, when it removes); their sum. */
  const fill = (universe: Int32Array, removes: boolean, into: Int32Array): void => {
    for (let i = 0; i < universe.length; i++) {
      const at = universe[i];
      into[i] = removes && removing && removed[at] ? 0 : counts[at];
    }
  };
  const out: Array<CurveSummary | null> = [];
  for (let b = 0; b < options.nullSamples; b++) {
    counts.fill(0);
    for (let t = 0; t < size; t++) counts[rng.int(size)]++;
    if (removing) influence!.flag(counts, removed);
    for (const g of groups) g.cached = [null, null];
    let defined = 0;
    for (let j = 0; j < specs.length; j++) {
      const { sample, shared, universe, z, removes } = specs[j];
      let m: CoMoments;
      if (shared !== null) {
        const g = shared.group;
        const rule = removes ? 1 : 0;
        if (g.cached[rule] === null) {
          fill(g.universe, removes, g.counts[rule]);
          g.cached[rule] = g.samples[rule].moments(g.counts[rule]);
        }
        m = g.cached[rule]!.shifted(1, 0, -shared.slope);
      } else if (sample !== null) {
        fill(universe, removes, own[j]);
        m = sample.moments(own[j]);
      } else continue;
      const value = partialR(m, 0, 1, z, 'both', ws);
      if (value === null) continue;
      r[defined] = value;
      p[defined] = correlationP(value, m.n, ws.k);
      defined++;
    }
    out.push(summariseCurve(r, p, defined, options.alpha, scratch));
    progress?.advance(b + 1, options.nullSamples, 'resamples');
  }
  return out;
}
