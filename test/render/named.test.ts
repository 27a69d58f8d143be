/**
 * render/named.ts: an analysis's output with the options its notes and reasons name by key made text by a front end's
 * namer, at any depth; nothing else touched (issue 19).
 */
import { joinedWords, option, words } from '../../src/errors';
import { flagName } from '../../src/cli/flag-name';
import { planKeyName } from '../../src/report/plan';
import { named } from '../../src/render/named';

describe('named: Words made text by the front end, the rest as it was', () => {
  const output = {
    notes: ['plain', words`not pooled under ${option('missing')} mi`],
    mediation: [{ indirect: { estimate: 0.1, reason: words`no bootstrap (${option('bootstrap')} 0)` } }, { indirect: null }],
    untouched: { n: 3, levels: ['a', 'b'] },
    ref: new Map([['sex', 'male']]),
    values: new Float64Array([1, 2]),
  };

  test('the CLI names flags, the report plan keys, at every depth', () => {
    const cli = named(output, flagName);
    expect(cli.notes).toEqual(['plain', 'not pooled under --missing mi']);
    expect(cli.mediation[0].indirect!.reason).toBe('no bootstrap (--bootstrap 0)');
    const report = named(output, planKeyName);
    expect(report.notes[1]).toBe('not pooled under plan key "missing.method" mi');
    expect(report.mediation[0].indirect!.reason).toBe('no bootstrap (plan key "bootstrap.resamples" 0)');
    expect(JSON.stringify(report)).not.toMatch(/--[a-z]|"parts"/);
  });

  test('objects without Words are the same objects; class instances are kept; the input is not changed', () => {
    const cli = named(output, flagName);
    expect(cli.untouched).toBe(output.untouched);
    expect(cli.mediation[1]).toBe(output.mediation[1]);
    expect(cli.ref).toBe(output.ref);
    expect(cli.values).toBe(output.values);
    expect(output.notes[1]).not.toBe('not pooled under --missing mi');
    const cyclic: { self?: unknown; note: unknown } = { note: words`${option('by')}` };
    cyclic.self = cyclic;
    expect(named(cyclic, flagName).note).toBe('--by');
  });

  test('joinedWords: Array.join for texts and words', () => {
    expect(joinedWords(['a', words`pass ${option('na')} -99`, ''], '; ').text(flagName)).toBe('a; pass --na -99; ');
    expect(joinedWords([], '; ').parts).toEqual([]);
  });
});
