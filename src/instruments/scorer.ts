/**
 * The one scorer. Given instrument definitions and a file's header, `planScoring` finds each instrument's items
 * (once per time point: `phq9_3_t0`, `phq9_3_w10`), and `scoreRow` computes every score column of a record.
 *
 * Rules (README "Instruments"):
 * - Reversed answer = min + max − answer, with the declared range (never the observed one).
 * - A subscale is scored when at least ceil(minAnswered × items − 1e-9) items are answered (the 1e-9 keeps
 *   0.7 × 10 at 7 despite floating point): the mean of the answered items ("mean"), or that mean × the number
 *   of items ("sum", prorated); else missing.
 * - total: true scores all the instrument's items as one more subscale; "subscales" sums ("sum") or averages
 *   ("mean") the subscale scores and is missing when any of them is.
 * - Score columns: <instrument>_<subscale> and <instrument>_total, then "_<time point>" when the items had one.
 */
import { DataError, nearestNames, option, words } from '../errors';
import { DEFAULT_MIN_ANSWERED, InstrumentDefinition } from './definition';

export interface ScoreColumn {
  /** Output column name, e.g. wai_task, phqads_total_w10. */
  name: string;
  instrument: string;
  subscale: string;
  timepoint: string;
  /** Input column indices of the items (for item-based scores). */
  items: Int32Array;
  /** Item names as the definition gives them (for summaries). */
  itemNames: string[];
  reverse: Uint8Array;
  minCount: number;
  /** For total: "subscales": positions (in the plan's columns) of the subscale scores it combines. */
  parts: number[] | null;
  mode: 'mean' | 'sum';
  min: number;
  max: number;
}

export interface ScoringPlan {
  columns: ScoreColumn[];
  /** Every item column the plan reads, once each. */
  itemColumns: Int32Array;
  /** Score columns that already exist in the input and are used as they are, not recomputed (`scores: 'file'`). */
  existing: string[];
  /**
   * Score columns that already exist in the input but are computed from the items all the same (`scores: 'items'`):
   * the file's column is set aside (the dataset renames it, see data/dataset.ts).
   */
  setAside: string[];
}

/**
 * Where a score comes from when the file has a column of its name and its items: 'items' (the default) computes it
 * as the instrument defines it and sets the file's column aside; 'file' uses the file's column.
 */
export type ScoreSource = 'items' | 'file';
export const SCORE_SOURCES: readonly ScoreSource[] = ['items', 'file'];

export interface PlanOptions {
  /** Instruments the user named explicitly: their items must be found. */
  explicit: boolean;
  /** Column renames, logical item name → physical column name (from --map / config). */
  itemColumns: ReadonlyMap<string, string>;
  /** Overrides every threshold (--min-answered). */
  minAnswered?: number;
  source: string;
  /** Collect missing item columns instead of failing on the first (validate); that time point is then not scored. */
  onMissing?: (instrument: string, column: string, nearest: string[]) => void;
  /** A score column the file already has: computed from the items all the same ('items', default) or used ('file'). */
  scores?: ScoreSource;
}

/** Required answered items: ceil(fraction × items − 1e-9). */
export function minimumAnswered(fraction: number, items: number): number {
  return Math.max(1, Math.ceil(fraction * items - 1e-9));
}

function allItems(def: InstrumentDefinition): string[] {
  const seen = new Set<string>();
  for (const s of def.subscales) for (const item of s.items) seen.add(item);
  return [...seen];
}

/**
 * Time points at which an instrument's items appear: '' when they appear under their own names, else the
 * suffixes s for which `<item>_s` columns exist.
 */
function findTimepoints(def: InstrumentDefinition, lookup: (name: string) => number | undefined, header: readonly string[]): string[] {
  const items = allItems(def);
  const itemSet = new Set(items);
  const counts = new Map<string, number>();
  counts.set('', items.filter((item) => lookup(item) !== undefined).length);
  for (const column of header) {
    for (let at = column.lastIndexOf('_'); at > 0; at = column.lastIndexOf('_', at - 1)) {
      const suffix = column.slice(at + 1);
      if (suffix !== '' && itemSet.has(column.slice(0, at))) counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
    }
  }
  // A time point is one where most items appear: a stray `phq9_1_note` column does not make one, while an
  // export that lost one item column still does (and then fails, naming the missing column).
  return [...counts].filter(([, n]) => n > items.length / 2).map(([suffix]) => suffix);
}

export function planScoring(
  header: readonly string[],
  index: (name: string) => number | undefined,
  instruments: InstrumentDefinition[],
  options: PlanOptions,
): ScoringPlan {
  const physical = new Map<string, string>();
  for (const [logical, column] of options.itemColumns) physical.set(logical, column);
  const mappedNames = [...options.itemColumns.keys()];
  // Mapped columns also answer to their logical names, so `--map WAI4_01=wai_1` finds wai_1 and its time points.
  const lookup = (name: string): number | undefined => {
    const mapped = physical.get(name);
    return mapped !== undefined ? index(mapped) : index(name);
  };
  const names = [...header, ...mappedNames];
  const columns: ScoreColumn[] = [];
  const existing: string[] = [];
  for (const def of instruments) {
    const timepoints = findTimepoints(def, lookup, names);
    if (timepoints.length === 0) {
      if (!options.explicit) continue;
      const first = allItems(def)[0];
      const near = nearestNames(first, header);
      throw new DataError(
        words`none of the items of instrument "${def.id}" (${first}, …) are in ${options.source}${near.length ? ` (nearest: ${near.join(', ')})` : ''}, map the columns with ${option('map')} COLUMN=${first}`,
      );
    }
    for (const timepoint of timepoints.sort()) {
      const suffix = timepoint === '' ? '' : `_${timepoint}`;
      const missing = allItems(def).filter((item) => lookup(item + suffix) === undefined);
      if (missing.length > 0 && options.onMissing) {
        for (const item of missing) options.onMissing(def.id, item + suffix, nearestNames(item + suffix, header));
        continue;
      }
      const resolve = (item: string): number => {
        const col = lookup(item + suffix);
        if (col !== undefined) return col;
        const near = nearestNames(item + suffix, header);
        throw new DataError(
          words`instrument "${def.id}" needs column "${item + suffix}", missing in ${options.source}${near.length ? ` (nearest: ${near.join(', ')})` : ''}, add it or map it with ${option('map')} COLUMN=${item + suffix}`,
        );
      };
      const fraction = (own?: number) => options.minAnswered ?? own ?? def.minAnswered ?? DEFAULT_MIN_ANSWERED;
      const start = columns.length;
      const make = (subscale: string, items: string[], reverse: string[], minAnswered: number | undefined): ScoreColumn => ({
        name: `${def.id}_${subscale}${suffix}`,
        instrument: def.id,
        subscale,
        timepoint,
        items: Int32Array.from(items.map(resolve)),
        itemNames: items,
        reverse: Uint8Array.from(items.map((item) => (reverse.includes(item) ? 1 : 0))),
        minCount: minimumAnswered(fraction(minAnswered), items.length),
        parts: null,
        mode: def.score,
        min: def.min,
        max: def.max,
      });
      for (const s of def.subscales) columns.push(make(s.id, s.items, s.reverse ?? [], s.minAnswered));
      if (def.total === true) {
        const reversed = def.subscales.flatMap((s) => s.reverse ?? []);
        columns.push(make('total', allItems(def), reversed, undefined));
      } else if (def.total === 'subscales') {
        // Scored from its parts; the items are listed for the summary's alpha over all of them (PHQ-ADS: 16).
        columns.push({
          ...make('total', allItems(def), def.subscales.flatMap((s) => s.reverse ?? []), undefined),
          minCount: 0,
          parts: def.subscales.map((_, i) => start + i),
        });
      }
    }
  }
  const setAside: string[] = [];
  const kept = columns.filter((c) => {
    if (index(c.name) === undefined) return true;
    if ((options.scores ?? 'items') === 'items') {
      setAside.push(c.name);
      return true;
    }
    existing.push(c.name);
    return false;
  });
  // Re-point totals at their parts after dropping existing columns (a total whose part already exists is kept only with all parts).
  const keptSet = new Set(kept);
  const result = kept.filter((c) => c.parts === null || c.parts.every((p) => keptSet.has(columns[p])));
  for (const c of kept) if (c.parts !== null && !result.includes(c)) existing.push(c.name);
  for (const c of result) if (c.parts !== null) c.parts = c.parts.map((p) => result.indexOf(columns[p]));
  const itemColumns = Int32Array.from(new Set(result.flatMap((c) => [...c.items])));
  return { columns: result, existing, setAside, itemColumns };
}

/**
 * Scores one record. `values[col]` holds each item's answer (NaN when missing), already read; results go to
 * `out[i]` for the plan's i-th column (NaN when not scored).
 */
export function scoreRow(plan: ScoringPlan, values: Float64Array, out: Float64Array): void {
  const columns = plan.columns;
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c];
    const parts = col.parts;
    if (parts !== null) {
      let total = 0;
      for (let p = 0; p < parts.length; p++) total += out[parts[p]];
      out[c] = col.mode === 'sum' ? total : total / parts.length;
      continue;
    }
    const items = col.items;
    const reverse = col.reverse;
    const flip = col.min + col.max;
    let sum = 0;
    let answered = 0;
    for (let i = 0; i < items.length; i++) {
      const v = values[items[i]];
      if (v === v) {
        sum += reverse[i] === 1 ? flip - v : v;
        answered++;
      }
    }
    if (answered < col.minCount) out[c] = NaN;
    else if (col.mode === 'mean') out[c] = sum / answered;
    // Prorated sum; a complete answer set is the plain sum (dividing and multiplying back can be off by an ulp).
    else out[c] = answered === items.length ? sum : (sum / answered) * items.length;
  }
}
