/**
 * Cells and numbers as text. Machine formats (csv, tsv, json, ndjson) carry numbers at full precision —
 * JavaScript's shortest round-trip form, so parsing the text gives back the same double — and missing as
 * an empty cell or null, never NaN. Rounding happens only in tables meant for people (render/apa.ts).
 */
import { tsvText } from '../text';

/** Shortest round-trip text of a number; '' for missing. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  return String(value);
}

/** A JSON value for a number: null for missing (JSON has no NaN or Infinity). */
export function jsonNumber(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** Quotes a field when it holds the delimiter, a quote, CR or LF (RFC 4180); quotes inside are doubled. */
export function csvField(text: string, delimiter: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13 || text[i] === delimiter) return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/**
 * One record of a csv or tsv output. In tsv, tab, CR, LF and backslash inside a cell are escaped first (text.ts
 * tsvText), so a cell never spans columns or lines. (`score` quotes instead: it passes cells through unchanged.)
 */
export function csvLine(fields: string[], delimiter: string): string {
  const cell = delimiter === '\t' ? tsvText : (text: string) => text;
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : delimiter) + csvField(cell(fields[i]), delimiter);
  return line + '\n';
}

export function delimiterOf(format: 'csv' | 'tsv'): string {
  return format === 'tsv' ? '\t' : ',';
}
