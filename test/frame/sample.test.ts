/**
 * The model-frame floor (issue 19, "Must show"): every analysis that reads its rows through `readSample` gives the
 * numbers it gave before the floor existed, on the example and on the shared reference cases, to 1e-12.
 *
 * test/frame/before.json holds those numbers, computed by the analyses as they were when it was committed (each with
 * its own reading loop), by `WRITE_FRAME_BEFORE=1 npx jest test/frame/sample.test.ts`. Each case is one in-process
 * analysis on a small file; every number in its output is compared (relative 1e-12, absolute 1e-12 near zero), every
 * text and count exactly. And Pearson's streaming co-moments, the second reader of the same rule, agree with the held
 * engine and with lm residuals over readSample's rows.
 */
import { named } from '../../src/render/named';
import { flagName } from '../../src/cli/flag-name';
import { option } from '../../src/errors';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { model, type ModelOptions } from '../../src/analyses/model';
import { mediate, type MediateOptions } from '../../src/analyses/mediate';
import { correlate, type CorrelateOptions } from '../../src/analyses/correlate';
import { addedVariables } from '../../src/analyses/added-variable';
import { describe as describeData, describeImputed } from '../../src/analyses/describe';
import { robustness } from '../../src/analyses/robustness';
import { covariateSubsets } from '../../src/analyses/specifications';
import type { MissingOptions } from '../../src/frame/missing';
import { VariableSet } from '../../src/data/variables';
import { Design } from '../../src/data/design';
import { fitOls } from '../../src/stats/ols';
import { columnOf, readSample } from '../../src/frame/sample';
import { EXAMPLE, REFERENCE } from '../helpers/cli';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const BEFORE = path.join(__dirname, 'before.json');

const open = (file: string, where?: string) => Dataset.open(file, where ? { where } : {}, { stdin: chunksOf(Buffer.alloc(0)) });

const modelOptions = (over: Partial<ModelOptions>): ModelOptions => ({
  y: 'SATQ', x: ['ACT'], adjust: [], interaction: null, by: null, categorical: new Set(), ref: new Map(), robust: null,
  standardize: false, ciLevel: 0.95, idColumn: 'id', ...over,
});
const mediateOptions = (over: Partial<MediateOptions>): MediateOptions => ({
  x: 'ACT', m: 'SATV', y: 'SATQ', adjust: [], by: null, moderator: null, moderate: null, categorical: new Set(), ref: new Map(),
  resamples: 200, seed: 1, ciLevel: 0.95, ...over,
});
const correlateOptions = (over: Partial<CorrelateOptions>): CorrelateOptions => ({
  x: ['ACT'], y: ['SATQ', 'SATV'], adjust: [], method: 'pearson', by: null, ciLevel: 0.95, alternative: 'two-sided', pAdjust: 'holm',
  semi: null, bootstrap: null, seed: 1, ref: new Map(), categorical: new Set(), listExcluded: true, idColumn: 'id', ...over,
});
const mi = (over: Partial<MissingOptions> = {}): MissingOptions => ({
  missing: 'mi', imputations: 3, iterations: 5, seed: 7, auxiliary: [], imputeBy: undefined, mnarDelta: [], writeImputations: null, ...over,
});
const APP_ADJUST = ['age', 'sex', 'baseline', 'expectation'];

/** Each case: a name and the analysis's output (JSON-safe). */
const CASES: Record<string, () => Promise<unknown>> = {
  'model sat_act: SATQ ~ ACT * sex + age + education, HC3, standardized': async () =>
    model(await open(SAT), modelOptions({ interaction: 'sex', adjust: ['age', 'education'], robust: 'hc3', standardize: true })),
  'model sat_act by gender, education categorical': async () =>
    model(await open(SAT), modelOptions({ x: ['ACT', 'age'], adjust: ['education'], by: 'gender', categorical: new Set(['education']) })),
  'model example app arm: distress ~ alliance * age + covariates': async () =>
    model(await open(EXAMPLE, 'arm=app'), modelOptions({ y: 'distress', x: ['alliance'], interaction: 'age', adjust: ['sex', 'baseline', 'expectation'] })),
  'model example --missing mi': async () =>
    model(await open(EXAMPLE, 'arm=app'), modelOptions({ y: 'distress', x: ['alliance'], adjust: APP_ADJUST, missing: mi() })),
  'mediate sat_act: moderated a by sex, education categorical': async () =>
    mediate(await open(SAT), mediateOptions({ adjust: ['age', 'education'], categorical: new Set(['education']), moderator: 'sex', moderate: 'a' })),
  'mediate sat_act by gender': async () => mediate(await open(SAT), mediateOptions({ adjust: ['age'], by: 'gender' })),
  'mediate example app arm': async () =>
    mediate(await open(EXAMPLE, 'arm=app'), mediateOptions({ x: 'alliance', m: 'expectation', y: 'distress', adjust: ['age', 'sex', 'baseline'] })),
  'correlate sat_act pearson by gender': async () =>
    correlate(await open(SAT), correlateOptions({ adjust: ['age', 'education', 'sex'], by: 'gender' })),
  'correlate sat_act spearman with a bootstrap': async () =>
    correlate(await open(SAT), correlateOptions({ adjust: ['age', 'sex'], method: 'spearman', bootstrap: 100 })),
  'correlate example --missing mi': async () =>
    correlate(await open(EXAMPLE, 'arm=app'), correlateOptions({ x: ['alliance', 'bond'], y: ['distress'], adjust: APP_ADJUST, listExcluded: false, missing: mi() })),
  'added-variable sat_act': async () =>
    addedVariables(await open(SAT), { x: ['ACT', 'age'], y: 'SATQ', covariates: ['education', 'sex'], group: 'sex', idColumn: 'id' }),
  'describe sat_act by sex': async () => describeData(await open(SAT), { vars: ['ACT', 'SATQ', 'education', 'age'], by: 'sex', categorical: new Set(['education']), idColumn: 'id' }),
  'describe example --missing mi by sex': async () => {
    const options = { vars: ['alliance', 'distress', 'baseline', 'age'], by: 'sex', categorical: new Set<string>(), idColumn: 'id' };
    const output = await describeData(await open(EXAMPLE, 'arm=app'), options);
    await describeImputed(await open(EXAMPLE, 'arm=app'), output, options, mi());
    return output;
  },
  'robustness example app arm': async () =>
    robustness(await open(EXAMPLE, 'arm=app'), {
      x: ['alliance'], y: ['distress'], dimensions: { covariates: covariateSubsets(['age', 'sex']), method: ['pearson', 'spearman'], influential: ['kept', 'removed'] },
      nullSamples: 20, seed: 3, ciLevel: 0.95, alpha: 0.05, maxSpecs: 1024, ref: new Map(), categorical: new Set(), idColumn: 'id',
    }),
};

/** Every leaf of `actual` equals `expected`'s: numbers to 1e-12 (relative, absolute near 0), the rest exactly. */
function expectSameNumbers(actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= 1e-12 * scale)) throw new Error(`${at}: ${actual} ≠ ${expected}`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') throw new Error(`${at}: ${JSON.stringify(actual)} is not an object or array`);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual as object)]);
    for (const key of keys) expectSameNumbers((actual as any)[key], (expected as any)[key], `${at}.${key}`);
    return;
  }
  if (actual !== expected) throw new Error(`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

/** As JSON, notes naming options as the CLI names them (render/named.ts). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(named(value, flagName)));

if (process.env.WRITE_FRAME_BEFORE) {
  test('writes test/frame/before.json', async () => {
    const out: Record<string, unknown> = {};
    for (const [name, run] of Object.entries(CASES)) out[name] = plain(await run());
    fs.writeFileSync(BEFORE, `${JSON.stringify(out, null, 1)}\n`);
  }, 120_000);
} else {
  const before = JSON.parse(fs.readFileSync(BEFORE, 'utf8')) as Record<string, unknown>;
  describe('the analyses through readSample give the numbers they gave before', () => {
    test('every case is in before.json', () => expect(Object.keys(before).sort()).toEqual(Object.keys(CASES).sort()));
    for (const [name, run] of Object.entries(CASES)) {
      test(name, async () => expectSameNumbers(plain(await run()), before[name], name));
    }
  });
}

describe("Pearson's streaming co-moments read the same rows as readSample", () => {
  test('sat_act by gender, a factor among the covariates: every r, n, k, p and interval of the streaming engine equals the held engine and the partial r of lm residuals over readSample', async () => {
    const options = correlateOptions({ x: ['ACT', 'age'], y: ['SATQ', 'SATV'], adjust: ['education', 'sex'], categorical: new Set(['education']), by: 'gender', listExcluded: false });
    const streaming = await correlate(await open(SAT), options);
    const held = await correlate(await open(SAT), { ...options, bootstrap: 100 });
    expect(streaming.results).toHaveLength(8);
    streaming.results.forEach((s, i) => {
      const { bootstrap: _bootstrap, ...rest } = held.results[i];
      expectSameNumbers(plain(s), plain(rest), `${s.x}~${s.y}|${s.stratum}`);
    });
    // The same analyses by readSample and lm residuals (Frisch–Waugh–Lovell: the partial r is the correlation of
    // the residuals of x and y on [1, Z]).
    for (const s of streaming.results) {
      const dataset = await open(SAT);
      const variables = new VariableSet(dataset, new Set(['education']));
      const [x, y] = [variables.add(s.x, option('x')), variables.add(s.y, option('y'))];
      const covs = ['education', 'sex'].map((c) => variables.add(c, option('adjust')));
      const by = variables.add('gender', option('by'));
      variables.list[by].categorical = true;
      const members = [x, y, ...covs];
      const { samples } = await readSample(dataset, { variables, members, by, needs: 'x, y or a covariate' });
      const sample = samples.find((c) => c.stratum === s.stratum)!;
      expect(sample.n).toBe(s.n);
      const design = new Design(sample.n, { ref: new Map(), stratum: sample.stratum });
      design.intercept();
      for (const c of covs) design.term(variables.list[c], columnOf(sample, members, c));
      const ex = fitOls(design.columns, design.names, columnOf(sample, members, x)).residuals;
      const ey = fitOls(design.columns, design.names, columnOf(sample, members, y)).residuals;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < sample.n; i++) {
        sxy += ex[i] * ey[i];
        sxx += ex[i] * ex[i];
        syy += ey[i] * ey[i];
      }
      expect(Math.abs(sxy / Math.sqrt(sxx * syy) - s.r!)).toBeLessThan(1e-12);
      expect(sample.excluded.summary()).toEqual(s.excluded);
    }
  });
});
