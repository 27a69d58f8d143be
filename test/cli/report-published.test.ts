/**
 * `report --published`: the "Published and reanalysed" step. On the bundled example (simulate --match
 * examples/published/canrelax-2026.json --seed 2026) every value matches and every claim is supported, with the
 * numbers of the committed R reference (test/reference/published.R → published.json, key "2026"); a value the data
 * do not reproduce gives `differs` (or `within_ci`) and the report still completes; values the data cannot give
 * (the waitlist arm, a column the file lacks) are listed with their reason, never failing the report.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, ROOT, expectOneLineError, runCli } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
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

const PUBLISHED = path.join(ROOT, 'examples/published/canrelax-2026.json');
const R = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/published.json'), 'utf8'))['2026'];
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-report-published-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** The CanRelax published file with `change` applied, written to a temporary file. */
function variant(name: string, change: (d: Doc) => void): string {
  const d = JSON.parse(fs.readFileSync(PUBLISHED, 'utf8'));
  change(d);
  const file = path.join(TMP, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(d));
  return file;
}

async function report(args: string[]): Promise<{ doc: Doc; md: string; html: string }> {
  const dir = fs.mkdtempSync(path.join(TMP, 'out-'));
  const r = await runCli(['report', EXAMPLE, ...args, '--out-dir', dir]);
  if (r.code !== 0) throw new Error(r.stderr);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  if (!validateReport(doc)) throw new Error(JSON.stringify(validateReport.errors, null, 2));
  return { doc, md: fs.readFileSync(path.join(dir, 'report.md'), 'utf8'), html: fs.readFileSync(path.join(dir, 'report.html'), 'utf8') };
}

const stepOf = (doc: Doc, id: string) => doc.steps.find((s: Doc) => s.id === id);

test('the bundled example is the file published.R computed its reference values on (match-2026.csv)', () => {
  expect(fs.readFileSync(EXAMPLE).equals(fs.readFileSync(path.join(ROOT, 'test/reference/published/match-2026.csv')))).toBe(true);
});

describe('the bundled example with its published values', () => {
  let out: { doc: Doc; md: string; html: string };
  beforeAll(async () => {
    out = await report(['--published', PUBLISHED]);
  });

  test('the step comes first after the sample description, with the source and the summary', () => {
    expect(out.doc.steps.map((s: Doc) => s.id).slice(0, 3)).toEqual(['sample', 'published', 'reliability']);
    const p = stepOf(out.doc, 'published');
    expect(p.title).toBe('Published and reanalysed');
    expect(p.source).toEqual({ title: 'Schläpfer et al. 2026, Internet Interventions: working alliance and distress in the CanRelax 2.0 trial', doi: '10.1016/j.invent.2026.100929' });
    expect(p.summary).toBe('8 of 8 values match, 5 of 5 claims supported');
    expect(out.doc.provenance.plan.published).toBe(PUBLISHED);
    // The same comparison at the top level of report.json (`jq .published`), without the step's id and title.
    const { id: _id, title: _title, ...rest } = p;
    expect(out.doc.published).toEqual(rest);
  });

  test('every value matches, reanalysed value, n and CI as R computes them (published.R)', () => {
    const p = stepOf(out.doc, 'published');
    expect(p.values.map((v: Doc) => v.verdict)).toEqual(Array(8).fill('matches'));
    expect(p.values.map((v: Doc) => v.published)).toEqual([117, 4.04, 0.95, 3.46, 0.74, 2.79, 0.75, -0.18]);
    p.values.forEach((v: Doc, i: number) => {
      expectClose(v.reanalysed, R.values[i].value, 1e-10);
      expect(v.n).toBe(R.values[i].n);
      if (R.values[i].ci === null) expect(v.ci).toBeNull();
      else v.ci.forEach((b: number, j: number) => expectClose(b, R.values[i].ci[j], 1e-10));
    });
  });

  test('every claim is supported, estimate, p and the stratum difference test as R computes them', () => {
    const p = stepOf(out.doc, 'published');
    expect(p.claims.map((c: Doc) => c.supported)).toEqual([true, true, true, true, true]);
    p.claims.forEach((c: Doc, i: number) => {
      expectClose(c.estimate, R.claims[i].value, 1e-10);
      expectClose(c.p, R.claims[i].p, 1e-10);
      expect(c.n).toBe(R.claims[i].n);
      expect(c.compared).toHaveLength(R.claims[i].compared.length);
      c.compared.forEach((o: Doc, j: number) => {
        const want = R.claims[i].compared[j];
        expectClose(o.estimate, want.value, 1e-10);
        for (const key of ['z', 'p', 'difference']) expectClose(o.difference[key], want.difference[key], 1e-10);
        o.difference.ci.forEach((b: number, k: number) => expectClose(b, want.difference.ci[k], 1e-10));
      });
    });
  });

  test('report.md and report.html show the section, every value and claim, and the stratum difference test', () => {
    const md = out.md;
    expect(md.indexOf('## 1. Sample and descriptives')).toBeLessThan(md.indexOf('## 2. Published and reanalysed'));
    expect(md).toContain('Reanalysed on this file, each on its analysis\'s rows: 8 of 8 values match, 5 of 5 claims supported.');
    // R: bond mean 4.03774929… with t CI [3.863521…, 4.211977…]; partial r −.177387… [−.356917…, .014781…], n = 109.
    expect(md).toContain('| WAI-I bond, mean | app | 4.04 | 4.0377 [3.8635, 4.2120] | 117 | matches |');
    expect(md).toContain('| WAI-I total with week-10 distress, partial r | adjusted | −.18 | −.1774 [−.3569, .0148] | 109 | matches |');
    // R: female r −.233 vs male −.0023: Δ −.2306 [−.6235, .1764], z −1.096, p .273 (−.0023 prints as .00).
    expect(md).toContain('male: .00; Δ = −.23 [−.62, .18], z = −1.10, p = .273');
    for (const c of stepOf(out.doc, 'published').claims) expect(md).toContain(`| ${c.claim} | ${c.test} |`);
    expect(out.html).toContain('Published and reanalysed');
    expect(out.html).toContain('8 of 8 values match, 5 of 5 claims supported');
  });
});

test('a published value the data do not reproduce differs, one near it is within the CI; the report completes', async () => {
  const file = variant('differs', (d) => {
    d.values[1].published = 4.5; // bond mean: reanalysed 4.0377, CI [3.8635, 4.2120] (R) → differs
    d.values[2].published = 0.9; // bond SD: reanalysed 0.9515, CI [0.8432, 1.0919] (R) → within_ci
  });
  const { doc, md } = await report(['--published', file]);
  const p = stepOf(doc, 'published');
  expect(p.values.map((v: Doc) => v.verdict)).toEqual(['matches', 'differs', 'within_ci', 'matches', 'matches', 'matches', 'matches', 'matches']);
  expect(p.summary).toBe('6 of 8 values match (1 within the reanalysis CI, 1 differs), 5 of 5 claims supported');
  expect(md).toContain('| WAI-I bond, mean | app | 4.50 | 4.0377 [3.8635, 4.2120] | 117 | differs |');
  expect(md).toContain('| WAI-I bond, SD | app | 0.90 | 0.9515 [0.8432, 1.0919] | 117 | within CI |');
});

test('the waitlist arm, and a column the file lacks: the values not computed are listed with their reason', async () => {
  const file = variant('waitlist', (d) => {
    for (const a of Object.values(d.analyses) as Doc[]) a.where = a.where.replace('arm=app', 'arm=waitlist');
    d.values.push({ quantity: 'WAI-I agreement, mean', statistic: 'mean', variable: 'agreement', analysis: 'app', published: 3.1, precision: 1 });
  });
  const { doc, md } = await report(['--published', file]);
  const p = stepOf(doc, 'published');
  // The waitlist has 117 rows too (234 in all), so N matches; it answered no WAI-I.
  expect(p.values[0]).toMatchObject({ reanalysed: 117, verdict: 'matches' });
  expect(p.values[1]).toMatchObject({ reanalysed: null, ci: null, verdict: null, reason: 'no rows with a value of bond (wai_bond)' });
  expect(p.values[2]).toMatchObject({ verdict: null, reason: 'fewer than 2 rows with a value of bond (wai_bond)' });
  expect(p.values[7].reason).toMatch(/^no usable rows: every row misses x, y or a covariate/);
  expect(p.values[8].reason).toMatch(/^unknown column "agreement"/);
  expect(p.claims.every((c: Doc) => c.supported === null && typeof c.reason === 'string')).toBe(true);
  expect(p.summary).toBe('1 of 9 values match (8 could not be computed), 0 of 5 claims supported (5 could not be tested)');
  expect(md).toContain('Not computed: WAI-I bond, mean: no rows with a value of bond (wai_bond);');
  expect(md).toContain('| WAI-I bond, mean | app | 4.04 | – | 0 | not computed |');
});

test('plan key "published" asks for the step; --published replaces it; bad values are exit 2', async () => {
  const plan = path.join(TMP, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({ published: PUBLISHED, steps: ['published', 'sample'] }));
  const { doc } = await report(['--plan', plan]);
  expect(doc.steps.map((s: Doc) => s.id)).toEqual(['published', 'sample']);
  expect(stepOf(doc, 'published').summary).toBe('8 of 8 values match, 5 of 5 claims supported');
  // The input description is the plan's rows (arm=app), not the published analyses' passes.
  expect(doc.provenance.input.rows_kept).toBe(117);

  const other = variant('replaced', (d) => {
    d.values[1].published = 4.5;
  });
  const replaced = await report(['--plan', plan, '--published', other]);
  expect(replaced.doc.provenance.plan.published).toBe(other);
  expect(stepOf(replaced.doc, 'published').values[1].verdict).toBe('differs');

  const bad = path.join(TMP, 'bad-plan.json');
  fs.writeFileSync(bad, JSON.stringify({ published: 3 }));
  expectOneLineError(await runCli(['report', EXAMPLE, '--plan', bad, '--out-dir', path.join(TMP, 'never')]), 2, /plan key "published" must be the path of a published-values file, or null for none, got 3/);
  expectOneLineError(
    await runCli(['report', EXAMPLE, '--published', path.join(TMP, 'missing.json'), '--out-dir', path.join(TMP, 'never')]),
    2,
    /--published .*missing\.json not found, check the path$/,
  );
  expect(fs.existsSync(path.join(TMP, 'never'))).toBe(false);
});
