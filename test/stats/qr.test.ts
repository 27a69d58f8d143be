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

describe("qrDecompose's qty (Qᵀy reflected along with the columns) is qrQty's, bit for bit", () => {
  // The same reflections with the same operations in the same order: equality, not closeness, on full-rank and
  // aliased designs, and with columns of 5 (a block of four and one more) and 9 (two blocks and one) predictors.
  const lcg = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const cases: Array<[string, Float64Array[]]> = [];
  for (const [name, p, alias] of [['5 columns', 5, false], ['9 columns', 9, false], ['9 columns, one aliased', 9, true]] as const) {
    const next = lcg(p + (alias ? 100 : 0));
    const n = 40;
    const columns = [new Float64Array(n).fill(1), ...Array.from({ length: p - 1 }, () => Float64Array.from({ length: n }, () => Math.round(next() * 60) / 7))];
    if (alias) columns[4] = Float64Array.from(columns[1], (v, i) => 2 * v - columns[2][i]);
    cases.push([name, columns]);
  }
  cases.push(['the aliased case of stats_units.R', REF.aliased.columns.map((c) => Float64Array.from(c))]);
  test.each(cases)('%s', (_name, columns) => {
    const y = Float64Array.from(columns[1], (v, i) => v * 0.7 - (columns[2]?.[i] ?? 0) + Math.sin(i));
    const qty = Float64Array.from(y);
    const copy = columns.map((c) => Float64Array.from(c));
    const along = qrDecompose(copy, 1e-7, { qty, inPlace: true });
    const plain = qrDecompose(columns);
    expect(along.qr).toBe(copy); // in place: the given columns became the decomposition
    expect(along.pivot).toEqual(plain.pivot);
    expect(Array.from(along.qraux)).toEqual(Array.from(plain.qraux));
    along.qr.forEach((c, j) => expect(Array.from(c)).toEqual(Array.from(plain.qr[j])));
    expect(Array.from(qty)).toEqual(Array.from(qrQty(plain, y)));
    if (columns === cases[2][1]) expect(plain.rank).toBe(8);
  });
});

/**
 * dqrdc2 as written in R's src/appl/dqrdc2.f, one column at a time (the loop qrDecompose speeds up by reflecting four
 * columns per pass): qrDecompose must equal it bit for bit, since mice-style imputation picks donors by ŷ order and
 * a changed last bit could change a donor.
 */
function dqrdc2Plain(columns: Float64Array[], tol = 1e-7): { qr: Float64Array[]; qraux: Float64Array; pivot: number[]; rank: number } {
  const nrm2 = (x: Float64Array, from: number, to: number): number => {
    let scale = 0;
    let ssq = 1;
    for (let i = from; i < to; i++) {
      if (x[i] === 0) continue;
      const a = Math.abs(x[i]);
      if (scale < a) {
        ssq = 1 + ssq * (scale / a) * (scale / a);
        scale = a;
      } else ssq += (a / scale) * (a / scale);
    }
    return scale * Math.sqrt(ssq);
  };
  const p = columns.length;
  const n = columns[0].length;
  const x = columns.map((c) => Float64Array.from(c));
  const qraux = Float64Array.from(x, (c) => nrm2(c, 0, n));
  const work = Float64Array.from(qraux, (v) => (v === 0 ? 1 : v));
  const pivot = Array.from({ length: p }, (_, j) => j);
  let k = p + 1;
  for (let l = 0; l < Math.min(n, p); l++) {
    while (l + 1 < k && qraux[l] < work[l] * tol) {
      for (const a of [x, pivot, qraux, work] as Array<{ [i: number]: unknown }>) {
        const first = a[l];
        for (let j = l + 1; j < p; j++) a[j - 1] = a[j];
        a[p - 1] = first;
      }
      k--;
    }
    if (l === n - 1) continue;
    const xl = x[l];
    let nrmxl = nrm2(xl, l, n);
    if (nrmxl === 0) continue;
    if (xl[l] !== 0) nrmxl = xl[l] < 0 ? -Math.abs(nrmxl) : Math.abs(nrmxl);
    for (let i = l; i < n; i++) xl[i] /= nrmxl;
    xl[l] = 1 + xl[l];
    for (let j = l + 1; j < p; j++) {
      const xj = x[j];
      let dot = 0;
      for (let i = l; i < n; i++) dot += xl[i] * xj[i];
      const t = -dot / xl[l];
      for (let i = l; i < n; i++) xj[i] += t * xl[i];
      if (qraux[j] !== 0) {
        const r = Math.abs(xj[l]) / qraux[j];
        const tt = Math.max(1 - r * r, 0);
        if (Math.abs(tt) >= 1e-6) qraux[j] *= Math.sqrt(tt);
        else qraux[j] = nrm2(xj, l + 1, n);
      }
    }
    qraux[l] = xl[l];
    xl[l] = -nrmxl;
  }
  return { qr: x, qraux, pivot, rank: Math.min(k - 1, n) };
}

test.each([1, 2, 3, 4, 5, 6, 7, 9, 12])('qrDecompose equals dqrdc2 column by column, bit for bit (%i columns, one aliased from 4)', (p) => {
  let seed = 11 * p;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 30;
  const columns = [new Float64Array(n).fill(1), ...Array.from({ length: p - 1 }, () => Float64Array.from({ length: n }, () => Math.round(next() * 90) / 7 - 6))];
  if (p >= 4) columns[2] = Float64Array.from(columns[1], (v, i) => 3 * v - columns[3][i]);
  const plain = dqrdc2Plain(columns);
  const fast = qrDecompose(columns);
  expect(fast.pivot).toEqual(plain.pivot);
  expect(fast.rank).toBe(p >= 4 ? p - 1 : p);
  expect(fast.rank).toBe(plain.rank);
  expect(Array.from(fast.qraux)).toEqual(Array.from(plain.qraux));
  fast.qr.forEach((c, j) => expect(Array.from(c)).toEqual(Array.from(plain.qr[j])));
});
