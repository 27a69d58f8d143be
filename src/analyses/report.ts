/**
 * The plan runner behind `report`: runs the plan's steps in order, each on a fresh pass over the same input bytes
 * (a Dataset is a one-pass stream), by calling the analyses the other commands run — describe, the score summary,
 * correlate, model, power — with the options those commands would build. Nothing is computed here that a command
 * does not compute; the added-variable residuals (src/report/residuals.ts) are the one addition, for the figures.
 *
 * Steps (src/report/plan.ts):
 *   sample        describe: the analysis variables by stratifier (Table 1);
 *   reliability   score --summary: alpha, item–total r, subscale means and SDs;
 *   correlations  correlate: every x with y adjusted for the covariates, with BF10; added-variable residuals;
 *   stratified    correlate --by stratifier: the same per stratum, with the Fisher z difference tests;
 *   moderation    model: y ~ x1 × stratifier + covariates, simple slopes, diagnostics;
 *   expectation   correlate: the expectation variable with every x, adjusted for its covariates, with BF10;
 *   sensitivity   correlate --method spearman; correlate --bootstrap N --seed S; power at the step's n and k.
 */
import type { Dataset } from '../data/dataset';
import { CliError, UsageError } from '../errors';
import { correlate, type CorrelateOptions, type CorrelateOutput } from './correlate';
import { describe, type DescribeOutput } from './describe';
import { model, type ModelOptions, type ModelOutput } from './model';
import { powerAnalysis, type PowerOptions, type PowerResults } from './power';
import { ScoreSummary, type InstrumentSummary } from './score-summary';
import { correlateDocument } from '../render/correlate';
import { describeDocument } from '../render/describe';
import { modelDocument } from '../render/model';
import { powerDocument } from '../render/power';
import { partialCorrelationBF } from '../stats/bayes';
import { addedVariables, type AddedVariable } from './added-variable';
import { completePlan, STEP_TITLES, type Plan, type PlanInput, type StepId } from '../report/plan';

/** The input, read once: every step opens a fresh Dataset over the same bytes. */
export interface ReportSource {
  /** As given on the command line ('-' for stdin). */
  path: string;
  sha256: string;
  bytes: number;
  /** A fresh Dataset over the input, filtered by `where`. */
  open(where: string | null): Promise<Dataset>;
}

/** A plan variable: the name in the plan, its column, and the role it was typed as (if any). */
export interface Variable {
  name: string;
  column: string;
  role: string | null;
}

export interface CorrelateRun {
  options: CorrelateOptions;
  output: CorrelateOutput;
}

export interface PowerStep {
  alpha: number;
  /** The x whose n and k the detectable r is for (the first x). */
  x: string;
  n: number | null;
  k: number | null;
  detectable: { options: PowerOptions; results: PowerResults } | null;
  observed: Array<{ x: string; r: number | null; options: PowerOptions | null; results: PowerResults | null; reason?: string }>;
  reason?: string;
}

export type StepRun =
  | { id: 'sample'; output: DescribeOutput; vars: string[] }
  | { id: 'reliability'; instruments: InstrumentSummary[]; rows: number; labels: Record<string, string> }
  | ({ id: 'correlations'; addedVariables: AddedVariable[] } & CorrelateRun)
  | ({ id: 'stratified' } & CorrelateRun)
  | { id: 'moderation'; options: ModelOptions; output: ModelOutput }
  | ({ id: 'expectation' } & CorrelateRun)
  | { id: 'sensitivity'; spearman: CorrelateRun; bootstrap: CorrelateRun; power: PowerStep };

export interface ReportRun {
  plan: Plan;
  /** Notes on how the plan was completed (steps left out, --where over the plan's). */
  notes: string[];
  source: ReportSource;
  /** Input description as every pass saw it. */
  input: { source: string; rows: number; rows_kept: number; where: string | null };
  /** Every variable the plan names, by name. */
  variables: Map<string, Variable>;
  steps: StepRun[];
  /** report.json's entries, one per step, in plan order. */
  entries: Array<Record<string, unknown>>;
}

/** Covariate names other than those naming `exclude`'s columns. */
function without(names: string[], exclude: Set<string>, columnOf: (name: string) => string): string[] {
  return names.filter((n) => !exclude.has(columnOf(n)));
}

/** Drops tool/input from a command's document (report.json records them once, in its provenance). */
function body<T extends { tool: unknown; input: unknown }>(document: T): Omit<T, 'tool' | 'input'> {
  const { tool: _tool, input: _input, ...rest } = document;
  return rest;
}

export async function runReport(source: ReportSource, input: PlanInput, planSource: string | null, whereFlag: string | null): Promise<ReportRun> {
  // The header tells the defaults (is this a CanRelax export? is there an arm column?) and resolves the names.
  const probe = await source.open(null);
  const { plan, notes } = completePlan(input, { has: (n) => probe.has(n), source: probe.input.source, whereFlag }, planSource);
  const variables = new Map<string, Variable>();
  const resolve = (name: string, key: string): string => {
    const column = probe.columns[probe.resolve(name, `plan key "${key}"`)];
    // A role whose column has its name (age, sex, expectation) is still that role.
    const role = probe.roleOf(name) ?? (probe.config.roles.get(name) === column ? name : null);
    variables.set(name, { name, column, role });
    return column;
  };
  const xColumns = plan.x.map((n) => resolve(n, 'x'));
  const yColumn = resolve(plan.y, 'y');
  const covColumns = plan.covariates.map((n) => resolve(n, 'covariates'));
  const from = planSource ? `plan ${planSource}` : 'the default plan';
  if (xColumns.includes(yColumn)) throw new UsageError(`plan key "y" (${plan.y}) is also an x, ${from}; name another outcome`);
  if (new Set(xColumns).size !== xColumns.length) failTwice('x', from);
  covColumns.forEach((c, i) => {
    if (c === yColumn || xColumns.includes(c)) {
      throw new UsageError(`plan key "covariates" names ${plan.covariates[i]} (${c}), which is also an x or the y, ${from}; a variable cannot be adjusted for itself`);
    }
  });
  if (new Set(covColumns).size !== covColumns.length) failTwice('covariates', from);
  if (plan.stratifier !== null) resolve(plan.stratifier, 'stratifier');
  if (plan.expectation !== null) {
    const e = plan.expectation;
    const column = resolve(e.variable, 'expectation.variable');
    if (xColumns.includes(column)) throw new UsageError(`plan key "expectation.variable" (${e.variable}) is also an x, ${from}; it is correlated with every x`);
    const covs = e.covariates.map((n) => resolve(n, 'expectation.covariates'));
    covs.forEach((c, i) => {
      if (c === column || xColumns.includes(c)) {
        throw new UsageError(`plan key "expectation.covariates" names ${e.covariates[i]} (${c}), which is the expectation variable or an x, ${from}; drop it`);
      }
    });
  }
  // The probe is not read; drain it so that a file's stream is closed.
  for await (const _batch of probe.input.batches()) void _batch;

  const columnOf = (name: string) => variables.get(name)!.column;
  const bayes = plan.bayes ? (n: number, k: number, r2Full: number, r2Reduced: number) => partialCorrelationBF(n, k, r2Full, r2Reduced) : undefined;
  const correlateOptions = (over: Partial<CorrelateOptions>): CorrelateOptions => ({
    x: plan.x,
    y: [plan.y],
    adjust: plan.covariates,
    method: 'pearson',
    by: null,
    ciLevel: plan.ci,
    alternative: 'two-sided',
    pAdjust: plan.p_adjust,
    semi: null,
    bootstrap: null,
    seed: plan.bootstrap.seed,
    ref: new Map(),
    categorical: new Set(),
    listExcluded: false,
    idColumn: 'id',
    ...(bayes ? { bayes } : {}),
    ...over,
  });

  const state: { counts: ReportRun['input'] | null } = { counts: null };
  const passes: Dataset[] = [];
  const open = async (): Promise<Dataset> => {
    const dataset = await source.open(plan.where);
    passes.push(dataset);
    return dataset;
  };
  const seen = (dataset: Dataset) => {
    if (state.counts === null) state.counts = { source: dataset.input.source, rows: dataset.counts.read, rows_kept: dataset.counts.kept, where: dataset.whereText };
  };
  const runCorrelate = async (options: CorrelateOptions) => {
    const dataset = await open();
    const output = await correlate(dataset, options);
    seen(dataset);
    return { dataset, run: { options, output }, entry: body(correlateDocument(output, dataset, options)) };
  };

  const steps: StepRun[] = [];
  const entries: Array<Record<string, unknown>> = [];
  async function runStep(id: StepId): Promise<void> {
    const head = { id, title: STEP_TITLES[id] };
    switch (id) {
      case 'sample': {
        const vars: string[] = [];
        const columns = new Set<string>(plan.stratifier !== null ? [columnOf(plan.stratifier)] : []);
        for (const name of [...plan.covariates, ...(plan.expectation ? [plan.expectation.variable] : []), ...plan.x, plan.y]) {
          if (!columns.has(columnOf(name))) vars.push(name);
          columns.add(columnOf(name));
        }
        const dataset = await open();
        const output = await describe(dataset, { vars, by: plan.stratifier, categorical: new Set(), idColumn: 'id' });
        seen(dataset);
        steps.push({ id, output, vars });
        entries.push({ ...head, vars, ...body(describeDocument(output, dataset)) });
        break;
      }
      case 'reliability': {
        const dataset = await open();
        const summary = new ScoreSummary(dataset.scoring, dataset.columns, dataset.inputWidth);
        await dataset.forEach((row) => summary.add(row));
        seen(dataset);
        const instruments = summary.result();
        const labels = Object.fromEntries(dataset.instruments.map((d) => [d.id, d.label ?? d.id]));
        steps.push({ id, instruments, rows: dataset.counts.kept, labels });
        entries.push({ ...head, rows: dataset.counts.kept, instruments });
        break;
      }
      case 'correlations': {
        const { run, entry } = await runCorrelate(correlateOptions({}));
        const dataset = await open();
        const avs = await addedVariables(dataset, { x: plan.x, y: plan.y, covariates: plan.covariates, group: plan.stratifier, idColumn: 'id' });
        steps.push({ id, ...run, addedVariables: avs });
        entries.push({
          ...head,
          ...entry,
          added_variable: avs.map((av) => ({ x: av.x, column: av.column, n: av.n, slope: av.slope, r: av.r, file: addedVariableFile(av.x) })),
        });
        break;
      }
      case 'stratified': {
        const { run, entry } = await runCorrelate(correlateOptions({ by: plan.stratifier }));
        steps.push({ id, ...run });
        entries.push({ ...head, ...entry });
        break;
      }
      case 'moderation': {
        const stratifier = plan.stratifier!;
        const options: ModelOptions = {
          y: plan.y,
          x: [plan.x[0]],
          adjust: without(plan.covariates, new Set([columnOf(stratifier)]), columnOf),
          interaction: stratifier,
          by: null,
          categorical: new Set(),
          ref: new Map(),
          robust: null,
          standardize: false,
          ciLevel: plan.ci,
          idColumn: 'id',
          idExplicit: false,
        };
        const dataset = await open();
        const output = await model(dataset, options);
        seen(dataset);
        steps.push({ id, options, output });
        entries.push({ ...head, ...body(modelDocument(output, dataset, options)) });
        break;
      }
      case 'expectation': {
        const e = plan.expectation!;
        const { run, entry } = await runCorrelate(correlateOptions({ x: [e.variable], y: plan.x, adjust: e.covariates }));
        steps.push({ id, ...run });
        entries.push({ ...head, ...entry });
        break;
      }
      case 'sensitivity': {
        const spearman = await runCorrelate(correlateOptions({ method: 'spearman', bayes: undefined }));
        const bootstrap = await runCorrelate(correlateOptions({ bootstrap: plan.bootstrap.resamples, bayes: undefined }));
        const power = powerStep(bootstrap.run.output, plan);
        steps.push({ id, spearman: spearman.run, bootstrap: bootstrap.run, power });
        entries.push({ ...head, spearman: spearman.entry, bootstrap: bootstrap.entry, power: powerEntry(power) });
        break;
      }
    }
  }
  for (const id of plan.steps) {
    try {
      await runStep(id);
    } catch (error) {
      // Say which step failed: the analyses name their own flags (--by, --x), the report's user wrote a plan.
      if (error instanceof CliError) error.message = `step "${id}": ${error.message}`;
      throw error;
    }
  }
  // Every pass read the same bytes (a file rewritten during the run would show here).
  for (const dataset of passes) {
    const sha = dataset.input.sha256();
    if (sha !== null && sha !== source.sha256) {
      throw new UsageError(`${source.path} changed while the report was being made, run the report again on a file that is not being written`);
    }
  }
  return { plan, notes, source, input: state.counts ?? { source: probe.input.source, rows: 0, rows_kept: 0, where: plan.where }, variables, steps, entries };
}

/** power's document without its tool (its `input` is the power question, kept). */
function withoutTool<T extends { tool: unknown }>(document: T): Omit<T, 'tool'> {
  const { tool: _tool, ...rest } = document;
  return rest;
}

function failTwice(key: string, from: string): never {
  throw new UsageError(`plan key "${key}" names one column twice (a role and its column), ${from}; name each variable once`);
}

/** File name of an x's added-variable plot: added-variable-<x>.svg, x reduced to letters, digits, - and _. */
export function addedVariableFile(x: string): string {
  return `added-variable-${x.replace(/[^A-Za-z0-9_-]+/g, '_')}.svg`;
}

/** Detectable r for the first x's n and k, and the power at each x's observed r (Pearson, bootstrap pass rows). */
function powerStep(output: CorrelateOutput, plan: Plan): PowerStep {
  // 1 − 0.95 is 0.050000000000000044 in binary: round to the level as typed.
  const alpha = Number((1 - plan.ci).toPrecision(12));
  const first = output.results[0];
  const step: PowerStep = { alpha, x: first.x_role ?? first.x, n: first.n, k: first.k, detectable: null, observed: [] };
  const options = (n: number, k: number, r: number | null): PowerOptions => ({ n, k, r, power: null, alpha, alternative: 'two-sided' });
  const attempt = (o: PowerOptions): { results: PowerResults | null; reason?: string } => {
    try {
      return { results: powerAnalysis(o) };
    } catch (error) {
      if (error instanceof UsageError) return { results: null, reason: error.message };
      throw error;
    }
  };
  const detectable = attempt(options(first.n, first.k, null));
  if (detectable.results) step.detectable = { options: options(first.n, first.k, null), results: detectable.results };
  else step.reason = detectable.reason;
  for (const r of output.results) {
    const x = r.x_role ?? r.x;
    if (r.r === null) {
      step.observed.push({ x, r: null, options: null, results: null, reason: r.reason ?? 'no partial r' });
      continue;
    }
    const o = options(r.n, r.k, r.r);
    const got = attempt(o);
    step.observed.push({ x, r: r.r, options: o, results: got.results, ...(got.reason ? { reason: got.reason } : {}) });
  }
  return step;
}

function powerEntry(power: PowerStep) {
  return {
    alpha: power.alpha,
    x: power.x,
    n: power.n,
    k: power.k,
    detectable: power.detectable ? withoutTool(powerDocument(power.detectable.options, power.detectable.results)) : null,
    observed: power.observed.map((o) => ({
      x: o.x,
      r: o.r,
      ...(o.options && o.results ? withoutTool(powerDocument(o.options, o.results)) : { input: null, results: null }),
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    ...(power.reason ? { reason: power.reason } : {}),
  };
}

export type { StepId };
