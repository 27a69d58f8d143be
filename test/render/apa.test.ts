/** render/apa.ts: APA numbers, by exact expected strings. */
import { ciText, fixed } from '../../src/render/apa';

test('an interval end that rounds to zero keeps its sign: −0.0032 → −.00', () => {
  expect(ciText([-0.0032, 0.0149])).toBe('[\u2212.00, .01]');
  expect(ciText([-0.0032, 0.0149], (v) => fixed(v, 2))).toBe('[\u22120.00, 0.01]');
  // A value that is exactly zero, or positive, gets no sign; a plain negative end its one minus.
  expect(ciText([0, 0.004])).toBe('[.00, .00]');
  expect(ciText([-0.18, -0.004])).toBe('[\u2212.18, \u2212.00]');
});
