/**
 * The report's steps are registered once (src/report/steps/index.ts). What users read about them — the plan
 * schema's list of steps, report.json's schema, docs/report.md — must name the same steps, so a new step cannot
 * be added without them; and the plan's defaults leave out, or refuse, a step its plan cannot run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STEPS } from '../../src/report/steps';
import { completePlan } from '../../src/report/plan';
import { UsageError } from '../../src/errors';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const ids = STEPS.map((s) => s.id);

test('the registry lists the twelve steps once each, in the default order', () => {
  expect(ids).toEqual(['sample', 'published', 'reliability', 'correlations', 'stratified', 'measurement', 'moderation', 'expectation', 'mediation', 'sensitivity', 'missing', 'robustness']);
  expect(STEPS.map((s) => s.title)).toEqual([
    'Sample and descriptives',
    'Published and reanalysed',
    'Scoring and reliability',
    'Alliance and week-10 distress: partial correlations',
    'Partial correlations by stratum',
    'Measurement: factor structure, reliability and invariance',
    'Moderation model',
    'Treatment expectation and alliance',
    'Mediation: expectation, alliance and distress',
    'Sensitivity analyses',
    'Missing data: multiple imputation and MNAR sensitivity',
    'Specification curve',
  ]);
});

test('schema/plan.schema.json lists the registered steps, in order', () => {
  const schema = JSON.parse(read('schema/plan.schema.json'));
  expect(schema.properties.steps.items.enum).toEqual(ids);
});

test('schema/report.schema.json has an entry for every registered step, and for no other', () => {
  const schema = JSON.parse(read('schema/report.schema.json'));
  const described = schema.properties.steps.items.oneOf.flatMap((entry: { properties: { id: { const?: string; enum?: string[] } } }) =>
    entry.properties.id.const !== undefined ? [entry.properties.id.const] : entry.properties.id.enum!,
  );
  expect([...described].sort()).toEqual([...ids].sort());
});

test('docs/report.md has a section for every registered step, and for no other', () => {
  const sections = [...read('docs/report.md').matchAll(/^### `([a-z-]+)`$/gm)].map((m) => m[1]);
  expect(sections).toEqual(ids);
});

describe('steps a plan cannot run', () => {
  const everything = { has: () => true, source: 'data.csv', whereFlag: null };
  const noStratifierNoExpectation = { has: (n: string) => !['sex', 'expectation', 'arm'].includes(n), source: 'data.csv', whereFlag: null };

  // robustness is opt-in: a plan runs it when it lists it.
  const defaults = ids.filter((id) => id !== 'robustness');

  test('the default plan runs every step but the opt-in ones when the file has every role and a published file is given', () => {
    const { plan, notes } = completePlan({ published: 'values.json' }, everything, null);
    expect(plan.steps).toEqual(defaults);
    expect(STEPS.filter((s) => s.optIn).map((s) => s.id)).toEqual(['robustness']);
    expect(completePlan({ steps: ['correlations', 'robustness'] }, everything, null).plan.steps).toEqual(['correlations', 'robustness']);
    expect(plan.published).toBe('values.json');
    expect(notes).toEqual([]);
  });

  test('without a published file the published step is left out, without a note (the ordinary case)', () => {
    const { plan, notes } = completePlan({}, everything, null);
    expect(plan.steps).toEqual(defaults.filter((id) => id !== 'published'));
    expect(plan.published).toBeNull();
    expect(notes).toEqual([]);
  });

  test('left out of the default steps, with one note per missing plan key', () => {
    const { plan, notes } = completePlan({ covariates: ['age', 'baseline'] }, noStratifierNoExpectation, 'p.json');
    expect(plan.steps).toEqual(['sample', 'reliability', 'correlations', 'sensitivity', 'missing']);
    expect(notes).toEqual([
      'steps stratified, measurement and moderation left out: no stratifier in the plan or the file',
      'steps expectation and mediation left out: no expectation variable in the plan or the file',
    ]);
  });

  test('an error when the plan lists them', () => {
    const fails = (input: object) => {
      try {
        completePlan(input, noStratifierNoExpectation, 'p.json');
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(fails({ covariates: [], steps: ['moderation'] })).toBe(
      'step "moderation" needs a stratifier, plan p.json has none and data.csv has no sex column; set plan key "stratifier" or drop the step',
    );
    expect(fails({ covariates: [], stratifier: null, steps: ['stratified'] })).toBe(
      'step "stratified" needs a stratifier, plan p.json has none; set plan key "stratifier" or drop the step',
    );
    expect(fails({ covariates: [], expectation: null, steps: ['expectation'] })).toBe(
      'step "expectation" needs plan key "expectation" (a variable and its covariates), plan p.json; set it or drop the step',
    );
    expect(fails({ covariates: [], steps: ['sample', 'published'] })).toBe(
      'step "published" needs plan key "published" (a published-values file) or --published, plan p.json; set one or drop the step',
    );
  });
});
