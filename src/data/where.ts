/**
 * `--where`: a small row filter grammar of its own. User text is parsed, never evaluated as code.
 *
 *   filter    := condition ("," condition)*          comma means AND
 *   condition := column op value
 *   op        := "=" | "==" | "!=" | "<" | "<=" | ">" | ">="
 *   value     := text up to the next unquoted comma, or '…' / "…" quoted (to hold commas)
 *
 * Comparison: when the value is a number, the column is read as a number (so `age>=18` compares 18 and 9
 * numerically, and a cell that is not a number is an error naming line and column); `=`/`!=` against a
 * number fall back to text when the cell is text. Otherwise cells compare as text (by code point).
 * A missing cell never matches, whatever the operator (as R's `subset` drops NA).
 */
import { option, UsageError, words } from '../errors';
import { DEFAULT_MISSING } from './values';

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Condition {
  column: string;
  op: Operator;
  value: string;
  /** The value as a number, when it is one. */
  number: number | null;
}

/** What the filter needs of a row: its text and its numeric reading (NaN = missing; throws on a non-number). */
export interface RowAccess {
  text(column: number): string;
  num(column: number): number;
  /** The cell as a number, or null when it is text (never throws). */
  tryNum(column: number): number | null;
  /** Whether the cell's text is exactly `text` (without making a string of the cell). */
  textEquals(column: number, text: string): boolean;
  isMissing(column: number): boolean;
}

export type RowPredicate = (row: RowAccess) => boolean;

const OPERATORS: Operator[] = ['<=', '>=', '!=', '=', '<', '>'];

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (quote) throw new UsageError(words`${option('where')} has an unclosed ${quote} in "${text}", close the quote`);
  parts.push(current);
  return parts;
}

export function parseWhere(text: string): Condition[] {
  return splitTopLevel(text).map((part) => {
    const trimmed = part.trim();
    let at = -1;
    let op: Operator | null = null;
    for (let i = 0; i < trimmed.length && op === null; i++) {
      if ('=!<>'.includes(trimmed[i])) {
        at = i;
        op = OPERATORS.find((o) => trimmed.startsWith(o, i)) ?? null;
        if (op === null) break;
      }
    }
    const column = at > 0 ? trimmed.slice(0, at).trim() : '';
    if (op === null || column === '') {
      throw new UsageError(
        words`${option('where')} condition "${trimmed}" is not column<op>value, use = != < <= > >= as in ${option('where')} "arm=app,age>=18"`,
      );
    }
    let rest = trimmed.slice(at + op.length);
    if (op === '=' && rest.startsWith('=')) rest = rest.slice(1);
    rest = rest.trim();
    const quoted = rest.length >= 2 && (rest[0] === '"' || rest[0] === "'") && rest[rest.length - 1] === rest[0];
    const value = quoted ? rest.slice(1, -1) : rest;
    if (!quoted && value === '') {
      throw new UsageError(words`${option('where')} condition "${trimmed}" has no value, write e.g. ${column}${op}app`);
    }
    const n = quoted || DEFAULT_MISSING.includes(value) ? NaN : Number(value);
    return { column, op, value, number: Number.isFinite(n) && /^[\s+\-.\d]/.test(value) ? n : null };
  });
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(op: Operator, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Compiles conditions against resolved column indices into one predicate. */
export function compileWhere(conditions: Condition[], resolve: (column: string) => number): RowPredicate {
  const compiled = conditions.map((c) => {
    const col = resolve(c.column);
    const ordered = c.op !== '=' && c.op !== '!=';
    return (row: RowAccess): boolean => {
      if (row.isMissing(col)) return false;
      if (c.number !== null) {
        if (ordered) return holds(c.op, compare(row.num(col), c.number));
        const cell = row.tryNum(col);
        if (cell !== null) return holds(c.op, compare(cell, c.number));
      }
      // Equality on text, the common case (arm=app), is tested in place, once per row.
      if (!ordered) return row.textEquals(col, c.value) === (c.op === '=');
      return holds(c.op, compare(row.text(col), c.value));
    };
  });
  return (row) => {
    for (const test of compiled) if (!test(row)) return false;
    return true;
  };
}
