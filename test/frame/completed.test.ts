/**
 * The completed samples of --missing mi list their strata as readSample lists the observed ones (the floor's one rule:
 * the column's level order, the --ref level first), and naming a reference level changes the order only: the imputation
 * groups run in their own fixed order, so every number of every stratum is the one it is without --ref.
 *
 * sat_act (psych; ../shared/reference) lacks SATQ in 13 rows; its `sex` is female/male, female first in level order.
 */
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { model, type ModelOptions } from '../../src/analyses/model';
import { mediate, type MediateOptions } from '../../src/analyses/mediate';
import { correlate, type CorrelateOptions } from '../../src/analyses/correlate';
import type { MissingOptions } from '../../src/frame/missing';
import { REFERENCE } from '../helpers/cli';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const open = () => Dataset.open(SAT, {}, { stdin: chunksOf(Buffer.alloc(0)) });
const mi: MissingOptions = { missing: 'mi', imputations: 3, iterations: 4, seed: 11, auxiliary: [], imputeBy: null, mnarDelta: [], writeImputations: null };
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const MALE_FIRST = new Map([['sex', 'male']]);

const modelOptions = (ref: Map<string, string>, missing?: MissingOptions): ModelOptions => ({
  y: 'SATQ', x: ['ACT'], adjust: ['age'], interaction: null, by: 'sex', categorical: new Set(), ref, robust: null, standardize: false, ciLevel: 0.95, idColumn: 'id', missing,
});
const mediateOptions = (ref: Map<string, string>, missing?: MissingOptions): MediateOptions => ({
  x: 'ACT', m: 'SATV', y: 'SATQ', adjust: ['age'], by: 'sex', moderator: null, moderate: null, categorical: new Set(), ref, resamples: 60, seed: 5, ciLevel: 0.95, missing,
});
const correlateOptions = (ref: Map<string, string>, missing?: MissingOptions): CorrelateOptions => ({
  x: ['ACT'], y: ['SATQ'], adjust: ['age'], method: 'pearson', by: 'sex', ciLevel: 0.95, alternative: 'two-sided', pAdjust: 'none',
  semi: null, bootstrap: null, seed: 1, ref, categorical: new Set(), listExcluded: false, idColumn: 'id', missing,
});

/** The results of one analysis, by stratum name, in the order given. */
const byStratum = <R extends { stratum: string | null }>(results: R[]) => results.map((r) => [r.stratum, plain(r)] as const);

describe('--missing mi lists the strata as readSample does, --ref first, with the same numbers per stratum', () => {
  test('model --by sex --ref sex=male: male first, as listwise; each stratum’s pooled model as without --ref', async () => {
    const listwise = await model(await open(), modelOptions(MALE_FIRST));
    const withRef = await model(await open(), modelOptions(MALE_FIRST, mi));
    const without = await model(await open(), modelOptions(new Map(), mi));
    expect(listwise.models.map((m) => m.stratum)).toEqual(['male', 'female']);
    expect(withRef.models.map((m) => m.stratum)).toEqual(['male', 'female']);
    expect(without.models.map((m) => m.stratum)).toEqual(['female', 'male']);
    expect(byStratum(withRef.models)).toEqual(byStratum(without.models).reverse());
    // Pooled, not the listwise fit: the 13 rows lacking SATQ are imputed (700 rows in all).
    expect(withRef.models.reduce((n, m) => n + m.n, 0)).toBe(700);
    expect(withRef.models[0].terms[1].mi).toBeDefined();
  });

  test('mediate --by sex --ref sex=male: male first; each stratum’s pooled paths and indirect effect as without --ref', async () => {
    const listwise = await mediate(await open(), mediateOptions(MALE_FIRST));
    const withRef = await mediate(await open(), mediateOptions(MALE_FIRST, mi));
    const without = await mediate(await open(), mediateOptions(new Map(), mi));
    expect(listwise.mediation.map((m) => m.stratum)).toEqual(['male', 'female']);
    expect(withRef.mediation.map((m) => m.stratum)).toEqual(['male', 'female']);
    expect(byStratum(withRef.mediation)).toEqual(byStratum(without.mediation).reverse());
    expect(withRef.mediation[0].paths!.a.mi).toBeDefined();
  });

  test('correlate --by sex --ref sex=male: male first, the difference male − female; each stratum’s pooled r as without --ref', async () => {
    const listwise = await correlate(await open(), correlateOptions(MALE_FIRST));
    const withRef = await correlate(await open(), correlateOptions(MALE_FIRST, mi));
    const without = await correlate(await open(), correlateOptions(new Map(), mi));
    expect(listwise.results.map((r) => r.stratum)).toEqual(['male', 'female']);
    expect(withRef.results.map((r) => r.stratum)).toEqual(['male', 'female']);
    expect(byStratum(withRef.results)).toEqual(byStratum(without.results).reverse());
    expect(withRef.results[0].mi).toBeDefined();
    // The comparison is first − second: the same difference, its sign turned.
    const [a, b] = [withRef.comparisons[0], without.comparisons[0]];
    expect(a.strata).toEqual(['male', 'female']);
    expect(b.strata).toEqual(['female', 'male']);
    expect(a.difference).toBeCloseTo(-b.difference, 14);
    expect(a.p).toBeCloseTo(b.p, 14);
  });

  test('a --ref level the stratifier lacks is the usage error listwise gives', async () => {
    const ref = new Map([['sex', 'other']]);
    await expect(model(await open(), modelOptions(ref, mi))).rejects.toThrow(/no such level in the rows used \(levels: female, male\)/);
    await expect(model(await open(), modelOptions(ref))).rejects.toThrow(/no such level in the rows used \(levels: female, male\)/);
  });
});
