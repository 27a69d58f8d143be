/**
 * Rubin's rules against mice 3.15 (test/reference/pool.R → pool.json): pool() on lm fits (estimate, SE, Barnard–Rubin
 * df, t, p, CI, riv, λ, fmi), pool.r.squared, and Rubin's rules on Fisher's z of a partial r (pool.scalar).
 */
import { barnardRubinDf, poolCorrelation, poolRSquared, poolRubin } from '../../src/stats/pool';
import { tPValue } from '../../src/stats/distributions';
import { tQuantile } from '../../src/stats/quantiles';
import { expectClose, readProjectReference } from '../helpers/reference';

const ref = readProjectReference('pool.json');

describe('poolRubin equals mice::pool on lm fits', () => {
  const fits: Array<{ estimate: number[]; se: number[]; df_residual: number }> = ref.per_imputation;
  (ref.terms as string[]).forEach((term, j) => {
    test(term, () => {
      const pooled = poolRubin(
        fits.map((f) => f.estimate[j]),
        fits.map((f) => f.se[j] ** 2),
        fits[0].df_residual,
      );
      const p = ref.pooled;
      expectClose(pooled.estimate, p.estimate[j]);
      expectClose(pooled.within, p.ubar[j]);
      expectClose(pooled.between, p.b[j]);
      expectClose(pooled.total, p.t[j]);
      expectClose(Math.sqrt(pooled.total), p.std_error[j]);
      expectClose(pooled.df, p.df[j]);
      expectClose(pooled.riv, p.riv[j]);
      expectClose(pooled.lambda, p.lambda[j]);
      expectClose(pooled.fmi, p.fmi[j]);
      const t = pooled.estimate / Math.sqrt(pooled.total);
      expectClose(t, p.statistic[j]);
      expectClose(tPValue(t, pooled.df), p.p[j]);
      const q = tQuantile(0.975, pooled.df);
      expectClose(pooled.estimate - q * Math.sqrt(pooled.total), p.lo[j]);
      expectClose(pooled.estimate + q * Math.sqrt(pooled.total), p.hi[j]);
    });
  });
});

test('poolRSquared equals mice::pool.r.squared (1/(n − 3), 1.96)', () => {
  const fits: Array<{ r_squared: number; df_residual: number }> = ref.per_imputation;
  const n = fits[0].df_residual + 4; // 60 rows, 4 coefficients
  const r2 = poolRSquared(
    fits.map((f) => f.r_squared),
    fits.map(() => n),
  );
  expectClose(r2.estimate, ref.r_squared.est);
  expectClose(r2.ci[0], ref.r_squared.lo);
  expectClose(r2.ci[1], ref.r_squared.hi);
  expectClose(r2.fmi, ref.r_squared.fmi);
});

test('poolCorrelation: Fisher z, W = 1/(n − 3 − k), ν_com = n − 2 − k, t interval (R pool.scalar)', () => {
  const p = ref.partial;
  const pooled = poolCorrelation(p.r, p.n, p.k);
  expectClose(pooled.r, p.pooled_r);
  expectClose(pooled.df, p.df);
  expectClose(pooled.t, p.t);
  expectClose(pooled.p, p.p);
  expectClose(pooled.ci[0], p.lo);
  expectClose(pooled.ci[1], p.hi);
  expectClose(pooled.pooled.within, p.within);
  expectClose(pooled.pooled.between, p.between);
  expectClose(pooled.pooled.total, p.total);
  expectClose(pooled.pooled.riv, p.riv);
  expectClose(pooled.pooled.fmi, p.fmi);
});

test('Barnard–Rubin floors λ at 1e-4 when the imputations agree (mice 3.15 barnard.rubin(5, 0, 0.01, 40))', () => {
  expectClose(barnardRubinDf(5, 0, 0.01, 40), ref.zero_between.df);
  // By hand: λ = 1e-4, ν_old = 4/1e-8 = 4e8, ν_obs = 41/43·40·(1 − 1e-4); ν = ν_old·ν_obs/(ν_old + ν_obs).
  const dfObs = (41 / 43) * 40 * (1 - 1e-4);
  expectClose(barnardRubinDf(5, 0, 0.01, 40), (4e8 * dfObs) / (4e8 + dfObs));
});

test('Rubin\'s rules refuse M = 1', () => {
  expect(() => poolRubin([0.1], [0.01], 10)).toThrow(/at least 2/);
});
