/**
 * `report --formats` and `--figures`: report.docx as a Word package (its document.xml holds real tables and the
 * figures), PNG and PDF figures, the same bytes from two runs, Markdown and HTML showing the PNGs when no SVG is
 * written, the figures of a previous report removed in every format, and the bundled binary loading the libraries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { unzipSync } from 'fflate';
import { BIN, EXAMPLE, ROOT, expectOneLineError, runBin, runCli } from '../helpers/cli';
import { pngChunks } from '../../src/report/figure-files';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-report-files-'));
let dirs = 0;
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A plan with the steps that draw figures and write tables (the full default plan runs the bootstrap: slower). */
const PLAN = path.join(TMP, 'plan.json');
fs.writeFileSync(PLAN, JSON.stringify({ steps: ['sample', 'correlations', 'stratified'] }));

async function report(...args: string[]): Promise<string> {
  const dir = path.join(TMP, `report-${++dirs}`);
  const r = await runCli(['report', EXAMPLE, '--plan', PLAN, '--out-dir', dir, ...args]);
  if (r.code !== 0) throw new Error(r.stderr);
  return dir;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file));
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('every format', () => {
  let dir: string;
  let again: string;
  beforeAll(async () => {
    dir = await report('--formats', 'json,md,html,docx', '--figures', 'svg,png,pdf');
    again = await report('--formats', 'json,md,html,docx', '--figures', 'pdf,png,svg');
  });

  test('each figure as NAME.svg, NAME.png and NAME.pdf, listed in report.json', () => {
    const doc = JSON.parse(read(dir, 'report.json').toString('utf8'));
    const names = doc.figures.map((f: { file: string }) => f.file.replace(/\.svg$/, ''));
    expect(names).toEqual(['added-variable-alliance', 'added-variable-bond', 'added-variable-task', 'added-variable-goal', 'forest']);
    for (const figure of doc.figures) {
      const base = figure.file.replace(/\.svg$/, '');
      expect(figure.files).toEqual([`${base}.svg`, `${base}.png`, `${base}.pdf`]);
      for (const file of figure.files) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['report.docx', 'report.html', 'report.json', 'report.md', ...doc.figures.flatMap((f: { files: string[] }) => f.files)].sort());
  });

  test('two runs write the same bytes, every file (PNG, PDF and DOCX included)', () => {
    const files = fs.readdirSync(dir).sort();
    expect(fs.readdirSync(again).sort()).toEqual(files);
    for (const file of files) expect({ file, same: read(dir, file).equals(read(again, file)) }).toEqual({ file, same: true });
  });

  test('report.docx: a Word package whose document.xml has a real table per report table and the figures as PNG', () => {
    const parts = unzipSync(new Uint8Array(read(dir, 'report.docx')));
    expect(Object.keys(parts)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml']));
    const xml = Buffer.from(parts['word/document.xml']).toString('utf8');
    const md = read(dir, 'report.md').toString('utf8');
    const tables = count(md, /^\*\*Table \d+\. /gm);
    expect(tables).toBeGreaterThanOrEqual(3);
    expect(count(xml, /<w:tbl>/g)).toBe(tables);
    // APA: numbered titles ("Table 1" in bold, the title in italics), horizontal rules only, notes under the table.
    for (let t = 1; t <= tables; t++) expect(xml).toContain(`<w:t xml:space="preserve">Table ${t}</w:t>`);
    expect(xml).toContain('<w:insideV w:val="none"');
    expect(xml).not.toMatch(/<w:(left|right|start|end) w:val="single"/);
    expect(count(xml, />Note\.<\/w:t>/g)).toBe(tables);
    // The five figures, each an embedded PNG at 300 dpi.
    expect(count(xml, /<w:drawing>/g)).toBe(5);
    // Files only: docx 9.7 also writes the folder entry word/media/.
    const media = Object.keys(parts).filter((p) => p.startsWith('word/media/') && !p.endsWith('/'));
    expect(media).toHaveLength(5);
    for (const name of media) {
      expect(name).toMatch(/\.png$/);
      const phys = pngChunks(Buffer.from(parts[name])).find((c) => c.type === 'pHYs')!;
      expect(phys.data.readUInt32BE(0)).toBe(11811);
    }
    const core = Buffer.from(parts['docProps/core.xml']).toString('utf8');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>');
  });

  test('PNG figures at 300 dpi (CSS px × 300/96) and PDF figures with the font embedded', () => {
    const svg = read(dir, 'forest.svg').toString('utf8');
    const width = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
    const chunks = pngChunks(read(dir, 'forest.png'));
    expect(chunks[0].data.readUInt32BE(0)).toBe(Math.round((width * 300) / 96));
    const phys = chunks.find((c) => c.type === 'pHYs')!.data;
    expect([phys.readUInt32BE(0), phys.readUInt32BE(4), phys[8]]).toEqual([11811, 11811, 1]);
    const pdf = read(dir, 'forest.pdf').toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(pdf).toContain('/FontFile2');
  });
});

test('without SVG, report.md links the PNGs and report.html embeds them; no SVG written', async () => {
  const dir = await report('--figures', 'png');
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.svg'))).toEqual([]);
  const md = read(dir, 'report.md').toString('utf8');
  expect(md).toContain('](forest.png)');
  expect(md).not.toContain('.svg)');
  const html = read(dir, 'report.html').toString('utf8');
  expect(count(html, /<img src="data:image\/png;base64,/g)).toBe(5);
  expect(html).not.toContain('<svg');
  const doc = JSON.parse(read(dir, 'report.json').toString('utf8'));
  expect(doc.figures.map((f: { file: string }) => f.file)).toContain('forest.png');
});

test('--formats leaves out what is not asked for; a re-run with fewer figure formats removes the old PNG and PDF', async () => {
  const dir = path.join(TMP, 'rerun');
  const run = (...args: string[]) => runCli(['report', EXAMPLE, '--plan', PLAN, '--out-dir', dir, ...args]);
  expect((await run('--figures', 'svg,png,pdf')).code).toBe(0);
  expect(fs.existsSync(path.join(dir, 'forest.pdf'))).toBe(true);
  const r = await run('--formats', 'json,md');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('removed the previous report');
  const files = fs.readdirSync(dir);
  expect(files.filter((f) => f.endsWith('.png') || f.endsWith('.pdf'))).toEqual([]);
  expect(files).toContain('forest.svg');
  expect(files).toContain('report.md');
});

test('an unknown format is a one-line usage error naming the choices', async () => {
  expectOneLineError(await runCli(['report', EXAMPLE, '--figures', 'svg,gif', '--out-dir', path.join(TMP, 'bad')]), 2, /--figures takes a comma-separated list of svg, png, pdf, got "svg,gif"/);
  expectOneLineError(await runCli(['report', EXAMPLE, '--formats', 'pdf', '--out-dir', path.join(TMP, 'bad')]), 2, /--formats takes a comma-separated list of json, md, html, docx/);
});

test('the bundled binary loads resvg, pdfkit and docx from node_modules', () => {
  const dir = path.join(TMP, 'bin');
  const r = runBin(['report', path.relative(ROOT, EXAMPLE), '--plan', PLAN, '--out-dir', dir, '--figures', 'png,pdf', '--formats', 'docx']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(fs.existsSync(BIN)).toBe(true);
  expect(fs.readdirSync(dir).sort()).toEqual(expect.arrayContaining(['forest.pdf', 'forest.png', 'report.docx']));
});

test('resvg, pdfkit, docx (and vega) are not loaded at start-up, nor by a report without PNG, PDF or DOCX', () => {
  // A preload that lists, at exit, the heavy packages in the module cache.
  const hook = path.join(TMP, 'loaded.js');
  fs.writeFileSync(
    hook,
    "process.on('exit', () => process.stderr.write('loaded:' + Object.keys(require.cache).map((f) => (/node_modules[\\\\/](@resvg[\\\\/]resvg-js|pdfkit|svg-to-pdfkit|docx|fflate|vega)[\\\\/]/.exec(f) || [])[1]).filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).sort().join(',') + '\\n'));\n",
  );
  const loaded = (args: string[]) => {
    const r = spawnSync(process.execPath, ['-r', hook, BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    return /loaded:(.*)/.exec(r.stderr)![1];
  };
  expect(loaded(['report', '--help'])).toBe('');
  expect(loaded(['describe', path.relative(ROOT, EXAMPLE), '--format', 'json'])).toBe('');
  expect(loaded(['report', path.relative(ROOT, EXAMPLE), '--plan', PLAN, '--out-dir', path.join(TMP, 'svg-only')])).toBe('vega');
});

test("the forest plot's subtitle states each row's covariates: the strata are adjusted for one fewer (the stratifier)", () => {
  const dir = path.join(ROOT, 'docs', 'example-report');
  const doc = JSON.parse(read(dir, 'report.json').toString('utf8'));
  const adjust = (id: string) => doc.steps.find((s: { id: string }) => s.id === id).analysis.adjust;
  // From report.json: overall age, sex, baseline distress, expectation; within sex, the same without sex.
  expect(adjust('correlations')).toEqual(['age', 'sex', 'phqads_total_t0', 'expectation']);
  expect(adjust('stratified')).toEqual(['age', 'phqads_total_t0', 'expectation']);
  const svg = read(dir, 'forest.svg').toString('utf8');
  expect(svg).toContain('All: adjusted for age, sex, baseline distress and treatment expectation');
  expect(svg).toContain('Strata: the same without sex (constant within a stratum)');
  expect(svg).toContain('r [95% CI]');
});
