/** render/apa.ts: APA numbers, by exact expected strings. */
import { boundedSignificant, ciText, fixed } from '../../src/render/apa';

test('an interval end that rounds to zero keeps its sign: −0.0032 → −.00', () => {
  expect(ciText([-0.0032, 0.0149])).toBe('[\u2212.00, .01]');
  expect(ciText([-0.0032, 0.0149], (v) => fixed(v, 2))).toBe('[\u22120.00, 0.01]');
  // A value that is exactly zero, or positive, gets no sign; a plain negative end its one minus.
  expect(ciText([0, 0.004])).toBe('[.00, .00]');
  expect(ciText([-0.18, -0.004])).toBe('[\u2212.18, \u2212.00]');
});

test('boundedSignificant: three significant digits where the fixed decimals would print zero', () => {
  // power --n 1e9 --k 4: the detectable r at 80% is 8.86e-5 (JSON), printed .0000886, not .000.
  expect(boundedSignificant(0.0000886, 3)).toBe('.0000886');
  expect(boundedSignificant(-0.0001, 3)).toBe('\u2212.000100');
  expect(boundedSignificant(0.2598, 3)).toBe('.260');
  expect(boundedSignificant(0, 3)).toBe('.000');
  expect(boundedSignificant(0.0004, 3)).toBe('.000400');
  expect(boundedSignificant(0.0005, 3)).toBe('.001');
});
