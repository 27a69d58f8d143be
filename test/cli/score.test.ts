/**
 * `score`: reference values (../shared/reference, computed in R by make_reference.R), hand-worked scores,
 * and the reading conventions of the foundation issue.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REFERENCE, expectOneLineError, runCli } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const EPI = path.join(REFERENCE, 'epi.csv');
const EPI_DEF = path.join(REFERENCE, 'epi.instrument.json');
const epiExpected = JSON.parse(fs.readFileSync(path.join(REFERENCE, 'epi.expected.json'), 'utf8'));

const WAI = Array.from({ length: 12 }, (_, i) => `wai_${i + 1}`);

/** A small WAI-I file: id, sex, age, then the 12 items. */
function waiCsv(rows: Array<Array<string | number>>, extraHeader: string[] = []): string {
  return [['id', 'sex', 'age', ...WAI, ...extraHeader].join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** A one-item instrument "q" (answers 1–5) for tests about reading rather than scoring: its score q_a equals item q1. */
const Q_DEF = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cra-def-')), 'q.json');
fs.writeFileSync(Q_DEF, JSON.stringify({ id: 'q', min: 1, max: 5, score: 'mean', subscales: [{ id: 'a', items: ['q1'] }] }));

function parseCsv(text: string): string[][] {
  return text.trimEnd().split('\n').map((line) => line.split(','));
}

describe('score against the R reference (epi)', () => {
  test('--summary json: n, mean, sd, alpha, alpha_n to 1e-10 (epi.expected.json)', async () => {
    const r = await runCli(['score', EPI, '--instrument', EPI_DEF, '--summary', '--format', 'json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout).instruments[0].subscales;
    for (const want of epiExpected.score) {
      const s = got.find((x: { id: string }) => x.id === want.subscale);
      expect(s.n).toBe(want.n);
      expect(s.alpha_n).toBe(want.alpha_n);
      expectClose(s.mean, want.mean);
      expectClose(s.sd, want.sd);
      expectClose(s.alpha, want.alpha);
    }
  });

  test('per-row scores match the first rows', async () => {
    const r = await runCli(['score', EPI, '--instrument', EPI_DEF]);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout);
    const header = rows[0];
    for (const [i, want] of epiExpected.first_rows.entries()) {
      const row = rows[i + 1];
      expect(row[header.indexOf('id')]).toBe(want.id);
      for (const s of ['E', 'N', 'L']) expectClose(Number(row[header.indexOf(`epi_${s}`)]), want[`epi_${s}`], 1e-13);
    }
  });
});

describe('scoring rules, worked by hand', () => {
  test('WAI-I key: task 1,2,10,12; bond 3,5,7,9; goal 4,6,8,11; total all 12', async () => {
    // Items 1..12 answered 1,2,3,4,5,1,2,3,4,5,1,2:
    // task = (1+2+5+2)/4 = 2.5; bond = (3+5+2+4)/4 = 3.5; goal = (4+1+3+1)/4 = 2.25; total = 33/12 = 2.75.
    const r = await runCli(['score', '-'], { stdin: waiCsv([['P1', 'female', 50, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]]) });
    expect(r.code).toBe(0);
    const [header, row] = parseCsv(r.stdout);
    expect(header.slice(-4)).toEqual(['wai_task', 'wai_bond', 'wai_goal', 'wai_total']);
    expect(row.slice(-4)).toEqual(['2.5', '3.5', '2.25', '2.75']);
  });

  test('a blank answer is missing, never 0; below the 75% threshold the score is missing', async () => {
    // task items 1,2,10,12 = 4,4,_,4 → 3 of 4 answered (ceil(0.75·4) = 3) → mean 4 (not 3, as 0 would give).
    // bond items 3,5,7,9 = _,_,5,5 → 2 of 4 < 3 → missing. total: 10 of 12 answered ≥ 9 → (sum of answered)/10.
    const items = [4, 4, '', 3, '', 3, 5, 3, 5, '', 3, 4];
    const r = await runCli(['score', '-'], { stdin: waiCsv([['P1', 'male', 40, ...items]]) });
    const [header, row] = parseCsv(r.stdout);
    const get = (c: string) => row[header.indexOf(c)];
    expect(get('wai_task')).toBe('4');
    expect(get('wai_bond')).toBe('');
    // goal items 4,6,8,11 = 3,3,3,3 → 3. total answered: 4+4+3+3+5+3+5+3+4 = 34 over 9 items.
    expect(get('wai_goal')).toBe('3');
    expect(Number(get('wai_total'))).toBeCloseTo(34 / 9, 14);
  });

  test('PHQ-ADS: prorated sums per time point, total only when both subscales are scored', async () => {
    const phq = (s: string) => Array.from({ length: 9 }, (_, i) => `phq9_${i + 1}_${s}`);
    const gad = (s: string) => Array.from({ length: 7 }, (_, i) => `gad7_${i + 1}_${s}`);
    const header = ['id', ...phq('t0'), ...gad('t0'), ...phq('w10'), ...gad('w10')].join(',');
    // t0: PHQ-9 answers 1×8 and one blank → 8 of 9 (≥ 7) → 8/8·9 = 9; GAD-7 all 2 → 14; total 23.
    // w10: PHQ-9 only 6 answered (< 7) → missing; GAD-7 all 0 → 0; total missing.
    const t0 = [...Array(8).fill(1), '', ...Array(7).fill(2)];
    const w10 = [...Array(6).fill(3), '', '', '', ...Array(7).fill(0)];
    const r = await runCli(['score', '-'], { stdin: `${header}\nX,${[...t0, ...w10].join(',')}\n` });
    expect(r.code).toBe(0);
    const [h, row] = parseCsv(r.stdout);
    const get = (c: string) => row[h.indexOf(c)];
    expect(h.slice(-6)).toEqual(['phqads_phq9_t0', 'phqads_gad7_t0', 'phqads_total_t0', 'phqads_phq9_w10', 'phqads_gad7_w10', 'phqads_total_w10']);
    expect([get('phqads_phq9_t0'), get('phqads_gad7_t0'), get('phqads_total_t0')]).toEqual(['9', '14', '23']);
    expect([get('phqads_phq9_w10'), get('phqads_gad7_w10'), get('phqads_total_w10')]).toEqual(['', '0', '']);
  });

  test('reversed answer = min + max − answer with the declared range; --min-answered overrides', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-'));
    const def = path.join(dir, 'inst.json');
    fs.writeFileSync(def, JSON.stringify({ id: 'x', min: 0, max: 4, score: 'mean', subscales: [{ id: 'a', items: ['q1', 'q2'], reverse: ['q2'] }] }));
    // q1 = 1, q2 = 1 reversed → 0 + 4 − 1 = 3 (declared range 0–4, though only 1 is observed): mean 2.
    let r = await runCli(['score', '-', '--instrument', def], { stdin: 'q1,q2\n1,1\n3,\n' });
    expect(parseCsv(r.stdout).map((row) => row[2])).toEqual(['x_a', '2', '']);
    // With --min-answered 0.5 one answer of two is enough: row 2 → 3.
    r = await runCli(['score', '-', '--instrument', def, '--min-answered', '0.5'], { stdin: 'q1,q2\n1,1\n3,\n' });
    expect(parseCsv(r.stdout).map((row) => row[2])).toEqual(['x_a', '2', '3']);
  });

  test('--map reads items under other names; config file roles and map', async () => {
    const header = ['id', ...WAI.map((_, i) => `WAI4_${String(i + 1).padStart(2, '0')}`)].join(',');
    const map = WAI.map((item, i) => `WAI4_${String(i + 1).padStart(2, '0')}=${item}`).join(',');
    const r = await runCli(['score', '-', '--map', map], { stdin: `${header}\nA,${Array(12).fill(4).join(',')}\n` });
    expect(r.code).toBe(0);
    expect(parseCsv(r.stdout)[1].slice(-4)).toEqual(['4', '4', '4', '4']);
  });
});

describe('reading exports', () => {
  test('BOM, CRLF, quoted delimiters, quotes and newlines are read and echoed intact', async () => {
    const text = '\uFEFFid,note,q1\r\n"A,1","he said ""hi""\r\nline two",3\r\nB,plain,4\r\n';
    const r = await runCli(['score', '-', '--instrument', Q_DEF], { stdin: text });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('id,note,q1,q_a');
    // The quoted field keeps its quote and its line break (CRLF inside quotes is data).
    expect(r.stdout).toContain('"A,1","he said ""hi""\r\nline two",3,3\n');
    expect(r.stdout).toContain('B,plain,4,4\n');
  });

  test('a multi-byte character split across chunks is not corrupted', async () => {
    const bytes = Buffer.from('id,name,q1\nA,Zürich,3\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
    const r = await runCli(['score', '-', '--instrument', Q_DEF], {
      stdin: [bytes.subarray(0, cut), bytes.subarray(cut)],
    });
    expect(r.stdout).toContain('A,Zürich,3');
  });

  test('semicolons and decimal commas (--decimal ,), extra missing codes (--na)', async () => {
    const text = 'id;q1;age\nA;3;40,5\nB;-99;41\n';
    const r = await runCli(['score', '-', '--instrument', Q_DEF, '--decimal', ',', '--na', '-99', '--format', 'json']);
    expect(r.code).toBe(1); // no stdin given: header missing
    const ok = await runCli(
      ['score', '-', '--instrument', Q_DEF, '--decimal', ',', '--na', '-99', '--format', 'json'],
      { stdin: text },
    );
    expect(ok.code).toBe(0);
    const rows = JSON.parse(ok.stdout).rows;
    // age is a role (a number column): 40,5 is 40.5. −99 is a missing code: wai_1 null, scores null.
    expect(rows[0]).toMatchObject({ id: 'A', q1: 3, age: 40.5, q_a: 3 });
    expect(rows[1]).toMatchObject({ id: 'B', q1: null, q_a: null });
  });

  test('" 5 " is 5; reserved-looking column names are ordinary columns', async () => {
    const r = await runCli(['score', '-', '--instrument', Q_DEF, '--format', 'json'], {
      stdin: '__proto__,constructor,hasOwnProperty,q1\np,c,h, 5 \n',
    });
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout).rows[0];
    expect(Object.keys(row).slice(0, 3)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(row.q1).toBe(5);
    expect(r.stdout).toContain('"__proto__":"p"');
  });

  test('.tsv means tab; ndjson and tsv outputs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-'));
    const file = path.join(dir, 'x.tsv');
    fs.writeFileSync(file, 'id\tq1\nA\t2\n');
    const r = await runCli(['score', file, '--instrument', Q_DEF, '--format', 'ndjson']);
    expect(r.stdout).toBe('{"id":"A","q1":2,"q_a":2}\n');
    const t = await runCli(['score', file, '--instrument', Q_DEF, '--format', 'tsv']);
    expect(t.stdout).toBe('id\tq1\tq_a\nA\t2\t2\n');
  });

  test('--where: comma is and, numbers compare as numbers', async () => {
    const csv = waiCsv([
      ['A', 'female', 9, ...Array(12).fill(1)],
      ['B', 'female', 18, ...Array(12).fill(2)],
      ['C', 'male', 70, ...Array(12).fill(3)],
      ['D', '', 30, ...Array(12).fill(4)],
    ]);
    const ids = async (where: string) => parseCsv((await runCli(['score', '-', '--where', where], { stdin: csv })).stdout).slice(1).map((r) => r[0]);
    // As text "9" > "18"; as numbers 9 < 18.
    expect(await ids('age>=18')).toEqual(['B', 'C', 'D']);
    expect(await ids('age>=18,sex=female')).toEqual(['B']);
    expect(await ids('sex!=female')).toEqual(['C']); // a missing sex never matches
    expect(await ids('wai_total<2.5')).toEqual(['A', 'B']); // score columns too
  });

  test('--out-of-range missing counts and warns', async () => {
    const r = await runCli(['score', '-', '--out-of-range', 'missing'], { stdin: waiCsv([['A', 'f', 1, 7, ...Array(11).fill(2)]]) });
    expect(r.code).toBe(0);
    expect(parseCsv(r.stdout)[1].slice(-1)).toEqual(['2']);
    expect(r.stderr).toMatch(/1 answer outside the instrument range set to missing/);
  });

  test('--out writes atomically and refuses to overwrite the input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-'));
    const input = path.join(dir, 'in.csv');
    const out = path.join(dir, 'out.csv');
    fs.writeFileSync(input, waiCsv([['A', 'f', 1, ...Array(12).fill(2)], ['B', 'f', 1, 'x', ...Array(11).fill(2)]]));
    const bad = await runCli(['score', input, '--out', out]);
    expectOneLineError(bad, 1, /"x" is not a number at line 3, column "wai_1"/);
    expect(fs.readdirSync(dir)).toEqual(['in.csv']); // nothing written, no temporary left behind
    fs.writeFileSync(input, waiCsv([['A', 'f', 1, ...Array(12).fill(2)]]));
    expect((await runCli(['score', input, '--out', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^id,sex,age,wai_1/);
    expectOneLineError(await runCli(['score', input, '--out', input]), 2, /is the input file/);
  });
});

describe('bad input: exit code and one line', () => {
  const cases: Array<[string, string[], string, number, RegExp]> = [
    ['missing file', ['score', 'no/such.csv'], '', 2, /file not found: no\/such.csv/],
    ['unknown option', ['score', '-', '--frobnicate'], 'a,b\n1,2\n', 2, /unknown option '--frobnicate'/],
    ['unknown column in --where', ['score', '-', '--where', 'arn=app'], 'id,arm\n1,app\n', 2, /unknown column "arn" in --where.*nearest: arm/],
    ['bad --where grammar', ['score', '-', '--where', 'arm~app'], 'id,arm\n1,app\n', 2, /not column<op>value/],
    ['hexadecimal', ['score', '-'], waiCsv([['A', 'f', 1, '0x10', ...Array(11).fill(2)]]), 1, /"0x10" is not a number at line 2, column "wai_1"/],
    ['Infinity', ['score', '-'], waiCsv([['A', 'f', 1, 2, 'Infinity', ...Array(10).fill(2)]]), 1, /"Infinity" is not a number at line 2, column "wai_2"/],
    ['trailing text', ['score', '-'], waiCsv([['A', 'f', 1, 2, 2, '12abc', ...Array(9).fill(2)]]), 1, /"12abc" is not a number at line 2, column "wai_3"/],
    ['two decimal points', ['score', '-'], waiCsv([['A', 'f', 1, ...Array(11).fill(2), '1.2.3']]), 1, /"1.2.3" is not a number at line 2, column "wai_12"/],
    ['out of range', ['score', '-'], waiCsv([['A', 'f', 1, 6, ...Array(11).fill(2)]]), 1, /answer 6 is outside 1–5 at line 2, column "wai_1".*--out-of-range missing/],
    ['duplicate column names', ['score', '-'], 'id,age,age\n1,2,3\n', 1, /duplicate column name "age" \(columns 2 and 3\)/],
    ['empty file', ['score', '-'], '', 1, /no header line, stdin is empty/],
    ['header only', ['score', '-'], 'id,wai_1\n', 1, /no data rows after the header, stdin/],
    ['ambiguous delimiter', ['score', '-'], 'id;a,b\n1;2,3\n', 1, /cannot tell the delimiter.*--delimiter/],
    ['ragged row', ['score', '-'], 'id,a,b\n1,2\n', 1, /line 2 has 2 fields but the header has 3/],
    ['unclosed quote', ['score', '-'], 'id,a\n1,"oops\n2,3\n', 1, /unclosed quote in the record at line 2/],
    ['UTF-16', ['score', '-'], '\uFFFD\uFFFDi\u0000d\u0000', 1, /UTF-16 or binary/],
    ['unknown instrument', ['score', '-', '--instrument', 'phq99'], 'id\n1\n', 2, /unknown instrument "phq99"/],
    ['instrument items absent', ['score', '-', '--instrument', 'wai'], 'id,wai1\n1,2\n', 1, /none of the items of instrument "wai"/],
    ['bad --min-answered', ['score', '-', '--min-answered', '1.5'], 'id\n1\n', 2, /--min-answered must be a fraction/],
  ];
  test.each(cases)('%s', async (_name, args, stdin, code, pattern) => {
    expectOneLineError(await runCli(args, { stdin }), code, pattern);
  });

  test.each([
    ['unknown key', { id: 'x', min: 1, max: 5, score: 'mean', subscales: [{ id: 'a', items: ['q'] }], colour: 1 }, /unknown key "colour"/],
    ['min ≥ max', { id: 'x', min: 5, max: 5, score: 'mean', subscales: [{ id: 'a', items: ['q'] }] }, /"min" \(5\) must be below "max" \(5\)/],
    ['item twice', { id: 'x', min: 1, max: 5, score: 'mean', subscales: [{ id: 'a', items: ['q', 'q'] }] }, /item "q" is listed twice in subscale "a"/],
    ['reverse not an item', { id: 'x', min: 1, max: 5, score: 'sum', subscales: [{ id: 'a', items: ['q'], reverse: ['r'] }] }, /reversed item "r" is not among/],
  ])('instrument definition: %s', async (_name, def, pattern) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-'));
    const file = path.join(dir, 'def.json');
    fs.writeFileSync(file, JSON.stringify(def));
    expectOneLineError(await runCli(['score', '-', '--instrument', file], { stdin: 'q\n1\n' }), 1, pattern);
  });
});
