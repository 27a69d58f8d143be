/**
 * The forest plot: the partial correlations of every x with y, overall (step "correlations") and by stratum (step
 * "stratified"), drawn once, after the later of the two steps in the plan. Each of the two steps hands its results
 * on as it is written; the figure goes with the step that comes last.
 */
import type { CorrelateResult } from '../analyses/correlate';
import type { Block, FigurePlan } from './blocks';
import { forestSpec, type ForestRow } from './figures';
import type { StepId } from './plan-types';
import type { WriteContext } from './step';
import { joinAnd, levelText } from './wording';

/** The steps whose results the forest plot shows. */
const FOREST_STEPS: readonly StepId[] = ['correlations', 'stratified'];

interface Shown {
  overall: CorrelateResult[] | null;
  strata: CorrelateResult[] | null;
}

/** What each report (by its write context) has handed on so far. */
const shownBy = new WeakMap<WriteContext, Shown>();

/** Takes a step's results; gives the forest plot's block when this step is the last forest step of the plan. */
export function forestBlocks(ctx: WriteContext, step: StepId, part: keyof Shown, results: CorrelateResult[]): Block[] {
  const shown = shownBy.get(ctx) ?? { overall: null, strata: null };
  shownBy.set(ctx, shown);
  shown[part] = results;
  const last = ctx.run.plan.steps.filter((s) => FOREST_STEPS.includes(s)).pop();
  return step === last ? [forestBlock(ctx, step, shown)] : [];
}

function forestBlock(ctx: WriteContext, step: StepId, shown: Shown): Block {
  const { run, labels } = ctx;
  const plan = run.plan;
  const rows: ForestRow[] = [];
  const overall = shown.overall ?? [];
  const strata = shown.strata ?? [];
  for (const x of plan.x) {
    const column = labels.column(x);
    for (const r of overall) if (r.x === column && r.r !== null && r.ci) rows.push({ label: labels.table(x), group: 'All', r: r.r, ci: r.ci, n: r.n });
    for (const r of strata) if (r.x === column && r.r !== null && r.ci) rows.push({ label: labels.table(x), group: r.stratum ?? '', r: r.r, ci: r.ci, n: r.n });
  }
  ctx.figures++;
  const y = labels.text(plan.y);
  const adjust = plan.covariates.map((c) => labels.text(c));
  const title = `Partial correlations with ${y}`;
  const adjusted = adjust.length ? `adjusted for ${joinAnd(adjust)}` : 'unadjusted';
  const subtitle = [`${adjust.length ? `Adjusted for ${adjust.length} covariate${adjust.length === 1 ? '' : 's'}` : 'Unadjusted'}; ${levelText(plan.ci)} CIs${strata.length ? `; by ${labels.text(plan.stratifier!)}` : ''}`];
  const ref: FigurePlan = {
    file: 'forest.svg',
    step,
    title,
    alt: `Forest plot of the partial correlations of ${joinAnd(plan.x.map((x) => labels.text(x)))} with ${y}, with ${levelText(plan.ci)} confidence intervals${strata.length ? `, overall and by ${labels.text(plan.stratifier!)}` : ''}`,
    caption:
      `*Figure ${ctx.figures}.* ${title}${strata.length ? `, overall and by ${labels.text(plan.stratifier!)}` : ''}, ${adjusted}` +
      `${strata.length && adjust.length ? ' (within each stratum, for the other covariates)' : ''}: points are partial *r*, bars ${levelText(plan.ci)} confidence intervals (Fisher z), the dashed line *r* = 0.`,
    spec: forestSpec(rows, { title, subtitle, axisTitle: `Partial r with ${y} (${levelText(plan.ci)} CI)`, overall: overall.length ? 'All' : null }),
  };
  ctx.figurePlans.push(ref);
  return { kind: 'figures', figures: [ref] };
}
