/**
 * The forest plot: the partial correlations of every x with y, overall (step "correlations") and by stratum (step
 * "stratified"), drawn once, after the later of the two steps in the plan. Each of the two steps hands its results
 * on as it is written; the figure goes with the step that comes last.
 */
import type { CorrelateOutput } from '../analyses/correlate';
import type { Block, FigurePlan } from './blocks';
import { forestSpec, type ForestRow } from './figures';
import type { StepId } from './plan-types';
import type { WriteContext } from './step';
import { capitalise, joinAnd, levelText } from './wording';

/** The steps whose results the forest plot shows. */
const FOREST_STEPS: readonly StepId[] = ['correlations', 'stratified'];

interface Shown {
  overall: CorrelateOutput | null;
  strata: CorrelateOutput | null;
}

/** What each report (by its write context) has handed on so far. */
const shownBy = new WeakMap<WriteContext, Shown>();

/** Takes a step's results; gives the forest plot's block when this step is the last forest step of the plan. */
export function forestBlocks(ctx: WriteContext, step: StepId, part: keyof Shown, output: CorrelateOutput): Block[] {
  const shown = shownBy.get(ctx) ?? { overall: null, strata: null };
  shownBy.set(ctx, shown);
  shown[part] = output;
  const last = ctx.run.plan.steps.filter((s) => FOREST_STEPS.includes(s)).pop();
  return step === last ? [forestBlock(ctx, step, shown)] : [];
}

function forestBlock(ctx: WriteContext, step: StepId, shown: Shown): Block {
  const { run, labels } = ctx;
  const plan = run.plan;
  const rows: ForestRow[] = [];
  const overall = shown.overall?.results ?? [];
  const strata = shown.strata?.results ?? [];
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
  // Each row's covariates as that analysis used them: within a stratum the stratifier is constant, so correlate
  // drops it from the covariates, and the strata are adjusted for one fewer than the overall rows.
  const covariates = (output: CorrelateOutput) => (output.adjust.length ? `adjusted for ${joinAnd(output.adjust.map((c) => labels.text(c)))}` : 'unadjusted');
  const subtitle: string[] = [];
  if (shown.overall) subtitle.push(strata.length ? `All: ${covariates(shown.overall)}` : capitalise(covariates(shown.overall)));
  if (shown.strata && strata.length) {
    const strataAdjust = shown.strata.adjust;
    const overallAdjust = shown.overall?.adjust ?? plan.covariates.map((c) => labels.column(c));
    const dropped = overallAdjust.filter((c) => !strataAdjust.includes(c));
    const same = shown.overall !== null && dropped.length > 0 && strataAdjust.every((c) => overallAdjust.includes(c));
    const without = joinAnd(dropped.map((c) => labels.text(c)));
    // Short lines: the figure is as wide as vega's (generous) estimate of its longest subtitle line.
    const line = same ? `the same without ${without} (constant within a stratum)` : `${covariates(shown.strata)}${dropped.length ? ` (not ${without}, constant within a stratum)` : ''}`;
    subtitle.push(`${shown.overall ? 'Strata' : `By ${labels.text(plan.stratifier!)}`}: ${line}`);
  }
  subtitle.push(`Points: partial r; bars: ${levelText(plan.ci)} CIs`);
  const ref: FigurePlan = {
    file: 'forest.svg',
    step,
    title,
    alt: `Forest plot of the partial correlations of ${joinAnd(plan.x.map((x) => labels.text(x)))} with ${y}, with ${levelText(plan.ci)} confidence intervals${strata.length ? `, overall and by ${labels.text(plan.stratifier!)}` : ''}`,
    caption:
      `*Figure ${ctx.figures}.* ${title}${strata.length ? `, overall and by ${labels.text(plan.stratifier!)}` : ''}, ${adjusted}` +
      `${strata.length && adjust.length ? ' (within each stratum, for the other covariates)' : ''}: points are partial *r*${strata.length ? ' (colour and shape by group)' : ''}, bars ${levelText(plan.ci)} confidence intervals (Fisher z), the dashed line *r* = 0; the columns give *r* [${levelText(plan.ci)} CI] and *n* of each row.`,
    spec: forestSpec(rows, { title, subtitle, axisTitle: `Partial r with ${y} (${levelText(plan.ci)} CI)`, ciTitle: `r [${levelText(plan.ci)} CI]`, overall: overall.length ? 'All' : null }),
  };
  ctx.figurePlans.push(ref);
  return { kind: 'figures', figures: [ref] };
}
