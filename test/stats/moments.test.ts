import { CoMoments, coMomentsInto, coMomentsOf } from '../../src/stats/moments';
import { createRandom } from '../../src/stats/random';

/** Hand-worked: x = 1, 2, 3, 4 (mean 2.5), y = 2, 4, 5, 9 (mean 5). */
const x = [1, 2, 3, 4];
const y = [2, 4, 5, 9];
// Σ(x − 2.5)² = 2.25 + 0.25 + 0.25 + 2.25 = 5; Σ(y − 5)² = 9 + 1 + 0 + 16 = 26;
// Σ(x − 2.5)(y − 5) = (−1.5)(−3) + (−0.5)(−1) + (0.5)(0) + (1.5)(4) = 4.5 + 0.5 + 0 + 6 = 11.
const handM2 = [5, 11, 11, 26];

describe('CoMoments', () => {
  it('held data: means and centred cross-products (worked by hand)', () => {
    const m = coMomentsOf([x, y]);
    expect(m.n).toBe(4);
    expect(Array.from(m.mean)).toEqual([2.5, 5]);
    expect(Array.from(m.m2)).toEqual(handM2);
  });

  it('streaming (Welford) gives the same numbers', () => {
    const m = new CoMoments(2);
    for (let i = 0; i < 4; i++) m.add([x[i], y[i]]);
    expect(m.n).toBe(4);
    expect(m.p).toBe(2);
    m.mean.forEach((v, i) => expect(v).toBeCloseTo([2.5, 5][i], 14));
    m.m2.forEach((v, i) => expect(v).toBeCloseTo(handM2[i], 13));
    expect(m.m2[1]).toBe(m.m2[2]); // symmetric
  });

  it('uncentred norm = sqrt(Σ v²) = sqrt(m2_ii + n·mean_i²)', () => {
    const m = coMomentsOf([x, y]);
    expect(m.uncentredNorm(0)).toBeCloseTo(Math.sqrt(1 + 4 + 9 + 16), 14); // sqrt(5 + 4·6.25) = sqrt(30)
    expect(m.uncentredNorm(1)).toBeCloseTo(Math.sqrt(4 + 16 + 25 + 81), 14); // sqrt(26 + 4·25) = sqrt(126)
  });

  it('row lists may repeat rows (a bootstrap resample) = the duplicated data', () => {
    const rows = [3, 0, 0, 2, 3, 3];
    const viaRows = coMomentsOf([x, y], rows);
    const expanded = coMomentsOf([rows.map((i) => x[i]), rows.map((i) => y[i])]);
    expect(viaRows.n).toBe(6);
    expect(Array.from(viaRows.mean)).toEqual(Array.from(expanded.mean));
    expect(Array.from(viaRows.m2)).toEqual(Array.from(expanded.m2));
    expect(() => coMomentsOf([x, y], [0, 4])).toThrow(RangeError);
  });

  it('coMomentsInto overwrites a reused target', () => {
    const target = coMomentsOf([y, x]);
    coMomentsInto(target, [x, y]);
    expect(Array.from(target.m2)).toEqual(handM2);
    expect(() => coMomentsInto(new CoMoments(3), [x, y])).toThrow(RangeError);
  });

  it('large offsets do not cancel (values 1e9 + small deviations)', () => {
    // Variance of 1e9 + (1, 2, 3, 4) is that of (1, 2, 3, 4): Σ(v − mean)² = 5 exactly.
    const big = x.map((v) => 1e9 + v);
    expect(coMomentsOf([big]).m2[0]).toBe(5);
    const s = new CoMoments(1);
    big.forEach((v) => s.add([v]));
    expect(s.m2[0]).toBeCloseTo(5, 6);
  });

  it('merge (Chan, Golub & LeVeque) = all rows at once', () => {
    const rng = createRandom(7);
    const rows = Array.from({ length: 50 }, () => [rng.normal() * 10 + 100, rng.normal(), rng.uniform()]);
    const all = new CoMoments(3);
    const a = new CoMoments(3);
    const b = new CoMoments(3);
    rows.forEach((r, i) => {
      all.add(r);
      (i < 20 ? a : b).add(r);
    });
    a.merge(b);
    expect(a.n).toBe(50);
    a.mean.forEach((v, i) => expect(v).toBeCloseTo(all.mean[i], 12));
    a.m2.forEach((v, i) => expect(v).toBeCloseTo(all.m2[i], 10));
    const empty = new CoMoments(3);
    empty.merge(all);
    expect(Array.from(empty.m2)).toEqual(Array.from(all.m2));
    expect(() => a.merge(new CoMoments(2))).toThrow(RangeError);
  });

  it('addVariable: exactly (bit for bit) as if the zero column had been there from the start', () => {
    const rng = createRandom(11);
    // Rows of (score, age) and a categorical level that first appears at row 7, another at row 15.
    const data = Array.from({ length: 30 }, (_, i) => ({
      score: rng.normal() * 15 + 50,
      age: 18 + rng.int(50),
      level: i < 7 ? 0 : i < 15 ? (i % 2 === 0 ? 1 : 0) : i % 3 === 0 ? 2 : 1,
    }));
    // Streaming: the indicator of level 1 is added when it first appears, that of level 2 likewise.
    const streamed = new CoMoments(2);
    const indicator = new Map<number, number>();
    for (const row of data) {
      if (row.level > 0 && !indicator.has(row.level)) indicator.set(row.level, streamed.addVariable());
      const values = new Array<number>(streamed.p).fill(0);
      values[0] = row.score;
      values[1] = row.age;
      if (row.level > 0) values[indicator.get(row.level)!] = 1;
      streamed.add(values);
    }
    expect(indicator.get(1)).toBe(2);
    expect(indicator.get(2)).toBe(3);
    // From the start: all four columns, zeros before each level appeared.
    const full = new CoMoments(4);
    for (const row of data) full.add([row.score, row.age, row.level === 1 ? 1 : 0, row.level === 2 ? 1 : 0]);
    expect(streamed.p).toBe(4);
    expect(streamed.n).toBe(full.n);
    expect(Array.from(streamed.mean)).toEqual(Array.from(full.mean));
    expect(Array.from(streamed.m2)).toEqual(Array.from(full.m2));
  });

  it('addVariable before any row, and on an empty set of variables', () => {
    const m = new CoMoments(0);
    expect(m.addVariable()).toBe(0);
    m.add([3]);
    m.add([5]);
    expect(Array.from(m.mean)).toEqual([4]);
    expect(Array.from(m.m2)).toEqual([2]);
  });

  it('clone and reset', () => {
    const m = coMomentsOf([x, y]);
    const c = m.clone();
    m.reset();
    expect(m.n).toBe(0);
    expect(Array.from(m.m2)).toEqual([0, 0, 0, 0]);
    expect(Array.from(c.m2)).toEqual(handM2);
  });

  it('rejects a wrong number of values', () => {
    expect(() => new CoMoments(2).add([1])).toThrow(RangeError);
    expect(() => new CoMoments(-1)).toThrow(RangeError);
    expect(() => coMomentsOf([x, [1, 2]])).toThrow(RangeError);
  });
});

test('shifted: co-moments of y + δ·s equal those computed from the shifted column (bilinearity)', () => {
  const y = [2.5, 3.1, 4.0, 1.2, 5.5, 3.3];
  const x = [1, 2, 3, 4, 5, 6];
  const s = [0, 1, 0, 1, 1, 0];
  const delta = -0.7;
  const direct = coMomentsOf([x, y.map((v, i) => v + delta * s[i]), s]);
  const shifted = coMomentsOf([x, y, s]).shifted(1, 2, delta);
  expect(shifted.n).toBe(direct.n);
  direct.mean.forEach((v, i) => expect(shifted.mean[i]).toBeCloseTo(v, 13));
  direct.m2.forEach((v, i) => expect(shifted.m2[i]).toBeCloseTo(v, 12));
});
