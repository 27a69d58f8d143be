import { bcaInterval, bootstrapPartial, bootstrapStatistics, jackknifeAcceleration, quantileType7 } from '../../src/stats/bootstrap';
import { CoMoments, coMomentsOf } from '../../src/stats/moments';
import { partialCorrelation, partialR, semiPartialCorrelation } from '../../src/stats/partial';
import { averageRanks } from '../../src/stats/rank';
import { createRandom } from '../../src/stats/random';
import { completeCases, expectClose, readProjectReference, readReferenceCsv } from '../helpers/reference';

const extra = readProjectReference('stats_extra.json'); // test/reference/stats_extra.R
const pingouin = completeCases(readReferenceCsv('pingouin_partial.csv'), ['x', 'y', 'cv1', 'cv2', 'cv3']);

describe('quantileType7 (R quantile, type = 7)', () => {
  it('matches R on a 15-value sample', () => {
    // R: quantile(t, c(0, 0.025, 0.3, 0.5, 0.975, 1), type = 7) = 0.31 0.3275 0.454 0.49 0.6425 0.66
    // e.g. 0.025: h = 1 + 14·0.025 = 1.35 → 0.31 + 0.35·(0.36 − 0.31) = 0.3275.
    const sorted = Float64Array.from(extra.bca.t as number[]).sort();
    [0, 0.025, 0.3, 0.5, 0.975, 1].forEach((p, i) => expectClose(quantileType7(sorted, p), extra.bca.q7[i], 1e-14));
    expect(quantileType7([4], 0.3)).toBe(4);
    expect(() => quantileType7([], 0.5)).toThrow(RangeError);
  });
});

describe('bcaInterval', () => {
  /*
   * Hand case (R in stats_extra.R): 15 bootstrap values, sorted
   *   0.31 0.36 0.39 0.42 0.45 0.47 0.48 0.49 | 0.50 0.52 0.53 0.55 0.58 0.61 0.66,  θ̂ = 0.5, a = 0.05, level 0.90.
   * 8 of 15 lie below θ̂: z0 = Φ⁻¹(8/15) = 0.0836517.
   * Lower, z_α = −1.6448536: w = z0 + z_α = −1.5612019, α' = Φ(z0 + w/(1 − a·w)) = Φ(0.0836517 − 1.5612019/1.0780601) = 0.0862041;
   *   h = 1 + 14·0.0862041 = 2.2068569 → 0.36 + 0.2068569·(0.39 − 0.36) = 0.3662057.
   * Upper, z_α = 1.6448536: w = 1.7285053, α' = Φ(0.0836517 + 1.7285053/0.9135747) = 0.9759042;
   *   h = 1 + 14·0.9759042 = 14.6626594 → 0.61 + 0.6626594·(0.66 − 0.61) = 0.6431330.
   */
  const sorted = Float64Array.from(extra.bca.t as number[]).sort();

  it('hand case: z0, adjusted levels and limits, against R', () => {
    const bca = bcaInterval(sorted, 0.5, 0.05, 0.9);
    expectClose(bca.z0, extra.bca.z0);
    expect(bca.interval![0]).toBeCloseTo(0.3662057, 7);
    expect(bca.interval![1]).toBeCloseTo(0.643133, 7);
    expectClose(bca.interval![0], extra.bca.interval[0]);
    expectClose(bca.interval![1], extra.bca.interval[1]);
  });

  it('reduces to the percentile interval when z0 = 0 and a = 0', () => {
    // 1 … 10 with θ̂ = 5.5: 5 of 10 below, z0 = Φ⁻¹(0.5) = 0, so α' = Φ(z_α) = α.
    const values = Float64Array.from({ length: 10 }, (_, i) => i + 1);
    const bca = bcaInterval(values, 5.5, 0, 0.8);
    expect(bca.z0).toBe(0);
    expect(bca.interval![0]).toBeCloseTo(quantileType7(values, 0.1), 12);
    expect(bca.interval![1]).toBeCloseTo(quantileType7(values, 0.9), 12);
  });

  it('null when every bootstrap value is on one side of the estimate, or a is too large', () => {
    expect(bcaInterval(sorted, 0.3, 0).interval).toBeNull();
    expect(bcaInterval(sorted, 0.7, 0).reason).toMatch(/infinite/);
    expect(bcaInterval(sorted, 0.5, 5).interval).toBeNull();
  });
});

describe('jackknifeAcceleration', () => {
  it('hand case: θ₍ᵢ₎ = 1, 2, 3, 6', () => {
    // θ̄ = 3; θ̄ − θ₍ᵢ₎ = 2, 1, 0, −3; Σ d² = 14, Σ d³ = 8 + 1 + 0 − 27 = −18; a = −18 / (6·14^1.5) = −0.0572703.
    expect(jackknifeAcceleration([1, 2, 3, 6])).toBeCloseTo(-0.0572703, 7);
    expect(jackknifeAcceleration([2, 2, 2])).toBe(0);
  });

  it('matches R on the leave-one-out partial r of pingouin_partial.csv, with and without strata', () => {
    expectClose(jackknifeAcceleration(extra.jackknife.values), extra.jackknife.acceleration, 1e-12);
    expectClose(jackknifeAcceleration(extra.jackknife.values, extra.jackknife.strata), extra.jackknife.acceleration_strata, 1e-12);
  });

  it('one stratum = no strata', () => {
    const values = [0.1, 0.5, 0.2, 0.9, 0.3];
    expect(jackknifeAcceleration(values, [4, 4, 4, 4, 4])).toBeCloseTo(jackknifeAcceleration(values), 14);
  });
});

describe('bootstrapPartial', () => {
  const options = { resamples: 2000, seed: 42 };

  it('estimate and jackknife acceleration of r(x, y | cv1..cv3) agree with R (lm.fit leave-one-out)', () => {
    const result = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], options);
    expectClose(result.estimate, extra.partial.cv123.r, 1e-13);
    expectClose(result.acceleration, extra.jackknife.acceleration, 1e-9);
    expect(result.resamples).toBe(2000);
    expect(result.failed).toBe(0);
    expect(result.bias).not.toBeNull();
    const [lo, hi] = result.percentile!;
    expect(lo).toBeLessThan(result.estimate!);
    expect(hi).toBeGreaterThan(result.estimate!);
    expect(result.bca![0]).toBeLessThan(result.bca![1]);
  });

  it('stratified: acceleration from the stratified jackknife (R)', () => {
    const strata = Int32Array.from(extra.jackknife.strata as number[]);
    const result = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], { ...options, strata });
    expectClose(result.acceleration, extra.jackknife.acceleration_strata, 1e-9);
  });

  it('the same seed gives the same result; another seed another', () => {
    const a = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], options);
    const b = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], options);
    const c = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], { ...options, seed: 43 });
    expect(b).toEqual(a);
    expect(c.percentile).not.toEqual(a.percentile);
  });

  it('sat_act, ACT with SATQ given age, gender, education: both intervals contain the estimate', () => {
    const columns = completeCases(readReferenceCsv('sat_act.csv'), ['ACT', 'SATQ', 'age', 'gender', 'education']);
    const result = bootstrapPartial(columns, 0, 1, [2, 3, 4], { resamples: 1000, seed: 1 });
    expectClose(result.estimate, 0.593271576325267, 1e-13); // sat_act.expected.json, partial[0].r
    for (const [lo, hi] of [result.percentile!, result.bca!]) {
      expect(lo).toBeLessThan(0.5933);
      expect(hi).toBeGreaterThan(0.5933);
      expect(hi - lo).toBeLessThan(0.2);
    }
    expect(result.failed).toBe(0);
  });

  it('ranks: the estimate is the Spearman partial r (ranks redone within each sample)', () => {
    const result = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], { ...options, ranks: true });
    expectClose(result.estimate, extra.partial.spearman_cv123.r, 1e-13);
    // The jackknife re-ranks the 29 remaining rows each time (R: rank within each leave-one-out sample).
    expectClose(result.acceleration, extra.jackknife.spearman_acceleration, 1e-9);
    const rows = Array.from({ length: 29 }, (_, i) => i + 1);
    const ranked = pingouin.map((c) => averageRanks(rows.map((i) => c[i])));
    expectClose(partialCorrelation(coMomentsOf(ranked), 0, 1, [2, 3, 4]).r, extra.jackknife.spearman_values[0]);
    expect(result.percentile![0]).toBeLessThan(result.estimate!);
    expect(result.percentile![1]).toBeGreaterThan(result.estimate!);
  });

  it('a custom statistic: the semi-partial r', () => {
    const result = bootstrapPartial(pingouin, 0, 1, [2, 3, 4], { ...options, statistic: (m) => partialR(m, 0, 1, [2, 3, 4], 'y') });
    expectClose(result.estimate, semiPartialCorrelation(coMomentsOf(pingouin), 0, 1, [2, 3, 4], 'y').r!, 1e-13);
  });

  it('resamples within strata keep each stratum size', () => {
    // Column 0 is the stratum indicator: its mean is the same in every stratified resample.
    const indicator = Float64Array.from({ length: 30 }, (_, i) => (i < 10 ? 1 : 0));
    const strata = Int32Array.from(indicator);
    const statistic = (m: { mean: Float64Array }) => m.mean[0];
    const stratified = bootstrapPartial([indicator], 0, 0, [], { resamples: 200, seed: 3, strata, statistic });
    expect(stratified.percentile![0]).toBeCloseTo(1 / 3, 14);
    expect(stratified.percentile![1]).toBeCloseTo(1 / 3, 14);
    // Every replicate equals θ̂ up to rounding in the last bit, so BCa is either that point or undefined (z0 infinite).
    for (const v of stratified.bca ?? []) expect(v).toBeCloseTo(1 / 3, 14);
    const plain = bootstrapPartial([indicator], 0, 0, [], { resamples: 200, seed: 3, statistic });
    expect(plain.percentile![1] - plain.percentile![0]).toBeGreaterThan(0.1);
  });

  it('resamples where the statistic is undefined are counted and left out', () => {
    // Null whenever the resample mean of x is above the full-sample mean (about half the resamples).
    const xMean = pingouin[0].reduce((s, v) => s + v, 0) / 30;
    const statistic = (m: { mean: Float64Array }) => (m.mean[0] > xMean + 1e-9 ? null : m.mean[0]);
    const result = bootstrapPartial(pingouin, 0, 1, [], { resamples: 500, seed: 9, statistic });
    expect(result.failed).toBeGreaterThan(150);
    expect(result.failed).toBeLessThan(350);
    expect(result.percentile![1]).toBeLessThanOrEqual(xMean + 1e-9);
  });

  it('an undefined estimate (constant x) gives no interval, with the reason', () => {
    const constant = [new Float64Array(30).fill(2), pingouin[1], pingouin[2]];
    const result = bootstrapPartial(constant, 0, 1, [2], options);
    expect(result).toMatchObject({ estimate: null, percentile: null, bca: null, resamples: 0 });
    expect(result.reason).toBe('undefined on the full sample: zero variance after adjustment');
  });

  it('rejects bad options', () => {
    expect(() => bootstrapPartial(pingouin, 0, 1, [], { resamples: 0, seed: 1 })).toThrow(RangeError);
    expect(() => bootstrapPartial(pingouin, 0, 1, [], { resamples: 10, seed: 1, ciLevel: 1 })).toThrow(RangeError);
    expect(() => bootstrapPartial(pingouin, 0, 7, [], { resamples: 10, seed: 1 })).toThrow(RangeError);
    expect(() => bootstrapPartial(pingouin, 0, 1, [], { resamples: 10, seed: 1, strata: new Int32Array(3) })).toThrow(RangeError);
  });
});

describe('bootstrapStatistics: several statistics on the same resamples', () => {
  it('gives each statistic exactly what bootstrapPartial gives it alone with the same seed (same resamples)', () => {
    const columns = pingouin;
    const statistics = [
      (m: Parameters<typeof partialR>[0]) => partialR(m, 0, 1, [2, 3, 4], 'both'),
      (m: Parameters<typeof partialR>[0]) => partialR(m, 0, 1, [2], 'both'),
      (m: Parameters<typeof partialR>[0]) => partialR(m, 2, 3, [], 'both'),
    ];
    const opts = { resamples: 500, seed: 11, ciLevel: 0.9 };
    const together = bootstrapStatistics(columns, statistics, opts);
    statistics.forEach((statistic, s) => expect(together[s]).toEqual(bootstrapPartial(columns, 0, 1, [], { ...opts, statistic })));
    expect(together[0].se).toBeGreaterThan(0);
  });
});

/**
 * The jackknife as it was computed before it was made O(n·p²) / O(n log n): each leave-one-out sample's co-moments
 * from its n − 1 rows (ranked again within the sample for Spearman, R's rank), then the statistic. The oracle for
 * WeightedSample.jackknife, which derives the same co-moments from the full sample's.
 */
function exactJackknife(columns: Float64Array[], z: number[], ranks: boolean, statistic?: (m: CoMoments) => number | null): number[] {
  const n = columns[0].length;
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const rows = Array.from({ length: n - 1 }, (_, j) => (j < i ? j : j + 1));
    const sample = columns.map((c) => Float64Array.from(rows, (r) => c[r]));
    const m = coMomentsOf(ranks ? sample.map((c) => averageRanks(c)) : sample);
    values.push((statistic ? statistic(m) : partialR(m, 0, 1, z))!);
  }
  return values;
}

describe('jackknife from the full sample = the exact leave-one-out jackknife', () => {
  const sat = completeCases(readReferenceCsv('sat_act.csv'), ['ACT', 'SATQ', 'age', 'gender', 'education']);
  // Heavy ties (five levels per column) and a covariate tied with x: every tie branch of the rank update.
  const rng = createRandom(11);
  const tied = Array.from({ length: 4 }, () => Float64Array.from({ length: 300 }, () => 1 + rng.int(5)));
  tied[1] = Float64Array.from(tied[1], (v, i) => v + tied[0][i]);
  const cases: Array<[string, Float64Array[], Int32Array | undefined]> = [
    ['pingouin_partial (n = 30)', pingouin, undefined],
    ['pingouin_partial, 3 strata', pingouin, Int32Array.from({ length: 30 }, (_, i) => i % 3)],
    ['sat_act (n = 687, ties in age, gender, education)', sat, undefined],
    ['sat_act, strata by gender', sat, Int32Array.from(sat[3])],
    ['300 rows, 5 levels per column', tied, undefined],
  ];
  for (const [name, columns, strata] of cases) {
    // Strata change how the θ₍ᵢ₎ combine, not the θ₍ᵢ₎: the slow Spearman oracle once per data set is enough.
    for (const ranks of strata && columns === sat ? [false] : [false, true]) {
      it(`${name}, ${ranks ? 'Spearman' : 'Pearson'}: acceleration to 1e-10`, () => {
        const z = columns.length === 4 ? [2, 3] : [2, 3, 4];
        const result = bootstrapPartial(columns, 0, 1, z, { resamples: 200, seed: 7, ranks, strata });
        const exact = jackknifeAcceleration(exactJackknife(columns, z, ranks), strata);
        expect(Math.abs(result.acceleration! - exact)).toBeLessThan(1e-10);
        expect(Math.abs(result.acceleration! - exact)).toBeLessThan(1e-13); // in fact (Spearman: 0, the sums are exact)
      });
    }
  }

  it('a custom statistic sees the leave-one-out means too', () => {
    const statistic = (m: CoMoments) => m.mean[0] * m.mean[1] + m.m2[1] / m.n;
    const result = bootstrapPartial(pingouin, 0, 1, [], { resamples: 100, seed: 2, statistic });
    expectClose(result.acceleration, jackknifeAcceleration(exactJackknife(pingouin, [], false, statistic)), 1e-12);
  });

  it('BCa intervals as the exact jackknife gave them (2000 resamples, seed 7; values from the O(n²) code)', () => {
    // Recorded with the jackknife that recomputed each leave-one-out sample, before it was replaced.
    const recorded: Array<[Float64Array[], boolean, Int32Array | undefined, [number, number]]> = [
      [pingouin, false, undefined, [0.16383085812619064, 0.6905108664682342]],
      [pingouin, true, undefined, [0.14740771949233342, 0.7674508993290947]],
      [sat, false, undefined, [0.5251621235069718, 0.6480601540956328]],
      [sat, true, undefined, [0.5561356738949517, 0.6636602236175028]],
      [sat, false, Int32Array.from(sat[3]), [0.5206618259811242, 0.6444382218033223]],
    ];
    for (const [columns, ranks, strata, bca] of recorded) {
      const result = bootstrapPartial(columns, 0, 1, [2, 3, 4], { resamples: 2000, seed: 7, ranks, strata });
      expect(Math.abs(result.bca![0] - bca[0])).toBeLessThan(1e-10);
      expect(Math.abs(result.bca![1] - bca[1])).toBeLessThan(1e-10);
    }
  });

  it('reports each resample to onResample', () => {
    const seen: number[] = [];
    bootstrapPartial(pingouin, 0, 1, [2], { resamples: 5, seed: 1, onResample: (done, total) => seen.push(done * 10 + total) });
    expect(seen).toEqual([15, 25, 35, 45, 55]);
  });
});
