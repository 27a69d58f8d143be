/**
 * The held engine (Spearman, the bootstrap, robustness): an analysis's design (src/data/design.ts) built from the
 * rows it uses of columns held whole (frame/sample.ts readSample), ranked for Spearman.
 */
import { Design } from '../../data/design';
import { ColumnPool, type RowPicker } from '../../data/growable';
import type { Variable } from '../../data/variables';
import { coMomentsOf } from '../../stats/moments';
import { averageRanks } from '../../stats/rank';
import type { Coded } from './types';

/**
 * Covariate coding of x, y and the covariates over the given rows of a held table (each complete on them): the
 * design (src/data/design.ts) with x and y first, numeric columns ranked when `rank` (Spearman). Columns are taken
 * from `pool`: valid until it is released.
 */
export function codeRows(
  rows: Int32Array,
  x: number,
  y: number,
  covs: number[],
  vars: Variable[],
  coding: { rank: boolean; ref: Map<string, string>; stratum: string | null },
  table: readonly RowPicker[],
  pool: ColumnPool,
): Coded {
  const column = (v: number) => table[v].pick(rows, pool.take(rows.length));
  // Spearman ranks each column in place: one copy per column of the analysis sample, and one scratch column
  // for the sorted copy each ranking needs (reused, not a new array per column).
  const scratch = coding.rank ? pool.take(rows.length) : null;
  const ranked = (values: Float64Array) => (scratch !== null ? averageRanks(values, values, scratch) : values);
  const design = new Design(rows.length, { ref: coding.ref, stratum: coding.stratum }, (n) => pool.take(n));
  design.numeric(vars[x], ranked(column(x)));
  design.numeric(vars[y], ranked(column(y)));
  for (const c of covs) {
    const variable = vars[c];
    const values = column(c);
    // Indicators enter as 0/1, unranked.
    if (variable.categorical) design.factor(variable, values);
    else design.numeric(variable, ranked(values));
  }
  const z = design.columns.map((_, j) => j).slice(2);
  return { moments: coMomentsOf(design.columns), x: 0, y: 1, z, names: design.names.slice(2), columns: design.columns };
}
