/**
 * Reading one cell as a number. Missing stays missing (NaN inside the program, null or empty on output):
 * JavaScript's Number('') is 0, so a blank answer would silently become a zero without this.
 *
 * Accepted: optional sign, digits with an optional decimal mark, optional exponent, surrounding spaces
 * (" 5 " is 5). Rejected: hexadecimal/binary/octal ("0x10"), "Infinity", trailing text ("12abc"), two decimal
 * marks ("1.2.3"), thousands separators, values too large to represent.
 */
import { afterFlag, joinedWords, option, words, type Wording, type Words } from '../errors';
import { numberText } from '../io/number-text';

export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', '.'];

export interface NumberFormat {
  /** '.' (default) or ',' for exports that write 3,5. */
  decimal: '.' | ',';
  /** Cell texts (after trimming) that mean missing. */
  missing: ReadonlySet<string>;
  /** Numeric missing codes (--na -99 also matches "-99.0"). */
  missingNumbers: ReadonlySet<number>;
}

export function numberFormat(extraMissing: string[] = [], decimal: '.' | ',' = '.'): NumberFormat {
  const missing = new Set(DEFAULT_MISSING);
  const missingNumbers = new Set<number>();
  for (const code of extraMissing) {
    missing.add(code.trim());
    const n = Number(code);
    if (code.trim() !== '' && Number.isFinite(n)) missingNumbers.add(n);
  }
  return { decimal, missing, missingNumbers };
}

/** Sentinel for a cell that is present but not a number. */
export const INVALID = Symbol('invalid');

/** NaN for missing, the number, or INVALID. Hot path: called once per numeric cell. */
export function parseNumber(cell: string, format: NumberFormat): number | typeof INVALID {
  const len = cell.length;
  if (len === 0) return NaN;
  if (len === 1) {
    // Most answers are one digit: read it without Number().
    const c = cell.charCodeAt(0);
    if (c >= 48 && c <= 57) return format.missingNumbers.size > 0 && format.missingNumbers.has(c - 48) ? NaN : c - 48;
  }
  let text = cell;
  const first = cell.charCodeAt(0);
  if (first === 32 || first === 9 || cell.charCodeAt(len - 1) === 32 || cell.charCodeAt(len - 1) === 9) {
    text = cell.trim();
  }
  if (format.missing.has(text)) return NaN;
  if (format.decimal === ',') {
    if (text.indexOf('.') !== -1) return INVALID;
    text = text.replace(',', '.');
  }
  const value = numberText(text);
  if (value === null) return INVALID;
  if (format.missingNumbers.size > 0 && format.missingNumbers.has(value)) return NaN;
  return value;
}

/** Number-shaped text (sign, digits, one decimal mark of either kind, exponent). */
const NUMBER_SHAPE = /^[+-]?(\d+[.,]?\d*|[.,]\d+)(e[+-]?\d+)?$/i;

/** A cell written as a number that no double holds (`1e400`): an error whatever the column's type. */
export function isOutOfRange(cell: string, format: NumberFormat): boolean {
  const text = cell.trim();
  if (!NUMBER_SHAPE.test(text)) return false;
  const value = Number(format.decimal === ',' ? text.replace(',', '.') : text);
  return value === Infinity || value === -Infinity;
}

/**
 * What to do about cells that are not numbers where numbers were expected, from what the cells look like:
 * `70,5` wants `--decimal ,` (and `70.5` under `--decimal ,` wants it dropped), `1e400` a correction, and any
 * other text a missing code (`--na`) unless the column really is a factor (`--categorical`, when allowed).
 */
/** Numbers exports write for "missing" (-99, 999, …): where one stands far outside a column's values it is taken for a code. */
export const MISSING_CODES: readonly number[] = [-9, -77, -88, -99, -999, -9999, 77, 88, 99, 999, 9999];

/** The hint for an answer outside its instrument's range: a likely missing code, or the range policy. */
export function outOfRangeFix(value: number): Words {
  return MISSING_CODES.includes(value) ? words`if ${value} is a missing code, pass ${option('na')} ${value}${afterFlag('na', ' (or "na" in the config)')}; else correct it` : words`correct it or pass ${option('outOfRange')} missing`;
}

export function notANumberFix(cells: readonly string[], format: NumberFormat, column: string, categoricalAllowed: boolean): Words {
  const texts = [...new Set(cells.map((c) => c.trim()))];
  const fixes: Wording[] = [];
  const overflow = texts.filter((t) => isOutOfRange(t, format));
  if (overflow.length > 0) fixes.push(`${overflow.join(', ')} ${overflow.length === 1 ? 'is' : 'are'} beyond the largest number (1.8e308), correct ${overflow.length === 1 ? 'it' : 'them'}`);
  const rest = texts.filter((t) => !overflow.includes(t));
  const commas = rest.filter((t) => format.decimal === '.' && /^[+-]?\d*,\d+$/.test(t));
  const points = rest.filter((t) => format.decimal === ',' && /^[+-]?\d*\.\d+(e[+-]?\d+)?$/i.test(t));
  if (commas.length > 0) fixes.push(words`pass ${option('decimal')} , if ${commas[0]} means ${commas[0].replace(',', '.')}`);
  if (points.length > 0) fixes.push(words`drop ${option('decimal')} , (${points[0]} has a decimal point)`);
  const labels = rest.filter((t) => !commas.includes(t) && !points.includes(t));
  if (labels.length > 0) {
    fixes.push(words`declare missing codes with ${option('na')} ${labels.slice(0, 3).map((t) => (/[\s,"']/.test(t) ? JSON.stringify(t) : t)).join(',')}${afterFlag('na', ' (or "na" in the config)')}`);
    if (categoricalAllowed) fixes.push(words`or pass ${option('categorical')} ${column} if the column really is a factor`);
  }
  return joinedWords(fixes, '; ');
}
