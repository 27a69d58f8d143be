/**
 * `model` through the CLI's JSON, against R:
 *   ../shared/reference/sat_act.expected.json `ols` (lm + summary.lm of SATQ ~ ACT * sex + age + education),
 *   test/reference/ols_extra.json (ols_extra.R: sandwich HC3, lmtest::coeftest, VIF, Cook's distance, simple slopes,
 *     β, partial/semi-partial r, a rank-deficient design and a leverage-1 row),
 *   test/reference/model_cli.json (model_cli.R: two x's interacting with sex, a numeric moderator, a categorical
 *     covariate with --ref, one model per sex),
 * and the degenerate designs and bad inputs of the model issue.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, REFERENCE, ROOT, expectCloseP, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const ols = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'sat_act.expected.json'), 'utf8')).ols;
const extra = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/ols_extra.json'), 'utf8'));
const cli = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/model_cli.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/model.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Doc = any;

const json = (args: string[], stdin?: string) => runJson(args, { stdin, schema: validate });

/** sat_act.csv's lines: header, then records (no quoted commas in this file). */
const satLines = fs.readFileSync(SAT, 'utf8').trimEnd().split(/\r?\n/);
const satHeader = satLines[0].split(',').map((h) => h.replace(/"/g, ''));
const satRows = satLines.slice(1).map((l) => l.split(','));
const cellOf = (row: string[], name: string) => row[satHeader.indexOf(name)].replace(/"/g, '');
/** Ids of the 687 rows lm uses (SATQ present; nothing else is missing), in file order. */
const analysisIds = satRows.filter((r) => cellOf(r, 'SATQ') !== '').map((r) => cellOf(r, 'id'));

/** sat_act.csv with extra columns appended, computed per record. */
function satWith(extraColumns: Record<string, (row: string[], index: number) => string>): string {
  const names = Object.keys(extraColumns);
  return [satLines[0] + names.map((n) => `,${n}`).join(''), ...satRows.map((row, i) => [...row, ...names.map((n) => extraColumns[n](row, i))].join(','))].join('\n') + '\n';
}

interface Coefs {
  terms: string[];
  estimate: number[];
  se: number[];
  t: number[];
  p: number[];
  ci?: number[][];
}

/** Every term's estimate, se, t, p (and CI when given) against R's, in R's order. */
function expectTerms(terms: Doc[], want: Coefs): void {
  expect(terms.map((t: Doc) => t.term)).toEqual(want.terms);
  terms.forEach((t: Doc, j: number) => {
    expectClose(t.estimate, want.estimate[j]);
    expectClose(t.se, want.se[j]);
    expectClose(t.t, want.t[j]);
    expectCloseP(t.p, want.p[j]);
    if (want.ci) {
      expectClose(t.ci[0], want.ci[j][0]);
      expectClose(t.ci[1], want.ci[j][1]);
    }
    expect(t.aliased).toBe(false);
  });
}

function expectSlope(got: Doc, want: { estimate: number; se: number; t: number; p: number; ci: number[] }): void {
  expectClose(got.estimate, want.estimate);
  expectClose(got.se, want.se);
  expectClose(got.t, want.t);
  expectCloseP(got.p, want.p);
  expectClose(got.ci[0], want.ci[0]);
  expectClose(got.ci[1], want.ci[1]);
}

const BASE = ['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--interaction', 'sex', '--adjust', 'age,education'];

describe('SATQ ~ ACT * sex + age + education (R: sat_act.expected.json ols, ols_extra.json) to 1e-10', () => {
  let doc: Doc;
  beforeAll(async () => {
    doc = await json(BASE);
  });

  test('terms in R order and names; estimate, se, t, p, 95% CI; n, R², adjusted R²', () => {
    expect(doc.models).toHaveLength(1);
    const m = doc.models[0];
    expect(m.stratum).toBeNull();
    expect(m.n).toBe(ols.n);
    expectTerms(m.terms, { ...ols.terms.reduce((acc: Coefs, t: Doc) => {
      acc.terms.push(t.term);
      acc.estimate.push(t.estimate);
      acc.se.push(t.se);
      acc.t.push(t.t);
      acc.p.push(t.p);
      return acc;
    }, { terms: [], estimate: [], se: [], t: [], p: [] }), ci: extra.ci95 });
    expectClose(m.r2, ols.r2);
    expectClose(m.adj_r2, ols.adj_r2);
    expect(m.se_type).toBe('OLS');
    expect(m.excluded).toEqual({ rows: 13, by_reason: { 'missing SATQ': 13 } });
    expect(doc.analysis.formula).toBe('SATQ ~ ACT * sex + age + education');
  });

  test('F, its df and p, sigma, residual df (ols_extra: summary.lm)', () => {
    const m = doc.models[0];
    expectClose(m.f, extra.f);
    expect(m.f_df).toEqual(extra.f_df);
    expectCloseP(m.f_p, extra.f_p);
    expectClose(m.sigma, extra.sigma);
    expect(m.df).toBe(extra.df_residual);
    expect(m.rank).toBe(6);
  });

  test('VIF per term (ols_extra: 1/(1 − R²_j) of the model-matrix columns), null for the intercept', () => {
    const m = doc.models[0];
    expect(m.terms[0].vif).toBeNull();
    m.terms.slice(1).forEach((t: Doc, j: number) => {
      expectClose(t.vif, extra.vif[j]);
      expectClose(m.diagnostics.vif[t.term], extra.vif[j]);
    });
  });

  test('partial and semi-partial r per term (ols_extra: residual correlations), null for the intercept', () => {
    const m = doc.models[0];
    expect(m.terms[0].partial_r).toBeNull();
    expect(m.terms[0].semi_r).toBeNull();
    m.terms.slice(1).forEach((t: Doc, j: number) => {
      expectClose(t.partial_r, extra.partial_r[j]);
      expectClose(t.semi_r, extra.semipartial_r[j]);
    });
    expect(m.terms[0]).not.toHaveProperty('beta');
  });

  test("Cook's distance: max and its row (R's which.max among the 687 rows), the rows above 4/n", () => {
    const dg = doc.models[0].diagnostics;
    expectClose(dg.cooks_max, extra.cooks_max);
    expect(dg.cooks_max_id).toBe(analysisIds[extra.cooks_which_max - 1]);
    expectClose(dg.cooks_threshold, 4 / extra.n);
    expect(dg.influential).toHaveLength(extra.cooks_over_4_n);
    expect(dg.influential).toContain(dg.cooks_max_id);
    expect(dg.leverage_one).toEqual([]);
  });

  test('simple slopes of ACT for female (reference) and male, OLS covariance (ols_extra)', () => {
    const slopes = doc.models[0].simple_slopes;
    expect(slopes.map((s: Doc) => `${s.x}|${s.level}`)).toEqual(['ACT|female', 'ACT|male']);
    expectSlope(slopes[0], extra.slope_female);
    expectSlope(slopes[1], extra.slope_male);
  });

  test('--robust hc3: sandwich::vcovHC SEs, lmtest::coeftest t and p, HC3 simple slopes; R², F, pr, sr stay OLS', async () => {
    const robust = await json([...BASE, '--robust', 'hc3']);
    const m = robust.models[0];
    expect(m.se_type).toBe('HC3');
    expect(m).not.toHaveProperty('robust_reason');
    m.terms.forEach((t: Doc, j: number) => {
      expectClose(t.estimate, ols.terms[j].estimate);
      expectClose(t.se, extra.hc3_se[j]);
      expectClose(t.t, extra.coeftest_hc3.t[j]);
      expectCloseP(t.p, extra.coeftest_hc3.p[j]);
    });
    // ACT's HC3 interval is the female slope's HC3 interval (same contrast).
    expectClose(m.terms[1].ci[0], extra.slope_female_hc3.ci[0]);
    expectClose(m.terms[1].ci[1], extra.slope_female_hc3.ci[1]);
    expectSlope(m.simple_slopes[0], extra.slope_female_hc3);
    expectSlope(m.simple_slopes[1], extra.slope_male_hc3);
    expectClose(m.r2, ols.r2);
    expectClose(m.f, extra.f);
    m.terms.slice(1).forEach((t: Doc, j: number) => expectClose(t.partial_r, extra.partial_r[j]));
  });

  test('--standardize: β on the standardized model-matrix columns (ols_extra std_coef), null for the intercept', async () => {
    const std = await json([...BASE, '--standardize']);
    const terms = std.models[0].terms;
    expect(terms[0].beta).toBeNull();
    terms.slice(1).forEach((t: Doc, j: number) => expectClose(t.beta, extra.std_coef[j]));
    expect(std.analysis.standardize).toBe(true);
  });

  test('--ci 0.9 gives confint(fit, level = 0.9)', async () => {
    const ninety = await json([...BASE, '--ci', '0.9']);
    ninety.models[0].terms.forEach((t: Doc, j: number) => {
      expectClose(t.ci[0], extra.ci90[j][0]);
      expectClose(t.ci[1], extra.ci90[j][1]);
    });
  });
});

describe('other designs (R: model_cli.json) to 1e-10', () => {
  test('two x\'s: y ~ (ACT + SATV) * sex + age + education, R\'s column order; SATV slope for male, OLS and HC3', async () => {
    const doc = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT,SATV', '--interaction', 'sex', '--adjust', 'age,education']);
    const m = doc.models[0];
    expect(doc.analysis.formula).toBe('SATQ ~ (ACT + SATV) * sex + age + education');
    expectTerms(m.terms, cli.multi);
    expect(m.n).toBe(cli.multi.n);
    expect(m.df).toBe(cli.multi.df);
    expectClose(m.r2, cli.multi.r2);
    expectClose(m.adj_r2, cli.multi.adj_r2);
    expectClose(m.sigma, cli.multi.sigma);
    expectClose(m.f, cli.multi.f);
    expectCloseP(m.f_p, cli.multi.f_p);
    expect(m.simple_slopes.map((s: Doc) => `${s.x}|${s.level}`)).toEqual(['ACT|female', 'ACT|male', 'SATV|female', 'SATV|male']);
    expectSlope(m.simple_slopes[3], cli.multi.slope_SATV_male);
    const robust = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT,SATV', '--interaction', 'sex', '--adjust', 'age,education', '--robust', 'hc3']);
    robust.models[0].terms.forEach((t: Doc, j: number) => expectClose(t.se, cli.multi.hc3_se[j]));
    expectSlope(robust.models[0].simple_slopes[3], cli.multi.slope_SATV_male_hc3);
  });

  test('numeric moderator: SATQ ~ ACT * age + education, slopes of ACT at mean(age) − SD, mean, + SD', async () => {
    const doc = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--interaction', 'age', '--adjust', 'education']);
    expect(doc.analysis.interaction_type).toBe('numeric');
    const m = doc.models[0];
    expectTerms(m.terms, cli.numeric);
    expect(m.simple_slopes.map((s: Doc) => s.level)).toEqual(['mean − 1 SD', 'mean', 'mean + 1 SD']);
    m.simple_slopes.forEach((s: Doc, i: number) => {
      expectClose(s.at, cli.numeric.at[i]);
      expectSlope(s, cli.numeric.slopes[i]);
    });
  });

  test('--categorical education (levels 0–5, 0 the reference) and --ref sex=male: R\'s factor coding', async () => {
    const doc = await json([...BASE, '--categorical', 'education', '--ref', 'sex=male']);
    const m = doc.models[0];
    const names = ['(Intercept)', 'ACT', 'sexfemale', 'age', 'education1', 'education2', 'education3', 'education4', 'education5', 'ACT:sexfemale'];
    // R names them relevel(...)female and factor(education)1…; same columns, same order.
    expect(cli.categorical.terms).toHaveLength(names.length);
    expectTerms(m.terms, { ...cli.categorical, terms: names });
    expectClose(m.r2, cli.categorical.r2);
    expect(m.simple_slopes.map((s: Doc) => s.level)).toEqual(['male', 'female']);
    expectSlope(m.simple_slopes[1], cli.categorical.slope_ACT_female);
    expect(doc.analysis.ref).toEqual({ sex: 'male' });
  });

  test('--by sex: one model per sex (R), equal to --where sex=… runs; sex leaves the covariates', async () => {
    const doc = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'age,sex,education', '--by', 'sex']);
    expect(doc.analysis.adjust).toEqual(['age', 'education']);
    expect(doc.analysis.notes).toEqual(['sex is the stratifier and leaves the covariates']);
    expect(doc.analysis.missing_stratum).toBe(0);
    const interaction = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'age,sex', '--interaction', 'sex']);
    expect(interaction.analysis.adjust).toEqual(['age']);
    expect(interaction.analysis.notes).toEqual(['sex is the interaction column and enters as a main effect already']);
    expect(doc.models.map((m: Doc) => m.stratum)).toEqual(['female', 'male']);
    for (const [i, sex] of ['female', 'male'].entries()) {
      const m = doc.models[i];
      expectTerms(m.terms, cli.strata[sex]);
      expect(m.n).toBe(cli.strata[sex].n);
      expectClose(m.r2, cli.strata[sex].r2);
      const alone = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'age,education', '--where', `sex=${sex}`]);
      const { stratum, ...rest } = m;
      expect(stratum).toBe(sex);
      expect({ ...alone.models[0], stratum: null }).toEqual({ ...rest, stratum: null });
    }
  });
});

describe('degenerate designs', () => {
  test('rank-deficient: age2 = 2·age (CSV on stdin) is aliased as in R (estimate null), the rest unchanged, exit 0', async () => {
    const csv = satWith({ age2: (row) => String(2 * Number(cellOf(row, 'age'))) });
    const args = ['model', '-', '--y', 'SATQ', '--x', 'ACT', '--interaction', 'sex', '--adjust', 'age,age2,education'];
    const doc = await json(args, csv);
    const m = doc.models[0];
    const rd = extra.rank_deficient;
    expect(m.terms.map((t: Doc) => t.term)).toEqual(rd.terms);
    expect(m.terms.map((t: Doc) => t.aliased)).toEqual(rd.aliased);
    expect(m.aliased).toEqual(['age2']);
    expect(m.rank).toBe(rd.rank);
    const age2 = m.terms[4];
    expect(age2).toMatchObject({ estimate: null, se: null, t: null, p: null, ci: null, vif: null, partial_r: null, semi_r: null });
    const kept = m.terms.filter((t: Doc) => !t.aliased);
    kept.forEach((t: Doc, j: number) => {
      expectClose(t.se, rd.se[j]);
      expectClose(t.t, rd.t[j]);
      expectCloseP(t.p, rd.p[j]);
    });
    m.terms.forEach((t: Doc, j: number) => (rd.estimate[j] === null ? expect(t.estimate).toBeNull() : expectClose(t.estimate, rd.estimate[j])));
    expectClose(m.r2, rd.r2);
    // VIF over the non-aliased columns: age's is the full-rank model's.
    expectClose(m.terms[3].vif, extra.vif[2]);
    expect(m.diagnostics.vif).not.toHaveProperty('age2');
    const robust = await json([...args, '--robust', 'hc3'], csv);
    robust.models[0].terms.filter((t: Doc) => !t.aliased).forEach((t: Doc, j: number) => expectClose(t.se, rd.hc3_se[j]));
    const table = await runCli(args, { stdin: csv });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Aliased .*: age2\./);
  });

  test('leverage 1 with --robust hc3: null SEs and a reason naming the row, not a number; OLS as R', async () => {
    // `single` is 1 on the first analysis row only (ols_extra leverage_one).
    const first = analysisIds[0];
    const csv = satWith({ single: (row) => (cellOf(row, 'id') === first ? '1' : '0') });
    const args = ['model', '-', '--y', 'SATQ', '--x', 'ACT', '--interaction', 'sex', '--adjust', 'age,education,single'];
    const lo = extra.leverage_one;
    const plain = await json(args, csv);
    expect(plain.models[0].terms.map((t: Doc) => t.term)).toEqual(lo.terms);
    plain.models[0].terms.forEach((t: Doc, j: number) => {
      expectClose(t.estimate, lo.estimate[j]);
      expectClose(t.se, lo.se[j]);
    });
    expect(plain.models[0].diagnostics.leverage_one).toEqual([first]);
    expect(plain.models[0].diagnostics.influential).not.toContain(first);
    const doc = await json([...args, '--robust', 'hc3'], csv);
    const m = doc.models[0];
    expect(m.se_type).toBe('HC3');
    expect(m.robust_reason).toMatch(new RegExp(`leverage 1 at ${first}`));
    for (const t of m.terms) expect(t).toMatchObject({ se: null, t: null, p: null, ci: null });
    m.terms.forEach((t: Doc, j: number) => expectClose(t.estimate, lo.estimate[j]));
    for (const s of m.simple_slopes) {
      expect(s).toMatchObject({ se: null, t: null, p: null, ci: null });
      expect(s.reason).toMatch(/leverage 1/);
    }
    const table = await runCli([...args, '--robust', 'hc3'], { stdin: csv });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SE: HC3 undefined: leverage 1 at SA001/);
    expect(table.stdout.replace('sandwich gives NaN', '')).not.toMatch(/NaN/);
  });

  test('a categorical covariate with one level in the rows used enters no column, with a note', async () => {
    const doc = await json(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'age,sex', '--where', 'sex=male']);
    const m = doc.models[0];
    expect(m.terms.map((t: Doc) => t.term)).toEqual(['(Intercept)', 'ACT', 'age']);
    expect(m.dropped).toEqual(['sex']);
    expect(m.notes.join(' ')).toMatch(/sex has one level \(male\)/);
  });

  test('no residual df: nulls, never NaN', async () => {
    const doc = await json(['model', '-', '--y', 'y', '--x', 'x'], 'y,x\n1,2\n3,5\n');
    const m = doc.models[0];
    expect(m.df).toBe(0);
    expect(m.sigma).toBeNull();
    expect(m.terms[1].se).toBeNull();
    expectClose(m.terms[1].estimate, 2 / 3); // slope through two points: (3 − 1)/(5 − 2)
  });
});

describe('roles, formats', () => {
  test('roles on the CanRelax example resolve to columns; terms use column names', async () => {
    const doc = await json(['model', EXAMPLE, '--where', 'arm=app', '--y', 'distress', '--x', 'alliance', '--interaction', 'sex', '--adjust', 'baseline,age,expectation']);
    expect(doc.analysis.y).toBe('phqads_total_w10');
    expect(doc.analysis.y_role).toBe('distress');
    expect(doc.analysis.x).toEqual(['wai_total']);
    expect(doc.analysis.x_roles).toEqual(['alliance']);
    expect(doc.analysis.formula).toBe('phqads_total_w10 ~ wai_total * sex + phqads_total_t0 + age + expectation');
    expect(doc.models[0].terms.map((t: Doc) => t.term)).toEqual([
      '(Intercept)', 'wai_total', 'sexmale', 'phqads_total_t0', 'age', 'expectation', 'wai_total:sexmale',
    ]);
    expect(doc.input.where).toBe('arm=app');
  });

  test('results do not depend on the reader chunk size or CRLF line ends', async () => {
    const text = fs.readFileSync(SAT, 'utf8').replace(/\n/g, '\r\n');
    const ref = await json([...BASE, '--by', 'education']);
    for (const chunk of [7, 4096]) {
      const doc = await json(['model', '-', ...BASE.slice(2), '--by', 'education', '--chunk-size', String(chunk)], text);
      expect(doc.models).toEqual(ref.models);
    }
  });

  test('csv and ndjson: one row per term, model fields repeated, full precision', async () => {
    const csv = await runCli([...BASE, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 6);
    const head = lines[0].split(',');
    expect(head.slice(0, 3)).toEqual(['stratum', 'formula', 'n']);
    for (const key of ['term', 'estimate', 'se', 't', 'p', 'ci.lower', 'ci.upper', 'partial_r', 'semi_r', 'vif', 'aliased', 'r2', 'f_df1', 'f_df2']) expect(head).toContain(key);
    const row = lines[2].split(',');
    expect(row[head.indexOf('term')]).toBe('ACT');
    expectClose(Number(row[head.indexOf('estimate')]), ols.terms[1].estimate);
    expectClose(Number(row[head.indexOf('r2')]), ols.r2);
    expect(lines[1].split(',')[head.indexOf('vif')]).toBe('');
    const nd = await runCli(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'age,education', '--by', 'gender', '--format', 'ndjson']);
    expect(nd.code).toBe(0);
    const records = nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => `${r.stratum} ${r.term}`)).toEqual(['1', '2'].flatMap((g) => ['(Intercept)', 'ACT', 'age', 'education'].map((t) => `${g} ${t}`)));
    expect(records[0]['ci.lower']).toEqual(expect.any(Number));
  });

  test('table and markdown: APA numbers and the footer', async () => {
    const table = await runCli(BASE);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Linear model: SATQ ~ ACT \* sex \+ age \+ education/);
    // R: F-statistic 81.82 on 5 and 681 DF, p < 2.2e-16; Multiple R-squared 0.3753, Adjusted 0.3707; sigma 91.74.
    expect(table.stdout).toMatch(/n = 687, R² = \.38, adjusted R² = \.37, F\(5, 681\) = 81\.82, p < \.001; residual SE = 91\.74 on 681 df\./);
    expect(table.stdout).toMatch(/13 excluded \(missing SATQ 13\)/);
    expect(table.stdout).toMatch(/Simple slopes by sex/);
    const md = await runCli([...BASE, '--format', 'markdown', '--standardize']);
    expect(md.stdout).toMatch(/^\*\*Linear model/);
    expect(md.stdout).toMatch(/\| Term \| b \| SE \| t \| p \| 95% CI \| β \| pr \| sr \| VIF \|/);
    expect(md.stdout).toMatch(/\| ACT \* \| 14\.15 \| 0\.94 \| 15\.10 \| < \.001 \| \[12\.31, 15\.99\] \| 0\.59 \|/);
  });
});

describe('bad input: one line, exit 2 (command line) or 1 (data)', () => {
  test.each([
    [['--y', 'SATQ', '--x', 'nope'], /unknown column "nope" in --x/],
    [['--y', 'SATQ', '--x', 'ACT', '--adjust', 'agee'], /unknown column "agee" in --adjust.*nearest: age/],
    [['--x', 'ACT'], /--y is needed/],
    [['--y', 'SATQ'], /--x is needed/],
    [['--y', 'SATQ', '--x', 'sex'], /sex \(--x\) is a text column .*must be numeric/],
    [['--y', 'sex', '--x', 'ACT'], /sex \(--y\) is a text column/],
    [['--y', 'SATQ', '--x', 'SATQ'], /--x SATQ is the outcome/],
    [['--y', 'SATQ', '--x', 'ACT,ACT'], /names ACT twice/],
    [['--y', 'SATQ', '--x', 'ACT', '--interaction', 'sex', '--where', 'sex=female'], /--interaction sex has one level \(female\)/],
    [['--y', 'SATQ', '--x', 'ACT', '--interaction', 'ACT'], /--interaction ACT is the outcome or an x/],
    [['--y', 'SATQ', '--x', 'ACT', '--adjust', 'SATQ'], /--adjust SATQ is the same column as the outcome or an x \(SATQ\), a variable cannot be adjusted for itself/],
    [['--y', 'SATQ', '--x', 'ACT', '--adjust', 'age,age'], /--adjust names age twice, name each covariate once/],
    [['--y', 'SATQ', '--x', 'ACT', '--interaction', 'sex', '--ref', 'sex=other'], /--ref sex=other: no such level .*levels: female, male/],
    [['--y', 'SATQ', '--x', 'ACT', '--ref', 'age=20'], /--ref age=20 names no covariate, interaction column or stratifier/],
    [['--y', 'SATQ', '--x', 'ACT', '--adjust', 'age', '--ref', 'age=20'], /--ref age=20: age is a numeric column, name it in --categorical/],
    [['--y', 'SATQ', '--x', 'ACT', '--categorical', 'ACT'], /--categorical ACT is the outcome or an x/],
    [['--y', 'SATQ', '--x', 'ACT', '--robust', 'hc1'], /--robust/],
    [['--y', 'SATQ', '--x', 'ACT', '--ci', '95'], /--ci must be a confidence level between 0 and 1, e.g. 0.95, got "95"$/],
  ])('%j', async (args, pattern) => {
    expectOneLineError(await runCli(['model', SAT, ...(args as string[])]), 2, pattern as RegExp);
  });

  test('no usable rows: exit 1', async () => {
    const r = await runCli(['model', '-', '--y', 'y', '--x', 'x'], { stdin: 'y,x\n,1\n2,\n' });
    expectOneLineError(r, 1, /no usable rows: every row misses the outcome, an x/);
  });

  test('a non-number later in a numeric column: exit 1 naming line and column', async () => {
    const r = await runCli(['model', '-', '--y', 'y', '--x', 'x'], { stdin: 'y,x\n1,1\n2,2\n3,abc\n' });
    expectOneLineError(r, 1, /column "x" \(--x\) must hold numbers, but "abc" at line 4 is not a number \(1 of 3 values\), stdin, declare missing codes with --na abc/);
  });

  test('a text covariate of more than 20 levels is refused (exit 1) unless --categorical names it', async () => {
    expectOneLineError(
      await runCli(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'id']),
      1,
      /covariate id is text with 700 levels .*more than 20 is an id or free text, not a factor: leave it out of --adjust, or pass --categorical id/,
    );
    // Named a factor, it meets the model's own limit on levels (an id column by mistake).
    expectOneLineError(await runCli(['model', SAT, '--y', 'SATQ', '--x', 'ACT', '--adjust', 'id', '--categorical', 'id']), 2, /id \(--adjust\) has 687 levels in the rows used/);
  });

  test('a text --x: a categorical predictor goes in --adjust or --interaction', async () => {
    expectOneLineError(
      await runCli(['model', EXAMPLE, '--y', 'distress', '--x', 'arm']),
      2,
      /^canrelax-analyze: arm \(--x\) is a text column \("app" at line 2, "app" at line 3, "waitlist" at line 4, …\), a variable in --x must be numeric; a categorical predictor goes in --adjust arm \(or model --interaction arm, or --by arm\)$/,
    );
  });
});
