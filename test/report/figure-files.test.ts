/**
 * Journal-ready figures (src/report/figure-files.ts, figures.ts): the PNG's pixel size and its pHYs resolution read
 * back from its chunks, the PDF's embedded font, the same bytes from two renders, the added-variable plot's band
 * (SE of the slope as lm gives it), point style and size limit at 10⁵ points.
 */
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { crc32, pngChunks, pngWithDpi, svgToPdf, svgToPng } from '../../src/report/figure-files';
import { svgSize } from '../../src/report/figures';
import { AV_MAX_POINTS, addedVariableSpec, forestSpec, pointStyle, renderSvg } from '../../src/report/figures';
import { FIXED_DATE } from '../../src/report/formats';
import { addedVariables, type AddedVariable } from '../../src/analyses/added-variable';
import { tQuantile } from '../../src/stats/quantiles';
import { fitOls } from '../../src/stats/ols';
import { createRandom } from '../../src/stats/random';

/** A small SVG 96 × 48 CSS px (1 × 0.5 inch) with the characters PDF's standard fonts lack. */
const SMALL =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48" viewBox="0 0 96 48"><rect width="96" height="48" fill="white"/>' +
  '<text x="4" y="30" font-family="DejaVu Sans" font-size="12">−ρ log₁₀</text></svg>';

function ihdr(png: Buffer): { width: number; height: number } {
  const chunk = pngChunks(png)[0];
  expect(chunk.type).toBe('IHDR');
  return { width: chunk.data.readUInt32BE(0), height: chunk.data.readUInt32BE(4) };
}

function phys(png: Buffer): { x: number; y: number; unit: number } {
  const chunks = pngChunks(png);
  const at = chunks.findIndex((c) => c.type === 'pHYs');
  expect(at).toBeGreaterThan(0);
  // PNG spec §11.3.5.3: pHYs comes before the first IDAT.
  expect(at).toBeLessThan(chunks.findIndex((c) => c.type === 'IDAT'));
  expect(chunks.filter((c) => c.type === 'pHYs')).toHaveLength(1);
  const data = chunks[at].data;
  return { x: data.readUInt32BE(0), y: data.readUInt32BE(4), unit: data.readUInt8(8) };
}

test('CRC-32 as PNG uses it: the IEND chunk of every PNG ends AE 42 60 82', () => {
  expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
  // The check value of CRC-32/ISO-HDLC: crc32("123456789") = CBF43926.
  expect(crc32(Buffer.from('123456789', 'latin1'))).toBe(0xcbf43926);
});

test('PNG at 300 dpi: 96 × 48 CSS px → 300 × 150 px, pHYs 11811 px/m on both axes, unit metre', () => {
  const png = svgToPng(SMALL);
  expect(ihdr(png)).toEqual({ width: 300, height: 150 });
  // 300 dpi = 300 / 0.0254 px/m = 11811.02 → 11811.
  expect(phys(png)).toEqual({ x: 11811, y: 11811, unit: 1 });
  expect(svgToPng(SMALL).equals(png)).toBe(true);
});

test('pngWithDpi replaces a pHYs already there and keeps every other chunk', () => {
  const png = svgToPng(SMALL);
  const again = pngWithDpi(png, 72);
  expect(phys(again)).toEqual({ x: 2835, y: 2835, unit: 1 }); // 72 / 0.0254 = 2834.6
  expect(pngChunks(again).map((c) => c.type)).toEqual(pngChunks(png).map((c) => c.type));
});

test('a report figure as PNG: its pixel size is the SVG size × 300/96', async () => {
  const svg = await renderSvg(
    forestSpec(
      [
        { label: 'Alliance', group: 'All', r: -0.03, ci: [-0.2, 0.15], n: 130 },
        { label: 'Alliance', group: 'female', r: -0.08, ci: [-0.28, 0.13], n: 96 },
      ],
      { title: 'Partial correlations', subtitle: ['All: adjusted for age'], axisTitle: 'Partial r', ciTitle: 'r [95% CI]', overall: 'All' },
    ),
  );
  const { width, height } = svgSize(svg);
  const png = svgToPng(svg);
  const size = ihdr(png);
  expect(size.width).toBe(Math.round((width * 300) / 96));
  expect(Math.abs(size.height - (height * 300) / 96)).toBeLessThanOrEqual(1);
});

test('PDF: one page the size the PNG prints at, DejaVu Sans embedded (a TrueType subset), the fixed date, and the same bytes twice', async () => {
  const pdf = await svgToPdf(SMALL, FIXED_DATE);
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-')).toBe(true);
  // One page the size the PNG prints at: 96 × 48 CSS px = 1 × 0.5 in = 72 × 36 pt.
  expect(text).toContain('/MediaBox [0 0 72 36]');
  expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
  expect(text).toContain('/FontFile2');
  expect(text).toContain('(D:20000101000000Z)');
  expect((await svgToPdf(SMALL, FIXED_DATE)).equals(pdf)).toBe(true);
});

test('point size and opacity by n: as before up to 100 points, then smaller and fainter (formula in figures.ts)', () => {
  expect(pointStyle(50)).toEqual({ size: 34, opacity: 0.75 });
  expect(pointStyle(100)).toEqual({ size: 34, opacity: 0.75 });
  // n = 1000: 34 × 0.1^0.3 = 17.04; 0.75 × 0.1^0.35 = 0.3350.
  expect(pointStyle(1000)).toEqual({ size: 17, opacity: 0.34 });
  // n = 10⁵: 34 × 0.001^0.3 = 4.28 → the floor 8; 0.75 × 0.001^0.35 = 0.067 → the floor 0.2.
  expect(pointStyle(100_000)).toEqual({ size: 8, opacity: 0.2 });
});

test('an added-variable plot of 10⁵ points draws a sample of 1000, says so, and stays under 200 KB', async () => {
  const random = createRandom(5);
  const n = 100_000;
  const points = Array.from({ length: n }, (_, i) => {
    const x = random.normal();
    return { id: String(i), x, y: 0.3 * x + random.normal(), group: i % 3 === 0 ? 'male' : 'female' };
  });
  const av: AddedVariable = { x: 'alliance', column: 'wai_total', n, covariates: [], slope: 0.3, r: 0.29, se: 0.003, df: n - 5, points };
  const options = { title: 'Added-variable plot', xTitle: 'x', yTitle: 'y', groupTitle: 'sex', groups: ['female', 'male'], ci: 0.95 };
  const spec = addedVariableSpec(av, options);
  // The same sample every run.
  expect(JSON.stringify(addedVariableSpec(av, options))).toBe(JSON.stringify(spec));
  const drawn = spec.layer.find((l: any) => l.mark.type === 'point');
  expect(drawn.data.values).toHaveLength(AV_MAX_POINTS);
  expect(drawn.mark).toMatchObject({ size: 17, opacity: 0.34 });
  expect(spec.title.subtitle).toContain(`${AV_MAX_POINTS} of ${n} points shown (random sample)`);
  const svg = await renderSvg(spec);
  // Measured: 168 KB.
  expect(Buffer.byteLength(svg)).toBeLessThan(200_000);
});

test("the band's SE is the SE of x in lm(y ~ x + Z) (Frisch–Waugh–Lovell), and the band is b·x ± t·SE·|x|", async () => {
  const random = createRandom(11);
  const n = 40;
  const cols = { z1: [] as number[], z2: [] as number[], x: [] as number[], y: [] as number[] };
  for (let i = 0; i < n; i++) {
    const z1 = random.normal();
    const z2 = random.normal();
    const x = 0.5 * z1 + random.normal();
    cols.z1.push(z1);
    cols.z2.push(z2);
    cols.x.push(x);
    cols.y.push(0.4 * x - 0.3 * z2 + random.normal());
  }
  const csv = `id,x,y,z1,z2\n${cols.x.map((_, i) => `${i + 1},${cols.x[i]},${cols.y[i]},${cols.z1[i]},${cols.z2[i]}`).join('\n')}\n`;
  const dataset = await Dataset.open('-', {}, { stdin: chunksOf(Buffer.from(csv, 'utf8')) });
  const [av] = await addedVariables(dataset, { x: ['x'], y: 'y', covariates: ['z1', 'z2'], group: null, idColumn: 'id' });
  const f = (v: number[]) => Float64Array.from(v);
  const fit = fitOls([new Float64Array(n).fill(1), f(cols.z1), f(cols.z2), f(cols.x)], ['(Intercept)', 'z1', 'z2', 'x'], f(cols.y));
  const term = fit.coefficients.find((c) => c.term === 'x')!;
  expect(av.n).toBe(n);
  expect(av.df).toBe(n - 4);
  expect(Math.abs(av.slope! - term.estimate!)).toBeLessThan(1e-10);
  expect(Math.abs(av.se! - term.se!) / term.se!).toBeLessThan(1e-10);
  const spec = addedVariableSpec(av, { title: 't', xTitle: 'x', yTitle: 'y', groupTitle: null, groups: [], ci: 0.95 });
  const band = spec.layer.find((l: any) => l.mark.type === 'area').data.values;
  expect(band[1]).toEqual({ x: 0, lo: 0, hi: 0 });
  const half = tQuantile(0.975, n - 4) * term.se! * Math.abs(band[0].x);
  expect(band[0].hi - band[0].lo).toBeCloseTo(2 * half, 12);
});

test('forest plot: r [CI] and n as text columns beside the intervals, groups by colour and by shape', () => {
  const spec = forestSpec(
    [
      { label: 'Alliance', group: 'All', r: -0.031, ci: [-0.204, 0.146], n: 130 },
      { label: 'Alliance', group: 'female', r: -0.08, ci: [-0.28, 0.13], n: 96 },
      { label: 'Alliance', group: 'male', r: 0.16, ci: [-0.2, 0.49], n: 34 },
    ],
    { title: 't', subtitle: ['s'], axisTitle: 'a', ciTitle: 'r [95% CI]', overall: 'All' },
  );
  const [plot, estimate, n] = spec.hconcat;
  expect(estimate.encoding.text).toEqual({ field: 'estimate' });
  expect(estimate.encoding.x.axis.title).toBe('r [95% CI]');
  expect(n.encoding.x.axis.title).toBe('n');
  // APA: no leading zero for a bounded statistic, "−" (U+2212) for minus.
  expect(estimate.data.values.map((v: any) => [v.estimate, v.n])).toEqual([
    ['\u2212.03 [\u2212.20, .15]', '130'],
    ['\u2212.08 [\u2212.28, .13]', '96'],
    ['.16 [\u2212.20, .49]', '34'],
  ]);
  const points = plot.layer.find((l: any) => l.mark.type === 'point');
  expect(points.encoding.shape.scale).toEqual({ domain: ['All', 'female', 'male'], range: ['circle', 'square', 'triangle-up'] });
  // The same colours as the added-variable plots give the strata (Okabe–Ito, in order), "All" near-black.
  expect(points.encoding.color.scale.range).toEqual(['#1a1a1a', '#d55e00', '#0072b2']);
  const av = addedVariableSpec(
    { x: 'x', column: 'x', n: 2, covariates: [], slope: 1, r: 1, se: null, df: 0, points: [{ id: '1', x: 0, y: 0, group: 'female' }, { id: '2', x: 1, y: 1, group: 'male' }] },
    { title: 't', xTitle: 'x', yTitle: 'y', groupTitle: 'sex', groups: ['female', 'male'], ci: 0.95 },
  );
  const avPoints = av.layer.find((l: any) => l.mark.type === 'point');
  expect(avPoints.encoding.color.scale.range).toEqual(['#d55e00', '#0072b2']);
  expect(avPoints.encoding.shape.scale.range).toEqual(['square', 'triangle-up']);
});
