/**
 * The block model that the Markdown and HTML writers (markdown.ts, html.ts) both render, so the two say the same
 * thing; the steps (steps/) write their text, tables and figures as blocks.
 *
 * Text in paragraphs, list items and captions may carry two marks: *emphasis* (statistical symbols) and `code`
 * (column names). Table cells and notes are plain text.
 */
import type { TableSpec } from '../render/table';
import type { StepId } from './plan-types';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; spec: TableSpec }
  | { kind: 'figures'; figures: FigureRef[] }
  | { kind: 'code'; language: string; text: string };

export interface FigureRef {
  file: string;
  alt: string;
  caption: string;
}

/** File name of a figure drawn once per variable: <figure>-<x>.svg, x reduced to letters, digits, - and _. */
export function variableFigureFile(figure: string, x: string): string {
  return `${figure}-${x.replace(/[^A-Za-z0-9_-]+/g, '_')}.svg`;
}

/** A figure as a step plans it: its file, the step it belongs to, and the Vega-Lite spec that draws it. */
export interface FigurePlan extends FigureRef {
  step: StepId;
  title: string;
  spec: Record<string, any>;
}
