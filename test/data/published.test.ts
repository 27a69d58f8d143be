/**
 * The published-values format: the loader (src/data/published.ts) and schema/published.schema.json agree on the
 * example and on every malformed variant below; each problem is one DataError naming the key by its path.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { loadPublished, matchesPrinted, printedInterval, validatePublished } from '../../src/data/published';
import { DataError, option, UsageError } from '../../src/errors';
import { rejectedAsCli } from '../helpers/shown';
import { ROOT } from '../helpers/cli';

const EXAMPLE = path.join(ROOT, 'examples/published/canrelax-2026.json');
const schema = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/published.schema.json'), 'utf8')));
const raw = () => JSON.parse(readFileSync(EXAMPLE, 'utf8'));

test('the CanRelax file: 8 values (N, three means and SDs, the partial r) and 5 claims, valid against the schema', async () => {
  expect(schema(raw())).toBe(true);
  const p = await loadPublished(EXAMPLE, option('published'));
  expect(p.source.doi).toBe('10.1016/j.invent.2026.100929');
  expect(p.values.map((v) => [v.statistic, v.variable ?? v.x, v.published, v.precision])).toEqual([
    ['rows', null, 117, 0],
    ['mean', 'bond', 4.04, 2],
    ['sd', 'bond', 0.95, 2],
    ['mean', 'goal', 3.46, 2],
    ['sd', 'goal', 0.74, 2],
    ['mean', 'task', 2.79, 2],
    ['sd', 'task', 0.75, 2],
    ['partial_r', 'alliance', -0.18, 2],
  ]);
  const adjusted = p.values[7];
  expect([adjusted.y, adjusted.analysis.where, adjusted.analysis.adjust]).toEqual(['distress', 'arm=app', ['baseline', 'sex', 'age', 'expectation']]);
  expect(p.claims.map((c) => [c.estimate.x, c.sign, c.pBelow, c.pAtLeast, c.below.map((b) => b.analysis.id)])).toEqual([
    ['task', 'negative', 0.05, null, []],
    ['goal', 'negative', 0.05, null, []],
    ['bond', null, null, 0.05, []],
    ['alliance', null, null, null, ['male', 'adjusted']],
    ['expectation', 'positive', 0.05, null, []],
  ]);
});

test('printed precision: 4.04 is met by 4.035 ≤ m < 4.045 (half up); −0.18 by −0.185 ≤ r < −0.175', () => {
  expect(printedInterval(4.04, 2)).toEqual([4.035, 4.045]);
  expect(printedInterval(-0.18, 2)).toEqual([-0.185, -0.175]);
  expect(printedInterval(117, 0)).toEqual([116.5, 117.5]);
  expect([4.035, 4.0449999, 4.045, 4.0349999].map((m) => matchesPrinted(m, 4.04, 2))).toEqual([true, true, false, false]);
});

type Edit = (doc: ReturnType<typeof raw>) => void;
const bad: Array<[string, Edit, RegExp]> = [
  ['unknown top key', (d) => (d.extra = 1), /has unknown key "extra"/],
  ['wrong version', (d) => (d.published_version = 2), /published_version must be 1/],
  ['no title', (d) => delete d.source.title, /source\.title must be non-empty text/],
  ['unknown statistic', (d) => (d.values[1].statistic = 'median'), /values\[1\]\.statistic must be one of rows, mean, sd, r, partial_r, coefficient/],
  ['mean without variable', (d) => delete d.values[1].variable, /values\[1\] \(mean\) needs "variable"/],
  ['partial r without x', (d) => delete d.values[7].x, /values\[7\] \(partial_r\) needs "x"/],
  ['precision not whole', (d) => (d.values[1].precision = 1.5), /values\[1\]\.precision must be the number of decimals printed/],
  ['correlation above 1', (d) => ((d.values[7].published = -1.5), (d.values[7].precision = 1)), /values\[7\]\.published is a correlation/],
  ['claim without condition', (d) => delete d.claims[2].p_at_least, /claims\[2\] states no condition/],
  ['both p conditions', (d) => (d.claims[0].p_at_least = 0.05), /claims\[0\] has both p_below and p_at_least/],
  ['p out of range', (d) => (d.claims[0].p_below = 5), /claims\[0\]\.p_below must be a probability/],
  ['bad sign', (d) => (d.claims[0].sign = 'down'), /claims\[0\]\.sign must be "positive" or "negative"/],
  ['unknown claim key', (d) => (d.claims[0].alpha = 0.05), /claims\[0\] has unknown key "alpha"/],
];

test.each(bad)('%s: the loader and the schema both refuse it', (_, edit, message) => {
  const doc = raw();
  edit(doc);
  expect(schema(doc)).toBe(false);
  expect(() => validatePublished(doc, 'p.json')).toThrow(DataError);
  expect(() => validatePublished(doc, 'p.json')).toThrow(message);
  expect(() => validatePublished(doc, 'p.json')).toThrow(/^published values p\.json: .*, fix the file \(format in schema\/published\.schema\.json\)$/);
});

// What JSON Schema cannot say (a filter's grammar, a reference to an analysis, decimals against precision): the loader alone.
const loaderOnly: Array<[string, Edit, RegExp]> = [
  ['bad where', (d) => (d.analyses.app.where = 'arm'), /analyses\.app\.where is not a row filter/],
  ['unknown analysis', (d) => (d.values[1].analysis = 'nope'), /values\[1\]\.analysis names no analysis \("nope"; defined: app, adjusted, female, male\)/],
  ['more decimals than precision', (d) => (d.values[1].published = 4.041), /values\[1\]\.published \(4\.041\) has more decimals than its precision \(2\)/],
  ['order against another statistic', (d) => (d.claims[3].below[0].statistic = 'mean'), /claims\[3\]\.below\[0\] \(mean\) needs "variable"/],
];

test.each(loaderOnly)('%s: refused by the loader', (_, edit, message) => {
  const doc = raw();
  edit(doc);
  expect(() => validatePublished(doc, 'p.json')).toThrow(message);
});

test('a file that is missing is a usage error; one that is not JSON a data error', async () => {
  await expect(loadPublished('/nonexistent/p.json', option('match'))).rejects.toThrow(UsageError);
  expect(await rejectedAsCli(loadPublished('/nonexistent/p.json', option('match')))).toBe('--match /nonexistent/p.json not found, check the path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'published-'));
  writeFileSync(path.join(dir, 'p.json'), '{');
  await expect(loadPublished(path.join(dir, 'p.json'), option('match'))).rejects.toThrow(DataError);
  await expect(loadPublished(path.join(dir, 'p.json'), option('match'))).rejects.toThrow(/is not valid JSON/);
});
