/** RunningStats and quantileSorted against R's mean, sd, min, max and quantile(type = 7) (test/reference/stats_units.R). */
import { quantileSorted, RunningStats } from '../../src/stats/descriptive';
import { expectClose, readProjectReference } from '../helpers/reference';

interface Summary {
  x: number[];
  mean: number;
  sd: number;
  min: number;
  max: number;
}
const REF = readProjectReference<{ descriptive: { shifted: Summary; small: Summary & { probs: number[]; quantiles: number[] } } }>('stats_units.json').descriptive;

const summarise = (x: number[]): RunningStats => {
  const stats = new RunningStats();
  for (const v of x) stats.add(v);
  return stats;
};

describe.each([
  ['small values, ties and a negative', REF.small],
  ['values near 1e9 (where Σx² − n·x̄² would cancel; R: var 30)', REF.shifted],
] as const)('RunningStats on %s', (_name, ref) => {
  test('n, mean, SD (n − 1), min, max as R', () => {
    const stats = summarise(ref.x);
    expect(stats.n).toBe(ref.x.length);
    expectClose(stats.mean, ref.mean);
    expectClose(stats.sd(), ref.sd);
    expect(stats.min).toBe(ref.min);
    expect(stats.max).toBe(ref.max);
  });
});

test('SD is null below two values (R: NA), and 0 for equal values', () => {
  expect(new RunningStats().sd()).toBeNull();
  expect(summarise([3]).sd()).toBeNull();
  expect(summarise([2, 2, 2]).sd()).toBe(0);
});

test('quantileSorted is R type 7 at every probability, null on no values', () => {
  const sorted = Float64Array.from(REF.small.x).sort();
  REF.small.probs.forEach((p, i) => expectClose(quantileSorted(sorted, p), REF.small.quantiles[i]));
  // Worked by hand: n = 4, p = 0.5 → h = 1.5, x[1] + 0.5·(x[2] − x[1]) = 2 + 0.5·(3 − 2).
  expect(quantileSorted([1, 2, 3, 10], 0.5)).toBe(2.5);
  expect(quantileSorted([], 0.5)).toBeNull();
});
