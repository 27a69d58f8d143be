/**
 * Cook's distances from weighted co-moments (src/stats/influence.ts) against the QR fit exact to R (stats/ols.ts
 * cooksDistance, tested against cooks.distance) on the same data with each row repeated counts[i] times.
 */
import { weightedCooksDistance } from '../../src/stats/influence';
import { WeightedSample } from '../../src/stats/bootstrap';
import { cooksDistance, fitOls } from '../../src/stats/ols';
import { createRandom } from '../../src/stats/random';
import { expectClose } from '../helpers/reference';

/** n rows: x, a covariate, a 0/1 indicator, y; and bootstrap counts. */
function data(seed: number, n: number) {
  const rng = createRandom(seed);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  const z = Float64Array.from({ length: n }, () => rng.normal());
  const g = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0));
  const y = Float64Array.from({ length: n }, (_, i) => 0.3 * x[i] + 0.5 * z[i] + g[i] + rng.normal() * (i === 3 ? 6 : 1));
  const counts = new Int32Array(n);
  for (let t = 0; t < n; t++) counts[rng.int(n)]++;
  return { columns: [x, z, g, y], counts };
}

function expanded(columns: Float64Array[], counts: Int32Array): Float64Array[] {
  const rows: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) rows.push(i);
  });
  return columns.map((column) => Float64Array.from(rows, (i) => column[i]));
}

function compare(columns: Float64Array[], counts: Int32Array): void {
  const m = new WeightedSample(columns, false).moments(counts);
  const out = new Float64Array(counts.length);
  const info = weightedCooksDistance(m, columns, [0, 1, 2], 3, counts, out);
  const rows = expanded(columns, counts);
  const n = rows[0].length;
  const fit = fitOls([new Float64Array(n).fill(1), rows[0], rows[1], rows[2]], ['(Intercept)', 'x', 'z', 'g'], rows[3]);
  expect(info.rank).toBe(fit.rank);
  const reference = cooksDistance(fit);
  let at = 0;
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++, at++) {
      if (reference[at] === null) expect(out[i]).toBeNaN();
      else expectClose(out[i], reference[at]!, 1e-9);
    }
    if (c === 0) expect(out[i]).toBeNaN();
  });
}

test('a bootstrap resample (rows drawn 0, 1, 2… times): the distances of lm on the copies', () => {
  for (const seed of [1, 2, 3]) {
    const { columns, counts } = data(seed, 60);
    compare(columns, counts);
  }
});

test('an indicator with no drawn row at 1 is aliased and left out, as lm leaves it out', () => {
  const { columns, counts } = data(4, 60);
  columns[2].forEach((g, i) => {
    if (g === 1) counts[i] = 0;
  });
  compare(columns, counts);
});
