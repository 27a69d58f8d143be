/**
 * cronbachAlpha against psych::alpha (raw_alpha, r.drop, alpha.drop) on ten answers to four items
 * (test/reference/stats_units.R), and by hand on a 2 × 2 case.
 */
import { cronbachAlpha } from '../../src/stats/reliability';
import { expectClose, readProjectReference } from '../helpers/reference';

const REF = readProjectReference<{ reliability: { cov: number[]; p: number; alpha: number; item_total: number[]; alpha_if_deleted: number[] } }>('stats_units.json').reliability;

test('alpha, corrected item–total r and alpha if deleted as psych::alpha', () => {
  const result = cronbachAlpha(REF.cov, REF.p);
  expectClose(result.alpha, REF.alpha);
  REF.item_total.forEach((r, j) => expectClose(result.itemTotal[j], r));
  REF.alpha_if_deleted.forEach((a, j) => expectClose(result.alphaIfDeleted[j], a));
});

test('the scale of the matrix cancels: cross-products (n − 1 times the covariance) give the same', () => {
  const result = cronbachAlpha(REF.cov.map((c) => 9 * c), REF.p);
  expectClose(result.alpha, REF.alpha);
  REF.item_total.forEach((r, j) => expectClose(result.itemTotal[j], r));
});

test('two items by hand, and nulls where alpha is undefined', () => {
  // C = [[1, 0.5], [0.5, 1]]: alpha = 2/1 · (1 − 2/3) = 2/3; item–total r = cor(item1, item2) = 0.5;
  // alpha of one item is undefined (p < 2).
  const result = cronbachAlpha([1, 0.5, 0.5, 1], 2);
  expectClose(result.alpha, 2 / 3);
  expect(result.itemTotal).toEqual([0.5, 0.5]);
  expect(result.alphaIfDeleted).toEqual([null, null]);
  // An item with no variance has no item–total r.
  expect(cronbachAlpha([0, 0, 0, 1], 2).itemTotal[0]).toBeNull();
});
