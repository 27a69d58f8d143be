/**
 * `correlate --bayes` through the CLI's JSON: bf10 against BayesFactor in R (test/reference/bayes_cli.R →
 * bayes_cli.json: exp(linearReg.R2stat(n, k + 1, R²full)$bf) / exp(linearReg.R2stat(n, k, R²reduced)$bf), rscale 1,
 * R² from lm on the same complete cases) to 1e-6 relative, and the published k = 0 value of Wetzels & Wagenmakers
 * (2012): r = .6, n = 20 → BF10 = 8.2214.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REFERENCE, ROOT, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/bayes_cli.json'), 'utf8'));

const json = (args: string[], stdin?: string) => runJson(args, { stdin });

interface Case {
  label: string;
  n: number;
  k: number;
  r: number;
  bf10: number;
  log_bf10: number;
}
const byLabel = (label: string): Case => {
  const c = (ref.cases as Case[]).find((x) => x.label === label);
  if (!c) throw new Error(`no case "${label}" in bayes_cli.json`);
  return c;
};

/** The result matches R's n, k, partial r (1e-10) and BF10 (1e-6 relative: BayesFactor integrates to ~1e-4, but here
 * agrees with a 1e-13 quadrature to ~1e-9 in log BF, see test/reference/bayes.json). */
function expectCase(result: { n: number; k: number; r: number; bf10: number }, want: Case): void {
  expect(result.n).toBe(want.n);
  expect(result.k).toBe(want.k);
  expectClose(result.r, want.r);
  expectClose(result.bf10, want.bf10, 1e-6, 0);
}

describe('sat_act: bf10 = BF(x + Z) / BF(Z) from BayesFactor::linearReg.R2stat on lm R²', () => {
  test.each([
    [['--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,education'], 'ACT-SATQ | age, education'],
    [['--x', 'ACT', '--y', 'SATQ'], 'ACT-SATQ, no covariates'],
    [['--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,sex,education'], 'ACT-SATQ | age, sex (text), education'],
    [['--x', 'SATV', '--y', 'SATQ', '--adjust', 'age,gender,education'], 'SATV-SATQ | age, gender, education'],
    [['--x', 'age', '--y', 'SATV', '--adjust', 'education'], 'age-SATV | education (BF10 < 1)'],
  ])('%j', async (args, label) => {
    const doc = await json(['correlate', SAT, ...(args as string[]), '--bayes']);
    expect(doc.results).toHaveLength(1);
    expectCase(doc.results[0], byLabel(label as string));
  });

  test('--by gender: one BF per stratum, on the stratum\'s own rows', async () => {
    const doc = await json(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,education', '--by', 'gender', '--bayes']);
    expect(doc.results.map((r: { stratum: string }) => r.stratum)).toEqual(['1', '2']);
    expectCase(doc.results[0], byLabel('ACT-SATQ | age, education; gender 1'));
    expectCase(doc.results[1], byLabel('ACT-SATQ | age, education; gender 2'));
  });

  test('without --bayes there is no bf10; the table gets a BF10 column', async () => {
    const plain = await json(['correlate', SAT, '--x', 'age', '--y', 'SATV', '--adjust', 'education']);
    expect(plain.results[0].bf10).toBeUndefined();
    const table = await runCli(['correlate', SAT, '--x', 'age', '--y', 'SATV', '--adjust', 'education', '--bayes']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('BF10');
    // R: 0.471740858026997
    expect(table.stdout).toMatch(/│ 0\.47 │/);
  });
});

/**
 * 20 rows with sample r exactly .6 (to rounding): x_i = 2i − 21 (the odd numbers −19 … 19: Σx = 0, Σx² = 2660) and
 * e_i = x_i² − 133 (centred, since Σx²/20 = 133, and orthogonal to x, Σx·e = Σx³ − 133Σx = 0 by symmetry). With unit
 * vectors u = x/‖x‖ and v = e/‖e‖, y = .6u + .8v has ‖y‖ = 1 and Σy = 0, so r = Σx·y / (‖x‖‖y‖) = .6.
 */
function wetzelsData(): string {
  const x = Array.from({ length: 20 }, (_, i) => 2 * (i + 1) - 21);
  const e = x.map((v) => v * v - 133);
  const norm = (a: number[]) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
  const nx = norm(x);
  const ne = norm(e);
  const y = x.map((v, i) => (0.6 * v) / nx + (0.8 * e[i]) / ne);
  return `x,y\n${x.map((v, i) => `${v},${y[i]}`).join('\n')}\n`;
}

describe('k = 0: Wetzels & Wagenmakers (2012), r = .6, n = 20', () => {
  test('BF10 = 8.2214 (to 4 decimals; BayesFactor: 8.2214409689163, test/reference/bayes.json)', async () => {
    const doc = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--bayes'], wetzelsData());
    const result = doc.results[0];
    expect(result.n).toBe(20);
    expect(result.k).toBe(0);
    expect(Math.abs(result.r - 0.6)).toBeLessThan(1e-14);
    expect(Math.abs(result.bf10 - 8.2214)).toBeLessThan(0.5e-4);
    const published = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/bayes.json'), 'utf8')).partial[0];
    expect(published).toMatchObject({ n: 20, k: 0, r2_full: 0.36 });
    expectClose(result.bf10, published.bf, 1e-6, 0);
  });

  test('the BF depends on r², not its sign: y → −y gives the same BF10', async () => {
    const negated = wetzelsData()
      .split('\n')
      .map((line, i) => (i === 0 || line === '' ? line : line.replace(/,(.*)$/, (_, y) => `,${-Number(y)}`)))
      .join('\n');
    const pos = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--bayes'], wetzelsData());
    const neg = await json(['correlate', '-', '--x', 'x', '--y', 'y', '--bayes'], negated);
    expect(Math.abs(neg.results[0].r + 0.6)).toBeLessThan(1e-14);
    expectClose(neg.results[0].bf10, pos.results[0].bf10, 1e-12);
  });
});
