/**
 * correlate --missing mi pools through the floor's fitEachPool (issue 19): the numbers it gave with its own Fisher-z
 * pooling, to 1e-12, on sat_act (13 rows lack SATQ) by gender with δ shifts, tipping points, a one-sided alternative
 * and Spearman. test/frame/correlate-mi.before.json holds them, written by the own pooling before the move
 * (`WRITE_CORRELATE_MI_BEFORE=1 npx jest test/frame/correlate-mi.test.ts` at commit 10f1956).
 */
import { named } from '../../src/render/named';
import { flagName } from '../../src/cli/flag-name';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dataset } from '../../src/data/dataset';
import { chunksOf } from '../../src/io/input';
import { correlate, type CorrelateOptions } from '../../src/analyses/correlate';
import type { MissingOptions } from '../../src/frame/missing';
import { REFERENCE } from '../helpers/cli';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const BEFORE = path.join(__dirname, 'correlate-mi.before.json');
const open = () => Dataset.open(SAT, {}, { stdin: chunksOf(Buffer.alloc(0)) });
const mi = (over: Partial<MissingOptions>): MissingOptions => ({
  missing: 'mi', imputations: 4, iterations: 4, seed: 3, auxiliary: [], imputeBy: null, mnarDelta: [], writeImputations: null, ...over,
});
const options = (over: Partial<CorrelateOptions>): CorrelateOptions => ({
  x: ['ACT', 'SATV'], y: ['SATQ'], adjust: ['age', 'education'], method: 'pearson', by: 'gender', ciLevel: 0.95, alternative: 'two-sided', pAdjust: 'holm',
  semi: null, bootstrap: null, seed: 1, ref: new Map(), categorical: new Set(), listExcluded: false, idColumn: 'id', ...over,
});

const CASES: Record<string, () => Promise<unknown>> = {
  'pearson by gender, δ −1 and 0.5 SD, tipping points': async () => correlate(await open(), options({ missing: mi({ mnarDelta: [{ value: -1, raw: false }, { value: 0.5, raw: false }] }) })),
  'pearson, alternative less, δ raw 20, sex a covariate': async () =>
    correlate(await open(), options({ by: null, adjust: ['age', 'sex'], alternative: 'less', ciLevel: 0.9, missing: mi({ imputations: 3, mnarDelta: [{ value: 20, raw: true }] }) })),
  'spearman by sex': async () => correlate(await open(), options({ method: 'spearman', by: 'sex', missing: mi({ imputations: 5 }) })),
};

/** As JSON, notes naming options as the CLI names them (render/named.ts). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(named(value, flagName)));

/** Numbers to 1e-12 (relative, absolute near 0), everything else exactly. */
function expectSameNumbers(actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (!(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) throw new Error(`${at}: ${actual} ≠ ${expected}`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') throw new Error(`${at}: ${JSON.stringify(actual)} is not an object or array`);
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual as object)])) expectSameNumbers((actual as any)[key], (expected as any)[key], `${at}.${key}`);
    return;
  }
  if (actual !== expected) throw new Error(`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

if (process.env.WRITE_CORRELATE_MI_BEFORE) {
  test('writes test/frame/correlate-mi.before.json', async () => {
    const out: Record<string, unknown> = {};
    for (const [name, run] of Object.entries(CASES)) out[name] = plain(await run());
    fs.writeFileSync(BEFORE, `${JSON.stringify(out, null, 1)}\n`);
  });
} else {
  const before = JSON.parse(fs.readFileSync(BEFORE, 'utf8')) as Record<string, unknown>;
  describe('correlate --missing mi through fitEachPool gives the numbers of its own pooling', () => {
    test('every case is in the file', () => expect(Object.keys(before).sort()).toEqual(Object.keys(CASES).sort()));
    for (const [name, run] of Object.entries(CASES)) test(name, async () => expectSameNumbers(plain(await run()), before[name], name));
  });
}
