/**
 * Issue 18, "a stranger's export, end to end": test/fixtures/stranger/ (made by make.py from the bundled example) is
 * the example's data as another trial database exports it — German names, Geschlecht coded 1/2, time points T0/T2,
 * semicolon and decimal comma, -99 for missing, the database's SUM score wai_total, an .xlsx whose IF(…,"") and
 * IFERROR(…,"") formulas are cached as Excel caches them. Each item of the issue has its test here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runCli, expectOneLineError } from '../helpers/cli';

const FIXTURES = path.join(ROOT, 'test/fixtures/stranger');
const CSV = path.join(FIXTURES, 'stranger.csv');
const XLSX = path.join(FIXTURES, 'stranger.xlsx');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-stranger-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const json = async (args: string[]) => {
  const r = await runCli([...args, '--format', 'json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return { doc: JSON.parse(r.stdout), stderr: r.stderr };
};

describe('.xlsx: a formula cached as the empty string is an empty cell', () => {
  test('IF(…,"") and IFERROR(…,"") stored <c t="str"><f>…</f><v/></c> read as empty; the numbers cached beside them as numbers', async () => {
    const r = await runCli(['score', XLSX]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const head = lines[0].split(',');
    const total = head.indexOf('wai_total');
    const note = head.indexOf('Hinweis');
    const csv = fs.readFileSync(CSV, 'utf8').trim().split('\n').map((l) => l.split(';'));
    // Row 1 (CR0001): every item answered, the database's sum 53; row 2 (CR0002): items missing, "" cached.
    expect(lines[1].split(',')[total]).toBe('53');
    expect(lines[2].split(',')[total]).toBe('');
    expect(lines.slice(1).map((l) => l.split(',')[total])).toEqual(csv.slice(1).map((c) => c[csv[0].indexOf('wai_total')]));
    expect(lines.slice(1).every((l) => l.split(',')[note] === '')).toBe(true);
  });
  test('a formula without any cached value is still refused, naming the cell', async () => {
    expectOneLineError(await runCli(['score', path.join(ROOT, 'test/fixtures/spss-excel/formula.xlsx')]), 1, /cell C3 is a formula without a cached value/);
  });
});

describe('degenerate fits', () => {
  // y = 2x + 3z exactly: the partial correlation of x and y given z is 1 (y's residual is 2 × x's).
  const rows = [[3, 1], [5, 0], [1, 4], [7, 2], [2, 2], [9, 5], [4, 7], [6, 3], [8, 8], [0, 6]];
  const file = path.join(TMP, 'perfect.csv');
  fs.writeFileSync(file, 'x,y,z\n' + rows.map(([x, z]) => `${x},${2 * x + 3 * z},${z}`).join('\n') + '\n');
  test('correlate --bayes on y = 2x + 3z: r = 1, t and BF10 infinite (null in JSON with notes), exit 0', async () => {
    const { doc } = await json(['correlate', file, '--x', 'x', '--y', 'y', '--adjust', 'z', '--bayes']);
    const result = doc.results[0];
    expect(Math.abs(result.r - 1)).toBeLessThan(1e-12);
    expect(result.t).toBeNull();
    expect(result.bf10).toBeNull();
    expect(result.p).toBeLessThan(1e-12);
    expect(doc.analysis.notes).toEqual([
      'y is an exact linear function of x and the covariates: r = 1, t is infinite (null in JSON, ∞ in tables)',
      'BF10 of x with y is infinite (a perfect fit; null in JSON, ∞ in tables)',
    ]);
    const table = await runCli(['correlate', file, '--x', 'x', '--y', 'y', '--adjust', 'z', '--bayes']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ 1\.00 │ \[1\.00, 1\.00\] │ ∞ │ < \.001 │ .* │ +∞ │/);
    expect(table.stdout).not.toMatch(/e\+308/);
  });
});
