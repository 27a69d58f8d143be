/**
 * Step "correlations": correlate — every x with y, adjusted for the covariates, with BF10 — and the added-variable
 * residuals (src/analyses/added-variable.ts) drawn as one plot per x; the forest plot when the stratified step does not follow.
 */
import { compareLevels } from '../../data/levels';
import { bounded, fixed } from '../../render/apa';
import { variableFigureFile, type Block, type FigurePlan, type FigureRef } from '../blocks';
import { BAYES_NOTE, METHOD_NOTE, associationSentence, codedNote, compactList, correlationTable, rowsNote } from '../correlation-text';
import { AV_MAX_POINTS, addedVariableSpec } from '../figures';
import { forestBlocks } from '../forest';
import { addedVariables, type AddedVariable } from '../../analyses/added-variable';
import { nextTable, type CorrelateRun, type ReportStep } from '../step';
import { capitalise, covariatePhrase, joinAnd, levelText } from '../wording';
import { sample } from './sample';

export interface CorrelationsResult extends CorrelateRun {
  addedVariables: AddedVariable[];
}

/** File name of an x's added-variable plot: added-variable-<x>.svg. */
export const addedVariableFile = (x: string): string => variableFigureFile('added-variable', x);

export const correlations: ReportStep<CorrelationsResult> = {
  id: 'correlations',
  title: 'Alliance and distress: partial correlations',

  async run(ctx) {
    const { plan } = ctx;
    const { run, entry } = await ctx.correlate(ctx.correlateOptions({}));
    const dataset = await ctx.open();
    const avs = await addedVariables(dataset, { x: plan.x, y: plan.y, covariates: plan.covariates, group: plan.stratifier, idColumn: 'id' });
    return {
      result: { ...run, addedVariables: avs },
      entry: {
        ...entry,
        added_variable: avs.map((av) => ({ x: av.x, column: av.column, n: av.n, slope: av.slope, r: av.r, file: addedVariableFile(av.x) })),
      },
    };
  },

  heading({ run, labels }) {
    const plan = run.plan;
    return `Partial correlations of ${joinAnd(plan.x.map((x) => labels.text(x)))} with ${labels.text(plan.y)}`;
  },

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const results = result.output.results;
    const covariates = covariatePhrase(result.output.adjust, labels);
    const [first, ...rest] = results;
    const paragraphs: Block[] = [{ kind: 'paragraph', text: associationSentence(first, labels, plan.ci, plan.p_adjust, covariates) }];
    if (rest.length) {
      paragraphs.push({ kind: 'paragraph', text: `With the same adjustment: ${compactList(rest, 'x', labels, plan.ci, plan.p_adjust)}.` });
    }
    const footer = [
      `Partial correlations with ${labels.withColumn(plan.y)}, adjusted for ${result.output.adjust.map((c) => labels.withColumn(c)).join(', ') || 'nothing'}.`,
      ...[codedNote(results)].filter((n): n is string => n !== null),
      METHOD_NOTE(plan.ci, result.output),
      ...(results.some((r) => r.bf10 !== undefined) ? [BAYES_NOTE] : []),
      'Zero-order r: on the same rows, unadjusted.',
      rowsNote(result.output, 'x', labels),
      ...result.output.notes.map((n) => `Note: ${n}.`),
    ];
    const blocks: Block[] = [...paragraphs, { kind: 'table', spec: correlationTable(nextTable(ctx, `Partial correlations with ${labels.text(plan.y)}`), results, 'x', labels, plan.ci, plan.p_adjust, footer) }];
    blocks.push(...forestBlocks(ctx, 'correlations', 'overall', result.output));
    // Added-variable plots: the first explained in full, the others in short.
    const refs: FigureRef[] = [];
    const described = ctx.resultOf(sample);
    const groupTitle = plan.stratifier !== null ? labels.text(plan.stratifier) : null;
    for (const av of result.addedVariables) {
      if (av.n === 0) continue;
      const file = addedVariableFile(av.x);
      const x = labels.text(av.x);
      const title = `Added-variable plot: ${x}`;
      const groups = described ? described.output.groups : [...new Set(av.points.map((p) => p.group).filter((g): g is string => g !== null))].sort(compareLevels);
      const numbers = `b = ${fixed(av.slope, 2)}, partial *r* = ${bounded(av.r)}, *n* = ${av.n}`;
      ctx.figures++;
      const sampled = av.points.length > AV_MAX_POINTS ? ` Shown: a random sample of ${AV_MAX_POINTS} of the ${av.n} points (the same on every run); the line and band use all ${av.n}.` : '';
      const caption =
        (refs.length === 0
          ? `*Figure ${ctx.figures}.* Added-variable plot of ${x} and ${labels.text(plan.y)}: both are residuals from regressions on the covariates (${covariates}); the line's slope is the coefficient of ${x} in the model with the covariates, and the correlation of the residuals is the partial correlation (${numbers}). The band is the line's ${levelText(plan.ci)} confidence band, *b* ± *t* × SE(*b*) at each residual of ${x}.${groupTitle ? ` Points are coloured and shaped by ${groupTitle}.` : ''}`
          : `*Figure ${ctx.figures}.* Added-variable plot of ${x} and ${labels.text(plan.y)}, as Figure ${ctx.figures - refs.length} (${numbers}).`) + sampled;
      const ref: FigurePlan = {
        file,
        step: 'correlations',
        title: `Added-variable plot: ${x} and ${labels.text(plan.y)}`,
        alt: `Scatter plot of ${x} against ${labels.text(plan.y)}, both residualised on the covariates, with the least-squares line`,
        caption,
        spec: addedVariableSpec(av, {
          title,
          xTitle: `${capitalise(x)} (residual)`,
          yTitle: `${capitalise(labels.text(plan.y))} (residual)`,
          groupTitle,
          groups,
          ci: plan.ci,
        }),
      };
      ctx.figurePlans.push(ref);
      refs.push(ref);
    }
    if (refs.length) blocks.push({ kind: 'figures', figures: refs });
    return blocks;
  },
};
