/**
 * `robustness` output: the JSON document (schema/robustness.schema.json), CSV with one row per specification, and
 * a terminal table or Markdown: the curves' summaries and joint tests, then each curve's specifications.
 */
import type { OptionNamer } from '../errors';
import { named } from './named';
import type { Curve, RobustnessOptions, RobustnessOutput, Specification } from '../analyses/robustness';
import type { Dataset } from '../data/dataset';
import { provenance } from './provenance';
import { bounded, ciText, fixed, percent, pPhrase, pValue } from './apa';
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

/**
 * What each joint-test p is (one wording for the table, the report's text and the figure): the share of the null
 * resamples as or more extreme, so Stouffer's Z is referred to that bootstrap distribution, not to N(0, 1) (the
 * specifications share their rows, so their Z's are far from independent and Z alone says little).
 */
export const AGAINST_NULL = 'against the null';
export const STOUFFER_NULL = 'against the bootstrap null distribution, not N(0, 1)';

/**
 * Stouffer's Z as printed: infinite when a specification's p is 0 in double precision (null in JSON), then "∞"
 * (oriented by the dominant sign, so never −∞).
 */
function stoufferText(c: Curve): string {
  const z = c.joint.stouffer_z;
  return c.summary !== null && (z === null || !Number.isFinite(z)) ? '∞' : fixed(z);
}

/** The specifications a curve's summary and joint test are over: the listwise ones (--with-mi adds others). */
export function summarised(c: Curve): number {
  return c.specifications.filter((s) => s.missing !== 'mi').length;
}

/**
 * A curve's numbers in words, each with its p against the null: "median r = −.16 (p = .184 against the null)",
 * "share significant 0% (p > .999 against the null)" (the share observed, then the p of that share),
 * "Stouffer's Z = 12.20 (p = .200 against the bootstrap null distribution, not N(0, 1))". Null without a summary.
 */
export function curvePhrases(c: Curve): { median: string; share: string; stouffer: string } | null {
  const s = c.summary;
  if (s === null) return null;
  const j = c.joint;
  const p = (value: number | null, against: string) => `${pPhrase(value)} ${against}`;
  return {
    median: `median r = ${bounded(s.median_r)} (${p(j.median_r_p, AGAINST_NULL)})`,
    share: `share significant ${percent(s.share_significant)} (${p(j.share_significant_p, AGAINST_NULL)})`,
    stouffer: `Stouffer's Z = ${stoufferText(c)} (${p(j.stouffer_p, STOUFFER_NULL)})`,
  };
}

/**
 * The curves' summaries and joint tests as a table (the command's first table and the report step's, which names
 * the variables by their labels: `label`).
 */
export function summarySpec(
  output: RobustnessOutput,
  options: Pick<RobustnessOptions, 'alpha' | 'nullSamples' | 'seed'>,
  title = 'Specification curves: summary and joint test',
  label: (name: string) => string = (name) => name,
): TableSpec {
  const head = ['x', 'y', 'specs', 'primary r', 'median r', 'p (median r)', 'range', 'sign', 'same sign', 'share significant', 'p (share significant)', 'Stouffer Z', 'p (Stouffer Z)'];
  const rows = output.curves.map((c) => {
    const s = c.summary;
    const j = c.joint;
    return [
      label(c.x),
      label(c.y),
      String(summarised(c)),
      bounded(c.primary.r),
      s ? bounded(s.median_r) : '–',
      pValue(j.median_r_p),
      s ? `${bounded(s.min_r)} to ${bounded(s.max_r)}` : '–',
      s ? (s.dominant_sign > 0 ? '+' : '−') : '–',
      percent(s?.share_dominant),
      percent(s?.share_significant),
      pValue(j.share_significant_p),
      stoufferText(c),
      pValue(j.stouffer_p),
    ];
  });
  const withMi = output.curves.map((c) => c.specifications.length - summarised(c)).find((n) => n > 0);
  return {
    title,
    head,
    rows,
    numeric: head.map((_, i) => i >= 2),
    footer: [
      `Specs: the specifications summarised and tested${withMi ? ` (listwise; the ${withMi} by multiple imputation per curve are listed below, outside the summary and the joint test)` : ''}. ` +
        `Same sign: the share of specifications with the dominant sign; share significant: the share significant (p < ${bounded(options.alpha)}) in that sign.`,
      `Each p is ${AGAINST_NULL}: the share of ${options.nullSamples} bootstrap resamples of null data (y − b·x per specification; seed ${options.seed}) as or more extreme (Simonsohn et al. 2020); Stouffer's Z is referred to that bootstrap null distribution, not to N(0, 1).`,
      ...output.notes.map((n) => `Note: ${n}`),
    ],
  };
}

function curveSpec(c: Curve, dataset: Dataset, options: RobustnessOptions): TableSpec {
  const level = `${Math.round(options.ciLevel * 1000) / 10}% CI`;
  // --with-mi: a column saying which specifications are imputed (not in the summary or the joint test).
  const imputed = c.specifications.some((s) => s.missing === 'mi');
  const head = ['#', 'covariates', 'method', 'influential', ...(imputed ? ['missing'] : []), 'n', 'k', 'r', level, 'p'];
  const rows = c.specifications.map((s, i) => [
    i === 0 ? '1 (primary)' : String(i + 1),
    covariateText(s),
    s.method,
    s.influential,
    ...(imputed ? [s.missing] : []),
    String(s.n),
    String(s.k),
    s.r === null ? `– (${s.reason})` : bounded(s.r),
    ciText(s.ci),
    pValue(s.p),
  ]);
  const covariates = [...new Set(c.specifications.flatMap((s) => s.covariates))];
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
    markedMeans: `p < ${bounded(options.alpha)}`,
    numeric: head.map((_, i) => i >= head.indexOf('n')),
    footer: [
      // The covariates column names columns; this line names them by their labels (as correlate's and model's footers).
      ...(covariates.length ? [`Covariates: ${covariates.map((v) => dataset.labels.named(v)).join(', ')}.`] : []),
      ...influential,
      ...(imputed ? ['missing: listwise, or mi (multiple imputation, outside the summary and the joint test).'] : []),
    ],
  };
}

export function renderRobustness(output: RobustnessOutput, dataset: Dataset, options: RobustnessOptions, format: string, terminal: Terminal, name: OptionNamer): string {
  output = named(output, name);
  if (format === 'json') return `${JSON.stringify(robustnessDocument(output, dataset, options), null, 2)}\n`;
  if (format === 'csv') return csvRows(output);
  const specs = [summarySpec(output, options), ...output.curves.map((c) => curveSpec(c, dataset, options))];
  if (format === 'markdown') return specs.map(renderMarkdown).join('\n');
  return specs.map((s) => renderTable(s, terminal)).join('\n');
}
