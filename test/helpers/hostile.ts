/**
 * Hostile text (issue 15): terminal escapes (CSI, OSC 52 clipboard, OSC title), CR, other C0 and C1 controls, DEL,
 * Unicode separators and bidi overrides, `<script>`, `<img onerror>`, `|`, backticks, Markdown links and images. Shared by
 * test/cli/hostile.test.ts and the fuzz's hostile seeds (test/robustness).
 */
export const ESC_CSI = '\x1b[31mRED\x1b[0m\x1b[2J';
export const OSC52 = '\x1b]52;c;cHduZWQ=\x07\x1b]0;title\x1b\\';
export const CR = 'fake\rOK';
export const C0C1 = '\x01\x08\x0b\x7f\x9b2J\x85\u2028\u202e';
export const HTML = '<script>alert(1)</script><img src=x onerror=alert(1)>';
/** Markdown marks, and (issue 20) a live link and a remote image as pandoc would render them. */
export const MD = '|pipe|`tick`[x](javascript:alert(1))![](http://attacker.example/i.png)<http://attacker.example>';

/** Header of the hostile factor: quoted, with a line break inside. */
export const GROUP = `grp${ESC_CSI}${HTML}${MD}\nline2`;
/** Header of a hostile numeric covariate (a copy of age). */
export const COVARIATE = `cov${OSC52}<img src=x onerror=alert(1)>${C0C1}`;
export const LEVELS = [`A${OSC52}${HTML}`, `B${CR}${C0C1}${MD}`];
export const WHERE = `arm!=x${ESC_CSI}${HTML}${CR}`;

/** Every hostile string, for the fuzz. */
export const HOSTILE_TEXTS = [ESC_CSI, OSC52, CR, C0C1, HTML, MD, GROUP, COVARIATE, ...LEVELS];

/** Raw control characters: C0 except LF, DEL, C1, the Unicode separators and bidi overrides. */
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * A link or image from data in Markdown, or null: outside code (fenced blocks, then code spans, unescaped backtick
 * pairs), every `](` a Markdown reader could take as the middle of an inline link or image (its `]` not escaped) must
 * lead to one of our figure files (`![alt](forest.svg)`), and no autolink `<http…>` may be left.
 */
export function markdownLink(text: string): string | null {
  const prose = text.replace(/^```[^]*?^```$/gm, '').replace(/(?<!\\)`[^`]*(?<!\\)`/g, '``');
  for (const m of prose.matchAll(/(?<!\\)\]\(([^)\s]*)/g)) {
    if (!/^[\w.-]+\.(svg|png|pdf)$/.test(m[1])) return `a live link to ${JSON.stringify(m[1])} at ${JSON.stringify(prose.slice(Math.max(0, m.index! - 40), m.index! + 40))}`;
  }
  const autolink = /<https?:/.exec(prose);
  return autolink ? `an autolink at ${JSON.stringify(prose.slice(autolink.index, autolink.index + 40))}` : null;
}
