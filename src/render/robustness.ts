/**
 * `robustness` output: the JSON document (schema/robustness.schema.json), CSV with one row per specification, and
 * a terminal table or Markdown: the curves' summaries and joint tests, then each curve's specifications.
 */
import type { Curve, RobustnessOptions, RobustnessOutput, Specification } from '../analyses/robustness';
import type { Dataset } from '../data/dataset';
import { provenance } from './provenance';
import { bounded, ciText, fixed, pValue } from './apa';
import { csvLine, formatNumber } from './format';
import { renderMarkdown, renderTable, type TableSpec, type Terminal } from './table';

export function robustnessDocument(output: RobustnessOutput, dataset: Dataset, options: RobustnessOptions) {
  return {
    ...provenance(dataset),
    analysis: {
      dimensions: { covariates: output.covariates, method: options.dimensions.method, influential: options.dimensions.influential, missing: output.missing },
      primary: 'the first option of every dimension (the first specification of each curve)',
      influential_rule: "Cook's distance in the primary model (Pearson, first covariate set) above 4/n",
      specifications_per_curve: output.curves[0]?.specifications.length ?? 0,
      null_samples: options.nullSamples,
      seed: options.seed,
      ci: options.ciLevel,
      alpha: options.alpha,
      notes: output.notes,
    },
    curves: output.curves,
  };
}

/** A specification's covariate set as one text: "age+sex" ("none" when empty). */
export function covariateText(s: Specification): string {
  return s.covariates.length ? s.covariates.join('+') : 'none';
}

const CSV_HEAD = ['x', 'y', 'primary', 'covariates', 'method', 'influential', 'missing', 'n', 'k', 'r', 'ci.lower', 'ci.upper', 'p', 'reason'];

function csvRows(output: RobustnessOutput): string {
  const lines = [csvLine(CSV_HEAD, ',')];
  for (const c of output.curves) {
    c.specifications.forEach((s, i) => {
      const cells = [c.x, c.y, i === 0 ? 'true' : 'false', s.covariates.join(';'), s.method, s.influential, s.missing, String(s.n), String(s.k)];
      cells.push(formatNumber(s.r), formatNumber(s.ci?.[0] ?? null), formatNumber(s.ci?.[1] ?? null), formatNumber(s.p), s.reason ?? '');
      lines.push(csvLine(cells, ','));
    });
  }
  return lines.join('');
}

/** The curves' summaries and joint tests as a table (the command's first table and the report step's). */
export function summarySpec(output: RobustnessOutput, options: Pick<RobustnessOptions, 'alpha' | 'nullSamples' | 'seed'>, title = 'Specification curves: summary and joint test'): TableSpec {
  const head = ['x', 'y', 'specs', 'primary r', 'median r', 'range', 'sign', 'share', 'share sig.', 'p (median)', 'p (share sig.)', 'Stouffer Z', 'p (Stouffer)'];
  const rows = output.curves.map((c) => {
    const s = c.summary;
    const j = c.joint;
    return [
      c.x,
      c.y,
      String(c.specifications.length),
      bounded(c.primary.r),
      s ? bounded(s.median_r) : '–',
      s ? `${bounded(s.min_r)} to ${bounded(s.max_r)}` : '–',
      s ? (s.dominant_sign > 0 ? '+' : '−') : '–',
      s ? fixed(s.share_dominant, 2) : '–',
      s ? fixed(s.share_significant, 2) : '–',
      pValue(j.median_r_p),
      pValue(j.share_significant_p),
      fixed(j.stouffer_z),
      pValue(j.stouffer_p),
    ];
  });
  return {
    title,
    head,
    rows,
    numeric: head.map((_, i) => i >= 2),
    footer: [
      `Share: of specifications with the dominant sign; share sig.: significant (p < ${bounded(options.alpha)}) with it.`,
      `Joint p: share of ${options.nullSamples} bootstrap resamples of null data (y − b·x per specification; seed ${options.seed}) as or more extreme (Simonsohn et al. 2020).`,
      ...output.notes.map((n) => `Note: ${n}`),
    ],
  };
}

function curveSpec(c: Curve, options: RobustnessOptions): TableSpec {
  const level = `${Math.round(options.ciLevel * 1000) / 10}% CI`;
  const head = ['#', 'covariates', 'method', 'influential', 'n', 'k', 'r', level, 'p'];
  const rows = c.specifications.map((s, i) => [
    i === 0 ? '1 (primary)' : String(i + 1),
    covariateText(s),
    s.method,
    s.influential,
    String(s.n),
    String(s.k),
    s.r === null ? `– (${s.reason})` : bounded(s.r),
    ciText(s.ci),
    pValue(s.p),
  ]);
  const influential =
    c.influential.threshold === null
      ? c.influential.reason
        ? [`No influential rows removed: ${c.influential.reason}.`]
        : []
      : [`Influential rows (Cook's distance > 4/n = ${fixed(c.influential.threshold, 4)} in the primary model): ${c.influential.rows.length ? c.influential.rows.join(', ') : 'none'}.`];
  return {
    title: `Specifications: ${c.x} with ${c.y}`,
    head,
    rows,
    marked: c.specifications.map((s) => s.p !== null && s.p < options.alpha),
    numeric: head.map((_, i) => i >= 4),
    footer: [...influential, `Highlighted: p < ${bounded(options.alpha)}.`],
  };
}

export function renderRobustness(output: RobustnessOutput, dataset: Dataset, options: RobustnessOptions, format: string, terminal: Terminal): string {
  if (format === 'json') return `${JSON.stringify(robustnessDocument(output, dataset, options), null, 2)}\n`;
  if (format === 'csv') return csvRows(output);
  const specs = [summarySpec(output, options), ...output.curves.map((c) => curveSpec(c, options))];
  if (format === 'markdown') return specs.map(renderMarkdown).join('\n');
  return specs.map((s) => renderTable(s, terminal)).join('\n');
}
