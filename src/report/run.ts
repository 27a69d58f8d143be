/**
 * The plan runner behind `report`: completes the plan against the input's header, resolves its variables, then runs
 * the plan's steps in order (each step is a module in steps/, registered in steps/index.ts), each analysis on a fresh
 * pass over the input's rows, read from the file, parsed and typed once (io/input.ts holdInput, data/typed-rows.ts;
 * a Dataset is a one-pass stream over them), by calling the analyses the other commands run —
 * describe, the score summary, correlate, model, power — with the options those commands would build. Nothing is
 * computed here that a command does not compute; the added-variable residuals (src/analyses/added-variable.ts, run by
 * the correlations step) are the one addition, for the figures.
 */
import { named } from '../render/named';
import type { Dataset } from '../data/dataset';
import type { Progress } from '../data/progress';
import { CliError, shownWith, UsageError, Words, type OptionNamer } from '../errors';
import { correlate, CORRELATE_DEFAULTS, correlateOptionsOf, type CorrelateOptions } from '../analyses/correlate';
import { correlateDocument } from '../render/correlate';
import { completePlan, PLAN_KEYS, planKeyName, planValueAt, planValueText, type Plan, type PlanInput } from './plan';
import type { PlanVariable } from './plan-types';
import { body, type ReportRun, type ReportSource, type RunContext } from './step';
import { stepNamed } from './steps';
import { missingOptionsOf } from './steps/missing';

/** A plan completed against the input's header, its variables resolved to columns: what a run would do. */
export interface ResolvedPlan {
  plan: Plan;
  notes: string[];
  variables: Map<string, PlanVariable>;
  /** The first pass, not read (its header only). */
  probe: Dataset;
}

/**
 * The plan completed against the input's header. `name` names the options a message of the lower layers names by key
 * (errors.ts): the plan's keys, or the flags the user gave the report command (cli/report.ts reportNamer).
 */
export async function resolvePlan(
  source: ReportSource,
  input: PlanInput,
  planSource: string | null,
  whereFlag: string | null,
  computeFlag: readonly string[] = [],
  name: OptionNamer = planKeyName,
): Promise<ResolvedPlan> {
  try {
    return await completeAgainst(source, input, planSource, whereFlag, computeFlag);
  } catch (error) {
    if (error instanceof CliError) error.nameOptions(name);
    throw error;
  }
}

async function completeAgainst(source: ReportSource, input: PlanInput, planSource: string | null, whereFlag: string | null, computeFlag: readonly string[]): Promise<ResolvedPlan> {
  // The header tells the defaults (is this a CanRelax export? is there an arm column?) and resolves the names.
  const probe = await source.probe();
  const { plan, notes } = completePlan(input, { has: (n) => probe.has(n), source: probe.input.source, whereFlag, computeFlag, configured: probe.config.file !== null }, planSource);
  const variables = new Map<string, PlanVariable>();
  const resolve = (name: string, key: string): string => {
    const column = probe.columns[probe.resolve(name, new Words([`plan key "${key}"`]))];
    // A role whose column has its name (age, sex, expectation) is still that role.
    const role = probe.roleOf(name) ?? (probe.config.roles.get(name) === column ? name : null);
    const label = probe.labels.own(name, column);
    const words = probe.labels.words(name, column, role);
    variables.set(name, label === undefined ? { name, column, role, words } : { name, column, role, label, words });
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
  return { plan, notes, variables, probe };
}

/**
 * What `report --dry-run` prints: the plan as it would run on this input (title, filter, variables with their columns,
 * steps in order, settings), one fact a line, without running an analysis.
 */
export function describePlan(resolved: ResolvedPlan, planSource: string | null): string[] {
  const { plan, variables, notes } = resolved;
  const named = (name: string) => {
    const column = variables.get(name)?.column ?? name;
    return column === name ? name : `${name} (${column})`;
  };
  const lines = [
    `plan: ${planSource ?? 'the default plan'}`,
    `title: ${plan.title}`,
    `input: ${resolved.probe.input.source} (${resolved.probe.input.format}), ${resolved.probe.inputWidth} columns`,
    `filter: ${plan.where ?? 'none (every row)'}`,
    ...(plan.compute ? [`computed: ${plan.compute.join('; ')}`] : []),
    `x: ${plan.x.map(named).join(', ')}`,
    `y: ${named(plan.y)}`,
    `covariates: ${plan.covariates.map(named).join(', ') || 'none'}`,
    `stratifier: ${plan.stratifier === null ? 'none' : named(plan.stratifier)}`,
    `expectation: ${plan.expectation === null ? 'none' : `${named(plan.expectation.variable)} adjusted for ${plan.expectation.covariates.map(named).join(', ') || 'nothing'}`}`,
    `steps: ${plan.steps.map((id, i) => `${i + 1}. ${id}`).join(', ')}`,
    // Under "mi" the correlations carry no Bayes factor (no pooling rule for one over imputations): said, not "on".
    `bootstrap: ${plan.bootstrap.resamples} resamples, seed ${plan.bootstrap.seed}; ci ${plan.ci}; p adjustment ${plan.p_adjust}; Bayes factors ${!plan.bayes ? 'off' : plan.missing.method === 'mi' ? 'off (no pooling rule under multiple imputation)' : 'on'}`,
  ];
  // The missing-data settings, each under its plan key (the declarations' list: frame/missing-options.ts).
  const missing = PLAN_KEYS.filter((k) => k.path.startsWith('missing.'));
  lines.push(`missing data: ${missing.map((k) => `${k.path.slice('missing.'.length)} ${planValueText(planValueAt(plan, k.path))}`).join('; ')}`);
  if (plan.published !== null) lines.push(`published values: ${plan.published}`);
  if (plan.figure_titles === 'none') lines.push('figure titles: none (left to the captions)');
  for (const note of notes) lines.push(`note: ${note}`);
  return lines;
}

/**
 * `phase` makes a progress line for a long phase (data/progress.ts): the steps, and any bootstrap a step runs. `name`
 * names options in the steps' errors, notes and reasons, as in resolvePlan.
 */
export async function runReport(
  source: ReportSource,
  input: PlanInput,
  planSource: string | null,
  whereFlag: string | null,
  phase?: (label: string) => Progress | null,
  computeFlag: readonly string[] = [],
  name: OptionNamer = planKeyName,
): Promise<ReportRun> {
  const { plan, notes, variables, probe } = await resolvePlan(source, input, planSource, whereFlag, computeFlag, name);

  const columnOf = (name: string) => variables.get(name)!.column;
  const passes: Dataset[] = [];
  const ctx: RunContext = {
    plan,
    columnOf,
    published: source.published,
    async open() {
      const dataset = await source.open(plan.where);
      passes.push(dataset);
      return dataset;
    },
    async openWhere(where) {
      // Not the report's input description (other rows than the plan's).
      return source.open(where);
    },
    // correlate at its declared defaults (analyses/correlate/options.ts), with the plan's variables and settings.
    correlateOptions: (over) => ({
      ...correlateOptionsOf({ ...CORRELATE_DEFAULTS, adjust: plan.covariates, ci: plan.ci, pAdjust: plan.p_adjust }, plan.bootstrap.seed),
      x: plan.x,
      y: [plan.y],
      // Bayes factors have no pooling rule: with missing.method "mi" the correlation steps are pooled without them.
      ...(plan.missing.method === 'mi' ? { missing: missingOptionsOf(plan.missing) } : { bayes: plan.bayes }),
      ...(phase ? { phase } : {}),
      ...over,
    }),
    async correlate(options: CorrelateOptions) {
      const dataset = await ctx.open();
      const output = await correlate(dataset, options);
      return { run: { options, output }, entry: body(correlateDocument(output, dataset, options)) };
    },
  };

  const steps: ReportRun['steps'] = [];
  const entries: ReportRun['entries'] = [];
  const progress = phase?.('report') ?? null;
  for (const [done, id] of plan.steps.entries()) {
    const step = stepNamed(id);
    progress?.advance(done, plan.steps.length, `steps (${id})`);
    try {
      // Notes and reasons name options as the plan does (render/named.ts).
      const { result, entry } = named(await step.run(ctx), name);
      steps.push({ step, result });
      entries.push({ id, title: step.title, ...entry });
    } catch (error) {
      // Say which step failed, and name the options the analyses name by key as the plan names them: the report's
      // user wrote a plan, not flags.
      if (error instanceof CliError) error.nameOptions(name, `step "${id}": `);
      throw error;
    }
  }
  progress?.done();
  // The input as the first pass read it (every pass reads the same rows).
  const first = passes[0];
  const read = first
    ? { source: first.input.source, rows: first.counts.read, rows_kept: first.counts.kept, where: first.whereText }
    : { source: probe.input.source, rows: 0, rows_kept: 0, where: plan.where };
  // Where the scores came from (a file column set aside, or used): said in the notes and the scoring section.
  const said = first ? first.scoreNotes() : [];
  const scores = said.map((n) => shownWith(n.text, name));
  return { plan, notes: [...scores, ...notes], scores, scoreWarnings: said.filter((n) => n.warn).map((n) => shownWith(n.text, name)), source, input: read, variables, steps, entries };
}

function failTwice(key: string, from: string): never {
  throw new UsageError(`plan key "${key}" names one column twice (a role and its column), ${from}; name each variable once`);
}
