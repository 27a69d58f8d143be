/**
 * Step "mediation": mediate — the expectation variable → the first x (alliance) → y, adjusted for the plan's covariates
 * (without the predictor and the mediator), with the plan's bootstrap: paths, a·b with Sobel and bootstrap intervals,
 * the proportion mediated when the total effect is significant.
 */
import { mediate, type MediateOptions, type MediateOutput } from '../../analyses/mediate';
import { ciText, fixed, pPhrase, pValue } from '../../render/apa';
import { mediateDocument, SOBEL_NOTE } from '../../render/mediate';
import type { Block } from '../blocks';
import { body, nextTable, type ReportStep } from '../step';
import { adjusting, capitalise, coefficient, covariatePhrase, levelText } from '../wording';

export interface MediationResult {
  options: MediateOptions;
  output: MediateOutput;
}

export const mediation: ReportStep<MediationResult> = {
  id: 'mediation',
  title: 'Mediation: expectation, alliance and distress',
  needs: 'expectation',

  async run(ctx) {
    const { plan, columnOf } = ctx;
    const x = plan.expectation!.variable;
    const m = plan.x[0];
    const options: MediateOptions = {
      x,
      m,
      y: plan.y,
      adjust: plan.covariates.filter((n) => columnOf(n) !== columnOf(x) && columnOf(n) !== columnOf(m)),
      by: null,
      moderator: null,
      moderate: null,
      categorical: new Set(),
      ref: new Map(),
      resamples: plan.bootstrap.resamples,
      seed: plan.bootstrap.seed,
      ciLevel: plan.ci,
    };
    const dataset = await ctx.open();
    const output = await mediate(dataset, options);
    return { result: { options, output }, entry: body(mediateDocument(output, dataset, options)) };
  },

  heading({ run, labels }) {
    return `Does ${labels.text(run.plan.x[0])} mediate the effect of ${labels.text(run.plan.expectation!.variable)} on ${labels.text(run.plan.y)}?`;
  },

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const { output, options } = result;
    const e = output.mediation[0];
    const [x, m, y] = [labels.text(options.x), labels.text(options.m), labels.text(options.y)];
    if (!e || !e.paths || !e.indirect) return [{ kind: 'paragraph', text: `The mediation ${x} → ${m} → ${y} could not be estimated${e?.reason ? `: ${e.reason}` : ''}.` }];
    const ci = levelText(plan.ci);
    const pathText = (p: { estimate: number; se: number; ci: [number, number]; p: number }) =>
      `*b* = ${coefficient(p.estimate, p.se)}, ${ci} CI ${ciText(p.ci, (v) => coefficient(v, p.se))}, ${pPhrase(p.p).replace(/^p/, '*p*')}`;
    const i = e.indirect;
    const d = (v: number) => coefficient(v, i.se_boot ?? i.sobel.se);
    const excludesZero = (interval: [number, number] | null) => interval !== null && (interval[0] > 0 || interval[1] < 0);
    const verdict = i.ci_bca === null ? 'its bootstrap interval could not be computed' : excludesZero(i.ci_bca) ? 'its BCa interval excludes 0' : 'its BCa interval includes 0';
    const proportion = e.proportion_mediated
      ? ` The proportion mediated was ${fixed(e.proportion_mediated.estimate, 2)}, BCa ${ci} CI ${ciText(e.proportion_mediated.ci_bca, (v) => fixed(v, 2))}.`
      : ` The proportion mediated *a*·*b*/*c* is not reported: the total effect was not significant (${pPhrase(e.paths.c.p).replace(/^p/, '*p*')}), and the ratio is unstable when *c* may be 0.`;
    const text =
      `${adjusting(covariatePhrase(output.adjust, labels))} (*n* = ${e.n}), ${x} predicted ${m} (path *a*: ${pathText(e.paths.a)}) and ${m} predicted ${y} given ${x} (path *b*: ${pathText(e.paths.b)}). ` +
      `The total effect of ${x} on ${y} was ${pathText(e.paths.c)}; the direct effect ${pathText(e.paths.c_prime)}. ` +
      `The indirect effect *a*·*b* was ${d(i.estimate)}, bootstrap ${ci} CI ${ciText(i.ci_percentile, d)} (percentile) and ${ciText(i.ci_bca, d)} (BCa): ${verdict}` +
      ` (Sobel *z* = ${fixed(i.sobel.z)}, ${pPhrase(i.sobel.p).replace(/^p/, '*p*')}, a normal-theory test).` +
      proportion;
    const row = (label: string, p: { estimate: number; se: number; t: number; p: number; ci: [number, number] }) => [label, coefficient(p.estimate, p.se), coefficient(p.se, p.se), fixed(p.t), pValue(p.p), ciText(p.ci, (v) => coefficient(v, p.se))];
    const rows = [
      row(`a (${options.x} → ${options.m})`, e.paths.a),
      row(`b (${options.m} → ${options.y})`, e.paths.b),
      row('c (total)', e.paths.c),
      row('c′ (direct)', e.paths.c_prime),
      ['a·b (indirect)', d(i.estimate), d(i.sobel.se), fixed(i.sobel.z), pValue(i.sobel.p), `${ciText(i.ci_bca, d)} BCa`],
      ...(e.proportion_mediated ? [['a·b / c', fixed(e.proportion_mediated.estimate, 2), '', '', '', `${ciText(e.proportion_mediated.ci_bca, (v) => fixed(v, 2))} BCa`]] : []),
    ];
    return [
      { kind: 'paragraph', text },
      {
        kind: 'table',
        spec: {
          title: nextTable(ctx, `Mediation: ${capitalise(x)} → ${m} → ${y}`),
          head: ['Effect', 'b', 'SE', 't / z', 'p', `${ci} CI`],
          rows,
          numeric: [false, true, true, true, true, true],
          footer: [
            `Paths by OLS on the same ${e.n} rows (c = c′ + a·b): a ${output.formulas.a}; b, c′ ${output.formulas.b}; c ${output.formulas.c}.`,
            `${SOBEL_NOTE}. Indirect-effect interval: bootstrap BCa (jackknife acceleration), ${options.resamples} resamples, seed ${options.seed}; percentile ${ciText(i.ci_percentile, d)}.`,
            `Listwise deletion: ${e.excluded.rows} rows excluded${e.excluded.rows ? ` (${Object.entries(e.excluded.by_reason).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}.`,
            ...e.notes.map((n) => `Note: ${n}.`),
            ...output.notes.map((n) => `Note: ${n}.`),
          ],
        },
      },
    ];
  },
};
