/**
 * The univariate imputation steps against mice 3.15: `.norm.draw` with the random draws fixed (pool.R's norm_draw
 * case: estimice on the same data, β* = β̂ + σ*·t(chol(V))·z), and PMM matching against `matchindex`'s documented
 * example (mice help page: d = (−5, 5, 0, 10, 12), t = (−6, −4, 0, 2, 4, −2, 6), k = 1 gives 1 1 3 3 2 3 2).
 */
import { augmentBinary, cholesky, linearPredictor, logisticFit, logregImpute, normDraw, pmmImpute, pmmMatch } from '../../src/stats/impute';
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

test('pmmMatch picks the donors a stable comparator sort of the shuffled donors gives (ties in random order, as matchindex)', () => {
  // The definition the radix sort must reproduce: shuffle the donors (the same draws), sort them stably with
  // (a, b) => ŷ[a] − ŷ[b], then match. Many ties (ŷ on a grid of 0.5), −0 beside +0, and more donors than targets.
  const grid = createRandom(21);
  const yhat = Float64Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? -0 : Math.round(grid.normal() * 6) / 2));
  const y = Float64Array.from({ length: 500 }, (_, i) => i);
  const targets = Float64Array.from({ length: 60 }, () => Math.round(grid.normal() * 12) / 4);
  const byComparator = (yhat: Float64Array, random: Random): number[] => {
    const order = Array.from({ length: yhat.length }, (_, i) => i);
    for (let i = yhat.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const sorted = order.sort((a, b) => yhat[a] - yhat[b]);
    const keys = sorted.map((i) => yhat[i]);
    return Array.from(targets, (target) => {
      let lo = keys.findIndex((k) => k >= target);
      if (lo < 0) lo = keys.length;
      const h = 1 + random.int(5);
      let left = lo - 1;
      let right = lo;
      let pick = -1;
      for (let taken = 0; taken < h; taken++) pick = right >= keys.length || (left >= 0 && target - keys[left] <= keys[right] - target) ? left-- : right++;
      return y[sorted[pick]];
    });
  };
  for (const seed of [1, 2, 3]) expect(Array.from(pmmMatch(yhat, y, targets, createRandom(seed)))).toEqual(byComparator(yhat, createRandom(seed)));
  // Under 128 donors the sort is an insertion sort: the same order.
  const few = yhat.subarray(0, 100);
  for (const seed of [4, 5]) expect(Array.from(pmmMatch(few, y, targets, createRandom(seed)))).toEqual(byComparator(few, createRandom(seed)));
});

test('pmmImpute only returns observed values and is the same for the same seed', () => {
  const one = new Float64Array(ref.y.length).fill(1);
  const x = Float64Array.from(ref.x);
  const y = Float64Array.from(ref.y);
  const obsRows = Int32Array.from({ length: 40 }, (_, i) => i);
  const misRows = Int32Array.from({ length: y.length - 40 }, (_, i) => 40 + i);
  const a = pmmImpute([one, x], y, obsRows, misRows, createRandom(3));
  const b = pmmImpute([one, x], y, obsRows, misRows, createRandom(3));
  expect(Array.from(a)).toEqual(Array.from(b));
  // The same with the columns gathered by the caller (mice's x[ry, ] and x[!ry, ]): normDraw, then matching.
  const random = createRandom(3);
  const xObs = [one.subarray(0, 40), x.subarray(0, 40)];
  const draw = normDraw(xObs, y.subarray(0, 40), random);
  const expected = pmmMatch(linearPredictor(xObs, draw.coef), y.subarray(0, 40), linearPredictor([one.subarray(40), x.subarray(40)], draw.beta), random);
  expect(Array.from(a)).toEqual(Array.from(expected));
  // and the predictors are left as they were (the fit works on a gathered copy).
  expect(Array.from(x)).toEqual(ref.x);
  const observed = new Set(y.subarray(0, 40));
  for (const v of a) expect(observed.has(v)).toBe(true);
});

describe('logistic step against mice 3.15 (test/reference/impute.R → impute.json)', () => {
  const lr = readProjectReference('impute.json');
  const one = (n: number) => new Float64Array(n).fill(1);
  const observed = (v: number[]) => Float64Array.from(v.filter((_, i) => !lr.missing.includes(i + 1)));
  const missingRows = () => [one(2), ...[lr.x1, lr.x2].map((v: number[]) => Float64Array.from(lr.missing, (i: number) => v[i - 1]))];

  test('logisticFit is glm.fit(quasibinomial) with weights: coefficients and cov.unscaled', () => {
    const fit = logisticFit([one(lr.y.length), Float64Array.from(lr.x1), Float64Array.from(lr.x2)], Float64Array.from(lr.y), Float64Array.from(lr.plain.weights));
    lr.plain.coef.forEach((c: number, j: number) => expectClose(fit.coef[j], c));
    lr.plain.cov_unscaled.forEach((c: number, j: number) => expectClose(fit.covUnscaled[j], c));
  });

  test('augmentBinary is mice:::augment (pseudo-rows, y, weights)', () => {
    const x1 = observed(lr.x1);
    const aug = augmentBinary([one(x1.length), x1, observed(lr.x2)], observed(lr.y), missingRows());
    const n = x1.length;
    lr.augmented.x1.forEach((v: number, i: number) => expectClose(aug.columns[1][n + i], v));
    lr.augmented.x2.forEach((v: number, i: number) => expectClose(aug.columns[2][n + i], v));
    expect(Array.from(aug.y.subarray(n))).toEqual(lr.augmented.y);
    lr.augmented.w.forEach((v: number, i: number) => expectClose(aug.weights[n + i], v));
  });

  test('the augmented fit and β* for fixed normal draws equal mice.impute.logreg\'s', () => {
    const x1 = observed(lr.x1);
    const aug = augmentBinary([one(x1.length), x1, observed(lr.x2)], observed(lr.y), missingRows());
    const fit = logisticFit(aug.columns, aug.y, aug.weights);
    // The same IRLS iterations as glm.fit (same start, same stopping rule), so the same iterate to 1e-10.
    lr.coef.forEach((c: number, j: number) => expectClose(fit.coef[j], c));
    lr.cov_unscaled.forEach((c: number, j: number) => expectClose(fit.covUnscaled[j], c));
    const l = cholesky(fit.covUnscaled, 3);
    lr.beta_star.forEach((b: number, i: number) => {
      let s = fit.coef[i];
      for (let j = 0; j <= i; j++) s += l[i * 3 + j] * lr.z[j];
      expectClose(s, b);
    });
  });

  test('logregImpute returns 0/1 and is the same for the same seed', () => {
    const x1 = observed(lr.x1);
    const xObs = [one(x1.length), x1, observed(lr.x2)];
    const xMis = missingRows();
    const a = logregImpute(xObs, observed(lr.y), xMis, createRandom(5));
    expect(Array.from(a)).toEqual(Array.from(logregImpute(xObs, observed(lr.y), xMis, createRandom(5))));
    for (const v of a) expect([0, 1]).toContain(v);
  });
});

test('logisticFit on perfectly separated data (x < 0 ⇔ y = 0) bounds μ as binomial()$linkinv and ends where glm.fit does (test/reference/impute-separation.R)', () => {
  const s = readProjectReference('impute-separation.json');
  const n = s.x.length;
  const fit = logisticFit([new Float64Array(n).fill(1), Float64Array.from(s.x)], Float64Array.from(s.y), new Float64Array(n).fill(1));
  // 25 IRLS iterations without convergence, as R's (iter 25, converged FALSE): large but finite coefficients.
  s.coef.forEach((c: number, j: number) => expectClose(fit.coef[j], c));
  // cov.unscaled ~1e10 is (XᵀWX)⁻¹ with weights near ε: ill-conditioned, so equal to R's to 1e-8 only.
  s.cov_unscaled.forEach((c: number, j: number) => expectClose(fit.covUnscaled[j], c, 1e-8));
  // and so a draw can be made from it.
  expect(() => cholesky(fit.covUnscaled, 2)).not.toThrow();
});

