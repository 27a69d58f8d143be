/**
 * One treatment coding everywhere (src/data/design.ts): `correlate` (streaming and held engines), `model` and the
 * report's added-variable step, given --ref sex=male and --categorical education on sat_act, name the covariate
 * columns as R's model.matrix does and code them the same way. Reference values: test/reference/coding.R (lm,
 * model.matrix and residual correlations on the 687 complete rows).
 */
import { option } from '../../src/errors';
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { Design } from '../../src/data/design';
import { VariableSet } from '../../src/data/variables';
import { chunksOf } from '../../src/io/input';
import { addedVariables } from '../../src/analyses/added-variable';
import { REFERENCE, runJson } from '../helpers/cli';
import { expectClose, readProjectReference } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const R = readProjectReference<{
  n: number;
  terms: string[];
  estimate: number[];
  covariates: string[];
  z_rows: number[][];
  ids: string[];
  partial_r: number;
  spearman_partial_r: number;
}>('coding.json');

const CODING = ['--adjust', 'age,sex,education', '--categorical', 'education', '--ref', 'sex=male'];
const open = () => Dataset.open(SAT, {}, { stdin: chunksOf(Buffer.alloc(0)) });

describe('--ref sex=male, --categorical education: one coding in correlate, model and the added-variable step', () => {
  test('R names the columns sexfemale, education1..5 (reference male and 0)', () => {
    expect(R.covariates).toEqual(['age', 'sexfemale', 'education1', 'education2', 'education3', 'education4', 'education5']);
  });

  test('correlate, streaming engine (Pearson): the same columns, and the partial r of lm residuals', async () => {
    const doc = await runJson(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', ...CODING]);
    expect(doc.results[0].covariates).toEqual(R.covariates);
    expect(doc.results[0].n).toBe(R.n);
    expectClose(doc.results[0].r, R.partial_r);
  });

  test('correlate, held engine (Spearman): the same columns, indicators unranked', async () => {
    const doc = await runJson(['correlate', SAT, '--x', 'ACT', '--y', 'SATQ', '--method', 'spearman', ...CODING]);
    expect(doc.results[0].covariates).toEqual(R.covariates);
    expectClose(doc.results[0].r, R.spearman_partial_r);
  });

  test("model: lm's terms and estimates", async () => {
    const doc = await runJson(['model', SAT, '--y', 'SATQ', '--x', 'ACT', ...CODING]);
    const terms = doc.models[0].terms;
    expect(terms.map((t: { term: string }) => t.term)).toEqual(R.terms);
    terms.forEach((t: { estimate: number }, j: number) => expectClose(t.estimate, R.estimate[j]));
  });

  test("added-variable step: the same columns; slope = lm's ACT coefficient, r = the partial r (Frisch–Waugh–Lovell)", async () => {
    const [av] = await addedVariables(await open(), {
      x: ['ACT'],
      y: 'SATQ',
      covariates: ['age', 'sex', 'education'],
      group: null,
      idColumn: 'id',
      ref: new Map([['sex', 'male']]),
      categorical: new Set(['education']),
    });
    expect(av.covariates).toEqual(R.covariates);
    expect(av.n).toBe(R.n);
    expectClose(av.slope, R.estimate[R.terms.indexOf('ACT')]);
    expectClose(av.r, R.partial_r);
  });

  test("Design: model.matrix's values in the first rows", async () => {
    const dataset = await open();
    const variables = new VariableSet(dataset, new Set(['education']));
    const members = ['age', 'sex', 'education', 'SATQ'].map((name) => variables.add(name, option('adjust')));
    const columns: number[][] = members.map(() => []);
    const ids: string[] = [];
    await dataset.forEach((row) => {
      const values = members.map((v) => variables.read(row, v));
      if (values.some((x) => Number.isNaN(x))) return;
      values.forEach((x, i) => columns[i].push(x));
      ids.push(dataset.row.text(dataset.columns.indexOf('id')));
    });
    const design = new Design(ids.length, { ref: new Map([['sex', 'male']]), stratum: null });
    for (let i = 0; i < 3; i++) design.term(variables.list[members[i]], Float64Array.from(columns[i]));
    expect(design.names).toEqual(R.covariates);
    expect(ids.slice(0, 5)).toEqual(R.ids);
    expect(R.z_rows.map((_, r) => design.columns.map((c) => c[r]))).toEqual(R.z_rows);
  });
});
