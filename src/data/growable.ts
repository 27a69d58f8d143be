/**
 * Typed arrays that grow by doubling: the columns commands hold when a statistic needs the values themselves
 * (ranks, medians, model residuals, the bootstrap), 8 bytes a number and 4 an index, instead of JS arrays.
 */
type TypedArray = Float64Array | Int32Array;

class Growable<T extends TypedArray> {
  private buffer: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    // Empty until the first value: a command may hold one per column (describe on 10⁵ columns held 200 MB of them).
    this.buffer = make(0);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = this.make(Math.max(256, this.buffer.length * 2));
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  get(index: number): number {
    return this.buffer[index];
  }

  /** The values pushed so far (a view: later pushes may move the data). */
  view(): T {
    return this.buffer.subarray(0, this.length) as T;
  }
}

export class Float64Column extends Growable<Float64Array> {
  constructor() {
    super((size) => new Float64Array(size));
  }
}

export class Int32Column extends Growable<Int32Array> {
  constructor() {
    super((size) => new Int32Array(size));
  }
}

/**
 * Numbers kept in chunks of a fixed size, for columns held while a long file is read (correlate's Spearman and
 * bootstrap data, the samples of frame/sample.ts). Growing past the first chunk never copies: a doubling array leaves
 * a dead copy of half its size at each doubling, and the last of those (tens of MB on a long file) may still await
 * the collector when an analysis takes its working columns, raising the peak. The first chunk grows by doubling from
 * FIRST to CHUNK values (copies of at most 256 KB): a sample of few rows holds little, however many columns and
 * strata it has (measure --by id: 44 items × 234 strata held 2.4 GB of 256 KB chunks). Read by chunk (`chunk`, each
 * CHUNK long but the last) or pick rows out.
 */
export class ChunkedColumn {
  static readonly CHUNK = 1 << 15;
  private static readonly FIRST = 16;
  private readonly chunks: Float64Array[] = [];
  length = 0;

  push(value: number): void {
    const at = this.length % ChunkedColumn.CHUNK;
    if (at === 0) this.chunks.push(new Float64Array(this.length === 0 ? ChunkedColumn.FIRST : ChunkedColumn.CHUNK));
    else if (at === this.chunks[0].length && this.chunks.length === 1) {
      const bigger = new Float64Array(Math.min(ChunkedColumn.CHUNK, at * 2));
      bigger.set(this.chunks[0]);
      this.chunks[0] = bigger;
    }
    this.chunks[this.chunks.length - 1][at] = value;
    this.length++;
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  /** Chunk k: rows k·CHUNK … on, its length the rows it holds. */
  chunk(k: number): Float64Array {
    const start = k * ChunkedColumn.CHUNK;
    return this.chunks[k].subarray(0, Math.min(ChunkedColumn.CHUNK, this.length - start));
  }

  /** Every value, in one array. */
  values(): Float64Array {
    const out = new Float64Array(this.length);
    this.chunks.forEach((chunk, k) => out.set(chunk.subarray(0, Math.min(ChunkedColumn.CHUNK, this.length - k * ChunkedColumn.CHUNK)), k * ChunkedColumn.CHUNK));
    return out;
  }

  /** The values at `rows` (ascending or not), into `out`. */
  pick(rows: Int32Array, out: Float64Array = new Float64Array(rows.length)): Float64Array {
    const chunks = this.chunks;
    const size = ChunkedColumn.CHUNK;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      out[i] = chunks[(r / size) | 0][r % size];
    }
    return out;
  }
}

/** A held column whose rows are picked out by index, or taken whole: a ChunkedColumn, or an array (`pickable`). */
export interface RowPicker {
  readonly length: number;
  pick(rows: Int32Array, out?: Float64Array): Float64Array;
  /** Every value, in one array. */
  values(): Float64Array;
}

/** An array as a RowPicker (a completed data set's column, frame/completed.ts). */
export function pickable(values: Float64Array): RowPicker {
  return {
    length: values.length,
    pick(rows, out = new Float64Array(rows.length)) {
      for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
      return out;
    },
    values: () => values,
  };
}

/** The 0/1 indicator of one level of a column of level indices. */
export function indicator(levels: Float64Array, level: number, out: Float64Array = new Float64Array(levels.length)): Float64Array {
  for (let i = 0; i < levels.length; i++) out[i] = levels[i] === level ? 1 : 0;
  return out;
}

/**
 * Scratch columns reused from one analysis to the next: analyses of a long file each need a few columns of the
 * same length, and reusing them keeps memory at one set instead of a pile of dead arrays awaiting collection.
 */
export class ColumnPool {
  private readonly buffers: Float64Array[] = [];
  private used = 0;

  /** A column of length n, valid until `release`. */
  take(n: number): Float64Array {
    const i = this.used++;
    if (this.buffers[i] === undefined || this.buffers[i].length < n) this.buffers[i] = new Float64Array(n);
    return this.buffers[i].subarray(0, n);
  }

  /** Every column taken may be handed out again. */
  release(): void {
    this.used = 0;
  }
}
