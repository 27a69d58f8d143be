/**
 * The one rule for text that writes a number, shared by the CSV path (src/data/values.ts, after its missing codes
 * and decimal mark) and the Excel reader (a numeric cell's stored value): an optional sign, digits with an optional
 * decimal point, an optional exponent. Not a number: hexadecimal, binary and octal (`0x10`, which Number() reads as
 * 16), `Infinity`, trailing text (`12abc`, `1e3x`), a comma (`1,5`), values too large for a double (`1e400`).
 */
export function numberText(text: string): number | null {
  const c0 = text.charCodeAt(0);
  // First character: digit, sign or decimal point. Rules out "Infinity", " ", and anything alphabetic.
  if (!((c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46)) return null;
  // "0x10", "0b1", "0o7" are numbers to Number() but not to a statistician.
  if (c0 === 48 && text.length > 1) {
    const c1 = text.charCodeAt(1) | 32;
    if (c1 === 120 || c1 === 98 || c1 === 111) return null;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
