/**
 * `correlate` through the CLI's JSON, against ../shared/reference (R: make_reference.R; pingouin's ppcor values),
 * and the degenerate designs of the correlate issue.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { EXAMPLE, REFERENCE, ROOT, expectCloseP, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const PINGOUIN = path.join(REFERENCE, 'pingouin_partial.csv');
const expected = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'sat_act.expected.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/correlate.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const json = (args: string[], stdin?: string) => runJson(args, { stdin, schema: validate });

interface RefCase {
  n: number;
  k: number;
  df: number;
  r: number;
  t: number;
  p: number;
  ci: [number, number];
}

function expectMatches(got: Record<string, unknown> & { ci: [number, number] }, want: RefCase): void {
  expect(got.n).toBe(want.n);
  expect(got.k).toBe(want.k);
  expect(got.df).toBe(want.df);
  expectClose(got.r as number, want.r);
  expectClose(got.t as number, want.t);
  expectCloseP(got.p as number, want.p);
  expectClose(got.ci[0], want.ci[0]);
  expectClose(got.ci[1], want.ci[1]);
}

describe('sat_act reference (R, make_reference.R) to 1e-10', () => {
  test('Pearson partials, zero-order on the same rows, Holm and BH over --x ACT,SATV --y SATQ,SATV', async () => {
    const base = ['correlate', SAT, '--x', 'ACT,SATV', '--y', 'SATQ,SATV', '--adjust', 'age,gender,education'];
    const holm = await json([...base, '--p-adjust', 'holm']);
    const results = holm.results;
    // Pairs in order: ACT–SATQ, ACT–SATV, SATV–SATQ (SATV–SATV skipped).
    expect(results.map((r: { x: string; y: string }) => `${r.x}-${r.y}`)).toEqual(['ACT-SATQ', 'ACT-SATV', 'SATV-SATQ']);
    results.forEach((r: never, i: number) => expectMatches(r, expected.partial[i]));
    results.forEach((r: { p_adjusted: number }, i: number) => expectCloseP(r.p_adjusted, expected.holm_first3[i]));
    const bh = await json([...base, '--p-adjust', 'bh']);
    bh.results.forEach((r: { p_adjusted: number }, i: number) => expectCloseP(r.p_adjusted, expected.bh_first3[i]));
    // The fifth reference entry is the zero-order r on the same 687 rows as ACT–SATQ's partial.
    expectClose(results[0].zero_order.r, expected.partial[4].r);
    expectCloseP(results[0].zero_order.p, expected.partial[4].p);
    expectClose(results[0].zero_order.ci[0], expected.partial[4].ci[0]);
    expectClose(results[0].zero_order.ci[1], expected.partial[4].ci[1]);
    expect(results[0].excluded).toEqual({ rows: 13, by_reason: { 'missing SATQ': 13 } });
  });

  test('Spearman partial', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,gender,education', '--method', 'spearman']);
    expectMatches(doc.results[0], expected.partial[3]);
  });

  test('no covariates = zero-order', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ']);
    expectMatches(doc.results[0], expected.partial[4]);
  });

  test('strata by gender and their Fisher z difference', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,education', '--by', 'gender']);
    expect(doc.results.map((r: { stratum: string }) => r.stratum)).toEqual(['1', '2']);
    expectMatches(doc.results[0], expected.strata.gender1);
    expectMatches(doc.results[1], expected.strata.gender2);
    expect(doc.comparisons).toHaveLength(1);
    expectClose(doc.comparisons[0].z, expected.strata_diff.z);
    expectClose(doc.comparisons[0].p, expected.strata_diff.p);
    expectClose(doc.comparisons[0].difference, expected.strata.gender1.r - expected.strata.gender2.r);
  });

  test('a text covariate is coded like R: sex (female reference) gives the same partial as numeric gender', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,sex,education']);
    expect(doc.results[0].covariates).toEqual(['age', 'sexmale', 'education']);
    // gender is 1/2, sex its text twin: same column space, so the reference partial r holds.
    expectMatches(doc.results[0], expected.partial[0]);
    const ref = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,sex,education', '--ref', 'sex=male']);
    expect(ref.results[0].covariates).toEqual(['age', 'sexfemale', 'education']);
    expectClose(ref.results[0].r, expected.partial[0].r);
    const cat = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,gender,education', '--categorical', 'gender']);
    expect(cat.results[0].covariates).toEqual(['age', 'gender2', 'education']);
    expectClose(cat.results[0].r, expected.partial[0].r);
  });

  test('results do not depend on the reader chunk size or CRLF', async () => {
    const text = fs.readFileSync(SAT, 'utf8');
    const args = ['correlate', '-', '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,education', '--by', 'gender'];
    const ref = await json(['correlate', SAT, ...args.slice(2)]);
    for (const chunk of [7, 64, 4096]) {
      const doc = await json([...args, '--chunk-size', String(chunk)], text.replace(/\n/g, '\r\n'));
      expect(doc.results).toEqual(ref.results);
      expect(doc.comparisons).toEqual(ref.comparisons);
    }
  });
});

describe('pingouin_partial.csv (ppcor values quoted in the reference README, at their printed decimals)', () => {
  const args = ['correlate', PINGOUIN, '--x', 'x', '--y', 'y'];
  const near = (got: number, want: number, decimals: number) => expect(Math.abs(got - want)).toBeLessThan(0.5 * 10 ** -decimals);
  test.each([
    ['cv1', 0.5681692, 0.001303059],
    ['cv1,cv2', 0.5344372, 0.003392904],
    ['cv1,cv2,cv3', 0.4926007, 0.009044164],
  ])('partial | %s', async (covs, r, p) => {
    const doc = await json([...args, '--adjust', covs]);
    near(doc.results[0].r, r, 7);
    near(doc.results[0].p, p, 9);
  });
  test('Spearman | cv1–cv3', async () => {
    const doc = await json([...args, '--adjust', 'cv1,cv2,cv3', '--method', 'spearman']);
    near(doc.results[0].r, 0.5209208, 7);
    near(doc.results[0].p, 0.005336187, 9);
  });
  test('semi-partial, covariates removed from y only and from x only (ppcor p), exact test = partial t', async () => {
    const y = await json([...args, '--adjust', 'cv1,cv2,cv3', '--semi', 'y']);
    near(y.results[0].semi.r, 0.4212351, 7);
    near(y.results[0].semi.ppcor.p, 0.02865483, 8);
    expect(y.results[0].semi.residualised).toBe('y');
    expect(y.results[0].semi.unique.t).toBe(y.results[0].t);
    const x = await json([...args, '--adjust', 'cv1,cv2,cv3', '--semi', 'x']);
    near(x.results[0].semi.r, 0.4631883, 7);
    near(x.results[0].semi.ppcor.p, 0.01496857, 8);
  });
});

describe('degenerate designs', () => {
  // 8 rows: y = x + noise; z2 = 2·z1 (aliased); cy equals y.
  const rows = [
    [1, 2.1, 3, 6, 2.1],
    [2, 2.9, 1, 2, 2.9],
    [3, 4.2, 4, 8, 4.2],
    [4, 3.8, 1, 2, 3.8],
    [5, 5.3, 5, 10, 5.3],
    [6, 6.1, 9, 18, 6.1],
    [7, 6.8, 2, 4, 6.8],
    [8, 8.4, 6, 12, 8.4],
  ];
  const csv = 'x,y,z1,z2,cy\n' + rows.map((r) => r.join(',')).join('\n') + '\n';

  test('rank-deficient covariates: the aliased one is dropped as R lm does, and r is the r without it', async () => {
    const both = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--adjust', 'z1,z2'], csv);
    const one = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--adjust', 'z1'], csv);
    expect(both.results[0].dropped_covariates).toEqual(['z2']);
    expect(both.results[0].k).toBe(1);
    expect(both.results[0].df).toBe(8 - 2 - 1);
    expectClose(both.results[0].r, one.results[0].r, 1e-12);
  });

  test('a covariate whose values equal y: r null, "zero variance after adjustment"', async () => {
    const doc = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--adjust', 'cy'], csv);
    expect(doc.results[0].r).toBeNull();
    expect(doc.results[0].reason).toBe('zero variance after adjustment');
  });

  test('n ≤ k + 3: r null with a reason', async () => {
    const small = 'x,y,a,b,c\n1,2,3,4,5\n2,1,4,3,9\n3,5,1,1,2\n4,3,2,7,7\n5,4,8,2,1\n6,7,5,5,3\n';
    const doc = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--adjust', 'a,b,c'], small);
    expect(doc.results[0].n).toBe(6);
    expect(doc.results[0].r).toBeNull();
    expect(doc.results[0].reason).toMatch(/n = 6 is too small for k = 3 covariates/);
  });

  test('constant x in one stratum: that stratum is null, the other is reported, no comparison', async () => {
    const text =
      'g,x,y\n' +
      ['a,1,2', 'a,1,3', 'a,1,5', 'a,1,4', 'a,1,1', 'b,1,2', 'b,2,3', 'b,3,5', 'b,4,4', 'b,5,6'].join('\n') +
      '\n';
    const doc = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--by', 'g'], text);
    expect(doc.results[0]).toMatchObject({ stratum: 'a', r: null, reason: 'zero variance after adjustment' });
    // Stratum b: x = 1..5, y = 2,3,5,4,6 → r = 9/sqrt(10·10) = 0.9 (Σdxdy = 9, Σdx² = 10, Σdy² = 10).
    expectClose(doc.results[1].r, 0.9, 1e-12);
    expect(doc.comparisons).toEqual([]);
  });
});

describe('options', () => {
  test('--alternative: one-sided p is half the two-sided p in the direction of r, the whole interval bounded on one side', async () => {
    const base = ['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,gender,education'];
    const two = (await json(base)).results[0];
    const greater = (await json([...base, '--alternative', 'greater'])).results[0];
    const less = (await json([...base, '--alternative', 'less'])).results[0];
    // r > 0: P(T ≥ t) = p₂/2 (Student's t is symmetric); P(T ≤ t) = 1 − p₂/2.
    expectClose(greater.p, two.p / 2);
    expectClose(less.p, 1 - two.p / 2, 1e-12);
    expect(greater.ci[1]).toBe(1);
    expect(less.ci[0]).toBe(-1);
    // One-sided 95% bound = tanh(atanh r − Φ⁻¹(.95)/sqrt(n − 3 − k)), the two-sided 90% interval's lower end.
    const ninety = (await json([...base, '--ci', '0.9'])).results[0];
    expectClose(greater.ci[0], ninety.ci[0], 1e-12);
    expectClose(ninety.ci[0], Math.tanh(Math.atanh(two.r) - 1.6448536269514722 / Math.sqrt(687 - 3 - 3)), 1e-12);
  });

  test('--list-excluded names the rows each analysis leaves out', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--list-excluded']);
    const ids = doc.results[0].excluded.ids;
    expect(ids).toHaveLength(13);
    // The 13 rows of sat_act.csv with SATQ blank (R: which(is.na(sat.act$SATQ))).
    const lines = fs.readFileSync(SAT, 'utf8').trim().split('\n').slice(1);
    const blank = lines.filter((l) => l.endsWith(',')).map((l) => JSON.parse(l.split(',')[0]));
    expect(ids).toEqual(blank);
  });

  test('more than two strata: every pair compared, heterogeneity Q on levels − 1 df', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age', '--by', 'education']);
    const rs = doc.results.filter((r: { r: number | null }) => r.r !== null);
    expect(doc.comparisons).toHaveLength((rs.length * (rs.length - 1)) / 2);
    // Q = Σ wᵢ (zᵢ − z̄)², wᵢ = nᵢ − 3 − kᵢ, z̄ = Σ wᵢzᵢ / Σ wᵢ (Hedges & Olkin 1985), from the strata reported.
    const w = rs.map((r: { n: number; k: number }) => r.n - 3 - r.k);
    const z = rs.map((r: { r: number }) => Math.atanh(r.r));
    const zbar = z.reduce((a: number, zi: number, i: number) => a + w[i] * zi, 0) / w.reduce((a: number, b: number) => a + b, 0);
    const q = z.reduce((a: number, zi: number, i: number) => a + w[i] * (zi - zbar) ** 2, 0);
    expect(doc.heterogeneity).toHaveLength(1);
    expectClose(doc.heterogeneity[0].q, q, 1e-12);
    expect(doc.heterogeneity[0].df).toBe(rs.length - 1);
  });
});

describe('bad input', () => {
  test('unknown column: exit 2 naming it, the nearest names and the roles', async () => {
    const r = await runCli(['correlate', SAT, '--x', 'ACTT', '--y', 'SATQ']);
    expectOneLineError(r, 2, /unknown column "ACTT" in --x.*nearest: ACT.*roles: alliance, bond/);
  });
  test('covariate named the same as x: exit 2', async () => {
    expectOneLineError(await runCli(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'ACT']), 2, /same column as an x or y/);
    expectOneLineError(await runCli(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,age']), 2, /--adjust names age twice, name each covariate once/);
  });
  test('text column as x: one line', async () => {
    expectOneLineError(await runCli(['correlate', SAT, '--x', 'sex', '--y', 'SATQ']), 2, /sex \(--x\) is a text column/);
  });
  test('--by on a column with one level', async () => {
    expectOneLineError(await runCli(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--by', 'sex', '--where', 'sex=male']), 2, /--by sex has one level \(male\)/);
  });
  test('no usable rows: exit 1', async () => {
    expectOneLineError(await runCli(['correlate', '-', '--x', 'x', '--y', 'y'], { stdin: 'x,y\n1,\n,2\n' }), 1, /no usable rows/);
  });
  test('not a CanRelax export and no --x: exit 2', async () => {
    expectOneLineError(await runCli(['correlate', SAT]), 2, /--x is needed/);
  });
});

describe('the bundled example', () => {
  test('defaults: alliance, bond, task, goal with distress, roles reported, JSON valid against the schema', async () => {
    const doc = await json(['correlate', EXAMPLE, '--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation']);
    expect(doc.results.map((r: { x_role: string }) => r.x_role)).toEqual(['alliance', 'bond', 'task', 'goal']);
    expect(doc.results.map((r: { x: string }) => r.x)).toEqual(['wai_total', 'wai_bond', 'wai_task', 'wai_goal']);
    expect(doc.results[0]).toMatchObject({ y: 'phqads_total_w10', y_role: 'distress', covariates: ['age', 'sexmale', 'phqads_total_t0', 'expectation'], k: 4 });
    expect(doc.input.where).toBe('arm=app');
    expect(doc.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    // t = r·sqrt(df/(1 − r²)) and df = n − 2 − k hold in every result.
    for (const r of doc.results) {
      expect(r.df).toBe(r.n - 2 - r.k);
      expectClose(r.t, r.r * Math.sqrt(r.df / (1 - r.r * r.r)), 1e-12);
    }
  });

  test('--by sex with comparisons; csv/ndjson flatten the same fields', async () => {
    const doc = await json(['correlate', EXAMPLE, '--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation', '--by', 'sex']);
    expect(doc.analysis.adjust).toEqual(['age', 'phqads_total_t0', 'expectation']);
    expect(doc.comparisons).toHaveLength(4);
    const csv = await runCli(['correlate', EXAMPLE, '--where', 'arm=app', '--adjust', 'age,baseline', '--format', 'csv']);
    const header = csv.stdout.split('\n')[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['x', 'y', 'r', 'ci.lower', 'ci.upper', 'zero_order.r', 'zero_order.ci.lower', 'p_adjusted']));
    const nd = await runCli(['correlate', EXAMPLE, '--where', 'arm=app', '--adjust', 'age,baseline', '--format', 'ndjson']);
    const first = JSON.parse(nd.stdout.split('\n')[0]);
    const plain = await json(['correlate', EXAMPLE, '--where', 'arm=app', '--adjust', 'age,baseline']);
    expect(first['zero_order.r']).toBe(plain.results[0].zero_order.r);
    expect(Object.keys(first)).toEqual(header);
  });

  test('bootstrap: same seed, same interval; failed resamples counted', async () => {
    const args = ['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'task', '--adjust', 'age,sex,baseline,expectation', '--bootstrap', '500', '--seed', '11'];
    const a = await json(args);
    const b = await json(args);
    expect(a.results[0].bootstrap).toEqual(b.results[0].bootstrap);
    expect(a.results[0].bootstrap).toMatchObject({ resamples: 500, seed: 11, failed: 0 });
    const [lo, hi] = a.results[0].bootstrap.percentile;
    expect(lo).toBeLessThan(a.results[0].r);
    expect(hi).toBeGreaterThan(a.results[0].r);
  });
});

describe('streaming layout', () => {
  test('held data (Spearman, bootstrap): each analysis of a stratified run uses its own rows, as if run alone', async () => {
    // A plain `simulate --n 234 --seed 2026` draw (the bundled example before it became `simulate --match`): in its
    // app arm alliance, bond, task and goal each miss on different rows (bond–distress in the female stratum excludes
    // 4 rows, the others 3), so the rows of each analysis differ by x and by stratum. (The --match example has no
    // blank WAI-I subscale in the app arm.)
    const data = (await runCli(['simulate', '--n', '234', '--seed', '2026'])).stdout;
    const base = ['correlate', '-', '--adjust', 'age,baseline,expectation', '--method', 'spearman'];
    const together = await json([...base, '--where', 'arm=app', '--by', 'sex'], data);
    expect(new Set(together.results.map((r: { n: number }) => r.n)).size).toBeGreaterThan(2);
    for (const r of together.results) {
      const alone = await json([...base, '--where', `arm=app,sex=${r.stratum}`, '--x', r.x], data);
      expect(alone.results[0].n).toBe(r.n);
      expect(alone.results[0].r).toBe(r.r);
      expect(alone.results[0].p).toBe(r.p);
    }
  });

  test('a categorical covariate missing on the first rows is still coded as categorical', async () => {
    // The first two rows lack g, so the first row any analysis uses is the third: g is text there.
    const text = 'x,y,g\n1,2,\n2,1,\n' + [
      [1, 2.5, 'a'], [2, 2.0, 'b'], [3, 4.1, 'a'], [4, 3.2, 'b'], [5, 5.9, 'a'], [6, 5.1, 'b'], [7, 7.7, 'a'], [8, 6.4, 'b'],
    ].map((r) => r.join(',')).join('\n') + '\n';
    const doc = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--adjust', 'g'], text);
    expect(doc.results[0].covariates).toEqual(['gb']);
    expect(doc.results[0].n).toBe(8);
    // Same numbers as held data (Spearman path holds columns; Pearson on held data via --bootstrap).
    const held = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--adjust', 'g', '--bootstrap', '100'], text);
    expectClose(doc.results[0].r, held.results[0].r, 1e-12);
  });
});

test('the table footer says how the BCa column was made: resamples, seed, failed resamples (as the JSON)', async () => {
  const args = ['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'task', '--bootstrap', '200', '--seed', '3'];
  const json = await runJson(args);
  expect(json.results[0].bootstrap.resamples).toBe(200);
  const table = await runCli([...args, '--no-color']);
  expect(table.stdout).toContain(`Bootstrap: 200 resamples per analysis, seed 3; BCa with the jackknife acceleration; ${json.results[0].bootstrap.failed} failed resamples.`);
});
