/**
 * Step "robustness" (not in the default plan: it runs in about two seconds on the example, see docs/report.md):
 * the specification curve of every x with y — every subset of the plan's covariates × Pearson, Spearman ×
 * influential rows kept or removed — with the joint test on 500 null resamples seeded by the plan's bootstrap seed.
 * The same as `robustness --x <x's> --y <y> --adjust <covariates> --null-samples 500 --seed <seed>`.
 */
import { robustness, type RobustnessOptions, type RobustnessOutput } from '../../analyses/robustness';
import { covariateSubsets } from '../../analyses/specifications';
import { bounded, percent } from '../../render/apa';
import { curvePhrases, robustnessDocument, summarySpec } from '../../render/robustness';
import { variableFigureFile, type Block, type FigurePlan } from '../blocks';
import { specificationCurveSpec } from '../spec-curve';
import { body, nextTable, type ReportStep } from '../step';
import { joinAnd, levelText } from '../wording';

/** A phrase's statistics in the report's italics: *r*, *p*, *Z*. */
const emphasised = (text: string) => text.replace(/\b(r|p|Z) ([=<>])/g, '*$1* $2');

/** Null resamples of the report's joint test (the command's default). */
export const REPORT_NULL_SAMPLES = 500;

export interface RobustnessStep {
  options: RobustnessOptions;
  output: RobustnessOutput;
}

export const robustnessStep: ReportStep<RobustnessStep> = {
  id: 'robustness',
  title: 'Specification curve',
  optIn: true,

  async run(ctx) {
    const { plan } = ctx;
    const base = ctx.correlateOptions({});
    const options: RobustnessOptions = {
      x: plan.x,
      y: [plan.y],
      dimensions: { covariates: covariateSubsets(plan.covariates), method: ['pearson', 'spearman'], influential: ['kept', 'removed'] },
      nullSamples: REPORT_NULL_SAMPLES,
      seed: plan.bootstrap.seed,
      ciLevel: plan.ci,
      alpha: 0.05,
      maxSpecs: 1024,
      ref: base.ref,
      categorical: base.categorical,
      idColumn: base.idColumn,
      ...(base.phase ? { phase: base.phase } : {}),
    };
    const dataset = await ctx.open();
    const output = await robustness(dataset, options);
    return { result: { options, output }, entry: body(robustnessDocument(output, dataset, options)) };
  },

  write({ options, output }, ctx): Block[] {
    const { labels } = ctx;
    const count = output.curves[0]?.specifications.length ?? 0;
    const sentences = output.curves.map((c) => {
      const name = labels.text(c.x);
      if (c.summary === null) return `For ${name}, no specification could be estimated.`;
      const s = c.summary;
      const words = curvePhrases(c)!;
      return (
        `For ${name}, the median partial *r* was ${bounded(s.median_r)} (range ${bounded(s.min_r)} to ${bounded(s.max_r)}); ` +
        `${percent(s.share_dominant)} of the specifications were ${s.dominant_sign < 0 ? 'negative' : 'positive'} and ${percent(s.share_significant)} significant in that direction ` +
        `(joint tests: ${emphasised(words.median)}; ${emphasised(words.share)}; ${emphasised(words.stouffer)}).`
      );
    });
    const lead =
      `Each correlation was re-estimated under ${count} specifications: every subset of the covariates (${joinAnd((output.covariates[0] ?? []).map((c) => labels.text(c)))}), ` +
      `Pearson and Spearman, and with or without the rows whose Cook's distance in the primary model exceeded 4/*n*. ` +
      `The joint tests compare the curve with ${options.nullSamples} bootstrap resamples of data in which x has no effect (Simonsohn, Simmons & Nelson, 2020).`;
    // One figure per x, each within a journal page (7.2 × 9 in), its variables named as in the other figures.
    const label = (name: string) => labels.table(name);
    const figures: FigurePlan[] = output.curves.map((c, i) => {
      ctx.figures++;
      const title = `Specification curve of ${labels.text(c.x)} with ${labels.text(c.y)}`;
      const words = curvePhrases(c);
      return {
        file: variableFigureFile('specification-curve', options.x[i] ?? c.x),
        step: 'robustness',
        title,
        alt: `Specification curve of ${labels.text(c.x)} with ${labels.text(c.y)}: partial r of every specification, sorted, with ${levelText(options.ciLevel)} confidence intervals, and the choices each makes`,
        caption:
          `*Figure ${ctx.figures}.* ${title}: each point a specification's partial *r* with its ${levelText(options.ciLevel)} CI, sorted; below, the choices it makes; the primary analysis in orange, grey when not significant` +
          (words ? `; ${emphasised(words.median)}, ${emphasised(words.share)}, ${emphasised(words.stouffer)} (${options.nullSamples} null resamples).` : '.'),
        spec: specificationCurveSpec([c], { alpha: options.alpha, title, subtitle: [`${count} specifications; joint p from ${options.nullSamples} null resamples`], label }),
      };
    });
    ctx.figurePlans.push(...figures);
    const table = summarySpec(output, options, nextTable(ctx, 'Specification curves: summary and joint tests'), label);
    return [
      { kind: 'paragraph', text: `${lead} ${sentences.join(' ')}` },
      { kind: 'table', spec: table },
      // One block each: a curve takes the page width (a 7-in figure side by side with another would be unreadable).
      ...figures.map((figure): Block => ({ kind: 'figures', figures: [figure] })),
    ];
  },
};
