/**
 * render/table.ts layout on a narrow terminal (issue 9.6): at width 80 a wide table is split into tables that each
 * fit, repeating the columns that name the row; a table that cannot be split becomes name: value blocks; in a pipe
 * (no width) the whole table as before. Widths worked by hand: cli-table3 draws each column as its widest cell + 2
 * spaces + 1 border, and 1 border more at the end.
 */
import { renderMarkdown, renderTable, tableLayout, TableSpec } from '../../src/render/table';

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

// Tables drawn whole (no width): a column is as wide as its widest cell in terminal columns plus one space each
// side, numeric columns right-aligned. Widths are columns on screen, not UTF-16 code units: '−' (U+2212) is one
// column, '表' two, the emoji '👍🏽' (four code units) two.
const plainSpec: TableSpec = {
  title: 'Partial correlations',
  head: ['x', 'y', 'r', '95% CI'],
  rows: [
    ['alliance', 'distress', '−.08', '[−.28, .13]'],
    ['goal', 'distress', '.19', '[−.17, .51]'],
  ],
  marked: [false, true],
  numeric: [false, false, true, true],
  footer: ['n = 117'],
};

// Widest cells: 'alliance' and 'distress' (8 columns), '−.08' (4), '[−.28, .13]' (11): 10, 10, 6 and 13 dashes.
const plain = [
  'Partial correlations',
  '┌──────────┬──────────┬──────┬─────────────┐',
  '│ x        │ y        │    r │      95% CI │',
  '├──────────┼──────────┼──────┼─────────────┤',
  '│ alliance │ distress │ −.08 │ [−.28, .13] │',
  '│ goal *   │ distress │  .19 │ [−.17, .51] │', // a marked row is starred without colour
  '└──────────┴──────────┴──────┴─────────────┘',
  'n = 117',
  '',
].join('\n');

describe('renderTable in a pipe: cells measured in terminal columns', () => {
  test('without colour: no escape codes, columns sized and aligned', () => {
    expect(renderTable(plainSpec, { color: false, width: null })).toBe(plain);
  });

  test('with colour: the same table, unstarred, under the escape codes: marked rows yellow, title bold, footer dim', () => {
    const text = renderTable(plainSpec, { color: true, width: null });
    expect(text.replace(/\x1b\[\d+m/g, '')).toBe(plain.replace('goal *', 'goal  '));
    expect(text.startsWith('\x1b[1mPartial correlations\x1b[22m\n')).toBe(true);
    expect(text).toContain('\x1b[33mgoal\x1b[39m');
    expect(text).toContain('\x1b[33m[−.17, .51]\x1b[39m');
    expect(text).not.toContain('\x1b[33malliance');
    expect(text.endsWith('\x1b[2mn = 117\x1b[22m\n')).toBe(true);
  });

  test('wide characters and emoji count as two columns', () => {
    // '表' and '👍🏽' are 2 columns each (cells 4 wide); 'k|v' and 'a|b' are 3 (cells 5 wide).
    expect(renderTable({ head: ['表', 'k|v'], rows: [['👍🏽', 'a|b']] }, { color: false, width: null })).toBe(
      ['┌────┬─────┐', '│ 表 │ k|v │', '├────┼─────┤', '│ 👍🏽 │ a|b │', '└────┴─────┘', ''].join('\n'),
    );
  });
});

describe('renderMarkdown', () => {
  test('pipes escaped, numeric columns right-aligned, title bold and footer in italics', () => {
    const text = renderMarkdown({ title: 'T', head: ['x|y', 'r'], rows: [['a|b', '−.08']], numeric: [false, true], footer: ['n = 3'] });
    expect(text).toBe(['**T**', '', '| x\\|y | r |', '| --- | ---: |', '| a\\|b | −.08 |', '', '*n = 3*', ''].join('\n'));
  });
});
