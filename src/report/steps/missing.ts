/**
 * Step "missing": what is missing, and what multiple imputation changes (issue 12). The analysis variables' missing
 * counts and patterns; the correlations step's partial correlations by listwise deletion and pooled over M imputations
 * (correlate --missing mi: frame/missing.ts, chained equations as mice, Rubin's rules on Fisher's z) side by side;
 * the delta adjustment for data missing not at random (--mnar-delta: δ SDs of the observed outcome added to every
 * imputed outcome value) at the plan's δ's, drawn from −3 to 3 SD with the tipping points (stats/tipping.ts).
 */
import type { CorrelateResult } from '../../analyses/correlate';
import { DataError, type Wording } from '../../errors';
import type { MissingOptions } from '../../frame/missing';
import { missingOptions } from '../../frame/missing-options';
import { bounded, ciText, fixed, plain, pValue, percent } from '../../render/apa';
import type { Block, FigurePlan } from '../blocks';
import { POOLED_NOTE } from '../correlation-text';
import { deltaSpec, type DeltaPoint } from '../figures';
import type { MissingPlan } from '../plan-types';
import { nextTable, type CorrelateRun, type ReportStep } from '../step';
import { joinAnd, levelText, nameOf } from '../wording';

export interface MissingResult {
  listwise: CorrelateRun;
  /** Null when the data cannot be imputed as planned (a variable missing in a whole group): `reason` says why. */
  mi: CorrelateRun | null;
  /** Words until the report names its options (run.ts). */
  reason?: Wording;
}

/** δ from −3 to 3 SD in steps of 0.25 (the figure), with the plan's δ's. */
function deltaGrid(plan: MissingPlan): number[] {
  const grid = Array.from({ length: 25 }, (_, i) => -3 + i * 0.25);
  return [...new Set([...grid, ...plan.mnar_delta])].sort((a, b) => a - b);
}

/** The plan's "missing" as correlate's --missing options, read as the command line's are (frame/missing-options.ts). */
export function missingOptionsOf(plan: MissingPlan, deltas: number[] = []): MissingOptions {
  return missingOptions({
    missing: 'mi',
    imputations: plan.imputations,
    iterations: plan.iterations,
    seed: plan.seed,
    auxiliary: plan.auxiliary,
    imputeBy: plan.impute_by === 'auto' ? undefined : plan.impute_by,
    mnarDelta: deltas.map((value) => ({ value, raw: false })),
  });
}

export const missing: ReportStep<MissingResult> = {
  id: 'missing',
  title: 'Missing data: multiple imputation and MNAR sensitivity',

  async run(ctx) {
    const listwise = await ctx.correlate(ctx.correlateOptions({ bayes: undefined, missing: undefined }));
    try {
      const mi = await ctx.correlate(ctx.correlateOptions({ bayes: undefined, missing: missingOptionsOf(ctx.plan.missing, deltaGrid(ctx.plan.missing)) }));
      return { result: { listwise: listwise.run, mi: mi.run }, entry: { listwise: listwise.entry, mi: mi.entry } };
    } catch (error) {
      // The data cannot be imputed as planned (e.g. the WAI-I blank in a whole arm without "where"): the rest of the
      // report stands, and this section says why it has no imputation.
      if (!(error instanceof DataError)) throw error;
      return { result: { listwise: listwise.run, mi: null, reason: error.wording }, entry: { listwise: listwise.entry, mi: null, reason: error.wording } };
    }
  },

  heading: () => 'Missing data',

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const settings = plan.missing;
    const blocks: Block[] = [];
    if (result.mi === null) {
      blocks.push({ kind: 'paragraph', text: `Multiple imputation could not be run on these rows: ${result.reason}.` });
      return blocks;
    }
    const imputation = result.mi.output.imputation!;
    const analysed = [...new Set([...plan.x, plan.y, ...plan.covariates].map((n) => labels.column(n)))];
    const rows = imputation.rows;
    const counts = analysed.filter((c) => (imputation.missing[c] ?? 0) > 0).map((c) => `${labels.text(c)} ${imputation.missing[c]} (${percent(imputation.missing[c] / rows)})`);
    const complete = imputation.patterns.find((p) => p.missing.length === 0)?.rows ?? 0;
    const patterns = imputation.patterns
      .filter((p) => p.missing.length > 0)
      .map((p) => `${p.rows} ${p.rows === 1 ? 'lacks' : 'lack'} ${p.missing.length === 1 ? 'only ' : ''}${joinAnd(p.missing.map((c) => labels.text(c)))}`);
    blocks.push({
      kind: 'paragraph',
      text:
        `Of the ${rows} rows analysed, ${complete} (${percent(complete / rows)}) had every analysis variable` +
        (counts.length ? `; missing were ${joinAnd(counts)}` : '') +
        (patterns.length ? `. By pattern: ${patterns.join('; ')}.` : '.'),
    });
    if (imputation.nothing_missing) {
      blocks.push({ kind: 'paragraph', text: 'Nothing was missing in the analysis variables, so multiple imputation has nothing to add to the complete-data results.' });
      return blocks;
    }
    const by = imputation.impute_by ? `, separately within each level of \`${imputation.impute_by}\`` : '';
    blocks.push({
      kind: 'paragraph',
      text:
        `The partial correlations were estimated again on ${settings.imputations} multiply imputed data sets (chained equations with predictive mean matching, ${settings.iterations} iterations, seed ${settings.seed}${by}; totals recomputed from their imputed subscales) and pooled by Rubin's rules on Fisher's *z* with Barnard–Rubin degrees of freedom (van Buuren 2018). ` +
        `Listwise and pooled results are side by side in the table below.`,
    });
    const mi = result.mi.output.results;
    const listwise = result.listwise.output.results;
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, `Partial correlations with ${labels.text(plan.y)}: listwise deletion and multiple imputation`),
        head: ['Variable', 'n (listwise)', 'r', `${levelText(plan.ci)} CI`, 'p', `n (MI)`, 'r (MI)', `${levelText(plan.ci)} CI (MI)`, 'p (MI)', 'FMI'],
        rows: mi.map((r, i) => {
          const l = listwise[i];
          return [labels.table(nameOf(r, 'x')), String(l?.n ?? '–'), bounded(l?.r ?? null), ciText(l?.ci ?? null), pValue(l?.p ?? null), String(r.n), bounded(r.r), ciText(r.ci), pValue(r.p), bounded(r.mi?.fmi ?? null)];
        }),
        numeric: [false, true, true, true, true, true, true, true, true, true],
        footer: [
          `MI: ${settings.imputations} imputations; ${POOLED_NOTE}; FMI: fraction of missing information.`,
          `Imputed: ${Object.entries(imputation.missing).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ')}${imputation.passive.length ? `; passive (recomputed from their parts): ${imputation.passive.join(', ')}` : ''}.`,
        ],
      },
    });
    // Delta adjustment.
    const shown = settings.mnar_delta;
    const at = (r: CorrelateResult, delta: number) => r.mnar?.find((m) => m.delta === delta);
    const withTipping = mi.filter((r) => r.tipping);
    const limit = withTipping[0]?.tipping?.limit ?? 3;
    const tipped = withTipping.filter((r) => r.tipping!.up || r.tipping!.down).map((r) => labels.text(nameOf(r, 'x')));
    blocks.push({
      kind: 'paragraph',
      text:
        `If the missing outcomes were systematically higher or lower than the imputation model predicts (missing not at random), the conclusions could change. ` +
        `Adding δ standard deviations of the observed ${labels.text(plan.y)} to every imputed value, and to imputed values only (δ adjustment, van Buuren 2018, §9.2), ` +
        (tipped.length
          ? `changed whether the interval includes 0 within ±${limit} SD for ${joinAnd(tipped)}: the tipping points are in the table below.`
          : `did not change whether any interval includes 0 within ±${limit} SD (tipping points in the table below).`),
    });
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, `Pooled partial correlations with ${labels.text(plan.y)} under δ adjustment`),
        head: ['Variable', ...shown.map((d) => `δ = ${plain(d)}`)],
        rows: mi.map((r) => [labels.table(nameOf(r, 'x')), ...shown.map((d) => {
          const m = at(r, d);
          return m && m.r !== null ? `${bounded(m.r)} ${ciText(m.ci)}` : '–';
        })]),
        numeric: [false, ...shown.map(() => true)],
        footer: [`δ in SDs of the observed ${labels.text(plan.y)} (per stratum), added to every imputed value after imputation (observed values unchanged); r with its ${levelText(plan.ci)} CI, pooled as above.`],
      },
    });
    if (withTipping.length) {
      const relation = (rel: string) => (rel === 'contains' ? 'includes 0' : `${rel} 0`);
      type Tipping = NonNullable<CorrelateResult['tipping']>;
      const side = (t: Tipping, point: Tipping['up'], sign: string) =>
        point === null ? `none within ${sign}${t.limit}` : `${fixed(point.delta)} (${fixed(point.delta * t.sd)}): ${relation(point.relation)}`;
      const tolerance = withTipping[0].tipping!.tolerance;
      blocks.push({
        kind: 'table',
        spec: {
          title: nextTable(ctx, `Tipping points of the δ adjustment (partial correlations with ${labels.text(plan.y)})`),
          head: ['Variable', 'Interval at δ = 0', 'Upward δ (raw)', 'Downward δ (raw)'],
          rows: withTipping.map((r) => {
            const t = r.tipping!;
            return [labels.table(nameOf(r, 'x')), relation(t.at_zero), side(t, t.up, '+'), side(t, t.down, '−')];
          }),
          numeric: [false, false, true, true],
          footer: [
            `Tipping point: the smallest shift δ (in SDs of the observed ${labels.text(plan.y)}; in brackets in its raw units) at which the ${levelText(plan.ci)} interval's relation to 0 changes, and what the interval then does; found by bisection to ${tolerance} SD within ±${limit} SD.`,
          ],
        },
      });
    }
    const points: DeltaPoint[] = [];
    const tipping: Array<{ label: string; delta: number }> = [];
    for (const r of mi) {
      const label = labels.table(nameOf(r, 'x'));
      for (const m of r.mnar ?? []) if (m.r !== null && m.ci !== null && Math.abs(m.delta) <= 3) points.push({ label, delta: m.delta, r: m.r, ci: m.ci });
      for (const point of [r.tipping?.up, r.tipping?.down]) if (point) tipping.push({ label, delta: point.delta });
    }
    ctx.figures++;
    const title = `Partial correlations with ${labels.text(plan.y)} under δ adjustment`;
    const ref: FigurePlan = {
      file: 'mnar-delta.svg',
      step: 'missing',
      title,
      alt: `Line charts, one per variable, of the pooled partial correlations with ${labels.text(plan.y)} against δ from −3 to 3 SD, with ${levelText(plan.ci)} confidence bands and the tipping points marked`,
      caption: `*Figure ${ctx.figures}.* ${title}: one panel per variable, the pooled partial *r* (line) with its ${levelText(plan.ci)} confidence band against δ, the shift of every imputed ${labels.text(plan.y)} (observed values unchanged) in SDs of its observed values; dotted vertical lines mark the tipping points (labelled with their δ), the dashed line *r* = 0.`,
      spec: deltaSpec(points, tipping, {
        title,
        subtitle: [`${settings.imputations} imputations; ${levelText(plan.ci)} CIs`],
        xTitle: 'δ (SDs of the observed outcome)',
        yTitle: `Pooled partial r`,
      }),
    };
    ctx.figurePlans.push(ref);
    blocks.push({ kind: 'figures', figures: [ref] });
    return blocks;
  },
};
