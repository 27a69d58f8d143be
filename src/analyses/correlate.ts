/**
 * Alliance–outcome correlations: every x with every y, adjusted for covariates, optionally within strata,
 * with the stratum comparisons. Composes src/stats; reads rows from a Dataset in one pass.
 *
 * Sample: listwise deletion per (x, y) analysis over x, y and the covariates (and the stratum): a row enters
 * an analysis when all of them are present. Rows missing the stratum are excluded from every analysis.
 *
 * Covariates: numeric columns enter as they are; categorical ones (text columns, or numeric ones named in
 * --categorical) treatment-coded over the levels present in the analysis sample, as model and the report's
 * added-variable plots code them: src/data/design.ts (reference level, --ref, level cap, R's names `sexmale`).
 * A column is categorical when named in --categorical or when its first non-missing value is not a number.
 *
 * Engines: Pearson streams (correlate/streaming.ts: co-moments per stratum, shared by its analyses; constant
 * memory). Spearman and the bootstrap hold the needed columns only (correlate/held.ts: 8 bytes a value) plus, per
 * analysis, the indices of the rows it uses. Either engine's coded analysis becomes a result in
 * correlate/assemble.ts; the shared types are in correlate/types.ts.
 */
import { UsageError } from '../errors';
import type { Dataset } from '../data/dataset';
import type { RowReader } from '../data/row';
import { compareLevels } from '../data/levels';
import { noStratum, noUsableRows } from '../frame/sample';
import { Exclusions, VariableSet } from '../data/variables';
import { ChunkedColumn, ColumnPool, Int32Column } from '../data/growable';
import { pAdjustWithMissing } from '../stats/padjust';
import type { Analysis, CorrelateOptions, CorrelateVariables, CorrelateOutput, CorrelateResult, StreamGroup } from './correlate/types';
import { addStreaming, codeStreaming } from './correlate/streaming';
import { codeHeld } from './correlate/held';
import { assemble, compareStrata } from './correlate/assemble';
import { correlateImputed } from './correlate/imputed';

export type { Comparison, CorrelateOptions, CorrelateOutput, CorrelateResult, Heterogeneity } from './correlate/types';

/** The variables of a correlate run, resolved from the options (shared with the --missing mi engine). */
export function correlateVariables(dataset: Dataset, options: CorrelateOptions): CorrelateVariables {
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
  const pairs: Array<[number, number]> = [];
  for (const x of xs) for (const y of ys) if (x !== y) pairs.push([x, y]);
  if (pairs.length === 0) throw new UsageError('every x equals its y, give different columns in --x and --y');
  return { variables, xs, ys, covs, byVar, pairs, notes };
}

export async function correlate(dataset: Dataset, options: CorrelateOptions): Promise<CorrelateOutput> {
  const resolved = correlateVariables(dataset, options);
  if (options.missing && options.missing.missing === 'mi') {
    return correlateImputed(dataset, options, options.missing, resolved);
  }
  const { variables, covs, byVar, pairs, notes } = resolved;
  const vars = variables.list;

  const held = options.method === 'spearman' || options.bootstrap !== null;

  const strata = new Map<string | null, Analysis[]>();
  const newAnalyses = (stratum: string | null): Analysis[] => {
    const group: StreamGroup = { index: strata.size, encoder: null, shared: null, own: pairs.map(() => null) };
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

  if (byVar !== null && strata.size === 0) throw noStratum(dataset, vars[byVar].name);
  if (byVar !== null && strata.size === 1) {
    throw new UsageError(
      `--by ${options.by} has one level (${[...strata.keys()][0]}) in the rows used, stratify by a column with at least two levels`,
    );
  }
  const all = [...strata.entries()].sort(([a], [b]) => compareLevels(a ?? '', b ?? ''));
  if (all.every(([, analyses]) => analyses.every((a) => a.n === 0))) throw noUsableRows(dataset, 'x, y or a covariate');

  const results: CorrelateResult[] = [];
  const pool = new ColumnPool();
  const rows = new Int32Array(held ? heldRows : 0);
  const resultFor = new Map<Analysis, CorrelateResult>();
  for (let p = 0; p < pairs.length; p++) {
    for (const [, analyses] of all) {
      const a = analyses[p];
      const coded = held ? codeHeld(a, vars, covs, options, { table, strata: heldStrata?.view() ?? null, pool, rows }) : codeStreaming(a, vars, covs, options);
      const result = assemble(a, coded, vars, options, dataset);
      results.push(result);
      resultFor.set(a, result);
    }
  }
  const adjusted = pAdjustWithMissing(results.map((r) => r.p), options.pAdjust);
  results.forEach((r, i) => (r.p_adjusted = adjusted[i]));

  const { comparisons, heterogeneity } = byVar !== null ? compareStrata(pairs.length, all, resultFor, options.ciLevel) : { comparisons: [], heterogeneity: [] };
  return {
    results,
    comparisons,
    heterogeneity,
    adjust: covs.map((c) => vars[c].name),
    missingStratum,
    notes,
  };
}
