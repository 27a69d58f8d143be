/**
 * `measure` output: the JSON document (schema/measure.schema.json), long CSV rows (one statistic a row), and per
 * instrument a terminal table or Markdown with APA numbers: the fit line, the loadings, ω beside α, the factor
 * correlations and the invariance table with its verdict. A solution that is improper or did not converge is said
 * in words in place of its estimates.
 */
import type { MeasureOptions, MeasureResult, MeasurementResult } from '../analyses/measure';
import { CHEN_RULE } from '../analyses/measure';
import type { Dataset } from '../data/dataset';
import { provenance } from './provenance';
import { bounded, ciText, fixed, pPhrase, pValue } from './apa';
import { csvLine, formatNumber } from './format';
import { renderMarkdown, renderTable, type TableSpec, type Terminal } from './table';
import { jsonText } from '../text';

export const ESTIMATOR_NOTE =
  'maximum likelihood as lavaan cfa() defaults: rows complete on the items (and the grouping column), n-divisor covariance, first loading of each factor fixed to 1, standard errors from the expected information';

export function measureDocument(result: MeasureResult, dataset: Dataset, options: MeasureOptions) {
  return {
    ...provenance(dataset),
    analysis: {
      by: result.by,
      estimator: ESTIMATOR_NOTE,
      omega: 'McDonald ω = (Σλ)²ψ / ((Σλ)²ψ + Σθ) from the unstandardized solution, 95% percentile bootstrap interval',
      bootstrap: { resamples: options.resamples, seed: options.seed },
      invariance_rule: CHEN_RULE,
    },
    measurement: result.measurement,
  };
}

/** The instrument's label (else its id), and the time point: "PHQ Anxiety and Depression Scale (PHQ-9 + GAD-7), time point w10". */
export function unitTitle(m: MeasurementResult): string {
  return `${m.label ?? m.instrument}${m.timepoint ? `, time point ${m.timepoint}` : ''}`;
}

/** χ²(51) = 49.01, p = .553; CFI = 1.000; TLI = 1.005; RMSEA = .000, 90% CI [.000, .064]; SRMR = .044 */
export function fitLine(m: MeasurementResult): string {
  const f = m.fit!;
  return (
    `χ²(${f.df}) = ${fixed(f.chisq)}, ${pPhrase(f.p)}; CFI = ${bounded(f.cfi, 3)}; TLI = ${bounded(f.tli, 3)}; ` +
    `RMSEA = ${bounded(f.rmsea, 3)}, 90% CI ${ciText(f.rmsea_ci, (v) => bounded(v, 3))}; SRMR = ${bounded(f.srmr, 3)}`
  );
}

/** Whether a unit's estimates may be shown as results. */
export const interpretable = (m: MeasurementResult): boolean => m.status === 'proper';

function unitSpecs(m: MeasurementResult): TableSpec[] {
  const title = `CFA of ${unitTitle(m)}: ${m.factors.length} correlated factor${m.factors.length === 1 ? '' : 's'}, ${m.items.length} items, n = ${m.n}`;
  if (!interpretable(m)) {
    return [{ title, head: ['Result'], rows: m.notes.map((n) => [n]), footer: m.fit ? [`Fit of the improper solution: ${fitLine(m)}.`] : [] }];
  }
  const specs: TableSpec[] = [];
  specs.push({
    title,
    head: ['Factor', 'Item', 'Loading', 'SE', 'Std.'],
    rows: m.loadings.map((l) => [l.factor, l.item, fixed(l.estimate, 3), l.se === null ? '(fixed)' : fixed(l.se, 3), bounded(l.std, 3)]),
    numeric: [false, false, true, true, true],
    footer: [
      `Fit: ${fitLine(m)}.`,
      ...(m.factor_correlations.length > 0 ? [`Factor correlations: ${m.factor_correlations.map((c) => `${c.factors[0]}–${c.factors[1]} ${bounded(c.r)}`).join(', ')}.`] : []),
      `Estimation: ${ESTIMATOR_NOTE}. Std. = completely standardized loading.`,
      ...m.notes.map((n) => `Note: ${n}.`),
    ],
  });
  specs.push({
    title: `Reliability of ${unitTitle(m)}`,
    head: ['Factor', 'ω', '95% CI', 'α'],
    rows: m.omega.map((o) => [o.factor, bounded(o.omega), ciText(o.ci), bounded(o.alpha)]),
    numeric: [false, true, true, true],
    footer: [
      'ω: McDonald\'s omega from the CFA, (Σλ)²ψ / ((Σλ)²ψ + Σθ); α: Cronbach\'s alpha of the same items and rows.',
      m.bootstrap ? `CI: percentile bootstrap, ${m.bootstrap.resamples} resamples, seed ${m.bootstrap.seed}${m.bootstrap.failed ? `, ${m.bootstrap.failed} did not converge and are left out` : ''}.` : 'CI: none (--bootstrap 0).',
    ],
  });
  return specs;
}

export function invarianceSpec(m: MeasurementResult): TableSpec | null {
  const inv = m.invariance;
  if (inv === null) return null;
  if (inv.models.length === 0) return { title: `Measurement invariance of ${unitTitle(m)} across ${inv.by}`, head: ['Result'], rows: [[inv.verdict]] };
  const tests = new Map(inv.tests.map((t) => [t.model, t]));
  return {
    title: `Measurement invariance of ${unitTitle(m)} across ${inv.by} (${inv.groups.map((g) => `${g.level} n = ${g.n}`).join(', ')})`,
    head: ['Model', 'χ²', 'df', 'CFI', 'RMSEA', 'Δχ²', 'Δdf', 'p', 'ΔCFI', 'ΔRMSEA'],
    rows: inv.models.map((model) => {
      const t = tests.get(model.model as 'metric' | 'scalar');
      const head = [model.converged ? model.model : `${model.model} (not converged)`, fixed(model.chisq), String(model.df), bounded(model.cfi, 3), bounded(model.rmsea, 3)];
      return t ? [...head, fixed(t.delta_chisq), String(t.delta_df), pValue(t.p), bounded(t.delta_cfi, 3), bounded(t.delta_rmsea, 3)] : [...head, '', '', '', '', ''];
    }),
    numeric: [false, true, true, true, true, true, true, true, true, true],
    footer: [
      'configural: same factors and items in every group; metric: loadings equal; scalar: loadings and intercepts equal (latent means free after the first group). Δ: against the model above (lavTestLRT).',
      ...inv.models.filter((x) => x.problems.length > 0).map((x) => `Improper ${x.model} solution: ${x.problems.join('; ')}.`),
      inv.verdict,
    ],
  };
}

type Flat = [string, string, string, string, string, number | null];

function flatRows(result: MeasureResult): Flat[] {
  const rows: Flat[] = [];
  for (const m of result.measurement) {
    const unit = m.instrument;
    const tp = m.timepoint ?? '';
    rows.push([unit, tp, 'sample', '', 'n', m.n]);
    if (m.fit) {
      for (const [k, v] of Object.entries(m.fit)) {
        if (Array.isArray(v)) rows.push([unit, tp, 'fit', '', `${k}.lower`, v[0]], [unit, tp, 'fit', '', `${k}.upper`, v[1]]);
        else rows.push([unit, tp, 'fit', '', k, v]);
      }
    }
    for (const l of m.loadings) {
      rows.push([unit, tp, 'loading', `${l.factor}=~${l.item}`, 'estimate', l.estimate], [unit, tp, 'loading', `${l.factor}=~${l.item}`, 'se', l.se], [unit, tp, 'loading', `${l.factor}=~${l.item}`, 'std', l.std]);
    }
    for (const c of m.factor_correlations) rows.push([unit, tp, 'factor_correlation', `${c.factors[0]}~~${c.factors[1]}`, 'r', c.r]);
    for (const o of m.omega) {
      rows.push([unit, tp, 'reliability', o.factor, 'omega', o.omega], [unit, tp, 'reliability', o.factor, 'omega.ci.lower', o.ci?.[0] ?? null]);
      rows.push([unit, tp, 'reliability', o.factor, 'omega.ci.upper', o.ci?.[1] ?? null], [unit, tp, 'reliability', o.factor, 'alpha', o.alpha]);
    }
    if (m.invariance) {
      for (const model of m.invariance.models) for (const k of ['chisq', 'df', 'cfi', 'rmsea'] as const) rows.push([unit, tp, 'invariance', model.model, k, model[k]]);
      for (const t of m.invariance.tests) for (const k of ['delta_chisq', 'delta_df', 'p', 'delta_cfi', 'delta_rmsea'] as const) rows.push([unit, tp, 'invariance_test', t.model, k, t[k]]);
    }
  }
  return rows;
}

export function renderMeasure(result: MeasureResult, dataset: Dataset, options: MeasureOptions, format: string, terminal: Terminal): string {
  if (format === 'json') return `${jsonText(measureDocument(result, dataset, options), 2)}\n`;
  if (format === 'csv') {
    const head = ['instrument', 'timepoint', 'section', 'name', 'statistic', 'value'];
    return csvLine(head, ',') + flatRows(result).map((r) => csvLine([...r.slice(0, 5) as string[], r[5] === null ? '' : formatNumber(r[5])], ',')).join('');
  }
  const specs = result.measurement.flatMap((m) => {
    const inv = invarianceSpec(m);
    return inv ? [...unitSpecs(m), inv] : unitSpecs(m);
  });
  if (format === 'markdown') return specs.map(renderMarkdown).join('\n');
  return specs.map((s) => renderTable(s, terminal)).join('\n');
}
