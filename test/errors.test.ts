import { afterFlag, DataError, nearestNames, option, UsageError, words } from '../src/errors';
import { flagName } from '../src/cli/flag-name';
import { planKeyName } from '../src/report/plan';

describe('nearestNames (Levenshtein within max(2, ⌈length/2⌉), nearest first)', () => {
  test('case is ignored; ties broken by name; each name once; never the name itself', () => {
    // wai_1: WAI_1 0 edits (case), WAİ_1 0 (İ lower-cases to i + a combining dot: 1 edit), Wai1 1, wai_11 1.
    expect(nearestNames('wai_1', ['WAI_1', 'wai_11', 'Wai1', 'x', 'wai_1', 'WAİ_1', 'phq_1', 'WAI_1'])).toEqual(['WAI_1', 'WAİ_1', 'Wai1']);
    // expectation (limit 6): EXPECTATION 0, Expectations 1, expectatoin 2 (a swap is two edits), expect 5.
    expect(nearestNames('expectation', ['Expectations', 'expect', 'EXPECTATION', 'c12345', 'expectatoin'], 4)).toEqual(['EXPECTATION', 'Expectations', 'expectatoin', 'expect']);
    expect(nearestNames('age', ['AGE', 'Age ', 'sex', 'ag'])).toEqual(['AGE', 'Age ', 'ag']) // by UTF-16 code: 'A' < 'a';
  });

  test('100,000 header names: only those within the limit', () => {
    const header = Array.from({ length: 100_000 }, (_, j) => `c${j}`);
    // id (limit 2): two substitutions reach any two-character name; c0 … c9 first by name order.
    expect(nearestNames('id', header)).toEqual(['c0', 'c1', 'c2']);
    // c12x45 (limit 3): one edit to c1245 (delete x) and to c12045 … c12945 (substitute x): in name order.
    expect(nearestNames('c12x45', header, 11)).toEqual(['c12045', 'c12145', 'c12245', 'c12345', 'c12445', 'c1245', 'c12545', 'c12645', 'c12745', 'c12845', 'c12945']);
    expect(nearestNames('expectation', header)).toEqual([]);
  });
});

describe('messages name options by key; each front end names them its own way (issue 19)', () => {
  const error = new UsageError(words`${option('imputeBy')} ${'arm'} is also analysed; use ${option('missing')} listwise`);

  test('the CLI names the flag, the report the plan key, and no front end a key in quotes', () => {
    expect(error.shown(flagName)).toBe('--impute-by arm is also analysed; use --missing listwise');
    expect(error.shown(planKeyName)).toBe('plan key "missing.impute_by" arm is also analysed; use plan key "missing.method" listwise');
    // Named by nobody yet (a test, a log): the key, quoted.
    expect(error.message).toBe('"imputeBy" arm is also analysed; use "missing" listwise');
    expect(error.exitCode).toBe(2);
  });

  test('the report names them for good, before the CLI prints the error', () => {
    const copy = new DataError(words`no usable rows (after ${option('where')} age>90)`);
    copy.nameOptions(planKeyName, 'step "sample": ');
    expect(copy.shown(flagName)).toBe('step "sample": no usable rows (after plan key "where" age>90)');
    expect(copy.message).toBe(copy.shown(flagName));
  });

  test('the config file\'s alternative to a flag is said after the flag only: the report names the config key itself', () => {
    // The hint of an answer out of range (data/values.ts outOfRangeFix).
    const hint = words`pass ${option('na')} -99${afterFlag('na', ' (or "na" in the config)')}; else correct it`;
    expect(hint.text(flagName)).toBe('pass --na -99 (or "na" in the config); else correct it');
    expect(hint.text(planKeyName)).toBe('pass config key "na" -99; else correct it');
    expect(hint.options).toEqual(['na']);
  });

  test('plain text stays as it is; words splice words', () => {
    expect(new DataError('plain').shown(flagName)).toBe('plain');
    const inner = words`(after ${option('where')} x)`;
    expect(words`none ${inner}`.options).toEqual(['where']);
  });
});
