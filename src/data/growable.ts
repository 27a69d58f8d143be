/**
 * Typed arrays that grow by doubling: the columns commands hold when a statistic needs the values themselves
 * (ranks, medians, model residuals, the bootstrap), 8 bytes a number and 4 an index, instead of JS arrays.
 */
type TypedArray = Float64Array | Int32Array;

class Growable<T extends TypedArray> {
  private buffer: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.buffer = make(256);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = this.make(this.buffer.length * 2);
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

/** values[rows[i]] for each i, into a new Float64Array (a loop: TypedArray.from with a map function boxes every value). */
export function pick(values: Float64Array, rows: Int32Array, out: Float64Array = new Float64Array(rows.length)): Float64Array {
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
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
