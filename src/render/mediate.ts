/**
 * `mediate` output: the JSON document (schema/mediate.schema.json), flat rows (csv, tsv, ndjson: one row per effect
 * per stratum, intervals as `ci.lower`/`ci.upper`, `percentile.lower`/…, `bca.lower`/…), a terminal table and
 * Markdown with APA numbers.
 */
import type { OptionNamer, Wording } from '../errors';
import { named } from './named';
import { PROPORTION_ALPHA, type Bootstrapped, type MediateOptions, type MediateOutput, type MediationEntry } from '../analyses/mediate';
import type { Dataset } from '../data/dataset';
import { provenance } from './provenance';
import { imputationFields, imputationLine } from './imputation';
import { bounded, ciText, coefficientDigits, fixed, pPhrase, pValue } from './apa';
import { csvLine, formatNumber } from './format';
import { renderMarkdown, renderTable, type TableSpec, type Terminal } from './table';
import { jsonText, markdownText, terminalText } from '../text';

export const SOBEL_NOTE = 'Sobel test: normal-theory (first-order delta method) test of a·b, which assumes a·b is normally distributed; prefer the bootstrap intervals';
/** How --missing mi pools a mediation (mediate.ts fitImputed), after the imputation line. */
export const MI_POOLED_NOTE = "Paths pooled by Rubin's rules as mice::pool on each lm, df by Barnard–Rubin; a·b the mean over the imputations.";

export function mediateDocument(output: MediateOutput, dataset: Dataset, options: MediateOptions) {
  return {
    ...provenance(dataset),
    analysis: {
      x: output.x,
      m: output.m,
      y: output.y,
      roles: output.roles,
      adjust: output.adjust,
      by: output.by,
      missing_stratum: output.missingStratum,
      moderator: output.moderator,
      moderate: output.moderate,
      categorical: [...options.categorical],
      ref: Object.fromEntries(options.ref),
      formulas: output.formulas,
      bootstrap: { resamples: options.resamples, seed: options.seed },
      ci: options.ciLevel,
      sobel: SOBEL_NOTE,
      ...(output.imputation ? imputationFields(output.imputation) : {}),
      notes: output.notes,
    },
    mediation: output.mediation,
    ...(output.by_differences !== null ? { by_differences: output.by_differences } : {}),
  };
}

type Flat = Record<string, string | number | null>;

const pair = (prefix: string, v: [number, number] | null | undefined): Flat => ({ [`${prefix}.lower`]: v?.[0] ?? null, [`${prefix}.upper`]: v?.[1] ?? null });

function effectRow(stratum: string | null, n: number | null, effect: string, e: Partial<Bootstrapped> & { se?: number | null; t?: number | null; p?: number | null; ci?: [number, number] | null; z?: number | null }): Flat {
  return {
    stratum,
    n,
    effect,
    estimate: e.estimate ?? null,
    se: e.se ?? null,
    t: e.t ?? null,
    z: e.z ?? null,
    p: e.p ?? null,
    ...pair('ci', e.ci),
    se_boot: e.se_boot ?? null,
    ...pair('percentile', e.ci_percentile),
    ...pair('bca', e.ci_bca),
  };
}

/** One row per effect: paths, indirect (with Sobel z and p), proportion mediated, moderated quantities, differences. */
function flatRows(output: MediateOutput): Flat[] {
  const rows: Flat[] = [];
  for (const e of output.mediation) {
    const at = (effect: string, values: Parameters<typeof effectRow>[3]) => rows.push(effectRow(e.stratum, e.n, effect, values));
    if (e.paths) for (const [name, path] of Object.entries(e.paths)) at(name, path);
    if (e.indirect) at('indirect', { ...e.indirect, z: e.indirect.sobel.z, p: e.indirect.sobel.p, se: e.indirect.sobel.se });
    if (e.proportion_mediated) at('proportion_mediated', e.proportion_mediated);
    const mod = e.moderated;
    if (mod) {
      for (const i of mod.index) at(`index ${i.formula} (${mod.moderator} ${i.level})`, i);
      for (const c of mod.conditional) at(`conditional indirect (${mod.moderator} ${c.level})`, c);
      for (const d of mod.differences) at(`difference (${mod.moderator} ${d.level} − ${d.versus})`, d);
    }
  }
  for (const d of output.by_differences ?? []) rows.push(effectRow(null, null, `indirect difference (${output.by} ${d.stratum} − ${d.versus})`, d));
  return rows;
}

const levelText = (level: number) => `${Math.round(level * 1000) / 10}% CI`;

function entrySpec(output: MediateOutput, dataset: Dataset, e: MediationEntry, options: MediateOptions): TableSpec {
  const level = levelText(options.ciLevel);
  const head = ['Effect', 'Estimate', 'SE', 't / z', 'p', level, 'Boot SE', `Percentile ${level}`, `BCa ${level}`];
  const title = `Mediation ${output.x} → ${output.m} → ${output.y}${e.stratum !== null ? ` — ${output.by} = ${e.stratum}` : ''}`;
  const rows: string[][] = [];
  const footer: string[] = [];
  const digits = (v: number | null | undefined) => coefficientDigits(v ?? null);
  const boot = (b: Partial<Bootstrapped>, d: number) => [fixed(b.se_boot, d), ciText(b.ci_percentile, (v) => fixed(v, d)), ciText(b.ci_bca, (v) => fixed(v, d))];
  if (e.paths) {
    const labels: Record<string, string> = { a: `a (${output.x} → ${output.m})`, b: `b (${output.m} → ${output.y} | ${output.x})`, c: 'c (total)', c_prime: 'c′ (direct)' };
    for (const [name, p] of Object.entries(e.paths)) {
      const d = digits(p.se);
      rows.push([labels[name], fixed(p.estimate, d), fixed(p.se, d), fixed(p.t), pValue(p.p), ciText(p.ci, (v) => fixed(v, d)), '', '', '']);
    }
  }
  if (e.indirect) {
    const i = e.indirect;
    const d = digits(i.sobel.se);
    rows.push(['a·b (indirect)', fixed(i.estimate, d), fixed(i.sobel.se, d), fixed(i.sobel.z), pValue(i.sobel.p), '', ...boot(i, d)]);
  }
  if (e.proportion_mediated) {
    const pm = e.proportion_mediated;
    rows.push(['a·b / c (proportion)', fixed(pm.estimate, 3), '', '', '', '', ...boot(pm, 3)]);
  }
  const mod = e.moderated;
  if (mod) {
    for (const i of mod.index) {
      const d = digits(i.se_boot ?? i.estimate);
      rows.push([`index ${i.formula}`, fixed(i.estimate, d), '', '', '', '', ...boot(i, d)]);
    }
    for (const c of mod.conditional) {
      const d = digits(c.se_boot ?? c.estimate);
      rows.push([`indirect | ${mod.moderator} = ${c.level}`, fixed(c.estimate, d), '', '', '', '', ...boot(c, d)]);
    }
    for (const x of mod.differences) {
      const d = digits(x.se_boot ?? x.estimate);
      rows.push([`indirect ${x.level} − ${x.versus}`, fixed(x.estimate, d), '', '', '', '', ...boot(x, d)]);
    }
  }
  const imputed = output.imputation !== undefined && !output.imputation.nothing_missing;
  if (e.reason) footer.push(`Not estimated: ${e.reason}.`);
  if (imputed) footer.push(`n = ${e.n} (every row, its missing values imputed).`);
  else footer.push(
    `n = ${e.n} (rows complete on ${[output.x, output.m, output.y, ...(output.moderator ? [output.moderator] : []), ...output.adjust].map((c) => dataset.labels.named(c)).join(', ')}; ${e.excluded.rows} excluded` +
      `${e.excluded.rows ? `: ${Object.entries(e.excluded.by_reason).map(([r, c]) => `${r} ${c}`).join(', ')}` : ''}).`,
  );
  footer.push(`Models: a ${output.formulas.a}; b, c′ ${output.formulas.b}; c ${output.formulas.c}${e.covariates.length ? ` (covariate columns: ${e.covariates.join(', ')})` : ''}.`);
  if (mod) {
    for (const model of [mod.a_model, mod.b_model]) if (model) footer.push(`Moderated model: ${model.formula} (${model.terms.filter((t) => t.term.includes(':')).map((t) => `${t.term} b = ${fixed(t.estimate, digits(t.se))}, p ${pValue(t.p).startsWith('<') ? pValue(t.p) : `= ${pValue(t.p)}`}`).join('; ')}).`);
    footer.push(
      mod.moderate === 'both'
        ? `${mod.moderator} moderates a and b: the indirect effect is not linear in ${mod.moderator}, no single index of moderated mediation; conditional effects and their differences from ${mod.reference} instead.`
        : `Index of moderated mediation (Hayes 2015): the difference of the conditional indirect effects between each level of ${mod.moderator} and ${mod.reference}.`,
    );
  }
  if (e.proportion_mediated_reason) {
    // The total effect's p is why only when nothing was imputed (under --missing mi the proportion is not pooled).
    const c = e.paths && !imputed ? ` (c: ${pPhrase(e.paths.c.p)}, not below ${bounded(PROPORTION_ALPHA)})` : '';
    footer.push(`Proportion mediated not reported${c}: ${e.proportion_mediated_reason}.`);
  }
  if (imputed) {
    footer.push(`${SOBEL_NOTE}; here from the pooled a and b and their pooled SEs.`);
    footer.push(imputationLine(output.imputation!, output.by, MI_POOLED_NOTE));
  } else footer.push(`${SOBEL_NOTE}. Bootstrap: ${options.resamples} resamples, seed ${options.seed}; BCa with jackknife acceleration.`);
  const reasons = new Set<Wording>();
  for (const b of [e.indirect, e.proportion_mediated, ...(mod ? [...mod.index, ...mod.conditional, ...mod.differences] : [])]) if (b?.reason) reasons.add(b.reason);
  for (const r of reasons) footer.push(`Bootstrap: ${r}.`);
  footer.push(...e.notes.map((n) => `Note: ${n}.`));
  return { title, head, rows, numeric: head.map((_, i) => i > 0), footer };
}

function differencesSpec(output: MediateOutput, options: MediateOptions): TableSpec | null {
  if (!output.by_differences || output.by_differences.length === 0) return null;
  const level = levelText(options.ciLevel);
  return {
    title: `Indirect effect by ${output.by}: differences between strata`,
    head: [output.by!, 'Difference', 'Boot SE', `Percentile ${level}`, `BCa ${level}`],
    rows: output.by_differences.map((d) => {
      const digits = coefficientDigits(d.se_boot ?? d.estimate);
      return [`${d.stratum} − ${d.versus}`, fixed(d.estimate, digits), fixed(d.se_boot, digits), ciText(d.ci_percentile, (v) => fixed(v, digits)), ciText(d.ci_bca, (v) => fixed(v, digits))];
    }),
    numeric: [false, true, true, true, true],
    footer: [`Bootstrap resampling within ${output.by} (${options.resamples} resamples, seed ${options.seed}).`],
  };
}

export function renderMediate(output: MediateOutput, dataset: Dataset, options: MediateOptions, format: string, terminal: Terminal, name: OptionNamer): string {
  output = named(output, name);
  if (format === 'json') return `${jsonText(mediateDocument(output, dataset, options), 2)}\n`;
  if (format === 'ndjson' || format === 'csv' || format === 'tsv') {
    const rows = flatRows(output);
    const columns = rows.length ? Object.keys(rows[0]) : [];
    if (format === 'ndjson') return rows.map((row) => jsonText(row)).join('\n') + (rows.length ? '\n' : '');
    const d = format === 'tsv' ? '\t' : ',';
    return csvLine(columns, d) + rows.map((row) => csvLine(columns.map((c) => (typeof row[c] === 'number' ? formatNumber(row[c] as number) : String(row[c] ?? ''))), d)).join('');
  }
  const specs = output.mediation.map((e) => entrySpec(output, dataset, e, options));
  const diff = differencesSpec(output, options);
  if (diff) specs.push(diff);
  const notes = (safe: (text: string) => string) => output.notes.map((n) => `${safe(`Note: ${n}.`)}\n`).join('');
  if (format === 'markdown') return specs.map(renderMarkdown).join('\n') + (output.notes.length ? `\n${notes(markdownText)}` : '');
  return specs.map((s) => renderTable(s, terminal)).join('\n') + notes(terminalText);
}
