/**
 * Partial correlations against R: the shared sat_act reference (../shared/reference/make_reference.R,
 * lm.fit residual method, R 4.2) and pingouin's ppcor values; extra values from test/reference/stats_extra.R.
 */
import { coMomentsOf, CoMoments } from '../../src/stats/moments';
import { partialCorrelation, semiPartialCorrelation, partialR, PartialWorkspace, ZERO_VARIANCE } from '../../src/stats/partial';
import { correlationTest, ppcorSemiPartialTest } from '../../src/stats/inference';
import { fisherDifference } from '../../src/stats/compare';
import { pAdjust } from '../../src/stats/padjust';
import { averageRanks } from '../../src/stats/rank';
import { completeCases, expectClose, readProjectReference, readReferenceCsv, readReferenceJson, roundTo } from '../helpers/reference';

interface Expected {
  x: string;
  y: string;
  covariates: string[];
  k: number;
  n: number;
  df: number;
  r: number;
  t: number;
  p: number;
  ci: [number, number];
}

const satAct = readReferenceCsv('sat_act.csv');
const expected = readReferenceJson('sat_act.expected.json');
const extra = readProjectReference('stats_extra.json');

/** Partial r and its test, as the README's conventions: listwise deletion over x, y, covariates (and `keep`). */
function analyse(e: Pick<Expected, 'x' | 'y' | 'covariates'>, opts: { spearman?: boolean; keep?: (row: number) => boolean } = {}) {
  let columns = completeCases(satAct, [e.x, e.y, ...e.covariates], opts.keep);
  if (opts.spearman) columns = columns.map((c) => averageRanks(c));
  const m = coMomentsOf(columns);
  const result = partialCorrelation(m, 0, 1, e.covariates.map((_, i) => i + 2));
  return { result, test: result.r === null ? null : correlationTest(result.r, result.n, result.k) };
}

function expectMatches(actual: ReturnType<typeof analyse>, e: Expected): void {
  expect(actual.result.n).toBe(e.n);
  expect(actual.result.k).toBe(e.k);
  expect(actual.result.dropped).toEqual([]);
  expectClose(actual.result.r, e.r);
  expect(actual.test).not.toBeNull();
  const test = actual.test!;
  expect(test.df).toBe(e.df);
  expectClose(test.t, e.t);
  expectClose(test.p, e.p);
  expectClose(test.ci[0], e.ci[0]);
  expectClose(test.ci[1], e.ci[1]);
}

describe('sat_act reference (R lm.fit residual method, 1e-10 relative)', () => {
  const entries: Expected[] = expected.partial;
  // Entries 0–2 and 4 are Pearson; entry 3 is the Spearman version of entry 0 (make_reference.R).
  it.each([0, 1, 2, 4])('partial entry %i (Pearson)', (i) => {
    expectMatches(analyse(entries[i]), entries[i]);
  });

  it('partial entry 3: Spearman, ranks within the complete cases', () => {
    expectMatches(analyse(entries[3], { spearman: true }), entries[3]);
  });

  const gender = satAct.numbers('gender');
  const strata = () => {
    const g1 = analyse(expected.strata.gender1, { keep: (row) => gender[row] === 1 });
    const g2 = analyse(expected.strata.gender2, { keep: (row) => gender[row] === 2 });
    return [g1, g2];
  };

  it('strata gender 1 and 2 (age, education as covariates)', () => {
    const [g1, g2] = strata();
    expectMatches(g1, expected.strata.gender1);
    expectMatches(g2, expected.strata.gender2);
  });

  it('Fisher z difference between the strata', () => {
    const [g1, g2] = strata();
    const diff = fisherDifference(
      { r: g1.result.r!, n: g1.result.n, k: g1.result.k },
      { r: g2.result.r!, n: g2.result.n, k: g2.result.k },
    );
    expectClose(diff.z, expected.strata_diff.z);
    expectClose(diff.p, expected.strata_diff.p);
  });

  it('Holm and BH over the first three partial p-values', () => {
    const ps = entries.slice(0, 3).map((e) => analyse(e).test!.p);
    pAdjust(ps, 'holm').forEach((v, i) => expectClose(v, expected.holm_first3[i]));
    pAdjust(ps, 'bh').forEach((v, i) => expectClose(v, expected.bh_first3[i]));
  });

  it('streaming (Welford) co-moments give the same partial r as held data', () => {
    const columns = completeCases(satAct, ['ACT', 'SATQ', 'age', 'gender', 'education']);
    const m = new CoMoments(5);
    for (let i = 0; i < columns[0].length; i++) m.add(columns.map((c) => c[i]));
    expectClose(partialCorrelation(m, 0, 1, [2, 3, 4]).r, entries[0].r);
  });
});

describe('pingouin_partial.csv (ppcor values quoted by pingouin, at their decimals)', () => {
  const table = readReferenceCsv('pingouin_partial.csv');
  const columns = completeCases(table, ['x', 'y', 'cv1', 'cv2', 'cv3']);
  const m = coMomentsOf(columns);
  const n = columns[0].length;

  it.each([
    // [covariates, ppcor r, ppcor p, R lm.fit residual r from stats_extra.R]
    [[2], 0.5681692, 0.001303059, extra.partial.cv1.r],
    [[2, 3], 0.5344372, 0.003392904, extra.partial.cv12.r],
    [[2, 3, 4], 0.4926007, 0.009044164, extra.partial.cv123.r],
  ])('partial r given columns %j', (z, r, p, rFull) => {
    const result = partialCorrelation(m, 0, 1, z as number[]);
    expect(result.n).toBe(30);
    expect(result.k).toBe((z as number[]).length);
    expect(roundTo(result.r!, 7)).toBe(r);
    expectClose(result.r, rFull as number);
    expect(roundTo(correlationTest(result.r!, n, result.k).p, 9)).toBe(p);
  });

  it('Spearman given cv1–cv3: 0.5209208, p 0.005336187', () => {
    const ranked = coMomentsOf(columns.map((c) => averageRanks(c)));
    const result = partialCorrelation(ranked, 0, 1, [2, 3, 4]);
    expect(roundTo(result.r!, 7)).toBe(0.5209208);
    expectClose(result.r, extra.partial.spearman_cv123.r);
    expect(roundTo(correlationTest(result.r!, n, 3).p, 9)).toBe(0.005336187);
  });

  it('semi-partial, cv1–cv3 removed from y only: 0.4212351, ppcor p 0.02865483', () => {
    const result = semiPartialCorrelation(m, 0, 1, [2, 3, 4], 'y');
    expect(roundTo(result.r!, 7)).toBe(0.4212351);
    expectClose(result.r, extra.semi.y_only); // R: cor(x, resid(lm(y ~ cv)))
    expectClose(result.r, extra.semi.ppcor_12); // ppcor's spcor formula, re-implemented in stats_extra.R
    const test = ppcorSemiPartialTest(result.r!, n, result.k);
    expect(test.df).toBe(25);
    expect(roundTo(test.p, 8)).toBe(0.02865483);
    expectClose(test.t, extra.semi.y_only_test.t);
    expectClose(test.p, extra.semi.y_only_test.p);
  });

  it('semi-partial, cv1–cv3 removed from x only: 0.4631883, ppcor p 0.01496857', () => {
    const result = semiPartialCorrelation(m, 0, 1, [2, 3, 4], 'x');
    expect(roundTo(result.r!, 7)).toBe(0.4631883);
    expectClose(result.r, extra.semi.x_only);
    expectClose(result.r, extra.semi.ppcor_21);
    const test = ppcorSemiPartialTest(result.r!, n, result.k);
    expect(roundTo(test.p, 8)).toBe(0.01496857);
    expectClose(test.p, extra.semi.x_only_test.p);
  });

  it('partialR with a workspace gives the same r and allocates its scratch once', () => {
    const ws = new PartialWorkspace();
    expect(partialR(m, 0, 1, [2, 3, 4], 'both', ws)).toBe(partialCorrelation(m, 0, 1, [2, 3, 4]).r);
    const matrix = ws.matrix;
    expect(partialR(m, 0, 1, [2], 'y', ws)).toBe(semiPartialCorrelation(m, 0, 1, [2], 'y').r);
    expect(ws.matrix).toBe(matrix);
    expect(ws.k).toBe(1);
  });
});

describe('degenerate designs', () => {
  const table = readReferenceCsv('pingouin_partial.csv');
  const [x, y, cv1, cv2, cv3] = completeCases(table, ['x', 'y', 'cv1', 'cv2', 'cv3']);
  const twice = cv1.map((v) => 2 * v);
  const sum = cv1.map((v, i) => v + cv2[i]);

  it('aliased covariates are dropped as lm does (2·cv1 and cv1 + cv2), r as without them', () => {
    // stats_extra.R: lm.fit on [1, cv1, 2·cv1, cv2, cv1 + cv2, cv3] marks columns 2 and 4 of Z aliased, rank 1 + 3.
    const m = coMomentsOf([x, y, cv1, twice, cv2, sum, cv3]);
    const result = partialCorrelation(m, 0, 1, [2, 3, 4, 5, 6]);
    expect(result.k).toBe(3);
    expect(result.dropped).toEqual([1, 3]);
    expectClose(result.r, extra.aliased.r);
    expectClose(result.r, partialCorrelation(m, 0, 1, [2, 4, 6]).r!);
  });

  it('the first of two aliased columns is the one kept (column order, as dqrdc2)', () => {
    const m = coMomentsOf([x, y, twice, cv1]);
    const result = partialCorrelation(m, 0, 1, [2, 3]);
    expect(result.dropped).toEqual([1]);
    expect(result.k).toBe(1);
    expectClose(result.r, extra.partial.cv1.r); // adjusting for 2·cv1 is adjusting for cv1
  });

  it('a constant covariate is aliased with the intercept', () => {
    const m = coMomentsOf([x, y, cv1, new Float64Array(30).fill(7)]);
    const result = partialCorrelation(m, 0, 1, [2, 3]);
    expect(result.dropped).toEqual([1]);
    expectClose(result.r, extra.partial.cv1.r);
  });

  it('an all-zero covariate is aliased (measured against 1, as dqrdc2)', () => {
    const m = coMomentsOf([x, y, new Float64Array(30), cv1]);
    const result = partialCorrelation(m, 0, 1, [2, 3]);
    expect(result).toMatchObject({ k: 1, dropped: [0] });
    expectClose(result.r, extra.partial.cv1.r);
  });

  it('a covariate equal to y leaves y nothing: null, zero variance after adjustment', () => {
    const m = coMomentsOf([x, y, cv1, y]);
    const result = partialCorrelation(m, 0, 1, [2, 3]);
    expect(result.r).toBeNull();
    expect(result.reason).toBe(ZERO_VARIANCE);
    expect(result.k).toBe(2);
  });

  it('a covariate that is a linear function of x: null', () => {
    const m = coMomentsOf([x, y, x.map((v) => 3 - 0.5 * v)]);
    expect(partialCorrelation(m, 0, 1, [2])).toMatchObject({ r: null, reason: ZERO_VARIANCE });
  });

  it('constant x: null, zero variance (also zero-order)', () => {
    const m = coMomentsOf([new Float64Array(30).fill(4.2), y, cv1]);
    expect(partialCorrelation(m, 0, 1, [])).toMatchObject({ r: null, reason: ZERO_VARIANCE, k: 0 });
    expect(partialCorrelation(m, 0, 1, [2])).toMatchObject({ r: null, reason: ZERO_VARIANCE });
    expect(semiPartialCorrelation(m, 0, 1, [2], 'y')).toMatchObject({ r: null, reason: ZERO_VARIANCE });
  });

  it('n ≤ k + 3: null with the sizes in the reason', () => {
    const rows = [0, 1, 2, 3, 4, 5];
    const m = coMomentsOf([x, y, cv1, cv2, cv3], rows);
    expect(partialCorrelation(m, 0, 1, [2, 3, 4])).toEqual({
      r: null,
      reason: 'n = 6 is too small for k = 3 covariates (needs n > k + 3)',
      n: 6,
      k: 3,
      dropped: [],
    });
    // n = 7 > 3 + 3 is enough.
    expect(partialCorrelation(coMomentsOf([x, y, cv1, cv2, cv3], [...rows, 6]), 0, 1, [2, 3, 4]).r).not.toBeNull();
    // Zero-order: n = 3 is too small, n = 4 is enough.
    expect(partialCorrelation(coMomentsOf([x, y], [0, 1, 2]), 0, 1, []).reason).toBe('n = 3 is too small for k = 0 covariates (needs n > k + 3)');
    expect(partialCorrelation(coMomentsOf([x, y], [0, 1, 2, 3]), 0, 1, []).r).not.toBeNull();
    expect(partialCorrelation(new CoMoments(2), 0, 1, []).reason).toBe('n = 0 is too small for k = 0 covariates (needs n > k + 3)');
  });

  it('an aliased covariate does not count in k for the n check', () => {
    // 5 rows, cv1 and 2·cv1: k = 1, and 5 > 1 + 3.
    const m = coMomentsOf([x, y, cv1, twice], [0, 1, 2, 3, 4]);
    expect(partialCorrelation(m, 0, 1, [2, 3])).toMatchObject({ k: 1, dropped: [1] });
    expect(partialCorrelation(m, 0, 1, [2, 3]).r).not.toBeNull();
  });

  it('perfectly correlated residuals give exactly ±1, never beyond', () => {
    const m = coMomentsOf([x, x.map((v, i) => 2 * v + 3 * cv1[i]), cv1]);
    const r = partialCorrelation(m, 0, 1, [2]).r!;
    expect(Math.abs(r - 1)).toBeLessThan(1e-12);
    expect(r).toBeLessThanOrEqual(1);
  });

  it('rejects variable indices out of range', () => {
    const m = coMomentsOf([x, y]);
    expect(() => partialCorrelation(m, 0, 2, [])).toThrow(RangeError);
    expect(() => partialCorrelation(m, 0, 1, [5])).toThrow(RangeError);
  });
});
