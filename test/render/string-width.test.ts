/**
 * The plain-text shortcut given to cli-table3's string-width (scripts/shims/string-width.cjs) must give the
 * widths string-width gives: checked for every character it lets through, and for random strings of them.
 */
const stringWidth = require('string-width') as (s: string) => number;
const shim = require('../../scripts/shims/string-width.cjs') as ((sw: typeof stringWidth) => typeof stringWidth) & { PLAIN: RegExp };
const fast = shim(stringWidth);

describe('string-width shortcut', () => {
  const plain: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    const ch = String.fromCharCode(code);
    if (shim.PLAIN.test(ch)) plain.push(ch);
  }

  test('every character it takes as plain is one column to string-width', () => {
    expect(plain.length).toBeGreaterThan(1000);
    const wrong = plain.filter((ch) => stringWidth(ch) !== 1);
    expect(wrong).toEqual([]);
  });

  test('random strings of those characters: the same width as string-width', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: Math.floor(next() * 30) }, () => plain[Math.floor(next() * plain.length)]).join('');
      expect(fast(text)).toBe(stringWidth(text));
    }
  });

  test('anything else is measured by string-width itself', () => {
    for (const text of ['©\uFE0F', '1\uFE0F\u20E3', '👍🏽 ok', '表 2', 'e\u0301', '\x1b[33m.18\x1b[39m', 'a\nbc', '']) {
      expect(fast(text)).toBe(stringWidth(text));
    }
    expect(fast('−.18 [−.35, .01] r₁ − r₂ ≤ α')).toBe(28);
  });
});
