/**
 * The SPSS reader (src/io/sav.ts) on files haven::write_sav made (test/fixtures/spss-excel/make-sav.R): the
 * dictionary as R wrote it, and the cases; and the strict reader (issue 20) on files built byte by byte
 * (test/helpers/binary-files.ts): cut short, bombed, or holding what SPSS never writes, each a one-line error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { isUserMissing, readSav } from '../../src/io/sav';
import { SavVariableSpec, bytecode, rawData, savDictionary, savFile, zsavData, zsavFile } from '../helpers/binary-files';

const FIX = path.resolve(__dirname, '../fixtures/spss-excel');
const read = (name: string) => readSav(fs.readFileSync(path.join(FIX, name)), name);

describe('readSav', () => {
  test('the dictionary: names, variable labels, value labels, user-missing values and ranges', () => {
    const file = read('canrelax.sav');
    expect(file.declaredCases).toBe(234);
    expect(file.variables.map((v) => v.name).slice(0, 6)).toEqual(['id', 'arm', 'sex', 'age', 'expectation', 'wai_1']);
    const v = Object.fromEntries(file.variables.map((x) => [x.name, x]));
    expect(v.id.width).toBe(6);
    expect([...v.arm.valueLabels]).toEqual([[1, 'app'], [2, 'waitlist']]);
    expect([...v.sex.valueLabels]).toEqual([[1, 'female'], [2, 'male']]);
    expect(v.age.label).toBe('Age in years');
    expect(v.expectation.label).toBe('Expected benefit (0-10)');
    expect(v.expectation.missing.range).toEqual([900, 999]);
    expect(v.wai_1.missing.values).toEqual([-99]);
    expect(isUserMissing(v.expectation, 999)).toBe(true);
    expect(isUserMissing(v.expectation, 10)).toBe(false);
    expect(isUserMissing(v.wai_1, -99)).toBe(true);
  });

  test('cases: .sav and .zsav decode to the same values, system-missing as NaN', () => {
    const sav = [...read('canrelax.sav').cases()].map((c) => [...c]);
    const zsav = [...read('canrelax.zsav').cases()].map((c) => [...c]);
    expect(sav).toHaveLength(234);
    expect(zsav).toEqual(sav);
    // examples/canrelax-synthetic.csv line 2: CR0001,app,male,71,5,4,4,5,…; line 4: CR0003 (waitlist) has no WAI answers (-99 here).
    expect(sav[0].slice(0, 8)).toEqual(['CR0001', 1, 2, 71, 5, 4, 4, 5]);
    expect(sav[2].slice(5, 8)).toEqual([-99, -99, -99]);
    // phq9_1_t0 of CR0001 is empty in the CSV: system-missing.
    expect(sav[0][17]).toBeNaN();
  });

  test('long and non-ASCII strings, string user-missing', () => {
    const file = read('features.sav');
    const note = file.variables.find((v) => v.name === 'note')!;
    expect(note.width).toBe(400);
    expect(note.segments).toEqual([32, 19]);
    expect(file.variables.find((v) => v.name === 'answer')!.missing.texts).toEqual(['?']);
    expect(file.variables.find((v) => v.name === 'grade')!.label).toBe('Grade (Ü)');
    const cases = [...file.cases()].map((c) => [...c]);
    expect(cases.map((c) => c[3])).toEqual(['x'.repeat(300), 'é'.repeat(200), 'short', '']);
    expect(cases.map((c) => c[2])).toEqual(['Zürich', 'Genève', 'Lugano', 'Bern']);
  });

  test('a truncated file is an error naming it', () => {
    const bytes = fs.readFileSync(path.join(FIX, 'canrelax.sav')).subarray(0, 1000);
    expect(() => readSav(bytes, 'cut.sav')).toThrow(/^cut\.sav is not a readable SPSS file \(the file ends inside a record at byte \d+\)/);
  });
});

describe('strict SPSS reading (issue 20): what SPSS never writes is a one-line error, never other numbers', () => {
  const VARS: SavVariableSpec[] = [
    { name: 'id', width: 3 },
    { name: 'x', width: 0 },
    { name: 'y', width: 0 },
  ];
  // Six cases, 2.5 and 1e6 outside the bytecode's whole-number codes (written as raw doubles), one system-missing.
  const CASES: Array<Array<number | string>> = [
    ['a', 1, 2.5],
    ['b', 2, 3],
    ['c', 3, NaN],
    ['d', 4, 1e6],
    ['e', 5, -7],
    ['f', 6, 0],
  ];
  const all = (buf: Buffer, name = 't.sav') => [...readSav(buf, name).cases()].map((c) => [...c]);
  const error = (buf: Buffer, name = 't.sav') => {
    try {
      all(buf, name);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  const prefix = (name: string) => `${name} is not a readable SPSS file (`;

  test('the files built here read back as written: raw, bytecode and .zsav alike', () => {
    const want = CASES.map((c) => c.map((v) => (typeof v === 'number' && Number.isNaN(v) ? NaN : v)));
    expect(all(savFile({ variables: VARS, cases: 6, compression: 0, data: rawData(VARS, CASES) }))).toEqual(want);
    expect(all(savFile({ variables: VARS, cases: 6, compression: 1, data: bytecode(VARS, CASES) }))).toEqual(want);
    expect(all(zsavFile(VARS, 6, bytecode(VARS, CASES)), 't.zsav')).toEqual(want);
    // Blocks of 16 bytes: command groups and their values straddle the blocks.
    expect(all(zsavFile(VARS, 6, bytecode(VARS, CASES), { blockSize: 16 }), 't.zsav')).toEqual(want);
  });

  test('cut at a case boundary: an error naming both counts, not 5 cases read as all there are', () => {
    const raw = savFile({ variables: VARS, cases: 6, compression: 0, data: rawData(VARS, CASES.slice(0, 5)) });
    expect(error(raw)).toBe(`${prefix('t.sav')}its header declares 6 cases, the data hold 5; the file is cut short), save it again from SPSS or export it as CSV`);
    const code = savFile({ variables: VARS, cases: 6, compression: 1, data: bytecode(VARS, CASES.slice(0, 5), 100, false) });
    expect(error(code)).toMatch(/its header declares 6 cases, the data hold 5; the file is cut short/);
    const z = zsavFile(VARS, 6, bytecode(VARS, CASES.slice(0, 5)));
    expect(error(z)).toMatch(/its header declares 6 cases, the data hold 5/);
    // Cut inside a case: raw slots that are not whole cases.
    const inside = savFile({ variables: VARS, cases: 6, compression: 0, data: rawData(VARS, CASES).subarray(0, 5 * 24 + 8) });
    expect(error(inside)).toMatch(/the data end inside a case \(128 bytes of data, cases of 24\)/);
  });

  test('more cases than declared: an error (a 1-byte-per-case bytecode stream is 268 M cases from 261 KB zipped)', () => {
    expect(error(savFile({ variables: VARS, cases: 5, compression: 1, data: bytecode(VARS, CASES) }))).toMatch(/more cases than the 5 its header declares/);
    // One numeric variable, code 101 (the value 1) 8 per group: a million cases where the header says 6. The
    // blocks' declared bytes already exceed what 6 cases can take: refused when the file is opened.
    const one: SavVariableSpec[] = [{ name: 'x', width: 0 }];
    const bomb = zsavFile(one, 6, Buffer.alloc(1 << 20, 101));
    expect(() => readSav(bomb, 'bomb.zsav')).toThrow(/zlib blocks inflating to 1048576 bytes, more than 6 cases of 1 values can take/);
    // Within that bound, the count stops the cases as they stream, a block at a time.
    expect(error(zsavFile(one, 100, Buffer.alloc(600, 101)), 'b.zsav')).toMatch(/more cases than the 100 its header declares/);
    // The count in the extended case count record (7.16) when the header's is −1.
    const dictionary = savDictionary({ variables: one, cases: -1, extendedCases: 100, compression: 2 });
    const extended = Buffer.concat([dictionary, zsavData(dictionary.length, Buffer.alloc(600, 101))]);
    expect(error(extended, 'e.zsav')).toMatch(/more cases than the 100 its header declares/);
    // Unknown (−1), nothing would bound them: a .zsav must declare its count (its writer seeks back for its header).
    expect(error(zsavFile(one, -1, Buffer.alloc(600, 101)), 'b.zsav')).toBe(
      'b.zsav is not a readable SPSS file (a .zsav header without its case count), save it again from SPSS or export it as CSV',
    );
  });

  test('.zsav: a trailer listing one block three times, blocks out of place, and blocks that inflate past their size', () => {
    const code = bytecode(VARS, CASES);
    const dataAt = savDictionary({ variables: VARS, cases: 18, compression: 2 }).length;
    const thrice = Buffer.concat([savDictionary({ variables: VARS, cases: 18, compression: 2 }), zsavData(dataAt, code, { blockSize: code.length, listed: [0, 0, 0] })]);
    expect(error(thrice, 'x.zsav')).toBe(`${prefix('x.zsav')}zlib block 2 is not where block 1 ends (the blocks must follow one another)), save it again from SPSS or export it as CSV`);
    // A block whose stream inflates to 4 MB while the trailer says 80 bytes: stopped at 80.
    const dictionary = savDictionary({ variables: VARS, cases: 6, compression: 2 });
    const lying = Buffer.concat([dictionary, zsavData(dictionary.length, code, { blocks: [{ inflated: 80, stored: zlib.deflateSync(Buffer.alloc(4 << 20)) }] })]);
    expect(error(lying, 'x.zsav')).toMatch(/zlib block 1 inflates to more than the 80 bytes it declares/);
    const short = Buffer.concat([dictionary, zsavData(dictionary.length, code, { blocks: [{ inflated: 80, stored: zlib.deflateSync(Buffer.alloc(40)) }] })]);
    expect(error(short, 'x.zsav')).toMatch(/zlib block 1 inflates to 40 bytes, not the 80 it declares/);
    const garbage = Buffer.concat([dictionary, zsavData(dictionary.length, code, { blocks: [{ inflated: 80, stored: Buffer.alloc(30, 7) }] })]);
    expect(error(garbage, 'x.zsav')).toMatch(/zlib block 1 does not inflate/);
    // A trailer that does not end the file, and a block larger than the block size.
    const good = zsavFile(VARS, 6, code);
    expect(error(Buffer.concat([good, Buffer.alloc(8)]), 'x.zsav')).toMatch(/a zlib trailer at byte \d+ of 48 bytes, which does not end the \d+-byte file/);
    expect(error(zsavFile(VARS, 6, code, { blockSize: 16, blocks: [{ inflated: 32, stored: zlib.deflateSync(code.subarray(0, 32)) }] }), 'x.zsav')).toMatch(
      /zlib block 1 declares \d+ bytes inflating to 32, in blocks of 16/,
    );
  });

  test('0 variables, a NaN or infinite bias, impossible widths and missing-value counts: one line each, no loop', () => {
    expect(error(savFile({ variables: [], cases: 3, compression: 0, data: Buffer.alloc(0) }))).toBe(`${prefix('t.sav')}no variables), save it again from SPSS or export it as CSV`);
    expect(error(savFile({ variables: [], cases: -1, compression: 1, data: Buffer.alloc(64) }))).toMatch(/\(no variables\)/);
    for (const bias of [NaN, Infinity, -Infinity]) {
      expect(error(savFile({ variables: VARS, cases: 6, compression: 1, bias, data: bytecode(VARS, CASES) }))).toBe(
        `${prefix('t.sav')}a compression bias of ${bias}), save it again from SPSS or export it as CSV`,
      );
    }
    const withWidth = (width: number) => {
      const b = savFile({ variables: [{ name: 'x', width: 0 }], cases: 0, compression: 0, data: Buffer.alloc(0) });
      b.writeInt32LE(width, 176 + 4);
      return b;
    };
    expect(error(withWidth(300))).toMatch(/a variable width of 300 at byte 176/);
    expect(error(withWidth(-5))).toMatch(/a variable width of -5 at byte 176/);
    // A string of width 24 with one continuation slot instead of two.
    const v24 = savFile({ variables: [{ name: 's', width: 24 }], cases: 0, compression: 0, data: Buffer.alloc(0) });
    const cut = Buffer.concat([v24.subarray(0, 176 + 32), v24.subarray(176 + 64)]);
    cut.writeInt32LE(2, 68);
    expect(error(cut)).toMatch(/variable s of width 24 in 2 slots, not 3/);
    const missing = savFile({ variables: [{ name: 'x', width: 0 }], cases: 0, compression: 0, data: Buffer.alloc(0) });
    missing.writeInt32LE(7, 176 + 12);
    expect(error(missing)).toMatch(/a missing-value count of 7 at byte 176/);
    const count = savFile({ variables: VARS, cases: -2, compression: 0, data: Buffer.alloc(0) });
    expect(error(count)).toMatch(/a case count of -2 in its header/);
  });

  test('a code of the wrong kind for its slot: 254 (spaces) in a number, a number code in text; a NaN or infinite double', () => {
    // As doubles, eight spaces are 6.01e-154: the value the lenient reader gave.
    expect(Buffer.from('        ').readDoubleLE(0)).toBeCloseTo(6.01e-154, 156);
    const code = bytecode(VARS, CASES);
    // The first command group: id (253, raw text), x (101 = 1), y (253, raw 2.5).
    expect([...code.subarray(0, 3)]).toEqual([253, 101, 253]);
    const spaces = Buffer.from(code);
    spaces[1] = 254; // case 1's x
    expect(error(savFile({ variables: VARS, cases: 6, compression: 1, data: spaces }))).toBe(
      `${prefix('t.sav')}text (code 254) where a number belongs in variable x of case 1), save it again from SPSS or export it as CSV`,
    );
    // A raw double that is NaN or infinite: SPSS writes neither (system-missing is −DBL_MAX).
    for (const bad of [NaN, Infinity]) {
      const raw = rawData(VARS, CASES);
      raw.writeDoubleLE(bad, 24 + 8); // case 2's x
      expect(error(savFile({ variables: VARS, cases: 6, compression: 0, data: raw }))).toMatch(new RegExp(`\\(the value ${bad} in variable x of case 2\\)`));
    }
    const number = Buffer.from(code);
    number[0] = 101; // case 1's id
    expect(error(savFile({ variables: VARS, cases: 6, compression: 1, data: number }))).toMatch(/a number \(code 101\) where text belongs in variable id of case 1/);
  });
});
