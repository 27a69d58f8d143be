/** ChunkedColumn: the held columns of correlate, stored in chunks so that growing never copies. */
import { ChunkedColumn } from '../../src/data/growable';

describe('ChunkedColumn', () => {
  const size = ChunkedColumn.CHUNK;
  const n = 2 * size + 5; // two full chunks and five values in a third

  test('keeps every value across chunk boundaries; the last chunk is as long as the values it holds', () => {
    const column = new ChunkedColumn();
    for (let i = 0; i < n; i++) column.push(i % 7 === 0 ? NaN : i * 0.5);
    expect(column.length).toBe(n);
    expect(column.chunkCount).toBe(3);
    expect([column.chunk(0).length, column.chunk(1).length, column.chunk(2).length]).toEqual([size, size, 5]);
    expect(column.chunk(1)[0]).toBe(size * 0.5);
    expect(column.chunk(2)[4]).toBe((n - 1) * 0.5);
    expect(column.chunk(0)[7]).toBeNaN();
  });

  test('pick: the values at the given rows, in the given order, into the buffer given', () => {
    const column = new ChunkedColumn();
    for (let i = 0; i < n; i++) column.push(i);
    const rows = Int32Array.from([n - 1, 0, size - 1, size, 2 * size]);
    const out = new Float64Array(8).fill(-1);
    expect(Array.from(column.pick(rows, out.subarray(0, rows.length)))).toEqual([n - 1, 0, size - 1, size, 2 * size]);
    expect(out[5]).toBe(-1);
    expect(Array.from(column.pick(Int32Array.from([3])))).toEqual([3]);
  });

  test('values: every value in order, across full chunks and the partial last one', () => {
    const column = new ChunkedColumn();
    for (let i = 0; i < n; i++) column.push(i);
    const values = column.values();
    expect(values.length).toBe(n);
    expect([values[0], values[size - 1], values[size], values[n - 1]]).toEqual([0, size - 1, size, n - 1]);
    expect(values.every((v, i) => v === i)).toBe(true);
  });

  test('a short column holds little: its first chunk grows by doubling from 16 values (measure --by id held 256 KB a column and stratum)', () => {
    const column = new ChunkedColumn();
    for (let i = 0; i < 5; i++) column.push(i);
    expect(column.chunk(0).buffer.byteLength).toBe(16 * 8);
    for (let i = 5; i < 1000; i++) column.push(i);
    expect(column.chunk(0).buffer.byteLength).toBe(1024 * 8);
    expect(Array.from(column.pick(Int32Array.from([999, 16, 15, 0])))).toEqual([999, 16, 15, 0]);
    for (let i = 1000; i < size + 3; i++) column.push(i);
    expect(column.chunk(0).buffer.byteLength).toBe(size * 8);
    expect(column.values().every((v, i) => v === i)).toBe(true);
  });

  test('empty', () => {
    const column = new ChunkedColumn();
    expect(column.length).toBe(0);
    expect(column.chunkCount).toBe(0);
    expect(column.pick(new Int32Array(0)).length).toBe(0);
    expect(column.values().length).toBe(0);
  });
});
