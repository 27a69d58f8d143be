/**
 * OLS against R: sat_act.expected.json's `ols` block (lm + summary.lm) and test/reference/ols_extra.json
 * (written by test/reference/ols_extra.R: sandwich HC3, lmtest::coeftest, VIF, Cook's distance, hat values,
 * simple slopes, a rank-deficient design and a leverage-1 row). R is never needed to run these tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  cooksDistance,
  fitOls,
  hc3,
  linearCombination,
  partialAndSemiPartialR,
  robustCoefficients,
  standardizedCoefficients,
  vif,
} from '../../src/stats/ols';
import { qrDecompose } from '../../src/stats/qr';

const shared = path.resolve(__dirname, '../../../shared/reference');
const expected = JSON.parse(fs.readFileSync(path.join(shared, 'sat_act.expected.json'), 'utf8'));
const extra = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../reference/ols_extra.json'), 'utf8'));

/** 1e-10 relative, 1e-12 absolute near zero. */
function close(actual: number | null | undefined, want: number, rel = 1e-10, abs = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  const a = actual as number;
  const ok = Math.abs(a - want) <= Math.max(abs, rel * Math.abs(want));
  if (!ok) throw new Error(`expected ${want}, got ${a} (relative error ${Math.abs(a - want) / Math.abs(want)})`);
}

interface Row { sex: string; education: number; age: number; ACT: number; SATQ: number | null }

/** sat_act.csv: quoted header and text, empty field = missing (R's na.strings = ""). */
function readSatAct(): Row[] {
  const lines = fs.readFileSync(path.join(shared, 'sat_act.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    const get = (name: string): string => cells[header.indexOf(name)];
    const num = (name: string): number | null => (get(name) === '' || get(name) === undefined ? null : Number(get(name)));
    return { sex: get('sex'), education: num('education') as number, age: num('age') as number, ACT: num('ACT') as number, SATQ: num('SATQ') };
  });
}

const rows = readSatAct().filter((r) => r.SATQ !== null);
const n = rows.length;
const col = (f: (r: Row) => number): Float64Array => Float64Array.from(rows, f);
const one = col(() => 1);
const act = col((r) => r.ACT);
const male = col((r) => (r.sex === 'male' ? 1 : 0));
const age = col((r) => r.age);
const edu = col((r) => r.education);
const actMale = col((r) => r.ACT * (r.sex === 'male' ? 1 : 0));
const y = col((r) => r.SATQ as number);
const columns = [one, act, male, age, edu, actMale];
const names = ['(Intercept)', 'ACT', 'sexmale', 'age', 'education', 'ACT:sexmale'];
const fit = fitOls(columns, names, y);

describe('fitOls vs lm(SATQ ~ ACT * sex + age + education)', () => {
  test('n, rank, df', () => {
    expect(n).toBe(expected.ols.n);
    expect(fit.n).toBe(687);
    expect(fit.rank).toBe(6);
    expect(fit.dfResidual).toBe(681);
    expect(fit.notes).toEqual([]);
  });

  test('estimate, se, t, p of all six terms (1e-10)', () => {
    expect(fit.coefficients.map((c) => c.term)).toEqual(expected.ols.terms.map((t: { term: string }) => t.term));
    expected.ols.terms.forEach((want: { estimate: number; se: number; t: number; p: number }, j: number) => {
      const c = fit.coefficients[j];
      expect(c.aliased).toBe(false);
      close(c.estimate, want.estimate);
      close(c.se, want.se);
      close(c.t, want.t);
      close(c.p, want.p);
    });
  });

  test('R², adjusted R², sigma, F and its p', () => {
    close(fit.r2, expected.ols.r2);
    close(fit.adjR2, expected.ols.adj_r2);
    close(fit.sigma, extra.sigma);
    close(fit.f, extra.f);
    expect(fit.fDf).toEqual(extra.f_df);
    close(fit.fP, extra.f_p);
  });

  test('confidence intervals (confint, 95% and 90%)', () => {
    fit.coefficients.forEach((c, j) => {
      close(c.ci![0], extra.ci95[j][0]);
      close(c.ci![1], extra.ci95[j][1]);
    });
    const fit90 = fitOls(columns, names, y, { ciLevel: 0.9 });
    fit90.coefficients.forEach((c, j) => {
      close(c.ci![0], extra.ci90[j][0]);
      close(c.ci![1], extra.ci90[j][1]);
    });
  });

  test('vcov in term order', () => {
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) close(fit.vcov[a * 6 + b], extra.vcov[a][b]);
  });

  test('hat values, residuals, fitted of a few rows; Σh = rank', () => {
    extra.hat_rows.forEach((row: number, i: number) => {
      close(fit.hat[row - 1], extra.hat[i]);
      close(fit.residuals[row - 1], extra.residual_rows[i]);
      close(fit.fitted[row - 1], extra.fitted_rows[i]);
    });
    close(fit.hat.reduce((s, h) => s + h, 0), extra.hat_sum);
  });
});

describe('HC3 (sandwich::vcovHC type HC3) and coeftest', () => {
  const robust = hc3(fit, columns);
  test('HC3 standard errors and covariance', () => {
    expect(robust.reason).toBeUndefined();
    robust.se.forEach((se, j) => close(se, extra.hc3_se[j]));
    // Off-diagonal elements near zero cancel: compare at 1e-10 of the diagonal scale.
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) {
      const scale = Math.sqrt(extra.hc3_vcov[a][a] * extra.hc3_vcov[b][b]);
      expect(Math.abs(robust.vcov![a * 6 + b] - extra.hc3_vcov[a][b])).toBeLessThanOrEqual(1e-10 * scale);
    }
  });
  test('coeftest t and p with HC3 on the residual df', () => {
    const table = robustCoefficients(fit, robust.vcov!);
    table.forEach((c, j) => {
      close(c.t, extra.coeftest_hc3.t[j]);
      close(c.p, extra.coeftest_hc3.p[j]);
    });
  });
});

describe('simple slopes of ACT (linearCombination)', () => {
  const female = [0, 1, 0, 0, 0, 0];
  const maleC = [0, 1, 0, 0, 0, 1];
  const check = (got: ReturnType<typeof linearCombination>, want: { estimate: number; se: number; t: number; p: number; ci: number[] }): void => {
    close(got.estimate, want.estimate);
    close(got.se, want.se);
    close(got.t, want.t);
    close(got.p, want.p);
    close(got.ci![0], want.ci[0]);
    close(got.ci![1], want.ci[1]);
  };
  test('model vcov', () => {
    check(linearCombination(fit, female), extra.slope_female);
    check(linearCombination(fit, maleC), extra.slope_male);
  });
  test('HC3 vcov', () => {
    const v = hc3(fit, columns).vcov!;
    check(linearCombination(fit, female, v), extra.slope_female_hc3);
    check(linearCombination(fit, maleC, v), extra.slope_male_hc3);
  });
  test('an aliased term with non-zero weight is an error', () => {
    const rd = fitOls([one, act, age, col((r) => 2 * r.age)], ['(Intercept)', 'ACT', 'age', 'age2'], y);
    expect(() => linearCombination(rd, [0, 0, 0, 1])).toThrow(/aliased/);
  });
});

describe('diagnostics', () => {
  test('VIF per column as coded (1/(1 − R²_j))', () => {
    const v = vif(columns, names);
    expect(v).toHaveLength(5);
    v.forEach((x, j) => close(x, extra.vif[j]));
  });
  test('VIF is null for an exactly collinear column', () => {
    const v = vif([one, act, age, col((r) => 2 * r.age)], ['(Intercept)', 'ACT', 'age', 'age2']);
    expect(v[0]).not.toBeNull();
    expect(v[1]).toBeNull();
    expect(v[2]).toBeNull();
  });
  test("Cook's distance: max, which, count above 4/n, a few rows", () => {
    const d = cooksDistance(fit);
    expect(d.every((x) => x !== null)).toBe(true);
    const vals = d as number[];
    const max = Math.max(...vals);
    close(max, extra.cooks_max);
    expect(vals.indexOf(max) + 1).toBe(extra.cooks_which_max);
    expect(vals.filter((x) => x > 4 / n).length).toBe(extra.cooks_over_4_n);
    extra.hat_rows.forEach((row: number, i: number) => close(vals[row - 1], extra.cooks_rows[i]));
  });
  test('partial and semi-partial r (from t) equal the residual correlations computed in R', () => {
    const pr = partialAndSemiPartialR(fit);
    expect(pr[0].partial).toBeNull();
    pr.slice(1).forEach((x, j) => {
      close(x.partial, extra.partial_r[j], 1e-9);
      close(x.semiPartial, extra.semipartial_r[j], 1e-9);
    });
  });
  test('standardized coefficients (model-matrix columns as coded)', () => {
    const b = standardizedCoefficients(fit, columns, y);
    expect(b[0]).toBeNull();
    b.slice(1).forEach((x, j) => close(x, extra.std_coef[j], 1e-9));
  });
});

describe('rank-deficient design: age2 = 2·age between age and education', () => {
  const age2 = col((r) => 2 * r.age);
  const cols = [one, act, male, age, age2, edu, actMale];
  const nm = ['(Intercept)', 'ACT', 'sexmale', 'age', 'age2', 'education', 'ACT:sexmale'];
  const rd = fitOls(cols, nm, y);
  const want = extra.rank_deficient;
  test('pivoting as dqrdc2: age2 moved to the end', () => {
    expect(rd.rank).toBe(want.rank);
    expect(qrDecompose(cols).pivot.map((j) => j + 1)).toEqual(want.pivot);
  });
  test('aliased term has null estimate (R NA); the others as the full-rank model', () => {
    expect(rd.coefficients.map((c) => c.aliased)).toEqual(want.aliased);
    const aliased = rd.coefficients[4];
    expect(aliased).toEqual({ term: 'age2', aliased: true, estimate: null, se: null, t: null, p: null, ci: null });
    const keptTerms = rd.coefficients.filter((c) => !c.aliased);
    rd.coefficients.forEach((c, j) => {
      if (want.estimate[j] === null) expect(c.estimate).toBeNull();
      else close(c.estimate, want.estimate[j]);
    });
    keptTerms.forEach((c, i) => {
      close(c.se, want.se[i]);
      close(c.t, want.t[i]);
      close(c.p, want.p[i]);
    });
    close(rd.r2, want.r2);
    expect(rd.vcov).toHaveLength(36);
    expect(rd.notes.join(' ')).toMatch(/aliased.*age2/);
  });
  test('HC3 over the non-aliased terms', () => {
    const r = hc3(rd, cols);
    expect(r.se[4]).toBeNull();
    r.se.filter((s) => s !== null).forEach((s, i) => close(s, want.hc3_se[i]));
  });
});

describe('leverage 1: a dummy that is 1 for exactly one row', () => {
  const single = col(() => 0);
  single[0] = 1;
  // R orders interaction terms last: (Intercept), ACT, sexmale, age, education, single, ACT:sexmale.
  const cols = [one, act, male, age, edu, single, actMale];
  const nm = ['(Intercept)', 'ACT', 'sexmale', 'age', 'education', 'single', 'ACT:sexmale'];
  const l1 = fitOls(cols, nm, y);
  test('hat = 1 and the fit matches R', () => {
    expect(nm).toEqual(extra.leverage_one.terms);
    expect(l1.hat[0]).toBe(extra.leverage_one.hat);
    l1.coefficients.forEach((c, j) => {
      close(c.estimate, extra.leverage_one.estimate[j], 1e-9);
      close(c.se, extra.leverage_one.se[j], 1e-9);
    });
  });
  test('HC3 is undefined → null with reason', () => {
    expect(extra.leverage_one.hc3_all_nan).toBe(true);
    const r = hc3(l1, cols);
    expect(r.se.every((s) => s === null)).toBe(true);
    expect(r.vcov).toBeUndefined();
    expect(r.reason).toMatch(/leverage 1 at row 0/);
  });
  test("Cook's distance is null for that row only", () => {
    const d = cooksDistance(l1);
    expect(d[0]).toBeNull();
    expect(d.slice(1).every((x) => x !== null && Number.isFinite(x))).toBe(true);
  });
});

describe('degenerate fits give null with a note, never NaN', () => {
  test('n = rank: no residual df', () => {
    const f = fitOls([Float64Array.of(1, 1), Float64Array.of(1, 2)], ['(Intercept)', 'x'], Float64Array.of(3, 5));
    expect(f.dfResidual).toBe(0);
    expect(f.sigma).toBeNull();
    expect(f.adjR2).toBeNull();
    expect(f.f).toBeNull();
    expect(f.coefficients[1].estimate).toBeCloseTo(2, 12);
    expect(f.coefficients[1].se).toBeNull();
    expect(f.coefficients[1].p).toBeNull();
    expect(f.notes.join(' ')).toMatch(/no residual degrees of freedom/);
  });
  test('perfect fit: t and p null', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    const f = fitOls([Float64Array.of(1, 1, 1, 1), x], ['(Intercept)', 'x'], Float64Array.from(x, (v) => 2 * v + 1));
    expect(f.r2).toBeCloseTo(1, 12);
    // residuals are rounding noise here (as in R, "essentially perfect fit"); either zero or tiny but never NaN
    for (const c of f.coefficients) for (const v of [c.estimate, c.se, c.t, c.p]) expect(v === null || Number.isFinite(v)).toBe(true);
  });
  test('constant y: R² null', () => {
    const f = fitOls([Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 2, 3, 5)], ['(Intercept)', 'x'], Float64Array.of(2, 2, 2, 2));
    expect(f.r2).toBeNull();
    expect(f.f).toBeNull();
    expect(f.coefficients[1].t).toBeNull();
  });
  test('intercept-only model: no F', () => {
    const f = fitOls([Float64Array.of(1, 1, 1)], ['(Intercept)'], Float64Array.of(1, 2, 4));
    expect(f.f).toBeNull();
    expect(f.fP).toBeNull();
    close(f.coefficients[0].estimate, 7 / 3);
  });
});
