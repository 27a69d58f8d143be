/** The distribution functions against R's pt, qt, pnorm, qnorm, pchisq and pf (test/reference/stats_units.R), tails included. */
import { chisqUpper, fUpper, normalCdf, normalPValue, normalQuantile, tCdf, tPValue } from '../../src/stats/distributions';
import { tQuantile } from '../../src/stats/quantiles';
import { expectClose, readProjectReference } from '../helpers/reference';

interface Cases<A> {
  args: A[];
  values: number[];
}
const REF = readProjectReference<{
  distributions: {
    t_cdf: Cases<[number, number]>;
    t_quantile: Cases<[number, number]>;
    normal_cdf: Cases<number>;
    normal_quantile: Cases<number>;
    chisq_upper: Cases<[number, number]>;
    f_upper: Cases<[number, number, number]>;
    t_p: { t: number; df: number; two_sided: number; less: number; greater: number };
    normal_p: { z: number; two_sided: number; less: number; greater: number };
  };
}>('stats_units.json').distributions;

// @stdlib's special functions agree with R's to about 1e-14 relative; 1e-12 leaves room, tails (1e-35, 1e-200) included.
const TOL = 1e-12;

test('pt and qt', () => {
  REF.t_cdf.args.forEach(([t, df], i) => expectClose(tCdf(t, df), REF.t_cdf.values[i], TOL, 0));
  REF.t_quantile.args.forEach(([q, df], i) => expectClose(tQuantile(q, df), REF.t_quantile.values[i], TOL));
});

test('pnorm and qnorm', () => {
  REF.normal_cdf.args.forEach((z, i) => expectClose(normalCdf(z), REF.normal_cdf.values[i], TOL, 0));
  REF.normal_quantile.args.forEach((q, i) => expectClose(normalQuantile(q), REF.normal_quantile.values[i], TOL));
  expect(normalQuantile(0.5)).toBe(0);
});

test('upper tails of chi-square and F without 1 − cdf cancellation', () => {
  REF.chisq_upper.args.forEach(([q, df], i) => expectClose(chisqUpper(q, df), REF.chisq_upper.values[i], TOL, 0));
  REF.f_upper.args.forEach(([f, d1, d2], i) => expectClose(fUpper(f, d1, d2), REF.f_upper.values[i], TOL, 0));
  expect(chisqUpper(0, 3)).toBe(1);
  expect(fUpper(-1, 2, 10)).toBe(1);
});

test('p-values of t and z for each alternative', () => {
  const t = REF.t_p;
  expectClose(tPValue(t.t, t.df), t.two_sided);
  expectClose(tPValue(t.t, t.df, 'less'), t.less);
  expectClose(tPValue(t.t, t.df, 'greater'), t.greater);
  const z = REF.normal_p;
  expectClose(normalPValue(z.z), z.two_sided);
  expectClose(normalPValue(z.z, 'less'), z.less);
  expectClose(normalPValue(z.z, 'greater'), z.greater);
  expect(tPValue(0, 5)).toBe(1);
});
