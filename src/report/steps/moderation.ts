/**
 * Step "moderation": model — y ~ x1 × stratifier + covariates (the stratifier's own column left out of the
 * covariates), with simple slopes and diagnostics. Under the plan's missing.method "mi", model's --missing mi with the
 * plan's imputation settings (as the correlation and mediation steps): coefficients and simple slopes pooled by
 * Rubin's rules with Barnard–Rubin df, R² as mice::pool.r.squared; the diagnostics, which have no pooling rule, are
 * left out and the text says so. Where the model's variables cannot be imputed (a stratifier of three levels with
 * blanks: only numeric and two-level variables are), the model is fitted by listwise deletion and the text and a note
 * say why: the rest of the report stands, as the missing step's does.
 */
import { model, MODEL_OPTIONS, modelOptionsOf, type ModelOptions, type ModelOutput, type ModelResult } from '../../analyses/model';
import { declaredDefaults } from '../../options';
import { bounded, ciText, coefficientDigits, fixed, pPhrase, pValue } from '../../render/apa';
import { modelDocument } from '../../render/model';
import type { Block } from '../blocks';
import { words, type Wording } from '../../errors';
import { ImputationError } from '../../frame/imputation';
import { body, nextTable, type ReportStep } from '../step';
import { capitalise, coefficient, joinAnd, levelText, stratumPhrase } from '../wording';
import { imputationLine } from '../../render/imputation';
import { missingOptionsOf } from './missing';

export interface ModerationResult {
  options: ModelOptions;
  output: ModelOutput;
  /** Why the model is listwise under missing.method "mi" (its variables cannot be imputed), or absent. */
  notImputed?: Wording;
}

/** A row as the model names it: its id ("row CR0165"), or its line when the file has no id column ("line 224"). */
const rowName = (id: string | null) => (id?.startsWith('line ') ? id : `row ${id}`);

export const moderation: ReportStep<ModerationResult> = {
  id: 'moderation',
  title: 'Moderation model',
  needs: 'stratifier',

  async run(ctx) {
    const { plan, columnOf } = ctx;
    const stratifier = plan.stratifier!;
    // model's options at their declared defaults (analyses/model.ts), with what the plan sets.
    const options: ModelOptions = modelOptionsOf({
      ...declaredDefaults(MODEL_OPTIONS),
      y: plan.y,
      x: [plan.x[0]],
      adjust: plan.covariates.filter((n) => columnOf(n) !== columnOf(stratifier)),
      interaction: stratifier,
      ci: plan.ci,
    });
    if (plan.missing.method === 'mi') options.missing = missingOptionsOf(plan.missing);
    try {
      const dataset = await ctx.open();
      const output = await model(dataset, options);
      return { result: { options, output }, entry: body(modelDocument(output, dataset, options)) };
    } catch (error) {
      if (options.missing === undefined || !(error instanceof ImputationError)) throw error;
      // The data cannot be imputed as planned: the listwise model (whose own errors end the step), and why.
      const listwise: ModelOptions = { ...options, missing: undefined };
      const dataset = await ctx.open();
      const output = await model(dataset, listwise);
      output.notes.push(words`not imputed (${error.wording}): fitted by listwise deletion`);
      return { result: { options: listwise, output, notImputed: error.wording }, entry: body(modelDocument(output, dataset, listwise)) };
    }
  },

  heading({ run, labels }) {
    return `Moderation: ${labels.text(run.plan.x[0])} × ${labels.text(run.plan.stratifier!)}`;
  },

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const output = result.output;
    const m: ModelResult = output.models[0];
    const x = labels.text(plan.x[0]);
    const g = labels.text(plan.stratifier!);
    if (!m || m.reason) return [{ kind: 'paragraph', text: `The model \`${output.formula}\` could not be fitted${m?.reason ? `: ${m.reason}` : ''}.` }];
    const interactions = m.terms.filter((t) => t.term.includes(':'));
    // Pooled over imputations (something was missing): R² as mice::pool.r.squared, no diagnostics.
    const imputation = m.r2_pooled !== undefined && output.imputation !== undefined ? { ...output.imputation, r2: m.r2_pooled } : null;
    const fit = imputation
      ? `*n* = ${m.n}, every row kept and its missing values imputed ${imputation.imputations} times; coefficients pooled over the imputations by Rubin's rules; pooled *R*² = ${bounded(imputation.r2.estimate)}`
      : `*n* = ${m.n}, *R*² = ${bounded(m.r2)}, adjusted *R*² = ${bounded(m.adj_r2)}`;
    const termText = (t: ModelResult['terms'][number]) =>
      t.aliased ? `${t.term} aliased` : `\`${t.term}\` *b* = ${coefficient(t.estimate, t.se)}, ${levelText(plan.ci)} CI ${ciText(t.ci, (v) => coefficient(v, t.se))}, ${pPhrase(t.p).replace(/^p/, '*p*')}`;
    const slopes = (m.simple_slopes ?? []).map(
      (s) => `*b* = ${coefficient(s.estimate, s.se)}, ${levelText(plan.ci)} CI ${ciText(s.ci, (v) => coefficient(v, s.se))}, ${pPhrase(s.p).replace(/^p/, '*p*')} ${s.at !== undefined ? `at ${g} = ${s.level}` : stratumPhrase(s.level, plan.stratifier, labels)}`,
    );
    const dg = m.diagnostics;
    const vifs = Object.entries(dg.vif).filter(([term]) => !term.includes(':') && term !== output.x[0] && !term.startsWith(output.interaction ?? '\u0000'));
    const maxVif = vifs.reduce((a, [, v]) => (v !== null && v > a ? v : a), 0);
    const paragraphs: Block[] = [
      ...(result.notImputed
        ? [{ kind: 'paragraph' as const, text: `The model could not be fitted under multiple imputation (${result.notImputed}); it is fitted by listwise deletion.` }]
        : []),
      {
        kind: 'paragraph',
        text:
          `In the linear model \`${output.formula}\` (${fit}), the ${x} × ${g} interaction was ${interactions.map(termText).join('; ')}. ` +
          (slopes.length ? `The simple slope of ${x} was ${joinAnd(slopes)}.` : ''),
      },
    ];
    if (imputation) {
      paragraphs.push({
        kind: 'paragraph',
        text: `Diagnostics (Cook's distance, leverage, VIFs) have no pooling rule over imputations and are not reported here; the report under missing.method "listwise" gives them for the complete rows.`,
      });
    } else {
      paragraphs.push({
        kind: 'paragraph',
        text:
          `Diagnostics: the largest Cook's distance was ${fixed(dg.cooks_max, 3)} (${rowName(dg.cooks_max_id)}); ${dg.influential.length} ${dg.influential.length === 1 ? 'row' : 'rows'} exceeded 4/*n* = ${fixed(dg.cooks_threshold, 3)}` +
          `${dg.leverage_one.length ? `; ${dg.leverage_one.length} rows had leverage 1` : ''}. ` +
          (vifs.length ? `Covariate VIFs were at most ${fixed(maxVif, 2)}; the VIFs of ${x}, ${g} and their product reflect the uncentred coding and do not affect the interaction test.` : ''),
      });
    }
    const termRows = m.terms.map((t) => {
      if (t.aliased) return [t.term, '– (aliased)', '–', '–', '–', '–', ...(imputation ? ['–', '–'] : ['–'])];
      const d = coefficientDigits(t.se ?? t.estimate);
      const last = imputation ? [fixed(t.mi?.df ?? null, 1), bounded(t.mi?.fmi ?? null)] : [bounded(t.partial_r)];
      return [t.term, fixed(t.estimate, d), fixed(t.se, d), fixed(t.t), pValue(t.p), ciText(t.ci, (v) => fixed(v, d)), ...last];
    });
    const roles = [[output.y_role, output.y], ...output.x_roles.map((r, i) => [r, output.x[i]])].filter(([r]) => r);
    const blocks: Block[] = [
      ...paragraphs,
      {
        kind: 'table',
        spec: {
          title: nextTable(ctx, `Linear model: ${output.formula}`),
          head: ['Term', 'b', 'SE', 't', 'p', `${levelText(plan.ci)} CI`, ...(imputation ? ['df', 'FMI'] : ['Partial r'])],
          rows: termRows,
          numeric: [false, true, true, true, true, true, true, ...(imputation ? [true] : [])],
          footer: [
            imputation
              ? `n = ${m.n}, pooled R² = ${bounded(imputation.r2.estimate)} [${bounded(imputation.r2.ci[0])}, ${bounded(imputation.r2.ci[1])}] (mice::pool.r.squared); complete-data residual df ${m.df}.`
              : `n = ${m.n}, R² = ${bounded(m.r2)}, adjusted R² = ${bounded(m.adj_r2)}, F(${m.f_df?.[0] ?? '–'}, ${m.f_df?.[1] ?? '–'}) = ${fixed(m.f)}, p ${pValue(m.f_p).startsWith('<') ? pValue(m.f_p) : `= ${pValue(m.f_p)}`}; residual SE = ${fixed(m.sigma, coefficientDigits(m.sigma))} on ${m.df} df.`,
            ...(roles.length ? [`Roles: ${roles.map(([r, c]) => `${r} = ${c}`).join(', ')}.`] : []),
            `Terms as R names them; ${output.interaction} treatment-coded (reference level first in sort order). OLS standard errors.`,
            imputation
              ? imputationLine(imputation, null, "Coefficients pooled by Rubin's rules as mice::pool, df by Barnard–Rubin (df); FMI: each term's fraction of missing information; R² as mice::pool.r.squared.")
              : `Listwise deletion: ${m.excluded.rows} rows excluded${m.excluded.rows ? ` (${Object.entries(m.excluded.by_reason).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}${output.imputation?.nothing_missing ? ' (nothing was missing: no imputation)' : ''}.`,
            ...m.notes.map((n) => `Note: ${n}.`),
            ...output.notes.map((n) => `Note: ${n}.`),
          ],
        },
      },
    ];
    if (m.simple_slopes?.length) {
      blocks.push({
        kind: 'table',
        spec: {
          title: nextTable(ctx, `Simple slopes of ${x} by ${g}`),
          head: [capitalise(g), 'b', 'SE', 't', 'p', `${levelText(plan.ci)} CI`],
          rows: m.simple_slopes.map((s) => {
            const d = coefficientDigits(s.se ?? s.estimate);
            return s.estimate === null ? [s.level, `– (${s.reason})`, '–', '–', '–', '–'] : [s.level, fixed(s.estimate, d), fixed(s.se, d), fixed(s.t), pValue(s.p), ciText(s.ci, (v) => fixed(v, d))];
          }),
          numeric: [false, true, true, true, true, true],
          footer: [
            `Slope of ${output.x[0]} in each level of ${output.interaction} (b of ${output.x[0]} plus its interaction term), from the model above${imputation ? ", pooled by Rubin's rules (each slope with its Barnard–Rubin df)" : ''}.`,
          ],
        },
      });
    }
    return blocks;
  },
};
