/**
 * APA style checks on the text the tool prints (Publication Manual, 7th ed., 6.36 and 6.40): quantities that cannot
 * exceed 1 (r, p, FMI, shares, λ, proportions) without a leading zero, and a true minus sign (U+2212) before a
 * negative number. Code spans (`…`) and fenced code blocks are commands and column names, not numbers for readers,
 * and are skipped.
 */

/** Names of bounded quantities, as they appear before "=", "<", ">" in text or as a table column's header. */
const BOUNDED_NAME = String.raw`(?:r|rₛ|ρ|p|FMI|λ|α|ω|alpha|omega|share(?: significant| sig\.)?|proportion(?: mediated)?|R²|adjusted R²)`;

/** Text outside code: code spans and fenced blocks blanked out (so offsets and lines stay). */
export function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?```/g, (m) => m.replace(/[^\n]/g, ' ')).replace(/`[^`\n]*`/g, (m) => ' '.repeat(m.length));
}

export interface StyleProblem {
  line: number;
  rule: string;
  text: string;
}

/** Cells of a Markdown table row or a terminal table row (│ or | separators). */
function cells(line: string): string[] | null {
  const trimmed = line.trim();
  const separator = trimmed.startsWith('|') ? '|' : trimmed.startsWith('│') ? '│' : null;
  if (separator === null) return null;
  return trimmed.replace(/^[|│]|[|│]$/g, '').split(separator).map((c) => c.trim());
}

const isRule = (line: string) => /^[\s|:\-─┼├┤┌┐└┘┬┴╞╡═╪+]*$/.test(line) && /[-─═]/.test(line);

/** A table header that names a bounded quantity: "r", "p", "p (MI)", "FMI", "share sig.", "r (MI)". */
const BOUNDED_HEADER = new RegExp(
  String.raw`^(?:\*?${BOUNDED_NAME}\*?)(?:\s*\(.*\))?$|^(?:partial r|semi-partial r|zero-order r.*|primary r|median r|(?:lowest |corrected )?item–total r|α if (?:item )?deleted|p \(.*\)|Holm.*p|adjusted p)$`,
  'i',
);

/** Every place the style rules are broken in `text` (a table, Markdown or report). */
export function apaStyleProblems(text: string): StyleProblem[] {
  const problems: StyleProblem[] = [];
  const lines = withoutCode(text).split('\n');
  let header: string[] | null = null;
  lines.forEach((line, i) => {
    const at = { line: i + 1, text: line.trim().slice(0, 200) };
    // A hyphen-minus before a number, not inside a word, a range (1-5) or an option (--x).
    if (/(^|[\s(\[=,;:|│])-\.?\d/.test(line)) problems.push({ ...at, rule: 'ASCII hyphen-minus before a number (use −, U+2212)' });
    // "r = 0.18", "p < 0.05", "share significant 0.28".
    if (new RegExp(String.raw`(^|[\s(*|,;])${BOUNDED_NAME}\*?\s*(?:[=<>≤≥]|is|of)\s*[−-]?0\.\d`, 'i').test(line)) problems.push({ ...at, rule: 'leading zero on a bounded quantity' });
    if (isRule(line)) return;
    const row = cells(line);
    if (row === null) {
      header = null;
      return;
    }
    if (header === null) {
      header = row;
      return;
    }
    row.forEach((cell, c) => {
      const name = header![c];
      if (name !== undefined && BOUNDED_HEADER.test(name) && /(^|[\s\[(−-])0\.\d/.test(cell)) problems.push({ ...at, rule: `leading zero in the bounded column "${name}"` });
    });
  });
  return problems;
}
