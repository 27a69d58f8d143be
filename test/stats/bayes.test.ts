/**
 * JZS Bayes factors against BayesFactor 0.9.12-4.4 (test/reference/bayes.json, written by test/reference/bayes.R).
 * `bf` is BayesFactor's own value (its quadrature is accurate to ~1e-9 here); `log_bf_precise` is the same integral
 * in R at rel.tol 1e-13. R is never needed to run these tests.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  integrate,
  jzsRegressionBF,
  jzsRegressionLogBF,
  partialCorrelationBF,
  partialCorrelationBayesFactor,
  partialCorrelationLogBF,
} from '../../src/stats/bayes';

const ref = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../reference/bayes.json'), 'utf8'));

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('integrate (adaptive Gauss–Kronrod)', () => {
  test('polynomials and smooth functions', () => {
    expect(integrate((x) => x ** 7 - 3 * x ** 2, 0, 2).value).toBeCloseTo(2 ** 8 / 8 - 8, 12);
    expect(relErr(integrate(Math.exp, 0, 1).value, Math.E - 1)).toBeLessThan(1e-14);
    expect(relErr(integrate((x) => Math.exp(-x * x), -10, 10).value, Math.sqrt(Math.PI))).toBeLessThan(1e-13);
    // a sharp peak away from the midpoint
    expect(relErr(integrate((x) => 1 / (1e-6 + (x - 0.3) ** 2), 0, 1).value, (Math.atan(0.7e3) + Math.atan(0.3e3)) * 1e3)).toBeLessThan(1e-11);
  });
});

describe('jzsRegressionBF = exp(BayesFactor::linearReg.R2stat(N, p, R2, rscale)$bf)', () => {
  test('Wetzels & Wagenmakers (2012): r = .6, n = 20 → 8.2214', () => {
    expect(jzsRegressionBF(20, 1, 0.36)).toBeCloseTo(8.2214, 4);
    expect(partialCorrelationBF(20, 0, 0.36, 0)).toBeCloseTo(8.2214, 4);
  });

  for (const c of ref.regression as Array<{ n: number; p: number; r2: number; rscale: number; bf: number; log_bf: number; log_bf_precise: number }>) {
    test(`n = ${c.n}, p = ${c.p}, R² = ${c.r2}, rscale = ${c.rscale.toPrecision(4)}`, () => {
      const lbf = jzsRegressionLogBF(c.n, c.p, c.r2, c.rscale);
      // vs BayesFactor, 1e-6 relative on BF (= 1e-6 absolute on log BF)
      expect(Math.abs(lbf - c.log_bf)).toBeLessThan(1e-6);
      expect(relErr(jzsRegressionBF(c.n, c.p, c.r2, c.rscale), c.bf)).toBeLessThan(1e-6);
      // vs the high-precision R integral of the same integrand
      expect(Math.abs(lbf - c.log_bf_precise)).toBeLessThan(1e-10);
    });
  }

  test('invalid arguments throw RangeError', () => {
    expect(() => jzsRegressionBF(5, 4, 0.5)).toThrow(RangeError); // p ≥ n − 1
    expect(() => jzsRegressionBF(50, 1, 1)).toThrow(RangeError);
    expect(() => jzsRegressionBF(50, 0, 0.1)).toThrow(RangeError);
    expect(() => jzsRegressionBF(50, 1, 0.1, 0)).toThrow(RangeError);
  });
});

describe('partialCorrelationBF = BF(n, k+1, R²full) / BF(n, k, R²reduced)', () => {
  for (const c of ref.partial as Array<{ n: number; k: number; r2_full: number; r2_reduced: number; rscale: number; bf: number; log_bf: number; log_bf_precise: number }>) {
    test(`n = ${c.n}, k = ${c.k}, R² ${c.r2_full} vs ${c.r2_reduced}, rscale ${c.rscale.toPrecision(4)}`, () => {
      const l = partialCorrelationLogBF(c.n, c.k, c.r2_full, c.r2_reduced, c.rscale);
      expect(relErr(partialCorrelationBF(c.n, c.k, c.r2_full, c.r2_reduced, c.rscale), c.bf)).toBeLessThan(1e-6);
      expect(Math.abs(l - c.log_bf_precise)).toBeLessThan(1e-10);
    });
  }

  test('k = 0: the reduced model is the null model (BF 1), r2Reduced ignored', () => {
    expect(partialCorrelationLogBF(40, 0, 0.2, 0.7)).toBe(jzsRegressionLogBF(40, 1, 0.2));
  });

  test('sat_act: ACT in SATQ ~ ACT + age + education + gender equals BayesFactor::lmBF ratio', () => {
    const s = ref.sat_act;
    const l = partialCorrelationLogBF(s.n, s.k, s.r2_full, s.r2_reduced);
    expect(Math.abs(l - s.log_bf_lmBF)).toBeLessThan(1e-6);
    expect(Math.abs(l - s.log_bf_precise)).toBeLessThan(1e-10);
    // BF10 ≈ e^145: finite in double precision
    const r = partialCorrelationBayesFactor({ n: s.n, k: s.k, r2Full: s.r2_full, r2Reduced: s.r2_reduced });
    expect(r.bf10).not.toBeNull();
    expect(relErr(r.logBf10!, s.log_bf_precise)).toBeLessThan(1e-12);
  });

  test('data-driven wrapper: null with a reason, never NaN', () => {
    expect(partialCorrelationBayesFactor({ n: 6, k: 4, r2Full: 0.5, r2Reduced: 0.4 })).toMatchObject({ bf10: null, logBf10: null });
    expect(partialCorrelationBayesFactor({ n: 6, k: 4, r2Full: 0.5, r2Reduced: 0.4 }).reason).toMatch(/n > p \+ 1/);
    expect(partialCorrelationBayesFactor({ n: 50, k: 1, r2Full: 1, r2Reduced: 0.4 }).reason).toMatch(/R²/);
    const huge = partialCorrelationBayesFactor({ n: 5000, k: 0, r2Full: 0.5, r2Reduced: 0 });
    expect(huge.bf10).toBeNull();
    expect(huge.logBf10).toBeGreaterThan(709);
    expect(huge.reason).toMatch(/double range/);
  });
});
