'use strict';
// string-width for cli-table3, with a shortcut for plain text.
//
// cli-table3 measures every cell several times (layout, padding, truncation), and string-width runs each
// string through strip-ansi and its 10 kB emoji regular expression: on a correlate table that is ~1,000 calls
// and several milliseconds of a 0.1 s run. A string made only of the characters below is one column per
// character — none is a control or combining character, a wide (East Asian) character, an escape, or part of
// an emoji (emoji sequences need U+FE0F, U+200D, U+20E3 or astral code points, none of which is here) — so
// its width is its length. Anything else goes to string-width unchanged. test/render/string-width.test.ts
// checks every listed character, and random strings, against string-width itself.
const PLAIN = /^[\u0020-\u007e\u00a0-\u02ff\u0370-\u03ff\u2010-\u2027\u2030-\u205e\u2070-\u209f\u2190-\u2193\u2200-\u22ff\u2308-\u230b]*$/;

module.exports = (stringWidth) => {
  const width = (string) => (typeof string === 'string' && PLAIN.test(string) ? string.length : stringWidth(string));
  width.default = width;
  return width;
};
module.exports.PLAIN = PLAIN;
