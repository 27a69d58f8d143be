/**
 * Correlation results in the report's words and tables: the sentence of an association, the compact list of the
 * others, the manuscript table of partial correlations and its notes. The correlations, stratified, expectation and
 * sensitivity steps all show correlate's results this way.
 */
import type { CorrelateOutput, CorrelateResult } from '../analyses/correlate';
import { imputationLine } from '../render/imputation';
import { bounded, ciText, pValue } from '../render/apa';
import type { TableSpec } from '../render/table';
import { adjusting, bfEvidence, bfText, capitalise, levelText, nameOf, P_ADJUST_NAMES, rNumbers, strength, type Labels } from './wording';

/** Rows per table: results in x order; `by` adds the stratum column. */
export function correlationTable(
  title: string,
  results: CorrelateResult[],
  side: 'x' | 'y',
  labels: Labels,
  ci: number,
  pAdjust: string,
  footer: string[],
  options: { stratum?: string; symbol?: string; bayes?: boolean; zeroOrder?: boolean } = {},
): TableSpec {
  const symbol = options.symbol ?? 'r';
  const adjusted = pAdjust !== 'none';
  const bayes = options.bayes ?? results.some((r) => r.bf10 !== undefined);
  const zero = options.zeroOrder ?? true;
  const head = ['Variable', ...(options.stratum ? [options.stratum] : []), 'n', 'df', symbol, `${levelText(ci)} CI`, 'p', ...(adjusted ? [`p (${P_ADJUST_NAMES[pAdjust]})`] : []), ...(bayes ? ['BF₁₀'] : []), ...(zero ? [`Zero-order ${symbol}`] : [])];
  const rows = results.map((r) => [
    labels.table(nameOf(r, side)),
    ...(options.stratum ? [r.stratum ?? ''] : []),
    String(r.n),
    r.df === null ? '–' : String(r.df),
    r.r === null ? `– (${r.reason ?? 'undefined'})` : bounded(r.r),
    ciText(r.ci),
    pValue(r.p),
    ...(adjusted ? [pValue(r.p_adjusted)] : []),
    ...(bayes ? [bfText(r.bf10)] : []),
    ...(zero ? [bounded(r.zero_order.r)] : []),
  ]);
  return { title, head, rows, numeric: head.map((_, i) => i >= (options.stratum ? 2 : 1)), footer };
}

/** How correlate --missing mi pools a partial r (analyses/correlate/imputed.ts). */
export const POOLED_NOTE = "pooled on Fisher's z (within variance 1/(n − 3 − k), complete-data df n − 2 − k, Barnard–Rubin df)";

/** The rows a correlation step used: listwise deletion's exclusions, or (plan missing.method "mi") the imputation. */
export function rowsNote(output: CorrelateOutput, side: 'x' | 'y', labels: Labels, by: string | null = null): string {
  const imputation = output.imputation;
  if (imputation === undefined || imputation.nothing_missing) return excludedNote(output.results, side, labels);
  return imputationLine(imputation, by, `Every row kept; each partial r ${POOLED_NOTE}.`);
}

export function excludedNote(results: CorrelateResult[], side: 'x' | 'y', labels: Labels): string {
  return (
    'Listwise deletion per analysis, rows left out: ' +
    results
      .map((r) => {
        const reasons = Object.entries(r.excluded.by_reason).map(([why, count]) => `${why.replace(/^missing /, '')} ${count}`);
        return `${labels.table(nameOf(r, side))}${r.stratum !== null ? ` (${r.stratum})` : ''} ${r.excluded.rows}${reasons.length ? ` (missing: ${reasons.join(', ')})` : ''}`;
      })
      .join('; ') +
    '.'
  );
}

export function codedNote(results: CorrelateResult[]): string | null {
  const first = results.find((r) => r.r !== null) ?? results[0];
  if (!first) return null;
  const dropped = [...new Set(results.flatMap((r) => r.dropped_covariates))];
  return `Covariate columns as coded: ${first.covariates.length ? first.covariates.join(', ') : 'none'} (k = ${first.k})${dropped.length ? `; dropped as aliased: ${dropped.join(', ')}` : ''}.`;
}

export const METHOD_NOTE = (ci: number, output?: CorrelateOutput) =>
  output?.imputation !== undefined && !output.imputation.nothing_missing
    ? `Pearson partial correlations pooled over the imputations; ${levelText(ci)} CI tanh(z̄ ± t·√T) and p from t = z̄/√T, both on the Barnard–Rubin df.`
    : `Pearson partial correlations; ${levelText(ci)} CI by Fisher z on n − 3 − k; p from the two-sided t test on df = n − 2 − k.`;
export const BAYES_NOTE = 'BF₁₀: JZS Bayes factor of the partial correlation against none (Wetzels & Wagenmakers 2012, r scale 1); > 3 favours an association, < 1/3 none.';

/** Paragraph for one correlation with words: "Adjusting for …, alliance was weakly and negatively associated with …". */
export function associationSentence(r: CorrelateResult, labels: Labels, ci: number, pAdjust: string, covariates: string, lead = true): string {
  const x = labels.text(nameOf(r, 'x'));
  const y = labels.text(nameOf(r, 'y'));
  const start = lead ? `${adjusting(covariates)}, ${x}` : capitalise(x);
  if (r.r === null) return `${start} and ${y}: the partial correlation could not be estimated (${r.reason ?? 'undefined'}, n = ${r.n}).`;
  const words = `was ${strength(r.r)} and ${r.r < 0 ? 'negatively' : 'positively'} associated with`;
  const bf = r.bf10 !== undefined && r.bf10 !== null ? ` The Bayes factor gives ${bfEvidence(r.bf10)}.` : '';
  return `${start} ${words} ${y}, ${rNumbers(r, ci, pAdjust)} (*n* = ${r.n}).${bf}`;
}

export function compactList(results: CorrelateResult[], side: 'x' | 'y', labels: Labels, ci: number, pAdjust: string, symbol = '*r*'): string {
  return results.map((r) => `${labels.text(nameOf(r, side))} ${r.r === null ? `(not estimable: ${r.reason})` : rNumbers(r, ci, pAdjust, symbol)}`).join('; ');
}
