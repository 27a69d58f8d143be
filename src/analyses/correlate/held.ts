/**
 * The held engine (Spearman, the bootstrap): the needed columns held (8 bytes a value), and per analysis the
 * indices of the rows it uses, its design built from them (src/data/design.ts), ranked for Spearman.
 */
import { Design } from '../../data/design';
import { ChunkedColumn, ColumnPool, type RowPicker } from '../../data/growable';
import type { Variable } from '../../data/variables';
import { coMomentsOf } from '../../stats/moments';
import { averageRanks } from '../../stats/rank';
import type { Analysis, Coded, CorrelateOptions } from './types';

/** The held data: a column per variable, each row's stratum (with --by), scratch columns and a row buffer. */
export interface Held {
  table: ChunkedColumn[];
  strata: Int32Array | null;
  pool: ColumnPool;
  rows: Int32Array;
}

/**
 * Indices (into the held table) of the rows an analysis uses, in file order: those of its stratum with a value
 * of each of its variables — the rows counted in a.n while reading. Written into `held.rows`.
 */
function heldRowsOf(a: Analysis, held: Held): Int32Array {
  const { table, strata, rows } = held;
  const stratum = a.group.index;
  let n = 0;
  for (let k = 0; k < table[a.x].chunkCount; k++) {
    const columns = a.members.map((v) => table[v].chunk(k));
    const start = k * ChunkedColumn.CHUNK;
    for (let j = 0; j < columns[0].length; j++) {
      if (strata !== null && strata[start + j] !== stratum) continue;
      let complete = true;
      for (let c = 0; c < columns.length && complete; c++) complete = columns[c][j] === columns[c][j];
      if (complete) rows[n++] = start + j;
    }
  }
  if (n !== a.n) throw new Error(`held rows of ${a.x}–${a.y}: found ${n}, counted ${a.n}`);
  return rows.subarray(0, n);
}

/** Covariate coding of one analysis from the held table (ranked for Spearman). */
export function codeHeld(a: Analysis, vars: Variable[], covs: number[], options: CorrelateOptions, held: Held): Coded {
  const rows = heldRowsOf(a, held);
  held.pool.release();
  return codeRows(rows, a.x, a.y, covs, vars, { rank: options.method === 'spearman', ref: options.ref, stratum: a.stratum }, held.table, held.pool);
}

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
