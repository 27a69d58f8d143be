/**
 * The specification-curve figure (Simonsohn, Simmons & Nelson 2020, their Fig. 2 layout): per curve, the
 * specifications sorted by r with their CIs on top, and below, aligned on the same rank axis, a dot for each choice a
 * specification makes (covariates included, method, influential rows); the primary specification in orange.
 */
import type { Curve } from '../analyses/robustness';
import { bounded } from '../render/apa';

type Spec = Record<string, any>;

const PRIMARY = '#d55e00';
const OTHER = '#1a1a1a';
const NOT_SIGNIFICANT = '#9a9a9a';

const covariateLabel = (c: string) => `+ ${c}`;
const methodLabel = (m: string) => (m === 'pearson' ? 'Pearson' : 'Spearman');
const ruleLabel = (r: string) => `influential ${r}`;
const missingLabel = (m: string) => (m === 'mi' ? 'multiple imputation' : 'listwise');

/** The choice rows of the lower panel, top to bottom: each covariate, then the methods, then the influential rules. */
function choiceRows(curve: Curve): string[] {
  const covariates = [...new Set(curve.specifications.flatMap((s) => s.covariates))];
  const methods = [...new Set(curve.specifications.map((s) => s.method))];
  const rules = [...new Set(curve.specifications.map((s) => s.influential))];
  const missing = [...new Set(curve.specifications.map((s) => s.missing))];
  return [...covariates.map(covariateLabel), ...methods.map(methodLabel), ...rules.map(ruleLabel), ...(missing.length > 1 ? missing.map(missingLabel) : [])];
}

function curvePanels(curve: Curve, alpha: number, width: number): Spec {
  const defined = curve.specifications.map((s, i) => ({ s, primary: i === 0 })).filter(({ s }) => s.r !== null && s.ci !== null);
  defined.sort((a, b) => a.s.r! - b.s.r!);
  const estimates = defined.map(({ s, primary }, i) => ({
    rank: i + 1,
    r: s.r,
    lo: s.ci![0],
    hi: s.ci![1],
    kind: primary ? 'primary' : s.p! < alpha ? `p < ${bounded(alpha)}` : 'not significant',
  }));
  const rows = choiceRows(curve);
  const choices = defined.flatMap(({ s }, i) => {
    const made = [...s.covariates.map(covariateLabel), methodLabel(s.method), ruleLabel(s.influential), ...(rows.includes(missingLabel(s.missing)) ? [missingLabel(s.missing)] : [])];
    return made.map((choice) => ({ rank: i + 1, choice, kind: estimates[i].kind }));
  });
  const x = { field: 'rank', type: 'quantitative', title: null, scale: { domain: [0, defined.length + 1], nice: false }, axis: { labels: false, ticks: false, grid: false } };
  const kinds = ['primary', `p < ${bounded(alpha)}`, 'not significant'];
  const summary = curve.summary;
  return {
    title: {
      text: `${curve.x} with ${curve.y}`,
      subtitle: summary
        ? `median r = ${bounded(summary.median_r)}; joint p: median ${bounded(curve.joint.median_r_p, 3)}, share significant ${bounded(curve.joint.share_significant_p, 3)}, Stouffer ${bounded(curve.joint.stouffer_p, 3)}`
        : 'no specification defined',
    },
    vconcat: [
      {
        width,
        height: 160,
        data: { values: estimates },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { y: { datum: 0 } } },
          {
            mark: { type: 'rule', strokeWidth: 1 },
            encoding: {
              x,
              y: { field: 'lo', type: 'quantitative', title: 'r (CI)' },
              y2: { field: 'hi' },
              color: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [PRIMARY, OTHER, NOT_SIGNIFICANT] }, title: null },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 22 },
            encoding: { x, y: { field: 'r', type: 'quantitative' }, color: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [PRIMARY, OTHER, NOT_SIGNIFICANT] }, title: null } },
          },
        ],
      },
      {
        width,
        height: 14 * rows.length,
        data: { values: choices },
        mark: { type: 'point', filled: true, size: 16 },
        encoding: {
          x,
          y: { field: 'choice', type: 'nominal', sort: rows, title: null, axis: { labelLimit: 400 } },
          color: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [PRIMARY, OTHER, NOT_SIGNIFICANT] }, legend: null },
        },
      },
    ],
  };
}

/** The figure's Vega-Lite specification: one block (estimates over choices) per curve, stacked. */
export function specificationCurveSpec(curves: Curve[], options: { alpha: number; title: string; subtitle: string[] }): Spec {
  const most = Math.max(1, ...curves.map((c) => c.specifications.length));
  const width = Math.min(720, Math.max(240, 6 * most));
  return {
    title: { text: options.title, subtitle: options.subtitle },
    vconcat: curves.map((c) => curvePanels(c, options.alpha, width)),
    spacing: 28,
  };
}
