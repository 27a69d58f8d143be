/** render/apa.ts: APA numbers, by exact expected strings. */
import { boundedSignificant, ciText, fixed, instrumentNames, percent, plain } from '../../src/render/apa';

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

test('plain and percent: option values and shares as a reader sees them (issue 21)', () => {
  expect(plain(-1)).toBe('\u22121');
  expect(plain(-0.5)).toBe('\u22120.5');
  expect(plain(0.5)).toBe('0.5');
  expect(plain(-0)).toBe('0');
  expect(percent(0)).toBe('0%');
  expect(percent(0.28125)).toBe('28%');
  expect(percent(0.9123, 1)).toBe('91.2%');
  expect(percent(null)).toBe('–');
});

test('instrument names keep their hyphen on one line (U+2011); ids and words do not change', () => {
  expect(instrumentNames('Alliance (WAI-I total), PHQ-ADS, PHQ-9, GAD-7, WAI-SR')).toBe('Alliance (WAI\u2011I total), PHQ\u2011ADS, PHQ\u20119, GAD\u20117, WAI\u2011SR');
  expect(instrumentNames('week-10 distress, row CR-0085, Cook-Weisberg')).toBe('week-10 distress, row CR-0085, Cook-Weisberg');
});
