/**
 * The report's figures: Vega-Lite 5 specifications compiled to Vega and rendered to SVG in Node, without a
 * browser or node-canvas (`renderer: 'none'`; text widths are then estimated, which only affects label layout).
 * vega and vega-lite are loaded here, when a report draws its first figure, never at start-up (the bundle keeps
 * them external).
 *
 *   forest.svg                 partial r with its interval per x: overall and per stratum.
 *   added-variable-<x>.svg     residualised x against residualised y, with the least-squares line (slope = b of x).
 */
import { CliError } from '../errors';
import { bounded, fixed } from '../render/apa';
import type { AddedVariable } from '../analyses/added-variable';
import { terminalText } from '../text';

/** Okabe–Ito colours (distinguishable with colour-vision deficiencies); overall estimates in near-black. */
const OVERALL_COLOUR = '#1a1a1a';
const PALETTE = ['#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442'];

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#cfcfcf' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#ececec', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'bottom' },
  title: { fontSize: 14, fontWeight: 'bold', subtitleFontSize: 11, subtitleColor: '#444', anchor: 'start', offset: 10 },
};

type Spec = Record<string, any>;

interface VegaModules {
  vega: any;
  vl: any;
}

let modules: VegaModules | null = null;

function load(): VegaModules {
  if (modules !== null) return modules;
  try {
    modules = { vega: require('vega'), vl: require('vega-lite') };
  } catch (error) {
    throw new CliError(`cannot load vega for the figures (${(error as Error).message.split('\n')[0]}), reinstall canrelax-analyze with its dependencies`, 1);
  }
  return modules;
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

/** Compiles a Vega-Lite spec and renders it to an SVG document (text). */
export async function renderSvg(spec: Spec): Promise<string> {
  const { vega, vl } = load();
  const compiled = vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', config: CONFIG, ...visibleStrings(spec) }).spec;
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

/** Colour of each group: "All" near-black, strata in palette order. */
function colours(groups: string[], overall: string | null): string[] {
  let next = 0;
  return groups.map((g) => (g === overall ? OVERALL_COLOUR : PALETTE[next++ % PALETTE.length]));
}

/** Forest plot of partial correlations: one row per variable, one interval per group, a dashed line at zero. */
export function forestSpec(rows: ForestRow[], options: { title: string; subtitle: string[]; axisTitle: string; overall: string | null }): Spec {
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
  const values = rows.map((r) => ({ label: r.label, group: r.group, r: r.r, lo: r.ci[0], hi: r.ci[1] }));
  // No label limit: without node-canvas vega estimates text widths, generously, and would cut labels that fit.
  const y = { field: 'label', type: 'nominal', sort: labels, title: null, axis: { labelFontSize: 12, labelPadding: 6, labelLimit: 0, grid: false, ticks: false } };
  const yOffset = { field: 'group', type: 'nominal', sort: groups, scale: { paddingOuter: 0.2 } };
  const color = {
    field: 'group',
    type: 'nominal',
    sort: groups,
    scale: { domain: groups, range: colours(groups, options.overall) },
    legend: groups.length > 1 ? { title: null, direction: 'horizontal' } : null,
  };
  const x = { type: 'quantitative', scale: { domain, nice: false, zero: false }, axis: { format: '.1f', tickCount: Math.round((domain[1] - domain[0]) * 10) / 2 + 1 } };
  return {
    title: { text: options.title, subtitle: options.subtitle },
    width: 440,
    height: Math.max(120, labels.length * groups.length * 17 + labels.length * 10),
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#555', strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x: { field: 'zero', ...x, title: options.axisTitle } } },
      {
        data: { values },
        mark: { type: 'rule', strokeWidth: 2.2 },
        encoding: { y, yOffset, color, x: { field: 'lo', ...x, title: options.axisTitle }, x2: { field: 'hi' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 55, opacity: 1 },
        encoding: { y, yOffset, color, x: { field: 'r', ...x, title: options.axisTitle } },
      },
    ],
    resolve: { scale: { x: 'shared' } },
  };
}

/** Added-variable plot: residualised x against residualised y, points coloured by group, least-squares line. */
export function addedVariableSpec(av: AddedVariable, options: { title: string; xTitle: string; yTitle: string; groupTitle: string | null; groups: string[] }): Spec {
  const points = av.points.map((p) => ({ id: p.id, x: p.x, y: p.y, group: p.group ?? 'missing' }));
  let xMin = Infinity;
  let xMax = -Infinity;
  for (const p of av.points) {
    xMin = Math.min(xMin, p.x);
    xMax = Math.max(xMax, p.x);
  }
  const layers: Spec[] = [
    { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#bbb', strokeWidth: 1 }, encoding: { y: { field: 'zero', type: 'quantitative' } } },
    { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#bbb', strokeWidth: 1 }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
  ];
  const grouped = options.groupTitle !== null && av.points.some((p) => p.group !== null);
  const groups = grouped ? [...options.groups, ...(av.points.some((p) => p.group === null) ? ['missing'] : [])] : [];
  layers.push({
    data: { values: points },
    // One point per row: no per-point aria labels (they would double the file for no reader).
    mark: { type: 'point', filled: true, size: 34, opacity: 0.75, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle, scale: { zero: false, nice: true } },
      y: { field: 'y', type: 'quantitative', title: options.yTitle, scale: { zero: false, nice: true } },
      ...(grouped
        ? { color: { field: 'group', type: 'nominal', sort: groups, scale: { domain: groups, range: colours(groups, null) }, legend: { title: options.groupTitle, direction: 'horizontal' } } }
        : { color: { value: '#0072b2' } }),
    },
  });
  if (av.slope !== null && Number.isFinite(xMin)) {
    layers.push({
      data: { values: [{ x: xMin, y: av.slope * xMin }, { x: xMax, y: av.slope * xMax }] },
      mark: { type: 'line', color: OVERALL_COLOUR, strokeWidth: 2 },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
  }
  // Short titles: vega's estimated text widths (no node-canvas) would otherwise widen the figure.
  const subtitle = `partial r = ${bounded(av.r)}, b = ${fixed(av.slope, 2)}, n = ${av.n}`;
  return { title: { text: options.title, subtitle }, width: 380, height: 300, layer: layers };
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
