/**
 * What a journal reviewer sees (issue 21): specification-curve numbers that say what they are, figures that fit a
 * page (7.2 × 9 in: 691 × 864 CSS px, 2160 × 2700 px at 300 dpi), the MNAR δ figure as small multiples whose labels
 * are never cut, titles left to the captions on request, DOCX figures scaled to the page, and the tipping points in
 * a table. In-process and on small data; the numbers are the robustness command's (tested against R in
 * test/cli/robustness.test.ts), here only worded and drawn.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Curve } from '../../src/analyses/robustness';
import { curvePhrases, summarySpec } from '../../src/render/robustness';
import { renderMarkdown } from '../../src/render/table';
import { docxFigureSize } from '../../src/report/docx';
import { pngChunks, svgToPng } from '../../src/report/figure-files';
import { svgSize } from '../../src/report/figures';
import { deltaSpec, renderSvg, withoutTitle, wrapLines, type DeltaPoint } from '../../src/report/figures';
import { checkPlan } from '../../src/report/plan';
import { specificationCurveSpec } from '../../src/report/spec-curve';
import { EXAMPLE, ROOT, runCli, runJson } from '../helpers/cli';

const APP = ['--where', 'arm=app'];
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-journal-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A journal's largest figure, 7.2 × 9 in, in CSS px (96 per inch) and in PNG pixels at 300 dpi. */
const PAGE = { width: 7.2 * 96, height: 9 * 96 };
const PAGE_PNG = { width: 7.2 * 300, height: 9 * 300 };

function pngSize(png: Buffer): { width: number; height: number } {
  const ihdr = pngChunks(png)[0];
  expect(ihdr.type).toBe('IHDR');
  return { width: ihdr.data.readUInt32BE(0), height: ihdr.data.readUInt32BE(4) };
}

/** The SVG's size in CSS px and its PNG's in pixels, both within the page; the PNG is the SVG's size × 300/96. */
function expectOnPage(svg: string): void {
  const css = svgSize(svg);
  expect(css.width).toBeLessThanOrEqual(PAGE.width);
  expect(css.height).toBeLessThanOrEqual(PAGE.height);
  const png = pngSize(svgToPng(svg));
  expect(png).toEqual({ width: Math.round((css.width * 300) / 96), height: expect.any(Number) });
  expect(png.width).toBeLessThanOrEqual(PAGE_PNG.width);
  expect(png.height).toBeLessThanOrEqual(PAGE_PNG.height);
}

/** A curve as the command gives it, its summary and joint test set to a 0 % share with p = 1 (bond's in the example). */
function zeroShareCurve(curve: Curve): Curve {
  return {
    ...curve,
    summary: { ...curve.summary!, share_significant: 0 },
    joint: { ...curve.joint, share_significant_p: 1, median_r_p: 0.656, stouffer_z: 3.64, stouffer_p: 0.714 },
  };
}

let curves: Curve[];
beforeAll(async () => {
  // Four curves of 64 specifications: the report's and the command's default on the example.
  curves = (await runJson(['robustness', EXAMPLE, ...APP, '--null-samples', '20'])).curves;
});

describe('specification curve: each number says what it is', () => {
  test('a 0% share significant reads "share significant 0% (p > .999 against the null)", never its p in its place', () => {
    const curve = zeroShareCurve(curves[1]);
    const words = curvePhrases(curve)!;
    expect(words.share).toBe('share significant 0% (p > .999 against the null)');
    expect(words.median).toBe('median r = \u2212.01 (p = .656 against the null)');
    expect(words.stouffer).toBe("Stouffer's Z = 3.64 (p = .714 against the bootstrap null distribution, not N(0, 1))");
    // The figure's subtitle and the table say the same; the old subtitle put the p (1.000) where the share belongs.
    const subtitle = specificationCurveSpec([curve], { alpha: 0.05, title: 'Bond', subtitle: [] }).title.subtitle.join(' ');
    expect(subtitle).not.toMatch(/share significant 1\.0/);
    expect(subtitle).toContain('share significant 0% (p > .999 against the null)');
    expect(subtitle).toContain('against the bootstrap null distribution, not N(0, 1)');
    const table = summarySpec({ curves: [curve], covariates: [], missing: ['listwise'], notes: [] } as never, { alpha: 0.05, nullSamples: 20, seed: 1 });
    const row = Object.fromEntries(table.head.map((h, i) => [h, table.rows[0][i]]));
    expect(row).toMatchObject({ 'share significant': '0%', 'p (share significant)': '> .999', 'Stouffer Z': '3.64', 'p (Stouffer Z)': '.714', specs: '64' });
    expect(table.footer!.join(' ')).toContain("Stouffer's Z is referred to that bootstrap null distribution, not to N(0, 1)");
  });

  test('an infinite Stouffer Z (a specification with p = 0 in double precision; null in JSON) reads ∞, not –', () => {
    const curve: Curve = { ...curves[0], joint: { ...curves[0].joint, stouffer_z: Infinity, stouffer_p: 0 } };
    expect(curvePhrases(curve)!.stouffer).toBe("Stouffer's Z = ∞ (p < .001 against the bootstrap null distribution, not N(0, 1))");
    const table = summarySpec({ curves: [curve], covariates: [], missing: ['listwise'], notes: [] } as never, { alpha: 0.05, nullSamples: 20, seed: 1 });
    expect(table.rows[0][table.head.indexOf('Stouffer Z')]).toBe('∞');
  });

  test('without colour the specification table marks p < .05 with "*" and says so', async () => {
    const r = await runCli(['robustness', EXAMPLE, ...APP, '--x', 'task', '--null-samples', '0', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Highlighted/);
    expect(r.stdout).toContain('*: p < .05.');
    expect(r.stdout).toMatch(/│ 1 \(primary\) \* │/);
  });

  test('--with-mi: specs counts what the summary is over; the imputed ones are said apart', async () => {
    const specs = path.join(TMP, 'specs.json');
    fs.writeFileSync(specs, JSON.stringify({ covariates: [['age', 'baseline'], ['baseline']], method: ['pearson'], influential: ['kept'] }));
    const r = await runCli(['robustness', EXAMPLE, ...APP, '--x', 'alliance', '--specs', specs, '--with-mi', '--imputations', '2', '--null-samples', '0', '--format', 'markdown']);
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.startsWith('| wai_total'))!;
    expect(row.split('|')[3].trim()).toBe('2');
    expect(r.stdout).toContain('the 2 by multiple imputation per curve are listed below, outside the summary and the joint test');
  });
});

describe('figures fit a journal page', () => {
  test('one curve per figure (the report), with the report’s labels: within 7.2 × 9 in', async () => {
    const label = (name: string) => ({ wai_total: 'Alliance (WAI-I total)', phqads_total_t0: 'Baseline distress (PHQ-ADS)' })[name] ?? name;
    const spec = specificationCurveSpec([curves[0]], { alpha: 0.05, title: 'Specification curve of alliance with week-10 distress', subtitle: ['64 specifications; joint p from 20 null resamples'], label });
    const svg = await renderSvg(spec);
    expectOnPage(svg);
    // Choice rows by label, as every other figure names the variables.
    expect(svg).toContain('+ Baseline distress (PHQ-ADS)');
    expect(svg).not.toContain('+ phqads_total_t0');
  });

  test('four curves in one figure (the command’s --figure): a grid within 7.2 × 9 in', async () => {
    expectOnPage(await renderSvg(specificationCurveSpec(curves, { alpha: 0.05, title: 'Specification curve', subtitle: ['Partial r by specification, sorted, with 95% CIs; below, the choices each makes; joint p from 20 null resamples'] })));
  });

  test('MNAR δ: one panel per x, each label whole, within the page width; one colour for line and band', async () => {
    const labels = ['Alliance (WAI-I total)', 'Bond', 'Task', 'Goal'];
    const points: DeltaPoint[] = labels.flatMap((label, k) => [-3, -1.5, 0, 1.5, 3].map((delta) => ({ label, delta, r: -0.2 + 0.02 * delta + 0.01 * k, ci: [-0.4 + 0.02 * delta, 0.02 * delta] as [number, number] })));
    // A tipping point near the edge of the δ range (Goal's 2.91) writes its label inside the panel, not past it.
    const spec = deltaSpec(points, [{ label: 'Task', delta: 1.07 }, { label: 'Goal', delta: 2.91 }], { title: 'Partial correlations with week-10 distress under δ adjustment', subtitle: ['20 imputations; 95% CIs'], xTitle: 'δ (SDs of the observed outcome)', yTitle: 'Pooled partial r' });
    expect(spec.concat).toHaveLength(4);
    for (const panel of spec.concat) {
      const colours = new Set(panel.layer.filter((l: any) => l.mark.type === 'area' || l.mark.type === 'line').map((l: any) => l.mark.color));
      expect(colours.size).toBe(1);
    }
    const svg = await renderSvg(spec);
    expectOnPage(svg);
    for (const label of labels) expect(svg).toContain(`>${label}<`);
    expect(svg).not.toContain('…');
    expect(svg).toContain('δ = 1.07');
    expect(svg).toContain('δ = 2.91');
  });

  test('the report’s MNAR section: tipping points in one table, said once (the committed example, checked current elsewhere)', () => {
    const md = fs.readFileSync(path.join(ROOT, 'docs/example-report/report.md'), 'utf8');
    expect(md.match(/bisection/g)).toHaveLength(1);
    expect(md).toContain('| Variable | Interval at δ = 0 | Upward δ (raw) | Downward δ (raw) |');
    // task's tipping points as correlate --missing mi --mnar-delta finds them (test/cli/missing.test.ts).
    expect(md).toContain('| Task | below 0 | 2.01 (18.53): includes 0 | \u22122.51 (\u221223.21): includes 0 |');
    expect(md).toContain('| Variable | δ = \u22121 | δ = \u22120.5 | δ = 0.5 | δ = 1 |');
  });

  test('the example report’s figures (forest, added-variable, MNAR δ) fit the page too', () => {
    const dir = path.join(ROOT, 'docs/example-report');
    const svgs = fs.readdirSync(dir).filter((f) => f.endsWith('.svg'));
    expect(svgs).toEqual(expect.arrayContaining(['forest.svg', 'mnar-delta.svg', 'added-variable-alliance.svg']));
    for (const file of svgs) {
      const size = svgSize(fs.readFileSync(path.join(dir, file), 'utf8'));
      expect({ file, fits: size.width <= PAGE.width && size.height <= PAGE.height }).toEqual({ file, fits: true });
    }
  });

  test('HTML: instrument names never break across lines (non-breaking hyphen outside the figures)', () => {
    const html = fs.readFileSync(path.join(ROOT, 'docs/example-report/report.html'), 'utf8');
    expect(html).toContain('<td>Alliance (WAI\u2011I total)</td>');
    const text = html.replace(/<svg[\s\S]*?<\/svg>/g, '');
    expect(text.match(/WAI-I|PHQ-ADS/g)).toBeNull();
  });

  test('titles wrap to lines a page can hold', () => {
    expect(wrapLines('Stouffer\'s Z = 3.64 (p = .714 against the bootstrap null distribution, not N(0, 1))', 32)).toEqual([
      "Stouffer's Z = 3.64 (p = .714",
      'against the bootstrap null',
      'distribution, not N(0, 1))',
    ]);
  });

  test('DOCX: a figure shrinks to the text width (6.27 in) and to 8.5 in of height, its aspect kept', () => {
    // 4.17 × 10.4 in (a tall figure): the height binds, 816 / 1000 of each side.
    expect(docxFigureSize(400, 1000)).toEqual({ width: 326, height: 816 });
    // 7.2 × 9 in: the width binds (6.27 / 7.2 < 8.5 / 9).
    expect(docxFigureSize(691.2, 864)).toEqual({ width: 602, height: 752 });
    // 8.36 × 4.17 in (the forest plot): the width binds.
    expect(docxFigureSize(803, 400)).toEqual({ width: Math.round(6.27 * 96), height: Math.round(400 * ((6.27 * 96) / 803)) });
    expect(docxFigureSize(443, 434)).toEqual({ width: 443, height: 434 });
  });
});

describe('figure titles left to the captions', () => {
  test('plan key figure_titles: "figure" or "none", nothing else', () => {
    expect(checkPlan({ figure_titles: 'none' }, 'p.json').figure_titles).toBe('none');
    expect(checkPlan({ figure_titles: 'figure' }, 'p.json').figure_titles).toBe('figure');
    expect(() => checkPlan({ figure_titles: 'no' }, 'p.json')).toThrow(/plan key "figure_titles".*"figure".*"none"/);
  });

  test('withoutTitle drops the figure’s title and subtitle, not its panels’', () => {
    const spec = specificationCurveSpec(curves.slice(0, 2), { alpha: 0.05, title: 'Specification curve', subtitle: ['sub'] });
    const bare = withoutTitle(spec);
    expect(bare.title).toBeUndefined();
    expect(bare.concat[0].title.text).toEqual(['wai_total with phqads_total_w10']);
  });

  test('report --figure-titles none: no title in the SVGs, the caption keeps it; the plan as used records it', async () => {
    const plan = path.join(TMP, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ steps: ['correlations'], bayes: false }));
    const out = path.join(TMP, 'untitled');
    const r = await runCli(['report', EXAMPLE, '--plan', plan, '--figure-titles', 'none', '--out-dir', out, '--formats', 'json,md']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(doc.provenance.plan.figure_titles).toBe('none');
    const forest = doc.figures.find((f: { file: string }) => f.file === 'forest.svg');
    expect(fs.readFileSync(path.join(out, 'forest.svg'), 'utf8')).not.toContain(`>${forest.title}<`);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain(forest.title);
    // --replay makes the same untitled figures from the plan as used.
    const again = path.join(TMP, 'untitled-again');
    expect((await runCli(['report', '--replay', path.join(out, 'report.json'), '--out-dir', again])).stderr).toBe('');
    for (const file of ['forest.svg', 'report.json', 'report.md']) expect(fs.readFileSync(path.join(again, file), 'utf8')).toBe(fs.readFileSync(path.join(out, file), 'utf8'));
  });
});

describe('notes that say only what applies (issue 21, item 6)', () => {
  test('model --missing mi: each term’s df and FMI in place of the unpooled pr, sr and VIF, FMI without its zero', async () => {
    const args = ['model', EXAMPLE, ...APP, '--y', 'distress', '--x', 'alliance', '--adjust', 'age,baseline', '--missing', 'mi', '--imputations', '3', '--iterations', '3', '--seed', '1'];
    const doc = await runJson(args);
    const md = (await runCli([...args, '--format', 'markdown'])).stdout;
    const lines = md.split('\n');
    expect(lines.find((l) => l.startsWith('| Term'))).toBe('| Term | b | SE | t | p | 95% CI | df | FMI |');
    // The table's df and FMI are the JSON's (mice::pool's, tested against R in test/cli/model.test.ts), in APA form.
    const term = doc.models[0].terms[1];
    const cells = lines.find((l) => l.startsWith('| wai_total'))!.split('|').map((c) => c.trim());
    expect(cells.slice(-3, -1)).toEqual([term.mi.df.toFixed(1), term.mi.fmi.toFixed(2).replace(/^0/, '')]);
    expect(md).toContain('df: Barnard–Rubin degrees of freedom of each term; FMI: its fraction of missing information (mice::pool).');
  });

  test('correlate --mnar-delta: says once what δ is (imputed outcome only, SD units), each δ with a true minus', async () => {
    const r = await runCli(['correlate', EXAMPLE, ...APP, '--x', 'task', '--missing', 'mi', '--imputations', '2', '--iterations', '2', '--seed', '1', '--mnar-delta', '-1,0.5', '--no-color']);
    expect(r.stdout).toContain('MNAR δ: a shift of the imputed distress values only (observed values unchanged), in SDs of the observed distress (SD), or in its own units (raw), then pooled again.');
    expect(r.stdout).toMatch(/MNAR δ for task–distress: δ = \u22121 SD: r = \u2212\.\d\d \[[^\]]+\]; δ = 0\.5 SD: r = /);
  });

  test('describe --missing mi without --by: no word about the --by column', async () => {
    const r = await runCli(['describe', EXAMPLE, ...APP, '--vars', 'age,distress', '--missing', 'mi', '--imputations', '2', '--iterations', '2', '--seed', '1', '--no-color']);
    expect(r.stdout).toContain('SD the average of the per-imputation SDs.');
    expect(r.stdout).not.toMatch(/--by|without a/);
  });

  test('Table 1 explains n (%) only when a row is categorical', async () => {
    const plan = path.join(TMP, 'numeric-plan.json');
    fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'], covariates: ['age'], stratifier: null, expectation: null }));
    const out = path.join(TMP, 'numeric');
    const r = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'md']);
    expect(r.stderr).toBe('');
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('M (SD): mean (sample SD, n − 1).');
    expect(md).not.toContain('n (%)');
  });
});
