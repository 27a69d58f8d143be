/**
 * report.html: the same blocks as report.md in one self-contained page: CSS inline, figures inline as SVG (ids
 * prefixed per figure), no scripts, no fonts or anything else fetched. Tables in APA style (rules above and below
 * the header and at the foot, numbers right-aligned with tabular figures). On screen a wide table scrolls; printed
 * (the print stylesheet) it takes the page width with smaller type and headers and cells that may wrap, so that
 * every column prints (test/report/print.test.ts prints it with Chromium).
 */
import type { TableSpec } from '../render/table';
import type { Block } from './blocks';
import type { ReportContent } from './content';
import { inlineSvg, svgSize } from './figures';
import { htmlText, terminalText } from '../text';
import { instrumentNames } from '../render/apa';

const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1c1c1c; font: 16px/1.6 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif; }
main, footer { max-width: 52rem; margin: 0 auto; padding: 0 1.25rem; }
main { padding-top: 2.5rem; }
h1, h2, h3, caption, figcaption, .note, footer { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; margin: 2.4rem 0 .6rem; padding-top: .4rem; border-top: 1px solid #e3e3e3; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; }
p { margin: .6rem 0; }
em { font-style: italic; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .86em; background: #f4f4f4; padding: 0 .2em; border-radius: 3px; }
pre { background: #f6f6f6; padding: .8rem 1rem; overflow-x: auto; font-size: .8rem; line-height: 1.45; }
pre code { background: none; padding: 0; }
.table { overflow-x: auto; margin: 1.2rem 0 1.4rem; }
table { border-collapse: collapse; font-size: .88rem; font-variant-numeric: tabular-nums lining-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; font-size: .92rem; padding-bottom: .45rem; }
th, td { padding: .28rem .7rem; text-align: left; vertical-align: top; }
th:first-child, td:first-child { padding-left: 0; }
thead th { font-weight: 600; border-top: 2px solid #1c1c1c; border-bottom: 1px solid #1c1c1c; white-space: nowrap; }
tbody tr:last-child td { border-bottom: 2px solid #1c1c1c; }
.num { text-align: right; white-space: nowrap; }
.note { font-size: .8rem; color: #444; margin: .25rem 0; line-height: 1.45; }
.figures { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 1.5rem 0; }
figure { margin: 0; flex: 1 1 22rem; }
figure.wide { flex-basis: 100%; }
figure svg, figure img { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #333; margin-top: .4rem; }
footer { margin-top: 3rem; padding-bottom: 3rem; font-size: .85rem; color: #333; }
footer h2 { font-size: 1.05rem; }
footer li { overflow-wrap: anywhere; }
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 10pt; line-height: 1.45; }
  main, footer { max-width: none; padding: 0; }
  main { padding-top: 0; }
  h2 { break-after: avoid; }
  .table, figure { break-inside: avoid; }
  .table { overflow: visible; }
  table { width: 100%; font-size: 7.5pt; }
  th, td { padding: .15rem .3rem; overflow-wrap: break-word; }
  thead th, .num { white-space: normal; }
  pre { overflow: visible; white-space: pre-wrap; overflow-wrap: anywhere; }
  footer li, .note { overflow-wrap: anywhere; }
}
`;

/**
 * Data text in HTML: control characters shown as escapes, then `& < > "` as entities (text.ts); instrument names
 * with a non-breaking hyphen (apa.ts), so that "WAI-I" never breaks across lines in a caption or a table cell.
 */
function escapeHtml(text: string): string {
  return htmlText(terminalText(instrumentNames(text)));
}

/** Paragraph text: escaped, then `code` and *emphasis*. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*([^*\s][^*]*?)\*/g, '<em>$1</em>');
}

function table(spec: TableSpec): string {
  const cls = (i: number) => (spec.numeric?.[i] ? ' class="num"' : '');
  const head = spec.head.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const rows = spec.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const notes = (spec.footer ?? []).map((f) => `<p class="note">${escapeHtml(f)}</p>`).join('\n');
  return (
    `<div class="table"><table>\n${spec.title ? `<caption>${escapeHtml(spec.title)}</caption>\n` : ''}<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>\n` +
    `${notes}</div>`
  );
}

/** A PNG figure inline, at the SVG's CSS size (the PNG has 300/96 as many pixels). */
function pngImage(png: Buffer, svg: string | undefined, alt: string): string {
  const size = svg === undefined ? null : svgSize(svg);
  return `<img src="data:image/png;base64,${png.toString('base64')}" alt="${escapeHtml(alt)}"${size ? ` width="${size.width}" height="${size.height}"` : ''}>`;
}

function block(b: Block, svgs: ReadonlyMap<string, string>, pngs?: ReadonlyMap<string, Buffer>): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((item) => `<li>${inline(item)}</li>`).join('\n')}\n</ul>`;
    case 'table':
      return table(b.spec);
    case 'figures':
      return `<div class="figures">\n${b.figures
        .map((f) => {
          const svg = svgs.get(f.file);
          const prefix = f.file.replace(/\.svg$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
          const png = pngs?.get(f.file);
          const body = png !== undefined ? pngImage(png, svg, f.alt) : svg === undefined ? `<p>${escapeHtml(f.file)}</p>` : inlineSvg(svg, prefix).replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(f.alt)}" `);
          return `<figure${b.figures.length === 1 ? ' class="wide"' : ''}>\n${body}\n<figcaption>${inline(f.caption)}</figcaption>\n</figure>`;
        })
        .join('\n')}\n</div>`;
    case 'code':
      return `<pre><code>${b.text.split('\n').map(escapeHtml).join('\n')}</code></pre>`;
  }
}

/** `pngs`: figures to show as PNG (when the report writes no SVG); the others are inlined from `svgs`. */
export function renderReportHtml(content: ReportContent, svgs: ReadonlyMap<string, string>, pngs?: ReadonlyMap<string, Buffer>): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(content.title)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n<main>\n` +
    content.blocks.map((b) => block(b, svgs, pngs)).join('\n') +
    '\n</main>\n<footer>\n' +
    content.provenance.map((b) => block(b, svgs)).join('\n') +
    '\n</footer>\n</body>\n</html>\n'
  );
}
