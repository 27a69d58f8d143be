/**
 * Step "expectation": correlate — the expectation variable with every x, adjusted for its own covariates, with BF10.
 */
import type { Block } from '../blocks';
import { BAYES_NOTE, METHOD_NOTE, codedNote, compactList, correlationTable, rowsNote } from '../correlation-text';
import { nextTable, type CorrelateRun, type ReportStep } from '../step';
import { adjusting, capitalise, covariatePhrase, joinAnd, nameOf, rNumbers, strength } from '../wording';

export const expectation: ReportStep<CorrelateRun> = {
  id: 'expectation',
  title: 'Treatment expectation and alliance',
  needs: 'expectation',

  async run(ctx) {
    const { plan } = ctx;
    const e = plan.expectation!;
    const { run, entry } = await ctx.correlate(ctx.correlateOptions({ x: [e.variable], y: plan.x, adjust: e.covariates }));
    return { result: run, entry };
  },

  heading({ run, labels }) {
    return `${capitalise(labels.text(run.plan.expectation!.variable))} and ${labels.text(run.plan.x[0])}`;
  },

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const e = plan.expectation!;
    const results = result.output.results;
    const [first, ...rest] = results;
    const covariates = covariatePhrase(result.output.adjust, labels);
    const lead = first.r === null
      ? `${adjusting(covariates)}, the partial correlation of ${labels.text(e.variable)} with ${labels.text(nameOf(first, 'y'))} could not be estimated (${first.reason}).`
      : `${adjusting(covariates)}, ${labels.text(e.variable)} was ${strength(first.r)} and ${first.r < 0 ? 'negatively' : 'positively'} associated with ${labels.text(nameOf(first, 'y'))}, ${rNumbers(first, plan.ci, plan.p_adjust)} (*n* = ${first.n}).`;
    const more = rest.length ? ` With ${joinAnd(rest.map((r) => labels.text(nameOf(r, 'y'))))}: ${compactList(rest, 'y', labels, plan.ci, plan.p_adjust)}.` : '';
    const footer = [
      `Partial correlations of ${labels.withColumn(e.variable)} with each alliance variable, adjusted for ${result.output.adjust.map((c) => labels.withColumn(c)).join(', ') || 'nothing'}.`,
      ...[codedNote(results)].filter((n): n is string => n !== null),
      METHOD_NOTE(plan.ci, result.output),
      ...(results.some((r) => r.bf10 !== undefined) ? [BAYES_NOTE] : []),
      rowsNote(result.output, 'y', labels),
      ...result.output.notes.map((n) => `Note: ${n}.`),
    ];
    return [
      { kind: 'paragraph', text: lead + more },
      { kind: 'table', spec: correlationTable(nextTable(ctx, `Partial correlations of ${labels.text(e.variable)} with alliance`), results, 'y', labels, plan.ci, plan.p_adjust, footer) },
    ];
  },
};
