/**
 * Curve summaries and joint p-values (src/stats/specification-curve.ts), worked by hand. Normal quantiles from R:
 * qnorm(0.995) = 2.575829303548901, qnorm(0.9) = 1.281551565544601, qnorm(0.75) = 0.6744897501960817.
 */
import { jointPValues, summariseCurve, type CurveSummary } from '../../src/stats/specification-curve';
import { expectClose } from '../helpers/reference';

const summary = (r: number[], p: number[]) => summariseCurve(Float64Array.from(r), Float64Array.from(p), r.length, 0.05, new Float64Array(r.length));

describe('summariseCurve', () => {
  test('dominant sign, shares, median and Stouffer Z of three specifications', () => {
    const s = summary([-0.3, 0.1, -0.2], [0.01, 0.5, 0.2])!;
    expect(s.dominant_sign).toBe(-1);
    expect(s.median_r).toBe(-0.2);
    expect([s.min_r, s.max_r]).toEqual([-0.3, 0.1]);
    expect(s.share_dominant).toBeCloseTo(2 / 3, 15);
    // Only r = −.3 is negative with p < .05.
    expect(s.share_significant).toBeCloseTo(1 / 3, 15);
    // z = Φ⁻¹(1 − p/2) with the dominant sign, its negative against it: (2.5758 + 1.2816 − 0.6745) / √3.
    expectClose(s.stouffer_z, (2.575829303548901 + 1.281551565544601 - 0.6744897501960817) / Math.sqrt(3), 1e-12);
  });

  test('an even count: the median is the mean of the middle two; a tie of signs goes to the median', () => {
    const s = summary([0.2, -0.1, 0.3, -0.4], [0.5, 0.5, 0.5, 0.5])!;
    expectClose(s.median_r, 0.05, 1e-14);
    expect(s.dominant_sign).toBe(1);
    expect(s.share_dominant).toBe(0.5);
    expect(summary([], [])).toBeNull();
  });
});

describe('jointPValues', () => {
  test('the share of null resamples as or more extreme, resamples with nothing defined counting as not extreme', () => {
    const observed = summary([-0.3, -0.2], [0.01, 0.03])!;
    const nulls: Array<CurveSummary | null> = [
      summary([0.3, 0.26], [0.01, 0.2]), // |median| .28 > .25, share .5 < 1, Z smaller
      summary([-0.1, 0.05], [0.4, 0.7]),
      summary([0.3, 0.2], [0.01, 0.03]), // the mirror image: as extreme on every statistic
      null,
    ];
    const p = jointPValues(observed, nulls);
    expect(p.median_r_p).toBe(2 / 4);
    expect(p.share_significant_p).toBe(1 / 4);
    expect(p.stouffer_p).toBe(1 / 4);
  });
});
