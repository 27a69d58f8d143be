/**
 * The report's figures: Vega-Lite 5 specifications compiled to Vega and rendered to SVG in Node, without a
 * browser or node-canvas (`renderer: 'none'`; text widths are then estimated, which only affects label layout).
 * vega and vega-lite are imported by renderSvg, when a report draws its first figure, never at start-up (the bundle
 * keeps them external).
 *
 *   forest.svg                 partial r with its interval per x: overall and per stratum.
 *   added-variable-<x>.svg     residualised x against residualised y, with the least-squares line (slope = b of x)
 *                              and its confidence band.
 *   mnar-delta.svg             pooled partial r and its interval against the MNAR shift δ, one panel per x,
 *                              tipping points marked.
 *   specification-curve-<x>.svg (spec-curve.ts) every specification's partial r, sorted, and its choices.
 *
 * All use one palette (Okabe–Ito) and one set of shapes, group by group in the same order, and fit a journal
 * page: at most 7.2 × 9 in (691 × 864 CSS px) with the CanRelax labels (a much longer label widens the forest plot;
 * Word shrinks any figure to its text width).
 */
import { bounded, ciText, fixed } from '../render/apa';
import type { AddedVariable } from '../analyses/added-variable';
import { tQuantile } from '../stats/quantiles';
import { createRandom } from '../stats/random';
import { terminalText } from '../text';
import { importLibrary } from '../io/library';
import type { TopLevelSpec } from 'vega-lite';

/** Okabe–Ito colours (distinguishable with colour-vision deficiencies); overall estimates in near-black. */
const OVERALL_COLOUR = '#1a1a1a';
const PALETTE = ['#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442'];

const CONFIG = {
  // DejaVu Sans first: the font the PNG and PDF are drawn with (figure-files.ts); a browser without it falls back.
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#cfcfcf' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#ececec', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'bottom' },
  title: { fontSize: 14, fontWeight: 'bold', subtitleFontSize: 11, subtitleColor: '#444', anchor: 'start', offset: 10 },
} as const;

type Spec = Record<string, any>;

/** The SVG's size in CSS pixels (vega writes width and height on the root element). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\bheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error('svgSize: the SVG has no width and height');
  return { width, height };
}

/**
 * Every string in a spec (titles, labels, ids from the data) with its control characters shown as escapes (text.ts):
 * vega escapes `& < >` in the SVG, but an ESC or other C0 character would make the SVG invalid XML.
 */
function visibleStrings<T>(value: T): T {
  if (typeof value === 'string') return terminalText(value) as T;
  if (Array.isArray(value)) return value.map(visibleStrings) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleStrings(v)])) as T;
  }
  return value;
}

/**
 * Text broken into lines of at most `max` characters, at spaces (a longer word stands alone). For titles and
 * subtitles: without node-canvas vega estimates their width generously (about 0.8 em a character), and a long line
 * would widen the whole figure beyond a journal page.
 */
export function wrapLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The spec without its own title and subtitle (plan key "figure_titles": "none"): journals want the title in the
 * caption only. Panel titles inside a figure (which curve, which variable) stay: they label the panels.
 */
export function withoutTitle(spec: Spec): Spec {
  const { title: _title, ...rest } = spec;
  return rest;
}

/** Compiles a Vega-Lite spec and renders it to an SVG document (text). */
export async function renderSvg(spec: Spec): Promise<string> {
  const [vega, vl] = await importLibrary('vega for the figures', Promise.all([import('vega'), import('vega-lite')]));
  // The builders below make plain objects (Spec); vega-lite checks them as it compiles.
  const topLevel = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: CONFIG, ...visibleStrings(spec) } as TopLevelSpec;
  const compiled = vl.compile(topLevel).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg: string = await view.toSVG();
    return svg.endsWith('\n') ? svg : `${svg}\n`;
  } finally {
    view.finalize();
  }
}

export interface ForestRow {
  /** Variable label (y axis). */
  label: string;
  /** "All" or the stratum. */
  group: string;
  r: number;
  ci: [number, number];
  n: number;
}

/** Colour of each group: "All" near-black, strata in palette order (the added-variable plots use the same). */
function colours(groups: string[], overall: string | null): string[] {
  let next = 0;
  return groups.map((g) => (g === overall ? OVERALL_COLOUR : PALETTE[next++ % PALETTE.length]));
}

/** Shape of each group (told apart without colour too): "All" a circle, strata the others in order. */
const SHAPES = ['square', 'triangle-up', 'diamond', 'triangle-down', 'cross', 'triangle-left', 'triangle-right'];
function shapes(groups: string[], overall: string | null): string[] {
  let next = 0;
  return groups.map((g) => (g === overall ? 'circle' : SHAPES[next++ % SHAPES.length]));
}

/**
 * Forest plot of partial correlations: one row per variable, one interval per group, a dashed line at zero, and
 * beside the intervals two text columns, r [CI] and n, one line per interval.
 */
export function forestSpec(
  rows: ForestRow[],
  options: { title: string; subtitle: string[]; axisTitle: string; ciTitle: string; overall: string | null },
): Spec {
  const labels = [...new Set(rows.map((r) => r.label))];
  const groups = [...new Set(rows.map((r) => r.group))];
  let lo = 0;
  let hi = 0;
  for (const r of rows) {
    lo = Math.min(lo, r.ci[0]);
    hi = Math.max(hi, r.ci[1]);
  }
  const pad = 0.05;
  const domain = [Math.max(-1, Math.floor((lo - pad) * 10) / 10), Math.min(1, Math.ceil((hi + pad) * 10) / 10)];
  const values = rows.map((r) => ({ label: r.label, group: r.group, r: r.r, lo: r.ci[0], hi: r.ci[1], estimate: `${bounded(r.r)} ${ciText(r.ci)}`, n: String(r.n) }));
  const height = Math.max(120, labels.length * groups.length * 17 + labels.length * 10);
  // No label limit: without node-canvas vega estimates text widths, generously, and would cut labels that fit.
  const y = { field: 'label', type: 'nominal', sort: labels, title: null, axis: { labelFontSize: 12, labelPadding: 6, labelLimit: 0, grid: false, ticks: false } };
  const yOffset = { field: 'group', type: 'nominal', sort: groups, scale: { paddingOuter: 0.2 } };
  const legend = groups.length > 1 ? { title: null, direction: 'horizontal' } : null;
  const color = { field: 'group', type: 'nominal', sort: groups, scale: { domain: groups, range: colours(groups, options.overall) }, legend };
  const shape = { field: 'group', type: 'nominal', sort: groups, scale: { domain: groups, range: shapes(groups, options.overall) }, legend };
  const x = { type: 'quantitative', scale: { domain, nice: false, zero: false }, axis: { format: '.1f', tickCount: Math.round((domain[1] - domain[0]) * 10) / 2 + 1, labelFontSize: 12, titleFontSize: 12 } };
  /** A text column beside the plot: one line per interval, right-aligned, its name as its header (an axis title on top). */
  const column = (field: string, header: string, width: number) => ({
    width,
    height,
    view: { stroke: null },
    data: { values },
    mark: { type: 'text', align: 'right', baseline: 'middle', fontSize: 12, color: '#1a1a1a' },
    encoding: {
      y: { ...y, axis: null },
      yOffset,
      x: { datum: 1, type: 'quantitative', scale: { domain: [0, 1] }, axis: { orient: 'top', title: header, titleAnchor: 'end', titleFontWeight: 'bold', titleFontSize: 12, labels: false, ticks: false, domain: false, grid: false } },
      text: { field },
    },
  });
  return {
    title: { text: options.title, subtitle: options.subtitle },
    // Cells placed by their widths alone: vega's estimate of the text columns' widths (no node-canvas) would
    // otherwise push them away from the plot.
    bounds: 'flush',
    spacing: 12,
    padding: { left: 5, top: 5, bottom: 5, right: 12 },
    hconcat: [
      {
        // With the labels beside it (the CanRelax ones) and the two text columns, 7.2 in (691 px) at most.
        width: 285,
        height,
        layer: [
          { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#555', strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x: { field: 'zero', ...x, title: options.axisTitle } } },
          {
            data: { values },
            mark: { type: 'rule', strokeWidth: 2.2 },
            encoding: { y, yOffset, color, x: { field: 'lo', ...x, title: options.axisTitle }, x2: { field: 'hi' } },
          },
          {
            data: { values },
            mark: { type: 'point', filled: true, size: 60, opacity: 1 },
            encoding: { y, yOffset, color, shape, x: { field: 'r', ...x, title: options.axisTitle } },
          },
        ],
        resolve: { scale: { x: 'shared' } },
      },
      column('estimate', options.ciTitle, 104),
      column('n', 'n', 40),
    ],
  };
}

/**
 * Points an added-variable plot draws at most: beyond this a random sample (fixed seed, the same on every run) is
 * drawn, so that the SVG stays small (about 150 bytes a point: 1,000 points ≈ 150 KB); the line and its band use
 * every row.
 */
export const AV_MAX_POINTS = 1000;
const AV_SAMPLE_SEED = 1;

/**
 * Point size (area, px²) and opacity for `n` points: the same as before up to 100 points, then smaller and
 * fainter as overplotting grows: size = 34·(100/n)^0.3 (at least 8), opacity = 0.75·(100/n)^0.35 (at least 0.2).
 */
export function pointStyle(n: number): { size: number; opacity: number } {
  const k = Math.min(1, 100 / Math.max(n, 1));
  return { size: Math.round(Math.max(8, 34 * k ** 0.3) * 10) / 10, opacity: Math.round(Math.max(0.2, 0.75 * k ** 0.35) * 100) / 100 };
}

/** The indices drawn: all up to AV_MAX_POINTS, else a sample of that many (partial Fisher–Yates, sorted back to row order). */
function drawnPoints(n: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= AV_MAX_POINTS) return all;
  const random = createRandom(AV_SAMPLE_SEED);
  for (let i = 0; i < AV_MAX_POINTS; i++) {
    const j = i + random.int(n - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, AV_MAX_POINTS).sort((a, b) => a - b);
}

/**
 * Axis text of the added-variable plots: 12 px at about 430 px wide (plot and axes) is 7 pt when the figure is
 * printed in an 84-mm (3.3-in) journal column; the forest plot's text is 12 px too (7 pt across a 7-in page).
 */
const AV_AXIS = { labelFontSize: 12, titleFontSize: 13 };

/**
 * Added-variable plot: residualised x against residualised y, points coloured (and shaped) by group, the
 * least-squares line b·x̃ with its confidence band b·x̃ ± t(df)·SE(b)·|x̃| (the line passes through the origin:
 * both residual vectors have mean zero, so only the slope is uncertain).
 */
export function addedVariableSpec(
  av: AddedVariable,
  options: { title: string; xTitle: string; yTitle: string; groupTitle: string | null; groups: string[]; ci: number },
): Spec {
  const drawn = drawnPoints(av.points.length).map((i) => av.points[i]);
  const points = drawn.map((p) => ({ id: p.id, x: p.x, y: p.y, group: p.group ?? 'missing' }));
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const p of av.points) {
    xMin = Math.min(xMin, p.x);
    xMax = Math.max(xMax, p.x);
  }
  const xAxis = { field: 'x', type: 'quantitative', title: options.xTitle, scale: { zero: false, nice: true }, axis: AV_AXIS };
  const yAxis = { field: 'y', type: 'quantitative', title: options.yTitle, scale: { zero: false, nice: true }, axis: AV_AXIS };
  const layers: Spec[] = [
    { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#bbb', strokeWidth: 1 }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
    { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#bbb', strokeWidth: 1 }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
  ];
  const slope = av.slope;
  if (slope !== null && av.se !== null && Number.isFinite(xMin)) {
    // The band: straight edges from each end to the origin, so three x values draw it exactly.
    const t = tQuantile(1 - (1 - options.ci) / 2, av.df);
    const band = [xMin, 0, xMax].map((x) => ({ x, lo: slope * x - t * av.se! * Math.abs(x), hi: slope * x + t * av.se! * Math.abs(x) }));
    layers.push({
      data: { values: band },
      mark: { type: 'area', color: OVERALL_COLOUR, opacity: 0.14 },
      encoding: { x: { ...xAxis, field: 'x' }, y: { ...yAxis, field: 'lo' }, y2: { field: 'hi' } },
    });
  }
  const grouped = options.groupTitle !== null && av.points.some((p) => p.group !== null);
  const groups = grouped ? [...options.groups, ...(av.points.some((p) => p.group === null) ? ['missing'] : [])] : [];
  const style = pointStyle(points.length);
  const legend = { title: options.groupTitle, direction: 'horizontal' };
  layers.push({
    data: { values: points },
    // One point per row: no per-point aria labels (they would double the file for no reader).
    mark: { type: 'point', filled: true, size: style.size, opacity: style.opacity, aria: false },
    encoding: {
      x: xAxis,
      y: yAxis,
      ...(grouped
        ? {
            color: { field: 'group', type: 'nominal', sort: groups, scale: { domain: groups, range: colours(groups, null) }, legend },
            shape: { field: 'group', type: 'nominal', sort: groups, scale: { domain: groups, range: shapes(groups, null) }, legend },
          }
        : { color: { value: PALETTE[1] } }),
    },
  });
  if (slope !== null && Number.isFinite(xMin)) {
    layers.push({
      data: { values: [{ x: xMin, y: slope * xMin }, { x: xMax, y: slope * xMax }] },
      mark: { type: 'line', color: OVERALL_COLOUR, strokeWidth: 2 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
  }
  // Short titles: vega's estimated text widths (no node-canvas) would otherwise widen the figure.
  const shown = drawn.length < av.points.length ? `; ${drawn.length} of ${av.n} points shown (random sample)` : '';
  const subtitle = `partial r = ${bounded(av.r)}, b = ${fixed(av.slope, 2)}, n = ${av.n}${shown}`;
  return { title: { text: options.title, subtitle }, width: 380, height: 300, layer: layers };
}

export interface DeltaPoint {
  label: string;
  delta: number;
  r: number;
  ci: [number, number];
}

/** Panel size of the δ figure (CSS px): two panels and their axes fit a 7.2-in page width (691 px). */
const DELTA_PANEL = { width: 228, height: 170 };

/**
 * Delta-adjustment sensitivity as small multiples: one panel per variable (its label the panel's title, never cut),
 * the pooled r against δ as a line with its interval as a band of the same colour, a dashed line at r = 0 and a
 * dotted rule at each tipping point, labelled with its δ. Two panels to a row; every panel on the same r axis.
 */
export function deltaSpec(points: DeltaPoint[], tipping: Array<{ label: string; delta: number }>, options: { title: string; subtitle: string[]; xTitle: string; yTitle: string }): Spec {
  const labels = [...new Set(points.map((p) => p.label))];
  let lo = 0;
  let hi = 0;
  for (const p of points) {
    lo = Math.min(lo, p.ci[0]);
    hi = Math.max(hi, p.ci[1]);
  }
  const domain = [Math.max(-1, Math.floor(lo * 10) / 10), Math.min(1, Math.ceil(hi * 10) / 10)];
  const colour = PALETTE[1];
  const x = { field: 'delta', type: 'quantitative', title: options.xTitle, scale: { nice: false } };
  const y = { type: 'quantitative', title: options.yTitle, scale: { domain, nice: false }, axis: { format: '.1f' } };
  const panel = (label: string): Spec => {
    const values = points.filter((p) => p.label === label).map((p) => ({ delta: p.delta, r: p.r, lo: p.ci[0], hi: p.ci[1] }));
    const tips = tipping.filter((t) => t.label === label).map((t) => ({ delta: t.delta, text: `δ = ${fixed(t.delta)}` }));
    return {
      // Whole, never cut (limit 0), and wrapped so that a long SPSS variable label cannot widen the panel.
      title: { text: wrapLines(label, 40), fontSize: 12, fontWeight: 'bold', limit: 0 },
      width: DELTA_PANEL.width,
      height: DELTA_PANEL.height,
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#555', strokeDash: [4, 3], strokeWidth: 1 }, encoding: { y: { field: 'zero', ...y } } },
        { data: { values }, mark: { type: 'area', opacity: 0.22, color: colour }, encoding: { x, y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
        { data: { values }, mark: { type: 'line', strokeWidth: 2, color: colour }, encoding: { x, y: { field: 'r', ...y } } },
        ...(tips.length
          ? [
              { data: { values: tips }, mark: { type: 'rule', strokeDash: [2, 2], strokeWidth: 1.2, color: '#1a1a1a' }, encoding: { x: { field: 'delta', type: 'quantitative' } } },
              // Each label on the panel's side of its rule (left of a positive δ, right of a negative one): a tipping
              // point near the edge of the δ range would otherwise write past the panel and widen the figure.
              ...(['left', 'right'] as const).map((align) => ({
                data: { values: tips.filter((t) => (align === 'left') === t.delta <= 0) },
                mark: { type: 'text', align, baseline: 'top', dx: align === 'left' ? 3 : -3, dy: 3, fontSize: 10, color: '#1a1a1a' },
                encoding: { x: { field: 'delta', type: 'quantitative' }, y: { value: 0 }, text: { field: 'text' } },
              })),
            ]
          : []),
      ],
    };
  };
  return {
    title: { text: wrapLines(options.title, 56), subtitle: options.subtitle.flatMap((line) => wrapLines(line, 70)) },
    concat: labels.map(panel),
    columns: 2,
    spacing: { row: 20, column: 24 },
    resolve: { scale: { y: 'shared' } },
  };
}

/**
 * An SVG for inlining in HTML: no XML prolog, its ids (clip paths, gradients) prefixed so that several figures on
 * one page do not share them.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`)
    .trimEnd();
}
