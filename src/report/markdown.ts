/**
 * report.md: the report's blocks as Markdown (CommonMark with pipe tables): tables through render/table.ts's
 * renderMarkdown (as every command's --format markdown), figures as `![alt](file.svg)` beside report.md, the
 * provenance after a rule.
 */
import { renderMarkdown } from '../render/table';
import type { Block } from './blocks';
import type { ReportContent } from './content';

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${b.text}\n`;
    case 'paragraph':
      return `${b.text}\n`;
    case 'list':
      return `${b.items.map((item) => `- ${item}`).join('\n')}\n`;
    case 'table':
      return renderMarkdown(b.spec);
    case 'figures':
      return b.figures.map((f) => `![${f.alt.replace(/[[\]]/g, '')}](${f.file})\n\n${f.caption}\n`).join('\n');
    case 'code':
      return `\`\`\`${b.language}\n${b.text}\n\`\`\`\n`;
  }
}

export function renderReportMarkdown(content: ReportContent): string {
  return [...content.blocks.map(block), '---\n', ...content.provenance.map(block)].join('\n');
}
