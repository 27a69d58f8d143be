/**
 * `canrelax-analyze measure` against lavaan 0.6 (test/reference/cfa.R → cfa.json): χ², fit indices, ω and the
 * invariance tests to 1e-6, loadings and their SEs to 1e-5, on the example, two known populations (one where scalar
 * invariance fails by construction) and a user's instrument; improper and non-converged fits in words.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { measure } from '../../src/analyses/measure';
import { EXAMPLE, ROOT, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { readProjectReference } from '../helpers/reference';

const ref = readProjectReference('cfa.json');
const DIR = path.join(ROOT, 'test/reference/cfa');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/measure.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const json = (...args: string[]) => runJson(['measure', ...args], { schema: validate });

const close = (actual: number | null | undefined, expected: number, tolerance: number) => {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThan(tolerance);
};

function checkUnit(unit: any, expected: any, status = 'proper'): void {
  expect(unit.status).toBe(status);
  expect(unit.n).toBe(expected.n);
  const f = expected.fit;
  for (const [ours, theirs] of [['chisq', 'chisq'], ['p', 'pvalue'], ['cfi', 'cfi'], ['tli', 'tli'], ['rmsea', 'rmsea'], ['srmr', 'srmr']]) close(unit.fit[ours], f[theirs], 1e-6);
  expect(unit.fit.df).toBe(f.df);
  close(unit.fit.rmsea_ci[0], f['rmsea.ci.lower'], 1e-6);
  close(unit.fit.rmsea_ci[1], f['rmsea.ci.upper'], 1e-6);
  expect(unit.loadings).toHaveLength(expected.loadings.length);
  for (const want of expected.loadings) {
    const got = unit.loadings.find((l: any) => l.factor === want.factor && l.item === want.item);
    close(got.estimate, want.estimate, 1e-5);
    close(got.std, want.std, 1e-5);
    if (want.se === 0) expect(got.se).toBeNull();
    else close(got.se, want.se, 1e-5);
  }
  for (const want of expected.factor_correlations) {
    close(unit.factor_correlations.find((c: any) => c.factors[0] === want.a && c.factors[1] === want.b).r, want.r, 1e-5);
  }
  for (const want of expected.omega) {
    const got = unit.omega.find((o: any) => o.factor === want.factor);
    close(got.omega, want.omega, 1e-6);
    close(got.alpha, want.alpha, 1e-10);
  }
}

function checkInvariance(inv: any, expected: any): void {
  expect(inv.groups.map((g: any) => g.n)).toEqual(Object.keys(expected.groups).sort().map((k) => expected.groups[k]));
  expected.models.forEach((want: any, k: number) => {
    const got = inv.models[k];
    expect(got.model).toBe(want.model);
    expect(got.converged).toBe(true);
    for (const key of ['chisq', 'cfi', 'rmsea']) close(got[key], want[key], 1e-6);
    expect(got.df).toBe(want.df);
  });
  expected.tests.forEach((want: any, k: number) => {
    const got = inv.tests[k];
    expect(got.model).toBe(want.model);
    for (const key of ['delta_chisq', 'p', 'delta_cfi', 'delta_rmsea']) close(got[key], want[key], 1e-6);
    expect(got.delta_df).toBe(want.delta_df);
  });
}

describe('measure equals lavaan', () => {
  test('the example: WAI-I by sex, PHQ-ADS at t0', async () => {
    const doc = await json(EXAMPLE, '--by', 'sex', '--bootstrap', '0');
    const wai = doc.measurement.find((m: any) => m.instrument === 'wai');
    checkUnit(wai, ref.example.wai_by_sex);
    checkInvariance(wai.invariance, ref.example.wai.invariance);
    // simulate --match made the example with a proper WAI-I model in both sexes (lavaan: post.check TRUE in every
    // model, test/reference/published.R): no problems, the verdict unqualified.
    expect(wai.invariance.models.map((m: any) => m.problems)).toEqual([[], [], []]);
    expect(wai.invariance.level).toBe('scalar');
    expect(wai.invariance.verdict).toBe("By Chen's (2007) rule (ΔCFI ≤ −.010 together with ΔRMSEA ≥ .015 flags non-invariance), metric and scalar invariance across sex held: the level reached is scalar.");
    // PHQ-9 and GAD-7 are simulated from one latent distress: their factor correlation at t0 passes 1 (lavaan warns
    // "covariance matrix of latent variables is not positive definite"), so that unit is improper, in words.
    const phqads = doc.measurement.find((m: any) => m.instrument === 'phqads' && m.timepoint === 't0');
    checkUnit(phqads, ref.example.phqads_t0, 'improper');
    expect(ref.example.phqads_t0.latent_pd).toBe(false);
    expect(phqads.notes).toEqual(['improper solution: factor correlation at or beyond ±1 (phq9–gad7 1.036) — the estimates are not interpretable']);
    expect(doc.measurement.map((m: any) => `${m.instrument}:${m.timepoint}:${m.status}`)).toEqual(['wai:null:proper', 'phqads:t0:improper', 'phqads:w10:proper']);
  });

  test('a known population where every level of invariance holds', async () => {
    const doc = await json(path.join(DIR, 'invariant.csv'), '--instrument', path.join(DIR, 'known.instrument.json'), '--by', 'group', '--bootstrap', '0');
    const [unit] = doc.measurement;
    checkUnit(unit, ref.invariant);
    checkInvariance(unit.invariance, ref.invariant.invariance);
    expect(unit.invariance.level).toBe('scalar');
    expect(unit.invariance.verdict).toBe("By Chen's (2007) rule (ΔCFI ≤ −.010 together with ΔRMSEA ≥ .015 flags non-invariance), metric and scalar invariance across group held: the level reached is scalar.");
  });

  test('a known population with shifted intercepts: scalar invariance fails', async () => {
    const doc = await json(path.join(DIR, 'noscalar.csv'), '--instrument', path.join(DIR, 'known.instrument.json'), '--by', 'group', '--bootstrap', '0');
    const [unit] = doc.measurement;
    checkUnit(unit, ref.noscalar);
    checkInvariance(unit.invariance, ref.noscalar.invariance);
    expect(unit.invariance.tests.map((t: any) => t.flagged)).toEqual([false, true]);
    expect(unit.invariance.level).toBe('metric');
    expect(unit.invariance.verdict).toMatch(/metric invariance across group held but scalar invariance did not/);
  });

  test("a user's instrument with a reversed item, by site", async () => {
    const doc = await json(path.join(DIR, 'user.csv'), '--instrument', path.join(DIR, 'user.instrument.json'), '--by', 'site', '--bootstrap', '0');
    const [unit] = doc.measurement;
    checkUnit(unit, ref.user);
    checkInvariance(unit.invariance, ref.user.invariance);
    expect(unit.notes).toContain('reversed before the fit (1 + 7 − answer): c4');
    // metric: ΔCFI −.0048 with ΔRMSEA +.0212 — only one of the two criteria, so not flagged
    expect(unit.invariance.tests[0].flagged).toBe(false);
  });
});

describe('measure says what is wrong', () => {
  test('an improper solution is said in words, its estimates withheld from the table', async () => {
    const args = ['measure', path.join(DIR, 'improper.csv'), '--instrument', path.join(DIR, 'improper.instrument.json'), '--bootstrap', '0'];
    const doc = await json(...args.slice(1));
    const r = ref.improper.factor_correlations[0].r;
    expect(doc.measurement[0].status).toBe('improper');
    expect(doc.measurement[0].notes).toEqual([`improper solution: factor correlation at or beyond ±1 (a–b ${r.toFixed(3)}) — the estimates are not interpretable`]);
    const table = await runCli(args);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`improper solution: factor correlation at or beyond ±1 (a–b ${r.toFixed(3)})`);
    expect(table.stdout).not.toMatch(/Loading|ω/);
  });

  test('a fit that does not converge is said in words, with no estimates', async () => {
    const dataset = await Dataset.open('-', { instrument: [path.join(DIR, 'known.instrument.json')] }, { stdin: chunksOf(fs.readFileSync(path.join(DIR, 'noscalar.csv'))) });
    const result = await measure(dataset, { by: null, resamples: 0, seed: 1, maxIterations: 2 });
    const [unit] = result.measurement;
    expect(unit.status).toBe('not converged');
    expect(unit.fit).toBeNull();
    expect(unit.loadings).toEqual([]);
    expect(unit.notes).toEqual(['the maximum-likelihood fit did not converge (2 iterations): no estimates are reported']);
  });

  test("a file that already has a subscale's score column still gives every factor", async () => {
    // The scorer keeps an existing wai_task column as it is and leaves it out of its plan; the model still has task.
    const lines = fs.readFileSync(EXAMPLE, 'utf8').trimEnd().split('\n');
    const text = lines.map((line, i) => `${line},${i === 0 ? 'wai_task' : '3'}`).join('\n');
    const doc = await runJson(['measure', '-', '--instrument', 'wai', '--bootstrap', '0'], { stdin: text, schema: validate });
    expect(doc.measurement[0].factors).toEqual(['task', 'bond', 'goal']);
    checkUnit(doc.measurement[0], ref.example.wai);
  });

  test("an item of the user's definition missing from the file: the scorer's one-line error", async () => {
    const lines = fs.readFileSync(path.join(DIR, 'user.csv'), 'utf8').trimEnd().split('\n');
    const text = lines.map((line) => line.split(',').filter((_, j) => j !== 8).join(',')).join('\n');
    const r = await runCli(['measure', '-', '--instrument', path.join(DIR, 'user.instrument.json'), '--bootstrap', '0'], { stdin: text });
    expectOneLineError(r, 1, /instrument "coping" needs column "c9", missing in stdin/);
  });

  test('a group where an item does not vary: invariance not assessed, with the group named', async () => {
    const lines = fs.readFileSync(path.join(DIR, 'user.csv'), 'utf8').trimEnd().split('\n');
    const text = lines.map((line, i) => (i > 0 && line.endsWith('"south"') ? line.replace(/^(\d+,\d+,)\d+/, '$14') : line)).join('\n');
    const doc = await runJson(['measure', '-', '--instrument', path.join(DIR, 'user.instrument.json'), '--by', 'site', '--bootstrap', '0'], { stdin: text, schema: validate });
    expect(doc.measurement[0].status).toBe('proper');
    expect(doc.measurement[0].invariance.level).toBeNull();
    expect(doc.measurement[0].invariance.verdict).toBe(
      'invariance across site not assessed: the sample covariance matrix of the items is not positive definite with site = south (an item without variance there, or a linear combination of others)',
    );
  });

  test('bad input: one line, exit 2 for the command line, 1 for the data', async () => {
    expectOneLineError(await runCli(['measure', EXAMPLE, '--by', 'gender']), 2, /unknown column "gender" in --by/);
    expectOneLineError(await runCli(['measure', EXAMPLE, '--bootstrap', '10']), 2, /--bootstrap must be 0 or a whole number/);
    expectOneLineError(await runCli(['measure', EXAMPLE, '--by', 'wai_3', '--instrument', 'wai']), 2, /--by wai_3 is one of the items/);
    expectOneLineError(await runCli(['measure', '-'], { stdin: 'id,a,b\n1,2,3\n2,3,4\n' }), 1, /no instrument items found/);
    // --by a column blank in every row: the sample reader's error, as every command says it (it was "0 complete rows"
    // for each instrument, the reason unsaid).
    const lines = fs.readFileSync(EXAMPLE, 'utf8').trimEnd().split('\n');
    const sex = lines[0].split(',').indexOf('sex');
    const blank = lines.map((line, i) => (i === 0 ? line : line.split(',').map((cell, c) => (c === sex ? '' : cell)).join(','))).join('\n');
    expectOneLineError(await runCli(['measure', '-', '--by', 'sex'], { stdin: blank }), 1, /^canrelax-analyze: no rows with a value of sex to stratify by, stdin$/);
  });
});

describe('ω bootstrap', () => {
  test('seeded, recorded, and around the estimate', async () => {
    const args = [path.join(DIR, 'user.csv'), '--instrument', path.join(DIR, 'user.instrument.json'), '--bootstrap', '100', '--seed', '7'];
    const a = await json(...args);
    const b = await json(...args);
    expect(a.measurement[0].omega).toEqual(b.measurement[0].omega);
    expect(a.measurement[0].bootstrap).toEqual({ resamples: 100, seed: 7, failed: 0 });
    for (const o of a.measurement[0].omega) {
      expect(o.ci[0]).toBeLessThan(o.omega);
      expect(o.ci[1]).toBeGreaterThan(o.omega);
    }
    const c = await json(...args.slice(0, -1), '8');
    expect(c.measurement[0].omega[0].ci).not.toEqual(a.measurement[0].omega[0].ci);
  });
});

describe('the report step', () => {
  test('a file with the scores but not their items: the measurement step says so and the report is written', async () => {
    const scored = (await runCli(['score', EXAMPLE])).stdout.trimEnd().split('\n').map((line) => line.split(','));
    const keep = scored[0].map((name, j) => (/^(wai_\d+|phq9_|gad7_)/.test(name) ? -1 : j)).filter((j) => j >= 0);
    const text = scored.map((row) => keep.map((j) => row[j]).join(',')).join('\n');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-measure-'));
    const plan = path.join(dir, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ steps: ['measurement'] }));
    const r = await runCli(['report', '-', '--plan', plan, '--out-dir', path.join(dir, 'out'), '--formats', 'md,json'], { stdin: text });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8')).toContain('No questionnaire items were found in the file (its scores were read as they are), so there is no factor structure to test');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
