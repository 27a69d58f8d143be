/**
 * A hostile export (issue 15): column names, factor levels, ids, the file's path, a plan title and --where values
 * written to attack whoever views the output — terminal escapes (CSI, OSC 52 clipboard, OSC title), CR, other C0
 * and C1 controls, DEL, `<script>`, `<img onerror>`, `|`, backticks and a line break inside a quoted header.
 *
 * Every output format and every stderr message is checked: no raw control byte (other than our own colour codes on
 * a TTY, and line ends), no raw `<` from data in Markdown or HTML, JSON that parses back to the original strings,
 * csv that reads back to them, and `score` passing cells through unchanged.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, EXAMPLE, ROOT, runCli } from '../helpers/cli';
import { csvField } from '../../src/render/format';
import { C0C1, COVARIATE, CR, ESC_CSI, GROUP, HTML, LEVELS, markdownLink, MD, OSC52, RAW_CONTROL, WHERE } from '../helpers/hostile';

const TITLE = `Title${ESC_CSI}${OSC52}${HTML}${MD}${C0C1}`;
const idOf = (i: number) => `id${i}${i % 7 === 0 ? ESC_CSI + HTML + CR : ''}`;

/** The example export with the hostile id, factor and covariate columns. */
function hostileExport(): string {
  const lines = fs.readFileSync(EXAMPLE, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const age = header.indexOf('age');
  const out = [[...header, GROUP, COVARIATE].map((h) => csvField(h, ',')).join(',')];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    cells[0] = idOf(i);
    out.push([...cells, LEVELS[i % 2], cells[age]].map((c) => csvField(c, ',')).join(','));
  }
  return `${out.join('\n')}\n`;
}

/** chalk's codes at level 1 (bold, yellow, dim, grey, resets): the only escapes a TTY table may hold. */
const OUR_COLOURS = /\x1b\[(1|22|33|39|2|90)m/g;

function expectNoControl(text: string, what: string): void {
  const m = RAW_CONTROL.exec(text);
  if (m) throw new Error(`${what}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20))}`);
}

/**
 * No `<` that could open a tag: outside code spans (CommonMark reads no HTML inside one: a `<b>` in a quoted path
 * there is text), every `<` is followed by a space (ours: "< .001") or is an entity. Stray backticks are escaped
 * (`\``), so the unescaped pairs are the code spans.
 */
function expectNoRawTag(text: string, what: string): void {
  text = text.replace(/(?<!\\)`[^`]*(?<!\\)`/g, '``');
  const m = /<(?! )/.exec(text);
  if (m) throw new Error(`${what}: raw < at ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`);
}

function expectNoLink(text: string, what: string): void {
  const link = markdownLink(text);
  if (link !== null) throw new Error(`${what}: ${link}`);
}

let dir: string;
let file: string;
let planFile: string;
const CORRELATE = () => ['correlate', file, '--x', 'wai_total', '--y', 'phqads_total_w10', '--adjust', `age,${COVARIATE}`, '--by', GROUP, '--where', WHERE, '--list-excluded'];
const MODEL = () => ['model', file, '--x', 'wai_total', '--y', 'phqads_total_w10', '--adjust', `${COVARIATE},${GROUP}`, '--where', WHERE];
const DESCRIBE = () => ['describe', file, '--vars', `age,${COVARIATE}`, '--by', GROUP, '--where', WHERE];

beforeAll(() => {
  // The path is hostile too: it is quoted in footers, provenance and messages.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-hostile-'));
  const sub = path.join(dir, `d${ESC_CSI}<b>`);
  fs.mkdirSync(sub);
  file = path.join(sub, 'export.csv');
  fs.writeFileSync(file, hostileExport());
  planFile = path.join(dir, 'plan.json');
  const plan = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/plan.json'), 'utf8'));
  Object.assign(plan, {
    title: TITLE,
    where: WHERE,
    covariates: ['age', COVARIATE],
    stratifier: GROUP,
    expectation: { variable: 'expectation', covariates: ['age', GROUP] },
    bootstrap: { resamples: 100, seed: 1 },
  });
  delete plan.$schema;
  fs.writeFileSync(planFile, JSON.stringify(plan));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['correlate', CORRELATE],
  ['model', MODEL],
  ['describe', DESCRIBE],
])('%s on a hostile export', (_name, args) => {
  test('table in a pipe: no control byte at all, the attacks shown as escapes', async () => {
    const r = await runCli(args());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectNoControl(r.stdout, 'table');
    expect(r.stdout).toContain('\\x1b[31mRED');
  });

  test('markdown: no control byte, no raw tag, data pipes and backticks escaped', async () => {
    const r = await runCli([...args(), '--format', 'markdown']);
    expect(r.code).toBe(0);
    expectNoControl(r.stdout, 'markdown');
    expectNoRawTag(r.stdout, 'markdown');
    expect(r.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.stdout).toContain('\\|pipe\\|\\`tick\\`\\[x\\](javascript:alert(1))!\\[\\](http://attacker.example/i.png)&lt;http://attacker.example&gt;');
    expectNoLink(r.stdout, 'markdown');
    // Every table row has the same number of unescaped cell separators as its header.
    for (const table of r.stdout.split(/\n\n/).filter((t) => t.startsWith('|'))) {
      const counts = table.trimEnd().split('\n').map((line) => line.split(/(?<!\\)\|/).length);
      expect(new Set(counts).size).toBe(1);
    }
  });

  test('json parses back to the original strings; csv and tsv keep every cell in its row and column', async () => {
    const json = await runCli([...args(), '--format', 'json']);
    expect(json.code).toBe(0);
    expectNoControl(json.stdout, 'json');
    const text = JSON.stringify(JSON.parse(json.stdout));
    expect(text).toContain(JSON.stringify(WHERE).slice(1, -1));
    for (const format of ['csv', 'tsv']) {
      const r = await runCli([...args(), '--format', format]);
      if (r.code === 2) continue; // describe has no tsv
      expect(r.code).toBe(0);
      if (format === 'tsv') {
        // One line per record, the same number of cells in each: no tab or line break from data.
        const widths = r.stdout.trimEnd().split('\n').map((l) => l.split('\t').length);
        expect(new Set(widths).size).toBe(1);
        expect(r.stdout).not.toMatch(/\r/);
      }
    }
  });
});

test('correlate: csv quotes the hostile factor name and levels and reads back to them', async () => {
  const r = await runCli([...CORRELATE(), '--format', 'csv']);
  expect(r.code).toBe(0);
  // papaparse, as the input reader: the levels come back exactly.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const papa = require('papaparse');
  const rows: string[][] = papa.parse(r.stdout.trimEnd()).data;
  const cells = new Set(rows.flat());
  for (const level of LEVELS) expect(cells).toContain(level);
});

test('ndjson: each line parses, to the original strings', async () => {
  const r = await runCli([...CORRELATE(), '--format', 'ndjson']);
  expect(r.code).toBe(0);
  expectNoControl(r.stdout, 'ndjson');
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  const values = new Set(lines.flatMap((l) => Object.values(l)));
  for (const level of LEVELS) expect(values).toContain(level);
});

test('a table on a pseudo-terminal: our colours, and no other escape', () => {
  // script(1) gives the command a pty; its output has CRLF line ends (the tty's), and our chalk codes.
  const cmd = `"${process.execPath}" "${BIN}" "$@"`;
  const r = spawnSync('script', ['-qec', `stty cols 400; ${cmd.replace('"$@"', CORRELATE().map((_, i) => `"$A${i}"`).join(' '))}`, '/dev/null'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...Object.fromEntries(CORRELATE().map((a, i) => [`A${i}`, a])) },
  });
  expect(r.status).toBe(0);
  const out = r.stdout.replace(/\r\n/g, '\n');
  expect(out).toMatch(OUR_COLOURS); // it was a TTY: colours on
  expectNoControl(out.replace(OUR_COLOURS, ''), 'tty table');
  expect(out).toContain('\\x1b]52;c;');
});

test('score passes every cell through unchanged (csv), and its json parses back to them', async () => {
  const csv = await runCli(['score', file]);
  expect(csv.code).toBe(0);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const papa = require('papaparse');
  const rows: string[][] = papa.parse(csv.stdout.trimEnd()).data;
  const input: string[][] = papa.parse(hostileExport().trimEnd()).data;
  expect(rows[0].slice(0, input[0].length)).toEqual(input[0]);
  for (let i = 1; i < input.length; i++) expect(rows[i].slice(0, input[i].length)).toEqual(input[i]);
  const json = await runCli(['score', file, '--format', 'json']);
  const doc = JSON.parse(json.stdout);
  const records: Array<Record<string, unknown>> = Array.isArray(doc) ? doc : doc.rows ?? doc.records ?? doc.data;
  expect(records[6][GROUP]).toBe(input[7][input[0].indexOf(GROUP)]);
  expect(records[6].id).toBe(idOf(7));
});

test('report: report.md has no raw tag, control byte or link from data, report.html and the SVGs no raw tag from data, report.docx well-formed XML, report.json the originals', async () => {
  const out = path.join(dir, 'report');
  const r = await runCli(['report', file, '--plan', planFile, '--out-dir', out, '--formats', 'json,md,html,docx']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expectNoControl(r.stderr, 'report stderr');
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  expectNoControl(md, 'report.md');
  expectNoRawTag(md, 'report.md');
  expect(md).toContain('# Title\\x1b[31mRED');
  expectNoLink(md, "report.md");
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  expectNoControl(html, 'report.html');
  expect(html).not.toMatch(/<script|<img/i);
  expect(html).toContain('&lt;script&gt;');
  const svgs = fs.readdirSync(out).filter((f) => f.endsWith('.svg'));
  expect(svgs.length).toBeGreaterThan(0);
  for (const svg of svgs) {
    const text = fs.readFileSync(path.join(out, svg), 'utf8');
    expectNoControl(text, svg);
    expect(text).not.toMatch(/<script|<img/i);
  }
  // report.docx: Word's XML holds no character XML 1.0 forbids (§2.2: an ESC made it unopenable); ESC is shown as \x1b.
  const { unzipSync } = require('fflate');
  const documentXml = Buffer.from(unzipSync(fs.readFileSync(path.join(out, 'report.docx')))['word/document.xml']).toString('utf8');
  expect(documentXml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  expect(documentXml).toContain('grp\\x1b[31mRED');
  // report.json as every JSON output: DEL, C1, U+2028/9 and bidi controls as \u escapes (src/text.ts jsonText), the strings intact.
  const jsonBytes = fs.readFileSync(path.join(out, 'report.json'), 'utf8');
  expectNoControl(jsonBytes, 'report.json');
  const json = JSON.parse(jsonBytes);
  expect(json.provenance.plan.title).toBe(TITLE);
  expect(json.provenance.input.where).toBe(WHERE);
});

describe('every stderr message shows the attack as escapes, on one line', () => {
  test.each([
    ['an unknown column', () => ['correlate', file, '--x', `nope${ESC_CSI}${OSC52}${HTML}\nx`, '--y', 'phqads_total_w10']],
    ['a --where that keeps nothing', () => ['correlate', file, '--where', `${GROUP}=${OSC52}${CR}`]],
    ['an unknown plan step', () => ['report', file, '--plan', writePlan({ steps: [`s${ESC_CSI}${C0C1}`] }), '--out-dir', path.join(dir, 'r2')]],
    ['a missing file', () => ['describe', path.join(dir, `missing${OSC52}${C0C1}.csv`)]],
  ])('%s', async (_what, args) => {
    const r = await runCli(args());
    expect(r.code).toBeGreaterThan(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expectNoControl(r.stderr.trimEnd(), 'stderr');
    expect(r.stderr).toMatch(/\\(x1b|u001b)/);
  });

  test('a warning', async () => {
    // score on a file without instrument items warns, quoting the (hostile) path.
    const bare = path.join(path.dirname(file), 'bare.csv');
    fs.writeFileSync(bare, `id,${csvField(GROUP, ',')}\n1,a\n`);
    const r = await runCli(['score', bare]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning/);
    expectNoControl(r.stderr.replace(/\n/g, ''), 'warning');
    expect(r.stderr).toContain('\\x1b[31mRED');
  });
});

function writePlan(extra: object): string {
  const p = path.join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(p, JSON.stringify({ plan_version: 1, ...extra }));
  return p;
}
