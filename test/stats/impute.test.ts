/**
 * The univariate imputation steps against mice 3.15: `.norm.draw` with the random draws fixed (pool.R's norm_draw
 * case: estimice on the same data, β* = β̂ + σ*·t(chol(V))·z), and PMM matching against `matchindex`'s documented
 * example (mice help page: d = (−5, 5, 0, 10, 12), t = (−6, −4, 0, 2, 4, −2, 6), k = 1 gives 1 1 3 3 2 3 2).
 */
import { cholesky, normDraw, pmmImpute, pmmMatch } from '../../src/stats/impute';
import { createRandom, Random } from '../../src/stats/random';
import { expectClose, readProjectReference } from '../helpers/reference';

const ref = readProjectReference('pool.json').norm_draw;

/** A generator whose draws are fixed: the normals in order, chi-square always `chisq`, uniforms from a seed. */
function fixedDraws(normals: number[], chisq: number): Random {
  const base = createRandom(1);
  let i = 0;
  return { ...base, normal: () => normals[i++], chisquare: () => chisq };
}

test('normDraw is mice:::.norm.draw with the draws fixed (β̂, σ* = √(RSS/χ²), β* = β̂ + σ*·Lz)', () => {
  const one = new Float64Array(ref.y.length).fill(1);
  const draw = normDraw([one, Float64Array.from(ref.x), Float64Array.from(ref.z1)], Float64Array.from(ref.y), fixedDraws(ref.z, ref.chisq));
  ref.coef.forEach((c: number, j: number) => expectClose(draw.coef[j], c));
  expectClose(draw.sigma, ref.sigma);
  ref.beta.forEach((b: number, j: number) => expectClose(draw.beta[j], b));
});

test('normDraw gives an aliased column 0 in β̂ and β* (mice rank.adjust)', () => {
  const one = new Float64Array(ref.y.length).fill(1);
  const x = Float64Array.from(ref.x);
  const twice = x.map((v) => 2 * v);
  const draw = normDraw([one, x, twice], Float64Array.from(ref.y), fixedDraws([0.3, -0.2], 40));
  expect(draw.coef[2]).toBe(0);
  expect(draw.beta[2]).toBe(0);
});

test('cholesky: L·Lᵀ = A (worked by hand: A = [[4, 2], [2, 3]] → L = [[2, 0], [1, √2]])', () => {
  const l = cholesky(Float64Array.from([4, 2, 2, 3]), 2);
  expectClose(l[0], 2);
  expect(l[1]).toBe(0);
  expectClose(l[2], 1);
  expectClose(l[3], Math.SQRT2);
  expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
});

test('pmmMatch with one donor is nearest-neighbour matching (mice matchindex example: 1 1 3 3 2 3 2)', () => {
  const d = Float64Array.from([-5, 5, 0, 10, 12]);
  const y = Float64Array.from([1, 2, 3, 4, 5]); // y = the donor's 1-based index
  const t = Float64Array.from([-6, -4, 0, 2, 4, -2, 6]);
  expect(Array.from(pmmMatch(d, y, t, createRandom(7), 1))).toEqual([1, 1, 3, 3, 2, 3, 2]);
});

test('pmmMatch with 5 donors draws each of the 5 nearest with probability 1/5 and never another', () => {
  // Donors at 0 … 9; a target at 4.4 has nearest 4, 5, 3, 6, 2 (distances .4, .6, 1.4, 1.6, 2.4).
  const d = Float64Array.from({ length: 10 }, (_, i) => i);
  const target = new Float64Array(20000).fill(4.4);
  const got = pmmMatch(d, d, target, createRandom(11), 5);
  const counts = new Map<number, number>();
  for (const v of got) counts.set(v, (counts.get(v) ?? 0) + 1);
  expect([...counts.keys()].sort()).toEqual([2, 3, 4, 5, 6]);
  // Binomial(20000, .2): SD = √(20000·.2·.8) ≈ 56.6; 4 SD = 226.
  for (const c of counts.values()) expect(Math.abs(c - 4000)).toBeLessThan(227);
});

test('pmmImpute only returns observed values and is the same for the same seed', () => {
  const one = new Float64Array(ref.y.length).fill(1);
  const x = Float64Array.from(ref.x);
  const y = Float64Array.from(ref.y);
  const a = pmmImpute([one.subarray(0, 40), x.subarray(0, 40)], y.subarray(0, 40), [one.subarray(40), x.subarray(40)], createRandom(3));
  const b = pmmImpute([one.subarray(0, 40), x.subarray(0, 40)], y.subarray(0, 40), [one.subarray(40), x.subarray(40)], createRandom(3));
  expect(Array.from(a)).toEqual(Array.from(b));
  const observed = new Set(y.subarray(0, 40));
  for (const v of a) expect(observed.has(v)).toBe(true);
});
