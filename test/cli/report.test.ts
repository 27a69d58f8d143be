/**
 * `report`: the whole reanalysis in one command. Every number in report.json is checked against the command that
 * computes it (correlate, model, describe, score --summary, power: each tested against R in its own test file),
 * by equality — report calls the same code with the same options. Also: report.json against its schema, the plan
 * format and its errors, byte-identical reruns, stdin, well-formed SVG, a self-contained HTML page.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import { BIN, EXAMPLE, ROOT, expectOneLineError, runBin, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';
import { checkPlan } from '../../src/report/plan';

type Doc = any;

const schemaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schemaOf('correlate'));
ajv.addSchema(schemaOf('model'));
ajv.addSchema(schemaOf('mediate'));
ajv.addSchema(schemaOf('measure'));
ajv.addSchema(schemaOf('plan'));
ajv.addSchema(schemaOf('robustness'));
const validateReport = ajv.compile(schemaOf('report'));
const validatePlan = ajv.getSchema('https://canrelax-analyze/schema/plan.schema.json')!;

function expectValidReport(doc: Doc): void {
  if (!validateReport(doc)) throw new Error(JSON.stringify(validateReport.errors, null, 2));
}

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-report-test-'));
let dirs = 0;
const tmpDir = (name: string) => path.join(TMP, `${name}-${++dirs}`);
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const APP = ['--where', 'arm=app'];
const EXAMPLE_REL = path.relative(ROOT, EXAMPLE);

const commandJson = (args: string[]): Promise<Doc> => runJson(args);

async function report(args: string[], stdin?: string | Buffer): Promise<{ dir: string; doc: Doc; stdout: string }> {
  const dir = tmpDir('report');
  const r = await runCli(['report', ...args, '--out-dir', dir], { stdin });
  if (r.code !== 0) throw new Error(r.stderr);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  return { dir, doc, stdout: r.stdout };
}

const stepOf = (doc: Doc, id: string) => doc.steps.find((s: Doc) => s.id === id);

/** Well-formedness of an XML document with a small stack parser: tags nest and close, attributes are quoted. */
function checkXml(text: string): void {
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const fail = (why: string) => {
    throw new Error(`not well-formed XML at ${i}: ${why}: ${text.slice(i, i + 60)}`);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (/&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)/.test(chunk)) fail('bare &');
    if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root');
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('open processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('open comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('open CDATA');
      i = end + 3;
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(i));
      if (!m) fail('bad end tag');
      if (stack.pop() !== m![1]) fail(`end tag ${m![1]} does not close the open element`);
      i += m![0].length;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (!m) fail('bad start tag');
      if (stack.length === 0 && ++roots > 1) fail('second root element');
      const names = [...m![2].matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((a) => a[1]);
      if (new Set(names).size !== names.length) fail('repeated attribute');
      if (m![3] !== '/') stack.push(m![1]);
      i += m![0].length;
    }
  }
  if (stack.length) throw new Error(`not well-formed XML: unclosed ${stack.join(' > ')}`);
  if (roots !== 1) throw new Error('not well-formed XML: no root element');
}

describe('report on the synthetic CanRelax export (default plan)', () => {
  let run: { dir: string; doc: Doc; stdout: string };
  beforeAll(async () => {
    run = await report([EXAMPLE_REL]);
  });

  test('writes report.json, report.md, report.html and the figures, and says where in one line', () => {
    const files = fs.readdirSync(run.dir).sort();
    expect(files).toEqual(
      ['added-variable-alliance.svg', 'added-variable-bond.svg', 'added-variable-goal.svg', 'added-variable-task.svg', 'forest.svg', 'mnar-delta.svg', 'report.html', 'report.json', 'report.md'].sort(),
    );
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^wrote report\.json, report\.md, report\.html, .*forest\.svg.* to .+\/\n$/);
    expect(run.stdout).toContain('added-variable-alliance.svg');
  });

  test('report.json is versioned and valid against schema/report.schema.json', () => {
    expect(run.doc.report_version).toBe(1);
    expectValidReport(run.doc);
    expect(run.doc.steps.map((s: Doc) => s.id)).toEqual(['sample', 'reliability', 'correlations', 'stratified', 'measurement', 'moderation', 'expectation', 'mediation', 'sensitivity', 'missing']);
    expect(run.doc.figures.map((f: Doc) => f.file)).toEqual(expect.arrayContaining(['forest.svg', 'added-variable-alliance.svg']));
  });

  test('provenance: tool, input path and SHA-256, rows, filter, the plan with its defaults, seed, no timestamp', () => {
    const p = run.doc.provenance;
    expect(p.tool).toEqual({ name: 'canrelax-analyze', version: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version });
    const bytes = fs.readFileSync(EXAMPLE);
    expect(p.input).toMatchObject({ path: EXAMPLE_REL, source: EXAMPLE_REL, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, where: 'arm=app' });
    expect(p.plan_file).toBeNull();
    expect(p.plan).toMatchObject({
      where: 'arm=app',
      x: ['alliance', 'bond', 'task', 'goal'],
      y: 'distress',
      covariates: ['age', 'sex', 'baseline', 'expectation'],
      stratifier: 'sex',
      expectation: { variable: 'expectation', covariates: ['age', 'sex'] },
      bootstrap: { resamples: 2000, seed: 2026 },
      ci: 0.95,
      p_adjust: 'none',
      bayes: true,
      missing: { method: 'listwise', imputations: 20, iterations: 10, seed: 2026, auxiliary: [], impute_by: 'auto', mnar_delta: [-1, -0.5, 0.5, 1] },
    });
    if (!validatePlan(p.plan)) throw new Error(JSON.stringify(validatePlan.errors));
    expect(p.variables.alliance).toEqual({ column: 'wai_total', role: 'alliance' });
    expect(p.variables.distress).toEqual({ column: 'phqads_total_w10', role: 'distress' });
    expect(p.seed).toBe(2026);
    expect(p.timestamp).toBeNull();
    expect(p.options).toEqual({});
    expect(p.config).toBeNull();
  });

  test('rows read and kept are those of correlate', async () => {
    const c = await commandJson(['correlate', EXAMPLE, ...APP, '--adjust', 'age,sex,baseline,expectation']);
    expect(run.doc.provenance.input.rows).toBe(c.input.rows);
    expect(run.doc.provenance.input.rows_kept).toBe(c.input.rows_kept);
  });

  test('step 1 (sample) is describe --by sex over the analysis variables', async () => {
    const step = stepOf(run.doc, 'sample');
    expect(step.vars).toEqual(['age', 'baseline', 'expectation', 'alliance', 'bond', 'task', 'goal', 'distress']);
    const d = await commandJson(['describe', EXAMPLE, ...APP, '--by', 'sex', '--vars', step.vars.join(',')]);
    for (const key of ['by', 'missing_by', 'groups', 'group_rows', 'variables', 'notes']) expect(step[key]).toEqual(d[key]);
  });

  test('step 2 (reliability) is score --summary', async () => {
    const s = await commandJson(['score', EXAMPLE, ...APP, '--summary']);
    expect(stepOf(run.doc, 'reliability').instruments).toEqual(s.instruments);
  });

  test('step 3 equals correlate --adjust age,sex,baseline,expectation --bayes exactly', async () => {
    const c = await commandJson(['correlate', EXAMPLE, ...APP, '--adjust', 'age,sex,baseline,expectation', '--bayes']);
    const step = stepOf(run.doc, 'correlations');
    expect(step.results).toEqual(c.results);
    // Its notes name options as each front end does: the command line as flags, the report as plan keys (issue 19).
    expect(c.analysis.notes).toContain('sex is text and enters as categorical (levels female, male; reference female unless --ref)');
    expect(step.analysis).toEqual({ ...c.analysis, notes: c.analysis.notes.map((n: string) => n.replace('unless --ref', 'unless plan key "reference"')) });
    expect(step.results.map((r: Doc) => r.x_role)).toEqual(['alliance', 'bond', 'task', 'goal']);
    expect(step.results.every((r: Doc) => typeof r.bf10 === 'number')).toBe(true);
  });

  test('step 4 equals correlate --by sex, difference tests included', async () => {
    const c = await commandJson(['correlate', EXAMPLE, ...APP, '--adjust', 'age,sex,baseline,expectation', '--by', 'sex', '--bayes']);
    const step = stepOf(run.doc, 'stratified');
    expect(step.results).toEqual(c.results);
    expect(step.comparisons).toEqual(c.comparisons);
    expect(step.comparisons).toHaveLength(4);
    expect(step.analysis).toEqual(c.analysis);
  });

  test('step 5 equals model distress ~ alliance × sex + age + baseline + expectation', async () => {
    const m = await commandJson(['model', EXAMPLE, ...APP, '--y', 'distress', '--x', 'alliance', '--interaction', 'sex', '--adjust', 'age,baseline,expectation']);
    const step = stepOf(run.doc, 'moderation');
    expect(step.models).toEqual(m.models);
    expect(step.analysis).toEqual(m.analysis);
    expect(step.models[0].simple_slopes).toHaveLength(2);
  });

  test('step 6 equals correlate --x expectation --y alliance,bond,task,goal --adjust age,sex --bayes', async () => {
    const c = await commandJson(['correlate', EXAMPLE, ...APP, '--x', 'expectation', '--y', 'alliance,bond,task,goal', '--adjust', 'age,sex', '--bayes']);
    expect(stepOf(run.doc, 'expectation').results).toEqual(c.results);
  });

  test('step 7: Spearman, bootstrap (2000, seed 2026) and power equal their commands', async () => {
    const step = stepOf(run.doc, 'sensitivity');
    const adjust = ['--adjust', 'age,sex,baseline,expectation'];
    const spearman = await commandJson(['correlate', EXAMPLE, ...APP, ...adjust, '--method', 'spearman']);
    expect(step.spearman.results).toEqual(spearman.results);
    const boot = await commandJson(['correlate', EXAMPLE, ...APP, ...adjust, '--bootstrap', '2000', '--seed', '2026']);
    expect(step.bootstrap.results).toEqual(boot.results);
    expect(step.bootstrap.results[0].bootstrap).toMatchObject({ resamples: 2000, seed: 2026 });

    const first = boot.results[0];
    expect(step.power).toMatchObject({ alpha: 0.05, x: 'alliance', n: first.n, k: first.k });
    const detectable = await commandJson(['power', '--n', String(first.n), '--k', String(first.k)]);
    expect(step.power.detectable.input).toEqual(detectable.input);
    expect(step.power.detectable.results).toEqual(detectable.results);
    for (const [i, r] of boot.results.entries()) {
      const p = await commandJson(['power', '--n', String(r.n), '--k', String(r.k), '--r', String(r.r)]);
      expect(step.power.observed[i].r).toBe(r.r);
      expect(step.power.observed[i].results).toEqual(p.results);
    }
  });

  test('added-variable residuals: their correlation is the partial r, their slope the model coefficient', async () => {
    const step = stepOf(run.doc, 'correlations');
    const m = await commandJson(['model', EXAMPLE, ...APP, '--y', 'distress', '--x', 'alliance', '--adjust', 'age,sex,baseline,expectation']);
    const av = step.added_variable[0];
    expect(av).toMatchObject({ x: 'alliance', column: 'wai_total', n: step.results[0].n, file: 'added-variable-alliance.svg' });
    expectClose(av.r, step.results[0].r, 1e-10);
    expectClose(av.slope, m.models[0].terms.find((t: Doc) => t.term === 'wai_total').estimate, 1e-10);
    step.added_variable.forEach((a: Doc, i: number) => expectClose(a.r, step.results[i].r, 1e-10));
  });

  test('SVG figures are well-formed XML, drawn by vega', () => {
    for (const file of fs.readdirSync(run.dir).filter((f) => f.endsWith('.svg'))) {
      const svg = fs.readFileSync(path.join(run.dir, file), 'utf8');
      expect(svg).toMatch(/^<svg /);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      checkXml(svg);
    }
    const forest = fs.readFileSync(path.join(run.dir, 'forest.svg'), 'utf8');
    for (const label of ['Alliance (WAI-I total)', 'Bond', 'Task', 'Goal', 'female', 'male']) expect(forest).toContain(`>${label}</text>`);
  });

  test('report.md: a sentence per step with APA numbers, tables, figures and the provenance', () => {
    const md = fs.readFileSync(path.join(run.dir, 'report.md'), 'utf8');
    const r = stepOf(run.doc, 'correlations').results[0];
    const apa = (v: number) => v.toFixed(2).replace('-', '\u2212').replace(/^(\u2212?)0\./, '$1.');
    expect(md).toContain(`alliance was`);
    expect(md).toContain(`*r* = ${apa(r.r)}, 95% CI [${apa(r.ci[0])}, ${apa(r.ci[1])}]`);
    expect(md).toContain(`BF₁₀ = ${r.bf10.toFixed(2)}`);
    expect(md).toContain('![');
    expect(md).toContain('](forest.svg)');
    expect(md).toContain('](added-variable-alliance.svg)');
    expect(md).toMatch(/^## 8\. Does alliance mediate the effect of treatment expectation on week-10 distress\?$/m);
    expect(md).toMatch(/^## 9\. Sensitivity analyses$/m);
    expect(md).toContain(run.doc.provenance.input.sha256);
    expect(md).toContain('"seed": 2026');
    expect(md).not.toMatch(/NaN|undefined/);
  });

  test("the mediation entry is what `mediate` gives with the plan's variables, covariates and bootstrap", async () => {
    const { id: _id, title: _title, ...entry } = stepOf(run.doc, 'mediation');
    const args = ['mediate', EXAMPLE, '--where', 'arm=app', '--x', 'expectation', '--m', 'alliance', '--y', 'distress', '--adjust', 'age,sex,baseline'];
    const doc = await runJson([...args, '--bootstrap', '2000', '--seed', '2026', '--format', 'json']);
    const notes = doc.analysis.notes.map((n: string) => n.replace('unless --ref', 'unless plan key "reference"'));
    expect(entry).toEqual({ analysis: { ...doc.analysis, notes }, mediation: doc.mediation });
    expect(entry.mediation[0].n).toBe(109); // R: app rows complete on the six variables (test/reference/published.json)
  });

  test("the measurement entry is what `measure --by sex` gives; ω beside α; the sentence for the stratified comparison", async () => {
    const { id: _id, title: _title, ...entry } = stepOf(run.doc, 'measurement');
    // The same fits without the bootstrap (its intervals are the only part that differs).
    const doc = await runJson(['measure', EXAMPLE, '--where', 'arm=app', '--by', 'sex', '--bootstrap', '0', '--seed', '2026']);
    const noInterval = (units: Doc[]) => units.map((u) => ({ ...u, bootstrap: null, omega: u.omega.map((o: Doc) => ({ ...o, ci: null })) }));
    expect(noInterval(entry.measurement)).toEqual(doc.measurement);
    expect(entry.analysis.bootstrap).toEqual({ resamples: 1000, seed: 2026 });
    const wai = entry.measurement.find((m: Doc) => m.instrument === 'wai');
    expect(wai.bootstrap).toEqual({ resamples: 1000, seed: 2026, failed: 0 });
    const md = fs.readFileSync(path.join(run.dir, 'report.md'), 'utf8');
    expect(md).toContain('| Scale | n | M | SD | Range | α | ω | α n | Item–total r |');
    // The WAI-I model is proper in both sexes and scalar invariance holds (lavaan, test/reference/cfa.json): the step says so.
    expect(md).toContain('Scalar invariance of Working Alliance Inventory for internet interventions (WAI-I) across sex held (Chen 2007), so the difference between female and male in the correlation of alliance with week-10 distress is not confounded by the instrument measuring differently in them.');
  });

  test('report.html is self-contained: inline CSS and SVG, no scripts, nothing fetched', () => {
    const html = fs.readFileSync(path.join(run.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|@import|src=/i);
    const urls = [...html.matchAll(/https?:\/\/[^"'\s)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect((html.match(/<svg /g) ?? []).length).toBe(run.doc.figures.length);
    expect(html).toContain(run.doc.provenance.input.sha256);
    expect(html).toContain('<caption>Table 1. Sample characteristics by sex</caption>');
  });
});

test('two runs on the same input give byte-identical files', async () => {
  const plan = path.join(TMP, 'fast.json');
  fs.writeFileSync(plan, JSON.stringify({ bootstrap: { resamples: 200 } }));
  const a = await report([EXAMPLE_REL, '--plan', plan]);
  const b = await report([EXAMPLE_REL, '--plan', plan]);
  const files = fs.readdirSync(a.dir).sort();
  expect(fs.readdirSync(b.dir).sort()).toEqual(files);
  for (const file of files) expect(fs.readFileSync(path.join(b.dir, file)).equals(fs.readFileSync(path.join(a.dir, file)))).toBe(true);
});

test('a re-run into the same folder with fewer x removes the previous report\'s figures it no longer writes, nothing else', async () => {
  const dir = tmpDir('rerun');
  const plan = path.join(TMP, 'task-only.json');
  fs.writeFileSync(plan, JSON.stringify({ x: ['task'], steps: ['correlations', 'stratified'] }));
  const all = await runCli(['report', EXAMPLE_REL, '--out-dir', dir]);
  expect(all.code).toBe(0);
  fs.writeFileSync(path.join(dir, 'notes.svg'), '<svg/>'); // the user's own file: never touched
  const again = await runCli(['report', EXAMPLE_REL, '--plan', plan, '--out-dir', dir]);
  expect(again.code).toBe(0);
  expect(fs.readdirSync(dir).sort()).toEqual(['added-variable-task.svg', 'forest.svg', 'notes.svg', 'report.html', 'report.json', 'report.md']);
  expect(again.stdout.trimEnd().split('\n')).toHaveLength(1);
  expect(again.stdout).toMatch(/ \(removed the previous report's added-variable-alliance\.svg, added-variable-bond\.svg, added-variable-goal\.svg, mnar-delta\.svg\)\n$/);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  expect(doc.figures.map((f: Doc) => f.file).sort()).toEqual(['added-variable-task.svg', 'forest.svg']);
});

test('--timestamp records the time of the run', async () => {
  const plan = path.join(TMP, 'ts.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['correlations'] }));
  const { dir, doc } = await report([EXAMPLE_REL, '--plan', plan, '--timestamp']);
  expect(doc.provenance.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain(`Generated: ${doc.provenance.timestamp}`);
});

test('--plan examples/plan.json: valid against plan.schema.json, recorded as used, Holm-adjusted p as correlate', async () => {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/plan.json'), 'utf8'));
  if (!validatePlan(example)) throw new Error(JSON.stringify(validatePlan.errors));
  const { doc } = await report([EXAMPLE_REL, '--plan', 'examples/plan.json']);
  expectValidReport(doc);
  const planBytes = fs.readFileSync(path.join(ROOT, 'examples/plan.json'));
  expect(doc.provenance.plan_file).toEqual({ path: 'examples/plan.json', sha256: createHash('sha256').update(planBytes).digest('hex'), content: planBytes.toString('utf8') });
  const { $schema: _schema, ...plan } = example;
  expect(doc.provenance.plan).toEqual(plan);
  const c = await commandJson(['correlate', EXAMPLE, ...APP, '--adjust', 'age,sex,baseline,expectation', '--bayes', '--p-adjust', 'holm']);
  expect(stepOf(doc, 'correlations').results).toEqual(c.results);
});

test('a plan changes variables, filter, steps and their order; the report is still valid', async () => {
  const plan = path.join(TMP, 'variant.json');
  fs.writeFileSync(
    plan,
    JSON.stringify({ where: 'arm=app,age>=40', x: ['task', 'goal'], covariates: ['baseline', 'age'], stratifier: null, steps: ['correlations', 'sample'], ci: 0.9 }),
  );
  const { dir, doc } = await report([EXAMPLE_REL, '--plan', plan]);
  expectValidReport(doc);
  expect(doc.steps.map((s: Doc) => s.id)).toEqual(['correlations', 'sample']);
  const c = await commandJson(['correlate', EXAMPLE, '--where', 'arm=app,age>=40', '--x', 'task,goal', '--adjust', 'baseline,age', '--ci', '0.9', '--bayes']);
  expect(stepOf(doc, 'correlations').results).toEqual(c.results);
  expect(doc.provenance.input.rows_kept).toBe(c.input.rows_kept);
  expect(stepOf(doc, 'sample').by).toBeNull();
  const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
  expect(md).toMatch(/^## 1\. Partial correlations of task and goal with week-10 distress$/m);
  expect(md).toContain('90% CI');
});

test('--where replaces the plan\'s filter and is recorded', async () => {
  const plan = path.join(TMP, 'where.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['correlations'] }));
  const { doc } = await report([EXAMPLE_REL, '--plan', plan, '--where', 'arm=app,sex=female']);
  expect(doc.provenance.plan.where).toBe('arm=app,sex=female');
  expect(doc.provenance.options).toEqual({ where: 'arm=app,sex=female' });
  const c = await commandJson(['correlate', EXAMPLE, '--where', 'arm=app,sex=female', '--adjust', 'age,sex,baseline,expectation', '--bayes']);
  expect(stepOf(doc, 'correlations').results).toEqual(c.results);
});

test('stdin (-) is read once: every step sees the same bytes, and the results are the file\'s', async () => {
  const plan = path.join(TMP, 'stdin.json');
  fs.writeFileSync(plan, JSON.stringify({ bootstrap: { resamples: 200 } }));
  const bytes = fs.readFileSync(EXAMPLE);
  const fromFile = await report([EXAMPLE_REL, '--plan', plan]);
  const fromStdin = await report(['-', '--plan', plan], bytes);
  expect(fromStdin.doc.steps).toEqual(fromFile.doc.steps);
  expect(fromStdin.doc.provenance.input).toMatchObject({ path: '-', source: 'stdin', sha256: fromFile.doc.provenance.input.sha256, bytes: bytes.length });
});

test('a plan that names the variables runs on a file that is not a CanRelax export', async () => {
  const lines = ['id,a,b,c,g'];
  for (let i = 0; i < 40; i++) lines.push(`r${i},${(i * 7) % 11},${(i * 5) % 13},${(i * 3) % 7},${i % 2 ? 'u' : 'v'}`);
  const csv = path.join(TMP, 'plain.csv');
  fs.writeFileSync(csv, `${lines.join('\n')}\n`);
  const plan = path.join(TMP, 'plain.json');
  fs.writeFileSync(plan, JSON.stringify({ x: ['a'], y: 'b', covariates: ['c'], bootstrap: { resamples: 200 } }));
  const { doc } = await report([csv, '--plan', plan]);
  expectValidReport(doc);
  // No stratifier, no expectation column: those steps are left out, and said so.
  expect(doc.steps.map((s: Doc) => s.id)).toEqual(['sample', 'reliability', 'correlations', 'sensitivity', 'missing']);
  expect(doc.provenance.notes.join(' ')).toMatch(/stratified, measurement and moderation left out/);
  expect(doc.provenance.plan.where).toBeNull();
  const c = await commandJson(['correlate', csv, '--x', 'a', '--y', 'b', '--adjust', 'c', '--bayes']);
  expect(stepOf(doc, 'correlations').results).toEqual(c.results);
});

describe('bad input: one line, the right exit code, no files', () => {
  async function fails(args: string[], code: number, pattern: RegExp, plan?: unknown): Promise<void> {
    const dir = tmpDir('fail');
    const extra: string[] = [];
    if (plan !== undefined) {
      const file = path.join(TMP, `plan-${dirs}.json`);
      fs.writeFileSync(file, typeof plan === 'string' ? plan : JSON.stringify(plan));
      extra.push('--plan', file);
    }
    const r = await runCli(['report', ...args, ...extra, '--out-dir', dir]);
    expectOneLineError(r, code, pattern);
    expect(fs.existsSync(dir)).toBe(false);
  }

  test('unknown plan key, by its path', async () => {
    await fails([EXAMPLE], 2, /unknown plan key "bootsrap".*known keys: .*bootstrap/, { bootsrap: { resamples: 200 } });
    await fails([EXAMPLE], 2, /unknown plan key "bootstrap\.sed".*bootstrap\.seed/, { bootstrap: { sed: 1 } });
    await fails([EXAMPLE], 2, /unknown plan key "expectation\.var"/, { expectation: { var: 'expectation' } });
  });

  test('plan not JSON, not an object, missing', async () => {
    await fails([EXAMPLE], 2, /is not valid JSON/, '{"steps": [');
    await fails([EXAMPLE], 2, /must hold a JSON object/, '[1, 2]');
    const r = await runCli(['report', EXAMPLE, '--plan', path.join(TMP, 'no-such-plan.json'), '--out-dir', tmpDir('x')]);
    expectOneLineError(r, 2, /--plan .*no-such-plan\.json not found, check the path$/);
  });

  test('a --plan, --config or --published that is a folder says so (EISDIR), not "not found"', async () => {
    const dir = tmpDir('a-folder');
    fs.mkdirSync(dir, { recursive: true });
    for (const flag of ['--plan', '--config', '--published']) {
      const r = await runCli(['report', EXAMPLE, flag, dir, '--out-dir', tmpDir('y')]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: `canrelax-analyze: cannot read ${flag} ${dir} (EISDIR), check the path\n` });
    }
  });

  test('bad values name the key', async () => {
    await fails([EXAMPLE], 2, /unknown step "corr" at plan key "steps\[1\]".*steps: sample, published, reliability/, { steps: ['sample', 'corr'] });
    await fails([EXAMPLE], 2, /plan key "steps\[1\]" repeats the step sample/, { steps: ['sample', 'sample'] });
    await fails([EXAMPLE], 2, /plan key "ci" must be a confidence level/, { ci: 95 });
    await fails([EXAMPLE], 2, /plan key "bootstrap\.resamples" must be a whole number/, { bootstrap: { resamples: 10 } });
    await fails([EXAMPLE], 2, /plan key "p_adjust" must be one of none, holm/, { p_adjust: 'fdr' });
    await fails([EXAMPLE], 2, /plan key "x" must be a list/, { x: 'alliance' });
    await fails([EXAMPLE], 2, /step "moderation" needs a stratifier/, { stratifier: null, steps: ['moderation'] });
  });

  test('a step that cannot run on the rows names the step', async () => {
    // The default plan leaves the step out (test/cli/types.test.ts); a plan that asks for it fails naming it.
    await fails([EXAMPLE, '--where', 'arm=app,sex=female'], 2, /step "stratified": plan key "stratifier" sex has one level \(female\)/, { steps: ['stratified'] });
  });

  test('an option is named as the user gave it: the flag typed to report, else the plan key (issue 19)', async () => {
    await fails([EXAMPLE, '--where', 'arm=app,sex'], 2, /: --where condition "sex" is not column<op>value, use .* as in --where "arm=app,age>=18"$/);
    await fails([EXAMPLE], 2, /: plan key "where" condition "sex" is not column<op>value, use .* as in plan key "where" "arm=app,age>=18"$/, { where: 'arm=app,sex' });
  });

  test('variables are resolved through the data', async () => {
    await fails([EXAMPLE], 2, /unknown column "allience" in plan key "x".*nearest: alliance/, { x: ['allience'] });
    await fails([EXAMPLE], 2, /plan key "covariates" names alliance \(wai_total\), which is also an x/, { covariates: ['age', 'alliance'] });
  });

  test('a file that is not a CanRelax export needs a plan naming the variables', async () => {
    const csv = path.join(TMP, 'other.csv');
    fs.writeFileSync(csv, 'a,b,c\n1,2,3\n4,5,6\n');
    await fails([csv], 2, /plan key "x" is needed: .* is not a CanRelax export \(no alliance\)/);
  });

  test('--out-dir is a file; the input is never overwritten', async () => {
    const r = await runCli(['report', EXAMPLE, '--out-dir', EXAMPLE]);
    expectOneLineError(r, 2, /--out-dir .* is a file/);
    const dir = tmpDir('input-inside');
    fs.mkdirSync(dir);
    const input = path.join(dir, 'report.md');
    fs.copyFileSync(EXAMPLE, input);
    const plan = path.join(TMP, 'inside.json');
    fs.writeFileSync(plan, JSON.stringify({ steps: ['correlations'] }));
    const r2 = await runCli(['report', input, '--plan', plan, '--out-dir', dir]);
    expectOneLineError(r2, 2, /holds an input file as report\.md/);
    expect(fs.readFileSync(input).equals(fs.readFileSync(EXAMPLE))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['report.md']);
  });

  test('missing input file', async () => {
    await fails([path.join(TMP, 'nope.csv')], 2, /file not found/);
  });
});

test('the plan checker and schema/plan.schema.json agree', () => {
  const plans: unknown[] = [
    {},
    { plan_version: 1 },
    { plan_version: 2 },
    { x: [] },
    { x: ['a', 'a'] },
    { x: ['a'], y: 'b', covariates: [] },
    { y: ['distress'] },
    { where: null },
    { where: 5 },
    { stratifier: null },
    { stratifier: '' },
    { expectation: null },
    { expectation: { variable: 'expectation' } },
    { expectation: { variable: 'e', covariates: ['age'], extra: 1 } },
    { steps: [] },
    { steps: ['sensitivity', 'sample'] },
    { steps: ['nope'] },
    { bootstrap: { resamples: 99 } },
    { bootstrap: { resamples: 100, seed: 0 } },
    { bootstrap: { seed: -1 } },
    { bootstrap: { seed: 1.5 } },
    { ci: 0 },
    { ci: 0.9 },
    { ci: 1 },
    { p_adjust: 'bh' },
    { p_adjust: 'BH' },
    { bayes: 'yes' },
    { title: 'A' },
    { title: '' },
    { unknown: 1 },
    { $schema: '../schema/plan.schema.json' },
    { scores: 'file' },
    { scores: 'sum' },
    { labels: { distress: 'Distress at T2 (PHQ-ADS)' } },
    { labels: { distress: '' } },
    { labels: ['distress'] },
    { levels: { Geschlecht: { '1': 'male', '2': 'female' } } },
    { levels: { Geschlecht: ['male'] } },
    { levels: { Geschlecht: { '1': 2 } } },
    { reference: { sex: 'female' } },
    { reference: { sex: 1 } },
  ];
  for (const plan of plans) {
    let accepted = true;
    try {
      checkPlan(plan, 'test');
    } catch {
      accepted = false;
    }
    expect([plan, validatePlan(plan)]).toEqual([plan, accepted]);
  }
});

test('the bundled binary draws the figures (vega loaded from node_modules)', () => {
  const dir = tmpDir('bin');
  const plan = path.join(TMP, 'bin.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['correlations', 'stratified'] }));
  const r = runBin(['report', EXAMPLE_REL, '--plan', plan, '--out-dir', dir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(fs.existsSync(BIN)).toBe(true);
  checkXml(fs.readFileSync(path.join(dir, 'forest.svg'), 'utf8'));
  expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('<svg ');
});
