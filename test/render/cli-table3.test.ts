/**
 * The build gives cli-table3 a cheaper per-cell option merge (scripts/shims/cli-table3-cell.mjs) and a plain-text
 * shortcut in string-width (scripts/shims/string-width.cjs). The bundled copy (dist/lib/cli-table3.js, built by
 * jest's global set-up) must draw exactly what cli-table3 itself draws.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

type TableClass = new (options?: object) => { push(...rows: unknown[]): void; toString(): string };
const Original = require('cli-table3') as TableClass;

/** A dist/ file is a wrapped module function (scripts/build.mjs): called here as bin/canrelax-analyze calls it. */
function loadBundled(file: string): unknown {
  const module = { exports: {} };
  vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file })(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}
const Bundled = loadBundled(path.join(__dirname, '../../dist/lib/cli-table3.js')) as TableClass;

const cases: Array<[string, object, unknown[]]> = [
  [
    'a correlate table, plain',
    { head: ['x', 'y', 'r', '95% CI'], style: { head: [], border: [], compact: true }, colAligns: ['left', 'left', 'right', 'right'] },
    [['alliance', 'distress', '−.08', '[−.28, .13]'], ['goal', 'distress', '.19', '[−.17, .51]']],
  ],
  [
    'colours on head and border, a highlighted row',
    { head: ['\x1b[1mx\x1b[22m', 'r'], style: { head: [], border: ['grey'], compact: true } },
    [['\x1b[33mtask\x1b[39m', '\x1b[33m−.18\x1b[39m'], ['bond', '.13']],
  ],
  [
    'characters and paddings given by both spellings, not compact',
    { chars: { 'top-left': '+', topRight: '#', mid: '=' }, style: { 'padding-left': 3, paddingRight: 0, head: [], border: [] } },
    [['a', 'bb'], ['ccc', 'd']],
  ],
  [
    'cell options: spans, alignment, per-cell characters, wrapping, truncation',
    { colWidths: [8, 12, 6], wordWrap: true, style: { head: [], border: [] } },
    [
      [{ colSpan: 2, content: 'spans two columns', hAlign: 'center' }, 'x'],
      [{ rowSpan: 2, content: 'tall\ncell', vAlign: 'bottom' }, 'a long text that wraps', 'truncated text'],
      [{ content: 'own chars', chars: { left: '!', 'left-mid': '?' } }, 'ρ α ≤ —'],
    ],
  ],
  ['emoji and wide characters', { head: ['k', 'v'], style: { head: [], border: [] } }, [['表', '👍🏽'], ['e\u0301', '1\uFE0F\u20E3']]],
];

describe('bundled cli-table3 draws what cli-table3 draws', () => {
  test.each(cases)('%s', (_name, options, rows) => {
    const draw = (Table: TableClass) => {
      const table = new Table(options);
      table.push(...rows);
      return table.toString();
    };
    const expected = draw(Original);
    expect(expected.length).toBeGreaterThan(20);
    expect(draw(Bundled)).toBe(expected);
  });
});
