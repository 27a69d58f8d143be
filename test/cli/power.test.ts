/**
 * `power` through the CLI's JSON against test/reference/power.json (computed in R by test/reference/power.R:
 * Hotelling's exact density integrated with integrate(rel.tol = 1e-11), cross-checked there against the
 * noncentral-t mixture; pwr::pwr.r.test(n = n − k) for the Fisher z approximation).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/power.json'), 'utf8'));
const alt = (a: string) => (a === 'two.sided' ? 'two-sided' : a);

const json = (args: string[]) => runJson(['power', ...args]);

// R's uniroot() in pwr.r.test stops at its default tol, .Machine$double.eps^0.25 ≈ 1.22e-4 (absolute, in r or n);
// our roots of the same approximation are solved to 1e-12, so they agree with pwr's only to about that.
const UNIROOT_TOL = 1.22e-4;

describe('--n and --r: exact power (R: power_hotelling), Fisher z beside it (R: pwr.r.test)', () => {
  for (const c of ref.power as Array<{ n: number; k: number; r: number; alpha: number; alternative: string; power: number; pwr: number | null }>) {
    test(`n = ${c.n}, k = ${c.k}, r = ${c.r}, α = ${c.alpha}, ${c.alternative}`, async () => {
      const doc = await json(['--n', String(c.n), '--k', String(c.k), '--r', String(c.r), '--alpha', String(c.alpha), '--alternative', alt(c.alternative)]);
      expect(doc.input).toEqual({ n: c.n, k: c.k, r: c.r, power: null, alpha: c.alpha, alternative: alt(c.alternative) });
      expect(doc.results.mode).toBe('power');
      expect(doc.results.df).toBe(c.n - 2 - c.k);
      expect(doc.results.method).toMatch(/^exact: .*Hotelling \(1953\)/);
      expectClose(doc.results.power, c.power, 1e-9);
      // pwr's power is a closed formula (no root finding): the same to rounding.
      if (c.pwr !== null) expectClose(doc.results.approximation.power, c.pwr, 1e-10);
      expect(doc.results.approximation.method).toMatch(/Fisher z.*pwr::pwr\.r\.test/);
    });
  }
  test('critical r: t = r·sqrt(df/(1 − r²)) at r_c is qt(.975, 111) = 1.981567 (R)', async () => {
    const doc = await json(['--n', '117', '--k', '4', '--r', '0.18']);
    const rc = doc.results.critical_r;
    expect(rc * Math.sqrt(111 / (1 - rc * rc))).toBeCloseTo(1.9815667, 6);
  });
});

describe('--n alone: smallest detectable r at 80% and 90% (and --power) (R: uniroot on power_hotelling, tol 1e-13)', () => {
  for (const c of ref.minimum_r as Array<{ n: number; k: number; power: number; alpha: number; alternative: string; r: number; pwr: number }>) {
    test(`n = ${c.n}, k = ${c.k}, power ${c.power}, ${c.alternative}`, async () => {
      const doc = await json(['--n', String(c.n), '--k', String(c.k), '--alpha', String(c.alpha), '--alternative', alt(c.alternative)]);
      expect(doc.results.mode).toBe('minimum_r');
      expect(doc.results.minimum_r.map((m: { power: number }) => m.power)).toEqual([0.8, 0.9]);
      const entry = doc.results.minimum_r.find((m: { power: number }) => m.power === c.power);
      // The root inherits the 1e-11 accuracy of R's integrals divided by the slope of the power curve (~3 here).
      expectClose(entry.r, c.r, 1e-9);
      expect(Math.abs(entry.approximate_r - c.pwr)).toBeLessThan(UNIROOT_TOL);
    });
  }
  test('--power adds a row; "less" gives negative r and a negative critical r', async () => {
    const doc = await json(['--n', '117', '--k', '4', '--power', '0.85']);
    expect(doc.results.minimum_r.map((m: { power: number }) => m.power)).toEqual([0.8, 0.85, 0.9]);
    const greater = ref.minimum_r.find((c: { alternative: string }) => c.alternative === 'greater');
    const less = await json(['--n', '117', '--k', '4', '--alternative', 'less']);
    expectClose(less.results.minimum_r[0].r, -greater.r, 1e-9);
    expect(less.results.critical_r).toBeLessThan(0);
  });
});

describe('--r and --power: the smallest n (R: first n with power_hotelling ≥ power)', () => {
  for (const c of ref.required_n as Array<{ r: number; k: number; power: number; alpha: number; alternative: string; n: number; power_at_n: number; power_at_n_minus_1: number; pwr_n: number; pwr_n_ceiling: number }>) {
    test(`r = ${c.r}, k = ${c.k}, power ${c.power}, ${c.alternative}`, async () => {
      const doc = await json(['--r', String(c.r), '--k', String(c.k), '--power', String(c.power), '--alpha', String(c.alpha), '--alternative', alt(c.alternative)]);
      expect(doc.results.mode).toBe('required_n');
      expect(doc.results.n).toBe(c.n);
      expectClose(doc.results.power, c.power_at_n, 1e-9);
      expectClose(doc.results.power_at_n_minus_1, c.power_at_n_minus_1, 1e-9);
      // pwr.r.test's n (for n − k observations) + k, to uniroot's tolerance; its ceiling can exceed the exact n.
      expect(Math.abs(doc.results.approximation.n - c.pwr_n)).toBeLessThan(UNIROOT_TOL * 10);
      expect(doc.results.approximation.n_ceiling).toBe(c.pwr_n_ceiling);
    });
  }
});

describe('tables', () => {
  test('detectable r, power, n needed: exact and approximation side by side', async () => {
    const a = await runCli(['power', '--n', '117', '--k', '4']);
    expect(a.code).toBe(0);
    // R: .259815607910435 and .298327849982696 (exact); reject when |r| ≥ qt(.975, 111) / sqrt(111 + qt²) = .1848
    expect(a.stdout).toMatch(/80\.0% │ +\.260 │ +\.260/);
    expect(a.stdout).toMatch(/90\.0% │ +\.298 │ +\.298/);
    expect(a.stdout).toContain('|r| ≥ .1848');
    const b = await runCli(['power', '--n', '117', '--k', '4', '--r', '0.18', '--format', 'markdown']);
    // R: 0.482472040141936 (exact), 0.482467638032709 (pwr)
    expect(b.stdout).toContain('| 117 | .180 | 48.2% | 48.2% |');
    const c = await runCli(['power', '--r', '0.18', '--k', '4', '--power', '0.8']);
    // R: n = 243 (power .800019; n − 1: .798358); pwr.r.test n = 239.11 + 4 = 243.11 → 244
    expect(c.stdout).toMatch(/243 │ +80\.0% │ +79\.8% │ +244 \(243\.11\)/);
  });
});

describe('bad combinations: one line, exit 2', () => {
  test.each([
    [[], /give --n .* or --r/],
    [['--power', '0.8'], /give --n .* or --r/],
    [['--r', '0.3'], /--r needs --n .* or --power/],
    [['--n', '117', '--r', '0.3', '--power', '0.8'], /leave nothing to compute/],
    [['--n', '7', '--k', '4'], /--n 7 is too small for --k 4: n must exceed k \+ 3 = 7/],
    [['--n', '3'], /--n 3 is too small for --k 0/],
    [['--n', '50.5'], /--n must be a whole number/],
    [['--n', 'many'], /--n must be a whole number of observations from 1 to \d+, got "many"/],
    [['--n', '0x10'], /--n must be a whole number/],
    [['--n', '50', '--k', '-1'], /--k must be a whole number of covariates from 0/],
    [['--n', '50', '--r', '1'], /--r must be a correlation in \(−1, 1\), got 1/],
    [['--n', '50', '--r', '-1.2'], /--r must be a correlation in \(−1, 1\)/],
    [['--n', '50', '--power', '1'], /--power must be in \(0, 1\)/],
    [['--n', '50', '--power', '0'], /--power must be in \(0, 1\)/],
    [['--n', '50', '--power', '0.01'], /--power 0.01 is not above --alpha 0.05/],
    [['--n', '50', '--alpha', '1.5'], /--alpha must be in \(0, 1\)/],
    [['--r', '0', '--power', '0.8'], /--r 0 cannot be detected/],
    [['--r', '-0.2', '--power', '0.8', '--alternative', 'greater'], /other side of --alternative greater/],
    [['--n', '50', '--alternative', 'both'], /--alternative/],
  ])('%j', async (args, pattern) => {
    expectOneLineError(await runCli(['power', ...(args as string[])]), 2, pattern as RegExp);
  });
});

describe('any n up to 2^50 answers at once, by the exact method', () => {
  test('power --n 1e9: detectable r from the exact integral (Fisher z limit 2.8015852/sqrt(1e9) = 8.8594e-5)', async () => {
    const doc = await json(['--n', '1e9']);
    expect(doc.results.method).toMatch(/^exact: /);
    expect(doc.results.df).toBe(999_999_998);
    expect(doc.results.minimum_r[0].r).toBeCloseTo(8.8594e-5, 8);
  });
  test('an n past 2^50 is a usage error naming the limit', async () => {
    expectOneLineError(await runCli(['power', '--n', '2e15']), 2, /--n 2000000000000000 is beyond the largest n computed, 2\^50 = 1125899906842624/);
  });
});

test('power --n 1e9: the table shows the detectable r to three significant digits (the JSON value), not .000', async () => {
  const json = await runJson(['power', '--n', '1e9', '--k', '4']);
  const r80: number = json.results.minimum_r[0].r;
  expect(r80).toBeGreaterThan(5e-5);
  expect(r80).toBeLessThan(1e-4);
  const table = await runCli(['power', '--n', '1e9', '--k', '4', '--no-color']);
  // 8.86e-5 → ".0000886": three significant digits after the four leading zeros.
  expect(table.stdout).toContain(`.0000${Math.round(r80 * 1e7)}`);
  expect(table.stdout).not.toMatch(/│ +\.000 +│/);
});

test('a bad --format choice: one line, no stray "." before ", see"', async () => {
  const r = await runCli(['power', '--n', '100', '--format', 'csv']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/Allowed choices are table, json, markdown, see canrelax-analyze power --help\n$/);
});
