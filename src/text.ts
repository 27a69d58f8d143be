/**
 * Text from a data file (column names, levels, ids, plan titles, --where values) is shown, never obeyed. This is
 * the one place that turns such text into each output's safe form; every renderer and every stderr message uses it.
 *
 * - Terminal (tables, messages on stderr): control characters are shown as escapes (`\x1b`, `\n`, `\u2028`) and never
 *   written, so a name cannot recolour or clear the screen, move the cursor, set the title or (OSC 52) the clipboard.
 *   Colours are added by the renderer after this, so ours still work.
 * - Markdown: the terminal rule, then `<`, `>`, `&` as entities (no raw HTML reaches a renderer that passes HTML
 *   through; one followed by a space cannot start markup and stays), `\`, `|` and backticks backslash-escaped, and
 *   the brackets `[ ]` too wherever they could form a link (no `[x](javascript:…)` link or `![](http://…)` image from
 *   a column name: see LINK_MARK).
 * - DOCX (Word's XML): the terminal rule, and the characters XML 1.0 forbids that it leaves (lone surrogates, U+FFFE,
 *   U+FFFF) as `\u` escapes: one raw ESC made word/document.xml ill-formed and the report unopenable. The docx package
 *   escapes `& < > "` itself.
 * - HTML and SVG: `& < > "` as entities.
 * - CSV: RFC 4180 quoting (render/format.ts csvField); TSV: tab, CR, LF and backslash inside a cell as `\t`, `\r`,
 *   `\n`, `\\` (a cell never spans lines or columns).
 * - JSON: JSON.stringify, with DEL, C1 and the Unicode line separators also escaped (JSON.parse gives the original).
 *
 * `score` writes cells exactly as they came (its contract): only what is displayed passes through here.
 */

/**
 * C0 (tab and line breaks included), DEL, C1 (U+0080–U+009F: 8-bit CSI/OSC on some terminals), the Unicode line
 * and paragraph separators, and the bidirectional embeddings/overrides/isolates that reorder what is shown.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function controlEscape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The terminal rule: every control character shown as an escape (`\x1b[31m` stays visible text). */
export function terminalText(text: string): string {
  return text.replace(CONTROL, controlEscape);
}

/** A message for stderr: the terminal rule, so it stays one line and cannot restyle the terminal. */
export const oneLine = terminalText;

/** A name or cell as a message quotes it: cut to `max` characters (a 10 MB header cell stays a short line). */
export function shown(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** HTML and SVG text and attribute values. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ENTITY[c]);
}

/**
 * Markdown outside code: the terminal rule; `\` escaped, so a data `\` cannot escape our marks; `&`, `<` and `>` as
 * entities unless a space follows. Raw HTML, autolinks and entity references in CommonMark all need a character
 * other than a space right after the `<` or `&`, so `p < .001` and `BF > 3` stay readable and nothing can open a tag.
 */
function markdownPlain(text: string): string {
  // `\` first: the terminal rule's own escapes (`\x1b`, `\n`: a backslash before a letter) are not Markdown escapes.
  const plain = terminalText(text.replace(/\\/g, '\\\\')).replace(/[&<>](?! )/g, (c) => HTML_ENTITY[c]);
  return LINK_MARK.test(plain) ? plain.replace(/[[\]]/g, (c) => `\\${c}`) : plain;
}

/**
 * Where brackets can make a link, an image or markup (CommonMark §6.3–6.4 and pandoc's extensions): `](` an inline
 * link or image (`[x](javascript:…)`, `![](http://…)`), `][` a full or collapsed reference, `]:` a reference
 * definition (without one, a bare `[x]` links nowhere), `]{` a pandoc span with attributes, `[[` a wiki link, `[]`,
 * `[^` and `^[` notes. Text holding any of them has every `[` and `]` backslash-escaped (§2.4: shown as written), so no
 * pair survives; other text keeps its brackets as written (`95% CI [.30, .65]`). Each string is one inline context
 * (a cell, a heading, a paragraph, a list item, a stretch between code spans), so a link cannot straddle two.
 */
const LINK_MARK = /\][([{:]|\[[[\]^]|\^\[/;

/** A Markdown table cell, title or note: plain text, nothing in it is markup (`|` and backtick escaped). */
export function markdownText(text: string): string {
  return markdownPlain(text).replace(/[|`]/g, (c) => `\\${c}`);
}

/**
 * Markdown prose that carries our two marks, *emphasis* and `code` (report/document.ts): code spans are kept (their
 * text has no backtick, and no HTML is read inside a code span), everything between them is escaped as plain text
 * with any stray backtick escaped, so the spans a Markdown reader finds are exactly those html.ts renders.
 */
export function markdownInline(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    out += markdownPlain(text.slice(at, m.index)).replace(/`/g, '\\`') + `\`${terminalText(m[1])}\``;
    at = m.index! + m[0].length;
  }
  return out + markdownPlain(text.slice(at)).replace(/`/g, '\\`');
}

/** Characters XML 1.0 forbids (§2.2 Char) that the terminal rule leaves: lone surrogates, U+FFFE, U+FFFF. */
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/** Text of a Word document: the terminal rule, then what else XML cannot hold as `\u` escapes. */
export function docxText(text: string): string {
  return terminalText(text).replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A TSV cell: tab, CR, LF and backslash escaped (`\t`, `\r`, `\n`, `\\`), so each cell stays in its row and column. */
export function tsvText(text: string): string {
  return text.replace(/[\t\r\n\\]/g, (c) => (c === '\\' ? '\\\\' : controlEscape(c)));
}

/** JSON text: JSON.stringify (C0 escaped), plus DEL, C1, U+2028/U+2029 and bidi controls as \u escapes (only strings hold them). */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
