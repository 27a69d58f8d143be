/**
 * Tables for the terminal (cli-table3) and Markdown. Colour is decided once by the caller (cli/context.ts) and
 * passed in: cli-table3 would otherwise colour its borders even in a pipe.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type TableType from 'cli-table3';
import type ChalkType from 'chalk';
import { markdownText, terminalText } from '../text';

// Required when a table is drawn, not at start-up (machine formats never need them).
const cliTable3 = () => require('cli-table3') as typeof TableType;
const chalk = () => require('chalk') as typeof ChalkType;

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

export function renderTable(spec: TableSpec, color: boolean): string {
  // Without colour chalk is not even loaded: every paint is the identity.
  const plain = { bold: (t: string) => t, yellow: (t: string) => t, dim: (t: string) => t };
  const paint = color ? new (chalk().Instance)({ level: 1 }) : plain;
  const Table = cliTable3();
  // Data text is made safe before our colours are added (text.ts): only our escape codes reach the terminal.
  const table = new Table({
    head: spec.head.map((h) => paint.bold(terminalText(h))),
    style: { head: [], border: color ? ['grey'] : [], compact: true },
    colAligns: spec.head.map((_, i) => (spec.numeric?.[i] ? 'right' : 'left')),
  });
  const rows = color ? spec.rows : starred(spec);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i].map(terminalText);
    table.push(spec.marked?.[i] ? row.map((cell) => paint.yellow(cell)) : row);
  }
  const parts: string[] = [];
  if (spec.title) parts.push(paint.bold(terminalText(spec.title)));
  parts.push(table.toString());
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
