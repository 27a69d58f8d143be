/**
 * The report's figures as files: the SVG that figures.ts renders, and from the same SVG a 300-dpi PNG and a vector
 * PDF for journals. The same bytes on every run and machine:
 *
 * - one font everywhere: DejaVu Sans, shipped as TrueType files by the npm package `dejavu-fonts-ttf` (it has "−",
 *   "₁₀", "ρ", which PDF's standard fonts lack). The SVGs name it first (figures.ts); the PNG renderer loads only
 *   these files (system fonts off), and the PDF embeds a subset of the same files;
 * - PNG by @resvg/resvg-js (a Rust renderer with prebuilt binaries as optional npm dependencies: no browser, no
 *   download at install). resvg writes no resolution, so a pHYs chunk is inserted (pngWithDpi);
 * - PDF by pdfkit + svg-to-pdfkit, with a fixed creation date (pdfkit derives the file ID and the font subset tag
 *   from the document info, so those are fixed too).
 *
 * This module is imported (output-files.ts) only when a report asks for PNG or PDF figures or a Word document, and
 * it imports the libraries (the bundle keeps them external: resvg is a native module, pdfkit reads its data files
 * beside its code).
 */
import { Resvg } from '@resvg/resvg-js';
import PDFDocument from 'pdfkit';
import draw from 'svg-to-pdfkit';
import { svgSize } from './figures';
import { missingLibrary } from '../io/library';

/** The figures' font family, as the SVGs name it. */
export const FIGURE_FONT = 'DejaVu Sans';

/** Journals ask for 300 dpi; an SVG's user unit is the CSS pixel, 1/96 inch. */
export const PNG_DPI = 300;
const CSS_DPI = 96;
const PT_PER_CSS_PX = 72 / CSS_DPI;

/** The font files (regular and bold: titles are bold). */
function fontFiles(): { regular: string; bold: string } {
  try {
    return {
      regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
      bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    };
  } catch (error) {
    throw missingLibrary('the figure font (dejavu-fonts-ttf)', error);
  }
}

/** The PNG of an SVG at 300 dpi: width × 300/96 pixels (rounded), with its resolution in a pHYs chunk. */
export function svgToPng(svg: string): Buffer {
  const fonts = fontFiles();
  const width = Math.round((svgSize(svg).width * PNG_DPI) / CSS_DPI);
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    font: { loadSystemFonts: false, fontFiles: [fonts.regular, fonts.bold], defaultFontFamily: FIGURE_FONT, sansSerifFamily: FIGURE_FONT },
  }).render();
  return pngWithDpi(rendered.asPng(), PNG_DPI);
}

/**
 * The vector PDF of an SVG: one page the size the PNG prints at (a CSS pixel is 1/96 in = 0.75 pt), the SVG's
 * viewBox scaled to it, the font embedded.
 */
export function svgToPdf(svg: string, created: Date): Promise<Buffer> {
  const fonts = fontFiles();
  const { width: cssWidth, height: cssHeight } = svgSize(svg);
  const width = cssWidth * PT_PER_CSS_PX;
  const height = cssHeight * PT_PER_CSS_PX;
  const doc = new PDFDocument({ size: [width, height], margin: 0, info: { Creator: 'canrelax-analyze', Producer: 'canrelax-analyze', CreationDate: created } });
  doc.registerFont('figure', fonts.regular);
  doc.registerFont('figure-bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // assumePt false: the SVG's user units are CSS pixels, drawn at 0.75 pt each.
  draw(doc, svg, 0, 0, { assumePt: false, fontCallback: (_family: string, bold: boolean) => (bold ? 'figure-bold' : 'figure') });
  doc.end();
  return done;
}

// --- PNG chunks (PNG spec, ISO/IEC 15948 §5.3: length, type, data, CRC-32 of type and data) ---

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected), as PNG's chunks use it. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

export interface PngChunk {
  type: string;
  data: Buffer;
}

/** The chunks of a PNG, in order (each CRC checked). */
export function pngChunks(png: Buffer): PngChunk[] {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  const chunks: PngChunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length)) throw new Error(`PNG chunk ${type}: bad CRC`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

/**
 * The PNG with a pHYs chunk saying `dpi` (PNG spec §11.3.5.3: pixels per unit on x and y, unit 1 = metre; 300 dpi =
 * round(300 / 0.0254) = 11811 px/m), placed after IHDR (it must come before the first IDAT); a pHYs already
 * there is replaced.
 */
export function pngWithDpi(png: Buffer, dpi: number): Buffer {
  const perMetre = Math.round(dpi / 0.0254);
  const phys = Buffer.alloc(9);
  phys.writeUInt32BE(perMetre, 0);
  phys.writeUInt32BE(perMetre, 4);
  phys.writeUInt8(1, 8);
  const parts: Buffer[] = [PNG_SIGNATURE];
  for (const chunk of pngChunks(png)) {
    if (chunk.type === 'pHYs') continue;
    parts.push(pngChunk(chunk.type, chunk.data));
    if (chunk.type === 'IHDR') parts.push(pngChunk('pHYs', phys));
  }
  return Buffer.concat(parts);
}
