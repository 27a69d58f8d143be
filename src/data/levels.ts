/**
 * Levels of categorical columns (covariates coded as indicators, strata, Table 1 categories), named and ordered
 * the same way in every command:
 * - a cell's level is the number's shortest text when it reads as a number (so "1.0" and "1" agree), else the
 *   trimmed text;
 * - levels sort numbers numerically first, then text by code point; the first is the reference unless --ref;
 * - except a column read as SPSS value labels or named by the config's `levels`: its levels sort by their codes (as
 *   haven::as_factor orders them), so the lowest code is the reference ("female" = 1, "male" = 2 → female), an
 *   unlabelled code by its number;
 * - and a reference level set by `reference` (config, plan) or `--ref` comes first, whatever the rest's order: it is
 *   the level the others are compared with, and strata are listed from it (a stratum difference is first − second).
 */
import type { RowReader } from './row';
import { option, UsageError, words } from '../errors';

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

/** SPSS labels of a column read as a factor: label → code (Dataset.labelOrder). */
export type LabelCodes = ReadonlyMap<string, number>;

/** The rank of a reference level in LabelCodes: below every code. */
const REFERENCE = -Infinity;

/**
 * The level order of a column: by SPSS code when it has value labels (`codes`), else compareLevels; the reference
 * level (ranked REFERENCE in `codes`, see withReference) first.
 */
export function levelComparator(codes: LabelCodes | undefined): (a: string, b: string) => number {
  if (codes === undefined) return compareLevels;
  const rank = (level: string): number | undefined => codes.get(level) ?? (level.trim() !== '' && Number.isFinite(Number(level)) ? Number(level) : undefined);
  return (a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra === REFERENCE || rb === REFERENCE) return ra === rb ? 0 : ra === REFERENCE ? -1 : 1;
    return ra !== undefined && rb !== undefined ? ra - rb : compareLevels(a, b);
  };
}

/** `codes` (or none) with `level` made the reference: sorted first by levelComparator. A number level as its text ("2"). */
export function withReference(codes: LabelCodes | undefined, level: string): LabelCodes {
  const key = level.trim() !== '' && Number.isFinite(Number(level)) && !codes?.has(level) ? String(Number(level)) : level;
  return new Map([...(codes ?? []), [key, REFERENCE]]);
}

/** The order strata are listed in (and compared, first − second): the column's level order, `ref` (--ref) first. */
export function stratumOrder(codes: LabelCodes | undefined, ref: string | undefined): (a: string, b: string) => number {
  return levelComparator(ref === undefined ? codes : withReference(codes, ref));
}

/** --ref on a stratifier names one of its levels (the first listed, after stratumOrder): a usage error otherwise. */
export function checkStratumRef(levels: readonly string[], name: string, ref: string | undefined): void {
  if (ref === undefined || levels.length === 0 || levels[0] === ref || levels[0] === String(Number(ref))) return;
  throw new UsageError(words`${option('ref')} ${name}=${ref}: no such level in the rows used (levels: ${levels.join(', ')})`);
}
