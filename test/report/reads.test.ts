/**
 * The report reads its input once (issue 19, "Must show"): the default plan's steps on the example — nine steps, each
 * on its own pass — open the input file once and parse its records once (strace before the change: 27 opens).
 * Counted in process: every fs call that opens or reads the input's path, and every CSV parse run to its end
 * (CsvChunkParser.end, called once per parse of a whole file). And describe --missing mi, which passes twice, reads
 * standard input as it reads a file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvChunkParser } from '../../src/io/csv-reader';
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

test('the default steps on the example: the input file opened once and its records parsed once', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'report-reads-'));
  const parses = jest.spyOn(CsvChunkParser.prototype, 'end');
  try {
    // The default plan's steps, with fewer resamples and imputations (the reads do not depend on them).
    const plan = path.join(out, 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ plan_version: 1, bootstrap: { resamples: 100 }, missing: { imputations: 2, iterations: 2 } }));
    const result = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json']);
    expect(result).toMatchObject({ code: 0 });
    const steps = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).steps;
    expect(steps.length).toBeGreaterThanOrEqual(9);
    expect(mockOpens).toEqual(['readFileSync']);
    expect(parses).toHaveBeenCalledTimes(1);
  } finally {
    parses.mockRestore();
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
