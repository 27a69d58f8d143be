/**
 * Step "stratified": correlate --by <stratifier> — the partial correlations within each stratum, with the Fisher z
 * tests of their differences; the forest plot (overall and by stratum) when no correlation step follows.
 */
import { bounded, ciText, fixed, pPhrase, pValue } from '../../render/apa';
import type { Block } from '../blocks';
import { BAYES_NOTE, METHOD_NOTE, correlationTable, rowsNote } from '../correlation-text';
import { forestBlocks } from '../forest';
import { nextTable, type CorrelateRun, type ReportStep } from '../step';
import { adjusting, capitalise, covariatePhrase, levelText, rNumbers, stratumPhrase } from '../wording';

export const stratified: ReportStep<CorrelateRun> = {
  id: 'stratified',
  title: 'Partial correlations by stratum',
  needs: 'stratifier',

  async run(ctx) {
    const { run, entry } = await ctx.correlate(ctx.correlateOptions({ by: ctx.plan.stratifier }));
    return { result: run, entry };
  },

  heading({ run, labels }) {
    return `Partial correlations by ${labels.text(run.plan.stratifier!)}`;
  },

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const stratifier = plan.stratifier!;
    const results = result.output.results;
    const x0 = labels.column(plan.x[0]);
    const primary = results.filter((r) => r.x === x0);
    const covariates = covariatePhrase(result.output.adjust, labels);
    const parts = primary.map((r) => `${stratumPhrase(r.stratum ?? '', stratifier, labels, r.n)} ${r.r === null ? `not estimable (${r.reason})` : rNumbers(r, plan.ci, plan.p_adjust)}`);
    const comparisons = result.output.comparisons;
    const c0 = comparisons.filter((c) => c.x === x0);
    const diff = c0.map(
      (c) => `the difference (${c.strata[0]} − ${c.strata[1]}) was ${bounded(c.difference)}, ${levelText(plan.ci)} CI ${ciText(c.ci)}, *z* = ${fixed(c.z)}, ${pPhrase(c.p).replace(/^p/, '*p*')}`,
    );
    const text =
      `Within each level of ${labels.text(stratifier)}, ${adjusting(covariates).replace(/^./, (c) => c.toLowerCase())}, the partial correlation of ${labels.text(plan.x[0])} with ${labels.text(plan.y)} was: ${parts.join('; ')}. ` +
      (diff.length ? `${capitalise(diff.join('; '))} (Fisher z test of independent correlations, interval by Zou 2007).` : '');
    const others = comparisons.filter((c) => c.x !== x0);
    const blocks: Block[] = [{ kind: 'paragraph', text }];
    if (others.length) {
      blocks.push({
        kind: 'paragraph',
        text: `For the other variables, the stratum differences were: ${others.map((c) => `${labels.text(c.x)} ${bounded(c.difference)}, ${levelText(plan.ci)} CI ${ciText(c.ci)}, ${pPhrase(c.p).replace(/^p/, '*p*')}`).join('; ')}.`,
      });
    }
    const footer = [
      `Partial correlations with ${labels.withColumn(plan.y)} within each level of ${labels.column(stratifier)}, adjusted for ${result.output.adjust.map((c) => labels.withColumn(c)).join(', ') || 'nothing'}.`,
      METHOD_NOTE(plan.ci, result.output),
      ...(results.some((r) => r.bf10 !== undefined) ? [BAYES_NOTE] : []),
      `Rows without a value of ${labels.column(stratifier)}: ${result.output.missingStratum}.`,
      rowsNote(result.output, 'x', labels, labels.column(stratifier)),
      ...result.output.notes.map((n) => `Note: ${n}.`),
    ];
    blocks.push({
      kind: 'table',
      spec: correlationTable(nextTable(ctx, `Partial correlations with ${labels.text(plan.y)} by ${labels.text(stratifier)}`), results, 'x', labels, plan.ci, plan.p_adjust, footer, {
        stratum: capitalise(labels.text(stratifier)),
      }),
    });
    if (comparisons.length) {
      blocks.push({
        kind: 'table',
        spec: {
          title: nextTable(ctx, `Differences between the strata`),
          head: ['Variable', 'Strata', 'r₁ − r₂', `${levelText(plan.ci)} CI`, 'z', 'p'],
          rows: comparisons.map((c) => [labels.table(c.x), `${c.strata[0]} − ${c.strata[1]}`, bounded(c.difference), ciText(c.ci), fixed(c.z), pValue(c.p)]),
          numeric: [false, false, true, true, true, true],
          footer: [
            'z: Fisher z test of two independent partial correlations (each on n − 3 − k); interval for the difference by Zou (2007).',
            ...result.output.heterogeneity.map((h) => `Heterogeneity across all strata, ${h.x}: Q(${h.df}) = ${fixed(h.q)}, ${pPhrase(h.p)}.`),
          ],
        },
      });
    }
    blocks.push(...forestBlocks(ctx, 'stratified', 'strata', result.output));
    return blocks;
  },
};
