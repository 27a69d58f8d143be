/**
 * Step "published": every value and claim of a published-values file (plan key `published`, or --published; its
 * text as read once before the run and recorded in the provenance as `published_file`)
 * recomputed on the input by checkPublished (src/analyses/published.ts): per value the reanalysed value, its 95%
 * interval and a verdict (matches / within_ci / differs); per claim the test run for it, its estimate and p, the
 * comparisons (with the Fisher z test of a stratum difference and Zou's interval) and whether it is supported.
 *
 * Each value is computed on its own analysis's rows (the file's `where`, e.g. arm=app), not the plan's: the file
 * says which population the paper analysed. A value the data cannot give (a column missing, no usable rows, the
 * waitlist arm without WAI-I answers) is listed with the reason; it never fails the report.
 */
import { checkPublished, type ClaimCheck, type PublishedCheck, type ValueCheck } from '../../analyses/published';
import { parsePublished, type Published } from '../../data/published';
import { bounded, ciText, fixed, pPhrase, pValue } from '../../render/apa';
import type { Block } from '../blocks';
import { nextTable, type ReportStep } from '../step';

export interface PublishedResult {
  published: Published;
  check: PublishedCheck;
}

const CORRELATIONS = new Set(['r', 'partial_r']);
const VERDICTS: Record<string, string> = { matches: 'matches', within_ci: 'within CI', differs: 'differs' };

export const published: ReportStep<PublishedResult> = {
  id: 'published',
  title: 'Published and reanalysed',
  needs: 'published',

  async run(ctx) {
    const file = ctx.plan.published!;
    // The file as read once and recorded in the provenance (a replay's is the recorded text), never read again here.
    const recorded = ctx.published;
    if (recorded === null || recorded.path !== file) throw new Error(`the published-values file ${file} was not read before the run`);
    const paper = parsePublished(recorded);
    const check = await checkPublished({ open: (where) => ctx.openWhere(where) }, paper);
    const entry = {
      file,
      source: { title: paper.source.title, doi: paper.source.doi },
      summary: summary(check),
      values: check.values,
      claims: check.claims,
    };
    return { result: { published: paper, check }, entry };
  },

  write({ published: paper, check }, ctx): Block[] {
    const source = `${paper.source.title}${paper.source.doi ? ` (doi ${paper.source.doi})` : ''}`;
    const lead =
      `${source} reports ${count(check.values.length, 'value')} and ${count(check.claims.length, 'claim')}, recorded in \`${ctx.run.plan.published}\`. ` +
      `Reanalysed on this file, each on its analysis's rows: ${summary(check)}.`;
    const idOf = (i: number) => paper.values[i].analysis.id;
    const valueRows = check.values.map((v, i) => [v.quantity, idOf(i), shown(v, v.published, v.precision), reanalysed(v), v.n === null ? '–' : String(v.n), verdictText(v)]);
    const used = [...new Set([...paper.values.map((v) => v.analysis), ...paper.claims.flatMap((c) => [c.estimate.analysis, ...c.below.map((s) => s.analysis), ...c.above.map((s) => s.analysis)])])];
    const notComputed = check.values.filter((v) => v.verdict === null).map((v) => `${v.quantity}: ${v.reason ?? 'not computed'}`);
    const valueFooter = [
      'Reanalysed: the value at two more decimals than printed, with its 95% CI (t interval for a mean, χ² interval for an SD, Fisher z for r and partial r, the model\'s t interval for a coefficient; none for N).',
      'Verdict, the first that holds: matches (the reanalysed value prints as the published one at its precision), within CI (the published value lies in the reanalysis CI), differs.',
      `Analyses: ${used.map((a) => `${a.id} = ${a.label}${a.where ? ` (rows: ${a.where})` : ''}`).join('; ')}.`,
      ...(notComputed.length ? [`Not computed: ${notComputed.join('; ')}.`] : []),
    ];
    const claimRows = check.claims.map((c, i) => [c.claim, c.test, estimateText(c, paper.claims[i].estimate.statistic), pValue(c.p), c.n === null ? '–' : String(c.n), comparisons(c, [...paper.claims[i].below, ...paper.claims[i].above].map((s) => s.analysis.id)), supportedText(c)]);
    const untested = check.claims.filter((c) => c.supported === null).map((c) => `${c.claim}: ${c.reason ?? 'not computed'}`);
    const claimFooter = [
      'The paper states its claims in words; the test beside each is this reanalysis\'s operationalisation of it.',
      'Compared with: the other estimates the claim orders this one against; for two correlations from independent samples (strata), their difference Δ with its 95% CI (Zou 2007) and the Fisher z test of the difference, so the difference itself can be judged, not only the order (the test assumes independent samples: it holds between two strata, and is only indicative between a stratum and the whole sample it is part of).',
      ...(untested.length ? [`Not tested: ${untested.join('; ')}.`] : []),
    ];
    const blocks: Block[] = [{ kind: 'paragraph', text: lead }];
    if (check.values.length) {
      blocks.push({
        kind: 'table',
        spec: { title: nextTable(ctx, 'Published and reanalysed values'), head: ['Quantity', 'Analysis', 'Published', 'Reanalysed [95% CI]', 'n', 'Verdict'], rows: valueRows, numeric: [false, false, true, true, true, false], footer: valueFooter },
      });
    }
    if (check.claims.length) {
      blocks.push({
        kind: 'table',
        spec: { title: nextTable(ctx, 'Published claims and the tests run for them'), head: ['Claim', 'Test', 'Estimate', 'p', 'n', 'Compared with', 'Supported'], rows: claimRows, numeric: [false, false, true, true, true, false, false], footer: claimFooter },
      });
    }
    return blocks;
  },
};

/** "8 of 8 values match, 5 of 5 claims supported", with the other verdicts counted when there are any. */
export function summary(check: PublishedCheck): string {
  const parts: string[] = [];
  const values = check.values;
  if (values.length) {
    const n = (verdict: string | null) => values.filter((v) => v.verdict === verdict).length;
    const rest = [
      n('within_ci') ? `${n('within_ci')} within the reanalysis CI` : '',
      n('differs') ? `${n('differs')} ${n('differs') === 1 ? 'differs' : 'differ'}` : '',
      n(null) ? `${n(null)} could not be computed` : '',
    ].filter(Boolean);
    parts.push(`${n('matches')} of ${values.length} ${values.length === 1 ? 'value matches' : 'values match'}${rest.length ? ` (${rest.join(', ')})` : ''}`);
  }
  const claims = check.claims;
  if (claims.length) {
    const n = (supported: boolean | null) => claims.filter((c) => c.supported === supported).length;
    const rest = [n(false) ? `${n(false)} not supported` : '', n(null) ? `${n(null)} could not be tested` : ''].filter(Boolean);
    parts.push(`${n(true)} of ${claims.length} ${claims.length === 1 ? 'claim' : 'claims'} supported${rest.length ? ` (${rest.join(', ')})` : ''}`);
  }
  return parts.join(', ');
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A value at `digits` decimals: without the leading zero for a correlation (APA). */
function shown(v: ValueCheck, value: number, digits: number): string {
  return CORRELATIONS.has(v.statistic) ? bounded(value, digits) : fixed(value, digits);
}

function reanalysed(v: ValueCheck): string {
  if (v.reanalysed === null) return '–';
  const digits = v.statistic === 'rows' ? 0 : v.precision + 2;
  const value = shown(v, v.reanalysed, digits);
  return v.ci === null ? value : `${value} ${ciText(v.ci, (x) => shown(v, x, digits))}`;
}

function verdictText(v: ValueCheck): string {
  return v.verdict === null ? 'not computed' : VERDICTS[v.verdict];
}

function estimateText(c: ClaimCheck, statistic: string): string {
  if (c.estimate === null) return '–';
  return CORRELATIONS.has(statistic) ? `r = ${bounded(c.estimate)}` : fixed(c.estimate, 3);
}

/** Each estimate the claim is ordered against, by its analysis's id (`ids`, in the order of c.compared). */
function comparisons(c: ClaimCheck, ids: string[]): string {
  if (c.compared.length === 0) return '–';
  return c.compared
    .map((o, i) => {
      const value = o.estimate === null ? 'not computed' : bounded(o.estimate);
      const d = o.difference;
      const test = d === null ? '' : `; Δ = ${bounded(d.difference)} ${ciText(d.ci)}, z = ${fixed(d.z)}, ${pPhrase(d.p)}`;
      return `${ids[i]}: ${value}${test}`;
    })
    .join(' · ');
}

function supportedText(c: ClaimCheck): string {
  return c.supported === null ? 'not tested' : c.supported ? 'yes' : 'no';
}
