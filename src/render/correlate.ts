/**
 * `correlate` output: the JSON document (schema/correlate.schema.json), flat rows (csv, tsv, ndjson: nested
 * fields flattened with dots, `zero_order.r`, arrays as `.lower`/`.upper`), a terminal table and Markdown with
 * APA numbers.
 */
import type { OptionNamer } from '../errors';
import { named } from './named';
import type { CorrelateOptions, CorrelateOutput, CorrelateResult } from '../analyses/correlate';
import type { Dataset } from '../data/dataset';
import { provenance } from './provenance';
import { bounded, ciText, fixed, plain, pPhrase, pValue } from './apa';
import { csvLine, formatNumber } from './format';
import { imputationFields, imputationLine } from './imputation';
import { renderMarkdown, renderTable, TableSpec, Terminal } from './table';
import { jsonText } from '../text';

export function correlateDocument(output: CorrelateOutput, dataset: Dataset, options: CorrelateOptions) {
  return {
    ...provenance(dataset),
    analysis: {
      method: options.method,
      adjust: output.adjust,
      by: options.by === null ? null : dataset.columnName(options.by),
      missing_stratum: options.by === null ? null : output.missingStratum,
      ci: options.ciLevel,
      alternative: options.alternative,
      p_adjust: options.pAdjust,
      notes: output.notes,
      ...(output.imputation ? imputationFieldsOf(output, options) : {}),
    },
    results: output.results,
    comparisons: output.comparisons,
    heterogeneity: output.heterogeneity,
  };
}

/** analysis.missing … (render/imputation.ts) and the δ's of --mnar-delta. */
function imputationFieldsOf(output: CorrelateOutput, options: CorrelateOptions) {
  return { ...imputationFields(output.imputation!), mnar_delta: options.missing?.mnarDelta.map((d) => (d.raw ? `raw:${d.value}` : d.value)) ?? [] };
}

/** Footer lines of an imputed run: how, and each result's δ sensitivity and tipping points. */
function imputationFooter(output: CorrelateOutput, dataset: Dataset, options: CorrelateOptions): string[] {
  const i = output.imputation;
  if (!i) return [];
  const lines = [imputationLine(i, options.by === null ? null : dataset.columnName(options.by), "Pooled by Rubin's rules on Fisher's z, df by Barnard–Rubin.")];
  if (i.nothing_missing) return lines;
  const shifted = output.results.find((r) => r.mnar);
  if (shifted) {
    const y = shifted.y_role ?? shifted.y;
    lines.push(`MNAR δ: a shift of the imputed ${y} values only (observed values unchanged), in SDs of the observed ${y} (SD), or in its own units (raw), then pooled again.`);
  }
  const raw = options.missing?.mnarDelta.map((d) => d.raw) ?? [];
  for (const r of output.results) {
    const name = `${label(r).join('–')}${r.stratum !== null ? ` (${r.stratum})` : ''}`;
    if (r.mnar) lines.push(`MNAR δ for ${name}: ${r.mnar.map((m, i) => `δ = ${plain(m.delta)} ${raw[i] ? 'raw' : 'SD'}: r = ${bounded(m.r)} ${ciText(m.ci)}`).join('; ')}.`);
    if (r.tipping) lines.push(`Tipping points for ${name}: ${tippingSentence(r.tipping)}`);
  }
  return lines;
}

/** The tipping points in a sentence (δ in SDs of the observed outcome). */
export function tippingSentence(t: NonNullable<CorrelateResult['tipping']>): string {
  const side = (point: typeof t.up, direction: string): string =>
    point === null
      ? `none within ${direction === 'up' ? '+' : '−'}${t.limit} SD`
      : `δ = ${fixed(point.delta)} SD (${fixed(point.delta * t.sd)} raw) makes the interval ${point.relation === 'contains' ? 'include 0' : `lie ${point.relation} 0`}`;
  const now = t.at_zero === 'contains' ? 'includes 0' : `lies ${t.at_zero} 0`;
  return `the interval ${now} at δ = 0; upward ${side(t.up, 'up')}; downward ${side(t.down, 'down')} (bisection to ${t.tolerance} SD).`;
}

/** Flattens nested objects with dots; [lo, hi] pairs become .lower/.upper; other arrays are joined with ";". */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, string | number | boolean | null> = {}) {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix + key;
    if (Array.isArray(v)) {
      if (v.length === 2 && v.every((x) => typeof x === 'number') && (key === 'ci' || key.endsWith('ci') || key === 'percentile' || key === 'bca')) {
        out[`${name}.lower`] = v[0] as number;
        out[`${name}.upper`] = v[1] as number;
      } else out[name] = v.join(';');
    } else if (v !== null && typeof v === 'object') flatten(v as Record<string, unknown>, `${name}.`, out);
    else out[name] = v as string | number | boolean | null;
  }
  return out;
}

function flatRows(output: CorrelateOutput): Array<Record<string, string | number | boolean | null>> {
  return output.results.map((r) => {
    const flat = flatten(r as unknown as Record<string, unknown>);
    // Intervals that are null still get their two columns, so every row has the same fields.
    for (const key of ['ci', 'zero_order.ci']) {
      if (key in flat && flat[key] === null) {
        delete flat[key];
        flat[`${key}.lower`] = null;
        flat[`${key}.upper`] = null;
      }
    }
    return flat;
  });
}

function columnsOf(rows: Array<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

/** A t statistic that is infinite (|r| = 1; null in JSON), signed as r. */
function infinity(r: number): string {
  return r < 0 ? '−∞' : '∞';
}

function label(r: CorrelateResult): [string, string] {
  return [r.x_role ?? r.x, r.y_role ?? r.y];
}

function tableSpec(output: CorrelateOutput, dataset: Dataset, options: CorrelateOptions): TableSpec {
  const stratified = options.by !== null;
  const adjusted = options.pAdjust !== 'none';
  const level = `${Math.round(options.ciLevel * 1000) / 10}% CI`;
  const head = ['x', 'y', ...(stratified ? ['stratum'] : []), 'n', 'df', 'r', level, 't', 'p', ...(adjusted ? [`p (${options.pAdjust})`] : []), 'zero-order r'];
  if (output.results.some((r) => r.semi)) head.push(`sr (${options.semi} resid.)`);
  if (output.results.some((r) => r.bootstrap)) head.push('BCa CI');
  if (output.results.some((r) => r.bf10 !== undefined)) head.push('BF10');
  const rows = output.results.map((r) => {
    const [x, y] = label(r);
    const row = [x, y, ...(stratified ? [r.stratum ?? ''] : []), String(r.n)];
    if (r.r === null) row.push(r.df === null ? '–' : String(r.df), `– (${r.reason})`, '–', '–', '–', ...(adjusted ? ['–'] : []));
    else row.push(Number.isInteger(r.df) ? String(r.df) : fixed(r.df, 1), bounded(r.r), ciText(r.ci), r.t === null ? infinity(r.r) : fixed(r.t), pValue(r.p), ...(adjusted ? [pValue(r.p_adjusted)] : []));
    row.push(bounded(r.zero_order.r));
    if (head.some((h) => h.startsWith('sr'))) row.push(bounded(r.semi?.r ?? null));
    if (head.includes('BCa CI')) row.push(ciText(r.bootstrap?.bca ?? null));
    if (head.includes('BF10')) row.push(r.bf10 === undefined ? '–' : r.bf10 === null ? (r.r !== null && r.t === null ? '∞' : '–') : fixed(r.bf10, 2));
    return row;
  });
  const alpha = 1 - options.ciLevel;
  const marked = output.results.map((r) => (options.pAdjust !== 'none' ? r.p_adjusted : r.p) !== null && (options.pAdjust !== 'none' ? r.p_adjusted! : r.p!) < alpha);
  const covariates = output.adjust.length ? output.adjust.map((c) => dataset.labels.named(c)).join(', ') : 'none (zero-order)';
  const footer = [
    `${options.method === 'pearson' ? 'Pearson' : 'Spearman'} partial correlations adjusted for ${covariates}` +
      `${output.results[0]?.covariates.length !== output.adjust.length && output.adjust.length ? ` (coded: ${output.results[0].covariates.join(', ')})` : ''}; ${options.alternative} tests.`,
    `Rows: ${dataset.counts.read} read${dataset.whereText ? `, ${dataset.counts.kept} where ${dataset.whereText}` : ''}` +
      `${options.by !== null ? `, ${output.missingStratum} missing ${dataset.columnName(options.by)}` : ''}` +
      (output.imputation
        ? '.'
        : '; listwise deletion per analysis: ' +
          output.results.map((r) => `${label(r).join('–')}${r.stratum !== null ? ` (${r.stratum})` : ''} ${r.excluded.rows}`).join(', ') +
          ' excluded.'),
    ...imputationFooter(output, dataset, options),
    ...bootstrapFooter(output.results),
    // --list-excluded: the ids each analysis left out (JSON has them as excluded.ids).
    ...output.results
      .filter((r) => r.excluded.ids !== undefined)
      .map((r) => `Excluded ${label(r).join('–')}${r.stratum !== null ? ` (${r.stratum})` : ''}: ${r.excluded.ids!.length ? r.excluded.ids!.join(', ') : 'none'}.`),
    ...output.notes.map((n) => `Note: ${n}.`),
    ...aliasedNotes(output.results),
  ];
  const markedMeans = `p < ${bounded(alpha, 2)}${adjusted ? ` after ${options.pAdjust}` : ''}`;
  return {
    title: output.imputation && !output.imputation.nothing_missing ? 'Partial correlations, pooled over imputations' : 'Partial correlations',
    head,
    rows,
    marked,
    markedMeans,
    numeric: head.map((_, i) => i >= (stratified ? 3 : 2)),
    footer,
  };
}

function comparisonSpec(output: CorrelateOutput, options: CorrelateOptions): TableSpec | null {
  if (output.comparisons.length === 0) return null;
  return {
    title: 'Stratum differences (Fisher z; Zou 2007 interval for r₁ − r₂)',
    head: ['x', 'y', 'strata', 'r₁ − r₂', `${Math.round(options.ciLevel * 1000) / 10}% CI`, 'z', 'p'],
    numeric: [false, false, false, true, true, true, true],
    rows: output.comparisons.map((c) => {
      // The names the results table shows: the role typed, else the column.
      const result = output.results.find((r) => r.x === c.x && r.y === c.y);
      const [x, y] = result ? label(result) : [c.x, c.y];
      return [x, y, `${c.strata[0]} vs ${c.strata[1]}`, bounded(c.difference), ciText(c.ci), fixed(c.z), pValue(c.p)];
    }),
    footer: output.heterogeneity.map((h) => `Heterogeneity ${h.x}–${h.y}: Q(${h.df}) = ${fixed(h.q)}, ${pPhrase(h.p)}.`),
  };
}

export function renderCorrelate(output: CorrelateOutput, dataset: Dataset, options: CorrelateOptions, format: string, terminal: Terminal, name: OptionNamer): string {
  output = named(output, name);
  if (format === 'json') return `${jsonText(correlateDocument(output, dataset, options), 2)}\n`;
  if (format === 'ndjson' || format === 'csv' || format === 'tsv') {
    // Every row gets every field (by_reason keys differ between analyses), in first-seen order.
    const rows = flatRows(output);
    const columns = columnsOf(rows);
    if (format === 'ndjson') {
      return rows.map((row) => jsonText(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))).join('\n') + '\n';
    }
    const d = format === 'tsv' ? '\t' : ',';
    return csvLine(columns, d) + rows.map((row) => csvLine(columns.map((c) => cell(row[c])), d)).join('');
  }
  const specs = [tableSpec(output, dataset, options), comparisonSpec(output, options)].filter((s): s is TableSpec => s !== null);
  if (format === 'markdown') return specs.map(renderMarkdown).join('\n');
  return specs.map((s) => renderTable(s, terminal)).join('\n');
}

/** One footer line per covariate dropped as aliased, naming the strata where it was (every analysis it was in). */
function aliasedNotes(results: CorrelateOutput['results']): string[] {
  const strata = new Map<string, Set<string>>();
  for (const r of results) {
    for (const d of r.dropped_covariates) {
      const where = strata.get(d) ?? new Set<string>();
      if (r.stratum !== null) where.add(r.stratum);
      strata.set(d, where);
    }
  }
  return [...strata].map(([d, where]) => {
    const list = [...where];
    const scope = list.length === 0 ? '' : ` (${list.length === 1 ? 'stratum' : 'strata'} ${list.join(', ')})`;
    return `Dropped as aliased (rank-deficient covariates, as R's lm): ${d}${scope}.`;
  });
}

/**
 * What a reader needs to repeat the BCa column: resamples, seed, how many resamples failed (left out of both
 * intervals), and why an interval is missing.
 */
function bootstrapFooter(results: CorrelateOutput['results']): string[] {
  const runs = results.filter((r) => r.bootstrap !== undefined);
  if (runs.length === 0) return [];
  const { resamples, seed } = runs[0].bootstrap!;
  const failed = runs.reduce((sum, r) => sum + r.bootstrap!.failed, 0);
  const reasons = [...new Set(runs.flatMap((r) => (r.bootstrap!.reason ? [r.bootstrap!.reason] : [])))];
  return [
    `Bootstrap: ${resamples.toLocaleString('en')} resamples per analysis, seed ${seed}; BCa with the jackknife acceleration; ${failed} failed resamples.`,
    ...reasons.map((reason) => `Bootstrap: ${reason}.`),
  ];
}
