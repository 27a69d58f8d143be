/**
 * Terminal and Markdown tables (render/table.ts, drawn by cli-table3): the expected text is worked out by hand.
 * A column is as wide as its widest cell in terminal columns plus one space each side; numeric columns are
 * right-aligned. Widths are columns on screen, not UTF-16 code units: '−' (U+2212) is one column, '表' two,
 * the emoji '👍🏽' (four code units) two.
 */
import { renderMarkdown, renderTable, TableSpec } from '../../src/render/table';

const spec: TableSpec = {
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
  '│ goal     │ distress │  .19 │ [−.17, .51] │',
  '└──────────┴──────────┴──────┴─────────────┘',
  'n = 117',
  '',
].join('\n');

describe('renderTable', () => {
  test('without colour: no escape codes, columns sized and aligned', () => {
    expect(renderTable(spec, false)).toBe(plain);
  });

  test('with colour: the same table under the escape codes, marked rows yellow, title bold, footer dim', () => {
    const text = renderTable(spec, true);
    expect(text.replace(/\x1b\[\d+m/g, '')).toBe(plain);
    expect(text.startsWith('\x1b[1mPartial correlations\x1b[22m\n')).toBe(true);
    expect(text).toContain('\x1b[33mgoal\x1b[39m');
    expect(text).toContain('\x1b[33m[−.17, .51]\x1b[39m');
    expect(text).not.toContain('\x1b[33malliance');
    expect(text.endsWith('\x1b[2mn = 117\x1b[22m\n')).toBe(true);
  });

  test('wide characters and emoji count as two columns', () => {
    // '表' and '👍🏽' are 2 columns each (cells 4 wide); 'k|v' and 'a|b' are 3 (cells 5 wide).
    expect(renderTable({ head: ['表', 'k|v'], rows: [['👍🏽', 'a|b']] }, false)).toBe(
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
