/**
 * Typed rows (issue 19: the report types its input once): a pass over typed rows must answer every question of every
 * row as a pass over the records does — missing or not, the number or text, the text itself, the scores and computed
 * columns, which rows its filter keeps, the counts, and the same error at the same row. Checked cell by cell on a
 * damaged copy of the example (text in a number role, padded and "4.0" numbers, a missing code, blank and "NA" sexes,
 * answers out of range and a quoted "2,5" in rows some filters keep and others do not, a --compute that fails on
 * text), under filters on input columns, on scores, as expressions, and under both out-of-range policies.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Dataset, type DataOptions } from '../../src/data/dataset';
import { holdInput } from '../../src/io/input';
import type { RowReader } from '../../src/data/row';
import { TypedRow, type TypedRows } from '../../src/data/typed-rows';
import type { CliError } from '../../src/errors';
import { EXAMPLE } from '../helpers/cli';

const streams = { stdin: Readable.from([]), quiet: true };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typed-rows-'));
const file = path.join(dir, 'damaged.csv');
const ragged = path.join(dir, 'ragged.csv');
const big = path.join(dir, 'big.csv');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const lines = fs.readFileSync(EXAMPLE, 'utf8').trim().split('\n').slice(0, 41);
  const header = lines[0].split(',');
  const set = (line: number, column: string, value: string) => {
    const cells = lines[line - 1].split(',');
    cells[header.indexOf(column)] = value;
    lines[line - 1] = cells.join(',');
  };
  set(3, 'arm', 'waitlist');
  set(3, 'age', 'unknown');
  set(4, 'age', ' 70 ');
  set(5, 'expectation', '4.0');
  set(6, 'arm', 'waitlist');
  set(6, 'wai_3', '7');
  set(7, 'arm', 'app');
  set(7, 'phq9_2_t0', '-99');
  set(8, 'sex', '');
  set(9, 'sex', 'NA');
  set(10, 'arm', 'waitlist');
  set(10, 'sex', 'female');
  set(10, 'wai_5', '"2,5"');
  // A coded column the "levels" name (1 Bern, 2 Zurich; 3 unnamed, read as the number).
  lines.forEach((line, i) => (lines[i] = `${line},${i === 0 ? 'site' : (i % 3) + 1}`));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  // More rows than a chunk of numbers (4,096) and more distinct texts than a column keeps as codes (255): unique ids and
  // comments (read back from the records when asked), and a column of bytes, halves, hundreds and "-0" by turns.
  const example = fs.readFileSync(EXAMPLE, 'utf8').trim().split('\n');
  const rows = Array.from({ length: 4500 }, (_, k) => {
    const cells = example[1 + (k % (example.length - 1))].split(',');
    cells[0] = `P${k}`;
    const mixed = k < 4096 ? String(k % 100) : k % 3 === 0 ? '3.5' : k % 5 === 0 ? '300' : k % 11 === 0 ? '-0' : String(k % 100);
    return [...cells, k % 7 === 0 ? '' : `comment ${k}`, mixed].join(',');
  });
  fs.writeFileSync(big, [`${example[0]},note,mixed`, ...rows].join('\n') + '\n');
  fs.writeFileSync(ragged, [...lines.slice(0, 20), lines[20] + ',extra', ...lines.slice(21)].join('\n') + '\n');
});

/** Every answer a reader gives of every column of the row (an error's message where reading throws). */
function cellsOf(row: RowReader, width: number): unknown[] {
  const answers: unknown[] = [row.line];
  for (let c = 0; c < width; c++) {
    let value: unknown;
    try {
      value = row.numOrText(c);
    } catch (error) {
      value = (error as Error).message;
    }
    answers.push([row.isMissing(c), value, row.wasText, row.tryNum(c), row.text(c)]);
  }
  return answers;
}

interface Pass {
  rows: unknown[][];
  counts?: { read: number; kept: number };
  error?: string;
  /** The error's class and exit code. */
  kind?: string;
  notes?: string[];
}

/** One pass with these options, over the records or over the rows typed once (as the report does). */
async function pass(input: string, options: DataOptions, typed: boolean): Promise<Pass> {
  const rows: unknown[][] = [];
  try {
    const held = await holdInput(input, streams);
    // As the report does: the pass opened first (its filter checked), the rows typed when it first reads.
    let typing: Promise<TypedRows> | null = null;
    const typedRows = () => (typing ??= Dataset.open(input, { ...options, where: undefined, held }, streams).then((d) => d.typeRows()));
    const dataset = await Dataset.open(input, { ...options, held, typed: typed ? { rows: typedRows } : undefined }, streams);
    expect(dataset.row instanceof TypedRow).toBe(typed);
    await dataset.forEach((row) => rows.push(cellsOf(row, dataset.columns.length)));
    return { rows, counts: { ...dataset.counts }, notes: dataset.scoreNotes().map((n) => String(n.text)) };
  } catch (error) {
    return { rows, error: (error as Error).message, kind: `${(error as Error).name} ${(error as CliError).exitCode}` };
  }
}

const cases: Array<[string, DataOptions]> = [
  ['a filter on input columns that turns the failing rows away', { where: 'arm=app', na: '-99', compute: ['older = age > 60'] }],
  ['no filter: the first failing row fails both', { na: '-99' }],
  ['a filter on a score: every row scored first', { where: 'wai_total>3', na: '-99' }],
  ['an expression filter', { where: "arm == 'app' and expectation >= 4", na: '-99' }],
  ['a --compute that fails on text in a row the filter keeps', { where: 'arm=waitlist', na: '-99', compute: ['older = age > 60'], outOfRange: 'missing' }],
  ['out-of-range answers read as missing; "2,5" in a row kept', { outOfRange: 'missing', na: '-99', where: 'sex=female' }],
  ['no missing code: -99 out of range in an app row', { where: 'arm=app' }],
  ['named codes, filtered by name', { levels: { site: { '1': 'Bern', '2': 'Zurich' } }, where: 'site=Zurich', na: '-99' }],
];

test.each(cases)('%s: the typed pass answers as the records do, row by row', async (_name, options) => {
  const records = await pass(file, options, false);
  const typed = await pass(file, options, true);
  expect(typed).toEqual(records);
});

test('what the cases reach: rows kept, and failures met (the damage is where the filters tell the rows apart)', async () => {
  const results = await Promise.all(cases.map(([, options]) => pass(file, options, true)));
  const app = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).filter((l) => l.split(',')[1] === 'app').length;
  expect(results.map((r) => r.counts ?? r.error!.replace(/, \/.*/, ''))).toEqual([
    { read: 40, kept: app },
    'answer 7 is outside 1–5 at line 6, column "wai_3"',
    'answer 7 is outside 1–5 at line 6, column "wai_3"',
    { read: 40, kept: expect.any(Number) },
    '"unknown" is not a number at line 3, column "age"',
    '"2,5" is not a number at line 10, column "wai_5"',
    'answer -99 is outside 0–3 at line 7, column "phq9_2_t0"',
    // Lines 2, 5, …, 41: site 2, named Zurich.
    { read: 40, kept: 14 },
  ]);
});

test.each<[string, DataOptions]>([
  ['every row', {}],
  ['a filter on a kept comment', { where: 'note=comment 4499' }],
  ['a filter on the mixed column', { where: 'mixed>=100', outOfRange: 'missing' }],
])('%s of 4,500 rows: chunks of numbers and texts read back answer as the records do', async (_name, options) => {
  const records = await pass(big, options, false);
  const typed = await pass(big, options, true);
  expect(typed.rows.length).toBeGreaterThan(0);
  expect(typed).toEqual(records);
});

test.each<[string, DataOptions, RegExp]>([
  ['the rows before it read, then its error', { where: 'arm=app', na: '-99' }, /^line 21 has 51 fields but the header has 50/],
  ['a failing row the filter keeps before it: that row\'s error first', { na: '-99' }, /^answer 7 is outside 1–5 at line 6/],
  ['a filter that fails on a row before it: the filter\'s error first', { where: 'age > 40', na: '-99' }, /^"unknown" is not a number at line 3, column "age"/],
  ['a filter naming no column: the usage error, before any row', { where: 'nosuch=3' }, /^unknown column "nosuch" in "where"/],
])('a line with the wrong number of fields: %s, as on a pass over the records', async (_name, options, error) => {
  const records = await pass(ragged, options, false);
  const typed = await pass(ragged, options, true);
  expect(typed).toEqual(records);
  expect(typed.error).toMatch(error);
});

test('a failing row raised by two passes: two fresh errors of one message (the typed rows keep a mark, not an error)', async () => {
  const held = await holdInput(file, streams);
  const options: DataOptions = { na: '-99', held };
  let typing: Promise<TypedRows> | null = null;
  const typed = { rows: () => (typing ??= Dataset.open(file, options, streams).then((d) => d.typeRows())) };
  const raised: unknown[] = [];
  for (let k = 0; k < 2; k++) {
    const dataset = await Dataset.open(file, { ...options, typed }, streams);
    await dataset.forEach(() => undefined).catch((error: unknown) => raised.push(error));
  }
  expect(raised).toHaveLength(2);
  expect(raised[0]).not.toBe(raised[1]);
  expect((raised[1] as Error).message).toBe((raised[0] as Error).message);
  expect((raised[0] as Error).message).toMatch(/^answer 7 is outside 1–5 at line 6, column "wai_3"/);
});
