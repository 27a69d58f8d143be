/**
 * The CFA core against lavaan 0.6 (test/reference/cfa.R → cfa.json): χ², fit indices and ω to 1e-6, loadings and
 * their standard errors to 1e-5, the invariance models and nested tests to 1e-6.
 */
import * as fs from 'fs';
import * as path from 'path';
import Papa from 'papaparse';
import { fitCfa, omega, standardizedLoading, improperSolution, type CfaStructure, type GroupMoments, type InvarianceLevel } from '../../src/stats/cfa';
import { fitMeasures, nestedTest } from '../../src/stats/cfa-fit';
import { noncentralChisqCdf } from '../../src/stats/distributions';
import { readProjectReference } from '../helpers/reference';

const ref = readProjectReference('cfa.json');
const here = path.join(__dirname, '..', 'reference');

function rowsOf(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
}

/** n-divisor moments of the rows complete on `items` (and `by`), per level of `by` in sorted order. */
function moments(rows: Record<string, string>[], items: string[], by: string | null, transform: (item: string, v: number) => number = (_, v) => v): GroupMoments[] {
  const complete = rows.filter((r) => items.every((i) => r[i] !== '' && r[i] !== 'NA') && (by === null || (r[by] !== '' && r[by] !== 'NA')));
  const levels = by === null ? [''] : [...new Set(complete.map((r) => r[by]))].sort();
  return levels.map((level) => {
    const data = complete.filter((r) => by === null || r[by] === level).map((r) => items.map((i) => transform(i, Number(r[i]))));
    const p = items.length;
    const n = data.length;
    const mean = new Float64Array(p);
    for (const x of data) for (let j = 0; j < p; j++) mean[j] += x[j] / n;
    const cov = new Float64Array(p * p);
    for (const x of data) for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) cov[j * p + k] += ((x[j] - mean[j]) * (x[k] - mean[k])) / n;
    return { n, mean, cov };
  });
}

function structureOf(factors: string[][]): { structure: CfaStructure; items: string[] } {
  const items = factors.flat();
  let next = 0;
  return { items, structure: { items: items.length, factors: factors.map((f) => f.map(() => next++)) } };
}

function checkSingle(expected: any, factors: Record<string, string[]>, samples: GroupMoments[]): void {
  const names = Object.keys(factors);
  const { structure, items } = structureOf(Object.values(factors));
  const fit = fitCfa(structure, samples);
  expect(fit.converged).toBe(true);
  expect(fit.n).toBe(expected.n);
  const measures = fitMeasures(fit, samples);
  expect(measures.chisq).toBeCloseTo(expected.fit.chisq, 6);
  expect(measures.df).toBe(expected.fit.df);
  expect(measures.p!).toBeCloseTo(expected.fit.pvalue, 6);
  expect(measures.cfi).toBeCloseTo(expected.fit.cfi, 6);
  expect(measures.tli).toBeCloseTo(expected.fit.tli, 6);
  expect(measures.rmsea).toBeCloseTo(expected.fit.rmsea, 6);
  expect(measures.rmseaCi[0]).toBeCloseTo(expected.fit['rmsea.ci.lower'], 6);
  expect(measures.rmseaCi[1]).toBeCloseTo(expected.fit['rmsea.ci.upper'], 6);
  expect(measures.srmr!).toBeCloseTo(expected.fit.srmr, 6);
  const m = names.length;
  const est = fit.groups[0];
  for (const row of expected.loadings) {
    const f = names.indexOf(row.factor);
    const j = items.indexOf(row.item);
    expect(Math.abs(est.lambda[j * m + f] - row.estimate)).toBeLessThan(1e-5);
    expect(Math.abs(standardizedLoading(est, j, f, items.length, m) - row.std)).toBeLessThan(1e-5);
    const a = fit.locations.findIndex((places) => places[0].kind === 'lambda' && places[0].i === j && places[0].j === f);
    expect(Math.abs((a < 0 ? 0 : fit.se![a]) - row.se)).toBeLessThan(1e-5);
  }
  omega(structure, est).forEach((w, f) => expect(Math.abs(w - expected.omega[f].omega)).toBeLessThan(1e-6));
  for (const { a, b, r } of expected.factor_correlations) {
    const f = names.indexOf(a);
    const h = names.indexOf(b);
    expect(Math.abs(est.psi[f * m + h] / Math.sqrt(est.psi[f * m + f] * est.psi[h * m + h]) - r)).toBeLessThan(1e-5);
  }
}

function checkInvariance(expected: any, factors: Record<string, string[]>, samples: GroupMoments[]): void {
  const { structure } = structureOf(Object.values(factors));
  const fits = (['configural', 'metric', 'scalar'] as InvarianceLevel[]).map((level) => fitCfa(structure, samples, { level, standardErrors: false }));
  fits.forEach((fit, k) => {
    expect(fit.converged).toBe(true);
    const measures = fitMeasures(fit, samples);
    const model = expected.models[k];
    expect(measures.chisq).toBeCloseTo(model.chisq, 6);
    expect(measures.df).toBe(model.df);
    expect(measures.cfi).toBeCloseTo(model.cfi, 6);
    expect(measures.rmsea).toBeCloseTo(model.rmsea, 6);
  });
  for (let k = 1; k < 3; k++) {
    const test = nestedTest(fits[k - 1], fits[k]);
    const want = expected.tests[k - 1];
    expect(test.deltaChisq).toBeCloseTo(want.delta_chisq, 6);
    expect(test.deltaDf).toBe(want.delta_df);
    expect(test.p!).toBeCloseTo(want.p, 6);
  }
}

const wai = { task: ['wai_1', 'wai_2', 'wai_10', 'wai_12'], bond: ['wai_3', 'wai_5', 'wai_7', 'wai_9'], goal: ['wai_4', 'wai_6', 'wai_8', 'wai_11'] };
const known = { f1: ['y1', 'y2', 'y3', 'y4'], f2: ['y5', 'y6', 'y7', 'y8'], f3: ['y9', 'y10', 'y11', 'y12'] };
const coping = { active: ['c1', 'c2', 'c3', 'c4', 'c5'], avoid: ['c6', 'c7', 'c8', 'c9'] };
const example = rowsOf(path.join(__dirname, '..', '..', 'examples', 'canrelax-synthetic.csv'));

describe('CFA equals lavaan', () => {
  test('example: WAI-I, three correlated factors', () => checkSingle(ref.example.wai, wai, moments(example, Object.values(wai).flat(), null)));
  test('example: WAI-I invariance across sex', () => checkInvariance(ref.example.wai.invariance, wai, moments(example, Object.values(wai).flat(), 'sex')));
  test('example: PHQ-ADS at t0', () => {
    const phq = { phq9: Array.from({ length: 9 }, (_, i) => `phq9_${i + 1}_t0`), gad7: Array.from({ length: 7 }, (_, i) => `gad7_${i + 1}_t0`) };
    checkSingle(ref.example.phqads_t0, phq, moments(example, Object.values(phq).flat(), null));
  });
  const invariant = rowsOf(path.join(here, 'cfa', 'invariant.csv'));
  test('known population, invariant (rows complete on the items and the group)', () =>
    checkSingle(ref.invariant, known, moments(invariant.filter((r) => r.group !== ''), Object.values(known).flat(), null)));
  test('known population, invariant: invariance', () => checkInvariance(ref.invariant.invariance, known, moments(invariant, Object.values(known).flat(), 'group')));
  const noscalar = rowsOf(path.join(here, 'cfa', 'noscalar.csv'));
  test('known population, scalar fails', () => {
    checkSingle(ref.noscalar, known, moments(noscalar, Object.values(known).flat(), null));
    checkInvariance(ref.noscalar.invariance, known, moments(noscalar, Object.values(known).flat(), 'group'));
  });
  const user = rowsOf(path.join(here, 'cfa', 'user.csv'));
  const reverse = (item: string, v: number): number => (item === 'c4' ? 8 - v : v);
  test("a user's instrument with a reversed item", () => {
    checkSingle(ref.user, coping, moments(user, Object.values(coping).flat(), null, reverse));
    checkInvariance(ref.user.invariance, coping, moments(user, Object.values(coping).flat(), 'site', reverse));
  });
  test('improper: a factor correlation beyond 1 is said in words', () => {
    const factors = { a: ['x1', 'x2', 'x3'], b: ['x4', 'x5', 'x6'] };
    const samples = moments(rowsOf(path.join(here, 'cfa', 'improper.csv')), Object.values(factors).flat(), null);
    checkSingle(ref.improper, factors, samples);
    const { structure, items } = structureOf(Object.values(factors));
    const fit = fitCfa(structure, samples);
    expect(improperSolution(structure, fit.groups[0], items, ['a', 'b'])).toEqual([`factor correlation at or beyond ±1 (a–b ${ref.improper.factor_correlations[0].r.toFixed(3)})`]);
  });
});

describe('noncentral chi-square', () => {
  // R 4.x: sprintf("%.15g", pchisq(49, 51, ncp = 10)) etc.; pchisq(3, 2) = 1 − e^{−1.5} (df 2 is exponential)
  test('equals R', () => {
    expect(noncentralChisqCdf(49, 51, 10)).toBeCloseTo(0.155074856206075, 13);
    expect(noncentralChisqCdf(300, 120, 150)).toBeCloseTo(0.849459456601698, 12);
    expect(noncentralChisqCdf(5, 3, 0.5)).toBeCloseTo(0.767353856126029, 13);
    expect(noncentralChisqCdf(3, 2, 0)).toBeCloseTo(1 - Math.exp(-1.5), 14);
  });
});
