import { averageRanks, rankCountsInto, tieStructure } from '../../src/stats/rank';
import { readProjectReference } from '../helpers/reference';

const extra = readProjectReference('stats_extra.json');

describe('averageRanks (R rank, ties.method = "average")', () => {
  it('matches R on a vector with ties', () => {
    // R: rank(c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5)) = 4.5 1.5 6 1.5 8 11 3 10 8 4.5 8
    // (the two 1s share ranks 1, 2 → 1.5; the 3s ranks 4, 5 → 4.5; the three 5s ranks 7, 8, 9 → 8).
    expect(Array.from(averageRanks(extra.ranks.values))).toEqual(extra.ranks.ranks);
    expect(extra.ranks.ranks).toEqual([4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8]);
  });

  it('distinct values, all equal, empty', () => {
    expect(Array.from(averageRanks([0.3, -2, 10]))).toEqual([2, 1, 3]);
    expect(Array.from(averageRanks([7, 7, 7, 7]))).toEqual([2.5, 2.5, 2.5, 2.5]); // (1 + 4)/2
    expect(averageRanks([]).length).toBe(0);
  });

  it('rejects missing values', () => {
    expect(() => averageRanks([1, NaN])).toThrow(RangeError);
  });

  it('in place, with a longer scratch column for the sorted copy: the same ranks', () => {
    const values = Float64Array.from(extra.ranks.values);
    const scratch = new Float64Array(values.length + 5).fill(99);
    expect(Array.from(averageRanks(values, values, scratch))).toEqual(extra.ranks.ranks);
    expect(Array.from(values)).toEqual(extra.ranks.ranks);
  });
});

describe('rankCountsInto (ranks of a resample given as multiplicities)', () => {
  it('equals averageRanks of the expanded sample, with and without ties', () => {
    for (const values of [extra.ranks.values as number[], [0.5, 2.5, -1, 3, 10, 7]]) {
      const ties = tieStructure(values);
      const counts = values.map((_, i) => [2, 0, 1, 3, 0, 1, 1, 0, 2, 1, 1][i]);
      const expanded: number[] = [];
      const owner: number[] = [];
      counts.forEach((c, i) => {
        for (let t = 0; t < c; t++) {
          expanded.push(values[i]);
          owner.push(i);
        }
      });
      const direct = averageRanks(expanded);
      const out = new Float64Array(values.length).fill(-1);
      rankCountsInto(ties, counts, out);
      owner.forEach((row, t) => expect(out[row]).toBe(direct[t]));
      counts.forEach((c, i) => c === 0 && expect(out[i]).toBe(-1)); // rows not drawn are left alone
    }
  });

  it('writes one column of a row-major matrix with stride and offset', () => {
    const ties = tieStructure([5, 1, 3]);
    const out = new Float64Array(6);
    rankCountsInto(ties, [1, 1, 1], out, 2, 1);
    expect(Array.from(out)).toEqual([0, 3, 0, 1, 0, 2]);
  });
});

describe('averageRanks in place', () => {
  test('ranking into the input array gives the same ranks', () => {
    // R: rank(c(3, 1, 4, 1, 5, 9, 2, 6, 5, 3)) = 4.5 1.5 6 1.5 7.5 10 3 9 7.5 4.5
    const values = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]);
    const expected = [4.5, 1.5, 6, 1.5, 7.5, 10, 3, 9, 7.5, 4.5];
    expect(Array.from(averageRanks(values))).toEqual(expected);
    expect(Array.from(averageRanks(values, values))).toEqual(expected);
    expect(Array.from(values)).toEqual(expected);
  });
});
