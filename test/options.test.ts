/**
 * Options declared once (issue 19): each analysis, the reader and the imputation floor declare their options
 * (src/options.ts); the command line's flags, defaults and choices and the report's plan keys, their checks,
 * defaults and names in messages all come from those declarations, and a bad value reads the same from either
 * front end, each naming the option its own way.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { COMMAND_NAMES, loadCommand } from '../src/cli/main';
import { declared, givenOptions, valuesFromGiven, type OptionSpec } from '../src/cli/command';
import { REPORT_DATA_OPTIONS } from '../src/cli/common';
import { flagName } from '../src/cli/flag-name';
import { UsageError } from '../src/errors';
import { DEFAULT_SEED, planKeyOf, type OptionDeclaration, type OptionDeclarations } from '../src/options';
import { CORRELATE_OPTIONS } from '../src/analyses/correlate';
import { MODEL_OPTIONS } from '../src/analyses/model';
import { MEDIATE_OPTIONS } from '../src/analyses/mediate';
import { DESCRIBE_OPTIONS } from '../src/analyses/describe';
import { MEASURE_OPTIONS } from '../src/analyses/measure';
import { POWER_OPTIONS } from '../src/analyses/power';
import { ROBUSTNESS_OPTIONS } from '../src/analyses/specifications';
import { READING_OPTIONS } from '../src/data/reading-options';
import { SIMULATE_OPTIONS } from '../src/data/simulate-options';
import { CANRELAX } from '../src/data/canrelax';
import { MISSING_OPTIONS } from '../src/frame/missing-options';
import { ID } from '../src/analyses/options';
import { checkPlan, completePlan, DEFAULT_MISSING, KEYS, PLAN_KEYS, planKeyListing, planKeyName, REPORT_OPTIONS } from '../src/report/plan';
import { EXAMPLE, expectOneLineError, runCli } from './helpers/cli';

/** The analysis whose declarations each command's own options are, and the options only the command line has. */
const DECLARED: Record<string, { options: OptionDeclarations | null; frontEnd: string[] }> = {
  score: { options: null, frontEnd: [] },
  validate: { options: null, frontEnd: [] },
  simulate: { options: SIMULATE_OPTIONS, frontEnd: ['out'] },
  correlate: { options: CORRELATE_OPTIONS, frontEnd: ['format', 'out'] },
  model: { options: MODEL_OPTIONS, frontEnd: ['format', 'out'] },
  mediate: { options: MEDIATE_OPTIONS, frontEnd: ['format', 'out'] },
  measure: { options: MEASURE_OPTIONS, frontEnd: ['format', 'out'] },
  describe: { options: DESCRIBE_OPTIONS, frontEnd: ['format', 'out'] },
  power: { options: POWER_OPTIONS, frontEnd: ['format', 'out'] },
  robustness: { options: ROBUSTNESS_OPTIONS, frontEnd: ['figure', 'format', 'out'] },
  report: { options: null, frontEnd: [] },
  init: { options: null, frontEnd: [] },
};
const GROUPS: Record<string, OptionDeclarations> = { data: READING_OPTIONS, missing: MISSING_OPTIONS };

/** The flag, default and choices a declaration gives (what `declared` must give commander). */
function expectDeclared(spec: OptionSpec<unknown>, declaration: OptionDeclaration<unknown>): void {
  const long = flagName(declaration.key);
  expect(spec.flags).toBe(declaration.kind === 'flag' ? long : `${long} <${declaration.placeholder}>`);
  expect(spec.fallback).toEqual(declaration.kind === 'flag' ? undefined : declaration.default);
  expect(spec.choices).toEqual(declaration.choices);
  expect(Boolean(spec.hidden)).toBe(Boolean(declaration.hidden));
}

describe('every command takes its options from its analysis’s declarations', () => {
  test.each(COMMAND_NAMES)('%s', async (name) => {
    const spec = await loadCommand(name);
    const own = DECLARED[name];
    expect(own).toBeDefined();
    if (own.options !== null) {
      // Every declared option is a flag of the command, and the command has no other but its front-end ones.
      expect(Object.keys(spec.options).sort()).toEqual([...Object.keys(own.options), ...own.frontEnd].sort());
      for (const [key, declaration] of Object.entries(own.options)) expectDeclared(spec.options[key], declaration);
    }
    // Options other commands take as the analyses and the reader declare them.
    if (name === 'init') for (const key of ['delimiter', 'sheet'] as const) expectDeclared(spec.options[key], READING_OPTIONS[key]);
    if (name === 'validate') expectDeclared(spec.options.id, ID);
    // The report's own options that are plan keys too.
    if (name === 'report') for (const key of ['published', 'figureTitles'] as const) expectDeclared(spec.options[key], REPORT_OPTIONS[key]);
    for (const [group, options] of Object.entries(spec.groups ?? {})) {
      const declarations = GROUPS[group];
      if (declarations === undefined) continue;
      for (const [key, declaration] of Object.entries(declarations)) expectDeclared(options.options[key], declaration);
    }
  });

  test('numeric flags arrive parsed: the seed a number with DEFAULT_SEED its default, --imputations 20', () => {
    expect(MISSING_OPTIONS.seed.default).toBe(DEFAULT_SEED);
    expect(declared(MISSING_OPTIONS.imputations).parse!('1e2', 20)).toBe(100);
    expect(declared(CORRELATE_OPTIONS.ci).parse!('.9', 0.95)).toBe(0.9);
    expect(declared(CORRELATE_OPTIONS.adjust).parse!(' age, ,sex ', undefined)).toEqual(['age', 'sex']);
    expect(declared(CORRELATE_OPTIONS.ref).parse!('arm=app', ['sex=male'])).toEqual(['sex=male', 'arm=app']);
  });
});

test('a replay reads the reading options its provenance recorded by their declarations (numbers as numbers)', () => {
  const values = { ...valuesFromGiven(REPORT_DATA_OPTIONS.options, {}).values, where: 'arm=app', minAnswered: 0.5, chunkSize: 64, ref: ['sex=male'] };
  const given = givenOptions(REPORT_DATA_OPTIONS.options, values);
  // chunk-size is hidden: never recorded.
  expect(given).toEqual({ where: 'arm=app', 'min-answered': '0.5', ref: ['sex=male'] });
  expect(valuesFromGiven(REPORT_DATA_OPTIONS.options, { ...given, 'chunk-size': '64' })).toEqual({ values, unknown: [] });
  expect(() => valuesFromGiven(REPORT_DATA_OPTIONS.options, { 'min-answered': '2' })).toThrow(UsageError);
});

describe('the report plan comes from the same declarations', () => {
  test('keys, defaults and the names of options in messages', () => {
    expect(KEYS).toEqual(['$schema', 'plan_version', 'title', 'where', 'compute', 'x', 'y', 'covariates', 'stratifier', 'expectation', 'published', 'steps', 'bootstrap', 'ci', 'p_adjust', 'bayes', 'missing', 'figure_titles', 'scores', 'labels', 'levels', 'reference']);
    expect(DEFAULT_MISSING).toEqual({ method: 'listwise', imputations: 20, iterations: 10, seed: 2026, auxiliary: [], impute_by: 'auto', mnar_delta: [-1, -0.5, 0.5, 1] });
    // Every declared plan key names its option in the report's messages; --seed is the bootstrap's seed.
    for (const key of PLAN_KEYS.filter((k) => k.declaration !== undefined && k.declaration.key !== 'seed')) expect(planKeyName(key.declaration!.key)).toBe(`plan key "${key.path}"`);
    expect(planKeyName('seed')).toBe('plan key "bootstrap.seed"');
    expect(planKeyName('adjust')).toBe('plan key "covariates"');
    expect(planKeyName('na')).toBe('config key "na"');
    expect(planKeyName('categorical')).toBe('config key "categorical"');
    expect(planKeyName('listExcluded')).toBe('"listExcluded"');
    expect(planKeyOf(MISSING_OPTIONS.writeImputations)).toBeUndefined();
  });

  test('schema/plan.schema.json states the declarations’ rules: each declared key, its range or its choices', () => {
    const schema = JSON.parse(readFileSync(path.join(__dirname, '../schema/plan.schema.json'), 'utf8'));
    for (const key of PLAN_KEYS) {
      const [top, sub] = key.path.split('.');
      // An object key that may be null (expectation) is a oneOf of the object and null.
      const object = schema.properties[top]?.oneOf?.[0] ?? schema.properties[top];
      const property = sub === undefined ? schema.properties[top] : object?.properties?.[sub];
      expect([key.path, property === undefined]).toEqual([key.path, false]);
      const d = key.declaration;
      if (d?.kind === 'whole') expect([key.path, property.type, property.minimum, property.maximum]).toEqual([key.path, 'integer', d.range!.min, d.range!.max]);
      if (d?.kind === 'level') expect([property.exclusiveMinimum, property.exclusiveMaximum]).toEqual([0, 1]);
      if (d?.kind === 'choice') expect([key.path, property.enum]).toEqual([key.path, d.choices]);
    }
  });

  test('report --help lists every plan key with its description and the default plan\'s value', async () => {
    const report = await loadCommand('report');
    const listing = planKeyListing().split('\n');
    expect(listing.map((line) => line.slice(2, line.indexOf(':')))).toEqual(PLAN_KEYS.map((k) => k.path));
    expect(listing).toContain('  missing.imputations: imputations (at least 2) (default: 20)');
    expect(listing).toContain('  covariates: the covariates of every analysis (default: age, sex, baseline, expectation)');
    expect(report.notes).toContain(planKeyListing());
  });

  test("the default plan's variables are CanRelax's", () => {
    const { plan } = completePlan({}, { has: () => true, source: 'data.csv', whereFlag: null }, null);
    expect(plan).toMatchObject({ where: CANRELAX.where, x: CANRELAX.x, y: CANRELAX.y, covariates: CANRELAX.covariates, stratifier: CANRELAX.stratifier, expectation: CANRELAX.expectation, ci: 0.95, p_adjust: 'none', bayes: true, bootstrap: { resamples: 2000, seed: 2026 } });
  });

  test('a value from a plan reads as the command line reads it', () => {
    expect(checkPlan({ missing: { imputations: 5, mnar_delta: [-0.5, 1], impute_by: null }, bootstrap: { seed: 7 }, covariates: [' age '] }, 'p.json')).toEqual({
      missing: { imputations: 5, mnar_delta: [-0.5, 1], impute_by: null },
      bootstrap: { seed: 7 },
      covariates: ['age'],
    });
  });
});

describe('a bad value: the same words from the command line and from the plan, each naming the option its own way', () => {
  /** The error thrown by `f`, shown by `name`. */
  const thrown = (f: () => unknown, name: (key: string) => string): string => {
    try {
      f();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as UsageError).shown(name);
    }
    throw new Error('no error');
  };
  const cases: Array<[OptionDeclaration<unknown>, string, unknown, string]> = [
    // declaration, command-line text, plan value, the rule both say
    [MISSING_OPTIONS.imputations, '2.5', 2.5, 'must be a whole number from 2 to 100000'],
    [MISSING_OPTIONS.iterations, '0', 0, 'must be a whole number from 1 to 10000'],
    [MISSING_OPTIONS.seed, '-1', -1, 'must be a whole number from 0 to 4294967295'],
    [CORRELATE_OPTIONS.bootstrap, '1e8', 1e8, 'must be a whole number of resamples from 100 to 10000000'],
    [CORRELATE_OPTIONS.ci, '95', 95, 'must be a confidence level between 0 and 1, e.g. 0.95'],
  ];

  test.each(cases.map((c) => [c[0].key, ...c] as const))('%s', (_key, declaration, text, value, rule) => {
    const plan = planKeyOf(declaration)!;
    const [top, sub] = plan.split('.');
    const raw = sub === undefined ? { [top]: value } : { [top]: { [sub]: value } };
    expect(thrown(() => declared(declaration).parse!(text, undefined), flagName)).toBe(`${flagName(declaration.key)} ${rule}, got "${text}"`);
    expect(thrown(() => checkPlan(raw, 'p.json'), planKeyName)).toBe(`plan key "${plan}" ${rule}, got ${JSON.stringify(value)}, p.json; fix the plan (see docs/report.md)`);
  });

  test('--imputations 1 and "missing.imputations": 1 say why in the same words', () => {
    const why = "1: Rubin's rules need at least 2 imputations (a between-imputation variance), give 2 or more";
    expect(thrown(() => declared(MISSING_OPTIONS.imputations).parse!('1', 20), flagName)).toBe(`--imputations ${why}`);
    expect(thrown(() => checkPlan({ missing: { imputations: 1 } }, 'p.json'), planKeyName)).toBe(`plan key "missing.imputations" ${why}, p.json; fix the plan (see docs/report.md)`);
  });

  test('through the front ends: exit 2 and one line each', async () => {
    const rule = 'must be a whole number from 2 to 100000';
    expectOneLineError(await runCli(['correlate', EXAMPLE, '--missing', 'mi', '--imputations', 'x']), 2, new RegExp(`^canrelax-analyze: --imputations ${rule}, got "x"$`));
    const dir = mkdtempSync(path.join(tmpdir(), 'options-'));
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ missing: { imputations: 'x' } }));
    expectOneLineError(await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', path.join(dir, 'out')]), 2, new RegExp(`^canrelax-analyze: plan key "missing\\.imputations" ${rule}, got "x", .*plan\\.json; fix the plan`));
  });
});
