/**
 * report.docx: the same blocks as report.md and report.html as a Word document, with the `docx` package (this module
 * is imported, by output-files.ts, only when --formats asks for docx). Tables are real Word tables in APA style (7th ed., §7.8–7.21): the
 * number in bold and the title in italics above, horizontal rules only (above and below the header, at the foot),
 * numbers right-aligned, the notes under the table beginning "Note." in italics. Figures are the PNGs (300 dpi)
 * at the SVG's size (shrunk to fit the text width and a page's height), each with its caption.
 *
 * Same bytes on every run: docx writes the current time into docProps/core.xml and into every zip entry, so the
 * package it writes is unpacked, those dates are set to the run's date (fixed without --timestamp), and it is
 * zipped again with fflate (docx's own zip library) with every entry dated the same.
 */
import * as docx from 'docx';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { TableSpec } from '../render/table';
import { docxText } from '../text';
import type { Block } from './blocks';
import type { ReportContent } from './content';

export interface DocxImage {
  png: Buffer;
  /** The figure's size in CSS pixels (the PNG has 300/96 as many). */
  width: number;
  height: number;
}

/** Text width of a US Letter / A4 page with 1-inch margins, in CSS pixels (6.27 in on A4, the narrower). */
const TEXT_WIDTH_PX = 6.27 * 96;
/**
 * Height a figure may take on such a page (CSS px): 9 in of text (Letter, the shorter; A4 has 9.69 in) less half an
 * inch for its caption, so that figure and caption share a page.
 */
const FIGURE_HEIGHT_PX = 8.5 * 96;

/** A figure's size in the document (CSS px): its own, shrunk (aspect kept) to the text width and a page's height. */
export function docxFigureSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, TEXT_WIDTH_PX / width, FIGURE_HEIGHT_PX / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}
const FONT = 'Times New Roman';
/** Half-points: 12 pt text, 10 pt tables and notes. */
const TEXT_SIZE = 24;
const SMALL_SIZE = 20;

/** Paragraph text with its two marks, *emphasis* and `code`, as runs. */
function runs(text: string, size = TEXT_SIZE): docx.TextRun[] {
  const out: docx.TextRun[] = [];
  const pattern = /`([^`]+)`|\*([^*\s][^*]*?)\*/g;
  let at = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m.index > at) out.push(new docx.TextRun({ text: docxText(text.slice(at, m.index)), size }));
    out.push(m[1] !== undefined ? new docx.TextRun({ text: docxText(m[1]), font: 'Consolas', size: size - 2 }) : new docx.TextRun({ text: docxText(m[2]), italics: true, size }));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(new docx.TextRun({ text: docxText(text.slice(at)), size }));
  return out;
}

function table(spec: TableSpec): docx.FileChild[] {
  const { Paragraph, TextRun, Table, TableRow, TableCell, BorderStyle, AlignmentType, WidthType } = docx;
  const rule = (size: number) => ({ style: BorderStyle.SINGLE, size, color: '000000' });
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const align = (i: number) => (spec.numeric?.[i] ? AlignmentType.RIGHT : AlignmentType.LEFT);
  const cell = (text: string, i: number, header: boolean, last: boolean) =>
    new TableCell({
      children: [new Paragraph({ alignment: align(i), children: [new TextRun({ text: docxText(text), size: SMALL_SIZE })] })],
      borders: { top: header ? rule(8) : none, bottom: header ? rule(4) : last ? rule(8) : none, left: none, right: none },
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
    });
  const rows = [
    new TableRow({ tableHeader: true, children: spec.head.map((h, i) => cell(h, i, true, false)) }),
    ...spec.rows.map((row, r) => new TableRow({ cantSplit: true, children: row.map((c, i) => cell(c, i, false, r === spec.rows.length - 1)) })),
  ];
  const out: docx.FileChild[] = [];
  // "Table 3. Title" → "Table 3" in bold, then the title in italics (APA).
  const title = /^(Table \d+)\.\s*(.*)$/.exec(spec.title ?? '');
  if (title) {
    out.push(new Paragraph({ keepNext: true, spacing: { before: 240 }, children: [new TextRun({ text: docxText(title[1]), bold: true, size: TEXT_SIZE })] }));
    out.push(new Paragraph({ keepNext: true, spacing: { after: 120 }, children: [new TextRun({ text: docxText(title[2]), italics: true, size: TEXT_SIZE })] }));
  } else if (spec.title) {
    out.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: docxText(spec.title), italics: true, size: TEXT_SIZE })] }));
  }
  out.push(
    new Table({
      rows,
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: { top: rule(8), bottom: rule(8), left: none, right: none, insideHorizontal: none, insideVertical: none },
    }),
  );
  (spec.footer ?? []).forEach((note, i) => {
    out.push(
      new Paragraph({
        spacing: { before: i === 0 ? 80 : 0 },
        children: [...(i === 0 ? [new TextRun({ text: 'Note.', italics: true, size: SMALL_SIZE }), new TextRun({ text: ' ', size: SMALL_SIZE })] : []), new TextRun({ text: docxText(note), size: SMALL_SIZE })],
      }),
    );
  });
  return out;
}

/** Drawing ids (wp:docPr), numbered from 1 in each document: docx's own counter runs on across documents in one process. */
interface Drawings {
  next: number;
}

function block(b: Block, images: ReadonlyMap<string, DocxImage>, drawings: Drawings): docx.FileChild[] {
  const { Paragraph, TextRun, HeadingLevel, ImageRun } = docx;
  switch (b.kind) {
    case 'heading': {
      const level = [HeadingLevel.TITLE, HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3][b.level];
      return [new Paragraph({ heading: level, children: runs(b.text, b.level === 1 ? 32 : b.level === 2 ? 28 : TEXT_SIZE) })];
    }
    case 'paragraph':
      return [new Paragraph({ spacing: { after: 120 }, children: runs(b.text) })];
    case 'list':
      return b.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: runs(item) }));
    case 'table':
      return table(b.spec);
    case 'figures':
      return b.figures.flatMap((f) => {
        const image = images.get(f.file);
        const caption = new Paragraph({ spacing: { after: 240 }, children: runs(f.caption, SMALL_SIZE) });
        if (image === undefined) return [caption];

        const picture = new ImageRun({
          type: 'png',
          data: image.png,
          transformation: docxFigureSize(image.width, image.height),
          altText: { id: String(drawings.next++), name: f.file, description: docxText(f.alt), title: docxText(f.alt) },
        });
        return [new Paragraph({ keepNext: true, spacing: { before: 240 }, children: [picture] }), caption];
      });
    case 'code':
      return b.text.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: docxText(line), font: 'Consolas', size: 16 })] }));
  }
}

export async function renderReportDocx(content: ReportContent, images: ReadonlyMap<string, DocxImage>, created: Date): Promise<Buffer> {
  const drawings: Drawings = { next: 1 };
  const document = new docx.Document({
    title: docxText(content.title),
    creator: 'canrelax-analyze',
    lastModifiedBy: 'canrelax-analyze',
    styles: { default: { document: { run: { font: FONT, size: TEXT_SIZE } } } },
    sections: [{ children: [...content.blocks, ...content.provenance].flatMap((b) => block(b, images, drawings)) }],
  });
  const packed = await docx.Packer.toBuffer(document);
  // Fixed dates: docProps/core.xml's created and modified, and every zip entry's time.
  const stamp = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries = unzipSync(packed);
  const files: Zippable = {};
  // Zip entries store local time (MS-DOS format): a date made from the UTC fields reads the same on every machine.
  const mtime = new Date(created.getUTCFullYear(), created.getUTCMonth(), created.getUTCDate(), created.getUTCHours(), created.getUTCMinutes(), created.getUTCSeconds());
  for (const [name, data] of Object.entries(entries)) {
    const bytes = name === 'docProps/core.xml' ? Buffer.from(Buffer.from(data).toString('utf8').replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`)) : data;
    files[name] = [bytes, { mtime, level: 6 }];
  }
  return Buffer.from(zipSync(files));
}
