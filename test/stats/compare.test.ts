import { fisherDifference, heterogeneity } from '../../src/stats/compare';
import { expectClose, readProjectReference } from '../helpers/reference';

const extra = readProjectReference('stats_extra.json'); // test/reference/stats_extra.R

describe('fisherDifference', () => {
  /*
   * Worked example, a: r = 0.5, n = 50, k = 2; b: r = 0.3, n = 80, k = 1 (95%, z_q = 1.959964).
   *  a: atanh 0.5 = 0.5493061, se = 1/sqrt(45) = 0.1490712, half-width 0.2921742
   *     → (tanh 0.2571320, tanh 0.8414803) = (0.2516110, 0.6865923)
   *  b: atanh 0.3 = 0.3095196, se = 1/sqrt(76) = 0.1147079, half-width 0.2248233
   *     → (tanh 0.0846963, tanh 0.5343429) = (0.0844944, 0.4886938)
   *  z = (0.5493061 − 0.3095196) / sqrt(1/45 + 1/76) = 0.2397865 / sqrt(0.0222222 + 0.0131579) = 0.2397865 / 0.1880960 = 1.2748091
   *  Zou: L = 0.2 − sqrt((0.5 − 0.2516110)² + (0.4886938 − 0.3)²) = 0.2 − sqrt(0.0616971 + 0.0356054) = 0.2 − 0.3119334 = −0.1119334
   *       U = 0.2 + sqrt((0.6865923 − 0.5)² + (0.3 − 0.0844944)²) = 0.2 + sqrt(0.0348167 + 0.0464427) = 0.2 + 0.2850603 = 0.4850603
   */
  const a = { r: 0.5, n: 50, k: 2 };
  const b = { r: 0.3, n: 80, k: 1 };

  it('worked example, by hand and against R', () => {
    const d = fisherDifference(a, b);
    expect(d.z).toBeCloseTo(1.2748091, 7);
    expect(d.ci[0]).toBeCloseTo(-0.1119334, 7);
    expect(d.ci[1]).toBeCloseTo(0.4850603, 7);
    expect(d.difference).toBeCloseTo(0.2, 15);
    expectClose(d.z, extra.compare.z);
    expectClose(d.p, extra.compare.p);
    expectClose(d.ci[0], extra.compare.zou[0]);
    expectClose(d.ci[1], extra.compare.zou[1]);
  });

  it('swapping the groups negates z and mirrors the interval', () => {
    const ab = fisherDifference(a, b);
    const ba = fisherDifference(b, a);
    expect(ba.z).toBeCloseTo(-ab.z, 14);
    expect(ba.p).toBeCloseTo(ab.p, 14);
    expect(ba.ci[0]).toBeCloseTo(-ab.ci[1], 14);
    expect(ba.ci[1]).toBeCloseTo(-ab.ci[0], 14);
  });

  it('equal correlations: z = 0, p = 1, interval around 0', () => {
    const d = fisherDifference(a, { ...a });
    expect(d.z).toBe(0);
    expect(d.p).toBe(1);
    expect(d.ci[0]).toBeCloseTo(-d.ci[1], 15);
  });

  it('a wider level gives a wider interval', () => {
    const d95 = fisherDifference(a, b);
    const d99 = fisherDifference(a, b, 0.99);
    expect(d99.ci[0]).toBeLessThan(d95.ci[0]);
    expect(d99.ci[1]).toBeGreaterThan(d95.ci[1]);
  });

  it('rejects |r| = 1 and n ≤ k + 3', () => {
    expect(() => fisherDifference({ r: 1, n: 20, k: 0 }, b)).toThrow(RangeError);
    expect(() => fisherDifference(a, { r: 0.2, n: 4, k: 1 })).toThrow(RangeError);
  });
});

describe('heterogeneity (Cochran Q on Fisher z)', () => {
  /*
   * Groups (r, n, k) = (0.5, 50, 2), (0.3, 80, 1), (0.45, 40, 0): w = 45, 76, 37 (Σ 158);
   * z = 0.5493061, 0.3095196, 0.4847003; Σ w z = 24.7187765 + 23.5234899 + 17.9339103 = 66.1761767;
   * z̄ = 66.1761767 / 158 = 0.4188366;
   * Q = 45·0.1304696² + 76·(−0.1093170)² + 37·0.0658637² = 0.7660040 + 0.9082150 + 0.1605071 = 1.8347261, df = 2,
   * p = exp(−Q/2) (chi-square with 2 df) = exp(−0.9173631) = 0.3995713.
   */
  it('worked example, by hand and against R', () => {
    const h = heterogeneity(extra.heterogeneity.groups);
    expect(h.q).toBeCloseTo(1.8347261, 7);
    expect(h.df).toBe(2);
    expect(h.p).toBeCloseTo(Math.exp(-h.q / 2), 14);
    expectClose(h.q, extra.heterogeneity.q);
    expectClose(h.p, extra.heterogeneity.p);
  });

  it('identical correlations: Q = 0 (up to rounding of z̄), p = 1', () => {
    const h = heterogeneity([{ r: 0.4, n: 30, k: 0 }, { r: 0.4, n: 90, k: 2 }]);
    expect(h.q).toBeLessThan(1e-28);
    expect(h.df).toBe(1);
    expect(h.p).toBeCloseTo(1, 12);
  });

  it('two groups: Q = z² of fisherDifference', () => {
    const a = { r: 0.5, n: 50, k: 2 };
    const b = { r: 0.3, n: 80, k: 1 };
    expect(heterogeneity([a, b]).q).toBeCloseTo(fisherDifference(a, b).z ** 2, 12);
    expect(heterogeneity([a, b]).p).toBeCloseTo(fisherDifference(a, b).p, 12);
  });

  it('needs two groups', () => {
    expect(() => heterogeneity([{ r: 0.4, n: 30, k: 0 }])).toThrow(RangeError);
  });
});
