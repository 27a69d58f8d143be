/**
 * --missing mi (issue 12) through the CLI, against R:
 * - pooling exact: test/reference/mi_pool.json (mi_pool.R) pools the completed data sets in
 *   test/reference/mi_pool/imputations.csv, which `correlate --write-imputations` wrote: our pooling of that file,
 *   and the CLI's own output (which must write the same file again), equal R's to 1e-10;
 * - agreement with mice: test/reference/mi_mice.json (mi_mice.R, mice 3.15 with m = 200 on the same variables):
 *   our pooled partial r with M = 200 within 0.01 (two independent Monte-Carlo runs of M = 200: the pooled z̄ has
 *   Monte-Carlo SD √(B/M) ≈ √(0.0006/200) ≈ 0.002, so 0.01 is about 3 combined SDs, and the two imputation models
 *   differ only in their random numbers);
 * - the δ shift exact: the CLI's --mnar-delta raw:2 equals pooling the written file with 2 added to the imputed y;
 * - bad input: nothing missing, a variable missing in a whole group, --imputations 1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, ROOT, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';
import { coMomentsOf } from '../../src/stats/moments';
import { partialCorrelation } from '../../src/stats/partial';
import { poolCorrelation, poolRSquared, poolRubin } from '../../src/stats/pool';
import { fitOls } from '../../src/stats/ols';

const reference = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/mi_pool.json'), 'utf8'));
const IMPUTATIONS = path.join(ROOT, 'test/reference/mi_pool/imputations.csv');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/correlate.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
const validateModel = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/model.schema.json'), 'utf8')));

const APP = [EXAMPLE, '--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation'];
const POOL_RUN = [...APP, '--missing', 'mi', '--imputations', '5', '--seed', '12'];
const XS = ['wai_total', 'wai_bond', 'wai_task', 'wai_goal'];

/** The written file as columns per imputation. */
function readImputations(): { header: string[]; sets: string[][][] } {
  const lines = fs.readFileSync(IMPUTATIONS, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const sets: string[][][] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const m = Number(cells[0]);
    (sets[m - 1] ??= []).push(cells);
  }
  return { header, sets };
}

/** Partial r of x with week-10 distress given age, sex (male indicator), baseline and expectation, per imputation. */
function partialRs(x: string, shiftImputedY = 0): number[] {
  const { header, sets } = readImputations();
  const col = (name: string) => header.indexOf(name);
  // Rows whose y was missing before imputation: blank in the incomplete scores R read as .imp = 0.
  const scores = fs.readFileSync(path.join(ROOT, 'test/reference/mi_app_scores.csv'), 'utf8').trimEnd().split('\n');
  const yAt = scores[0].split(',').indexOf('"phqads_total_w10"');
  const imputedY = scores.slice(1).map((line) => line.split(',')[yAt] === '');
  return sets.map((rows) => {
    const value = (name: string) => Float64Array.from(rows, (cells) => Number(cells[col(name)]));
    const y = value('phqads_total_w10').map((v, i) => (imputedY[i] ? v + shiftImputedY : v));
    const sex = Float64Array.from(rows, (cells) => (cells[col('sex')] === 'male' ? 1 : 0));
    const m = coMomentsOf([value(x), y, value('age'), sex, value('phqads_total_t0'), value('expectation')]);
    return partialCorrelation(m, 0, 1, [2, 3, 4, 5]).r!;
  });
}

describe('pooling is exact (R pooling the completed data sets we wrote, mi_pool.R)', () => {
  test.each(XS)('Rubin on Fisher z of the partial r of %s, from the written file', (x) => {
    const expected = reference.correlations[x];
    const rs = partialRs(x);
    rs.forEach((r, i) => expectClose(r, expected.rs[i]));
    const pooled = poolCorrelation(rs, reference.n, 4);
    expectClose(pooled.r, expected.r);
    expectClose(pooled.ci[0], expected.ci[0]);
    expectClose(pooled.ci[1], expected.ci[1]);
    expectClose(pooled.t, expected.t);
    expectClose(pooled.df, expected.df);
    expectClose(pooled.p, expected.p);
    expectClose(pooled.pooled.between, expected.between);
    expectClose(pooled.pooled.total, expected.total);
    expectClose(pooled.pooled.riv, expected.riv);
    expectClose(pooled.pooled.lambda, expected.lambda);
    expectClose(pooled.pooled.fmi, expected.fmi);
  });

  test('the CLI writes that file again (same seed) and its pooled results equal R on it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mi-'));
    const doc = await runJson(['correlate', ...POOL_RUN, '--write-imputations', dir], { schema: validate });
    expect(fs.readFileSync(path.join(dir, 'imputations.csv'), 'utf8')).toBe(fs.readFileSync(IMPUTATIONS, 'utf8'));
    expect(doc.analysis).toMatchObject({ missing: 'mi', imputations: 5, iterations: 10, seed: 12, impute_by: null });
    expect(doc.analysis.passive).toEqual(['wai_total', 'phqads_total_t0', 'phqads_total_w10']);
    doc.results.forEach((result: any, i: number) => {
      const expected = reference.correlations[XS[i]];
      expect(result.x).toBe(XS[i]);
      expect(result.n).toBe(117);
      expectClose(result.r, expected.r);
      expectClose(result.ci[0], expected.ci[0]);
      expectClose(result.ci[1], expected.ci[1]);
      expectClose(result.df, expected.df);
      expectClose(result.p, expected.p);
      expect(result.mi).toMatchObject({ m: 5, df_com: 117 - 2 - 4, imputed_y: 8 });
      expectClose(result.mi.between, expected.between);
      expectClose(result.mi.fmi, expected.fmi);
    });
  });

  test('an MNAR shift is exact: --mnar-delta raw:2 equals pooling the written file with 2 added to each imputed y', async () => {
    const doc = await runJson(['correlate', ...POOL_RUN, '--mnar-delta', 'raw:-1,2'], { schema: validate });
    doc.results.forEach((result: any, i: number) => {
      const shifted = poolCorrelation(partialRs(XS[i], 2), 117, 4);
      const at2 = result.mnar[1];
      expect(at2).toMatchObject({ delta: 2, raw_delta: 2 });
      expectClose(at2.r, shifted.r);
      expectClose(at2.ci[0], shifted.ci[0]);
      expectClose(at2.p, shifted.p);
      // The tipping points bracket a change of the interval's relation to 0 (bisection to 0.01 SD).
      const t = result.tipping;
      expect(t.sd).toBeGreaterThan(0);
      for (const point of [t.up, t.down]) if (point !== null) expect(point.relation).not.toBe(t.at_zero);
    });
  });
});

describe('model --missing mi: mice::pool on lm fits of the same completed data sets (mi_pool.R)', () => {
  const expected = reference.model;
  test('fitted on the written file and pooled by poolRubin: every column of summary(pool(fit)) to 1e-10', () => {
    const { header, sets } = readImputations();
    const col = (name: string) => header.indexOf(name);
    const fits = sets.map((rows) => {
      const value = (name: string) => Float64Array.from(rows, (cells) => Number(cells[col(name)]));
      const sex = Float64Array.from(rows, (cells) => (cells[col('sex')] === 'male' ? 1 : 0));
      const columns = [new Float64Array(rows.length).fill(1), value('wai_total'), value('age'), sex, value('phqads_total_t0'), value('expectation')];
      return fitOls(columns, expected.term, value('phqads_total_w10'));
    });
    expected.term.forEach((_: string, j: number) => {
      const pooled = poolRubin(
        fits.map((f) => f.coefficients[j].estimate!),
        fits.map((f) => f.coefficients[j].se! ** 2),
        fits[0].dfResidual,
      );
      expectClose(pooled.estimate, expected.estimate[j]);
      expectClose(Math.sqrt(pooled.total), expected.std_error[j]);
      expectClose(pooled.df, expected.df[j]);
      expectClose(pooled.riv, expected.riv[j]);
      expectClose(pooled.lambda, expected.lambda[j]);
      expectClose(pooled.fmi, expected.fmi[j]);
    });
    const r2 = poolRSquared(fits.map((f) => f.r2!), fits.map(() => reference.n));
    expectClose(r2.estimate, reference.r_squared.estimate);
    expectClose(r2.ci[0], reference.r_squared.lower);
    expectClose(r2.ci[1], reference.r_squared.upper);
    expectClose(r2.fmi, reference.r_squared.fmi);
  });

  test('the CLI (same variables and seed as the correlate run that wrote the file) gives R\'s pooled coefficients', async () => {
    const doc = await runJson(['model', ...APP, '--y', 'distress', '--x', 'alliance', '--missing', 'mi', '--imputations', '5', '--seed', '12'], { schema: validateModel });
    expect(doc.analysis).toMatchObject({ missing: 'mi', imputations: 5, seed: 12 });
    const model = doc.models[0];
    expect(model.terms.map((t: any) => t.term)).toEqual(expected.term);
    model.terms.forEach((t: any, j: number) => {
      expectClose(t.estimate, expected.estimate[j]);
      expectClose(t.se, expected.std_error[j]);
      expectClose(t.t, expected.statistic[j]);
      expectClose(t.mi.df, expected.df[j]);
      expectClose(t.p, expected.p[j]);
      expectClose(t.ci[0], expected.ci_lower[j]);
      expectClose(t.ci[1], expected.ci_upper[j]);
      expectClose(t.mi.fmi, expected.fmi[j]);
      expect(t.mi.dfcom).toBe(expected.dfcom[j]);
    });
    expectClose(model.r2, reference.r_squared.estimate);
    expectClose(model.r2_pooled.ci[0], reference.r_squared.lower);
  });
});

describe('agreement with mice (m = 200, mi_mice.R)', () => {
  test('pooled partial r of each WAI-I score with distress within 0.01 of mice', async () => {
    const mice = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/mi_mice.json'), 'utf8'));
    const doc = await runJson(['correlate', ...APP, '--missing', 'mi', '--imputations', '200', '--seed', '2026']);
    doc.results.forEach((result: any, i: number) => {
      const expected = mice.results[XS[i]];
      expect(Math.abs(result.r - expected.r)).toBeLessThan(0.01);
      expect(Math.abs(result.ci[0] - expected.ci[0])).toBeLessThan(0.01);
      expect(Math.abs(result.ci[1] - expected.ci[1])).toBeLessThan(0.01);
    });
  });
});

describe('strata and describe', () => {
  test('--by sex: each stratum imputed on its own; the difference pooled on z: z = (z̄₁ − z̄₂)/√(T₁ + T₂)', async () => {
    const doc = await runJson(['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'alliance', '--adjust', 'age,baseline', '--by', 'sex', '--missing', 'mi', '--imputations', '5', '--seed', '4'], {
      schema: validate,
    });
    const [female, male] = doc.results;
    expect([female.stratum, female.n, male.stratum, male.n]).toEqual(['female', 74, 'male', 43]);
    const c = doc.comparisons[0];
    const expected = (Math.atanh(female.r) - Math.atanh(male.r)) / Math.sqrt(female.mi.total_variance + male.mi.total_variance);
    expectClose(c.z, expected);
    expectClose(c.difference, female.r - male.r);
    // Zou's interval from the pooled intervals (Zou 2007).
    expectClose(c.ci[0], female.r - male.r - Math.sqrt((female.r - female.ci[0]) ** 2 + (male.ci[1] - male.r) ** 2));
  });

  test('describe: a complete variable pools to its observed mean with SE s/√n; an incomplete one gets MI rows', async () => {
    const doc = await runJson(['describe', EXAMPLE, '--where', 'arm=app', '--vars', 'age,distress', '--missing', 'mi', '--imputations', '5', '--seed', '5']);
    const [age, distress] = doc.variables;
    expectClose(age.overall.mi.mean, age.overall.mean);
    expectClose(age.overall.mi.sd, age.overall.sd);
    expectClose(age.overall.mi.se, age.overall.sd / Math.sqrt(117));
    expect(age.overall.mi.fmi).toBeLessThan(0.05);
    expect(distress.overall.missing).toBe(8);
    expect(distress.overall.mi.n).toBe(117);
    expect(distress.overall.mi.df).toBeLessThan(116);
    expect(doc.missing).toBe('mi');
  });

  test('model: nothing missing gives the listwise fit with a warning', async () => {
    const args = ['model', EXAMPLE, '--where', 'arm=app', '--y', 'age', '--x', 'bond', '--adjust', 'expectation', '--format', 'json'];
    const listwise = JSON.parse((await runCli(args)).stdout);
    const r = await runCli([...args, '--missing', 'mi', '--seed', '1']);
    expect(r.stderr).toMatch(/warning: --missing mi: nothing is missing/);
    const doc = JSON.parse(r.stdout);
    doc.models[0].terms.forEach((t: any, j: number) => expectClose(t.estimate, listwise.models[0].terms[j].estimate));
  });
});

describe('options', () => {
  test('--impute-by defaults to arm when it has two levels left; --auxiliary joins the imputation but not the written file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mi-aux-'));
    const args = ['correlate', EXAMPLE, '--x', 'expectation', '--y', 'distress', '--adjust', 'age', '--missing', 'mi', '--imputations', '2', '--seed', '8'];
    const doc = await runJson([...args, '--auxiliary', 'baseline', '--write-imputations', dir], { schema: validate });
    expect(doc.analysis).toMatchObject({ impute_by: 'arm', auxiliary: ['phqads_total_t0'], imputed_rows: 234 });
    expect(doc.analysis.missing_values.phqads_total_t0).toBeGreaterThan(0);
    expect(doc.results[0].n).toBe(234);
    const header = fs.readFileSync(path.join(dir, 'imputations.csv'), 'utf8').split('\n')[0];
    expect(header).toBe('.imp,.id,expectation,phqads_total_w10,age');
    const none = await runJson([...args, '--impute-by', 'none']);
    expect(none.analysis.impute_by).toBeNull();
  });

  test('combinations that have no pooling rule here are refused in one line', async () => {
    expectOneLineError(await runCli(['correlate', ...APP, '--missing', 'mi', '--seed', '1', '--bootstrap', '1000']), 2, /--bootstrap and --missing mi do not combine/);
    expectOneLineError(await runCli(['correlate', ...APP, '--missing', 'mi', '--seed', '1', '--method', 'spearman', '--mnar-delta', '1']), 2, /--mnar-delta shifts y in its own units/);
  });
});

describe('report', () => {
  test('the missing step and plan key "missing": the same numbers as correlate --missing mi with those settings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mi-report-'));
    const plan = path.join(dir, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ steps: ['correlations', 'missing'], missing: { method: 'mi', imputations: 5, seed: 12, mnar_delta: [0.5] } }));
    const r = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', path.join(dir, 'out')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    const cli = await runJson(['correlate', ...POOL_RUN, '--mnar-delta', '0.5']);
    const [correlations, missing] = doc.steps;
    for (const results of [correlations.results, missing.mi.results]) {
      results.forEach((result: any, i: number) => {
        expect(result.r).toBe(cli.results[i].r);
        expect(result.mi.fmi).toBe(cli.results[i].mi.fmi);
      });
    }
    missing.mi.results.forEach((result: any, i: number) => {
      expect(result.mnar.find((m: any) => m.delta === 0.5).r).toBe(cli.results[i].mnar[0].r);
      expect(result.tipping).toEqual(cli.results[i].tipping);
    });
    expect(missing.listwise.results[0].n).toBe(109);
    expect(fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8')).toMatch(/By pattern: 8 lack only week-10 distress; 1 lacks only goal; 1 lacks only task\./); // R: is.na patterns of the four x's, y and the covariates
  });
});

describe('bad input', () => {
  test('nothing missing: a warning and the listwise result', async () => {
    const args = ['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'bond', '--y', 'age', '--adjust', 'expectation', '--format', 'json'];
    const listwise = JSON.parse((await runCli(args)).stdout);
    const r = await runCli([...args, '--missing', 'mi', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --missing mi: nothing is missing/);
    const doc = JSON.parse(r.stdout);
    expect(doc.analysis.missing).toBe('listwise');
    expectClose(doc.results[0].r, listwise.results[0].r);
    expectClose(doc.results[0].p, listwise.results[0].p);
    expectClose(doc.results[0].ci[0], listwise.results[0].ci[0]);
    expect(doc.results[0].df).toBe(listwise.results[0].df);
    expect(doc.results[0].mi).toBeUndefined();
  });

  test('a variable missing in every row of an impute-by group: one line naming the group, suggesting --where arm=app', async () => {
    const r = await runCli(['correlate', EXAMPLE, '--adjust', 'age', '--missing', 'mi', '--seed', '1']);
    expectOneLineError(r, 1, /wai_\w+ is missing in every row of group arm=waitlist .*--where arm=app/);
  });

  test('--imputations 1 is refused (Rubin needs M ≥ 2)', async () => {
    const r = await runCli(['correlate', ...APP, '--missing', 'mi', '--imputations', '1']);
    expectOneLineError(r, 2, /--imputations 1: Rubin's rules need at least 2 imputations/);
  });

  test('without --seed the seed is 1, as for every random procedure, and recorded: the same numbers as --seed 1', async () => {
    const args = ['correlate', ...APP, '--missing', 'mi', '--imputations', '2', '--iterations', '1', '--format', 'json'];
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).analysis.seed).toBe(1);
    const seeded = await runCli([...args, '--seed', '1']);
    expect(JSON.parse(r.stdout).results).toEqual(JSON.parse(seeded.stdout).results);
  });

  test('the imputation options need --missing mi', async () => {
    expectOneLineError(await runCli(['correlate', ...APP, '--mnar-delta', '0.5']), 2, /--mnar-delta needs --missing mi/);
  });
});
