/**
 * Missing data by multiple imputation: the set-up every analysis shares (`--missing mi`; analyses take its completed
 * data sets through frame/completed.ts).
 *
 * Order of work: read → score → --where → impute → analyse. `setUpImputation` reads the rows once (readSample, every
 * row kept but those missing a grouping column, which are not read) and turns the
 * analysis variables (x's, y's, covariates, stratifier) and the --auxiliary columns into ImputationColumns at the
 * level of scores (items are scored first with the instruments' rules; a missing score is imputed):
 * - numeric columns are imputed by predictive mean matching, text (or --categorical) columns with two levels as
 *   binary (logistic regression), with more as factors (predictors only: see frame/imputation.ts);
 * - a score that is a function of other scores is passive (mice's `~I()`): a total scored from its subscales
 *   (instrument `"total": "subscales"`: their sum, or mean), or a total over all items when the subscales
 *   partition the items (`"total": true`: the WAI-I total, whose mean of 12 items is Σ (items_s/12)·subscale_s).
 *   Its parts join the imputation even when no analysis names them, and it is recomputed from them where missing;
 * - columns in the file's order (score columns after the input's), whichever command asks: the same variables and
 *   seed give the same imputations in correlate, model and describe;
 * - groups: each level of --impute-by (default `arm` when the file has one with more than one level left), crossed
 *   with the --by strata, is imputed on its own rows (van Buuren 2018, §6.2: imputing the strata together with
 *   the stratifier as a mere predictor would shrink their difference). The grouping columns are not imputed:
 *   rows missing one are left out (counted in `droppedRows`).
 *
 * The completed data sets come one at a time from `imputations` (memory flat in M).
 */
import { DataError, UsageError, option, words } from '../errors';
import type { Dataset } from '../data/dataset';
import { VariableSet } from '../data/variables';
import { checkStratumRef, compareLevels, stratumOrder } from '../data/levels';
import { checkImputable, completedData, ImputationColumn, ImputationError } from './imputation';
import { columnOf, readSample } from './sample';

/** How the missing values are handled (the shared --missing options). */
export interface MissingOptions {
  missing: 'listwise' | 'mi';
  imputations: number;
  iterations: number;
  seed: number;
  auxiliary: string[];
  /** --impute-by column; undefined: `arm` when present with more than one level; null: no grouping (--impute-by none). */
  imputeBy: string | null | undefined;
  /** --mnar-delta: shifts of the imputed outcome values. */
  mnarDelta: MnarDelta[];
  /** --write-imputations DIR. */
  writeImputations: string | null;
}

/** One δ of --mnar-delta: in SDs of the observed outcome, or raw units (`raw:`). */
export interface MnarDelta {
  value: number;
  raw: boolean;
}

/** How the data were imputed (--missing mi), for the output's analysis section. */
export interface ImputationSummary {
  imputations: number;
  iterations: number;
  seed: number;
  impute_by: string | null;
  auxiliary: string[];
  passive: string[];
  /** Missing values per imputation column before imputation. */
  missing: Record<string, number>;
  rows: number;
  /** Rows left out because a grouping column was missing. */
  dropped_rows: number;
  /** Nothing was missing: the result is the listwise one. */
  nothing_missing: boolean;
  /** Missing-data patterns over the analysed variables: which are missing together, in how many rows (most first). */
  patterns: MissingPattern[];
}

export interface MissingPattern {
  /** The analysed variables missing in these rows ([] = complete rows). */
  missing: string[];
  rows: number;
}

export interface ImputationSetUp {
  variables: VariableSet;
  /** The imputation columns (analysed variables, auxiliaries, parts of passive totals) in the file's column order. */
  columns: ImputationColumn[];
  /** Variable index (into variables.list) of each column. */
  variableOf: number[];
  /** Column of a variable index, -1 when it is not imputed (the grouping columns). */
  columnOf: (v: number) => number;
  /** 1-based row number after --where of each row kept. */
  rowIds: Int32Array;
  /** Each row's id as readSample gives it (the id column's text, or `line N`) when the analysis asked for ids, else []. */
  rowNames: string[];
  /** Imputation groups (impute-by × by), undefined when one. */
  groups: { codes: Int32Array; names: string[] } | undefined;
  /** The --by stratum of each row (index into strataNames), null without --by. */
  strata: Int32Array | null;
  strataNames: string[];
  /** The column imputed by (null: none). */
  imputeBy: string | null;
  /** Missing values per column (passive: rows missing the total). */
  missing: number[];
  /** Rows left out because a grouping column was missing. */
  droppedRows: number;
  /** The --auxiliary columns (names). */
  auxiliary: string[];
  patterns: MissingPattern[];
}

/**
 * Reads the rows and lays out the imputation (see the module comment). `analysed` are the variable indices the
 * analysis uses (x's, y's, covariates); `by` the stratifier. Auxiliary columns are added to `variables`.
 */
export async function setUpImputation(
  dataset: Dataset,
  variables: VariableSet,
  spec: { analysed: number[]; by: number | null; ref?: string; idColumn?: number },
  options: MissingOptions,
): Promise<ImputationSetUp> {
  const vars = variables.list;
  const imputed: number[] = [...new Set(spec.analysed)];
  const auxiliary: string[] = [];
  for (const name of options.auxiliary) {
    const v = variables.add(name, option('auxiliary'));
    auxiliary.push(vars[v].name);
    if (v === spec.by) throw new UsageError(words`${option('auxiliary')} ${name} is the ${option('by')} stratifier, which is not imputed; leave it out`);
    if (!imputed.includes(v)) imputed.push(v);
  }
  // Passive totals: their parts join the imputation.
  const passive = new Map<number, { parts: number[]; weights: number[] }>();
  for (const v of [...imputed]) {
    const rule = passiveRule(dataset, vars[v].name);
    if (rule === null) continue;
    const parts = rule.parts.map((name) => variables.add(name, vars[v].flag));
    for (const p of parts) if (!imputed.includes(p)) imputed.push(p);
    passive.set(v, { parts, weights: rule.weights });
  }
  // One order whatever the command: the file's column order, so that correlate, model and describe impute the same
  // variables with the same seed identically (the chain visits the columns in this order).
  imputed.sort((a, b) => vars[a].column - vars[b].column);
  let imputeByVar: number | null = null;
  const imputeByName = options.imputeBy === undefined ? (dataset.has('arm') ? 'arm' : null) : options.imputeBy;
  if (imputeByName !== null) {
    imputeByVar = variables.add(imputeByName, option('imputeBy'));
    // Imputing by the stratifier is what --by does already.
    if (imputeByVar === spec.by) imputeByVar = null;
  }
  if (imputeByVar !== null) {
    if (imputed.includes(imputeByVar)) throw new UsageError(words`${option('imputeBy')} ${imputeByName} is also an analysed or auxiliary variable; impute by another column or ${option('imputeBy')} none`);
    vars[imputeByVar].categorical = true;
  }

  // Read: one column per imputed variable, and the grouping levels; rows missing a grouping column are not read.
  const grouping = [...(spec.by === null ? [] : [spec.by]), ...(imputeByVar === null ? [] : [imputeByVar])];
  const members = [...grouping, ...imputed];
  const read = await readSample(dataset, { variables, members, required: grouping, complete: [], by: null, numbered: true, idColumn: spec.idColumn, needs: '' });
  const sample = read.samples[0];
  const dropped = read.missingStratum;
  const levels = (v: number | null): string[] => {
    if (v === null) return new Array<string>(sample.n).fill('');
    const codes = columnOf(sample, members, v);
    return Array.from(codes, (code) => vars[v].levelNames[code]);
  };
  const groupKey = levels(imputeByVar);
  const stratumLevel = levels(spec.by);
  const values = imputed.map((v) => columnOf(sample, members, v));
  const ids = sample.rows;
  const n = ids.length;
  if (n === 0) throw new DataError(words`no rows to impute${dataset.whereText ? words` after ${option('where')} ${dataset.whereText}` : ''}, ${dataset.input.source}`);

  // Default --impute-by arm only when more than one level is left.
  const byLevels = (keys: string[]) => [...new Set(keys)].sort(compareLevels);
  let imputeBy = imputeByVar === null ? null : vars[imputeByVar].name;
  let groupLevels = byLevels(groupKey);
  if (options.imputeBy === undefined && groupLevels.length < 2) {
    imputeBy = null;
    groupLevels = [''];
    groupKey.fill('');
  }
  // The strata as readSample lists them (the floor's one rule: level order, the reference first), so a stratified
  // result lists its strata in one order under either --missing. The imputation groups keep the plain level order
  // (compareLevels) whatever the reference: the chains run group after group on one random stream, so naming another
  // reference level must not change the imputed values.
  const strataNames = spec.by === null ? [] : [...new Set(stratumLevel)].sort(stratumOrder(vars[spec.by].labelCodes, spec.ref));
  if (spec.by !== null) checkStratumRef(strataNames, vars[spec.by].name, spec.ref);
  const combined = groupKey.map((g, i) => groupName(imputeBy, g, spec.by === null ? null : vars[spec.by].name, stratumLevel[i]));
  const names = [...new Set(combined)].sort(compareLevels);
  const codes = Int32Array.from(combined, (name) => names.indexOf(name));

  const columns: ImputationColumn[] = imputed.map((v, j) => {
    const variable = vars[v];
    const column: ImputationColumn = { name: variable.name, values: values[j], kind: 'numeric' };
    if (variable.categorical) {
      column.levels = variable.levelNames.length;
      column.kind = column.levels === 2 ? 'binary' : 'factor';
    }
    const rule = passive.get(v);
    if (rule) column.passive = { parts: rule.parts.map((p) => imputed.indexOf(p)), weights: rule.weights };
    return column;
  });
  const missing = columns.map((c) => c.values.reduce((s, x) => s + (Number.isNaN(x) ? 1 : 0), 0));
  const groups = names.length > 1 ? { codes, names } : undefined;
  const setUp: ImputationSetUp = {
    variables,
    columns,
    variableOf: imputed,
    columnOf: (v) => imputed.indexOf(v),
    rowIds: ids,
    rowNames: sample.ids,
    groups,
    strata: spec.by === null ? null : Int32Array.from(stratumLevel, (s) => strataNames.indexOf(s)),
    strataNames,
    imputeBy,
    missing,
    droppedRows: dropped,
    auxiliary,
    patterns: missingPatterns(spec.analysed.map((v) => columns[imputed.indexOf(v)])),
  };
  checkGroups(setUp, options);
  return setUp;
}

/** Rows per combination of missing columns (van Buuren 2018, §4.1: the missing-data pattern), most frequent first. */
function missingPatterns(columns: ImputationColumn[]): MissingPattern[] {
  const unique = [...new Set(columns)];
  const counts = new Map<string, MissingPattern>();
  const n = unique[0]?.values.length ?? 0;
  for (let i = 0; i < n; i++) {
    const missing = unique.filter((c) => Number.isNaN(c.values[i])).map((c) => c.name);
    const key = missing.join('\u0000');
    const pattern = counts.get(key);
    if (pattern) pattern.rows++;
    else counts.set(key, { missing, rows: 1 });
  }
  return [...counts.values()].sort((a, b) => b.rows - a.rows || a.missing.length - b.missing.length);
}

function groupName(imputeBy: string | null, level: string, by: string | null, stratum: string): string {
  const parts: string[] = [];
  if (imputeBy !== null) parts.push(`${imputeBy}=${level}`);
  if (by !== null) parts.push(`${by}=${stratum}`);
  return parts.join(', ');
}

/**
 * A variable missing in every row of a group cannot be imputed there (nothing to learn it from): one line naming
 * the group, and suggesting --where on the groups that have it (the WAI-I is blank in the whole waitlist arm of a
 * CanRelax export: `--where arm=app`).
 */
function checkGroups(setUp: ImputationSetUp, options: MissingOptions): void {
  const { columns, groups } = setUp;
  const n = setUp.rowIds.length;
  const names = groups?.names ?? [''];
  for (let g = 0; g < names.length; g++) {
    for (const column of columns) {
      let observed = 0;
      let rows = 0;
      for (let i = 0; i < n; i++) {
        if (groups && groups.codes[i] !== g) continue;
        rows++;
        if (!Number.isNaN(column.values[i])) observed++;
      }
      if (rows === 0 || observed > 0) continue;
      const where = names[g] === '' ? 'in every row' : `in every row of group ${names[g]}`;
      let hint = words`leave it out or use ${option('missing')} listwise`;
      if (setUp.imputeBy !== null && groups) {
        const other = names.find((name, h) => h !== g && hasObserved(column, groups.codes, h));
        const level = other?.split(', ')[0];
        if (level) hint = words`analyse the groups that have it, e.g. ${option('where')} ${level}`;
      }
      throw new ImputationError(words`${column.name} is missing ${where} (${rows} rows): nothing to impute it from; ${hint}`, column.name, names[g] === '' ? null : names[g]);
    }
  }
  // An ImputationError is a DataError (exit 1), naming the column.
  checkImputable(columns, { imputations: options.imputations, iterations: options.iterations, seed: options.seed, groups });
}

function hasObserved(column: ImputationColumn, codes: Int32Array, g: number): boolean {
  for (let i = 0; i < codes.length; i++) if (codes[i] === g && !Number.isNaN(column.values[i])) return true;
  return false;
}

/** Whether any value of an imputation column is missing. */
export function anyMissing(setUp: ImputationSetUp): boolean {
  return setUp.missing.some((m) => m > 0);
}

/** The M completed data sets, one at a time (frame/imputation.ts), each its columns in setUp.columns' order. */
export function imputations(setUp: ImputationSetUp, options: MissingOptions): Generator<Float64Array[]> {
  return completedData(setUp.columns, {
    imputations: options.imputations,
    iterations: options.iterations,
    seed: options.seed,
    groups: setUp.groups,
  });
}

/**
 * The score a total is computed from, when it is a function of other score columns (see the module comment):
 * the part columns' names and the weights w with total = Σ w_s·part_s. Null for any other column.
 */
export function passiveRule(dataset: Dataset, columnName: string): { parts: string[]; weights: number[] } | null {
  const plan = dataset.scoring.columns;
  const total = plan.find((c) => c.name === columnName);
  if (!total || total.subscale !== 'total') return null;
  if (total.parts !== null) {
    const w = total.mode === 'sum' ? 1 : 1 / total.parts.length;
    return { parts: total.parts.map((p) => plan[p].name), weights: total.parts.map(() => w) };
  }
  const subscales = plan.filter((c) => c.instrument === total.instrument && c.timepoint === total.timepoint && c !== total && c.parts === null);
  // The subscales must partition the total's items for the total to be their weighted sum.
  const items = subscales.flatMap((s) => [...s.items]);
  const all = new Set(total.items);
  if (subscales.length === 0 || items.length !== all.size || new Set(items).size !== items.length || !items.every((i) => all.has(i))) return null;
  const weights = subscales.map((s) => (total.mode === 'sum' ? 1 : s.items.length / total.items.length));
  return { parts: subscales.map((s) => s.name), weights };
}

/** How the data were imputed, for an output's analysis section (nothingMissing: the result is the listwise one). */
export function imputationSummary(setUp: ImputationSetUp, options: MissingOptions, nothingMissing: boolean): ImputationSummary {
  return {
    imputations: nothingMissing ? 0 : options.imputations,
    iterations: options.iterations,
    seed: options.seed,
    impute_by: setUp.imputeBy,
    auxiliary: setUp.auxiliary,
    passive: setUp.columns.filter((c) => c.passive).map((c) => c.name),
    missing: Object.fromEntries(setUp.columns.map((c, j) => [c.name, setUp.missing[j]])),
    rows: setUp.rowIds.length,
    dropped_rows: setUp.droppedRows,
    nothing_missing: nothingMissing,
    patterns: setUp.patterns,
  };
}
