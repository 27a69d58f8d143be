/**
 * Numbers for people, APA style (Publication Manual, 7th ed., 6.36): values that cannot exceed 1 (r, p, FMI, λ,
 * shares, proportions) without a leading zero; a true minus sign (U+2212) before every negative number; p to three
 * decimals, below .001 as "< .001"; instrument names (WAI-I, PHQ-ADS) kept on one line. The one place for these
 * rules: every table, footer, report sentence and figure label the tool prints goes through here (the style test,
 * test/style/apa-style.test.ts, reads every command's output and report.md for a leading zero or an ASCII minus).
 * Only tables and reports use these; machine formats keep full precision (render/format.ts).
 */
const MINUS = '\u2212';

export function fixed(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const text = value.toFixed(digits);
  // -0.00 rounds to zero: no sign.
  if (/^-0\.?0*$/.test(text)) return text.slice(1);
  return text.replace('-', MINUS);
}

/** A number as typed, shortest form (δ = −0.5, not −0.50), with a true minus: option values echoed to the reader. */
export function plain(value: number): string {
  return Object.is(value, -0) ? '0' : String(value).replace('-', MINUS);
}

/** A share as a percentage: 0.28 → "28%" (`digits` decimals), "–" when undefined. */
export function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? '–' : `${fixed(100 * value, digits)}%`;
}

/** A value bounded by ±1, without its leading zero: −.18. */
export function bounded(value: number | null | undefined, digits = 2): string {
  return fixed(value, digits).replace(/^(\u2212?)0\./, '$1.');
}

/**
 * `bounded` with `digits` decimals, or more when fewer would print a non-zero value as zero: then three significant
 * digits (power's detectable r at n = 10⁹ is .0000886, not .000).
 */
export function boundedSignificant(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || value === 0 || !Number.isFinite(value) || Math.abs(value) >= 0.5 * 10 ** -digits) return bounded(value, digits);
  const needed = Math.min(20, Math.max(digits, 2 - Math.floor(Math.log10(Math.abs(value)))));
  return bounded(value, needed);
}

/** p = .056, p < .001 (the number only: "< .001" or ".056"). */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–';
  if (p < 0.001) return '< .001';
  if (p > 0.999) return '> .999';
  return bounded(p, 3);
}

/** "p = .056" or "p < .001". */
export function pPhrase(p: number | null | undefined): string {
  const text = pValue(p);
  return text.startsWith('<') || text.startsWith('>') ? `p ${text}` : `p = ${text}`;
}

/**
 * An interval, "[−.15, .19]". An end that rounds to zero keeps its sign (−0.0032 → "−.00"): which side of zero
 * an interval reaches is what a reader looks for.
 */
export function ciText(ci: [number, number] | null | undefined, format: (v: number) => string = (v) => bounded(v)): string {
  if (!ci) return '–';
  const end = (v: number) => {
    const text = format(v);
    return v < 0 && /^[0.]+$/.test(text.replace(/^\./, '0.')) ? `${MINUS}${text}` : text;
  };
  return `[${end(ci[0])}, ${end(ci[1])}]`;
}

/** Decimals for a coefficient: 2, more when its SE (or the estimate) is small, to show two significant digits (at most 6). */
export function coefficientDigits(reference: number | null): number {
  const r = reference === null ? 0 : Math.abs(reference);
  if (!(r > 0) || r >= 0.1) return 2;
  return Math.min(6, 1 - Math.floor(Math.log10(r)));
}

/**
 * Instrument names with a non-breaking hyphen (U+2011), so that "WAI-I" or "PHQ-ADS" never breaks across lines in
 * HTML: an upper-case abbreviation, a hyphen, then up to four capitals or a one- or two-digit number (WAI-I, WAI-SR,
 * PHQ-9, GAD-7, PHQ-ADS); an id such as CR-0085 (more digits) or a lower-case word (week-10) is left as it is.
 */
export function instrumentNames(text: string): string {
  return text.replace(/\b([A-Z]{2,})-(?=(?:[A-Z]{1,4}|[0-9]{1,2})\b)/g, '$1\u2011');
}
