/**
 * The report reads its input once (issue 19, "Must show"): the default plan's steps on the example — nine steps, each
 * on its own pass — open the input file once, parse its records once (strace before the change: 27 opens) and type
 * its rows once (before typed rows: 13 passes each parsing, scoring and typing the records again).
 * Counted in process: every fs call that opens or reads the input's path, and every CSV parse run to its end
 * (CsvChunkParser.end, called once per parse of a whole file). And describe --missing mi, which passes twice, reads
 * standard input as it reads a file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvChunkParser } from '../../src/io/csv-reader';
import { Dataset } from '../../src/data/dataset';
import { RowReader } from '../../src/data/row';
import { TypedRows } from '../../src/data/typed-rows';
import { EXAMPLE, runCli } from '../helpers/cli';

/** The fs calls that opened or read the example, by name (node:fs's own exports cannot be spied on: wrapped here). */
const mockOpens: string[] = [];
jest.mock('node:fs', () => {
  const actual = jest.requireActual('node:fs');
  const counted = (name: string) => (...args: unknown[]) => {
    if (String(args[0]).endsWith('examples/canrelax-synthetic.csv')) mockOpens.push(name);
    return actual[name](...args);
  };
  return { ...actual, readFileSync: counted('readFileSync'), createReadStream: counted('createReadStream'), openSync: counted('openSync') };
});

test('the default steps on the example: the input file opened once, its records parsed once, its rows typed once', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-reads-'));
  const parses = jest.spyOn(CsvChunkParser.prototype, 'end');
  // One typing pass: one Dataset.typeRows, each record made a row once (RowReader.load: a record's fields found, its
  // cells then parsed, scored and computed once) and kept once; every step's pass a replay of the typed rows. (No
  // column of the example has more distinct texts than a column keeps as codes, so none is read back: data/typed-rows.ts.)
  const typings = jest.spyOn(Dataset.prototype, 'typeRows');
  const loads = jest.spyOn(RowReader.prototype, 'load');
  const kept = jest.spyOn(TypedRows.prototype, 'add');
  const passes = jest.spyOn(Dataset.prototype, 'forEach');
  try {
    // The default plan's steps, with fewer resamples and imputations (the reads do not depend on them).
    const plan = path.join(out, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ plan_version: 1, bootstrap: { resamples: 100 }, missing: { imputations: 2, iterations: 2 } }));
    // With the published values: their populations (their own filters) are passes over the same typed rows.
    const published = path.join(path.dirname(EXAMPLE), 'published', 'canrelax-2026.json');
    const result = await runCli(['report', EXAMPLE, '--plan', plan, '--published', published, '--out-dir', out, '--formats', 'json']);
    expect(result).toMatchObject({ code: 0 });
    const steps = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).steps;
    expect(steps.length).toBeGreaterThanOrEqual(9);
    expect(mockOpens).toEqual(['readFileSync']);
    expect(parses).toHaveBeenCalledTimes(1);
    const records = fs.readFileSync(EXAMPLE, 'utf8').trim().split('\n').length - 1;
    expect(typings).toHaveBeenCalledTimes(1);
    expect(loads).toHaveBeenCalledTimes(records);
    expect(kept).toHaveBeenCalledTimes(records);
    // The steps' passes (nine steps, correlate run more than once by some): many, each over the typed rows.
    expect(passes.mock.calls.length).toBeGreaterThanOrEqual(9);
  } finally {
    for (const spy of [parses, typings, loads, kept, passes]) spy.mockRestore();
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('describe --missing mi passes over a held input: from stdin, the same pooled means as from the file', async () => {
  const args = ['--where', 'arm=app', '--vars', 'alliance,distress', '--missing', 'mi', '--imputations', '3', '--seed', '4', '--format', 'json'];
  const fromFile = await runCli(['describe', EXAMPLE, ...args]);
  const fromStdin = await runCli(['describe', '-', ...args], { stdin: fs.readFileSync(EXAMPLE) });
  expect(fromStdin.code).toBe(0);
  const variables = (r: { stdout: string }) => JSON.parse(r.stdout).variables;
  expect(variables(fromStdin)).toEqual(variables(fromFile));
  expect(variables(fromFile)[1].overall.mi.mean).toEqual(expect.any(Number));
});
