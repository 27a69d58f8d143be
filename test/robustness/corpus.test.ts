/**
 * A corpus of malformed exports, each with the exit code and message it must give through score, validate and
 * correlate (test/cli/score.test.ts has the small bad-input cases; these are the file-level ones). Inputs are
 * generated here from the default schema (`simulate --n 50 --seed 1`, lines 2–51 are its rows) and from
 * sat_act.csv (quoted fields), not committed.
 *
 * Every error: exit 1 (data) or 2 (command line), exactly one line on stderr starting `canrelax-analyze: `, no
 * stack trace, and — run again with --out — the same error and nothing new in the --out folder (no temporary
 * file either). Inputs that must work are compared with the clean export's results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliResult } from '../helpers/cli';
import { Random, canrelaxExport, checkRun, expectError, listing, runTimed, satAct, tempDir, withBom } from './helpers';

const CORRELATE = ['--x', 'wai_total', '--y', 'phqads_total_w10', '--adjust', 'age,sex'];
type Command = 'score' | 'validate' | 'correlate';
const ALL: Command[] = ['score', 'validate', 'correlate'];

let V: string; // the valid export
let lines: string[]; // its lines, lines[n - 1] is line n
let header: string[];
let sat: string;
let satLines: string[];
let inDir: string;
let outDir: string;
let fileCount = 0;

beforeAll(async () => {
  V = (await canrelaxExport()).toString('utf8');
  lines = V.split('\n');
  header = lines[0].split(',');
  sat = satAct().toString('utf8');
  satLines = sat.split('\n');
  inDir = tempDir('cra-corpus-in-');
  outDir = tempDir('cra-corpus-out-');
});

afterAll(() => {
  fs.rmSync(inDir, { recursive: true, force: true });
  fs.rmSync(outDir, { recursive: true, force: true });
});

/** Writes an input file (messages then name the path, as a user would see them). */
function file(content: string | Buffer): string {
  const name = path.join(inDir, `input-${++fileCount}.csv`);
  fs.writeFileSync(name, content);
  return name;
}

/** correlate gets the default schema's --x, --y and --adjust unless the case names its own x. */
function argsFor(command: Command, input: string, extra: string[] = []): string[] {
  return [command, input, ...(command === 'correlate' && !extra.includes('--x') ? CORRELATE : []), ...extra];
}

/**
 * The command fails with `code` and a line matching `pattern`; run again with --out (score, correlate), it fails
 * the same way and leaves nothing in the --out folder.
 */
async function expectFails(command: Command, input: string, code: 1 | 2, pattern: RegExp, extra: string[] = []): Promise<void> {
  const r = await runTimed(argsFor(command, input, extra));
  expectError(r, code, pattern);
  if (command === 'validate') return;
  const before = listing(outDir);
  const withOut = await runTimed([...argsFor(command, input, extra), '--out', path.join(outDir, 'results.txt')]);
  expectError(withOut, code, pattern);
  expect(listing(outDir)).toEqual(before);
}

async function expectAllFail(input: string, code: 1 | 2, pattern: RegExp, commands: Command[] = ALL): Promise<void> {
  for (const command of commands) await expectFails(command, input, code, pattern);
}

async function ok(args: string[], stdin?: string | Buffer): Promise<CliResult> {
  const r = await runTimed(args, stdin, 20_000);
  expect(checkRun(r)).toBeNull();
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/error/) });
  return r;
}

const results = (r: CliResult) => {
  const doc = JSON.parse(r.stdout);
  return { results: doc.results, comparisons: doc.comparisons };
};

/** Replaces line n of the export (1-based). */
function withLine(n: number, text: string, source: string[] = lines): string {
  const copy = [...source];
  copy[n - 1] = text;
  return copy.join('\n');
}

function setCell(line: string, column: string, value: string): string {
  const cells = line.split(',');
  cells[header.indexOf(column)] = value;
  return cells.join(',');
}

describe('truncated, unclosed, ragged', () => {
  test('truncated mid-row: the last record is short', async () => {
    const cut = lines.slice(0, 50).join('\n') + '\n' + lines[50].slice(0, Math.floor(lines[50].length / 2));
    await expectAllFail(file(cut), 1, /^canrelax-analyze: line 51 has \d+ fields but the header has 49, .*check the delimiter and the quotes on that line$/);
  });

  test('truncated mid-quoted-field (sat_act cut inside "SA399")', async () => {
    const cut = satLines.slice(0, 399).join('\n') + '\n' + satLines[399].slice(0, 4);
    await expectAllFail(file(cut), 1, /an unclosed quote in the record at line 400, .*fix the quoting there$/, ['score', 'validate']);
    await expectFails('correlate', file(cut), 1, /an unclosed quote in the record at line 400/, ['--x', 'ACT', '--y', 'SATQ']);
  });

  test('an unclosed quote mid-file swallows the rest: reported at its line, whatever the chunk size', async () => {
    const input = file(withLine(10, lines[9].replace(',waitlist,', ',"waitlist,').replace(',app,', ',"app,')));
    for (const chunk of [[], ['--chunk-size', '7'], ['--chunk-size', '64']]) {
      for (const command of ALL) await expectFails(command, input, 1, /an unclosed quote in the record at line 10, /, chunk);
    }
  });

  test('ragged rows: too few and too many fields, unquoted and quoted', async () => {
    const fewer = file(withLine(20, lines[19].slice(0, lines[19].lastIndexOf(','))));
    await expectAllFail(fewer, 1, /line 20 has 48 fields but the header has 49/);
    const more = file(withLine(20, lines[19] + ',1'));
    await expectAllFail(more, 1, /line 20 has 50 fields but the header has 49/);
    const satMore = file(withLine(30, satLines[29] + ',"x"', satLines));
    await expectAllFail(satMore, 1, /line 30 has 9 fields but the header has 8/, ['score', 'validate']);
  });

  test('mixed delimiters: header with commas, rows with semicolons', async () => {
    const mixed = [lines[0], ...lines.slice(1).map((l) => l.replace(/,/g, ';'))].join('\n');
    await expectAllFail(file(mixed), 1, /line 2 has 1 field but the header has 49, .*check the delimiter/);
  });
});

describe('not UTF-8 text', () => {
  test('binary garbage (random bytes with NULs)', async () => {
    const r = new Random(20240601);
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => (r.chance(0.05) ? 0 : r.int(256))));
    await expectAllFail(file(bytes), 1, /(looks like UTF-16 or binary|a NUL byte|bytes that are not UTF-8).*save the export as UTF-8 CSV$/);
  });

  test('text, then binary: the line of the first bad byte', async () => {
    const r = new Random(7);
    const garbage = Buffer.from([0, ...Array.from({ length: 2000 }, () => r.int(256))]);
    const input = file(Buffer.concat([Buffer.from(lines.slice(0, 5).join('\n') + '\n'), garbage]));
    await expectAllFail(input, 1, /a NUL byte \(binary data\) near line 6, /);
  });

  test.each([
    ['UTF-16 LE with BOM', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16 BE with BOM', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()])],
    ['UTF-16 LE without BOM', (t: string) => Buffer.from(t, 'utf16le')],
  ])('%s, read whole and a byte at a time', async (_name, encode) => {
    const input = file(encode(V));
    await expectAllFail(input, 1, /looks like UTF-16 or binary, not UTF-8 text, save the export as UTF-8 CSV$/);
    for (const command of ALL) await expectFails(command, input, 1, /looks like UTF-16 or binary/, ['--chunk-size', '1']);
  });
});

describe('sizes', () => {
  test('a 10 MB quoted field holding delimiters, quotes and line breaks: read and echoed intact', async () => {
    const unit = 'a,b;c\td\r\ne\nf""g ';
    const big = `"${unit.repeat(Math.ceil((10 * 1048576) / unit.length))}"`;
    const notes = lines.slice(1, 51).map((_, i) => (i === 8 ? big : `n${i}`));
    const input = [`note,${lines[0]}`, ...lines.slice(1, 51).map((l, i) => `${notes[i]},${l}`)].join('\n') + '\n';
    const path10 = file(input);

    const clean = (await ok(['score', '-'], V)).stdout.split('\n');
    const scored = await ok(['score', path10]);
    // The output is the clean export's, each row led by its note — the 10 MB one byte for byte.
    const expected = [`note,${clean[0]}`, ...clean.slice(1, 51).map((l, i) => `${notes[i]},${l}`)].join('\n') + '\n';
    expect(scored.stdout.length).toBe(expected.length);
    expect(scored.stdout === expected).toBe(true);

    // And the analyses do not notice it; nor does the chunk size (linear time: 1 KB chunks would take minutes
    // if the open field were parsed again from its start on every chunk).
    const want = results(await ok(['correlate', '-', ...CORRELATE, '--format', 'json'], V));
    expect(results(await ok(['correlate', path10, ...CORRELATE, '--format', 'json']))).toStrictEqual(want);
    expect(results(await ok(['correlate', path10, ...CORRELATE, '--format', 'json', '--chunk-size', '1000']))).toStrictEqual(want);
    expect((await ok(['validate', path10])).stdout).toMatch(/50 rows, 50 columns, no problems found/);
  });

  test('100,000 columns (header and rows): work (their speed is in the bench)', async () => {
    const width = 100_000;
    const head = Array.from({ length: width }, (_, j) => `c${j}`).join(',');
    const rows = Array.from({ length: 6 }, (_, i) => Array.from({ length: width }, (_, j) => (i * 7 + j * (i + 1)) % 10).join(','));
    const text = [head, ...rows].join('\n') + '\n';
    const input = file(text);
    const scored = await ok(['score', input]);
    expect(scored.stdout === text).toBe(true); // no instrument items: echoed as it came
    expect(scored.stderr).toMatch(/warning: no instrument items found/);
    const corr = await ok(['correlate', input, '--x', 'c1', '--y', 'c2', '--adjust', 'c3', '--format', 'json']);
    expect(JSON.parse(corr.stdout).results[0]).toMatchObject({ x: 'c1', y: 'c2', n: 6 });
    // validate: not a CanRelax export — the schema's columns are reported, clearly.
    const checked = await runTimed(['validate', input]);
    expectError(checked, 1, /5 problems in .*, see the list above and fix them$/);
    expect(checked.stdout).toMatch(/the CanRelax schema needs column "arm"/);
  });

  test('a record longer than 64 MB without a line break: stopped, with the reason', async () => {
    const huge = Buffer.alloc(70 * 1048576, 'x');
    const input = file(Buffer.concat([Buffer.from(`${lines[0]}\n${lines[1]}\n`), huge, Buffer.from('\n')]));
    await expectFails('score', input, 1, /a record starting at line 3 runs past 64 MB, .*look for missing line breaks there$/, ['--chunk-size', '16384']);
    fs.rmSync(input);
  });

  test('an unclosed quote followed by 70 MB: stopped at 64 MB, in linear time', async () => {
    const body = Buffer.alloc(70 * 1048576, 'abcdefg,\n');
    const input = file(Buffer.concat([Buffer.from(`${lines[0]}\n${lines[1]}\n"`), body]));
    await expectFails('score', input, 1, /a record starting at line 3 runs past 64 MB, .*look for an unclosed quote there$/, ['--chunk-size', '16384']);
    fs.rmSync(input);
  });

  test('very long lines without a delimiter: a row, a header', async () => {
    await expectAllFail(file(`${lines[0]}\n${'x'.repeat(1 << 20)}\n${lines[2]}\n`), 1, /line 2 has 1 field but the header has 49/);
    const longHeader = file(`${'h'.repeat(5 << 20)}\n1\n`);
    for (const chunk of [[], ['--chunk-size', '1000']]) {
      for (const command of ALL) await expectFails(command, longHeader, 1, /cannot tell the delimiter from the header line \(found none of comma, semicolon, tab\), .* line 1, pass --delimiter/, chunk);
    }
  });

  test('a 20 MB unquoted cell, read in 1 KB chunks: echoed intact, in linear time', async () => {
    const cell = 'y'.repeat(20 << 20);
    const text = `id,note\nA,${cell}\nB,short\n`;
    const r = await ok(['score', file(text), '--chunk-size', '1024']);
    expect(r.stdout === text).toBe(true);
  });
});

describe('headers and names', () => {
  test('header only', async () => {
    await expectAllFail(file(`${lines[0]}\n`), 1, /no data rows after the header, .*export the data rows too$/);
    await expectAllFail(file(lines[0]), 1, /no data rows after the header/);
  });

  test.each([
    ['empty', ''],
    ['only blank lines', '\n\r\n\n'],
    ['only a BOM', '\uFEFF'],
    ['only spaces', '   '],
  ])('empty file: %s', async (_name, content) => {
    await expectAllFail(file(content), 1, /no header line, .* is empty, export the data with a header row$/);
  });

  test('duplicate column names, reserved ones included', async () => {
    await expectAllFail(file(`${lines[0]},age\n${lines[1]},40\n`), 1, /duplicate column name "age" \(columns 4 and 50\), .* line 1, give each column its own name$/);
    await expectAllFail(file(`id,__proto__,__proto__\n1,2,3\n`), 1, /duplicate column name "__proto__" \(columns 2 and 3\)/);
    await expectAllFail(file(`constructor,toString,constructor\n1,2,3\n`), 1, /duplicate column name "constructor" \(columns 1 and 3\)/);
  });

  test('reserved names (__proto__, constructor, toString, hasOwnProperty, prototype) are ordinary columns and levels', async () => {
    const r = new Random(11);
    const names = ['id', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'];
    const rows = Array.from({ length: 24 }, (_, i) => {
      const x = r.int(100);
      return [`P${i}`, x, x + r.int(30), r.int(50), r.int(9), i % 2 ? '__proto__' : 'constructor'].join(',');
    });
    const input = file([names.join(','), ...rows].join('\n') + '\n');

    const json = JSON.parse((await ok(['score', input, '--format', 'json', '--where', 'constructor>10'])).stdout);
    for (const row of json.rows) {
      expect(Object.keys(row)).toEqual(names);
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    }
    const corr = JSON.parse(
      (await ok(['correlate', input, '--x', '__proto__', '--y', 'constructor', '--adjust', 'toString,hasOwnProperty', '--by', 'prototype', '--format', 'json'])).stdout,
    );
    expect(corr.results.map((x: { stratum: string; x: string; y: string; n: number }) => [x.stratum, x.x, x.y, x.n])).toEqual([
      ['__proto__', '__proto__', 'constructor', 12],
      ['constructor', '__proto__', 'constructor', 12],
    ]);
    expect(corr.comparisons[0].strata).toEqual(['__proto__', 'constructor']);
    expect(corr.results[0].covariates).toEqual(['toString', 'hasOwnProperty']);
    // validate: the schema's columns are missing, reported as problems (not a crash).
    const checked = await runTimed(['validate', input, '--format', 'json']);
    expectError(checked, 1, /4 problems in /);
    expect(JSON.parse(checked.stdout).problems.map((p: { column: string }) => p.column)).toEqual(['arm', 'sex', 'age', 'expectation']);
  });

  test('leading blank lines before the header are skipped like any blank line', async () => {
    const want = (await ok(['score', '-'], V)).stdout;
    expect((await ok(['score', file(`\n\r\n${V}`)])).stdout).toBe(want);
  });
});

describe('values', () => {
  test('numbers with thousands separators ("1,234" quoted in an item column)', async () => {
    const input = file(withLine(7, setCell(lines[6], 'phq9_1_t0', '"1,234"')));
    for (const command of ['score', 'correlate'] as const) {
      await expectFails(command, input, 1, /"1,234" is not a number at line 7, column "phq9_1_t0", .*pass --decimal , if 1,234 means 1\.234$/);
    }
    const checked = await runTimed(['validate', input, '--format', 'json']);
    expectError(checked, 1, /1 problem in /);
    expect(JSON.parse(checked.stdout).problems).toEqual([
      { kind: 'not-a-number', line: 7, column: 'phq9_1_t0', value: '1,234', message: '"1,234" is not a number' },
    ]);
  });

  test('a repeated id: validate reports it, score passes it through', async () => {
    const first = lines[1].split(',')[0];
    const input = file(withLine(5, lines[4].replace(/^[^,]*/, first)));
    const checked = await runTimed(['validate', input, '--format', 'json']);
    expectError(checked, 1, /1 problem in /);
    expect(JSON.parse(checked.stdout).problems).toEqual([
      { kind: 'duplicate-id', line: 5, column: 'id', value: first, message: `id "${first}" also on line 2` },
    ]);
    const scored = (await ok(['score', input])).stdout.split('\n');
    expect(scored.filter((l) => l.startsWith(`${first},`))).toHaveLength(2);
    expect(scored).toHaveLength(52);
  });

  test('a row with every answer missing: empty scores; validate reports it', async () => {
    const cells = lines[5].split(',').map((c, i) => (/^(wai|phq9|gad7)_/.test(header[i]) ? '' : c));
    const input = file(withLine(6, cells.join(',')));
    const scored = (await ok(['score', input])).stdout.split('\n');
    const scoreHeader = scored[0].split(',');
    const row = scored[5].split(',');
    const scoreColumns = scoreHeader.slice(49);
    expect(scoreColumns).toEqual(['wai_task', 'wai_bond', 'wai_goal', 'wai_total', 'phqads_phq9_t0', 'phqads_gad7_t0', 'phqads_total_t0', 'phqads_phq9_w10', 'phqads_gad7_w10', 'phqads_total_w10']);
    expect(row.slice(49)).toEqual(scoreColumns.map(() => ''));
    const checked = await runTimed(['validate', input, '--format', 'json']);
    expectError(checked, 1, /1 problem in /);
    expect(JSON.parse(checked.stdout).problems).toEqual([
      { kind: 'no-answers', line: 6, column: null, value: null, message: 'no questionnaire item is answered' },
    ]);
  });

  test('a covariate with text in its first row fails as with text in a later row (never a silent factor)', async () => {
    // Issue 9.1: the first row once decided the type, so `age` = n/a on line 2 made age a 40-level factor.
    for (const at of [2, 40]) {
      for (const [value, fix] of [['n/a', /declare missing codes with --na n\/a/], ['70,5', /pass --decimal , if 70,5 means 70\.5/], ['1e400', /1e400 is beyond the largest number/]] as const) {
        const cell = value.includes(',') ? `"${value}"` : value;
        const input = file(withLine(at, setCell(lines[at - 1], 'age', cell)));
        await expectFails('correlate', input, 1, new RegExp(`column "age" \\(--adjust\\) is a number column, but "${value.replace('/', '\\/')}" at line ${at} is not a number .*${fix.source}`));
      }
    }
  });

  test('messages quoting data stay one line (a line break or a terminal escape in a cell)', async () => {
    const broken = file(withLine(4, setCell(lines[3], 'phq9_2_t0', '"1\n2"')));
    await expectFails('score', broken, 1, /^canrelax-analyze: "1\\n2" is not a number at line 4, column "phq9_2_t0"/);
    const text = file(`id,x,y\n1,\u001b[31mred,2\n2,3,4\n`);
    await expectFails('correlate', text, 1, /column "x" \(--x\) must hold numbers, but "\\x1b\[31mred" at line 2 is not a number/, ['--x', 'x', '--y', 'y']);
    const oneLevel = file(`id,x,y,g\n1,1,2,"a\nb"\n2,3,4,"a\nb"\n3,2,7,"a\nb"\n`);
    await expectFails('correlate', oneLevel, 2, /--by g has one level \(a\\nb\)/, ['--x', 'x', '--y', 'y', '--by', 'g']);
  });
});

describe('line ends, BOM, blank lines: the same results as the clean export', () => {
  const variants: Array<[string, (v: string) => string | Buffer]> = [
    ['CRLF and LF mixed', (v) => v.split('\n').map((l, i) => (i % 2 && l !== '' ? `${l}\r` : l)).join('\n')],
    ['CR only (old Mac)', (v) => v.replace(/\n/g, '\r')],
    ['a BOM', (v) => withBom(Buffer.from(v))],
    ['no final newline', (v) => v.slice(0, -1)],
    ['blank lines between rows (and CRLF blank lines, and at the end)', (v) => v.replace(/\n(CR001\d)/g, '\n\n\r\n$1') + '\n\n'],
  ];
  test.each(variants)('%s', async (_name, transform) => {
    const input = file(transform(V));
    const want = (await ok(['score', '-'], V)).stdout;
    expect((await ok(['score', input])).stdout).toBe(want);
    expect((await ok(['validate', input])).stdout).toMatch(/: 50 rows, 49 columns, no problems found/);
    const clean = results(await ok(['correlate', '-', ...CORRELATE, '--format', 'json', '--by', 'sex'], V));
    expect(results(await ok(['correlate', input, ...CORRELATE, '--format', 'json', '--by', 'sex']))).toStrictEqual(clean);
  });

  test('after blank lines, errors name the line in the file', async () => {
    const rows = [...lines];
    rows[19] = setCell(rows[19], 'wai_1', 'x'); // line 20
    rows.splice(10, 0, '', '\r', ''); // three blank lines after line 10: line 20 becomes 23
    await expectAllFail(file(rows.join('\n')), 1, /"x" is not a number at line 23, column "wai_1"/, ['score', 'correlate']);
  });

  test('a BOM read one or two bytes at a time is still a BOM', async () => {
    const input = file(withBom(Buffer.from(V)));
    const want = (await ok(['score', '-'], V)).stdout;
    for (const size of ['1', '2', '3']) {
      expect((await ok(['score', input, '--chunk-size', size])).stdout).toBe(want);
      expect((await ok(['validate', input, '--chunk-size', size])).stdout).toMatch(/no problems found/);
    }
  });
});

describe('the first problem in the file is the one reported, whatever the chunks', () => {
  const CHUNKS = [[], ['--chunk-size', '1'], ['--chunk-size', '7'], ['--chunk-size', '64'], ['--chunk-size', '4096']];

  test('a bad value early and a NUL byte later: the bad value', async () => {
    const rows = [...lines];
    rows[2] = setCell(rows[2], 'wai_2', '9'); // line 3: out of range
    rows[39] = rows[39] + '\u0000'; // line 40
    const input = file(rows.join('\n'));
    for (const chunk of CHUNKS) await expectFails('score', input, 1, /answer 9 is outside 1–5 at line 3, column "wai_2"/, chunk);
  });

  test('a bad value early and a broken quoted record later: the bad value', async () => {
    const rows = [...satLines];
    rows[4] = rows[4].replace(/,(\d+)$/, ',abc'); // line 5: SATQ not a number
    rows[300] = rows[300].replace('"male"', '"male"x'); // line 301: text after a closing quote
    const input = file(rows.join('\n'));
    for (const chunk of CHUNKS) {
      await expectFails('correlate', input, 1, /column "SATQ" \(--y\) must hold numbers, but "abc" at line 5 is not a number/, ['--x', 'ACT', '--y', 'SATQ', ...chunk]);
    }
  });

  test('a wrong column name in a flag (exit 2) comes before a broken row (exit 1)', async () => {
    const input = file(withLine(30, lines[29] + ',1'));
    for (const chunk of CHUNKS) {
      await expectFails('correlate', input, 2, /unknown column "wai_totl" in --x/, ['--x', 'wai_totl', ...chunk]);
    }
  });
});

describe('--out', () => {
  test('a folder, or a folder that does not exist: exit 2, nothing written', async () => {
    const input = file(V);
    fs.mkdirSync(path.join(outDir, 'taken'));
    const before = listing(outDir);
    expectError(await runTimed(['score', input, '--out', path.join(outDir, 'taken')]), 2, /--out .*taken is a folder, give a file name for the results$/);
    expectError(await runTimed(['correlate', input, '--out', outDir]), 2, /is a folder/);
    expectError(await runTimed(['score', input, '--out', path.join(outDir, 'missing', 'x.csv')]), 2, /cannot write .*x\.csv \(ENOENT\), check the folder exists and is writable$/);
    expect(listing(outDir)).toEqual(before);
    expect(listing(path.join(outDir, 'taken'))).toEqual([]);
    fs.rmdirSync(path.join(outDir, 'taken'));
  });

  test('a success writes the whole output, and nothing else', async () => {
    const input = file(V);
    const target = path.join(outDir, 'scored.csv');
    const r = await ok(['score', input, '--out', target]);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(target, 'utf8')).toBe((await ok(['score', input])).stdout);
    expect(listing(outDir)).toEqual(['scored.csv']);
    fs.rmSync(target);
  });
});
