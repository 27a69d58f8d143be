/**
 * report.md: the report's blocks as Markdown (CommonMark with pipe tables): tables through render/table.ts's
 * renderMarkdown (as every command's --format markdown), figures as `![alt](file.svg)` beside report.md, the
 * provenance after a rule.
 */
import { renderMarkdown } from '../render/table';
import { markdownInline, markdownText, terminalText } from '../text';
import type { Block } from './blocks';
import type { ReportContent } from './content';

function block(b: Block): string {
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
      return b.figures.map((f) => `![${markdownText(f.alt.replace(/[[\]]/g, ''))}](${f.file})\n\n${markdownInline(f.caption)}\n`).join('\n');
    case 'code':
      // Our own JSON: its lines are ours; a data string in it is JSON-escaped, and a fence cannot close early.
      return `\`\`\`${b.language}\n${b.text.split('\n').map(terminalText).join('\n')}\n\`\`\`\n`;
  }
}

export function renderReportMarkdown(content: ReportContent): string {
  return [...content.blocks.map(block), '---\n', ...content.provenance.map(block)].join('\n');
}
