/**
 * Tables for the terminal (cli-table3) and Markdown. Colour is decided once by the caller (cli/context.ts) and
 * passed in: cli-table3 would otherwise colour its borders even in a pipe.
 */
import type TableType from 'cli-table3';
import type ChalkType from 'chalk';

// Required when a table is drawn, not at start-up (machine formats never need them).
const cliTable3 = () => require('cli-table3') as typeof TableType;
const chalk = () => require('chalk') as typeof ChalkType;

export interface TableSpec {
  title?: string;
  head: string[];
  rows: string[][];
  /** Rows to emphasise (e.g. significant results). */
  marked?: boolean[];
  /** Right-align these columns (numbers). */
  numeric?: boolean[];
  footer?: string[];
}

export function renderTable(spec: TableSpec, color: boolean): string {
  // Without colour chalk is not even loaded: every paint is the identity.
  const plain = { bold: (t: string) => t, yellow: (t: string) => t, dim: (t: string) => t };
  const paint = color ? new (chalk().Instance)({ level: 1 }) : plain;
  const Table = cliTable3();
  const table = new Table({
    head: spec.head.map((h) => paint.bold(h)),
    style: { head: [], border: color ? ['grey'] : [], compact: true },
    colAligns: spec.head.map((_, i) => (spec.numeric?.[i] ? 'right' : 'left')),
  });
  spec.rows.forEach((row, i) => table.push(spec.marked?.[i] ? row.map((cell) => paint.yellow(cell)) : row));
  const parts: string[] = [];
  if (spec.title) parts.push(paint.bold(spec.title));
  parts.push(table.toString());
  for (const line of spec.footer ?? []) parts.push(paint.dim(line));
  return `${parts.join('\n')}\n`;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(spec: TableSpec): string {
  const lines: string[] = [];
  if (spec.title) lines.push(`**${markdownCell(spec.title)}**`, '');
  lines.push(`| ${spec.head.map(markdownCell).join(' | ')} |`);
  lines.push(`|${spec.head.map((_, i) => (spec.numeric?.[i] ? ' ---: ' : ' --- ')).join('|')}|`);
  for (const row of spec.rows) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  if (spec.footer?.length) lines.push('', ...spec.footer.map((f) => `*${markdownCell(f)}*`));
  return `${lines.join('\n')}\n`;
}
