/**
 * The SPSS reader (src/io/sav.ts) on files haven::write_sav made (test/fixtures/spss-excel/make-sav.R): the
 * dictionary as R wrote it, and the cases; the Excel cell rules (src/io/xlsx.ts) on values as exceljs hands them on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUserMissing, readSav } from '../../src/io/sav';
import { cellAddress, cellText, isoDate } from '../../src/io/xlsx';

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
    // examples/canrelax-synthetic.csv line 2: CR0001,app,male,70,7,5,3,5,…; line 3: CR0002's WAI answers are empty (-99 here).
    expect(sav[0].slice(0, 8)).toEqual(['CR0001', 1, 2, 70, 7, 5, 3, 5]);
    expect(sav[1].slice(5, 8)).toEqual([-99, -99, -99]);
    // gad7_2_t0 of CR0001 is empty in the CSV: system-missing.
    expect(sav[0][27]).toBeNaN();
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

describe('Excel cells', () => {
  test('A1 addresses', () => {
    expect([cellAddress(1, 1), cellAddress(26, 3), cellAddress(27, 3), cellAddress(52, 10), cellAddress(703, 2)]).toEqual(['A1', 'Z3', 'AA3', 'AZ10', 'AAA2']);
  });
  test('ISO dates: the date alone at midnight, seconds, milliseconds when there are some', () => {
    expect(isoDate(new Date(Date.UTC(2026, 2, 14)))).toBe('2026-03-14');
    expect(isoDate(new Date(Date.UTC(2026, 2, 14, 9, 30)))).toBe('2026-03-14T09:30:00');
    expect(isoDate(new Date(Date.UTC(2026, 2, 14, 9, 30, 1, 250)))).toBe('2026-03-14T09:30:01.250');
  });
  test('values as a CSV export holds them', () => {
    expect(cellText(0.1, 1, 2, 'f.xlsx')).toBe('0.1');
    expect(Number(cellText(1 / 3, 1, 2, 'f.xlsx'))).toBe(1 / 3);
    expect(cellText(true, 1, 2, 'f.xlsx')).toBe('TRUE');
    expect(cellText({ richText: [{ text: 'a' }, { text: 'b' }] }, 1, 2, 'f.xlsx')).toBe('ab');
    expect(cellText({ formula: 'A1*2', result: 4 }, 1, 2, 'f.xlsx')).toBe('4');
    expect(cellText({ sharedFormula: 'B2', result: 'x' }, 1, 2, 'f.xlsx')).toBe('x');
    expect(cellText(null, 1, 2, 'f.xlsx')).toBe('');
    expect(() => cellText({ formula: 'A1*2' }, 3, 7, 'f.xlsx')).toThrow(/^cell C7 is a formula without a cached value/);
    expect(() => cellText({ formula: '1/0', result: NaN }, 3, 7, 'f.xlsx')).toThrow(/^cell C7 is a formula without a cached value \(or with an Excel error\)/);
    expect(() => cellText({ error: '#N/A' }, 2, 4, 'f.xlsx')).toThrow(/^cell B4 holds the Excel error #N\/A/);
  });
});
