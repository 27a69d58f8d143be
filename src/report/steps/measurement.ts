/**
 * Step "measurement": measure --by <stratifier> — the CFA of each instrument's factor structure, McDonald's ω beside
 * α, measurement invariance across the stratifier, and what it means for the stratified comparison: a difference
 * between the strata' correlations is only a difference in the construct when the instrument measures alike in
 * both (scalar invariance).
 */
import { measure, type MeasureOptions, type MeasureResult, type MeasurementResult } from '../../analyses/measure';
import { fitLine, interpretable, invarianceSpec, measureDocument, unitTitle } from '../../render/measure';
import { bounded, ciText, fixed, pValue } from '../../render/apa';
import type { Block } from '../blocks';
import { body, nextTable, type ReportStep } from '../step';
import { joinAnd } from '../wording';

/** ω's bootstrap: the plan's resamples up to this many (each resample refits the model). */
export const MEASUREMENT_RESAMPLES = 1000;

export interface MeasurementStepResult {
  result: MeasureResult;
  options: MeasureOptions;
}

/** The unit (instrument, time point) whose items score the column, or undefined. */
export function unitScoring(result: MeasureResult, column: string): MeasurementResult | undefined {
  return result.measurement.find((m) => m.factors.some((f) => column === `${m.instrument}_${f}${m.timepoint ? `_${m.timepoint}` : ''}`) || column === `${m.instrument}_total${m.timepoint ? `_${m.timepoint}` : ''}`);
}

export const measurement: ReportStep<MeasurementStepResult> = {
  id: 'measurement',
  title: 'Measurement: factor structure, reliability and invariance',
  needs: 'stratifier',

  async run(ctx) {
    const dataset = await ctx.open();
    // the report's progress line, as correlate's options carry it
    const { phase } = ctx.correlateOptions({});
    const options: MeasureOptions = {
      by: ctx.plan.stratifier,
      resamples: Math.min(ctx.plan.bootstrap.resamples, MEASUREMENT_RESAMPLES),
      seed: ctx.plan.bootstrap.seed,
      ...(phase ? { phase } : {}),
    };
    // A file with the scores but not their items (read as they are): nothing to model, said in the text.
    const result: MeasureResult = dataset.scoring.columns.some((c) => c.items.length > 0)
      ? await measure(dataset, options)
      : { source: dataset.input.source, rows: { read: 0, kept: 0 }, by: options.by, measurement: [] };
    return { result: { result, options }, entry: body(measureDocument(result, dataset, options)) };
  },

  heading({ run, labels }) {
    return `Measurement across ${labels.text(run.plan.stratifier!)}: factor structure, reliability and invariance`;
  },

  write({ result, options }, ctx): Block[] {
    const { run, labels } = ctx;
    const stratifier = labels.text(run.plan.stratifier!);
    if (result.measurement.length === 0) {
      return [{ kind: 'paragraph', text: 'No questionnaire items were found in the file (its scores were read as they are), so there is no factor structure to test: the measurement models need the items.' }];
    }
    const blocks: Block[] = [];
    const sentences = result.measurement.map((m) =>
      interpretable(m)
        ? `${unitTitle(m)} (${m.factors.length} correlated factors, *n* = ${m.n}): ${fitLine(m).replace(/ p ([=<>])/, ' *p* $1')}.`
        : `${unitTitle(m)} (*n* = ${m.n}): ${m.notes.filter((n) => !n.startsWith('reversed')).join('; ')}.`,
    );
    blocks.push({
      kind: 'paragraph',
      text:
        `Each instrument's factor structure, as its definition gives it (one factor per subscale, factors correlated), was tested by confirmatory factor analysis ` +
        `(maximum likelihood as lavaan's cfa(), rows answering every item): ${sentences.join(' ')}`,
    });
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, 'Confirmatory factor analyses'),
        head: ['Instrument', 'n', 'χ²', 'df', 'p', 'CFI', 'TLI', 'RMSEA [90% CI]', 'SRMR', 'Solution'],
        rows: result.measurement.map((m) => {
          const f = m.fit;
          const name = `${m.instrument}${m.timepoint ? ` ${m.timepoint}` : ''}`;
          if (f === null) return [name, String(m.n), '–', '–', '–', '–', '–', '–', '–', m.status];
          return [name, String(m.n), fixed(f.chisq), String(f.df), pValue(f.p), bounded(f.cfi, 3), bounded(f.tli, 3), `${bounded(f.rmsea, 3)} ${ciText(f.rmsea_ci, (v) => bounded(v, 3))}`, bounded(f.srmr, 3), m.status];
        }),
        numeric: [false, true, true, true, true, true, true, true, true, false],
        footer: [
          'Maximum likelihood as lavaan cfa() defaults (first loading of each factor fixed to 1, n-divisor covariance); fit measures as lavaan fitMeasures(). ' +
            'Solution: improper when a variance is negative or a factor correlation reaches ±1 — its estimates are then not interpretable.',
          ...result.measurement.filter((m) => !interpretable(m)).map((m) => `${unitTitle(m)}: ${m.notes.join('; ')}.`),
        ],
      },
    });
    const proper = result.measurement.filter(interpretable);
    if (proper.length > 0) {
      blocks.push({
        kind: 'table',
        spec: {
          title: nextTable(ctx, 'Reliability: McDonald\'s ω beside Cronbach\'s α'),
          head: ['Instrument', 'Factor', 'ω', '95% CI', 'α'],
          rows: proper.flatMap((m) => m.omega.map((o) => [`${m.instrument}${m.timepoint ? ` ${m.timepoint}` : ''}`, o.factor, bounded(o.omega), ciText(o.ci), bounded(o.alpha)])),
          numeric: [false, false, true, true, true],
          footer: [
            `ω = (Σλ)²ψ / ((Σλ)²ψ + Σθ) from the CFA; α on the same rows. CI: percentile bootstrap, ${options.resamples} resamples, seed ${options.seed}.`,
          ],
        },
      });
    }
    for (const m of result.measurement) {
      const spec = invarianceSpec(m);
      if (spec === null) continue;
      blocks.push({ kind: 'table', spec: { ...spec, title: nextTable(ctx, `Measurement invariance of ${m.instrument}${m.timepoint ? ` ${m.timepoint}` : ''} across ${stratifier}`) } });
    }
    // The sentence the stratified comparison needs: the instrument scoring the first x.
    const x = unitScoring(result, labels.column(run.plan.x[0]));
    const inv = x?.invariance;
    if (x && inv && inv.level !== null) {
      const levels = joinAnd(inv.groups.map((g) => g.level));
      const comparison = `the difference between ${levels} in the correlation of ${labels.text(run.plan.x[0])} with ${labels.text(run.plan.y)}`;
      const problems = inv.models[0].problems;
      const held = inv.level === 'scalar';
      blocks.push({
        kind: 'paragraph',
        text:
          problems.length > 0
            ? `By Chen's (2007) rule scalar invariance of ${unitTitle(x)} across ${stratifier} ${held ? 'held' : 'did not hold'}, but the configural solution is improper (${problems.join('; ')}), ` +
              `so whether ${comparison} is confounded by the instrument measuring differently in them cannot be settled from these data.`
            : `Scalar invariance of ${unitTitle(x)} across ${stratifier} ${held ? 'held' : 'did not hold'} (Chen 2007), so ${comparison} ` +
              `${held ? 'is not' : 'may be'} confounded by the instrument measuring differently in them.`,
      });
    }
    return blocks;
  },
};
