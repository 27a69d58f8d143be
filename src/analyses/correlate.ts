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
 * Engines: Spearman and the bootstrap hold the analysis variables' columns (frame/sample.ts readSample: every row
 * of each stratum, 8 bytes a value) plus, per analysis, the indices of the rows it uses (correlate/held.ts codes
 * them). Pearson streams (correlate/streaming.ts: co-moments per stratum, shared by its analyses; constant memory):
 * a second reader of the same rule, tested to agree with the held engine and readSample (test/frame). Either engine's coded analysis becomes a result in
 * correlate/assemble.ts; the shared types are in correlate/types.ts.
 */
import { UsageError, option, words, type GivenIn, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import type { RowReader } from '../data/row';
import { checkStratumRef, stratumOrder } from '../data/levels';
import { noStratum, noUsableRows, readSample, type Sample } from '../frame/sample';
import { Exclusions, VariableSet, type Variable } from '../data/variables';
import { ColumnPool, pickable, type RowPicker } from '../data/growable';
import { pAdjustWithMissing } from '../stats/padjust';
import type { Analysis, CorrelateOptions, CorrelateVariables, CorrelateOutput, CorrelateResult, StreamGroup } from './correlate/types';
import { addStreaming, codeStreaming } from './correlate/streaming';
import { codeRows } from './correlate/held';
import { assemble, compareStrata } from './correlate/assemble';

export { CORRELATE_DEFAULTS, CORRELATE_OPTIONS, correlateOptionsOf } from './correlate/options';
export type { Comparison, CorrelateOptions, CorrelateOutput, CorrelateResult, Heterogeneity } from './correlate/types';

/** The variables of a correlate run, resolved from the options (shared with the --missing mi engine). */
export function correlateVariables(dataset: Dataset, options: CorrelateOptions): CorrelateVariables {
  const variables = new VariableSet(dataset, options.categorical);
  const vars = variables.list;
  const addVar = (name: string, flag: GivenIn): number => variables.add(name, flag);
  const xs = options.x.map((name) => addVar(name, option('x')));
  const ys = options.y.map((name) => addVar(name, option('y')));
  for (const name of options.categorical) dataset.resolve(name, option('categorical'));
  for (const v of [...xs, ...ys]) {
    if (vars[v].forcedCategorical) throw new UsageError(words`${option('categorical')} ${vars[v].name} is also an x or y, which must be numbers`);
    vars[v].categorical = false;
  }
  const notes: Wording[] = [];
  const byVar = options.by === null ? null : addVar(options.by, option('by'));
  if (byVar !== null) {
    vars[byVar].categorical = true;
    if (xs.includes(byVar) || ys.includes(byVar)) throw new UsageError(words`${option('by')} ${options.by} is also an x or y, stratify by another column`);
  }
  const leaving = new Map<number, string>();
  if (byVar !== null) leaving.set(byVar, 'is the stratifier and leaves the covariates');
  const covs = variables.covariates(options.adjust, [...xs, ...ys], 'an x or y', leaving, notes);
  for (const [name, level] of options.ref) {
    const column = dataset.columns[dataset.resolve(name, option('ref'))];
    const v = variables.indexOf(column);
    if (v === undefined || !(covs.includes(v) || v === byVar)) throw new UsageError(words`${option('ref')} ${name}=${level} names no covariate or stratifier, use it for a column in ${option('adjust')} or ${option('by')}`);
  }
  const pairs: Array<[number, number]> = [];
  for (const x of xs) for (const y of ys) if (x !== y) pairs.push([x, y]);
  if (pairs.length === 0) throw new UsageError(words`every x equals its y, give different columns in ${option('x')} and ${option('y')}`);
  return { variables, xs, ys, covs, byVar, pairs, notes };
}

export async function correlate(dataset: Dataset, options: CorrelateOptions): Promise<CorrelateOutput> {
  const resolved = correlateVariables(dataset, options);
  if (options.missing && options.missing.missing === 'mi') {
    // The imputation engine (and the t quantile its pooling needs) is loaded when --missing mi asks for it.
    const { correlateImputed } = await import('./correlate/imputed');
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

  const idColumn = dataset.columns.indexOf(options.idColumn);
  // Held (Spearman, the bootstrap): every row of each stratum through readSample, NaN where missing, and each
  // analysis its complete rows. Pearson: the constant-memory co-moments (correlate/streaming.ts), a second reader of
  // the same rows, shared by the analyses of a stratum.
  const heldRows = new Map<Analysis, Int32Array>();
  const heldTables = new Map<string | null, RowPicker[]>();
  let missingStratum = 0;
  if (held) {
    const members = vars.map((_, v) => v).filter((v) => v !== byVar);
    // Ids only to list the rows left out (--list-excluded).
    const read = await readSample(dataset, { variables, members, complete: [], by: byVar, idColumn: options.listExcluded ? idColumn : undefined, needs: 'x, y or a covariate' });
    missingStratum = read.missingStratum;
    for (const sample of read.samples) {
      const analyses = newAnalyses(sample.stratum);
      strata.set(sample.stratum, analyses);
      const table: RowPicker[] = vars.map((_, v) => (v === byVar ? pickable(new Float64Array(0)) : sample.columns[members.indexOf(v)]));
      heldTables.set(sample.stratum, table);
      for (const a of analyses) heldRows.set(a, completeRows(a, sample, members, vars, options.listExcluded));
    }
  } else {
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
      if (any) addStreaming(analyses, all, values, vars, covs);
    });
    if (byVar !== null && strata.size === 0) throw noStratum(dataset, vars[byVar].name);
  }

  if (byVar !== null && strata.size === 1) {
    throw new UsageError(
      words`${option('by')} ${options.by} has one level (${[...strata.keys()][0]}) in the rows used, stratify by a column with at least two levels`,
    );
  }
  const order = stratumOrder(byVar === null ? undefined : vars[byVar].labelCodes, byVar === null ? undefined : options.ref.get(vars[byVar].name));
  const all = [...strata.entries()].sort(([a], [b]) => order(a ?? '', b ?? ''));
  if (byVar !== null) checkStratumRef(all.map(([level]) => level ?? ''), vars[byVar].name, options.ref.get(vars[byVar].name));
  if (all.every(([, analyses]) => analyses.every((a) => a.n === 0))) throw noUsableRows(dataset, 'x, y or a covariate');

  const results: CorrelateResult[] = [];
  const pool = new ColumnPool();
  const resultFor = new Map<Analysis, CorrelateResult>();
  for (let p = 0; p < pairs.length; p++) {
    for (const [stratum, analyses] of all) {
      const a = analyses[p];
      let coded;
      if (held) {
        pool.release();
        const coding = { rank: options.method === 'spearman', ref: options.ref, stratum: a.stratum };
        coded = codeRows(heldRows.get(a)!, a.x, a.y, covs, vars, coding, heldTables.get(stratum)!, pool);
      } else coded = codeStreaming(a, vars, covs, options);
      const result = await assemble(a, coded, vars, options, dataset, notes);
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

/**
 * The rows of a held sample an analysis uses, in file order (those complete on its x, y and covariates), counted in
 * a.n; the others counted in a.excluded under every variable they lack (and their ids listed when asked).
 */
function completeRows(a: Analysis, sample: Sample, members: number[], vars: Variable[], listExcluded: boolean): Int32Array {
  // Block by block through the held columns (a whole-array copy of each would double them).
  const columns = a.members.map((v) => sample.columns[members.indexOf(v)]);
  const block = new Int32Array(Math.min(COMPLETE_BLOCK, sample.n));
  const buffers = columns.map(() => new Float64Array(block.length));
  const rows = new Int32Array(sample.n);
  for (let start = 0; start < sample.n; start += block.length) {
    const size = Math.min(block.length, sample.n - start);
    for (let t = 0; t < size; t++) block[t] = start + t;
    const values = columns.map((c, m) => c.pick(block.subarray(0, size), buffers[m]));
    for (let t = 0; t < size; t++) {
      let missing: string[] | null = null;
      for (let m = 0; m < values.length; m++) if (values[m][t] !== values[m][t]) (missing ??= []).push(vars[a.members[m]].name);
      if (missing !== null) {
        a.excluded.add(missing);
        if (listExcluded) a.ids.push(sample.ids[start + t]);
        continue;
      }
      rows[a.n++] = start + t;
    }
  }
  return rows.subarray(0, a.n);
}

/** Rows per block in completeRows. */
const COMPLETE_BLOCK = 4096;
