/**
 * Tipping-point search, worked by hand: an interval [δ − 0.5, δ + 0.5] around a centre that moves with δ contains 0
 * for |δ| ≤ 0.5; it lies above 0 from δ > 0.5 and below from δ < −0.5.
 */
import { relationToZero, tippingPoints } from '../../src/stats/tipping';

test('relation of an interval to 0', () => {
  expect(relationToZero([0.1, 0.3])).toBe('above');
  expect(relationToZero([-0.3, -0.1])).toBe('below');
  expect(relationToZero([-0.1, 0.1])).toBe('contains');
});

test('an interval moving with δ tips at ±0.5, found within 0.01', () => {
  const t = tippingPoints((d) => [d - 0.5, d + 0.5]);
  expect(t.atZero).toBe('contains');
  expect(t.up!.relation).toBe('above');
  expect(t.up!.delta).toBeGreaterThan(0.5);
  expect(t.up!.delta - 0.5).toBeLessThanOrEqual(0.01);
  expect(t.down!.relation).toBe('below');
  expect(t.down!.delta).toBeLessThan(-0.5);
  expect(-0.5 - t.down!.delta).toBeLessThanOrEqual(0.01);
});

test('an interval below 0 that moves up with δ: tips at δ = 1.23 upwards, never downwards within ±3', () => {
  // [δ − 1.53, δ − 1.23]: below 0 while δ < 1.23.
  const t = tippingPoints((d) => [d - 1.53, d - 1.23]);
  expect(t.atZero).toBe('below');
  expect(t.up!.relation).toBe('contains');
  expect(t.up!.delta - 1.23).toBeGreaterThan(0);
  expect(t.up!.delta - 1.23).toBeLessThanOrEqual(0.01);
  expect(t.down).toBeNull();
});
