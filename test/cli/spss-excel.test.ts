/**
 * SPSS (.sav, .zsav) and Excel (.xlsx) input: the committed fixtures (test/fixtures/spss-excel/, made by make-sav.R
 * with haven::write_sav and make-xlsx.py with openpyxl) hold the bundled example, so every command's output on them
 * must equal its output on examples/canrelax-synthetic.csv byte for byte (the input's path and hash aside).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, ROOT, expectOneLineError, runCli } from '../helpers/cli';

const FIX = path.join(ROOT, 'test/fixtures/spss-excel');
const fixture = (name: string) => path.join(FIX, name);
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-spss-excel-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** JSON output without the input's provenance (path, size, hash), which names the file read. */
function withoutInput(text: string): unknown {
  const doc = JSON.parse(text);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) if (k !== 'input' && k !== 'source' && k !== 'provenance') out[k] = strip(v);
      return out;
    }
    return value;
  };
  return strip(doc);
}

/**
 * An SPSS factor's note says it is coded with value labels where the CSV's says text (issue 21): the one intended
 * difference, put back to the CSV's words before comparing.
 */
const asCsvNote = (text: string) => text.split('is coded with SPSS value labels').join('is text');

async function ok(args: string[], stdin?: Buffer): Promise<string> {
  const r = await runCli(args, stdin === undefined ? {} : { stdin });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const SAME_DATA: Array<[string, string[]]> = [
  ['canrelax.sav', []],
  ['canrelax.zsav', []],
  ['canrelax.xlsx', []],
  ['second.xlsx', ['--sheet', 'export']],
  ['second.xlsx', ['--sheet', '2']],
];

describe('the example as .sav, .zsav and .xlsx gives the CSV results exactly', () => {
  let csvScore: string;
  let csvCorrelate: unknown;
  let csvSpearman: unknown;
  let csvDescribe: unknown;
  beforeAll(async () => {
    csvScore = await ok(['score', EXAMPLE]);
    csvCorrelate = withoutInput(await ok(['correlate', EXAMPLE, '--x', 'alliance,bond', '--y', 'distress', '--adjust', 'baseline,sex,age', '--by', 'arm', '--format', 'json']));
    csvSpearman = withoutInput(await ok(['correlate', EXAMPLE, '--x', 'alliance', '--y', 'distress', '--adjust', 'baseline', '--method', 'spearman', '--format', 'json']));
    csvDescribe = withoutInput(await ok(['describe', EXAMPLE, '--by', 'arm', '--format', 'json']));
  });

  test.each(SAME_DATA)('score %s %p: the same scored CSV, byte for byte', async (name, flags) => {
    expect(await ok(['score', fixture(name), ...flags])).toBe(csvScore);
  });

  test.each(SAME_DATA)('correlate and describe %s %p: the same numbers', async (name, flags) => {
    const file = fixture(name);
    expect(withoutInput(asCsvNote(await ok(['correlate', file, ...flags, '--x', 'alliance,bond', '--y', 'distress', '--adjust', 'baseline,sex,age', '--by', 'arm', '--format', 'json'])))).toEqual(csvCorrelate);
    expect(withoutInput(await ok(['correlate', file, ...flags, '--x', 'alliance', '--y', 'distress', '--adjust', 'baseline', '--method', 'spearman', '--format', 'json']))).toEqual(csvSpearman);
    expect(withoutInput(await ok(['describe', file, ...flags, '--by', 'arm', '--format', 'json']))).toEqual(csvDescribe);
  });

  test('from standard input, told by its first bytes', async () => {
    expect(await ok(['score', '-'], fs.readFileSync(fixture('canrelax.sav')))).toBe(csvScore);
    expect(await ok(['score', '-'], fs.readFileSync(fixture('canrelax.xlsx')))).toBe(csvScore);
  });

  test('by content when the extension says nothing', async () => {
    const copy = path.join(TMP, 'export.dat');
    fs.copyFileSync(fixture('canrelax.sav'), copy);
    expect(await ok(['score', copy])).toBe(csvScore);
  });

  test('report: the same report.md and report.json', async () => {
    const dirs = ['csv', 'sav', 'xlsx'].map((d) => path.join(TMP, `report-${d}`));
    await ok(['report', EXAMPLE, '--out-dir', dirs[0]]);
    await ok(['report', fixture('canrelax.sav'), '--out-dir', dirs[1]]);
    await ok(['report', fixture('canrelax.xlsx'), '--out-dir', dirs[2]]);
    const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
    // The input's name and hash appear in the provenance: put the CSV's in their place.
    const csvHash = JSON.parse(read(dirs[0], 'report.json')).provenance?.input?.sha256 as string | undefined;
    for (const [dir, name] of [
      [dirs[1], 'canrelax.sav'],
      [dirs[2], 'canrelax.xlsx'],
    ]) {
      const hash = JSON.parse(read(dir, 'report.json')).provenance?.input?.sha256 as string | undefined;
      const same = (text: string) => {
        let out = asCsvNote(text).split(path.join(FIX, name)).join(EXAMPLE).split(name).join('canrelax-synthetic.csv');
        if (hash && csvHash) out = out.split(hash).join(csvHash);
        return out;
      };
      expect(withoutInput(same(read(dir, 'report.json')))).toEqual(withoutInput(read(dirs[0], 'report.json')));
      expect(same(read(dir, 'report.md')).replace(/^.*(sha256|SHA-256|bytes).*$/gim, '')).toBe(read(dirs[0], 'report.md').replace(/^.*(sha256|SHA-256|bytes).*$/gim, ''));
    }
  }, 120_000);

  test('validate reads them', async () => {
    const r = await runCli(['validate', fixture('canrelax.sav')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${fixture('canrelax.sav')}: 234 rows, 59 columns, no problems found\n`);
    const x = await runCli(['validate', fixture('canrelax.xlsx')]);
    expect(x.stdout).toBe(`${fixture('canrelax.xlsx')}: 234 rows, 59 columns, no problems found\n`);
  });
});

describe('SPSS value labels, missing values and text', () => {
  test('--values codes keeps the codes of labelled columns (arm 1 = app, 2 = waitlist; sex 1 = female, 2 = male)', async () => {
    const lines = (await ok(['score', fixture('canrelax.sav'), '--values', 'codes'])).split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['id', 'arm', 'sex']);
    // The example's first row is CR0001, app, male (examples/canrelax-synthetic.csv line 2).
    expect(lines[1].split(',').slice(0, 3)).toEqual(['CR0001', '1', '2']);
    const labels = (await ok(['score', fixture('canrelax.sav')])).split('\n');
    expect(labels[1].split(',').slice(0, 3)).toEqual(['CR0001', 'app', 'male']);
  });

  test('features.sav: a code without a label stays its code, user-missing text is missing, long and non-ASCII text whole', async () => {
    const out = (await ok(['score', fixture('features.sav')])).trimEnd().split('\n');
    expect(out[0]).toBe('id,grade,city,note,answer,score');
    const rows = out.slice(1).map((l) => l.split(','));
    // make-sav.R: grade = 3, 1, 2, 4 labelled low = 1, mid = 2, high = 3; answer "?" is user-missing.
    expect(rows.map((r) => r[1])).toEqual(['high', 'low', 'mid', '4']);
    expect(rows.map((r) => r[2])).toEqual(['Zürich', 'Genève', 'Lugano', 'Bern']);
    expect(rows.map((r) => r[3])).toEqual(['x'.repeat(300), 'é'.repeat(200), 'short', '']);
    expect(rows.map((r) => r[4])).toEqual(['y', 'n', '', 'y']);
    // Numbers in their shortest round-trip text: each reads back as the double R wrote.
    expect(rows.map((r) => Number(r[5]))).toEqual([0.1, 1 / 3, -2.5e-8, 12345678.125]);
  });
});

describe('SPSS factor levels in code order (haven::as_factor)', () => {
  // make-sav.R: group 1 = waitlist, 2 = app; R: lm(y ~ x + as_factor(group)) in levels.json.
  const reference = JSON.parse(fs.readFileSync(fixture('levels.json'), 'utf8'));
  const term = (doc: { models: Array<{ terms: Array<{ term: string; estimate: number }> }> }, name: string) =>
    doc.models[0].terms.find((t) => t.term === name)!.estimate;

  test('the lowest code is the reference level: groupapp as R names and estimates it', async () => {
    expect(reference.levels).toEqual(['waitlist', 'app']);
    const doc = JSON.parse(await ok(['model', fixture('levels.sav'), '--y', 'y', '--x', 'x', '--adjust', 'group', '--format', 'json']));
    expect(doc.models[0].terms.map((t: { term: string }) => t.term)).toEqual(['(Intercept)', 'x', 'groupapp']);
    for (const name of ['(Intercept)', 'x', 'groupapp']) expect(Math.abs(term(doc, name) - reference.coefficients[name])).toBeLessThan(1e-10);
    expect(doc.analysis.notes[0]).toBe('group is coded with SPSS value labels and enters as categorical (levels waitlist, app; reference waitlist unless --ref)');
  });

  test('--values codes: the same column as its numeric codes', async () => {
    const doc = JSON.parse(await ok(['model', fixture('levels.sav'), '--y', 'y', '--x', 'x', '--adjust', 'group', '--values', 'codes', '--format', 'json']));
    expect(doc.models[0].terms.map((t: { term: string }) => t.term)).toEqual(['(Intercept)', 'x', 'group']);
    // With codes 1, 2 the slope of group is the app − waitlist difference and x's is unchanged.
    expect(Math.abs(term(doc, 'group') - reference.coefficients.groupapp)).toBeLessThan(1e-10);
    expect(Math.abs(term(doc, 'x') - reference.coefficients.x)).toBeLessThan(1e-10);
  });
});

describe('Excel cells', () => {
  test('dates as ISO text, formulas by their cached value, empty rows skipped', async () => {
    const r = await runCli(['score', fixture('features.xlsx')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'id,visit,seen_at,dose,double_dose,note\n' +
        'p1,2026-03-14,2026-03-14T09:30:00,0.1,0.2,first\n' +
        'p2,1999-12-31,2000-01-01T00:00:01,2.5,5,\n' +
        'p3,,,,,Zürich\n',
    );
  });

  test.each([
    ['formula.xlsx', /^canrelax-analyze: cell C3 is a formula without a cached value/],
    ['merged.xlsx', /header cell C1 is empty \(or part of a merged cell\), sheet Sheet of .*merged\.xlsx/],
    ['blank-header.xlsx', /header cell B1 is empty/],
  ])('%s: a one-line error naming the cell', async (name, pattern) => {
    expectOneLineError(await runCli(['score', fixture(name)]), 1, pattern);
  });

  test('--sheet names a sheet that is not there: exit 2 listing the sheets', async () => {
    expectOneLineError(await runCli(['score', fixture('second.xlsx'), '--sheet', 'data']), 2, /--sheet data: no such sheet .*; sheets: 1 readme, 2 export$/);
    expectOneLineError(await runCli(['score', fixture('second.xlsx'), '--sheet', '3']), 2, /no such sheet/);
  });
});

describe('unreadable files: one line, exit 1', () => {
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(TMP, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  test('a truncated .sav', async () => {
    const file = write('cut.sav', fs.readFileSync(fixture('canrelax.sav')).subarray(0, 3000));
    expectOneLineError(await runCli(['score', file]), 1, /cut\.sav is not a readable SPSS file/);
  });
  test('a .sav that is text', async () => {
    const file = write('text.sav', Buffer.from('id,x\n1,2\n'));
    expectOneLineError(await runCli(['score', file]), 1, /is not an SPSS system file/);
  });
  test('a corrupt .xlsx', async () => {
    const bytes = Buffer.from(fs.readFileSync(fixture('canrelax.xlsx')));
    bytes.fill(7, 200, 20000);
    expectOneLineError(await runCli(['score', write('broken.xlsx', bytes)]), 1, /broken\.xlsx/);
  });
  test('a password-protected workbook (an OLE compound file)', async () => {
    const ole = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    expectOneLineError(await runCli(['score', write('locked.xlsx', ole)]), 1, /password-protected workbook or an old binary \.xls/);
  });
});
