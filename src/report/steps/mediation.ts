/**
 * Step "mediation": mediate — the expectation variable → the first x (alliance) → y, adjusted for the plan's covariates
 * (without the predictor and the mediator), with the plan's bootstrap: paths, a·b with Sobel and bootstrap intervals,
 * the proportion mediated when the total effect is significant. Under the plan's missing.method "mi", mediate's
 * --missing mi with the plan's imputation settings (as the correlation steps): the paths pooled by Rubin's rules, a·b
 * the mean over the imputations, its interval the percentiles of the bootstrap resamples drawn within each completed
 * data set and pooled (MI-then-bootstrap: no BCa, and no proportion mediated), which the text says.
 */
import { mediate, MEDIATE_OPTIONS, mediateOptionsOf, type MediateOptions, type MediateOutput } from '../../analyses/mediate';
import { declaredDefaults } from '../../options';
import { ciText, fixed, pPhrase, pValue } from '../../render/apa';
import { imputationLine } from '../../render/imputation';
import { MI_POOLED_NOTE, mediateDocument, SOBEL_NOTE } from '../../render/mediate';
import type { Block } from '../blocks';
import { body, nextTable, type ReportStep } from '../step';
import { adjusting, capitalise, coefficient, covariatePhrase, levelText } from '../wording';
import { missingOptionsOf } from './missing';

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
    // mediate's options at their declared defaults (analyses/mediate.ts), with what the plan sets.
    const options: MediateOptions = {
      ...mediateOptionsOf(
        {
          ...declaredDefaults(MEDIATE_OPTIONS),
          x,
          m,
          y: plan.y,
          adjust: plan.covariates.filter((n) => columnOf(n) !== columnOf(x) && columnOf(n) !== columnOf(m)),
          bootstrap: plan.bootstrap.resamples,
          ci: plan.ci,
        },
        plan.bootstrap.seed,
      ),
      ...(plan.missing.method === 'mi' ? { missing: missingOptionsOf(plan.missing) } : {}),
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
    // Under missing.method "mi" (and something was imputed): pooled paths, a·b the mean over the imputations with its
    // MI-then-bootstrap percentile interval; otherwise the listwise paths with the BCa interval.
    const imputation = output.imputation !== undefined && !output.imputation.nothing_missing ? output.imputation : null;
    const pathText = (p: { estimate: number; se: number; ci: [number, number]; p: number }) =>
      `*b* = ${coefficient(p.estimate, p.se)}, ${ci} CI ${ciText(p.ci, (v) => coefficient(v, p.se))}, ${pPhrase(p.p).replace(/^p/, '*p*')}`;
    const i = e.indirect;
    const d = (v: number) => coefficient(v, i.se_boot ?? i.sobel.se);
    const [interval, kind] = imputation ? [i.ci_percentile, 'percentile'] : [i.ci_bca, 'BCa'];
    const excludesZero = (range: [number, number] | null) => range !== null && (range[0] > 0 || range[1] < 0);
    const verdict = interval === null ? 'its bootstrap interval could not be computed' : excludesZero(interval) ? `its ${kind} interval excludes 0` : `its ${kind} interval includes 0`;
    const proportion = imputation
      ? ' The proportion mediated *a*·*b*/*c* is not reported: it has no pooling rule over imputations.'
      : e.proportion_mediated
        ? ` The proportion mediated was ${fixed(e.proportion_mediated.estimate, 2)}, BCa ${ci} CI ${ciText(e.proportion_mediated.ci_bca, (v) => fixed(v, 2))}.`
        : ` The proportion mediated *a*·*b*/*c* is not reported: the total effect was not significant (${pPhrase(e.paths.c.p).replace(/^p/, '*p*')}), and the ratio is unstable when *c* may be 0.`;
    const sample = imputation
      ? `*n* = ${e.n}, every row kept and its missing values imputed ${imputation.imputations} times; each path pooled over the imputations by Rubin's rules`
      : `*n* = ${e.n}`;
    const indirect = imputation
      ? `The indirect effect *a*·*b* (the mean of *a*·*b* over the ${imputation.imputations} imputations) was ${d(i.estimate)}, bootstrap ${ci} CI ${ciText(i.ci_percentile, d)} (percentile, from resamples drawn within each completed data set and pooled): ${verdict}`
      : `The indirect effect *a*·*b* was ${d(i.estimate)}, bootstrap ${ci} CI ${ciText(i.ci_percentile, d)} (percentile) and ${ciText(i.ci_bca, d)} (BCa): ${verdict}`;
    const text =
      `${adjusting(covariatePhrase(output.adjust, labels))} (${sample}), ${x} predicted ${m} (path *a*: ${pathText(e.paths.a)}) and ${m} predicted ${y} given ${x} (path *b*: ${pathText(e.paths.b)}). ` +
      `The total effect of ${x} on ${y} was ${pathText(e.paths.c)}; the direct effect ${pathText(e.paths.c_prime)}. ` +
      indirect +
      ` (Sobel *z* = ${fixed(i.sobel.z)}, ${pPhrase(i.sobel.p).replace(/^p/, '*p*')}, a normal-theory test${imputation ? ' on the pooled *a* and *b*' : ''}).` +
      proportion;
    const row = (label: string, p: { estimate: number; se: number; t: number; p: number; ci: [number, number] }) => [label, coefficient(p.estimate, p.se), coefficient(p.se, p.se), fixed(p.t), pValue(p.p), ciText(p.ci, (v) => coefficient(v, p.se))];
    const rows = [
      row(`a (${options.x} → ${options.m})`, e.paths.a),
      row(`b (${options.m} → ${options.y})`, e.paths.b),
      row('c (total)', e.paths.c),
      row('c′ (direct)', e.paths.c_prime),
      ['a·b (indirect)', d(i.estimate), d(i.sobel.se), fixed(i.sobel.z), pValue(i.sobel.p), `${ciText(interval, d)} ${kind}`],
      ...(e.proportion_mediated ? [['a·b / c', fixed(e.proportion_mediated.estimate, 2), '', '', '', `${ciText(e.proportion_mediated.ci_bca, (v) => fixed(v, 2))} BCa`]] : []),
    ];
    const models = `a ${output.formulas.a}; b, c′ ${output.formulas.b}; c ${output.formulas.c}`;
    const footer = imputation
      ? [
          `Paths by OLS on each completed data set (all ${e.n} rows; c = c′ + a·b in each, and so for the pooled c, c′ and a·b): ${models}.`,
          `${SOBEL_NOTE}; here from the pooled a and b and their pooled SEs. Indirect-effect interval: MI-then-bootstrap, ${i.bootstrap.resamples / imputation.imputations} resamples within each of the ${imputation.imputations} completed data sets (seeds ${options.seed} to ${options.seed + imputation.imputations - 1}), pooled; percentile ${ciText(i.ci_percentile, d)}, no BCa.`,
          imputationLine(imputation, null, MI_POOLED_NOTE),
        ]
      : [
          `Paths by OLS on the same ${e.n} rows (c = c′ + a·b): ${models}.`,
          `${SOBEL_NOTE}. Indirect-effect interval: bootstrap BCa (jackknife acceleration), ${options.resamples} resamples, seed ${options.seed}; percentile ${ciText(i.ci_percentile, d)}.`,
          `Listwise deletion: ${e.excluded.rows} rows excluded${e.excluded.rows ? ` (${Object.entries(e.excluded.by_reason).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}${output.imputation?.nothing_missing ? ' (nothing was missing: no imputation)' : ''}.`,
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
          footer: [...footer, ...e.notes.map((n) => `Note: ${n}.`), ...output.notes.map((n) => `Note: ${n}.`)],
        },
      },
    ];
  },
};
