/**
 * Ranks for Spearman-type correlations.
 */

/**
 * R's `rank(x, ties.method = "average")`: 1-based ranks, a run of t tied values at sorted positions
 * i … i + t − 1 each getting their mean (2i + t − 1) / 2. Values must be finite (R would put NA last).
 * `out` may be `values` itself (ranks in place): each value is read before its rank is written, and the ties
 * are found in a sorted copy — written into `scratch` when one is given (at least n long), so that ranking
 * many long columns does not leave a dead copy of each behind.
 */
export function averageRanks(values: ArrayLike<number>, out?: Float64Array, scratch?: Float64Array): Float64Array {
  const n = values.length;
  const sorted = scratch === undefined ? new Float64Array(n) : scratch.subarray(0, n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`averageRanks: value ${i} is not a finite number (${values[i]})`);
    sorted[i] = values[i];
  }
  // A native numeric sort of a copy, then each value's run of ties [lo, hi) by binary search: no index array or
  // comparator (a comparator sort of a million indices builds large temporary arrays on the JS heap).
  sorted.sort();
  const ranks = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    hi = n;
    while (end < hi) {
      const mid = (end + hi) >>> 1;
      if (sorted[mid] <= v) end = mid + 1;
      else hi = mid;
    }
    // Sorted positions lo … end − 1 (0-based) are ranks lo + 1 … end: their mean.
    ranks[i] = (lo + 1 + end) / 2;
  }
  return ranks;
}

/**
 * A column's ascending sort order and its runs of ties, computed once so that the ranks of any resample
 * of its rows (given as multiplicities) cost O(n) instead of a sort: see `rankCountsInto`.
 */
export interface TieStructure {
  /** Row indices in ascending order of value. */
  order: Int32Array;
  /** groupStart[g] … groupStart[g + 1] − 1 are the positions in `order` of the g-th run of equal values. */
  groupStart: Int32Array;
}

export function tieStructure(values: ArrayLike<number>): TieStructure {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const starts: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || values[order[i]] !== values[order[i - 1]]) starts.push(i);
  starts.push(n);
  return { order, groupStart: Int32Array.from(starts) };
}

/**
 * Average ranks of a sample that holds row i `counts[i]` times (a bootstrap resample or a jackknife
 * leave-one-out): each run of equal values, held c times in all after c_before smaller values, gets rank
 * c_before + (c + 1)/2 — R's `rank` of the expanded sample. Written into `out[row·stride + offset]` for rows
 * with count > 0 (stride and offset let it fill one column of a row-major matrix).
 */
export function rankCountsInto(ties: TieStructure, counts: ArrayLike<number>, out: Float64Array, stride = 1, offset = 0): void {
  const { order, groupStart } = ties;
  const n = order.length;
  let below = 0;
  if (groupStart.length === n + 1) {
    // No ties: every run is one row, rank below + (c + 1)/2.
    for (let i = 0; i < n; i++) {
      const row = order[i];
      const c = counts[row];
      if (c === 0) continue;
      out[row * stride + offset] = below + (c + 1) / 2;
      below += c;
    }
    return;
  }
  for (let g = 0; g + 1 < groupStart.length; g++) {
    let c = 0;
    for (let i = groupStart[g]; i < groupStart[g + 1]; i++) c += counts[order[i]];
    if (c === 0) continue;
    const rank = below + (c + 1) / 2;
    for (let i = groupStart[g]; i < groupStart[g + 1]; i++) if (counts[order[i]] !== 0) out[order[i] * stride + offset] = rank;
    below += c;
  }
}
