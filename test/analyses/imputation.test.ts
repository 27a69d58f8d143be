/**
 * Multiple imputation in distribution: data with a known correlation, the outcome missing at random depending on an
 * auxiliary variable (baseline) that is not in the analysis. Listwise deletion is then biased (selection on baseline
 * shrinks the part of cov(x, y) that baseline carries), while MI with baseline as an auxiliary recovers the truth
 * and its 95% interval covers it about 95% of the time.
 *
 * Model (worked by hand): b, u, v standard normal, corr(u, v) = −0.5, x = 0.6b + 0.8u, y = 0.6b + 0.8v, c an
 * independent covariate; var x = var y = 0.36 + 0.64 = 1, so ρ(x, y | c) = ρ(x, y) = 0.36 + 0.64·(−0.5) = 0.04.
 * P(y missing) = 1/(1 + e^{−(−1.2 + 1.5b)}) (about 30%).
 */
import { completedData, ImputationColumn, ImputationError } from '../../src/frame/imputation';
import { DataError } from '../../src/errors';
import { thrownAsCli } from '../helpers/shown';
import * as impute from '../../src/stats/impute';
import { coMomentsOf } from '../../src/stats/moments';
import { partialCorrelation } from '../../src/stats/partial';
import { poolCorrelation } from '../../src/stats/pool';
import { correlationTest } from '../../src/stats/inference';
import { createRandom } from '../../src/stats/random';

const TRUTH = 0.04;

function simulate(seed: number, n: number): { x: Float64Array; y: Float64Array; c: Float64Array; b: Float64Array } {
  const random = createRandom(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const c = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    b[i] = random.normal();
    const u = random.normal();
    const v = -0.5 * u + Math.sqrt(0.75) * random.normal();
    x[i] = 0.6 * b[i] + 0.8 * u;
    y[i] = 0.6 * b[i] + 0.8 * v;
    c[i] = random.normal();
    if (random.uniform() < 1 / (1 + Math.exp(-(-1.2 + 1.5 * b[i])))) y[i] = NaN;
  }
  return { x, y, c, b };
}

/** Partial r of x with y given c (columns 0, 1, 2) on the rows where all three are present. */
function partial(x: Float64Array, y: Float64Array, c: Float64Array): { r: number; n: number } {
  const rows = Array.from({ length: x.length }, (_, i) => i).filter((i) => !Number.isNaN(y[i]));
  const r = partialCorrelation(coMomentsOf([x, y, c], rows), 0, 1, [2]).r as number;
  return { r, n: rows.length };
}

test('listwise deletion is biased, MI (baseline auxiliary) is not, and its 95% CI covers the truth about 95% of the time', () => {
  const replications = 200;
  const n = 200;
  let sumListwise = 0;
  let sumMi = 0;
  let covered = 0;
  let coveredListwise = 0;
  for (let rep = 0; rep < replications; rep++) {
    const d = simulate(1000 + rep, n);
    const listwise = partial(d.x, d.y, d.c);
    sumListwise += listwise.r;
    if (correlationTest(listwise.r, listwise.n, 1).ci[0] <= TRUTH && TRUTH <= correlationTest(listwise.r, listwise.n, 1).ci[1]) coveredListwise++;
    const columns: ImputationColumn[] = [
      { name: 'x', values: d.x, kind: 'numeric' },
      { name: 'y', values: d.y, kind: 'numeric' },
      { name: 'c', values: d.c, kind: 'numeric' },
      { name: 'b', values: d.b, kind: 'numeric' },
    ];
    const rs: number[] = [];
    for (const completed of completedData(columns, { imputations: 10, iterations: 5, seed: rep })) rs.push(partial(completed[0], completed[1], completed[2]).r);
    const pooled = poolCorrelation(rs, n, 1);
    sumMi += pooled.r;
    if (pooled.ci[0] <= TRUTH && TRUTH <= pooled.ci[1]) covered++;
  }
  const meanListwise = sumListwise / replications;
  const meanMi = sumMi / replications;
  // SD of r at n = 200 is about (1 − ρ²)/√n ≈ 0.07; the mean over 200 replications has SE ≈ 0.005.
  expect(Math.abs(meanMi - TRUTH)).toBeLessThan(0.015); // 3 SE
  expect(meanListwise - TRUTH).toBeLessThan(-0.05); // listwise is pulled well below the truth
  // Coverage: binomial SD at 95% over 200 is 1.5 points; 3 SD either side.
  expect(covered / replications).toBeGreaterThan(0.905);
  expect(covered / replications).toBeLessThan(0.995);
  expect(coveredListwise / replications).toBeLessThan(covered / replications);
});

describe('completed data sets', () => {
  const random = createRandom(9);
  const n = 60;
  const part = (missingEvery: number) =>
    Float64Array.from({ length: n }, (_, i) => (i % missingEvery === 0 ? NaN : 1 + Math.round(random.uniform() * 40) / 10));
  const a = part(7);
  const b = part(5);
  const total = Float64Array.from(a, (v, i) => (Number.isNaN(v) || Number.isNaN(b[i]) ? NaN : (v + b[i]) / 2));
  const sex = Float64Array.from({ length: n }, (_, i) => (i % 11 === 3 ? NaN : i % 2));
  const arm = Int32Array.from({ length: n }, (_, i) => (i < 30 ? 0 : 1));
  const columns: ImputationColumn[] = [
    { name: 'a', values: a, kind: 'numeric' },
    { name: 'b', values: b, kind: 'numeric' },
    { name: 'total', values: total, kind: 'numeric', passive: { parts: [0, 1], weights: [0.5, 0.5] } },
    { name: 'sex', values: sex, kind: 'binary' },
  ];
  const options = { imputations: 3, iterations: 4, seed: 42, groups: { codes: arm, names: ['app', 'waitlist'] } };
  const sets = [...completedData(columns, options)];

  test('observed values are kept, every gap is filled, PMM stays within the observed range', () => {
    for (const set of sets) {
      columns.forEach((c, j) => {
        c.values.forEach((v, i) => {
          if (!Number.isNaN(v)) expect(set[j][i]).toBe(v);
          else expect(Number.isNaN(set[j][i])).toBe(false);
        });
      });
      const observedA = a.filter((v) => !Number.isNaN(v));
      for (const v of set[0]) expect(observedA).toContain(v);
      for (const v of set[3]) expect([0, 1]).toContain(v);
    }
  });

  test('a passive total is the mean of its imputed parts (mice ~I()), its observed values untouched', () => {
    for (const set of sets) {
      total.forEach((v, i) => {
        if (Number.isNaN(v)) expect(set[2][i]).toBeCloseTo((set[0][i] + set[1][i]) / 2, 14);
      });
    }
  });

  test('the same seed gives the same imputations; another seed other ones', () => {
    const again = [...completedData(columns, options)];
    expect(again.map((s) => s.map((c) => Array.from(c)))).toEqual(sets.map((s) => s.map((c) => Array.from(c))));
    const other = [...completedData(columns, { ...options, seed: 43 })];
    expect(other[0][0]).not.toEqual(sets[0][0]);
  });

  test('a variable missing in every row of a group is an error naming the group', () => {
    const blank = Float64Array.from({ length: n }, (_, i) => (i >= 30 ? NaN : i));
    const run = () => [...completedData([...columns, { name: 'wai_total', values: blank, kind: 'numeric' }], options)];
    expect(run).toThrow(ImputationError);
    expect(run).toThrow('wai_total is missing in every row in group waitlist: nothing to impute it from');
  });

  test('a factor of more than two levels with missing values is refused (no polyreg)', () => {
    const f = Float64Array.from({ length: n }, (_, i) => (i === 4 ? NaN : i % 3));
    expect(() => [...completedData([...columns, { name: 'site', values: f, kind: 'factor', levels: 3 }], options)]).toThrow(
      'site is a factor with 3 levels and 1 missing values in group app: only numeric and two-level variables are imputed',
    );
  });
});

describe('a two-level variable its predictor separates (x < 0 ⇔ y = 0)', () => {
  // One missing y: mice does not augment (mice.impute.logreg augments only with more than one missing row), so the
  // logistic fit meets perfect separation, which glm.fit survives by bounding μ (test/stats/impute.test.ts).
  const x = Float64Array.from([-2.1, -1.7, -1.2, -0.9, -0.6, -0.4, -0.2, 0.3, 0.5, 0.8, 1.1, 1.6, 2.0, 2.4]);
  const y = Float64Array.from(x, (v, i) => (i === 5 ? NaN : v > 0 ? 1 : 0));
  const columns: ImputationColumn[] = [
    { name: 'x', values: x, kind: 'numeric' },
    { name: 'responder', values: y, kind: 'binary' },
  ];
  const options = { imputations: 5, iterations: 3, seed: 11 };

  test('is imputed: every draw 0 or 1, the observed values unchanged', () => {
    for (const [cx, cy] of completedData(columns, options)) {
      expect(Array.from(cx)).toEqual(Array.from(x));
      expect([0, 1]).toContain(cy[5]);
      y.forEach((v, i) => i !== 5 && expect(cy[i]).toBe(v));
    }
  });

  test('a fit that cannot be drawn from is a DataError naming the column, in one line', () => {
    const spy = jest.spyOn(impute, 'logregImpute').mockImplementation(() => {
      throw new RangeError('matrix is not positive definite');
    });
    try {
      const run = () => [...completedData(columns, { ...options, groups: { codes: new Int32Array(x.length), names: ['app'] } })];
      expect(run).toThrow(ImputationError);
      expect(run).toThrow(DataError);
      expect(thrownAsCli(run)).toBe(
        'responder cannot be imputed in group app by logistic regression (matrix is not positive definite): a predictor determines it, drop that predictor or analyse with --missing listwise',
      );
    } finally {
      spy.mockRestore();
    }
  });
});

