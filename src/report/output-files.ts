/**
 * The files a report writes, by name, from its content: the documents asked for with --formats (report.json, .md,
 * .html, .docx) and each figure in the formats asked for with --figures (NAME.svg, NAME.png, NAME.pdf). Every
 * figure is rendered to SVG first (figures.ts); PNG and PDF are made from that SVG (figure-files.ts), and Word
 * embeds the PNG (docx.ts). Markdown and HTML show the SVG when one is written, else the PNG: HTML inlines it
 * either way (self-contained), Markdown links to the file beside it.
 */
import { jsonText } from '../text';
import type { FigurePlan } from './blocks';
import type { ReportContent } from './content';
import { reportJson, type Provenance } from './document';
import { renderSvg, svgSize, withoutTitle } from './figures';
import type { FigureFormat, ReportFormat } from './formats';
import { renderReportHtml } from './html';
import { renderReportMarkdown } from './markdown';
import { importLibrary } from '../io/library';
import type { ReportRun } from './step';

export interface OutputChoice {
  formats: readonly ReportFormat[];
  figures: readonly FigureFormat[];
  /** The date written into PDF and DOCX metadata: the run's --timestamp, or a fixed date (same bytes every run). */
  created: Date;
}

/** A figure's file in one format: forest.svg → forest.png. */
export function figureFile(figure: Pick<FigurePlan, 'file'>, format: FigureFormat): string {
  return figure.file.replace(/\.svg$/, `.${format}`);
}

export async function reportFiles(run: ReportRun, provenance: Provenance, content: ReportContent, choice: OutputChoice): Promise<Map<string, string | Buffer>> {
  const svgs = new Map<string, string>();
  const titled = run.plan.figure_titles !== 'none';
  for (const figure of content.figures) svgs.set(figure.file, await renderSvg(titled ? figure.spec : withoutTitle(figure.spec)));
  const wantPng = choice.figures.includes('png') || choice.formats.includes('docx');
  const pngs = new Map<string, Buffer>();
  const pdfs = new Map<string, Buffer>();
  if (wantPng || choice.figures.includes('pdf')) {
    const { svgToPdf, svgToPng } = await importLibrary('the PNG and PDF writers (@resvg/resvg-js, pdfkit, svg-to-pdfkit)', import('./figure-files'));
    for (const [file, svg] of svgs) {
      if (wantPng) pngs.set(file, svgToPng(svg));
      if (choice.figures.includes('pdf')) pdfs.set(file, await svgToPdf(svg, choice.created));
    }
  }
  // Markdown links to the SVG when it is written, else the PNG, else the PDF; HTML inlines the PNG when it is
  // written and the SVG is not, else the SVG.
  const linked: FigureFormat = choice.figures.includes('svg') ? 'svg' : choice.figures.includes('png') ? 'png' : 'pdf';

  const files = new Map<string, string | Buffer>();
  if (choice.formats.includes('json')) {
    const figures = content.figures.map((f) => ({ file: figureFile(f, choice.figures[0]), files: choice.figures.map((format) => figureFile(f, format)), step: f.step, title: f.title }));
    files.set('report.json', `${jsonText(reportJson(run, provenance, figures), 2)}\n`);
  }
  if (choice.formats.includes('md')) {
    files.set('report.md', renderReportMarkdown(content, (f) => figureFile(f, linked)));
  }
  if (choice.formats.includes('html')) {
    files.set('report.html', renderReportHtml(content, svgs, linked === 'png' ? pngs : undefined));
  }
  if (choice.formats.includes('docx')) {
    const { renderReportDocx } = await importLibrary('the Word writer (docx)', import('./docx'));
    const images = new Map([...pngs].map(([file, png]) => [file, { png, ...svgSize(svgs.get(file)!) }]));
    files.set('report.docx', await renderReportDocx(content, images, choice.created));
  }
  for (const figure of content.figures) {
    for (const format of choice.figures) {
      const data = format === 'svg' ? svgs.get(figure.file)! : format === 'png' ? pngs.get(figure.file)! : pdfs.get(figure.file)!;
      files.set(figureFile(figure, format), data);
    }
  }
  return files;
}
