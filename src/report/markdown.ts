/**
 * report.md: the report's blocks as Markdown (CommonMark with pipe tables): tables through render/table.ts's
 * renderMarkdown (as every command's --format markdown), figures as `![alt](file.svg)` beside report.md, the
 * provenance after a rule.
 */
import { renderMarkdown } from '../render/table';
import { markdownInline, markdownText, terminalText } from '../text';
import type { Block, FigureRef } from './blocks';
import type { ReportContent } from './content';

/** The file a figure links to (its SVG unless the report writes no SVG). */
type FigureLink = (figure: FigureRef) => string;

function block(b: Block, link: FigureLink): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${markdownInline(b.text)}\n`;
    case 'paragraph':
      return `${markdownInline(b.text)}\n`;
    case 'list':
      return `${b.items.map((item) => `- ${markdownInline(item)}`).join('\n')}\n`;
    case 'table':
      return renderMarkdown(b.spec);
    case 'figures':
      return b.figures.map((f) => `![${markdownText(f.alt.replace(/[[\]]/g, ''))}](${link(f)})\n\n${markdownInline(f.caption)}\n`).join('\n');
    case 'code':
      // Our own JSON: its lines are ours; a data string in it is JSON-escaped, and a fence cannot close early.
      return `\`\`\`${b.language}\n${b.text.split('\n').map(terminalText).join('\n')}\n\`\`\`\n`;
  }
}

export function renderReportMarkdown(content: ReportContent, link: FigureLink = (f) => f.file): string {
  return [...content.blocks.map((b) => block(b, link)), '---\n', ...content.provenance.map((b) => block(b, link))].join('\n');
}
