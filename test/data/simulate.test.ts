import { createHash } from 'node:crypto';
import { SIMULATED_COLUMNS, simulateRows } from '../../src/data/simulate';
import { fitCfa, groupMoments } from '../../src/stats/cfa';

const rows = (n: number, seed: number): string[][] => Array.from(simulateRows({ n, seed }));

const WAI = Array.from({ length: 12 }, (_, i) => 5 + i); // column indices of wai_1 … wai_12
const T0 = Array.from({ length: 16 }, (_, i) => 17 + i); // phq9_1_t0 … gad7_7_t0
const W10 = Array.from({ length: 16 }, (_, i) => 33 + i); // phq9_1_w10 … gad7_7_w10
// WAI-SR key (1-based item numbers → column indices).
const TASK = [1, 2, 10, 12].map((i) => 4 + i);
const BOND = [3, 5, 7, 9].map((i) => 4 + i);
const GOAL = [4, 6, 8, 11].map((i) => 4 + i);

describe('simulateRows: format', () => {
  test('header is exactly the default schema', () => {
    const items = (prefix: string, k: number, suffix: string) =>
      Array.from({ length: k }, (_, i) => `${prefix}${i + 1}${suffix}`);
    expect(SIMULATED_COLUMNS).toEqual([
      'id', 'arm', 'sex', 'age', 'expectation',
      ...items('wai_', 12, ''),
      ...items('phq9_', 9, '_t0'), ...items('gad7_', 7, '_t0'),
      ...items('phq9_', 9, '_w10'), ...items('gad7_', 7, '_w10'),
    ]);
    expect(SIMULATED_COLUMNS).toHaveLength(49);
  });

  test('n = 0 yields nothing; bad n or seed throws', () => {
    expect(rows(0, 1)).toEqual([]);
    expect(() => simulateRows({ n: -1, seed: 1 }).next()).toThrow(RangeError);
    expect(() => simulateRows({ n: 1.5, seed: 1 }).next()).toThrow(RangeError);
    expect(() => simulateRows({ n: 10, seed: -3 }).next()).toThrow(RangeError);
    expect(() => simulateRows({ n: 10, seed: 2 ** 32 }).next()).toThrow(RangeError);
  });

  test('every cell is well formed and in range', () => {
    const data = rows(3000, 11);
    const intIn = (lo: number, hi: number) => (c: string) => /^\d+$/.test(c) && +c >= lo && +c <= hi;
    const ok: Array<(c: string) => boolean> = [
      () => true, // id: checked below
      (c) => c === 'app' || c === 'waitlist',
      (c) => c === 'female' || c === 'male',
      intIn(18, 85), // age: never missing
      intIn(1, 10), // expectation: never missing
      ...WAI.map(() => (c: string) => c === '' || intIn(1, 5)(c)),
      ...[...T0, ...W10].map(() => (c: string) => c === '' || intIn(0, 3)(c)),
    ];
    // Collect the offending cells (one expect per cell would make this test slow).
    const bad: string[] = [];
    data.forEach((row, i) => {
      if (row.length !== 49) bad.push(`row ${i + 1}: ${row.length} cells`);
      if (row[0] !== `CR${String(i + 1).padStart(4, '0')}`) bad.push(`row ${i + 1}: id ${row[0]}`);
      row.forEach((c, j) => {
        if (!ok[j](c)) bad.push(`row ${i + 1}, ${SIMULATED_COLUMNS[j]}: '${c}'`);
      });
      if (row[1] === 'waitlist' && WAI.some((c) => row[c] !== '')) bad.push(`row ${i + 1}: waitlist with WAI answers`);
    });
    expect(bad).toEqual([]);
    // App rows do have alliance answers (only ~2 % of cells blank).
    const appRows = data.filter((r) => r[1] === 'app');
    expect(appRows.every((r) => WAI.some((c) => r[c] !== ''))).toBe(true);
  });

  test('ids are zero-padded to the width of n, at least 4', () => {
    expect(rows(3, 1).map((r) => r[0])).toEqual(['CR0001', 'CR0002', 'CR0003']);
    const wide = simulateRows({ n: 123456, seed: 1 }).next().value as string[];
    expect(wide[0]).toBe('CR000001');
  });
});

describe('simulateRows: reproducibility', () => {
  test('same seed gives identical rows; another seed gives different ones', () => {
    const a = rows(500, 2024);
    expect(rows(500, 2024)).toEqual(a);
    const b = rows(500, 2025);
    expect(b.map((r) => r.join(','))).not.toEqual(a.map((r) => r.join(',')));
  });

  test('prefix property: the first rows do not depend on n (apart from the id width)', () => {
    const small = rows(100, 7);
    expect(rows(1000, 7).slice(0, 100)).toEqual(small); // same id width (4)
    const large = rows(20000, 7).slice(0, 100); // id width 5
    expect(large.map((r) => r.slice(1))).toEqual(small.map((r) => r.slice(1)));
    expect(large.map((r) => Number(r[0].slice(2)))).toEqual(small.map((r) => Number(r[0].slice(2))));
  });

  test('golden output: seed 42 is byte-identical on every machine (update only on a deliberate model change)', () => {
    const data = rows(2000, 42);
    expect(data[0].join(',')).toBe(
      'CR0001,app,female,55,8,2,2,5,2,5,4,5,3,5,2,2,2,1,1,3,1,1,0,2,2,0,2,1,2,3,,0,0,3,0,3,1,1,1,2,0,1,2,0,1,2,1,2,1',
    );
    const csv = [SIMULATED_COLUMNS, ...data].map((r) => r.join(',')).join('\n');
    expect(createHash('sha256').update(csv).digest('hex')).toBe(GOLDEN_SHA256);
  });
});

describe('simulateRows: design shares at n = 5000', () => {
  const data = rows(5000, 99);
  const n = data.length;
  // Tolerances below are ≥ 4 binomial SDs, sqrt(p(1 − p)/n), so a correct generator fails < 1 in 10,000 seeds.

  test('arm about 1:1 and about 70 % female', () => {
    const app = data.filter((r) => r[1] === 'app').length / n;
    const female = data.filter((r) => r[2] === 'female').length / n;
    expect(Math.abs(app - 0.5)).toBeLessThan(0.03); // SD 0.0071
    expect(Math.abs(female - 0.7)).toBeLessThan(0.03); // SD 0.0065
  });

  test('about 5 % drop out (all week-10 items blank)', () => {
    const dropped = data.filter((r) => W10.every((c) => r[c] === '')).length / n;
    expect(Math.abs(dropped - 0.05)).toBeLessThan(0.015); // SD 0.0031
  });

  test('about 2 % of the answerable item cells are blank', () => {
    let cells = 0;
    let blank = 0;
    for (const r of data) {
      const answerable = [...(r[1] === 'app' ? WAI : []), ...T0, ...(W10.every((c) => r[c] === '') ? [] : W10)];
      cells += answerable.length;
      for (const c of answerable) if (r[c] === '') blank++;
    }
    // ~190,000 cells: SD sqrt(.02·.98/190000) = 0.0003; the band is 15 SDs wide either side.
    expect(Math.abs(blank / cells - 0.02)).toBeLessThan(0.005);
  });
});

/**
 * Partial correlation of x and y given covariates Z, by OLS residuals:
 *   e_x = x − X·β_x, β_x = (XᵀX)⁻¹Xᵀx, X = [1, Z] (same for y), r_xy·Z = Σ e_x e_y / √(Σ e_x² · Σ e_y²).
 * Self-contained (normal equations on centred columns, Gauss–Jordan), independent of src/stats.
 */
function partialCorrelation(x: number[], y: number[], z: number[][]): number {
  const n = x.length;
  const centre = (v: number[]) => {
    const m = v.reduce((s, a) => s + a, 0) / n;
    return v.map((a) => a - m);
  };
  const Z = z.map(centre); // centring absorbs the intercept
  const residual = (v: number[]): number[] => {
    const c = centre(v);
    const k = Z.length;
    if (k === 0) return c;
    // Normal equations [ZᵀZ | Zᵀv], solved by Gauss–Jordan with partial pivoting.
    const A = Z.map((zi) => [...Z.map((zj) => dot(zi, zj)), dot(zi, c)]);
    for (let col = 0; col < k; col++) {
      let piv = col;
      for (let r = col + 1; r < k; r++) if (Math.abs(A[r][col]) > Math.abs(A[piv][col])) piv = r;
      [A[col], A[piv]] = [A[piv], A[col]];
      for (let r = 0; r < k; r++) {
        if (r === col) continue;
        const f = A[r][col] / A[col][col];
        for (let j = col; j <= k; j++) A[r][j] -= f * A[col][j];
      }
    }
    const beta = A.map((row, i) => row[k] / row[i]);
    return c.map((a, i) => a - Z.reduce((s, zj, j) => s + beta[j] * zj[i], 0));
  };
  const ex = residual(x);
  const ey = residual(y);
  return dot(ex, ey) / Math.sqrt(dot(ex, ex) * dot(ey, ey));
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function mean(v: number[]): number {
  return v.reduce((s, a) => s + a, 0) / v.length;
}

function sd(v: number[]): number {
  const m = mean(v);
  return Math.sqrt(v.reduce((s, a) => s + (a - m) ** 2, 0) / (v.length - 1));
}

/**
 * Mean of the answered items among `cols`, NaN when fewer than `minAnswered` are answered — the built-in
 * scoring rules: WAI-I subscales ≥ 3 of 4 and total ≥ 9 of 12 (mean); PHQ-9 ≥ 7 of 9 and GAD-7 ≥ 6 of 7,
 * each prorated (mean × number of items), PHQ-ADS = PHQ-9 + GAD-7.
 */
function itemMean(row: string[], cols: number[], minAnswered: number): number {
  let s = 0;
  let k = 0;
  for (const c of cols) {
    if (row[c] !== '') {
      s += Number(row[c]);
      k++;
    }
  }
  return k >= minAnswered ? s / k : NaN;
}

const phqads = (row: string[], cols: number[]): number =>
  itemMean(row, cols.slice(0, 9), 7) * 9 + itemMean(row, cols.slice(9), 6) * 7;

describe('simulateRows: population properties (≈ 40,000 analysable app-arm rows)', () => {
  // 84,000 rows → ≈ 42,000 app-arm rows, ≈ 38,900 of them scorable at week 10. For a correlation r from n
  // pairs the sampling SD is ≈ (1 − r²)/√n ≈ 0.005 here (0.006 in the ≈ 28,000 females, 0.009 in the
  // ≈ 12,000 males); means have SD ≈ σ/√n ≈ 0.005 and SDs ≈ 0.004. Calibration at 1,000,000 app rows put
  // every population value within 0.003 of its target, so each tolerance below leaves ≥ 5 sampling SDs.
  const task: number[] = [];
  const bond: number[] = [];
  const goal: number[] = [];
  const total: number[] = [];
  const d0: number[] = [];
  const d1: number[] = [];
  const female: number[] = [];
  const age: number[] = [];
  const expectation: number[] = [];
  const all0: number[] = [];
  const all1: number[] = [];
  const change = { app: [] as number[], waitlist: [] as number[] };
  const complete: Float64Array[] = []; // app rows with all 12 WAI-I answers, for the CFA
  for (const row of simulateRows({ n: 84_000, seed: 31337 })) {
    if (row[1] === 'app' && WAI.every((c) => row[c] !== '')) complete.push(Float64Array.from(WAI, (c) => Number(row[c])));
    const s0 = phqads(row, T0);
    const s1 = phqads(row, W10);
    if (Number.isNaN(s0) || Number.isNaN(s1)) continue; // dropout (5 %) or too few answers (≈ 1 %)
    all0.push(s0);
    all1.push(s1);
    change[row[1] as 'app' | 'waitlist'].push(s1 - s0);
    if (row[1] !== 'app') continue;
    const scores = [itemMean(row, TASK, 3), itemMean(row, BOND, 3), itemMean(row, GOAL, 3), itemMean(row, WAI, 9)];
    if (scores.some(Number.isNaN)) continue; // a subscale with < 3 answers: ≈ 0.7 % of rows
    task.push(scores[0]);
    bond.push(scores[1]);
    goal.push(scores[2]);
    total.push(scores[3]);
    d0.push(s0);
    d1.push(s1);
    female.push(row[2] === 'female' ? 1 : 0);
    age.push(Number(row[3]));
    expectation.push(Number(row[4]));
  }
  const covariates = [d0, female, age, expectation];
  const bySex = (v: number[], want: number) => v.filter((_, i) => female[i] === want);

  test('enough app-arm rows for the tolerances', () => {
    expect(total.length).toBeGreaterThan(37_000); // expected ≈ 38,900, binomial SD ≈ 150
  });

  test.each([
    ['task', task, 2.79, 0.75],
    ['bond', bond, 4.04, 0.95],
    ['goal', goal, 3.46, 0.74],
  ])('%s subscale mean and SD hit the published values', (_name, v, m, s) => {
    expect(Math.abs(mean(v) - m)).toBeLessThan(0.03); // sampling SD ≈ 0.005
    expect(Math.abs(sd(v) - s)).toBeLessThan(0.05); // sampling SD ≈ 0.004
  });

  test('alliance with week-10 distress given baseline, sex, age, expectation: r ≈ −0.18', () => {
    expect(Math.abs(partialCorrelation(total, d1, covariates) + 0.18)).toBeLessThan(0.03); // SD ≈ 0.005
  });

  test('stronger in females (≈ −0.23) than in males (≈ −0.05)', () => {
    const within = (want: number) =>
      partialCorrelation(bySex(total, want), bySex(d1, want), [bySex(d0, want), bySex(age, want), bySex(expectation, want)]);
    const rFemale = within(1);
    const rMale = within(0);
    expect(Math.abs(rFemale + 0.23)).toBeLessThan(0.04); // SD ≈ 0.006
    expect(Math.abs(rMale + 0.05)).toBeLessThan(0.05); // SD ≈ 0.009
    expect(rFemale).toBeLessThan(rMale - 0.1); // difference ≈ 0.175, SD ≈ 0.011
  });

  test('task and goal carry the association, bond does not', () => {
    expect(partialCorrelation(task, d1, covariates)).toBeLessThan(-0.15); // ≈ −0.252, SD ≈ 0.005
    expect(partialCorrelation(goal, d1, covariates)).toBeLessThan(-0.15); // ≈ −0.253
    expect(Math.abs(partialCorrelation(bond, d1, covariates))).toBeLessThan(0.06); // ≈ 0.00, SD ≈ 0.005
  });

  test('expectation relates positively to alliance given age and sex (≈ 0.28)', () => {
    const r = partialCorrelation(expectation, total, [age, female]);
    expect(r).toBeGreaterThan(0.15); // SD ≈ 0.005
    expect(r).toBeLessThan(0.4);
  });

  test('subscales correlate moderately (≈ 0.56–0.70 on the scored scale)', () => {
    for (const [a, b] of [[task, bond], [task, goal], [bond, goal]]) {
      const r = partialCorrelation(a, b, []);
      expect(r).toBeGreaterThan(0.45); // SD ≈ 0.003
      expect(r).toBeLessThan(0.75);
    }
  });

  test('the WAI-I three-factor CFA recovers the factor structure: task–goal ≈ .85, bond with both ≈ .64', () => {
    // Calibration (scripts/calibrate-simulation.ts, 1,000,000 app rows): .849, .637, .644. About 26,000 complete
    // rows here: the SD of a factor correlation ρ is ≈ (1 − ρ²)/√n ≤ 0.006, so 0.03 is ≥ 5 SDs.
    const factors = [TASK, BOND, GOAL].map((items) => items.map((c) => WAI.indexOf(c)));
    const fit = fitCfa({ items: 12, factors }, [groupMoments(complete, 12, Int32Array.from(complete.keys()))], { standardErrors: false });
    expect(fit.converged).toBe(true);
    const psi = fit.groups[0].psi;
    const r = (a: number, b: number) => psi[a * 3 + b] / Math.sqrt(psi[a * 3 + a] * psi[b * 3 + b]);
    expect(complete.length).toBeGreaterThan(24_000);
    expect(Math.abs(r(0, 2) - 0.849)).toBeLessThan(0.03);
    expect(Math.abs(r(0, 1) - 0.637)).toBeLessThan(0.03);
    expect(Math.abs(r(1, 2) - 0.644)).toBeLessThan(0.03);
  });

  test('PHQ-ADS: baseline ≈ 16 ± 9, stable to week 10 (r ≈ .63), more improvement in the app arm', () => {
    expect(Math.abs(mean(all0) - 16)).toBeLessThan(1); // SD of the mean ≈ 0.03
    expect(Math.abs(sd(all0) - 9)).toBeLessThan(0.5);
    const r = partialCorrelation(all0, all1, []);
    expect(r).toBeGreaterThan(0.55); // ≈ 0.63, SD ≈ 0.003
    expect(r).toBeLessThan(0.72);
    const appChange = mean(change.app);
    const waitChange = mean(change.waitlist);
    expect(appChange).toBeLessThan(waitChange - 1.5); // ≈ −3.0 vs −0.8 points; SD of the difference ≈ 0.05
  });
});

const GOLDEN_SHA256 = '1915b51753cb4a6d21cacb889378ab9af5974ea1654ecf1451438f8fc2e40206';
