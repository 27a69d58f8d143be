/**
 * render/table.ts layout on a narrow terminal (issue 9.6): at width 80 a wide table is split into tables that each
 * fit, repeating the columns that name the row; a table that cannot be split becomes name: value blocks; in a pipe
 * (no width) the whole table as before. Widths worked by hand: cli-table3 draws each column as its widest cell + 2
 * spaces + 1 border, and 1 border more at the end.
 */
import { renderTable, tableLayout, TableSpec } from '../../src/render/table';

// 3 name columns and 12 numeric ones, each headed "statistic" (9 characters): 177 wide as one table.
const head = ['x', 'y', 'stratum', ...Array.from({ length: 12 }, (_, i) => `statistic${i + 1}`.slice(0, 9).padEnd(9, '_'))];
const rows = [
  ['alliance', 'distress', 'female', ...Array.from({ length: 12 }, (_, i) => (i / 10).toFixed(2))],
  ['bond', 'distress', 'male', ...Array.from({ length: 12 }, (_, i) => (-i / 10).toFixed(2))],
];
const spec: TableSpec = { title: 'Wide', head, rows, numeric: head.map((_, i) => i >= 3), footer: ['A note.'] };

test('width 80: the columns split into tables that fit, each repeating x, y and stratum', () => {
  // Name columns: x 8, y 8, stratum 7 wide → 1 + 11 + 11 + 10 = 33; each statistic 9 + 3 = 12: 3 fit (69), a 4th
  // makes 81 > 80. So 12 statistics go 3, 3, 3, 3.
  const layout = tableLayout(head, rows, 80, 3);
  expect(layout).toEqual({
    kind: 'tables',
    groups: [
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 6, 7, 8],
      [0, 1, 2, 9, 10, 11],
      [0, 1, 2, 12, 13, 14],
    ],
  });
  const text = renderTable(spec, { color: false, width: 80 });
  const lines = text.trimEnd().split('\n');
  // Box lines are at most 80 wide (the longest exactly 1 + 11 + 11 + 10 + 3·12 = 69), the footer once at the end.
  for (const line of lines.filter((l) => /[│┌└├]/.test(l))) expect([...line].length).toBeLessThanOrEqual(80);
  expect(Math.max(...lines.map((l) => [...l].length))).toBe(69);
  expect(lines.filter((l) => l.startsWith('┌'))).toHaveLength(4);
  expect(lines[lines.length - 1]).toBe('A note.');
});

test('in a pipe (no width) and on a wide terminal: one table, as before', () => {
  expect(tableLayout(head, rows, null, 3)).toEqual({ kind: 'tables', groups: [head.map((_, i) => i)] });
  // 33 + 12·12 = 177 columns fit in 177.
  expect(tableLayout(head, rows, 177, 3)).toEqual({ kind: 'tables', groups: [head.map((_, i) => i)] });
  expect(tableLayout(head, rows, 176, 3).kind).toBe('tables');
  expect(renderTable(spec, { color: false, width: null })).toBe(renderTable(spec, { color: false, width: 500 }));
});

test('too narrow even for the names and one column: name: value blocks, no box drawing', () => {
  // The name columns and one statistic need 33 + 12 = 45.
  expect(tableLayout(head, rows, 44, 3)).toEqual({ kind: 'blocks' });
  const text = renderTable(spec, { color: false, width: 44 });
  expect(text).not.toMatch(/[│┌└├─]/);
  expect(text).toContain('x: alliance\n  y: distress\n  stratum: female\n  statistic: 0.00\n');
});
