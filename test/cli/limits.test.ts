/**
 * Bounded (issue 20, "Unbounded or crashing"): options validated where they are declared (--chunk-size, also from a
 * replayed report.json), depth and length limits on expressions and JSON inputs, wide inputs drawn without a stack
 * overflow, and a replay whose plan names a published-values file it did not record. Each a one-line error with its
 * exit code (never "internal error", never a hang); in-process, small inputs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, expectOneLineError, runCli } from '../helpers/cli';
import { parseJson } from '../../src/io/json';
import { MAX_TABLE_ROWS, renderTable, tableLayout } from '../../src/render/table';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-limits-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('--chunk-size: a positive whole number of bytes (0 looped for ever, abc read the file as empty)', () => {
  test.each(['0', '-1', '0.5', 'abc', '1e400', ''])('--chunk-size "%s": exit 2, one line', async (value) => {
    const r = await runCli(['score', EXAMPLE, '--chunk-size', value]);
    expectOneLineError(r, 2, new RegExp(`^canrelax-analyze: --chunk-size must be a whole number of bytes from 1 to 1073741824, got "${value.replace('.', '\\.')}"$`));
    expect(r.stdout).toBe('');
  });

  test('1 byte at a time still reads the file (the smallest chunk)', async () => {
    const whole = await runCli(['describe', EXAMPLE, '--vars', 'age']);
    const bytewise = await runCli(['describe', EXAMPLE, '--vars', 'age', '--chunk-size', '1']);
    expect(bytewise.code).toBe(0);
    expect(bytewise.stdout).toBe(whole.stdout);
  });

  test('from a hand-edited report.json under --replay: the same one line, exit 2', async () => {
    const out = path.join(dir, 'replayed');
    const plan = path.join(dir, 'sample-plan.json');
    fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'] }));
    expect((await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json'])).code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    doc.provenance.options['chunk-size'] = '0';
    const edited = path.join(dir, 'edited.json');
    fs.writeFileSync(edited, JSON.stringify(doc));
    const r = await runCli(['report', '--replay', edited, '--out-dir', path.join(dir, 'rebuilt')]);
    expectOneLineError(r, 2, /--chunk-size must be a whole number of bytes from 1 to 1073741824, got "0"$/);
    expect(fs.existsSync(path.join(dir, 'rebuilt'))).toBe(false);
  });
});

describe('expressions: at most 500 operators and 50 levels of brackets (2,000 terms overflowed the stack)', () => {
  const sum = (n: number) => `x = ${Array.from({ length: n }, () => 'age').join(' + ')}`;

  test('--compute with 2,000 terms: exit 2, one line naming the limit', async () => {
    const r = await runCli(['score', EXAMPLE, '--compute', sum(2000)]);
    // The 501st operator (= and 500 +) is the 500th +: at 0-based 4 + 4 + 499 × 6 = 3002 ("x = age + age + …").
    expectOneLineError(r, 2, /^canrelax-analyze: --compute "x = age \+ age.*": more than 500 operators, split it into several --compute steps, at character 3003 /);
  });

  test('500 operators (the = and 499 +) are computed: 500 × age', async () => {
    const r = await runCli(['describe', EXAMPLE, '--compute', sum(500), '--vars', 'x', '--format', 'json']);
    expect(r.code).toBe(0);
    const age = await runCli(['describe', EXAMPLE, '--vars', 'age', '--format', 'json']);
    const mean = (doc: string) => JSON.parse(doc).variables[0].overall.mean;
    expect(mean(r.stdout)).toBeCloseTo(500 * mean(age.stdout), 8);
  });

  test('51 nested brackets: exit 2; a --where of 10,000 opening brackets too', async () => {
    const deep = `x = ${'('.repeat(51)}age${')'.repeat(51)}`;
    expectOneLineError(await runCli(['score', EXAMPLE, '--compute', deep]), 2, /brackets nested deeper than 50 levels, at character 55 /);
    expectOneLineError(await runCli(['score', EXAMPLE, '--where', `${'('.repeat(10_000)}age > 1`]), 2, /^canrelax-analyze: --where ".*": brackets nested deeper than 50 levels, at character 51 /);
  });
});

describe('JSON inputs: at most 64 levels of nesting (10⁵ nested arrays overflowed the stack)', () => {
  const nested = (n: number) => `{"title": ${'['.repeat(n)}${']'.repeat(n)}}`;

  test('parseJson: 64 levels are read, 65 are a SyntaxError naming the limit, checked without recursion', () => {
    expect(parseJson('[[1]]')).toEqual([[1]]);
    // nested(n): an object holding n arrays, n + 1 levels.
    expect(() => parseJson(`[${nested(62)}]`)).not.toThrow();
    expect(() => parseJson(nested(64))).toThrow(new SyntaxError('arrays and objects nested deeper than 64 levels'));
    expect(() => parseJson(nested(100_000))).toThrow(SyntaxError);
  });

  test.each([
    ['--plan (report)', (f: string) => ['report', EXAMPLE, '--plan', f, '--out-dir', path.join(dir, 'never')], 2, /^canrelax-analyze: plan .* is not valid JSON \(arrays and objects nested deeper than 64 levels\), fix the plan file$/],
    ['--config', (f: string) => ['score', EXAMPLE, '--config', f], 2, /is not valid JSON \(arrays and objects nested deeper than 64 levels\), fix the config$/],
    ['--published', (f: string) => ['report', EXAMPLE, '--published', f, '--out-dir', path.join(dir, 'never')], 1, /^canrelax-analyze: step "published": published values .* is not valid JSON \(arrays and objects nested deeper than 64 levels\), fix the file$/],
    ['--replay', (f: string) => ['report', '--replay', f, '--out-dir', path.join(dir, 'never')], 2, /^canrelax-analyze: --replay .* is not valid JSON \(arrays and objects nested deeper than 64 levels\), give a report\.json$/],
  ])('%s holding 10⁵ nested arrays: its exit code, one line, nothing written', async (_what, args, code, message) => {
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, nested(100_000));
    const r = await runCli(args(file));
    expectOneLineError(r, code, message);
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
  });
});

describe('wide inputs: tables longer than cli-table3 can draw are drawn as blocks', () => {
  test(`tableLayout: more than ${MAX_TABLE_ROWS.toLocaleString('en')} rows are blocks, at any width`, () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => [`c${i}`, '1.00']);
    expect(tableLayout(['Variable', 'M'], rows(MAX_TABLE_ROWS), null)).toEqual({ kind: 'tables', groups: [[0, 1]] });
    expect(tableLayout(['Variable', 'M'], rows(MAX_TABLE_ROWS + 1), null)).toEqual({ kind: 'blocks' });
    expect(tableLayout(['Variable', 'M'], rows(MAX_TABLE_ROWS + 1), 80)).toEqual({ kind: 'blocks' });
  });

  test('renderTable of 150,000 rows (Array push with as many arguments overflowed): every row, as blocks', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [`c${i}`, String(i)]);
    const text = renderTable({ head: ['Variable', 'Value'], rows }, { color: false, width: null });
    expect(text.startsWith('Variable: c0\n  Value: 0\n')).toBe(true);
    expect(text).toContain('Variable: c149999\n  Value: 149999\n');
  });

  test('describe on 12,000 columns (more rows than a table holds): exit 0, each column a block', async () => {
    const n = 12_000;
    const names = Array.from({ length: n }, (_, i) => `c${i}`);
    const file = path.join(dir, 'wide.csv');
    fs.writeFileSync(file, `${names.join(',')}\n${names.map((_, i) => i).join(',')}\n${names.map((_, i) => i + 2).join(',')}\n`);
    const r = await runCli(['describe', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // c11999: values 11999 and 12001, mean 12000.00 (SD √2 = 1.41).
    expect(r.stdout).toContain('Variable: c11999, M (SD)\n  All (n = 2): 12000.00 (1.41)\n');
  });
});

test('--replay of a report whose plan names a published-values file the provenance does not record: one line (exit 1), not an internal error', async () => {
  const out = path.join(dir, 'published-run');
  const plan = path.join(dir, 'plan-published.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'] }));
  expect((await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json'])).code).toBe(0);
  const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
  // The recorded plan text (with its SHA-256 made to match) now names a published-values file that was never read.
  const content = JSON.stringify({ steps: ['sample'], published: 'never-read.json' });
  doc.provenance.plan_file = { path: plan, sha256: require('node:crypto').createHash('sha256').update(content).digest('hex'), content };
  const edited = path.join(dir, 'published-edited.json');
  fs.writeFileSync(edited, JSON.stringify(doc));
  const r = await runCli(['report', '--replay', edited, '--out-dir', path.join(dir, 'never2')]);
  expectOneLineError(r, 1, /published-edited\.json: the plan names the published values never-read\.json, which the provenance does not record \(the report was edited\), it cannot be replayed$/);
  expect(fs.existsSync(path.join(dir, 'never2'))).toBe(false);
});

test('validate --plan of a plan that is not valid JSON (or 10⁵ levels deep): said, exit 2 (it passed as "no problems found")', async () => {
  const deep = path.join(dir, 'deep-plan.json');
  fs.writeFileSync(deep, `{"title": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  expectOneLineError(await runCli(['validate', EXAMPLE, '--plan', deep]), 2, /^canrelax-analyze: plan .*deep-plan\.json is not valid JSON \(arrays and objects nested deeper than 64 levels\), fix the plan file$/);
  const broken = path.join(dir, 'broken-plan.json');
  fs.writeFileSync(broken, '{"steps": [');
  expectOneLineError(await runCli(['validate', EXAMPLE, '--plan', broken]), 2, /^canrelax-analyze: plan .*broken-plan\.json is not valid JSON \(/);
});

test('an id column given to --adjust on 3,000 rows: the one-line refusal counting every level (it grew a column per level first: minutes at 20,000)', async () => {
  const file = path.join(dir, 'ids.csv');
  const rows = Array.from({ length: 3000 }, (_, i) => `P${String(i).padStart(4, '0')},${i % 7},${(i * 37) % 11}`);
  fs.writeFileSync(file, `pid,x,y\n${rows.join('\n')}\n`);
  const r = await runCli(['correlate', file, '--x', 'x', '--y', 'y', '--adjust', 'pid']);
  expectOneLineError(r, 1, /^canrelax-analyze: covariate pid is text with 3000 levels \(P0000, P0001, P0002, P0003, P0004, …\), .*ids\.csv, more than 20 is an id or free text, not a factor/);
  // Declared categorical it is a factor, as asked: 25 levels here (no cap applies).
  const few = path.join(dir, 'few.csv');
  fs.writeFileSync(few, `g,x,y\n${Array.from({ length: 200 }, (_, i) => `L${i % 25},${i % 7},${(i * 37) % 11}`).join('\n')}\n`);
  const forced = await runCli(['correlate', few, '--x', 'x', '--y', 'y', '--adjust', 'g', '--categorical', 'g', '--format', 'json']);
  expect(forced.code).toBe(0);
  expect(JSON.parse(forced.stdout).results[0].n).toBe(200);
});
