/**
 * src/data/design.ts on hand-made variables: treatment coding (R's contr.treatment with model.matrix's names),
 * --ref, the level cap, interactions, centring, and the per-row encoder. Expected values worked by hand from the
 * definitions in the module's comment.
 */
import { thrownAsCli } from '../helpers/shown';
import { option } from '../../src/errors';
import { codeFactor, Design, MAX_LEVELS, RowEncoder } from '../../src/data/design';
import { newEvidence, type Variable } from '../../src/data/variables';
import { UsageError } from '../../src/errors';

/** A variable as VariableSet builds it: levels indexed in order of first appearance. */
function variable(name: string, levelNames: string[] | null): Variable {
  return {
    name,
    column: 0,
    flag: option('adjust'),
    categorical: levelNames !== null,
    forcedCategorical: false,
    numberColumn: false,
    covariate: true,
    evidence: newEvidence(),
    levels: new Map((levelNames ?? []).map((l, i) => [l, i])),
    levelNames: levelNames ?? [],
  };
}

const none = { ref: new Map<string, string>(), stratum: null };

describe('codeFactor', () => {
  test('reference = first level in sort order (numbers numerically, then text); names variable + level', () => {
    // Levels first seen in the order 10, b, 2, a: sorted 2, 10, a, b.
    const v = variable('g', ['10', 'b', '2', 'a']);
    expect(codeFactor(v, [0, 1, 2, 3], none)).toEqual({ ref: 2, levels: [0, 3, 1], names: ['g10', 'ga', 'gb'] });
  });

  test('--ref picks the reference, as typed or as a number ("2.0" finds 2); only present levels are coded', () => {
    const v = variable('g', ['10', 'b', '2', 'a']);
    expect(codeFactor(v, [0, 1, 2], { ref: new Map([['g', '2.0']]), stratum: null })).toEqual({ ref: 2, levels: [0, 1], names: ['g10', 'gb'] });
    expect(codeFactor(v, [0, 1, 2], { ref: new Map([['g', 'b']]), stratum: null })!.names).toEqual(['g2', 'g10']);
  });

  test('no level present: null; one level: a coding with no column', () => {
    const v = variable('sex', ['female', 'male']);
    expect(codeFactor(v, [], none)).toBeNull();
    expect(codeFactor(v, [1], none)).toEqual({ ref: 1, levels: [], names: [] });
  });

  test('--ref naming an absent level, and more than MAX_LEVELS levels, are exit-2 errors naming the stratum', () => {
    const v = variable('sex', ['female', 'male', 'other']);
    expect(thrownAsCli(() => codeFactor(v, [0, 1], { ref: new Map([['sex', 'other']]), stratum: 'app' }))).toBe(
      '--ref sex=other: no such level in the rows used of stratum app (levels: female, male)',
    );
    expect(() => codeFactor(v, [0, 1], { ref: new Map([['sex', 'other']]), stratum: null })).toThrow(UsageError);
    const many = variable('id', Array.from({ length: MAX_LEVELS + 1 }, (_, i) => `P${i}`));
    expect(thrownAsCli(() => codeFactor(many, many.levelNames.map((_, i) => i), none))).toMatch(/^id \(--adjust\) has 101 levels in the rows used, more than 100;/);
  });
});

describe('Design', () => {
  test('intercept, numeric, factor and their interaction as model.matrix(~ x * g) orders and names them', () => {
    const x = variable('alliance', null);
    const g = variable('sex', ['male', 'female']);
    const design = new Design(4, none);
    design.intercept();
    const xt = design.numeric(x, Float64Array.from([1, 2, 3, 4]));
    const gt = design.factor(g, Float64Array.from([0, 1, 1, 0]))!;
    design.interaction(xt, gt);
    // female sorts first, so it is the reference and male gets the column.
    expect(design.names).toEqual(['(Intercept)', 'alliance', 'sexmale', 'alliance:sexmale']);
    expect(design.columns.map((c) => [...c])).toEqual([
      [1, 1, 1, 1],
      [1, 2, 3, 4],
      [1, 0, 0, 1],
      [1, 0, 0, 4],
    ]);
    expect(design.index.get('alliance:sexmale')).toBe(3);
    expect(gt.coding).toEqual({ ref: 1, levels: [0], names: ['sexmale'] });
  });

  test('centring: x − mean(x), mean (1+2+3+6)/4 = 3', () => {
    const design = new Design(4, none);
    const t = design.numeric(variable('age', null), Float64Array.from([1, 2, 3, 6]), true);
    expect([...t.columns[0]]).toEqual([-2, -1, 0, 3]);
  });
});

describe('RowEncoder', () => {
  test('numeric columns first, an indicator column per level as it appears; missing written as 0', () => {
    // Variables: 0 = x (numeric), 1 = g (categorical), 2 = y (numeric).
    const encoder = new RowEncoder(3, [0, 2], [1]);
    expect(encoder.encode(Float64Array.from([5, 0, 7]))).toBe(1);
    expect([...encoder.row]).toEqual([5, 7, 1]);
    expect(encoder.encode(Float64Array.from([NaN, 1, 8]))).toBe(1);
    expect([...encoder.row]).toEqual([0, 8, 0, 1]);
    expect(encoder.encode(Float64Array.from([6, 0, NaN]))).toBe(0);
    expect([...encoder.row]).toEqual([6, 0, 1, 0]);
    expect(encoder.columnOf(2)).toBe(1);
    // Levels "b" (0) and "a" (1): a sorts first and is the reference, b's indicator is column 2.
    const g = variable('g', ['b', 'a']);
    expect(encoder.factor(g, 1, () => true, none)).toEqual({ coding: { ref: 1, levels: [0], names: ['gb'] }, at: [2] });
    // Only b present in some analysis's rows: one level, no column.
    expect(encoder.factor(g, 1, (at) => at === 2, none)).toEqual({ coding: { ref: 0, levels: [], names: [] }, at: [] });
  });
});
