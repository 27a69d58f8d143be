/**
 * `robustness` (src/analyses/robustness.ts): every specification is the number `correlate` gives for that
 * combination, equals R (lm residuals, cooks.distance; test/reference/robustness.R) on sat_act, and the joint
 * test's p is roughly uniform under the null.
 */
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { robustness, type RobustnessOptions, type Specification } from '../../src/analyses/robustness';
import { covariateSubsets } from '../../src/analyses/specifications';
import { createRandom } from '../../src/stats/random';
import { EXAMPLE, REFERENCE, runJson } from '../helpers/cli';
import { expectClose, readProjectReference } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const ADJUST = ['age', 'sex', 'baseline', 'expectation'];
const X = ['alliance', 'bond', 'task', 'goal'];

const key = (s: { covariates: string[]; method: string; influential: string }) => `${[...s.covariates].sort().join('+')}|${s.method}|${s.influential}`;

function expectSame(actual: Specification, expected: { n: number; k: number; r: number; ci: [number, number]; p: number }): void {
  expect(actual.n).toBe(expected.n);
  expect(actual.k).toBe(expected.k);
  expectClose(actual.r, expected.r);
  expectClose(actual.ci![0], expected.ci[0]);
  expectClose(actual.ci![1], expected.ci[1]);
  expectClose(actual.p, expected.p);
}

describe('every specification equals correlate run alone with it (the example, app arm)', () => {
  let curves: any[];
  beforeAll(async () => {
    curves = (await runJson(['robustness', EXAMPLE, '--where', 'arm=app', '--null-samples', '0'])).curves;
  });

  test('4 curves of 2^4 covariate subsets × 2 methods × 2 influential-row rules, the full Pearson set first', () => {
    expect(curves.map((c) => c.x)).toEqual(['wai_total', 'wai_bond', 'wai_task', 'wai_goal']);
    for (const c of curves) {
      expect(c.specifications).toHaveLength(64);
      expect(new Set(c.specifications.map(key)).size).toBe(64);
      expect(c.primary).toEqual(c.specifications[0]);
      expect(c.primary).toMatchObject({ covariates: ['age', 'sex', 'phqads_total_t0', 'expectation'], method: 'pearson', influential: 'kept', missing: 'listwise' });
    }
  });

  test('influential rows kept: all 16 subsets × Pearson, Spearman, each x', async () => {
    let compared = 0;
    for (const covariates of covariateSubsets(ADJUST)) {
      for (const method of ['pearson', 'spearman']) {
        const args = ['correlate', EXAMPLE, '--where', 'arm=app', '--x', X.join(','), '--method', method];
        const alone = await runJson(covariates.length ? [...args, '--adjust', covariates.join(',')] : args);
        for (const result of alone.results) {
          const curve = curves.find((c) => c.x === result.x);
          const spec = curve.specifications.find((s: Specification) => key(s) === key({ covariates: result.covariates.map((c: string) => (c === 'sexmale' ? 'sex' : c)), method, influential: 'kept' }));
          expectSame(spec, result);
          compared++;
        }
      }
    }
    expect(compared).toBe(128);
  });

  test('influential rows removed: correlate on the rows left (--where id!=…), every subset and method of the first x', async () => {
    const curve = curves[0];
    expect(curve.influential.rows.length).toBeGreaterThan(0);
    // 4/n with n the primary model's rows.
    expect(curve.influential.threshold).toBe(4 / curve.primary.n);
    const where = ['arm=app', ...curve.influential.rows.map((id: string) => `id!=${id}`)].join(',');
    for (const covariates of covariateSubsets(ADJUST)) {
      for (const method of ['pearson', 'spearman']) {
        const args = ['correlate', EXAMPLE, '--where', where, '--x', 'alliance', '--method', method];
        const [result] = (await runJson(covariates.length ? [...args, '--adjust', covariates.join(',')] : args)).results;
        const spec = curve.specifications.find((s: Specification) => s.method === method && s.influential === 'removed' && s.covariates.length === covariates.length && key(s).startsWith(`${[...result.covariates.map((c: string) => (c === 'sexmale' ? 'sex' : c))].sort().join('+')}|`));
        expectSame(spec, result);
      }
    }
  });
});

describe('equals R (lm residuals, cooks.distance) on sat_act: ACT and SATV with SATQ, subsets of age, education, sex', () => {
  const R = readProjectReference<{ curves: Array<{ x: string; threshold: number; influential: string[]; specifications: any[] }> }>('robustness.json');
  let doc: any;
  beforeAll(async () => {
    doc = await runJson(['robustness', SAT, '--x', 'ACT,SATV', '--y', 'SATQ', '--adjust', 'age,education,sex', '--null-samples', '0']);
  });

  test('the influential rows of the primary model are R’s (Cook’s distance > 4/n)', () => {
    for (const expected of R.curves) {
      const curve = doc.curves.find((c: any) => c.x === expected.x);
      expectClose(curve.influential.threshold, expected.threshold);
      expect(curve.influential.rows).toEqual(expected.influential);
    }
  });

  test('all 2 × 32 specifications: n, k, r, CI and p to 1e-10', () => {
    let compared = 0;
    for (const expected of R.curves) {
      const curve = doc.curves.find((c: any) => c.x === expected.x);
      expect(curve.specifications).toHaveLength(expected.specifications.length);
      for (const e of expected.specifications) {
        const spec = curve.specifications.find((s: Specification) => key(s) === key(e));
        expectSame(spec, e);
        compared++;
      }
    }
    expect(compared).toBe(64);
  });
});

/**
 * CSV text of n rows with no effect in any specification: y depends on the covariates, x on nothing (were x
 * confounded by a covariate, the specifications leaving it out would have a real correlation to find).
 */
function nullData(seed: number, n: number): string {
  const rng = createRandom(seed);
  const lines = ['id,x,y,c1,c2'];
  for (let i = 0; i < n; i++) {
    const c1 = rng.normal();
    const c2 = rng.normal();
    const x = rng.normal();
    const y = 0.4 * c1 - 0.3 * c2 + rng.normal();
    lines.push(`r${i},${x},${y},${c1},${c2}`);
  }
  return `${lines.join('\n')}\n`;
}

function options(over: Partial<RobustnessOptions> = {}): RobustnessOptions {
  return {
    x: ['x'],
    y: ['y'],
    dimensions: { covariates: covariateSubsets(['c1', 'c2']), method: ['pearson', 'spearman'], influential: ['kept', 'removed'] },
    nullSamples: 100,
    seed: 1,
    ciLevel: 0.95,
    alpha: 0.05,
    maxSpecs: 1024,
    ref: new Map(),
    categorical: new Set(),
    idColumn: 'id',
    ...over,
  };
}

const open = (text: string) => Dataset.open('-', {}, { stdin: chunksOf(Buffer.from(text)) });

describe('the joint test under the null', () => {
  test('over 60 data sets with no effect, the share with p < .05 is within Monte-Carlo error of 5% (each statistic)', async () => {
    // 60 data sets: the share's SD is sqrt(.05 · .95 / 60) = .028; allow 3 SD, 0 to .134 (the bench runs 200).
    const sets = 60;
    const rejections = { median_r_p: 0, share_significant_p: 0, stouffer_p: 0 };
    for (let s = 0; s < sets; s++) {
      const output = await robustness(await open(nullData(1000 + s, 60)), options({ seed: s + 1 }));
      const joint = output.curves[0].joint;
      for (const name of Object.keys(rejections) as Array<keyof typeof rejections>) if (joint[name]! < 0.05) rejections[name]++;
    }
    for (const count of Object.values(rejections)) expect(count / sets).toBeLessThanOrEqual(0.05 + 3 * Math.sqrt((0.05 * 0.95) / sets));
  });

  test('a real effect is detected: with y = x + noise every joint p is below .05', async () => {
    const rng = createRandom(5);
    const lines = ['id,x,y,c1,c2'];
    for (let i = 0; i < 80; i++) {
      const c1 = rng.normal();
      const x = rng.normal();
      lines.push(`r${i},${x},${0.6 * x + 0.3 * c1 + rng.normal()},${c1},${rng.normal()}`);
    }
    const joint = (await robustness(await open(`${lines.join('\n')}\n`), options())).curves[0].joint;
    expect(joint.median_r_p).toBeLessThan(0.05);
    expect(joint.share_significant_p).toBeLessThan(0.05);
    expect(joint.stouffer_p).toBeLessThan(0.05);
  });

  test('seeded: the same seed gives the same null p-values, another seed other ones', async () => {
    const text = nullData(7, 50);
    const a = (await robustness(await open(text), options({ seed: 3 }))).curves[0].joint;
    const b = (await robustness(await open(text), options({ seed: 3 }))).curves[0].joint;
    const c = (await robustness(await open(text), options({ seed: 4 }))).curves[0].joint;
    expect(b).toEqual(a);
    expect([c.median_r_p, c.share_significant_p, c.stouffer_p]).not.toEqual([a.median_r_p, a.share_significant_p, a.stouffer_p]);
  });
});
