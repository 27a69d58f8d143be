/**
 * `model` output: the JSON document (schema/model.schema.json), flat rows (csv, tsv, ndjson: one row per term,
 * the model's fields repeated, intervals as `ci.lower`/`ci.upper`), a terminal table and Markdown with APA numbers.
 */
import type { OptionNamer } from '../errors';
import { named } from './named';
import type { ModelOptions, ModelOutput, ModelResult } from '../analyses/model';
import type { Dataset } from '../data/dataset';
import { provenance } from './provenance';
import { bounded, ciText, coefficientDigits, fixed, pValue } from './apa';
import { flatten } from './correlate';
import { csvLine, formatNumber } from './format';
import { imputationFields, imputationLine } from './imputation';
import { renderMarkdown, renderTable, TableSpec, Terminal } from './table';
import { jsonText, markdownText, terminalText } from '../text';

export function modelDocument(output: ModelOutput, dataset: Dataset, options: ModelOptions) {
  return {
    ...provenance(dataset),
    analysis: {
      formula: output.formula,
      y: output.y,
      ...(output.y_role ? { y_role: output.y_role } : {}),
      x: output.x,
      x_roles: output.x_roles,
      interaction: output.interaction,
      interaction_type: output.interaction_type,
      adjust: output.adjust,
      by: output.by,
      missing_stratum: output.missingStratum,
      categorical: [...options.categorical],
      ref: Object.fromEntries(options.ref),
      robust: options.robust,
      standardize: options.standardize,
      ci: options.ciLevel,
      notes: output.notes,
      ...(output.imputation ? imputationFields(output.imputation) : {}),
    },
    models: output.models,
  };
}

type Flat = Record<string, string | number | boolean | null>;

/** One row per term: the model's scalar fields, then the term's (flattened with correlate's `flatten`). */
function flatRows(output: ModelOutput, options: ModelOptions): Flat[] {
  const rows: Flat[] = [];
  for (const m of output.models) {
    const model: Flat = {
      stratum: m.stratum,
      formula: output.formula,
      n: m.n,
      excluded: m.excluded.rows,
      df: m.df,
      r2: m.r2,
      adj_r2: m.adj_r2,
      f: m.f,
      f_df1: m.f_df?.[0] ?? null,
      f_df2: m.f_df?.[1] ?? null,
      f_p: m.f_p,
      sigma: m.sigma,
      se_type: m.se_type,
      robust_reason: m.robust_reason === undefined ? null : String(m.robust_reason),
      cooks_max: m.diagnostics.cooks_max,
      cooks_max_id: m.diagnostics.cooks_max_id,
      influential: m.diagnostics.influential.length,
    };
    for (const term of m.terms) {
      const flat = flatten(term as unknown as Record<string, unknown>);
      // A null interval still gets its two columns, so every row has the same fields.
      if (flat.ci === null) {
        delete flat.ci;
        flat['ci.lower'] = null;
        flat['ci.upper'] = null;
      }
      const { term: name, estimate, se, t, p, 'ci.lower': lower, 'ci.upper': upper, beta, partial_r, semi_r, vif, aliased } = flat;
      rows.push({
        ...model,
        term: name,
        estimate,
        se,
        t,
        p,
        'ci.lower': lower,
        'ci.upper': upper,
        ...(options.standardize ? { beta: beta ?? null } : {}),
        partial_r,
        semi_r,
        vif,
        aliased,
      });
    }
  }
  return rows;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

const levelText = (level: number) => `${Math.round(level * 1000) / 10}% CI`;

function idList(ids: string[], max = 10): string {
  return ids.slice(0, max).join(', ') + (ids.length > max ? `, … (${ids.length - max} more)` : '');
}

function modelSpec(output: ModelOutput, m: ModelResult, dataset: Dataset, options: ModelOptions): TableSpec {
  const robust = m.se_type === 'HC3';
  // Pooled over imputations: each term's Barnard–Rubin df and fraction of missing information in place of pr, sr
  // and VIF, which are not pooled.
  const pooled = m.r2_pooled !== undefined;
  const last = pooled ? ['df', 'FMI'] : ['pr', 'sr', 'VIF'];
  const head = ['Term', 'b', robust ? 'SE (HC3)' : 'SE', 't', 'p', levelText(options.ciLevel), ...(options.standardize ? ['β'] : []), ...last];
  const rows = m.terms.map((t) => {
    if (t.aliased) return [t.term, '– (aliased)', '–', '–', '–', '–', ...(options.standardize ? ['–'] : []), ...last.map(() => '–')];
    const d = coefficientDigits(t.se ?? t.estimate);
    const f = (v: number) => fixed(v, d);
    return [
      t.term,
      fixed(t.estimate, d),
      fixed(t.se, d),
      fixed(t.t),
      pValue(t.p),
      ciText(t.ci, f),
      ...(options.standardize ? [fixed(t.beta ?? null)] : []),
      ...(pooled ? [fixed(t.mi?.df ?? null, 1), bounded(t.mi?.fmi ?? null)] : [bounded(t.partial_r), bounded(t.semi_r), fixed(t.vif)]),
    ];
  });
  const alpha = 1 - options.ciLevel;
  const marked = m.terms.map((t, j) => j > 0 && t.p !== null && t.p < alpha);
  const title = `Linear model: ${output.formula}${m.stratum !== null ? ` — ${output.by} = ${m.stratum}` : ''}`;
  const footer: string[] = [];
  if (m.reason) footer.push(`Not fitted: ${m.reason}.`);
  else if (m.r2_pooled) {
    footer.push(`n = ${m.n}, pooled R² = ${bounded(m.r2_pooled.estimate)} [${bounded(m.r2_pooled.ci[0])}, ${bounded(m.r2_pooled.ci[1])}] (mice::pool.r.squared); complete-data residual df ${m.df}.`);
    footer.push(imputationLine(output.imputation!, output.by, "Coefficients pooled by Rubin's rules as mice::pool, df by Barnard–Rubin; R² as mice::pool.r.squared."));
  } else {
    const fText = m.f === null || m.f_df === null ? 'F undefined' : `F(${m.f_df[0]}, ${m.f_df[1]}) = ${fixed(m.f)}, p ${pValue(m.f_p).startsWith('<') ? pValue(m.f_p) : `= ${pValue(m.f_p)}`}`;
    footer.push(
      `n = ${m.n}, R² = ${bounded(m.r2)}, adjusted R² = ${bounded(m.adj_r2)}, ${fText}; residual SE = ${fixed(m.sigma, coefficientDigits(m.sigma))} on ${m.df} df.`,
    );
  }
  const roles = [[output.y_role, output.y], ...output.x_roles.map((r, i) => [r, output.x[i]])].filter(([r]) => r);
  if (roles.length) footer.push(`Roles: ${roles.map(([r, c]) => `${r} = ${c}`).join(', ')}.`);
  const coded = m.terms.map((t) => t.term);
  footer.push(
    `Covariates: ${output.adjust.length ? output.adjust.map((c) => dataset.labels.named(c)).join(', ') : 'none'}` +
      `${output.interaction ? `; ${output.interaction_type === 'numeric' ? 'numeric moderator' : 'interaction with'} ${output.interaction}` : ''}` +
      `${coded.length ? ` (columns as coded: ${coded.slice(1).join(', ')})` : ''}.`,
  );
  footer.push(
    `Rows: ${dataset.counts.read} read${dataset.whereText ? `, ${dataset.counts.kept} where ${dataset.whereText}` : ''}` +
      `${output.missingStratum !== null ? `, ${output.missingStratum} missing ${output.by}` : ''}` +
      (output.imputation
        ? '.'
        : `; listwise deletion: ${m.excluded.rows} excluded` +
          `${m.excluded.rows ? ` (${Object.entries(m.excluded.by_reason).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}.`),
  );
  if (m.aliased.length) footer.push(`Aliased (linear combinations of earlier columns, estimate – as R's NA): ${m.aliased.join(', ')}.`);
  if (m.dropped.length) footer.push(`Dropped (one level in these rows): ${m.dropped.join(', ')}.`);
  if (robust) {
    footer.push(
      m.robust_reason
        ? `SE: ${m.robust_reason}.`
        : `SE: HC3 (sandwich::vcovHC), t tests on ${m.df} df (lmtest::coeftest); R², F, pr and sr are from the OLS fit.`,
    );
  }
  const dg = m.diagnostics;
  if (dg.cooks_max !== null) {
    footer.push(
      `Cook's distance: max ${fixed(dg.cooks_max, 3)} (${dg.cooks_max_id}); ${dg.influential.length} ${dg.influential.length === 1 ? 'row' : 'rows'} above 4/n = ${fixed(dg.cooks_threshold, 4)}` +
        `${dg.influential.length ? `: ${idList(dg.influential)}` : ''}.`,
    );
  }
  if (dg.leverage_one.length) footer.push(`Leverage 1 (fitted exactly): ${idList(dg.leverage_one)}.`);
  if (output.interaction) footer.push('VIF of the x, group and x:group columns reflects the coding (uncentred x), not a problem with the model.');
  if (options.standardize) footer.push('β: coefficients on standardized model-matrix columns (interaction column as coded), as lm.beta.');
  footer.push(pooled ? 'df: Barnard–Rubin degrees of freedom of each term; FMI: its fraction of missing information (mice::pool).' : 'pr, sr: partial and semi-partial r of each column.');
  footer.push(...m.notes.map((n) => `Note: ${n}.`));
  return { title, head, rows, marked, markedMeans: `p < ${bounded(alpha, 2)}`, numeric: head.map((_, i) => i > 0), footer };
}

function slopesSpec(output: ModelOutput, m: ModelResult, options: ModelOptions): TableSpec | null {
  if (!m.simple_slopes || m.simple_slopes.length === 0) return null;
  const numeric = output.interaction_type === 'numeric';
  const robust = m.se_type === 'HC3';
  const head = ['x', numeric ? `${output.interaction} at` : output.interaction!, 'b', robust ? 'SE (HC3)' : 'SE', 't', 'p', levelText(options.ciLevel)];
  const rows = m.simple_slopes.map((s) => {
    const d = coefficientDigits(s.se ?? s.estimate);
    const level = s.at !== undefined ? `${s.level} (${fixed(s.at, 2)})` : s.level;
    if (s.estimate === null) return [s.x, level, `– (${s.reason})`, '–', '–', '–', '–'];
    return [s.x, level, fixed(s.estimate, d), fixed(s.se, d), fixed(s.t), pValue(s.p), ciText(s.ci, (v) => fixed(v, d))];
  });
  const alpha = 1 - options.ciLevel;
  const reasons = [...new Set(m.simple_slopes.filter((s) => s.estimate !== null && s.reason && s.reason !== m.robust_reason).map((s) => s.reason!))];
  return {
    title: `Simple slopes by ${output.interaction}${m.stratum !== null ? ` — ${output.by} = ${m.stratum}` : ''}`,
    head,
    rows,
    marked: m.simple_slopes.map((s) => s.p !== null && s.p < alpha),
    markedMeans: `p < ${bounded(alpha, 2)}`,
    numeric: head.map((_, i) => i > 1),
    footer: [
      numeric
        ? `Slope of each x at the mean of ${output.interaction} and 1 SD either side (b_x + value·b_x:${output.interaction}).`
        : `Slope of each x in each level of ${output.interaction} (b_x + b_x:level; the reference level's is b_x).`,
      ...(m.simple_slopes.some((s) => s.df !== undefined) ? ["Pooled over the imputations by Rubin's rules as each slope's own coefficient (mice::pool); t, p and CI on its Barnard–Rubin df."] : []),
      ...reasons.map((r) => `Note: ${r}.`),
    ],
  };
}

export function renderModel(output: ModelOutput, dataset: Dataset, options: ModelOptions, format: string, terminal: Terminal, name: OptionNamer): string {
  output = named(output, name);
  if (format === 'json') return `${jsonText(modelDocument(output, dataset, options), 2)}\n`;
  if (format === 'ndjson' || format === 'csv' || format === 'tsv') {
    const rows = flatRows(output, options);
    const columns = rows.length ? Object.keys(rows[0]) : [];
    if (format === 'ndjson') return rows.map((row) => jsonText(row)).join('\n') + (rows.length ? '\n' : '');
    const d = format === 'tsv' ? '\t' : ',';
    return csvLine(columns, d) + rows.map((row) => csvLine(columns.map((c) => cell(row[c])), d)).join('');
  }
  const specs: TableSpec[] = [];
  for (const m of output.models) {
    specs.push(modelSpec(output, m, dataset, options));
    const slopes = slopesSpec(output, m, options);
    if (slopes) specs.push(slopes);
  }
  const notes = (safe: (text: string) => string) => output.notes.map((n) => `${safe(`Note: ${n}.`)}\n`).join('');
  if (format === 'markdown') return specs.map(renderMarkdown).join('\n') + (output.notes.length ? `\n${notes(markdownText)}` : '');
  return specs.map((s) => renderTable(s, terminal)).join('\n') + notes(terminalText);
}
