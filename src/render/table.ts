/**
 * Tables for the terminal (cli-table3) and Markdown. Colour is decided once by the caller (cli/context.ts) and
 * passed in: cli-table3 would otherwise colour its borders even in a pipe.
 */
import Table from 'cli-table3';
import chalk from 'chalk';
import { markdownText, terminalText } from '../text';

export interface TableSpec {
  title?: string;
  head: string[];
  rows: string[][];
  /** Rows to emphasise (e.g. significant results)… */
  marked?: boolean[];
  /** …and what marks them, for the footer ("p < .05"). */
  markedMeans?: string;
  /** Right-align these columns (numbers). */
  numeric?: boolean[];
  footer?: string[];
}

/**
 * Marked rows: in colour highlighted, without colour (a pipe, NO_COLOR, --no-color, Markdown) a `*` after the first
 * cell. The footer says which, after the spec's own lines.
 */
function markFooter(spec: TableSpec, highlighted: boolean): string[] {
  if (!spec.markedMeans || !spec.marked?.some(Boolean)) return spec.footer ?? [];
  return [...(spec.footer ?? []), `${highlighted ? 'Highlighted' : '*'}: ${spec.markedMeans}.`];
}

function starred(spec: TableSpec): string[][] {
  return spec.rows.map((row, i) => (spec.marked?.[i] ? [`${row[0]} *`, ...row.slice(1)] : row));
}

/** Where a table is drawn: colour on or off, and the terminal's width (null in a pipe or file: never narrowed). */
export interface Terminal {
  color: boolean;
  width: number | null;
}

/**
 * How a table fits `width`: whole; or its columns split over several tables, each repeating the leading columns that
 * name the row; or, when even those and one other do not fit, one `name: value` block per row. Never a
 * box-drawn table wider than the terminal, which would wrap into garbage.
 */
export type Layout = { kind: 'tables'; groups: number[][] } | { kind: 'blocks' };

/** Characters as columns: exact for the text tables hold (Latin, Greek, symbols); a wide CJK character counts one. */
function textWidth(text: string): number {
  let width = 0;
  for (const line of text.split('\n')) width = Math.max(width, [...line].length);
  return width;
}

/**
 * Drawn width of these columns: cli-table3 puts one space either side of the widest cell and a border before each
 * column and after the last.
 */
function drawnWidth(widths: number[], columns: number[]): number {
  let total = 1;
  for (const c of columns) total += widths[c] + 3;
  return total;
}

/**
 * Rows cli-table3 can draw: it passes a table's rows to Array.prototype.push as arguments, which overflows the stack
 * near 10⁵ (describe on a file of 10⁵ columns). Longer tables are drawn as blocks.
 */
export const MAX_TABLE_ROWS = 10_000;

/** `keys`: how many leading columns name the row (x, y, stratum): each split table repeats them. */
export function tableLayout(head: string[], rows: string[][], width: number | null, keys = 1): Layout {
  const all = head.map((_, i) => i);
  if (rows.length > MAX_TABLE_ROWS) return { kind: 'blocks' };
  if (width === null) return { kind: 'tables', groups: [all] };
  // A loop, not Math.max(...rows): as many arguments as rows.
  const widths = head.map((h, c) => rows.reduce((widest, row) => Math.max(widest, textWidth(row[c] ?? '')), textWidth(h)));
  if (drawnWidth(widths, all) <= width) return { kind: 'tables', groups: [all] };
  const key = all.slice(0, Math.max(1, Math.min(keys, head.length - 1)));
  const groups: number[][] = [];
  let group = [...key];
  for (let c = key.length; c < head.length; c++) {
    if (drawnWidth(widths, [...group, c]) <= width) group.push(c);
    else if (group.length > key.length && drawnWidth(widths, [...key, c]) <= width) {
      groups.push(group);
      group = [...key, c];
    } else return { kind: 'blocks' };
  }
  groups.push(group);
  return { kind: 'tables', groups };
}

export function renderTable(spec: TableSpec, terminal: Terminal): string {
  const color = terminal.color;
  // Without colour every paint is the identity.
  const plain = { bold: (t: string) => t, yellow: (t: string) => t, dim: (t: string) => t };
  const paint = color ? new chalk.Instance({ level: 1 }) : plain;
  // Data text is made safe before our colours are added (text.ts): only our escape codes reach the terminal.
  const head = spec.head.map(terminalText);
  const rows = (color ? spec.rows : starred(spec)).map((row) => row.map(terminalText));
  const keys = spec.head.findIndex((_, c) => spec.numeric?.[c] === true);
  const layout = tableLayout(head, rows, terminal.width, keys > 0 ? keys : 1);
  const parts: string[] = [];
  if (spec.title) parts.push(paint.bold(terminalText(spec.title)));
  if (layout.kind === 'blocks') {
    rows.forEach((row, i) => {
      const lines = [`${paint.bold(`${head[0]}:`)} ${row[0]}`, ...head.slice(1).map((h, c) => `  ${h}: ${row[c + 1]}`)];
      parts.push((spec.marked?.[i] ? lines.map((l) => paint.yellow(l)) : lines).join('\n'), '');
    });
  } else {
    layout.groups.forEach((columns, g) => {
      const table = new Table({
        head: columns.map((c) => paint.bold(head[c])),
        style: { head: [], border: color ? ['grey'] : [], compact: true },
        colAligns: columns.map((c) => (spec.numeric?.[c] ? 'right' : 'left')),
      });
      rows.forEach((row, i) => {
        const cells = columns.map((c) => row[c]);
        table.push(spec.marked?.[i] ? cells.map((cell) => paint.yellow(cell)) : cells);
      });
      if (g > 0) parts.push(paint.dim(`(continued: ${columns.filter((c) => !layout.groups[0].includes(c)).map((c) => head[c]).join(', ')})`));
      parts.push(table.toString());
    });
  }
  for (const line of markFooter(spec, color)) parts.push(paint.dim(terminalText(line)));
  return `${parts.join('\n')}\n`;
}

export function renderMarkdown(spec: TableSpec): string {
  const lines: string[] = [];
  if (spec.title) lines.push(`**${markdownText(spec.title)}**`, '');
  lines.push(`| ${spec.head.map(markdownText).join(' | ')} |`);
  lines.push(`|${spec.head.map((_, i) => (spec.numeric?.[i] ? ' ---: ' : ' --- ')).join('|')}|`);
  for (const row of starred(spec)) lines.push(`| ${row.map(markdownText).join(' | ')} |`);
  const footer = markFooter(spec, false);
  // Notes are set in italics: a `*` inside is escaped so that it cannot end them.
  if (footer.length) lines.push('', ...footer.map((f) => `*${markdownText(f).replace(/\*/g, '\\*')}*`));
  return `${lines.join('\n')}\n`;
}
