/**
 * The specification-curve figure (Simonsohn, Simmons & Nelson 2020, their Fig. 2 layout): per curve, the
 * specifications sorted by r with their CIs on top, and below, aligned on the same rank axis, a dot for each choice a
 * specification makes (covariates included, method, influential rows); the primary specification in orange.
 *
 * Sized for a journal page: one curve fits 7.2 × 9 in (691 × 864 CSS px, the largest figure most journals take);
 * several curves (the command's --figure) are laid out two to a row, so that up to four fit the same page. The
 * report draws one figure per x. Variable names come from the caller's label function (the report's labels).
 */
import type { Curve } from '../analyses/robustness';
import { bounded } from '../render/apa';
import { curvePhrases } from '../render/robustness';
import { wrapLines } from './figures';

type Spec = Record<string, any>;

const PRIMARY = '#d55e00';
const OTHER = '#1a1a1a';
const NOT_SIGNIFICANT = '#9a9a9a';

/** A variable's name as the figure shows it. */
export type Label = (name: string) => string;

const methodLabel = (m: string) => (m === 'pearson' ? 'Pearson' : 'Spearman');
const ruleLabel = (r: string) => `influential ${r}`;
const missingLabel = (m: string) => (m === 'mi' ? 'multiple imputation' : 'listwise');

/** The choice rows of the lower panel, top to bottom: each covariate, then the methods, then the influential rules. */
function choiceRows(curve: Curve, covariateLabel: (c: string) => string): string[] {
  const covariates = [...new Set(curve.specifications.flatMap((s) => s.covariates))];
  const methods = [...new Set(curve.specifications.map((s) => s.method))];
  const rules = [...new Set(curve.specifications.map((s) => s.influential))];
  const missing = [...new Set(curve.specifications.map((s) => s.missing))];
  return [...covariates.map(covariateLabel), ...methods.map(methodLabel), ...rules.map(ruleLabel), ...(missing.length > 1 ? missing.map(missingLabel) : [])];
}

/** A curve's title and its numbers, each p against the null (render/robustness.ts words them for the table too). */
function curveTitle(curve: Curve, label: Label, width: number): { text: string[]; subtitle: string[] } {
  const words = curvePhrases(curve);
  return {
    text: wrapLines(`${label(curve.x)} with ${label(curve.y)}`, width),
    subtitle: (words ? [words.median, words.share, words.stouffer] : ['no specification defined']).flatMap((line) => wrapLines(line, width)),
  };
}

/** One curve's two panels; `titled`: its own title and numbers above (in a grid); `labelled`: its choice labels (a grid's right column shares the left's). */
function curvePanels(curve: Curve, alpha: number, size: { width: number; height: number }, label: Label, titled: boolean, labelled = true): Spec {
  const { width } = size;
  const covariateLabel = (c: string) => `+ ${label(c)}`;
  const defined = curve.specifications.map((s, i) => ({ s, primary: i === 0 })).filter(({ s }) => s.r !== null && s.ci !== null);
  defined.sort((a, b) => a.s.r! - b.s.r!);
  const estimates = defined.map(({ s, primary }, i) => ({
    rank: i + 1,
    r: s.r,
    lo: s.ci![0],
    hi: s.ci![1],
    kind: primary ? 'primary' : s.p! < alpha ? `p < ${bounded(alpha)}` : 'not significant',
  }));
  const rows = choiceRows(curve, covariateLabel);
  const choices = defined.flatMap(({ s }, i) => {
    const made = [...s.covariates.map(covariateLabel), methodLabel(s.method), ruleLabel(s.influential), ...(rows.includes(missingLabel(s.missing)) ? [missingLabel(s.missing)] : [])];
    return made.map((choice) => ({ rank: i + 1, choice, kind: estimates[i].kind }));
  });
  const x = { field: 'rank', type: 'quantitative', title: null, scale: { domain: [0, defined.length + 1], nice: false }, axis: { labels: false, ticks: false, grid: false } };
  const kinds = ['primary', `p < ${bounded(alpha)}`, 'not significant'];
  return {
    ...(titled ? { title: { ...curveTitle(curve, label, 32), fontSize: 12 } } : {}),
    vconcat: [
      {
        width,
        height: size.height,
        data: { values: estimates },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { y: { datum: 0 } } },
          {
            mark: { type: 'rule', strokeWidth: 1 },
            encoding: {
              x,
              y: { field: 'lo', type: 'quantitative', title: labelled ? 'r (CI)' : null },
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
          y: { field: 'choice', type: 'nominal', sort: rows, title: null, axis: labelled ? { labelLimit: 400 } : { labels: false } },
          color: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: [PRIMARY, OTHER, NOT_SIGNIFICANT] }, legend: null },
        },
      },
    ],
  };
}

/**
 * Size (CSS px) of the estimates' plot of one curve alone, and of each of two side by side: both leave room for the
 * choice labels within 691 px (7.2 in), and two rows of pairs fit 864 px (9 in).
 */
const ALONE = { width: 400, height: 160 };
const PAIRED = { width: 180, height: 100 };

/**
 * The figure's Vega-Lite specification. One curve: its title and numbers as the figure's own. Several: a grid two
 * curves wide, each panel titled with its variables and numbers, under the figure's title.
 */
export function specificationCurveSpec(curves: Curve[], options: { alpha: number; title: string; subtitle: string[]; label?: Label }): Spec {
  const label = options.label ?? ((name: string) => name);
  if (curves.length === 1) {
    const own = curveTitle(curves[0], label, 64);
    return {
      ...curvePanels(curves[0], options.alpha, ALONE, label, false),
      title: { text: wrapLines(options.title, 56), subtitle: [...own.subtitle, ...options.subtitle.flatMap((line) => wrapLines(line, 64))] },
    };
  }
  return {
    title: { text: wrapLines(options.title, 56), subtitle: options.subtitle.flatMap((line) => wrapLines(line, 64)) },
    // Cells sized column by column: the right column, without the choice labels, is narrower.
    concat: curves.map((c, i) => curvePanels(c, options.alpha, PAIRED, label, true, i % 2 === 0)),
    columns: 2,
    align: 'each',
    spacing: { row: 24, column: 16 },
  };
}
