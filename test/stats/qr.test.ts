/**
 * qrDecompose and the dqrsl operations against R's qr(x, tol = 1e-7) (LINPACK dqrdc2) and lm, on the small
 * matrices of test/reference/stats_units.R: a full-rank one, and one whose third column is aliased
 * (x3 = 2·x1 − 1), which dqrdc2's limited pivoting moves to the end and lm reports as NA with rank 3.
 */
import { qrCoef, qrDecompose, qrHat, qrQty, qrResiduals, qrUnscaledCovariance } from '../../src/stats/qr';
import { expectClose, readProjectReference } from '../helpers/reference';

interface QrCase {
  columns: number[][];
  y: number[];
  rank: number;
  pivot: number[];
  qraux: number[];
  qr: number[][];
  coef: (number | null)[];
  qty: number[];
  residuals: number[];
  hat: number[];
  cov_unscaled: number[];
}
const REF = readProjectReference<{ qr: { full: QrCase; aliased: QrCase; lm_aliased: { coef: (number | null)[]; rank: number } } }>('stats_units.json').qr;

const expectAllClose = (actual: ArrayLike<number>, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expectClose(actual[i], e, 1e-10, 1e-12));
};

describe.each([['full rank', REF.full], ['an aliased column', REF.aliased]] as const)('qr with %s', (_name, ref) => {
  const qr = qrDecompose(ref.columns.map((c) => Float64Array.from(c)));
  const y = Float64Array.from(ref.y);

  test('rank, pivot, and the decomposition itself (qr, qraux) as R stores them', () => {
    expect(qr.rank).toBe(ref.rank);
    expect(qr.pivot).toEqual(ref.pivot);
    // The kept columns: R₁₁ in the upper triangle and the Householder vectors below it; R leaves the aliased
    // columns' qraux at 0 and their lower part unreduced, which no result reads.
    for (let j = 0; j < ref.rank; j++) {
      expectAllClose(qr.qr[j], ref.qr[j]);
      expectClose(qr.qraux[j], ref.qraux[j]);
    }
  });

  test("Q'y, coefficients (null where R has NA), residuals, hat values, unscaled covariance", () => {
    expectAllClose(qrQty(qr, y), ref.qty);
    const coef = qrCoef(qr, y);
    expect(coef.map((c) => c === null)).toEqual(ref.coef.map((c) => c === null));
    ref.coef.forEach((c, i) => c !== null && expectClose(coef[i], c));
    expectAllClose(qrResiduals(qr, y), ref.residuals);
    expectAllClose(qrHat(qr), ref.hat);
    expectAllClose(qrUnscaledCovariance(qr), ref.cov_unscaled);
  });
});

test("the aliased column is the one lm drops: moved last, rank as lm's, the others' coefficients lm's", () => {
  const qr = qrDecompose(REF.aliased.columns.map((c) => Float64Array.from(c)));
  expect(qr.pivot).toEqual([0, 1, 3, 2]);
  expect(qr.rank).toBe(REF.lm_aliased.rank);
  const coef = qrCoef(qr, Float64Array.from(REF.aliased.y));
  expect(coef[2]).toBeNull();
  REF.lm_aliased.coef.forEach((c, i) => c !== null && expectClose(coef[i], c));
});

test('the tolerance decides aliasing: a column off the span by 1e-9 of its norm is aliased at 1e-7, kept at 1e-12', () => {
  // x3 = x1 + 1e-9·e₁ (relative change ≈ 1e-10 of its norm): below tol × norm for tol = 1e-7, above it for 1e-12.
  const one = new Float64Array(6).fill(1);
  const x1 = Float64Array.from([1, 2, 3, 4, 5, 7]);
  const x3 = Float64Array.from(x1, (v, i) => v + (i === 0 ? 1e-9 : 0));
  expect(qrDecompose([one, x1, x3]).rank).toBe(2);
  expect(qrDecompose([one, x1, x3], 1e-12).rank).toBe(3);
});
