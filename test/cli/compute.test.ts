/**
 * --compute and expression --where through the commands: a computed column used as x, covariate, stratifier and
 * filter gives exactly the results of the same column precomputed in the CSV (the same arithmetic in IEEE doubles,
 * written with full precision); the plan's `compute` and the config's; mathjs loaded only for an expression.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, ROOT, expectOneLineError, runBin, runCli, runJson } from '../helpers/cli';

const schemaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
// Every schema report.schema.json may refer to.
for (const file of fs.readdirSync(path.join(ROOT, 'schema')).filter((f) => f.endsWith('.schema.json') && f !== 'report.schema.json')) {
  ajv.addSchema(schemaOf(file.replace(/\.schema\.json$/, '')));
}
const validateReport = ajv.compile(schemaOf('report'));
const validatePlan = ajv.getSchema('https://canrelax-analyze/schema/plan.schema.json')!;

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-compute-test-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const BASE = path.join(TMP, 'scored.csv');
const PRE = path.join(TMP, 'precomputed.csv');

const COMPUTE = [
  '--compute', 'change = phqads_total_w10 - phqads_total_t0',
  '--compute', 'age10 = age / 10',
  '--compute', 'older = age >= 40',
];

beforeAll(async () => {
  // The example with its score columns (score writes every number with full precision), and the same file with
  // the computed columns worked out here: the same IEEE operations, written so that they read back exactly.
  const scored = await runCli(['score', EXAMPLE]);
  expect(scored.code).toBe(0);
  fs.writeFileSync(BASE, scored.stdout);
  const [header, ...lines] = scored.stdout.trimEnd().split('\n');
  expect(scored.stdout).not.toContain('"');
  const names = header.split(',');
  const at = (name: string) => names.indexOf(name);
  const num = (cell: string) => (cell === '' ? NaN : Number(cell));
  const cell = (x: number) => (Number.isNaN(x) ? '' : String(x));
  const rows = lines.map((line) => {
    const cells = line.split(',');
    const age = num(cells[at('age')]);
    const change = num(cells[at('phqads_total_w10')]) - num(cells[at('phqads_total_t0')]);
    const older = Number.isNaN(age) ? NaN : age >= 40 ? 1 : 0;
    return [line, cell(change), cell(age / 10), cell(older)].join(',');
  });
  fs.writeFileSync(PRE, [`${header},change,age10,older`, ...rows].join('\n') + '\n');
});

describe('a computed column equals the same column precomputed in the CSV, exactly', () => {
  test('correlate: computed x, covariate, stratifier (--by) and filter (expression --where)', async () => {
    const analysis = ['--x', 'change,age10', '--y', 'wai_total', '--adjust', 'age10,sex', '--by', 'older'];
    const computed = await runJson(['correlate', BASE, ...COMPUTE, ...analysis.map((a) => a.replace('change,age10', 'change'))]);
    const precomputed = await runJson(['correlate', PRE, ...analysis.map((a) => a.replace('change,age10', 'change'))]);
    expect(computed.results.length).toBeGreaterThan(1);
    expect(computed.results).toEqual(precomputed.results);

    const filtered = await runJson(['correlate', BASE, ...COMPUTE, '--x', 'change', '--y', 'wai_total', '--adjust', 'age10', '--where', "older == 1 and arm == 'app'"]);
    const simple = await runJson(['correlate', PRE, '--x', 'change', '--y', 'wai_total', '--adjust', 'age10', '--where', 'older=1,arm=app']);
    expect(filtered.results).toEqual(simple.results);
    expect(filtered.results[0].n).toBe(simple.results[0].n);
  });

  test('model: a computed outcome and covariate', async () => {
    const computed = await runJson(['model', BASE, ...COMPUTE, '--y', 'change', '--x', 'wai_total', '--adjust', 'age10']);
    const precomputed = await runJson(['model', PRE, '--y', 'change', '--x', 'wai_total', '--adjust', 'age10']);
    expect(computed.models.length).toBeGreaterThan(0);
    expect(computed.models).toEqual(precomputed.models);
  });

  test('score writes the computed columns after the scores', async () => {
    const r = await runCli(['score', BASE, '--compute', 'change = phqads_total_w10 - phqads_total_t0']);
    expect(r.code).toBe(0);
    const pre = fs.readFileSync(PRE, 'utf8').split('\n');
    const out = r.stdout.split('\n');
    expect(out[0].endsWith(',change')).toBe(true);
    // The same cells as the precomputed file's change column.
    const col = (lines: string[], name: string) => {
      const i = lines[0].split(',').indexOf(name);
      return lines.slice(1).filter((l) => l !== '').map((l) => l.split(',')[i]);
    };
    expect(col(out, 'change')).toEqual(col(pre, 'change'));
  });

  test('report: the plan key compute, then --compute; the plan as used records both', async () => {
    const plan = path.join(TMP, 'plan.json');
    const base = { x: ['alliance'], y: 'change', covariates: ['age10'], stratifier: null, expectation: null, steps: ['correlations'] };
    fs.writeFileSync(plan, JSON.stringify({ ...base, compute: ['change = distress - baseline'] }));
    const dir = path.join(TMP, 'report');
    const r = await runCli(['report', BASE, '--plan', plan, '--compute', 'age10 = age / 10', '--out-dir', dir]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(doc.provenance.plan.compute).toEqual(['change = distress - baseline', 'age10 = age / 10']);
    // The plan as used is a valid plan, and the report valid against its schema.
    expect(validatePlan(doc.provenance.plan)).toBe(true);
    expect(validateReport(doc)).toBe(true);
    const prePlan = path.join(TMP, 'pre-plan.json');
    fs.writeFileSync(prePlan, JSON.stringify(base));
    const preDir = path.join(TMP, 'pre-report');
    expect((await runCli(['report', PRE, '--plan', prePlan, '--out-dir', preDir])).code).toBe(0);
    const pre = JSON.parse(fs.readFileSync(path.join(preDir, 'report.json'), 'utf8'));
    const results = (d: { steps: Array<{ id: string; results: unknown }> }) => d.steps.find((s) => s.id === 'correlations')!.results;
    expect(results(doc)).toBeDefined();
    expect(results(doc)).toEqual(results(pre));
  });

  test('report --replay rebuilds a report made with --compute and an expression --where, byte for byte', async () => {
    const plan = path.join(TMP, 'replay-plan.json');
    fs.writeFileSync(plan, JSON.stringify({ x: ['alliance'], y: 'change', covariates: ['age'], stratifier: null, expectation: null, steps: ['sample', 'correlations'] }));
    const dir = path.join(TMP, 'made');
    const made = await runCli(['report', BASE, '--plan', plan, '--compute', 'change = distress - baseline', '--where', "arm == 'app' and not isMissing(age)", '--out-dir', dir]);
    expect(made.stderr).toBe('');
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(doc.provenance.options).toEqual({ compute: ['change = distress - baseline'], where: "arm == 'app' and not isMissing(age)" });
    const again = path.join(TMP, 'replayed');
    expect((await runCli(['report', '--replay', path.join(dir, 'report.json'), '--out-dir', again])).code).toBe(0);
    for (const file of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(again, file)).equals(fs.readFileSync(path.join(dir, file)))).toBe(true);
  });

  test('the config file\'s "compute" comes before --compute', async () => {
    const config = path.join(TMP, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ compute: ['change = phqads_total_w10 - phqads_total_t0'] }));
    const computed = await runJson(['correlate', BASE, '--config', config, '--compute', 'change2 = change * 2', '--x', 'change2', '--y', 'wai_total']);
    const pre = await runJson(['correlate', PRE, '--x', 'change', '--y', 'wai_total']);
    // r is invariant to scaling by 2 exactly (a power of two); n and p alike.
    expect(computed.results[0].r).toBe(pre.results[0].r);
    expect(computed.results[0].n).toBe(pre.results[0].n);
  });
});

describe('errors', () => {
  test('plan key compute must be a list of NAME = EXPRESSION texts (exit 2 naming the key)', async () => {
    const plan = path.join(TMP, 'bad-plan.json');
    fs.writeFileSync(plan, JSON.stringify({ compute: 'change = distress - baseline' }));
    expectOneLineError(await runCli(['report', BASE, '--plan', plan, '--out-dir', path.join(TMP, 'bad')]), 2, /plan key "compute" must be a list/);
    fs.writeFileSync(plan, JSON.stringify({ compute: [''] }));
    expectOneLineError(await runCli(['report', BASE, '--plan', plan, '--out-dir', path.join(TMP, 'bad')]), 2, /plan key "compute\[0\]" must be NAME = EXPRESSION/);
    expect(validatePlan({ compute: ['change = distress - baseline'] })).toBe(true);
    expect(validatePlan({ compute: 'x = 1' })).toBe(false);
  });

  test('a refused construct: exit 2, one line, the character', async () => {
    expectOneLineError(await runCli(['correlate', EXAMPLE, '--compute', "y = evaluate('1')", '--x', 'alliance', '--y', 'y']), 2, /--compute "y = evaluate\('1'\)": function evaluate is not allowed .*at character 5/);
    expectOneLineError(await runCli(['describe', EXAMPLE, '--where', "arm == 'app' and (age >"]), 2, /syntax error.*at character/);
  });

  test('a text cell read as a number: exit 1 naming line and column', async () => {
    expectOneLineError(await runCli(['describe', EXAMPLE, '--compute', 'y = arm * 2']), 1, /"app" is not a number at line 2, column "arm"/);
  });
});

describe('mathjs is loaded only for an expression (the build, bin/canrelax-analyze)', () => {
  // NODE_DEBUG=module makes Node name every module it loads: dist/math-parser.js is mathjs's parser (scripts/build.mjs).
  const loads = (args: string[]) => runBin(args, { env: { NODE_DEBUG: 'module' } }).stderr.split('\n').filter((l) => /^MODULE \d+: load "/.test(l));
  test('not for the simple --where; once for --compute', () => {
    expect(loads(['describe', EXAMPLE, '--where', 'arm=app,age>=18']).filter((l) => /math/.test(l))).toEqual([]);
    const withExpression = loads(['describe', EXAMPLE, '--where', "arm == 'app'", '--compute', 'x = age * 2']);
    expect(withExpression.filter((l) => /math/.test(l))).toEqual([expect.stringMatching(/dist\/math-parser\.js/)]);
  });
});
