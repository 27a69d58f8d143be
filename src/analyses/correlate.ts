/**
 * Alliance–outcome correlations: every x with every y, adjusted for covariates, optionally within strata,
 * with the stratum comparisons. Composes src/stats; reads rows from a Dataset in one pass.
 *
 * Sample: listwise deletion per (x, y) analysis over x, y and the covariates (and the stratum): a row enters
 * an analysis when all of them are present. Rows missing the stratum are excluded from every analysis.
 *
 * Covariates: numeric columns enter as they are; categorical ones (text columns, or numeric ones named in
 * --categorical) as 0/1 indicators of each level but the reference, which is the first level in sort order
 * (numbers numerically, text by code point) among the levels present in the analysis sample, unless --ref.
 * Indicators are named as R's model.matrix names them (`sexmale`). A column is categorical when named in
 * --categorical or when its first non-missing value is not a number.
 *
 * Memory: Pearson streams (co-moments per stratum, shared by its analyses: see StreamGroup; constant memory). Spearman and the bootstrap hold the
 * needed columns only (8 bytes a value) plus, per analysis, the indices of the rows it uses.
 */
import { DataError, UsageError } from '../errors';
import type { Dataset } from '../data/dataset';
import type { RowReader } from '../data/row';
import { compareLevels, findLevel } from '../data/levels';
import { Exclusions, Variable, VariableSet } from '../data/variables';
import { ChunkedColumn, ColumnPool, indicator, Int32Column } from '../data/growable';

import { CoMoments, coMomentsOf } from '../stats/moments';
import { partialCorrelation, residualSquares, semiPartialCorrelation, PartialResult } from '../stats/partial';
import { correlationTest, ppcorSemiPartialTest } from '../stats/inference';
import type { Alternative } from '../stats/distributions';
import { pAdjustWithMissing, PAdjustMethod } from '../stats/padjust';
import { fisherDifference, heterogeneity } from '../stats/compare';
import { averageRanks } from '../stats/rank';
import { bootstrapPartial, BootstrapResult } from '../stats/bootstrap';
import type { Progress } from '../data/progress';

export interface CorrelateOptions {
  x: string[];
  y: string[];
  adjust: string[];
  method: 'pearson' | 'spearman';
  by: string | null;
  ciLevel: number;
  alternative: Alternative;
  pAdjust: PAdjustMethod;
  semi: 'x' | 'y' | null;
  bootstrap: number | null;
  seed: number;
  ref: Map<string, string>;
  categorical: Set<string>;
  listExcluded: boolean;
  idColumn: string;
  /** Adds bf10 (JZS Bayes factor) to each result; the function is passed in so only --bayes loads it. */
  bayes?: (n: number, k: number, r2Full: number, r2Reduced: number) => number;
  /** A progress line for a long phase (the bootstrap), or null for none: see data/progress.ts. */
  phase?: (label: string) => Progress | null;
}

export interface CorrelateResult {
  x: string;
  x_role?: string;
  y: string;
  y_role?: string;
  stratum: string | null;
  covariates: string[];
  dropped_covariates: string[];
  k: number;
  n: number;
  excluded: { rows: number; by_reason: Record<string, number>; ids?: string[] };
  df: number | null;
  r: number | null;
  t: number | null;
  p: number | null;
  p_adjusted: number | null;
  ci: [number, number] | null;
  zero_order: { r: number | null; p: number | null; ci: [number, number] | null };
  semi?: {
    residualised: string;
    r: number | null;
    ppcor: { t: number; df: number; p: number } | null;
    unique: { t: number; df: number; p: number } | null;
  };
  bootstrap?: {
    resamples: number;
    failed: number;
    seed: number;
    percentile: [number, number] | null;
    bca: [number, number] | null;
    reason?: string;
  };
  bf10?: number | null;
  reason?: string;
}

export interface Comparison {
  x: string;
  y: string;
  strata: [string, string];
  z: number;
  p: number;
  difference: number;
  ci: [number, number];
}

export interface Heterogeneity {
  x: string;
  y: string;
  q: number;
  df: number;
  p: number;
}

export interface CorrelateOutput {
  results: CorrelateResult[];
  comparisons: Comparison[];
  heterogeneity: Heterogeneity[];
  /** Covariate list as used (the stratifier removed). */
  adjust: string[];
  /** Rows left out of every analysis because the stratum was missing. */
  missingStratum: number;
  /** Notes for the reader (stratifier removed from covariates, …). */
  notes: string[];
}

/** One (x, y, stratum) analysis. */
interface Analysis {
  x: number;
  y: number;
  /** Variables (indices into `vars`) of this analysis: x, y, covariates. */
  members: number[];
  stratum: string | null;
  n: number;
  excluded: Exclusions;
  ids: string[];
  /** Streaming: the stratum's shared co-moments, and this analysis's own slot in them. */
  group: StreamGroup;
  slot: number;
}

/**
 * Streaming co-moments of one stratum, shared by its analyses. Every variable of any analysis has a place in one
 * layout (numeric variables, then an indicator column per categorical level as levels appear). A row complete
 * for every analysis — nearly all of them — is added once to `shared`; a row complete for some analyses only is
 * added to each of those analyses' `own` moments, its missing values (of variables those analyses do not use)
 * set to 0. An analysis's moments are then shared ⊕ own (Chan et al. 1979), exact for its own variables: one
 * update per row instead of one per analysis.
 */
interface StreamGroup {
  /** The stratum's number, in order of first sight (held rows record it: see heldRowsOf). */
  index: number;
  /** Moment index of each numeric variable (−1 for categorical ones). */
  position: Int32Array;
  /** Per categorical covariate: level index → moment index. */
  indicatorIndex: Map<number, Map<number, number>>;
  shared: CoMoments | null;
  own: (CoMoments | null)[];
  buffer: Float64Array;
}

export async function correlate(dataset: Dataset, options: CorrelateOptions): Promise<CorrelateOutput> {
  const variables = new VariableSet(dataset, options.categorical);
  const vars = variables.list;
  const addVar = (name: string, flag: string): number => variables.add(name, flag);
  const xs = options.x.map((name) => addVar(name, '--x'));
  const ys = options.y.map((name) => addVar(name, '--y'));
  for (const name of options.categorical) dataset.resolve(name, '--categorical');
  for (const v of [...xs, ...ys]) {
    if (vars[v].forcedCategorical) throw new UsageError(`--categorical ${vars[v].name} is also an x or y, which must be numbers`);
    vars[v].categorical = false;
  }
  const notes: string[] = [];
  const byVar = options.by === null ? null : addVar(options.by, '--by');
  if (byVar !== null) {
    vars[byVar].categorical = true;
    if (xs.includes(byVar) || ys.includes(byVar)) throw new UsageError(`--by ${options.by} is also an x or y, stratify by another column`);
  }
  const leaving = new Map<number, string>();
  if (byVar !== null) leaving.set(byVar, 'is the stratifier and leaves the covariates');
  const covs = variables.covariates(options.adjust, [...xs, ...ys], 'an x or y', leaving, notes);
  for (const [name, level] of options.ref) {
    const column = dataset.columns[dataset.resolve(name, '--ref')];
    const v = variables.indexOf(column);
    if (v === undefined || !covs.includes(v)) throw new UsageError(`--ref ${name}=${level} names no covariate, use it for a column in --adjust`);
  }

  const held = options.method === 'spearman' || options.bootstrap !== null;
  const pairs: Array<[number, number]> = [];
  for (const x of xs) for (const y of ys) if (x !== y) pairs.push([x, y]);
  if (pairs.length === 0) throw new UsageError('every x equals its y, give different columns in --x and --y');

  const strata = new Map<string | null, Analysis[]>();
  const newAnalyses = (stratum: string | null): Analysis[] => {
    const group: StreamGroup = { index: strata.size, position: new Int32Array(0), indicatorIndex: new Map(), shared: null, own: pairs.map(() => null), buffer: new Float64Array(0) };
    return pairs.map(([x, y], slot) => ({
      x,
      y,
      members: [x, y, ...covs],
      stratum,
      n: 0,
      excluded: new Exclusions(),
      ids: [],
      group,
      slot,
    }));
  };
  if (byVar === null) strata.set(null, newAnalyses(null));

  // Held table: one growable column per variable, NaN for missing, level index for categorical values, and
  // (with --by) each row's stratum. An analysis's rows are found in it when it is finished (heldRowsOf): no
  // list of rows per analysis is kept while reading.
  const table = held ? vars.map(() => new ChunkedColumn()) : [];
  const heldStrata = held && byVar !== null ? new Int32Column() : null;
  const idColumn = dataset.columns.indexOf(options.idColumn);
  let missingStratum = 0;
  let heldRows = 0;
  const values = new Float64Array(vars.length);

  const idOf = (row: RowReader) => (idColumn >= 0 ? row.text(idColumn) : `line ${row.line}`);

  await dataset.forEach((row) => {
    const analyses = variables.groupOf(row, byVar, strata, newAnalyses);
    if (analyses === null) {
      missingStratum++;
      return;
    }
    // Indexed loops here and below: a short run executes this before V8 optimises it, where for…of costs an
    // iterator object per step.
    for (let v = 0; v < vars.length; v++) values[v] = v === byVar ? 0 : variables.read(row, v);
    if (held) {
      for (let v = 0; v < vars.length; v++) table[v].push(values[v]);
      heldStrata?.push(analyses[0].group.index);
      heldRows++;
    }
    let all = true;
    let any = false;
    for (let i = 0; i < analyses.length; i++) {
      const a = analyses[i];
      const members = a.members;
      let missing: string[] | null = null;
      for (let m = 0; m < members.length; m++) if (values[members[m]] !== values[members[m]]) (missing ??= []).push(vars[members[m]].name);
      if (missing !== null) {
        a.excluded.add(missing);
        all = false;
        if (options.listExcluded) a.ids.push(idOf(row));
        continue;
      }
      a.n++;
      any = true;
    }
    // A row some analysis uses has every covariate, so each covariate's kind is known by then.
    if (!held && any) addStreaming(analyses, all, values, vars, covs);
  });

  if (byVar !== null && strata.size === 0) {
    throw new DataError(`no rows with a value of ${vars[byVar].name} to stratify by, ${dataset.input.source}`);
  }
  if (byVar !== null && strata.size === 1) {
    throw new UsageError(
      `--by ${options.by} has one level (${[...strata.keys()][0]}) in the rows used, stratify by a column with at least two levels`,
    );
  }
  const all = [...strata.entries()].sort(([a], [b]) => compareLevels(a ?? '', b ?? ''));
  if (all.every(([, analyses]) => analyses.every((a) => a.n === 0))) {
    throw new DataError(
      `no usable rows: every row misses x, y or a covariate${dataset.whereText ? ` (after --where ${dataset.whereText})` : ''}, ${dataset.input.source}`,
    );
  }

  const results: CorrelateResult[] = [];
  const pool = new ColumnPool();
  const rows = new Int32Array(held ? heldRows : 0);
  const resultFor = new Map<Analysis, CorrelateResult>();
  for (let p = 0; p < pairs.length; p++) {
    for (const [, analyses] of all) {
      const a = analyses[p];
      const result = finish(a, vars, covs, options, held ? { table, strata: heldStrata?.view() ?? null, pool, rows } : null, dataset);
      results.push(result);
      resultFor.set(a, result);
    }
  }
  const adjusted = pAdjustWithMissing(results.map((r) => r.p), options.pAdjust);
  results.forEach((r, i) => (r.p_adjusted = adjusted[i]));

  const comparisons: Comparison[] = [];
  const heterogeneities: Heterogeneity[] = [];
  if (byVar !== null) {
    for (let p = 0; p < pairs.length; p++) {
      const usable = all
        .map(([level, analyses]) => ({ level: level!, result: resultFor.get(analyses[p])! }))
        .filter(({ result }) => result.r !== null && Math.abs(result.r) < 1);
      for (let i = 0; i < usable.length; i++) {
        for (let j = i + 1; j < usable.length; j++) {
          const a = usable[i].result;
          const b = usable[j].result;
          const d = fisherDifference({ r: a.r!, n: a.n, k: a.k }, { r: b.r!, n: b.n, k: b.k }, options.ciLevel);
          comparisons.push({ x: a.x, y: a.y, strata: [usable[i].level, usable[j].level], ...d });
        }
      }
      if (usable.length > 2) {
        const h = heterogeneity(usable.map(({ result }) => ({ r: result.r!, n: result.n, k: result.k })));
        heterogeneities.push({ x: usable[0].result.x, y: usable[0].result.y, ...h });
      }
    }
  }
  return {
    results,
    comparisons,
    heterogeneity: heterogeneities,
    adjust: covs.map((c) => vars[c].name),
    missingStratum,
    notes,
  };
}

/**
 * Adds a row to a stratum's streaming co-moments (see StreamGroup): once to `shared` when every analysis can use
 * it, else to the `own` moments of each analysis that can. Indicator columns grow as new levels appear.
 */
function addStreaming(analyses: Analysis[], all: boolean, values: Float64Array, vars: Variable[], covs: number[]): void {
  const group = analyses[0].group;
  // Laid out on the first row an analysis uses, when every covariate's kind is known (x and y are numeric).
  if (group.position.length === 0) {
    group.position = new Int32Array(vars.length).fill(-1);
    let next = 0;
    for (let v = 0; v < vars.length; v++) {
      const used = analyses.some((a) => a.x === v || a.y === v) || covs.includes(v);
      if (used && !vars[v].categorical) group.position[v] = next++;
    }
    for (const c of covs) if (vars[c].categorical) group.indicatorIndex.set(c, new Map());
    group.buffer = new Float64Array(next);
  }
  let buffer = group.buffer;
  const position = group.position;
  for (let v = 0; v < position.length; v++) {
    const at = position[v];
    if (at >= 0) buffer[at] = values[v] === values[v] ? values[v] : 0;
  }
  for (const [c, map] of group.indicatorIndex) {
    for (const at of map.values()) buffer[at] = 0;
    const level = values[c];
    if (level !== level) continue;
    let at = map.get(level);
    if (at === undefined) {
      // A new level: a new column in every moments of the group (all rows so far had 0 in it).
      at = buffer.length;
      for (const m of [group.shared, ...group.own]) m?.addVariable();
      map.set(level, at);
      const grown = new Float64Array(at + 1);
      grown.set(buffer);
      buffer = group.buffer = grown;
    }
    buffer[at] = 1;
  }
  if (all) {
    (group.shared ??= new CoMoments(buffer.length)).add(buffer);
    return;
  }
  for (const a of analyses) {
    // The row counts for analysis a when it was complete there: a.n was just incremented for it.
    if (!rowCompleteFor(a, values)) continue;
    (group.own[a.slot] ??= new CoMoments(buffer.length)).add(buffer);
  }
}

function rowCompleteFor(a: Analysis, values: Float64Array): boolean {
  const members = a.members;
  for (let m = 0; m < members.length; m++) if (values[members[m]] !== values[members[m]]) return false;
  return true;
}

/** The co-moments of one analysis's rows: the stratum's shared ones merged with the analysis's own. */
function momentsOf(a: Analysis): CoMoments {
  const { shared, own, buffer } = a.group;
  const mine = own[a.slot];
  if (shared === null) return mine ?? new CoMoments(buffer.length);
  const merged = shared.clone();
  if (mine !== null) merged.merge(mine);
  return merged;
}

interface Coded {
  moments: CoMoments;
  /** Moment indices of x and y. */
  x: number;
  y: number;
  /** Moment indices of the covariate columns, in R's model-matrix order. */
  z: number[];
  names: string[];
  /** Columns (held mode), for the bootstrap. */
  columns: Float64Array[] | null;
}

/** Reference level of a categorical covariate among the levels present. */
function referenceLevel(variable: Variable, present: number[], options: CorrelateOptions): number {
  const sorted = [...present].sort((a, b) => compareLevels(variable.levelNames[a], variable.levelNames[b]));
  const wanted = options.ref.get(variable.name);
  if (wanted === undefined) return sorted[0];
  const level = findLevel(variable.levels, wanted);
  if (level === undefined || !present.includes(level)) {
    throw new UsageError(
      `--ref ${variable.name}=${wanted}: no such level in the rows used (levels: ${sorted.map((l) => variable.levelNames[l]).join(', ')})`,
    );
  }
  return level;
}

/** Covariate coding of one analysis, from its stratum's streamed co-moments. */
function codeStreaming(a: Analysis, vars: Variable[], covs: number[], options: CorrelateOptions): Coded {
  const group = a.group;
  const moments = momentsOf(a);
  // x and y first, as the held coding has them: the partial machinery takes indices.
  const z: number[] = [];
  const names: string[] = [];
  for (const c of covs) {
    const variable = vars[c];
    if (!variable.categorical) {
      z.push(group.position[c]);
      names.push(variable.name);
      continue;
    }
    const map = group.indicatorIndex.get(c) ?? new Map<number, number>();
    // Levels present in this analysis's rows: those whose indicator column is not all zero there.
    const present = [...map.keys()].filter((level) => moments.n > 0 && moments.mean[map.get(level)!] > 0);
    if (present.length === 0) continue;
    const ref = referenceLevel(variable, present, options);
    for (const level of present.sort((p, q) => compareLevels(variable.levelNames[p], variable.levelNames[q]))) {
      if (level === ref) continue;
      z.push(map.get(level)!);
      names.push(variable.name + variable.levelNames[level]);
    }
  }
  return { moments, x: group.position.length ? group.position[a.x] : 0, y: group.position.length ? group.position[a.y] : 1, z, names, columns: null };
}

/** The held data: a column per variable, each row's stratum (with --by), scratch columns and a row buffer. */
interface Held {
  table: ChunkedColumn[];
  strata: Int32Array | null;
  pool: ColumnPool;
  rows: Int32Array;
}

/**
 * Indices (into the held table) of the rows an analysis uses, in file order: those of its stratum with a value
 * of each of its variables — the rows counted in a.n while reading. Written into `held.rows`.
 */
function heldRowsOf(a: Analysis, held: Held): Int32Array {
  const { table, strata, rows } = held;
  const stratum = a.group.index;
  let n = 0;
  for (let k = 0; k < table[a.x].chunkCount; k++) {
    const columns = a.members.map((v) => table[v].chunk(k));
    const start = k * ChunkedColumn.CHUNK;
    for (let j = 0; j < columns[0].length; j++) {
      if (strata !== null && strata[start + j] !== stratum) continue;
      let complete = true;
      for (let c = 0; c < columns.length && complete; c++) complete = columns[c][j] === columns[c][j];
      if (complete) rows[n++] = start + j;
    }
  }
  if (n !== a.n) throw new Error(`held rows of ${a.x}–${a.y}: found ${n}, counted ${a.n}`);
  return rows.subarray(0, n);
}

/** Covariate coding of one analysis from the held table (ranked for Spearman). */
function codeHeld(a: Analysis, vars: Variable[], covs: number[], options: CorrelateOptions, held: Held): Coded {
  const { table, pool } = held;
  const rows = heldRowsOf(a, held);
  pool.release();
  const column = (v: number) => table[v].pick(rows, pool.take(rows.length));
  const rank = options.method === 'spearman';
  // Spearman ranks each column in place: one copy per column of the analysis sample, and one scratch column
  // for the sorted copy each ranking needs (reused, not a new array per column).
  const scratch = rank ? pool.take(rows.length) : null;
  const ranked = (values: Float64Array) => (scratch !== null ? averageRanks(values, values, scratch) : values);
  const columns: Float64Array[] = [ranked(column(a.x)), ranked(column(a.y))];
  const z: number[] = [];
  const names: string[] = [];
  for (const c of covs) {
    const variable = vars[c];
    const values = column(c);
    if (!variable.categorical) {
      z.push(columns.length);
      columns.push(ranked(values));
      names.push(variable.name);
      continue;
    }
    const present = [...new Set(values)];
    if (present.length === 0) continue;
    const ref = referenceLevel(variable, present, options);
    for (const level of present.sort((p, q) => compareLevels(variable.levelNames[p], variable.levelNames[q]))) {
      if (level === ref) continue;
      z.push(columns.length);
      columns.push(indicator(values, level, pool.take(rows.length)));
      names.push(variable.name + variable.levelNames[level]);
    }
  }
  return { moments: coMomentsOf(columns), x: 0, y: 1, z, names, columns };
}

function finish(
  a: Analysis,
  vars: Variable[],
  covs: number[],
  options: CorrelateOptions,
  held: Held | null,
  dataset: Dataset,
): CorrelateResult {
  const coded = held ? codeHeld(a, vars, covs, options, held) : codeStreaming(a, vars, covs, options);
  const xName = vars[a.x].name;
  const yName = vars[a.y].name;
  const xRole = dataset.roleOf(options.x.find((n) => dataset.columnName(n) === xName) ?? xName);
  const yRole = dataset.roleOf(options.y.find((n) => dataset.columnName(n) === yName) ?? yName);
  const excluded: CorrelateResult['excluded'] = a.excluded.summary();
  if (options.listExcluded) excluded.ids = a.ids;
  const base = {
    x: xName,
    ...(xRole ? { x_role: xRole } : {}),
    y: yName,
    ...(yRole ? { y_role: yRole } : {}),
    stratum: a.stratum,
  };
  const { moments: m, x: xi, y: yi } = coded;
  const partial: PartialResult =
    a.n === 0 ? { r: null, n: 0, k: coded.z.length, dropped: [], reason: 'no rows with x, y and every covariate present' } : partialCorrelation(m, xi, yi, coded.z);
  const dropped = new Set(partial.dropped);
  const keptZ = coded.z.filter((_, i) => !dropped.has(i));
  const result: CorrelateResult = {
    ...base,
    covariates: coded.names.filter((_, i) => !dropped.has(i)),
    dropped_covariates: partial.dropped.map((i) => coded.names[i]),
    k: partial.k,
    n: a.n,
    excluded,
    df: null,
    r: null,
    t: null,
    p: null,
    p_adjusted: null,
    ci: null,
    zero_order: { r: null, p: null, ci: null },
  };
  // Zero-order r on the same rows.
  if (a.n > 0) {
    const zero = partialCorrelation(m, xi, yi, []);
    if (zero.r !== null) {
      const test = correlationTest(zero.r, a.n, 0, { alternative: options.alternative, ciLevel: options.ciLevel });
      result.zero_order = { r: zero.r, p: test.p, ci: test.ci };
    }
  }
  if (partial.r === null) {
    result.reason = partial.reason;
    result.df = a.n - 2 - partial.k > 0 ? a.n - 2 - partial.k : null;
    return result;
  }
  const test = correlationTest(partial.r, a.n, partial.k, { alternative: options.alternative, ciLevel: options.ciLevel });
  Object.assign(result, { df: test.df, r: partial.r, t: test.t, p: test.p, ci: test.ci });
  if (options.semi !== null) {
    const semi = semiPartialCorrelation(m, xi, yi, keptZ, options.semi);
    result.semi = {
      residualised: options.semi === 'x' ? xName : yName,
      r: semi.r,
      ppcor: semi.r === null ? null : ppcorSemiPartialTest(semi.r, a.n, partial.k),
      unique: { t: test.t, df: test.df, p: test.p },
    };
  }
  if (options.bayes) {
    // R²(y | Z) from the residual sum of squares of y; R²(y | x, Z) = 1 − (1 − R²(y | Z))(1 − r²).
    const tss = m.m2[yi * m.p + yi];
    const reduced = tss > 0 ? 1 - residualSquares(m, yi, keptZ) / tss : 0;
    result.bf10 = options.bayes(a.n, partial.k, 1 - (1 - reduced) * (1 - partial.r * partial.r), reduced);
  }
  if (options.bootstrap !== null && coded.columns !== null) {
    const progress = options.phase?.(`bootstrap r(${xName}, ${yName})${a.stratum === null ? '' : `, ${a.stratum}`}`) ?? null;
    const boot: BootstrapResult = bootstrapPartial(coded.columns, 0, 1, keptZ, {
      resamples: options.bootstrap,
      seed: options.seed,
      ciLevel: options.ciLevel,
      ranks: options.method === 'spearman',
      onResample: progress ? (done, total) => progress.advance(done, total, 'resamples') : undefined,
    });
    progress?.done();
    result.bootstrap = {
      resamples: boot.resamples,
      failed: boot.failed,
      seed: options.seed,
      percentile: boot.percentile,
      bca: boot.bca,
      ...(boot.reason ? { reason: boot.reason } : {}),
    };
  }
  return result;
}
