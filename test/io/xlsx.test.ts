/**
 * The Excel reader (src/io/xlsx.ts, src/io/zip.ts) in-process: cells as a CSV export holds them, and the strict
 * rules of issue 20 on workbooks built part by part (test/helpers/binary-files.ts) — numeric cells by the CSV
 * number rule, shared-string indexes the workbook has, bounded shared strings and sheets, and a damaged archive an
 * error, never a stalled stream.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CellContext, RawCell, SharedStrings, cellAddress, cellText, isoDate, readSheet } from '../../src/io/xlsx';
import { CellSpec, sharedStringsXml, sheetXml, workbook } from '../helpers/binary-files';

const FIX = path.resolve(__dirname, '../fixtures/spss-excel');

/** Every row of the first sheet as text cells, the header first. */
async function rowsOf(bytes: Buffer, source = 'w.xlsx'): Promise<string[][]> {
  const sheet = await readSheet(bytes, undefined, source);
  const rows = [sheet.header];
  for await (const batch of sheet.batches(2)) rows.push(...batch.rows);
  return rows;
}

async function errorOf(bytes: Buffer, source = 'w.xlsx'): Promise<string> {
  try {
    await rowsOf(bytes, source);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

const cell = (type: string, value: string | null, extra: Partial<RawCell> = {}): RawCell => ({ type, value, formula: false, date: false, ...extra });

describe('Excel cells', () => {
  const shared = new SharedStrings('f.xlsx');
  shared.add('first');
  shared.add('');
  shared.add('Zürich');
  shared.seal();
  const context: CellContext = { shared, date1904: false, source: 'f.xlsx' };

  test('A1 addresses', () => {
    expect([cellAddress(1, 1), cellAddress(26, 3), cellAddress(27, 3), cellAddress(52, 10), cellAddress(703, 2)]).toEqual(['A1', 'Z3', 'AA3', 'AZ10', 'AAA2']);
  });
  test('ISO dates: the date alone at midnight, seconds, milliseconds when there are some', () => {
    expect(isoDate(new Date(Date.UTC(2026, 2, 14)))).toBe('2026-03-14');
    expect(isoDate(new Date(Date.UTC(2026, 2, 14, 9, 30)))).toBe('2026-03-14T09:30:00');
    expect(isoDate(new Date(Date.UTC(2026, 2, 14, 9, 30, 1, 250)))).toBe('2026-03-14T09:30:01.250');
  });
  test('values as a CSV export holds them', () => {
    expect(cellText(cell('n', '0.1'), 1, 2, context)).toBe('0.1');
    // 17 significant digits in the file, the shortest round-trip text out: the same double.
    expect(Number(cellText(cell('n', '0.33333333333333331'), 1, 2, context))).toBe(1 / 3);
    expect(cellText(cell('n', '1E3'), 1, 2, context)).toBe('1000');
    expect(cellText(cell('b', '1'), 1, 2, context)).toBe('TRUE');
    expect(cellText(cell('s', '2'), 1, 2, context)).toBe('Zürich');
    expect(cellText(cell('s', '1'), 1, 2, context)).toBe('');
    expect(cellText(cell('n', '4', { formula: true }), 1, 2, context)).toBe('4');
    expect(cellText(cell('str', 'x', { formula: true }), 1, 2, context)).toBe('x');
    // A formula whose cached text is empty (=IF(A1="","",A1)) is an empty cell.
    expect(cellText(cell('str', '', { formula: true }), 1, 2, context)).toBe('');
    expect(cellText(cell('n', null), 1, 2, context)).toBe('');
    // 46095.395833… days after 1899-12-30: 2026-03-14 09:30 UTC (46095 = 2026-03-14, 0.3958333 = 9.5 h / 24).
    expect(cellText(cell('n', '46095.395833333336', { date: true }), 1, 2, context)).toBe('2026-03-14T09:30:00');
    expect(() => cellText(cell('n', null, { formula: true }), 3, 7, context)).toThrow(/^cell C7 is a formula without a cached value/);
    // openpyxl writes a formula it did not compute as <f>…</f><v></v>.
    expect(() => cellText(cell('n', '', { formula: true }), 3, 7, context)).toThrow(/^cell C7 is a formula without a cached value/);
    expect(() => cellText(cell('e', '#DIV/0!', { formula: true }), 3, 7, context)).toThrow(/^cell C7 holds the Excel error #DIV\/0!/);
    expect(() => cellText(cell('e', '#N/A'), 2, 4, context)).toThrow(/^cell B4 holds the Excel error #N\/A/);
  });

  test.each([
    ['1,5'],
    ['12abc'],
    ['0x10'],
    ['1e3x'],
    ['Infinity'],
    ['1e400'],
    ['NaN'],
  ])('a numeric cell holding %p is an error naming the cell (parseFloat read 1,5 as 1, 0x10 as 0, 1e3x as 1000)', (text) => {
    expect(() => cellText(cell('n', text), 2, 5, context)).toThrow(`cell B5 stores ${text} as a number, which is not one; save the workbook again from Excel or export it as CSV, f.xlsx`);
  });

  test.each([['999'], ['-1'], ['__proto__'], ['3'], ['1.5'], ['']])('a shared-string index %p the workbook does not have is an error, not an empty cell', (index) => {
    expect(() => cellText(cell('s', index), 3, 2, context)).toThrow(new RegExp(`^cell C2 refers to shared string ${index.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, of 3 in the workbook`));
  });
});

describe('workbooks read part by part', () => {
  test('a workbook built here reads back: inline text, numbers, shared strings, an empty cell between', async () => {
    const sheet = sheetXml([
      ['id', 'x', { t: 's', v: '0' }],
      ['a', 1.5, { t: 's', v: '1' }],
      ['b', { v: '-2E-3' }, { t: 's', v: '0' }],
    ]);
    expect(await rowsOf(workbook(sheet, { sharedStrings: sharedStringsXml(['grp', 'g1']) }))).toEqual([
      ['id', 'x', 'grp'],
      ['a', '1.5', 'g1'],
      ['b', '-0.002', 'grp'],
    ]);
  });

  test('a numeric cell `1,5` in a sheet: an error naming the cell and the file', async () => {
    const bytes = workbook(sheetXml([['id', 'x'], ['a', { v: '1,5' }]]));
    expect(await errorOf(bytes)).toBe('cell B2 stores 1,5 as a number, which is not one; save the workbook again from Excel or export it as CSV, w.xlsx');
  });

  test('rows and cells out of order, or beyond Excel grid: errors, not a cell silently overwritten', async () => {
    const raw = (rows: string) =>
      workbook(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`);
    const head = '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>';
    expect(await errorOf(raw(`${head}<row r="1"><c r="A1"><v>1</v></c></row>`))).toMatch(/not a readable \.xlsx workbook \(the sheet has row 1 after row 1, out of order\)/);
    expect(await errorOf(raw(`<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>`))).toMatch(/the sheet has cell A1 after B1, out of order/);
    expect(await errorOf(raw(`<row r="1"><c r="A2"><v>1</v></c></row>`))).toMatch(/the sheet has a cell r="A2" in row 1, not a place in that row/);
    expect(await errorOf(raw(`${head}<row r="2000000"><c r="A2000000"><v>1</v></c></row>`))).toBe(
      "w.xlsx is too large to read (a row 2000000, beyond Excel's 1048576); export the sheet as CSV",
    );
    expect(await errorOf(raw(`<row r="1"><c r="XFE1"><v>1</v></c></row>`))).toMatch(/too large to read \(a cell in column 16385, beyond Excel's 16384\)/);
  });

  test('a cell of 2 M characters, tags nested 100 deep, 70,000 sheets, a cell of rich-text runs: "too large", not held', async () => {
    const cell = 'w.xlsx is too large to read (a cell of more than 1048576 characters near row 2); export the sheet as CSV';
    expect(await errorOf(workbook(sheetXml([['id'], [{ t: 'inlineStr', v: 'x'.repeat(2 << 20) } as CellSpec]])))).toBe(cell);
    // Text between two tags beyond that bound: test/cli/hostile-files.test.ts (16 MB of spaces, peak memory measured).
    const nested = sheetXml([['id'], ['a']]).replace('<sheetData>', `<sheetData>${'<x>'.repeat(100)}${'</x>'.repeat(100)}`);
    expect(await errorOf(workbook(nested))).toBe('w.xlsx is too large to read (tags nested more than 64 deep in xl/worksheets/sheet1.xml); export the sheet as CSV');
    // 70,000 sheets listed: each would be held (a 10 M list in a few hundred KB would be gigabytes).
    const many = workbook(sheetXml([['id'], ['a']]));
    const { unzipSync, zipSync, strToU8 } = require('fflate') as typeof import('fflate');
    const parts = unzipSync(many);
    parts['xl/workbook.xml'] = strToU8(
      `<workbook xmlns:r="r"><sheets>${'<sheet name="s" sheetId="1" r:id="rId1"/>'.repeat(70_000)}</sheets></workbook>`,
    );
    expect(await errorOf(Buffer.from(zipSync(parts)))).toBe('w.xlsx is too large to read (more than 65536 sheets); export the sheet as CSV');
    const run = `<r><t>${'y'.repeat(600_000)}</t></r>`;
    const rich = sheetXml([['id'], ['a']]).replace('<is><t>a</t></is>', `<is>${run}${run}</is>`);
    expect(await errorOf(workbook(rich))).toBe(cell);
  });

  test('XML that is not well-formed, an undefined entity (no expansion): not a readable workbook', async () => {
    expect(await errorOf(workbook('<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>'))).toMatch(
      /^w\.xlsx is not a readable \.xlsx workbook \(xl\/worksheets\/sheet1\.xml is not well-formed XML: /,
    );
    const laughs = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>';
    expect(await errorOf(workbook(laughs))).toMatch(/not a readable \.xlsx workbook \(xl\/worksheets\/sheet1\.xml is not well-formed XML/);
  });
});

describe('a damaged archive: "not a readable workbook", every time, never a stall with no output', () => {
  const good = fs.readFileSync(path.join(FIX, 'canrelax.xlsx'));

  test('the committed workbook reads', async () => {
    expect((await rowsOf(good)).length).toBe(235);
  });

  test('cut short, a flipped byte in the sheet stream, a zeroed directory', async () => {
    expect(await errorOf(good.subarray(0, good.length - 100))).toMatch(/^w\.xlsx is not a readable \.xlsx workbook \(/);
    // The sheet's compressed data: flip a byte in its middle. Inflate fails, or its CRC-32 does not match.
    const at = good.indexOf(Buffer.from('xl/worksheets/sheet1.xml')) + 2000;
    const flipped = Buffer.from(good);
    flipped[at] ^= 0x10;
    expect(await errorOf(flipped)).toMatch(/^w\.xlsx is not a readable \.xlsx workbook \(/);
    const zeroed = Buffer.from(good);
    zeroed.fill(0, good.length - 22);
    expect(await errorOf(zeroed)).toBe('w.xlsx is not a readable .xlsx workbook (no end of its central directory), save it again from Excel or export it as CSV');
  });
});
