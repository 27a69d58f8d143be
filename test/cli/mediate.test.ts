/**
 * `mediate` through the CLI's JSON, against R (test/reference/mediate_cli.R → mediate_cli.json) on the shared sat_act
 * data: ACT → SATV → SATQ adjusted for age and education as a factor (--categorical education: education1 …
 * education5), 687 complete rows. Paths a, b, c, c′ equal lm to 1e-10, the indirect effect and the Sobel test their
 * formulas, the moderated models (sex moderating a, b or both) lm's; every bootstrap interval (20,000 resamples)
 * agrees with boot's to Monte-Carlo error; and the bad inputs of issue 13 end with one line and exit 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { REFERENCE, ROOT, expectCloseP, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/mediate_cli.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/mediate.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Doc = any;

const BASE = ['mediate', SAT, '--x', 'ACT', '--m', 'SATV', '--y', 'SATQ', '--adjust', 'age,education', '--categorical', 'education', '--format', 'json'];
const json = (...extra: string[]) => runJson([...BASE, ...extra], { schema: validate });
const R_BOOT = ['--bootstrap', String(ref.resamples), '--seed', '1'];

/** A path's estimate, SE, t, p and CI against lm's. */
function expectPath(mine: Doc, theirs: Doc): void {
  expectClose(mine.estimate, theirs.estimate);
  expectClose(mine.se, theirs.se);
  expectClose(mine.t, theirs.t);
  expectCloseP(mine.p, theirs.p);
  expectClose(mine.ci[0], theirs.ci[0]);
  expectClose(mine.ci[1], theirs.ci[1]);
}

/** Paths, indirect effect and Sobel test against R's simple mediation; c = c′ + a·b on the one sample. */
function expectSimple(entry: Doc, theirs: Doc): void {
  expect(entry.n).toBe(theirs.n);
  expectPath(entry.paths.a, theirs.a);
  expectPath(entry.paths.b, theirs.b);
  expectPath(entry.paths.c, theirs.c);
  expectPath(entry.paths.c_prime, theirs.c_prime);
  expectClose(entry.indirect.estimate, theirs.indirect);
  expectClose(entry.indirect.sobel.se, theirs.sobel.se);
  expectClose(entry.indirect.sobel.z, theirs.sobel.z);
  expectCloseP(entry.indirect.sobel.p, theirs.sobel.p);
  expectClose(entry.paths.c.estimate, entry.paths.c_prime.estimate + entry.indirect.estimate);
}

/**
 * A bootstrapped quantity against boot's. Its estimate is the lm value (1e-10). Each 2.5% / 97.5% endpoint of a
 * 20,000-resample bootstrap has a Monte-Carlo SD of about √(.025·.975/20000)/φ(1.96)·SE_boot ≈ 0.019·SE_boot (the
 * quantile's asymptotic SD under a near-normal bootstrap distribution); two independent runs (different random
 * streams) differ by √2 times that, 0.027·SE_boot. Allowed: 4 SD, 0.11·SE_boot, as test/stats/mediation.test.ts.
 * The bootstrap SE itself has relative Monte-Carlo SD ≈ 1/√(2B) = 0.5%: allowed 3%.
 */
function expectBoot(mine: Doc, theirs: Doc): void {
  expectClose(mine.estimate, theirs.estimate, 1e-9);
  const tolerance = 0.11 * theirs.se;
  expect(Math.abs(mine.se_boot - theirs.se) / theirs.se).toBeLessThan(0.03);
  for (const [interval, want] of [
    [mine.ci_percentile, theirs.percentile],
    [mine.ci_bca, theirs.bca],
  ] as const) {
    expect(Math.abs(interval[0] - want[0])).toBeLessThan(tolerance);
    expect(Math.abs(interval[1] - want[1])).toBeLessThan(tolerance);
  }
}

/** A moderated model's terms against lm's summary, in R's order. */
function expectModel(model: Doc, theirs: Doc): void {
  expect(model.terms.map((t: Doc) => t.term)).toEqual(Object.keys(theirs));
  for (const t of model.terms) expectPath(t, theirs[t.term]);
}

// Each run below bootstraps up to five quantities 20,000 times on 687 rows (a few seconds of CPU): room on a shared machine.
const SLOW = 300_000;

describe('against R lm and boot (20,000 resamples)', () => {
  test('moderate a: paths, Sobel, proportion mediated, the a model and the index a₃·b', async () => {
    const doc = await json('--moderator', 'sex', '--moderate', 'a', ...R_BOOT);
    expect(doc.analysis.formulas).toEqual({ a: 'SATV ~ ACT + age + education', b: 'SATQ ~ ACT + SATV + age + education', c: 'SATQ ~ ACT + age + education' });
    const [entry] = doc.mediation;
    expect(entry.covariates).toEqual(['age', 'education1', 'education2', 'education3', 'education4', 'education5']);
    expectSimple(entry, ref.simple);
    expectBoot(entry.indirect, ref.boot.indirect);
    expectBoot(entry.proportion_mediated, ref.boot.proportion);
    const mod = entry.moderated;
    expect(mod.a_model.formula).toBe('SATV ~ ACT * sex + age + education');
    expectModel(mod.a_model, ref.a_model);
    expect(mod.b_model).toBeNull();
    expect(mod.index.map((i: Doc) => [i.level, i.term])).toEqual([['male', 'ACT:sexmale']]);
    expectClose(mod.index[0].estimate, ref.a_model['ACT:sexmale'].estimate * ref.simple.b.estimate);
    expectBoot(mod.index[0], ref.boot.index_a);
    // The conditional effects differ by exactly the index.
    expectClose(mod.conditional[1].estimate - mod.conditional[0].estimate, mod.index[0].estimate);
  }, SLOW);

  test('moderate b: the b model and the index a·b₃', async () => {
    const doc = await json('--moderator', 'sex', '--moderate', 'b', ...R_BOOT);
    const mod = doc.mediation[0].moderated;
    expect(mod.a_model).toBeNull();
    expect(mod.b_model.formula).toBe('SATQ ~ ACT + SATV * sex + age + education');
    expectModel(mod.b_model, ref.b_model);
    expect(mod.index.map((i: Doc) => i.term)).toEqual(['SATV:sexmale']);
    expectBoot(mod.index[0], ref.boot.index_b);
  }, SLOW);

  test('moderate both: no index; conditional indirect effects per sex and their difference', async () => {
    const doc = await json('--moderator', 'sex', '--moderate', 'both', ...R_BOOT);
    const mod = doc.mediation[0].moderated;
    expectModel(mod.a_model, ref.a_model);
    expectModel(mod.b_model, ref.b_model);
    expect(mod.index).toEqual([]);
    expect(mod.conditional.map((c: Doc) => c.level)).toEqual(['female', 'male']);
    expectBoot(mod.conditional[0], ref.boot.both_female);
    expectBoot(mod.conditional[1], ref.boot.both_male);
    expect(mod.differences.map((d: Doc) => [d.level, d.versus])).toEqual([['male', 'female']]);
    expectBoot(mod.differences[0], ref.boot.both_difference);
  }, SLOW);

  test('--by sex: each sex its own mediation; the difference resampled within sex', async () => {
    const doc = await json('--by', 'sex', ...R_BOOT);
    expect(doc.mediation.map((e: Doc) => e.stratum)).toEqual(['female', 'male']);
    expectSimple(doc.mediation[0], ref.by.female);
    expectSimple(doc.mediation[1], ref.by.male);
    expect(doc.by_differences).toHaveLength(1);
    expect([doc.by_differences[0].stratum, doc.by_differences[0].versus]).toEqual(['male', 'female']);
    expectBoot(doc.by_differences[0], ref.by_difference);
  }, SLOW);
});

describe('output', () => {
  test('seeded: the same seed gives byte-identical output; csv carries the JSON numbers', async () => {
    const args = [...BASE.slice(0, -2), '--bootstrap', '500', '--seed', '9'];
    const a = await runCli([...args, '--format', 'json']);
    const b = await runCli([...args, '--format', 'json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    const csv = await runCli([...args, '--format', 'csv']);
    const lines = csv.stdout.trimEnd().split('\n');
    const head = lines[0].split(',');
    const row = (effect: string) => lines.find((l) => l.split(',')[head.indexOf('effect')] === effect)!.split(',');
    const indirect = row('indirect');
    expect(Number(indirect[head.indexOf('estimate')])).toBe(doc.mediation[0].indirect.estimate);
    expect(Number(indirect[head.indexOf('bca.lower')])).toBe(doc.mediation[0].indirect.ci_bca[0]);
    expect(Number(indirect[head.indexOf('z')])).toBe(doc.mediation[0].indirect.sobel.z);
    expect(Number(row('c_prime')[head.indexOf('se')])).toBe(doc.mediation[0].paths.c_prime.se);
  });

  test('--bootstrap 0: Sobel only, intervals null with the reason; the table labels Sobel as normal theory', async () => {
    const doc = await json('--bootstrap', '0');
    expect(doc.mediation[0].indirect.ci_bca).toBeNull();
    expect(doc.mediation[0].indirect.reason).toMatch(/no bootstrap/);
    const table = await runCli([...BASE.slice(0, -2), '--bootstrap', '0']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Sobel test: normal-theory/);
  });

  test('the proportion mediated is null, with the reason, when c is not significant', async () => {
    // age → SATV → SATQ: the total effect of age has p = .374 (lm), so a·b / c is not reported.
    const doc = await runJson(['mediate', SAT, '--x', 'age', '--m', 'SATV', '--y', 'SATQ', '--bootstrap', '0', '--format', 'json'], { schema: validate });
    const e = doc.mediation[0];
    expect(e.paths.c.p).toBeGreaterThan(0.05);
    expect(e.proportion_mediated).toBeNull();
    expect(e.proportion_mediated_reason).toBe('the total effect c is not significant: a·b / c is unstable when c may be 0');
    // The table's footer gives c's p in APA style (no leading zeros, issue 21).
    const table = await runCli(['mediate', SAT, '--x', 'age', '--m', 'SATV', '--y', 'SATQ', '--bootstrap', '0', '--no-color']);
    expect(table.stdout).toContain('Proportion mediated not reported (c: p = .374, not below .05): the total effect c is not significant');
  });
});

describe('bad input: one line, exit 2', () => {
  const run = (...extra: string[]) => runCli(['mediate', SAT, '--y', 'SATQ', ...extra]);
  test('--x equal to --m', async () => {
    expectOneLineError(await run('--x', 'ACT', '--m', 'ACT'), 2, /--x and --m both name ACT/);
  });
  test('a mediator that is a factor: a text column, or named in --categorical', async () => {
    expectOneLineError(await run('--x', 'ACT', '--m', 'sex'), 2, /sex \(--m\) is a text column/);
    expectOneLineError(await run('--x', 'ACT', '--m', 'SATV', '--categorical', 'SATV'), 2, /--m SATV is named in --categorical/);
  });
  test('--moderate without --moderator, and the reverse', async () => {
    expectOneLineError(await run('--x', 'ACT', '--m', 'SATV', '--moderate', 'a'), 2, /--moderate a needs --moderator/);
    expectOneLineError(await run('--x', 'ACT', '--m', 'SATV', '--moderator', 'sex'), 2, /needs --moderate a, b or both/);
  });
  test('a moderator that is the mediator; --bootstrap out of range', async () => {
    expectOneLineError(await run('--x', 'ACT', '--m', 'SATV', '--moderator', 'SATV', '--moderate', 'a'), 2, /--moderator SATV is the predictor, mediator or outcome/);
    expectOneLineError(await run('--x', 'ACT', '--m', 'SATV', '--bootstrap', '10'), 2, /--bootstrap must be 0 or a whole number/);
  });
});
