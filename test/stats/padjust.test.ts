import { pAdjust, pAdjustWithMissing } from '../../src/stats/padjust';
import { readProjectReference } from '../helpers/reference';

const ref = readProjectReference('stats_extra.json').padjust; // R 4.2 p.adjust, test/reference/stats_extra.R

function expectAll(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  // jsonlite wrote R's doubles with 15 significant digits.
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected[i]))));
}

describe('pAdjust = R p.adjust', () => {
  const p = [0.01, 0.02, 0.03, 0.04, 0.05];

  it('holm on 0.01 … 0.05 (by hand: cummax of 5·0.01, 4·0.02, 3·0.03, 2·0.04, 1·0.05)', () => {
    // 0.05, 0.08, 0.09, then 0.08 → 0.09 and 0.05 → 0.09 (cummax).
    expectAll(pAdjust(p, 'holm'), [0.05, 0.08, 0.09, 0.09, 0.09]);
    expectAll(pAdjust(p, 'holm'), ref.holm1);
  });

  it('BH on 0.01 … 0.05: m/i·p = 5·0.01 = 5/2·0.02 = 5/3·0.03 = 5/4·0.04 = 5/5·0.05 = 0.05', () => {
    expectAll(pAdjust(p, 'bh'), [0.05, 0.05, 0.05, 0.05, 0.05]);
    expectAll(pAdjust(p, 'bh'), ref.bh1);
  });

  it('BY on 0.01 … 0.05: BH × q, q = 1 + 1/2 + 1/3 + 1/4 + 1/5 = 137/60', () => {
    // 137/60 · 0.05 = 0.114166…
    expectAll(pAdjust(p, 'by'), new Array(5).fill((137 / 60) * 0.05));
    expectAll(pAdjust(p, 'by'), ref.by1);
  });

  it('bonferroni and none', () => {
    expectAll(pAdjust(p, 'bonferroni'), [0.05, 0.1, 0.15, 0.2, 0.25]);
    expectAll(pAdjust(p, 'bonferroni'), ref.bonf1);
    expect(pAdjust(p, 'none')).toEqual(p);
  });

  it('unsorted input with ties, capped at 1 (R values)', () => {
    // R: p.adjust(c(0.04, 0.001, 0.03, 0.03, 0.2, 0.9, 0.5), …)
    expectAll(pAdjust(ref.p2, 'holm'), ref.holm2);
    expectAll(pAdjust(ref.p2, 'bh'), ref.bh2);
    expectAll(pAdjust(ref.p2, 'by'), ref.by2);
    expectAll(pAdjust(ref.p2, 'bonferroni'), ref.bonf2);
    // Holm by hand: sorted 0.001, 0.03, 0.03, 0.04, 0.2, 0.5, 0.9 times 7 … 1 = 0.007, 0.18, 0.15, 0.16, 0.6, 1.0, 0.9;
    // cummax 0.007, 0.18, 0.18, 0.18, 0.6, 1, 1.
    expectAll(pAdjust(ref.p2, 'holm'), [0.18, 0.007, 0.18, 0.18, 0.6, 1, 1]);
  });

  it('a single p-value is returned unchanged (R: n <= 1), an empty list stays empty', () => {
    expect(pAdjust([0.03], 'bonferroni')).toEqual([0.03]);
    expect(pAdjust([], 'holm')).toEqual([]);
  });

  it('missing p-values stay missing and do not count', () => {
    // R: p.adjust(c(0.01, NA, 0.02), "bonferroni") = 0.02 NA 0.04
    expect(pAdjustWithMissing([0.01, null, 0.02], 'bonferroni')).toEqual([0.02, null, 0.04]);
  });

  it('rejects values outside [0, 1] and unknown methods', () => {
    expect(() => pAdjust([0.1, NaN], 'holm')).toThrow(RangeError);
    expect(() => pAdjust([0.1, 1.2], 'holm')).toThrow(RangeError);
    expect(() => pAdjust([0.1, 0.2], 'BH' as never)).toThrow(RangeError);
  });
});
