/**
 * The `robustness` command: its formats (JSON valid against schema/robustness.schema.json, CSV one row per
 * specification), a spec file, the figure, byte-identical seeded runs, and bad input (one line, exit 2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, ROOT, runCli, runJson } from '../helpers/cli';
import { parseSpecs } from '../../src/cli/robustness';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/robustness.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const specSchema = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/specs.schema.json'), 'utf8')));
const APP = ['--where', 'arm=app'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'robustness-'));
const specFile = (doc: unknown) => {
  const file = path.join(dir, `specs-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
};

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('robustness output', () => {
  test('JSON follows schema/robustness.schema.json, with the joint test of each curve', async () => {
    const doc = await runJson(['robustness', EXAMPLE, ...APP, '--x', 'alliance', '--null-samples', '50'], { schema: validate });
    expect(doc.analysis.specifications_per_curve).toBe(64);
    expect(doc.analysis.dimensions.covariates[0]).toEqual(['age', 'sex', 'phqads_total_t0', 'expectation']);
    expect(doc.analysis.notes.join(' ')).toMatch(/approximate/);
    const [curve] = doc.curves;
    expect(curve.joint).toMatchObject({ null_samples: 50, seed: 1, failed: 0 });
    // Each p is a share of 50 resamples.
    for (const p of [curve.joint.median_r_p, curve.joint.share_significant_p, curve.joint.stouffer_p]) expect(Math.abs(p * 50 - Math.round(p * 50))).toBeLessThan(1e-9);
    // The summary from the specifications, worked here: median of the 64 r (R's median: mean of the middle two).
    const r = curve.specifications.map((s: any) => s.r).sort((a: number, b: number) => a - b);
    expect(curve.summary.median_r).toBeCloseTo((r[31] + r[32]) / 2, 15);
    expect(curve.summary.min_r).toBe(r[0]);
    expect(curve.summary.max_r).toBe(r[63]);
    const negative = curve.specifications.filter((s: any) => s.r < 0);
    expect(curve.summary.dominant_sign).toBe(negative.length > 32 ? -1 : 1);
    expect(curve.summary.share_significant).toBe(curve.specifications.filter((s: any) => Math.sign(s.r) === curve.summary.dominant_sign && s.p < 0.05).length / 64);
  });

  test('CSV: a header and one row per specification of every curve', async () => {
    const r = await runCli(['robustness', EXAMPLE, ...APP, '--null-samples', '0', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('x,y,primary,covariates,method,influential,missing,n,k,r,ci.lower,ci.upper,p,reason');
    expect(lines).toHaveLength(1 + 4 * 64);
    expect(lines[1]).toMatch(/^wai_total,phqads_total_w10,true,age;sex;phqads_total_t0;expectation,pearson,kept,listwise,/);
  });

  test('table and markdown: the summary, then each curve with the primary first', async () => {
    const table = await runCli(['robustness', EXAMPLE, ...APP, '--x', 'task', '--null-samples', '20']);
    expect(table.stdout).toMatch(/Specification curves: summary and joint test/);
    expect(table.stdout).toMatch(/1 \(primary\)/);
    const md = await runCli(['robustness', EXAMPLE, ...APP, '--x', 'task', '--null-samples', '20', '--format', 'markdown']);
    expect(md.stdout).toMatch(/^\*\*Specification curves: summary and joint test\*\*/);
    expect(md.stdout).toMatch(/\| 1 \(primary\)( \*)? \| age\+sex\+phqads_total_t0\+expectation \| pearson \| kept \|/);
  });

  test('seeded: two runs are byte-identical; another seed changes only the joint p-values', async () => {
    const args = ['robustness', EXAMPLE, ...APP, '--x', 'goal', '--null-samples', '100', '--seed', '9', '--format', 'json'];
    const a = await runCli(args);
    const b = await runCli(args);
    expect(b.stdout).toBe(a.stdout);
    const c = JSON.parse((await runCli([...args.slice(0, -4), '--seed', '10', '--format', 'json'])).stdout);
    const first = JSON.parse(a.stdout);
    expect(c.curves[0].specifications).toEqual(first.curves[0].specifications);
  });

  test('--figure draws the curve as SVG: one point per specification with its CI, the choices below', async () => {
    const figure = path.join(dir, 'curve.svg');
    const r = await runCli(['robustness', EXAMPLE, ...APP, '--x', 'alliance', '--null-samples', '0', '--figure', figure, '--format', 'json']);
    expect(r.code).toBe(0);
    const svg = fs.readFileSync(figure, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/\+ expectation/);
    expect(svg).toMatch(/influential removed/);
    // One point per specification on top (64) and one per choice it makes below.
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(64 + 64 * 2 + 32 * 4);
  });
});

describe('--specs FILE', () => {
  test('names the covariate sets and options; the first of each is the primary', async () => {
    const file = specFile({ covariates: [['baseline'], ['baseline', 'age'], []], method: ['spearman'], influential: ['kept'] });
    const doc = await runJson(['robustness', EXAMPLE, ...APP, '--x', 'alliance', '--specs', file, '--null-samples', '0'], { schema: validate });
    const specs = doc.curves[0].specifications;
    expect(specs.map((s: any) => [s.covariates, s.method, s.influential])).toEqual([
      [['phqads_total_t0'], 'spearman', 'kept'],
      [['phqads_total_t0', 'age'], 'spearman', 'kept'],
      [[], 'spearman', 'kept'],
    ]);
    // The zero-order Spearman r is correlate's.
    const alone = await runJson(['correlate', EXAMPLE, ...APP, '--x', 'alliance', '--method', 'spearman']);
    expect(specs[2].r).toBe(alone.results[0].r);
  });

  test('the spec schema accepts what parseSpecs accepts', () => {
    for (const doc of [{ subsets_of: ['age'] }, { covariates: [[]], method: ['pearson'] }, { influential: ['removed', 'kept'] }]) {
      expect(specSchema(doc)).toBe(true);
      expect(() => parseSpecs(doc, '--specs f')).not.toThrow();
    }
    for (const doc of [{ method: ['kendall'] }, { covariates: [['a']], subsets_of: ['b'] }, { colour: 1 }, { influential: [] }]) {
      expect(specSchema(doc)).toBe(false);
      expect(() => parseSpecs(doc, '--specs f')).toThrow();
    }
  });
});

describe('bad input: one line, exit 2', () => {
  const oneLine = async (args: string[], message: RegExp) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  };

  test('a spec file naming an unknown column', async () => {
    const file = specFile({ covariates: [['age', 'shoe_size']] });
    await oneLine(['robustness', EXAMPLE, '--specs', file], /unknown column "shoe_size" in --specs /);
  });

  test('a spec file naming an unknown method', async () => {
    await oneLine(['robustness', EXAMPLE, '--specs', specFile({ method: ['pearson', 'kendall'] })], /unknown method "kendall", use pearson or spearman/);
  });

  test('a spec file that is not JSON, or with an unknown key', async () => {
    await oneLine(['robustness', EXAMPLE, '--specs', specFile('{ covariates: ')], /is not JSON/);
    await oneLine(['robustness', EXAMPLE, '--specs', specFile({ covariate: [] })], /unknown key "covariate"/);
  });

  test('more specifications than --max-specs, before any subset is listed', async () => {
    await oneLine(['robustness', EXAMPLE, ...APP, '--max-specs', '50'], /64 specifications per curve \(16 subsets of 4 covariates × 2 methods × 2 influential-row rules\) exceed --max-specs 50/);
    const many = Array.from({ length: 40 }, (_, i) => `c${i}`).join(',');
    await oneLine(['robustness', EXAMPLE, '--adjust', many], /exceed --max-specs 1024/);
  });

  test('--null-samples and --seed must be whole numbers', async () => {
    await oneLine(['robustness', EXAMPLE, '--null-samples', 'many'], /--null-samples must be a whole number/);
    await oneLine(['robustness', EXAMPLE, '--seed', '-1'], /--seed must be a whole number/);
  });
});

describe('the report step (opt-in)', () => {
  test('a plan listing robustness gets its entry (valid against the schemas), its table and specification-curve-<x>.svg', async () => {
    const schemaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const name of ['correlate', 'model', 'mediate', 'measure', 'plan', 'robustness']) ajv.addSchema(schemaOf(name));
    const validateReport = ajv.compile(schemaOf('report'));
    const plan = specFile({ steps: ['correlations', 'robustness'] });
    const out = path.join(dir, 'report');
    const r = await runCli(['report', EXAMPLE, ...APP, '--plan', plan, '--out-dir', out]);
    expect(r.code).toBe(0);
    const doc: any = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    if (!(validateReport as (d: unknown) => boolean)(doc)) throw new Error(JSON.stringify(validateReport.errors));
    const entry = doc.steps.find((s: any) => s.id === 'robustness');
    // The command's numbers: the same specifications; 500 null resamples seeded by the plan's bootstrap seed (2026).
    const alone = await runJson(['robustness', EXAMPLE, ...APP, '--null-samples', '0']);
    expect(entry.curves.map((c: any) => c.specifications)).toEqual(alone.curves.map((c: any) => c.specifications));
    expect(entry.curves[0].joint).toMatchObject({ null_samples: 500, seed: 2026, failed: 0 });
    // One figure per x (issue 21: each fits a journal page).
    const curves = ['alliance', 'bond', 'task', 'goal'].map((x) => `specification-curve-${x}.svg`);
    expect(doc.figures.map((f: any) => f.file).filter((f: string) => f.startsWith('specification-curve'))).toEqual(curves);
    for (const file of curves) expect(fs.readFileSync(path.join(out, file), 'utf8').startsWith('<svg')).toBe(true);
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/Specification curves: summary and joint tests/);
    expect(md).toMatch(/the median partial \*r\* was −\.15/);
  });
});

describe('--with-mi: the missing-data dimension', () => {
  test('each covariate set × method also by multiple imputation: the numbers correlate --missing mi gives with the same x’s', async () => {
    const file = specFile({ covariates: [['age', 'sex', 'baseline', 'expectation'], ['baseline']], method: ['pearson', 'spearman'], influential: ['kept'] });
    const args = ['robustness', EXAMPLE, ...APP, '--x', 'alliance,task', '--specs', file, '--with-mi', '--imputations', '5', '--seed', '3', '--null-samples', '20'];
    const doc = await runJson(args, { schema: validate });
    expect(doc.analysis.dimensions.missing).toEqual(['listwise', 'mi']);
    expect(doc.analysis.notes.join(' ')).toMatch(/summary and the joint test are over the listwise specifications/);
    for (const curve of doc.curves) {
      const imputed = curve.specifications.filter((s: any) => s.missing === 'mi');
      expect(imputed).toHaveLength(4);
      // The summary is over the 4 listwise specifications only.
      const listwise = curve.specifications.filter((s: any) => s.missing === 'listwise').map((s: any) => s.r).sort((a: number, b: number) => a - b);
      expect(curve.summary.median_r).toBeCloseTo((listwise[1] + listwise[2]) / 2, 15);
      for (const spec of imputed) {
        const adjust = spec.covariates.map((c: string) => (c === 'phqads_total_t0' ? 'baseline' : c)).join(',');
        // The x's are imputed together, as one correlate run with every x imputes them.
        const alone = await runJson(['correlate', EXAMPLE, ...APP, '--x', 'alliance,task', '--adjust', adjust, '--method', spec.method, '--missing', 'mi', '--imputations', '5', '--seed', '3']);
        const result = alone.results.find((r: any) => r.x === curve.x);
        expect([spec.n, spec.k, spec.r, spec.ci, spec.p]).toEqual([result.n, result.k, result.r, result.ci, result.p]);
      }
    }
  });

  test('--with-mi on stdin: one line, exit 2', async () => {
    const r = await runCli(['robustness', '-', '--with-mi'], { stdin: fs.readFileSync(EXAMPLE, 'utf8') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--with-mi reads the input once per covariate set and method, give a file/);
  });
});
