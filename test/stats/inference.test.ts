import { correlationTest, fisherInterval, ppcorSemiPartialTest, T_LIMIT } from '../../src/stats/inference';
import { expectClose, readProjectReference } from '../helpers/reference';

// r(x, y | cv1, cv2, cv3) on pingouin_partial.csv (n = 30, k = 3) and R's t, one-sided p and 90% intervals
// (test/reference/stats_extra.R: pt(t, 25), qnorm(0.95), qnorm(0.90)). The two-sided defaults are checked on
// sat_act in partial.test.ts.
const ref = readProjectReference('stats_extra.json').tests;

describe('correlationTest', () => {
  it('one-sided p-values', () => {
    const less = correlationTest(ref.r, ref.n, ref.k, { alternative: 'less' });
    const greater = correlationTest(ref.r, ref.n, ref.k, { alternative: 'greater' });
    expect(less.df).toBe(25);
    expectClose(less.t, ref.t);
    expectClose(less.p, ref.p_less);
    expectClose(greater.p, ref.p_greater);
  });

  it('90% intervals: two-sided uses Φ⁻¹(0.95), one-sided Φ⁻¹(0.90)', () => {
    const two = correlationTest(ref.r, ref.n, ref.k, { ciLevel: 0.9 }).ci;
    const less = correlationTest(ref.r, ref.n, ref.k, { ciLevel: 0.9, alternative: 'less' }).ci;
    const greater = correlationTest(ref.r, ref.n, ref.k, { ciLevel: 0.9, alternative: 'greater' }).ci;
    two.forEach((v, i) => expectClose(v, ref.ci90[i]));
    expect(less[0]).toBe(-1);
    expectClose(less[1], ref.ci90_less[1]);
    expectClose(greater[0], ref.ci90_greater[0]);
    expect(greater[1]).toBe(1);
  });

  it('hand-worked: r = 0.5, n = 30, k = 2', () => {
    // df = 26; t = 0.5·sqrt(26 / 0.75) = 0.5·5.887841 = 2.943920; se = 1/sqrt(25) = 0.2;
    // CI = tanh(atanh 0.5 ∓ 1.959964·0.2) = tanh(0.549306 ∓ 0.391993) = tanh(0.157313), tanh(0.941299) = 0.156030, 0.735818.
    const test = correlationTest(0.5, 30, 2);
    expect(test.df).toBe(26);
    expect(test.t).toBeCloseTo(2.94392, 5);
    expect(test.ci[0]).toBeCloseTo(0.15603, 5);
    expect(test.ci[1]).toBeCloseTo(0.735818, 5);
  });

  it('r = 0: t = 0, p = 1, symmetric interval', () => {
    const test = correlationTest(0, 20, 1);
    expect(test.t).toBe(0);
    expect(test.p).toBe(1);
    expect(test.ci[0]).toBeCloseTo(-test.ci[1], 15);
  });

  it('|r| = 1: finite t (±Number.MAX_VALUE), limiting p, no NaN anywhere', () => {
    const up = correlationTest(1, 10, 1);
    expect(up).toEqual({ df: 7, t: T_LIMIT, p: 0, ci: [1, 1] });
    expect(correlationTest(-1, 10, 1)).toEqual({ df: 7, t: -T_LIMIT, p: 0, ci: [-1, -1] });
    expect(correlationTest(1, 10, 1, { alternative: 'less' })).toEqual({ df: 7, t: T_LIMIT, p: 1, ci: [-1, 1] });
    expect(correlationTest(1, 10, 1, { alternative: 'greater' })).toEqual({ df: 7, t: T_LIMIT, p: 0, ci: [1, 1] });
    expect(correlationTest(-1, 10, 1, { alternative: 'greater' })).toEqual({ df: 7, t: -T_LIMIT, p: 1, ci: [-1, 1] });
    expect(JSON.parse(JSON.stringify(up))).toEqual(up);
  });

  it('a correlation a few ulps beyond ±1 (rounding) is treated as ±1', () => {
    expect(correlationTest(1 + 2e-16, 10, 0).ci).toEqual([1, 1]);
    expect(() => correlationTest(1.01, 10, 0)).toThrow(RangeError);
  });

  it('rejects n ≤ k + 3 and levels outside (0, 1)', () => {
    expect(() => correlationTest(0.3, 5, 2)).toThrow('n = 5 is too small for k = 2 covariates (needs n > k + 3)');
    expect(() => correlationTest(0.3, 50, 2, { ciLevel: 95 })).toThrow(RangeError);
    expect(() => fisherInterval(0.3, 50, 0, 1)).toThrow(RangeError);
  });
});

describe('ppcorSemiPartialTest', () => {
  it('t = r·sqrt((n − 2 − k)/(1 − r²)), two-sided p on n − 2 − k df', () => {
    const semi = readProjectReference('stats_extra.json').semi;
    const test = ppcorSemiPartialTest(semi.y_only, 30, 3);
    expect(test.df).toBe(25);
    expectClose(test.t, semi.y_only_test.t);
    expectClose(test.p, semi.y_only_test.p);
  });

  it('|r| = 1 gives a finite t and p = 0', () => {
    expect(ppcorSemiPartialTest(-1, 10, 2)).toEqual({ df: 6, t: -T_LIMIT, p: 0 });
  });
});
