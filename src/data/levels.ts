/**
 * Levels of categorical columns (covariates coded as indicators, strata, Table 1 categories), named and ordered
 * the same way in every command:
 * - a cell's level is the number's shortest text when it reads as a number (so "1.0" and "1" agree), else the
 *   trimmed text;
 * - levels sort numbers numerically first, then text by code point; the first is the reference unless --ref.
 */
import type { RowReader } from './row';

export function levelKey(row: RowReader, column: number): string {
  const n = row.tryNum(column);
  return n !== null ? String(n) : row.text(column).trim();
}

export function compareLevels(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  const an = a.trim() !== '' && Number.isFinite(na);
  const bn = b.trim() !== '' && Number.isFinite(nb);
  if (an && bn) return na - nb;
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The level --ref names, looked up as typed or as a number ("2.0" finds level "2"); undefined when absent. */
export function findLevel(levels: ReadonlyMap<string, number>, wanted: string): number | undefined {
  return levels.get(wanted) ?? levels.get(String(Number(wanted)));
}
