/**
 * Issue 9.1: a column's type comes from the whole column (or the schema / --categorical), never from one row, so
 * the rows' order cannot change a result; numbers and text mixed in one column are a data error naming the fix.
 * Issue 9.5: messages that name the real cause.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, expectOneLineError, runCli, runJson } from '../helpers/cli';

const header = fs.readFileSync(EXAMPLE, 'utf8').split('\n')[0].split(',');
const records = fs.readFileSync(EXAMPLE, 'utf8').trimEnd().split('\n').slice(1);
const AGE = header.indexOf('age');
const ARM = header.indexOf('arm');
/** Index in `records` of the first app-arm row (line index + 2 in the file). */
const FIRST_APP = records.findIndex((r) => r.split(',')[ARM] === 'app');

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-types-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
function write(rows: string[], head = header.join(','), ext = 'csv'): string {
  const file = path.join(dir, `input-${count++}.${ext}`);
  fs.writeFileSync(file, `${head}\n${rows.join('\n')}\n`);
  return file;
}

/** The example with `age` of the first app-arm row set to `value` (a quoted cell when it holds a comma). */
function withFirstAppAge(value: string, rows = records): string[] {
  const first = rows.findIndex((r) => r.split(',')[ARM] === 'app');
  return rows.map((r, i) => {
    if (i !== first) return r;
    const cells = r.split(',');
    cells[AGE] = value.includes(',') ? `"${value}"` : value;
    return cells.join(',');
  });
}

/** Deterministic shuffle (a linear congruential generator, seeded), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const COVARIATES = ['--where', 'arm=app', '--x', 'alliance', '--y', 'distress', '--adjust', 'age,sex,baseline,expectation'];
const line = FIRST_APP + 2;

describe('a number column never turns categorical by accident', () => {
  test('a decimal comma in the first app row: data error naming column, line and --decimal ,', async () => {
    const r = await runCli(['correlate', write(withFirstAppAge('70,5')), ...COVARIATES]);
    expectOneLineError(r, 1, new RegExp(`column "age" \\(--adjust\\) is a number column, but "70,5" at line ${line} is not a number \\(1 of 1\\d\\d values\\), .*pass --decimal , if 70,5 means 70\\.5$`));
  });

  test('n/a or unknown in the first app row: data error with the --na hint', async () => {
    for (const value of ['n/a', 'unknown']) {
      const r = await runCli(['model', write(withFirstAppAge(value)), ...COVARIATES]);
      expectOneLineError(r, 1, new RegExp(`column "age" \\(--adjust\\) is a number column, but "${value}" at line ${line} is not a number .*declare missing codes with --na ${value} \\(or "na" in the config\\)$`));
    }
    // Declared missing, the row drops out and the rest is analysed: one row fewer than the example's n.
    const base = await runJson(['correlate', EXAMPLE, ...COVARIATES]);
    const declared = await runJson(['correlate', write(withFirstAppAge('n/a')), ...COVARIATES, '--na', 'n/a']);
    expect(declared.results[0].n).toBe(base.results[0].n - 1);
  });

  test('1e400 (beyond a double) is an error, not a level', async () => {
    const r = await runCli(['correlate', write(withFirstAppAge('1e400')), ...COVARIATES]);
    expectOneLineError(r, 1, /"1e400" at line \d+ is not a number .*1e400 is beyond the largest number \(1\.8e308\), correct it$/);
  });

  test('a column outside the schema: mostly numbers with text is an error offering --na or --categorical', async () => {
    const head = header.map((h) => (h === 'age' ? 'alter' : h)).join(',');
    const args = ['--where', 'arm=app', '--x', 'alliance', '--y', 'distress', '--adjust', 'alter'];
    const r = await runCli(['correlate', write(withFirstAppAge('unknown'), head), ...args]);
    expectOneLineError(r, 1, /column "alter" \(--adjust\) holds mostly numbers, but "unknown" at line \d+ is not a number .*--na unknown \(or "na" in the config\); or pass --categorical alter if the column really is a factor$/);
    // Named a factor, it is one: every age a level (more than 20 is allowed then).
    const forced = await runJson(['correlate', write(withFirstAppAge('unknown'), head), ...args, '--categorical', 'alter']);
    expect(forced.results[0].k).toBeGreaterThan(20);
  });

  test('mostly text with a few numbers: the numbers are the odd ones', async () => {
    const rows = records.map((r, i) => (i === 5 ? r.replace(/,(male|female),/, ',2,') : r));
    const r = await runCli(['correlate', write(rows), '--x', 'alliance', '--y', 'distress', '--adjust', 'sex']);
    expectOneLineError(r, 1, /column "sex" \(--adjust\) holds mostly text, but "2" at line 7 is a number \(1 of \d+ values\), .*pass --categorical sex if the column is a factor, or correct the numbers$/);
  });

  test('describe (Table 1) follows the same rule', async () => {
    const r = await runCli(['describe', write(withFirstAppAge('70,5')), '--where', 'arm=app']);
    expectOneLineError(r, 1, /column "age" \(Table 1\) is a number column, but "70,5" at line \d+ is not a number .*pass --decimal , if 70,5 means 70\.5$/);
    const base = await runJson(['describe', EXAMPLE, '--where', 'arm=app']);
    const again = await runJson(['describe', write(shuffled(records, 7)), '--where', 'arm=app']);
    expect(again.variables.length).toBeGreaterThan(3);
    expect(again.variables).toEqual(base.variables);
  });

  test('same file, rows shuffled: the same result, or the same error', async () => {
    const base = await runJson(['correlate', EXAMPLE, ...COVARIATES]);
    const bad = withFirstAppAge('n/a');
    for (const seed of [1, 2, 3]) {
      const doc = await runJson(['correlate', write(shuffled(records, seed)), ...COVARIATES]);
      expect(doc.results[0].n).toBe(base.results[0].n);
      expect(doc.results[0].df).toBe(base.results[0].df);
      // Sums in another order: equal to rounding (1e-12), not a different model.
      expect(Math.abs(doc.results[0].r - base.results[0].r)).toBeLessThan(1e-12);
      expect(doc.analysis.notes).toEqual(base.analysis.notes);
      const r = await runCli(['correlate', write(shuffled(bad, seed)), ...COVARIATES]);
      expectOneLineError(r, 1, /column "age" \(--adjust\) is a number column, but "n\/a" at line \d+ is not a number \(1 of \d+ values\), .*--na n\/a/);
    }
  });

  test('a categorical covariate is said, with its levels, in the footer and the JSON notes', async () => {
    const note = 'sex is text and enters as categorical (levels female, male; reference female unless --ref)';
    const doc = await runJson(['correlate', EXAMPLE, ...COVARIATES]);
    expect(doc.analysis.notes).toEqual([note]);
    const table = await runCli(['correlate', EXAMPLE, ...COVARIATES]);
    expect(table.stdout).toContain(`Note: ${note}.`);
    const model = await runJson(['model', EXAMPLE, ...COVARIATES]);
    expect(model.analysis.notes).toEqual([note]);
  });

  test('a text covariate of more than 20 levels is refused unless --categorical names it', async () => {
    const r = await runCli(['correlate', EXAMPLE, '--x', 'alliance', '--y', 'distress', '--adjust', 'id']);
    expectOneLineError(r, 1, /covariate id is text with 234 levels \(CR0001, CR0002, CR0003, CR0004, CR0005, …\), .*more than 20 is an id or free text, not a factor: leave it out of --adjust, or pass --categorical id if it is one$/);
  });

  test('a text --x: a categorical predictor goes in --adjust, --interaction or --by', async () => {
    const r = await runCli(['correlate', EXAMPLE, '--x', 'arm', '--y', 'distress']);
    expectOneLineError(r, 2, /arm \(--x\) is a text column .*a categorical predictor goes in --adjust arm \(or model --interaction arm, or --by arm\)$/);
  });
});

describe('messages that name the real cause', () => {
  test('--where that keeps nothing: the filter and what its columns hold', async () => {
    const text = await runCli(['correlate', EXAMPLE, '--where', 'arm=App']);
    expectOneLineError(text, 1, /^canrelax-analyze: no rows where arm=App, .*canrelax-synthetic\.csv; arm has app, waitlist; check the values and their case$/);
    const numeric = await runCli(['model', EXAMPLE, '--y', 'distress', '--x', 'alliance', '--where', 'arm=app,age>=200']);
    // Ages of the rows the filter turned away (the app rows, whose ages the example ranges 25 to 85 in).
    expectOneLineError(numeric, 1, /^canrelax-analyze: no rows where arm=app,age>=200, .*; arm has app, waitlist; age has numbers from \d+ to \d+; check the values and their case$/);
    const scoreColumn = await runCli(['score', EXAMPLE, '--where', 'wai_total>9']);
    // The example's wai_total ranges from 1.3333333 to 4.75 (R: range of the WAI-I total scored as test/reference/published.R scores it).
    expectOneLineError(scoreColumn, 1, /no rows where wai_total>9, .*; wai_total has numbers from 1\.33333 to 4\.75; check/);
  });

  test('report --where arm=app,sex=male: the stratified, measurement and moderation steps left out with a note, the rest written', async () => {
    const out = path.join(dir, 'report-male');
    const r = await runCli(['report', EXAMPLE, '--where', 'arm=app,sex=male', '--out-dir', out]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    const text = JSON.stringify(doc);
    expect(text).toContain('steps stratified, measurement and moderation left out: where sex=male leaves one level of sex');
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('Note: steps stratified, measurement and moderation left out: where sex=male leaves one level of sex.');
    expect(text).not.toContain('"id":"stratified"');
    expect(text).toContain('"id":"correlations"');
  });

  test('renamed WAI items: --map and the config with the nearest names', async () => {
    const head = header.map((h) => h.replace(/^wai_(\d+)$/, 'WAI4_$1')).join(',');
    const r = await runCli(['correlate', write(records, head), '--x', 'alliance', '--y', 'distress']);
    expectOneLineError(r, 2, /the wai items \(wai_1, …\) are not in the file under those names \(nearest to wai_1: WAI4_1, WAI4_10, WAI4_11\), map them with --map WAI4_1=wai_1,… or "map" in canrelax\.config\.json/);
  });

  test('Excel, SPSS and other programs\' files are named as such, not "a NUL byte"', async () => {
    // .xlsx and .sav are read (test/cli/spss-excel.test.ts): a broken one is named as what it claims to be.
    const cases: Array<[string, Buffer, RegExp]> = [
      ['xlsx', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000\u0008\u0000\u0000\u0000!\u0000', 'latin1'), /data\.xlsx is not a readable \.xlsx workbook \(.*\), save it again from Excel or export it as CSV/],
      ['xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /is a password-protected workbook or an old binary \.xls, which cannot be read/],
      ['sav', Buffer.from('$FL2@(#) IBM SPSS STATISTICS 64-bit\u0000\u0000\u0002', 'latin1'), /data\.sav is not a readable SPSS file \(shorter than its header\)/],
    ];
    for (const [ext, bytes, pattern] of cases) {
      const file = path.join(dir, `data.${ext}`);
      fs.writeFileSync(file, bytes);
      for (const command of ['score', 'validate']) expectOneLineError(await runCli([command, file]), 1, pattern);
    }
  });

  test('repeated ids warn in score and correlate too', async () => {
    const rows = [...records.slice(0, 10), records[2], records[3]];
    const file = write(rows);
    const warning = /^canrelax-analyze: warning: 2 rows repeat an earlier row's id: line 12 \(as line 4\), line 13 \(as line 5\), .*run validate for the list$/m;
    const score = await runCli(['score', file]);
    expect(score.code).toBe(0);
    expect(score.stderr).toMatch(warning);
    const correlate = await runCli(['correlate', file, '--x', 'alliance', '--y', 'distress']);
    expect(correlate.code).toBe(0);
    expect(correlate.stderr).toMatch(warning);
    expect((await runCli(['score', EXAMPLE])).stderr).toBe('');
  });

  test('aliased covariates: the note names the stratum', async () => {
    // In stratum a, z is constant (aliased with the intercept); in b it varies.
    const input = 'x,y,g,z\n1,2,a,1\n2,3,a,1\n3,5,a,1\n4,4,a,1\n5,7,a,1\n1,2,b,1\n2,1,b,2\n3,5,b,3\n4,4,b,1\n5,7,b,2\n';
    const r = await runCli(['correlate', '-', '--x', 'x', '--y', 'y', '--by', 'g', '--adjust', 'z'], { stdin: input });
    expect(r.stdout).toContain("Dropped as aliased (rank-deficient covariates, as R's lm): z (stratum a).");
  });

  test('no arguments: the help on stderr, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: canrelax-analyze \[options\] \[command\]/);
  });

  test('one rule for whole numbers: 1e3 is 1000 in every command', async () => {
    const simulated = await runCli(['simulate', '--n', '1e3']);
    expect(simulated.stdout.trimEnd().split('\n')).toHaveLength(1001);
    expect((await runCli(['power', '--n', '1e3', '--format', 'json'])).stdout).toBe((await runCli(['power', '--n', '1000', '--format', 'json'])).stdout);
    const boot = await runJson(['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'alliance', '--bootstrap', '2e2']);
    expect(boot.results[0].bootstrap.resamples).toBe(200);
    for (const [args, pattern] of [
      [['simulate', '--n', '1.5'], /--n must be a whole number from 1 to 100000000, got "1.5"/],
      [['simulate', '--n', '0x10'], /--n must be a whole number/],
      [['power', '--n', '1e400'], /--n must be a whole number of observations/],
      [['correlate', EXAMPLE, '--bootstrap', '1e8'], /--bootstrap must be a whole number of resamples from 100 to 10000000, got "1e8"/],
    ] as Array<[string[], RegExp]>) {
      expectOneLineError(await runCli(args), 2, pattern);
    }
  });
});

test('validate on a decimal comma: the list, then the same fix correlate gives (--decimal ,)', async () => {
  const file = write(withFirstAppAge('70,5'));
  const r = await runCli(['validate', file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/column "age": "70,5" is not a number/);
  expect(r.stderr).toMatch(/^canrelax-analyze: 1 problem in .*, see the list above and fix them; pass --decimal , if 70,5 means 70\.5\n$/);
});
