/**
 * Excel workbooks (.xlsx) as rows of text cells, the same cells a CSV export of the sheet would hold: numbers in their
 * shortest round-trip text (so the CSV number parser reads back the identical double), dates as ISO text, a formula
 * by its cached value, empty cells empty.
 *
 * Read here from the Office Open XML parts (ECMA-376 Part 1, §18: workbook §18.2, shared strings §18.4, styles'
 * number formats §18.8.30–31, sheet data §18.3.1.4 c, §18.3.1.73 row, §18.3.1.96 v), strictly: a numeric cell's
 * stored text must be a number by the CSV reader's rule (src/io/number-text.ts), a shared-string index one the
 * workbook has, cells and rows in order within Excel's grid (1,048,576 rows × 16,384 columns). The zip (src/io/zip.ts)
 * and the XML (saxes, a streaming parser that expands no entity beyond XML's five) are read a slice at a time, so a
 * sheet is never held whole and a damaged archive is an error, never a stream that stalls. Shared strings are kept
 * joined in blocks with their offsets, not as a string object each (5 M unused ones: 243 MB peak for the command).
 *
 * exceljs 4.4's streaming reader, used before, read numeric cells with parseFloat (`1,5` → 1, `0x10` → 0), an
 * out-of-range shared-string index as an empty cell, kept every shared string as an object (5 M unused ones
 * exhausted V8's heap), and let its unzip stream stall on one flipped byte, so that the command ended with no
 * output and no error.
 */
import { SaxesParser } from 'saxes';
import { DataError, option, UsageError, shown, words } from '../errors';
import { numberText } from './number-text';
import { ZipEntry, ZipError, ZipReader, zipEntries } from './zip';

/** A1-style address of a 1-based column and row. */
export function cellAddress(column: number, row: number): string {
  let name = '';
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26)) name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
  return `${name}${row}`;
}

/** ISO 8601 text of an Excel date (a UTC instant): the date alone when it has no time of day. */
export function isoDate(date: Date): string {
  const iso = date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

/** Excel's grid, and the longest text a cell holds (32,767 characters in Excel; far more is accepted here). */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const MAX_CELL_TEXT = 1 << 20;
/** Shared strings: how many, and their characters in all (at most 2 bytes each in memory). */
const MAX_SHARED_STRINGS = 1 << 24;
const MAX_SHARED_TEXT = 1 << 27;
/** How deep tags may nest: a worksheet's deepest, an inline string's rich-text run, is 7. */
const MAX_DEPTH = 64;
/** Styles (cellXfs): Excel's limit of 64,000 cell formats, with room; as many sheets and relationships of a part. */
const MAX_STYLES = 1 << 16;
const MAX_LISTED = 1 << 16;

/** One cell as the sheet stores it: its type attribute, stored value (null: no <v>), whether it has a formula. */
export interface RawCell {
  /** The `t` attribute: n (default), s, str, inlineStr, b, e, d. */
  type: string;
  value: string | null;
  formula: boolean;
  /** The style's number format is a date format. */
  date: boolean;
}

/** What a cell's text depends on beyond the cell: shared strings and the workbook's date system. */
export interface CellContext {
  shared: SharedStrings;
  date1904: boolean;
  source: string;
}

/** The text of one cell as a CSV export would hold it; errors name the cell. */
export function cellText(cell: RawCell, column: number, row: number, context: CellContext): string {
  const { source } = context;
  const value = cell.value;
  // A formula's cached number that is empty was never computed (openpyxl writes `<f>…</f><v></v>`); a cached
  // text that is empty (t="str") is the formula's result, an empty cell.
  if (cell.formula && (value === null || (value.trim() === '' && (cell.type === 'n' || cell.type === '')))) {
    throw cellError(
      source,
      column,
      row,
      'is a formula without a cached value; open and save the workbook in Excel, which stores the values, or fix the formula',
    );
  }
  switch (cell.type) {
    case 'n':
    case '': {
      if (value === null) return '';
      // Spaces around the number are allowed, as in a CSV cell; trimmed only when the text is not a number as it is.
      let number = numberText(value);
      if (number === null) {
        const trimmed = value.trim();
        if (trimmed === '') return '';
        number = numberText(trimmed);
      }
      if (number === null) throw cellError(source, column, row, `stores ${shown(value)} as a number, which is not one; save the workbook again from Excel or export it as CSV`);
      if (cell.date) {
        // Serial days since 1899-12-30 (1900 system) or 1904-01-01, as a UTC instant to the millisecond.
        const date = new Date(Math.round((number - 25569 + (context.date1904 ? 1462 : 0)) * 86_400_000));
        if (Number.isNaN(date.getTime())) throw cellError(source, column, row, 'holds a date Excel cannot show');
        return isoDate(date);
      }
      return String(number);
    }
    case 's': {
      const text = (value ?? '').trim();
      const index = /^[0-9]+$/.test(text) ? Number(text) : -1;
      if (index < 0 || index >= context.shared.count) {
        throw cellError(source, column, row, `refers to shared string ${shown(value ?? '')}, of ${context.shared.count} in the workbook; save it again from Excel`);
      }
      return context.shared.get(index);
    }
    case 'str':
    case 'inlineStr':
    case 'd':
      return value ?? '';
    case 'b':
      if (value === '1' || value === 'true') return 'TRUE';
      if (value === '0' || value === 'false') return 'FALSE';
      if (value === null) return '';
      throw cellError(source, column, row, `stores ${shown(value)} as TRUE/FALSE, which is neither`);
    case 'e':
      throw cellError(source, column, row, `holds the Excel error ${shown(value ?? '')}; fix it or clear the cell`);
    default:
      throw cellError(source, column, row, `holds a value of a kind that cannot be read (type ${shown(cell.type)})`);
  }
}

function cellError(source: string, column: number, row: number, what: string): DataError {
  return new DataError(`cell ${cellAddress(column, row)} ${what}, ${source}`);
}

/**
 * The shared strings, joined in blocks of 4,096 with each one's start: one string per block, not per entry.
 */
export class SharedStrings {
  count = 0;
  private characters = 0;
  private readonly blocks: string[] = [];
  private pending: string[] = [];
  private starts = new Uint32Array(1024);

  constructor(private readonly source: string) {}

  add(text: string): void {
    if (this.count === MAX_SHARED_STRINGS) throw tooLarge(this.source, `more than ${MAX_SHARED_STRINGS} shared strings`);
    this.characters += text.length;
    if (this.characters > MAX_SHARED_TEXT) throw tooLarge(this.source, `shared strings of more than ${MAX_SHARED_TEXT} characters in all`);
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    const inBlock = this.pending.length;
    this.starts[this.count] = inBlock === 0 ? 0 : this.starts[this.count - 1] + this.pending[inBlock - 1].length;
    this.pending.push(text);
    this.count++;
    if (this.pending.length === 4096) this.seal();
  }

  /** Joins the pending strings into a block. */
  seal(): void {
    if (this.pending.length === 0) return;
    this.blocks.push(this.pending.join(''));
    this.pending = [];
  }

  get(index: number): string {
    const block = this.blocks[index >>> 12];
    const end = (index & 4095) === 4095 || index + 1 === this.count ? block.length : this.starts[index + 1];
    return block.slice(this.starts[index], end);
  }
}

function tooLarge(source: string, what: string): DataError {
  return new DataError(`${source} is too large to read (${what}); export the sheet as CSV`);
}

function unreadable(source: string, why: string): DataError {
  return new DataError(`${source} is not a readable .xlsx workbook (${why}), save it again from Excel or export it as CSV`);
}

type Attributes = Record<string, string>;

/** A tag's name without its namespace prefix (`x:c` → `c`). */
function local(name: string): string {
  const at = name.indexOf(':');
  return at === -1 ? name : name.slice(at + 1);
}

/** An attribute by its name; `r:id` (a relationship id, whatever the prefix) by `prefixed`. Hot: every cell's r, s, t. */
function attribute(attributes: Attributes, name: string, prefixed = false): string | undefined {
  if (!prefixed) {
    const value = attributes[name];
    return typeof value === 'string' ? value : undefined;
  }
  for (const key in attributes) {
    const colon = key.indexOf(':');
    if (colon !== -1 && key.slice(colon + 1) === name) return attributes[key];
  }
  return undefined;
}

interface XmlHandlers {
  open(name: string, attributes: Attributes): void;
  text(text: string): void;
  close(name: string): void;
}

/**
 * One part of the archive parsed as XML a slice at a time: `pump()` feeds the next slice and reports whether there
 * was one. Errors of the zip, the UTF-8 or the XML are "not a readable workbook", naming the part.
 */
class XmlPart {
  private readonly reader: ZipReader;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly parser: SaxesParser;
  private done = false;
  /** Characters fed in slices in which the parser reported nothing: what it holds in one text node or tag. */
  private sinceEvent = 0;
  private reported = false;
  private depth = 0;

  constructor(
    buf: Buffer,
    private readonly entry: ZipEntry,
    private readonly source: string,
    handlers: XmlHandlers,
  ) {
    this.reader = this.guard(() => new ZipReader(buf, entry));
    const parser = new SaxesParser({ position: false });
    parser.on('opentag', (tag) => {
      this.reported = true;
      // The parser keeps a stack of the open tags: `<a>` nested 100 M deep (300 MB, 300 KB zipped) would be held.
      if (++this.depth > MAX_DEPTH) throw tooLarge(source, `tags nested more than ${MAX_DEPTH} deep in ${entry.name}`);
      handlers.open(local(tag.name), tag.attributes as Attributes);
    });
    parser.on('text', (text) => {
      this.reported = true;
      handlers.text(text);
    });
    parser.on('cdata', (text) => {
      this.reported = true;
      handlers.text(text);
    });
    parser.on('closetag', (tag) => {
      this.reported = true;
      this.depth--;
      handlers.close(local(tag.name));
    });
    parser.on('error', (error) => {
      throw new ZipError(`${entry.name} is not well-formed XML: ${error.message.split('\n')[0]}`);
    });
    this.parser = parser as unknown as XmlPart['parser'];
  }

  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof DataError || error instanceof UsageError) throw error;
      const message = error instanceof ZipError ? error.message : `${this.entry.name}: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
      throw unreadable(this.source, shown(message, 200));
    }
  }

  pump(): boolean {
    if (this.done) return false;
    return this.guard(() => {
      const chunk = this.reader.next();
      if (chunk === null) {
        this.parser.write(this.decoder.decode());
        this.parser.close();
        this.done = true;
        return false;
      }
      const text = this.decoder.decode(chunk, { stream: true });
      // The parser keeps a text node (or a tag) whole until it ends: 400 MB of spaces between two tags would be
      // 400 MB held. No more than the longest cell text may come in slices in which it reports nothing.
      this.reported = false;
      this.parser.write(text);
      this.sinceEvent = this.reported ? 0 : this.sinceEvent + text.length;
      if (this.sinceEvent > MAX_CELL_TEXT) throw tooLarge(this.source, `more than ${MAX_CELL_TEXT} characters of ${this.entry.name} between two tags`);
      return true;
    });
  }

  /** The whole part, for the small ones (workbook, relationships, styles, shared strings). */
  readAll(): void {
    while (this.pump());
  }
}

/** A part's path from a relationship target: relative to the part's folder, or absolute from the archive's root. */
function resolveTarget(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = from.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/** Relationships of a part (its `_rels/NAME.rels`): id → target path and type. */
function relationships(buf: Buffer, entries: Map<string, ZipEntry>, part: string, source: string): Map<string, { target: string; type: string }> {
  const folder = part.split('/').slice(0, -1).join('/');
  const name = `${folder === '' ? '' : `${folder}/`}_rels/${part.split('/').pop()}.rels`;
  const found = new Map<string, { target: string; type: string }>();
  const entry = entries.get(name);
  if (entry === undefined) return found;
  new XmlPart(buf, entry, source, {
    open(tag, attributes) {
      if (tag !== 'Relationship') return;
      const id = attribute(attributes, 'Id');
      const target = attribute(attributes, 'Target');
      if (id !== undefined && target !== undefined && attribute(attributes, 'TargetMode') !== 'External') {
        if (found.size === MAX_LISTED) throw tooLarge(source, `more than ${MAX_LISTED} relationships in ${name}`);
        found.set(id, { target: resolveTarget(part, target), type: attribute(attributes, 'Type') ?? '' });
      }
    },
    text() {},
    close() {},
  }).readAll();
  return found;
}

/** ECMA-376 §18.8.30's built-in date and time formats, and the East Asian ones (27–36, 50–58). */
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format code shows a date when, outside quoted text, brackets and escapes, it has a date or time letter. */
function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\[[^\]]*]/g, '').replace(/\\./g, '').replace(/[_*]./g, '');
  return /[ymdhsb]/i.test(bare.replace(/General/gi, ''));
}

/** Which styles (cellXfs, by index) show their number as a date. */
function dateStyles(buf: Buffer, entry: ZipEntry | undefined, source: string): boolean[] {
  const styles: boolean[] = [];
  if (entry === undefined) return styles;
  const custom = new Map<number, boolean>();
  let inCellXfs = false;
  new XmlPart(buf, entry, source, {
    open(tag, attributes) {
      if (tag === 'numFmt') {
        const id = Number(attribute(attributes, 'numFmtId'));
        if (custom.size < MAX_STYLES) custom.set(id, isDateFormat(attribute(attributes, 'formatCode') ?? ''));
      } else if (tag === 'cellXfs') {
        inCellXfs = true;
      } else if (tag === 'xf' && inCellXfs) {
        if (styles.length === MAX_STYLES) throw tooLarge(source, `more than ${MAX_STYLES} cell styles`);
        const id = Number(attribute(attributes, 'numFmtId') ?? '0');
        styles.push(custom.get(id) ?? BUILTIN_DATES.has(id));
      }
    },
    text() {},
    close(tag) {
      if (tag === 'cellXfs') inCellXfs = false;
    },
  }).readAll();
  return styles;
}

/** The shared strings: each <si>'s text runs (<t>, in <r> runs too), not its phonetic guides (<rPh>). */
function sharedStrings(buf: Buffer, entry: ZipEntry | undefined, source: string): SharedStrings {
  const shared = new SharedStrings(source);
  if (entry === undefined) return shared;
  let text: string[] | null = null;
  let length = 0;
  let inT = false;
  let phonetic = 0;
  new XmlPart(buf, entry, source, {
    open(tag) {
      if (tag === 'si') {
        text = [];
        length = 0;
      } else if (tag === 't') inT = true;
      else if (tag === 'rPh') phonetic++;
    },
    text(value) {
      if (text === null || !inT || phonetic > 0) return;
      length += value.length;
      if (length > MAX_CELL_TEXT) throw tooLarge(source, `a shared string of more than ${MAX_CELL_TEXT} characters`);
      text.push(value);
    },
    close(tag) {
      if (tag === 'si' && text !== null) {
        shared.add(text.join(''));
        text = null;
      } else if (tag === 't') inT = false;
      else if (tag === 'rPh') phonetic--;
    },
  }).readAll();
  shared.seal();
  return shared;
}

export interface SheetRows {
  /** Sheet name as the workbook lists it. */
  sheet: string;
  header: string[];
  /** Row number of the header in the sheet. */
  headerRow: number;
  /** Data rows after the header, in batches: cells (header width) and each row's number in the sheet. */
  batches(size: number): AsyncGenerator<{ rows: string[][]; lines: number[] }>;
}

/** A row as read: its number and its cells by column (1-based; a gap is an empty cell). */
interface Row {
  number: number;
  cells: Array<RawCell | undefined>;
}

/** The column (from 1) of an A1 reference in row `row`; 0 when it is not one (letters, then that row's number). */
function referenceColumn(ref: string, row: number): number {
  let column = 0;
  let at = 0;
  for (; at < ref.length && at < 3; at++) {
    const c = ref.charCodeAt(at);
    if (c < 65 || c > 90) break;
    column = column * 26 + c - 64;
  }
  if (at === 0 || at === ref.length) return 0;
  let number = 0;
  for (let i = at; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
    number = number * 10 + c - 48;
  }
  return number === row ? column : 0;
}

/**
 * The rows of a worksheet part, parsed a slice at a time: `next()` gives the next row with a cell in it, or null.
 */
class SheetReader {
  private readonly part: XmlPart;
  private readonly rows: Row[] = [];
  private row: Row | null = null;
  private lastRow = 0;
  private column = 0;
  private cell: RawCell | null = null;
  /** Text of the <v> or inline string (<is>) being read, or null outside one. */
  private text: string | null = null;
  /** Inside a <v>, or a <t> of an inline string (not its phonetic guide): text there is the cell's. */
  private collecting = false;
  private inInline = false;
  private phonetic = 0;

  constructor(buf: Buffer, entry: ZipEntry, dates: boolean[], private readonly source: string) {
    this.part = new XmlPart(buf, entry, source, {
      open: (tag, attributes) => this.open(tag, attributes, dates),
      text: (value) => {
        if (this.text === null || !this.collecting || this.phonetic > 0) return;
        if (this.text.length + value.length > MAX_CELL_TEXT) throw tooLarge(source, `a cell of more than ${MAX_CELL_TEXT} characters near row ${this.lastRow}`);
        this.text += value;
      },
      close: (tag) => this.close(tag),
    });
  }

  private open(tag: string, attributes: Attributes, dates: boolean[]): void {
    if (tag === 'row') {
      const r = attribute(attributes, 'r');
      const number = r === undefined ? this.lastRow + 1 : /^[0-9]+$/.test(r) ? Number(r) : NaN;
      if (!(number > this.lastRow)) throw this.layout(`row ${shown(r ?? '')} after row ${this.lastRow}`);
      if (number > MAX_ROWS) throw tooLarge(this.source, `a row ${number}, beyond Excel's ${MAX_ROWS}`);
      this.row = { number, cells: [] };
      this.lastRow = number;
      this.column = 0;
    } else if (tag === 'c' && this.row !== null) {
      const ref = attribute(attributes, 'r');
      let column = this.column + 1;
      if (ref !== undefined) {
        column = referenceColumn(ref, this.row.number);
        if (column === 0) throw unreadable(this.source, `the sheet has a cell r="${shown(ref)}" in row ${this.row.number}, not a place in that row`);
      }
      if (column <= this.column) throw this.layout(`cell ${cellAddress(column, this.row.number)} after ${cellAddress(this.column, this.row.number)}`);
      if (column > MAX_COLUMNS) throw tooLarge(this.source, `a cell in column ${column}, beyond Excel's ${MAX_COLUMNS}`);
      this.column = column;
      const style = Number(attribute(attributes, 's') ?? '0');
      this.cell = { type: attribute(attributes, 't') ?? 'n', value: null, formula: false, date: dates[style] === true };
    } else if (this.cell !== null) {
      if (tag === 'v' && !this.inInline) {
        this.startText();
        this.collecting = true;
      } else if (tag === 'f') this.cell.formula = true;
      else if (tag === 'is') {
        this.inInline = true;
        this.startText();
      } else if (tag === 't' && this.inInline) this.collecting = true;
      else if (tag === 'rPh') this.phonetic++;
    }
  }

  private startText(): void {
    if (this.text === null) this.text = '';
  }

  private close(tag: string): void {
    if (tag === 'v' && this.cell !== null && !this.inInline) {
      this.cell.value = this.text ?? '';
      this.text = null;
      this.collecting = false;
    } else if (tag === 't' && this.inInline) {
      this.collecting = false;
    } else if (tag === 'is' && this.cell !== null) {
      this.cell.value = this.text ?? '';
      this.text = null;
      this.inInline = false;
    } else if (tag === 'rPh') {
      this.phonetic--;
    } else if (tag === 'c' && this.row !== null && this.cell !== null) {
      this.row.cells[this.column] = this.cell;
      this.cell = null;
      this.text = null;
    } else if (tag === 'row' && this.row !== null) {
      if (this.row.cells.length > 0) this.rows.push(this.row);
      this.row = null;
    }
  }

  private layout(what: string): DataError {
    return unreadable(this.source, `the sheet has ${what}, out of order`);
  }

  next(): Row | null {
    while (this.rows.length === 0) if (!this.part.pump()) return null;
    return this.rows.shift()!;
  }
}

/** The sheet `--sheet` names (a name, or a number counted from 1 in the workbook's order), default the first. */
export async function readSheet(bytes: Buffer, sheet: string | undefined, source: string): Promise<SheetRows> {
  let entries: Map<string, ZipEntry>;
  try {
    entries = zipEntries(bytes);
  } catch (error) {
    if (error instanceof ZipError) throw unreadable(source, shown(error.message, 200));
    throw error;
  }
  // The workbook part, from the package's relationships (officeDocument), else where Excel puts it.
  const office = [...relationships(bytes, entries, '', source).values()].find((r) => r.type.endsWith('/officeDocument'));
  const workbookPath = office?.target ?? 'xl/workbook.xml';
  const workbookEntry = entries.get(workbookPath);
  if (workbookEntry === undefined) throw unreadable(source, `no workbook part ${shown(workbookPath)}`);
  const sheets: Array<{ name: string; id: string }> = [];
  let date1904 = false;
  new XmlPart(bytes, workbookEntry, source, {
    open(tag, attributes) {
      if (tag === 'sheet') {
        if (sheets.length === MAX_LISTED) throw tooLarge(source, `more than ${MAX_LISTED} sheets`);
        sheets.push({ name: attribute(attributes, 'name') ?? '', id: attribute(attributes, 'id', true) ?? '' });
      }
      else if (tag === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(attributes, 'date1904') ?? '');
    },
    text() {},
    close() {},
  }).readAll();
  const rels = relationships(bytes, entries, workbookPath, source);
  const partOf = (type: string) => [...rels.values()].find((r) => r.type.endsWith(`/${type}`))?.target;

  if (sheets.length === 0) throw new DataError(`${source} has no worksheet, save the data in the first sheet`);
  const wantedNumber = sheet !== undefined && /^[1-9][0-9]*$/.test(sheet.trim()) ? Number(sheet.trim()) : null;
  const index = sheet === undefined ? 0 : wantedNumber !== null ? wantedNumber - 1 : sheets.findIndex((s) => s.name === sheet);
  if (index < 0 || index >= sheets.length) {
    throw new UsageError(words`${option('sheet')} ${shown(sheet!)}: no such sheet in ${source}; sheets: ${sheets.map((s, i) => `${i + 1} ${shown(s.name)}`).join(', ')}`);
  }
  const name = sheets[index].name;
  const rel = rels.get(sheets[index].id);
  if (rel === undefined || !rel.type.endsWith('/worksheet')) {
    throw new DataError(words`sheet ${shown(name)} of ${source} is not a worksheet (a chart sheet or a missing part), put the data in a worksheet or pick one with ${option('sheet')}`);
  }
  const sheetEntry = entries.get(rel.target);
  if (sheetEntry === undefined) throw unreadable(source, `no part ${shown(rel.target)} for sheet ${shown(name)}`);
  const stylesPath = partOf('styles');
  const sharedPath = partOf('sharedStrings');
  const dates = dateStyles(bytes, stylesPath === undefined ? undefined : entries.get(stylesPath), source);
  const context: CellContext = { shared: sharedStrings(bytes, sharedPath === undefined ? undefined : entries.get(sharedPath), source), date1904, source };
  const reader = new SheetReader(bytes, sheetEntry, dates, source);

  // The header: the first row with a value; each cell from the first to its last named.
  const texts = (row: Row) => {
    const out: string[] = new Array(row.cells.length);
    for (let c = 1; c < row.cells.length; c++) out[c] = row.cells[c] === undefined ? '' : cellText(row.cells[c]!, c, row.number, context);
    return out;
  };
  let first: Row | null;
  let values: string[] = [];
  do {
    first = reader.next();
    if (first !== null) values = texts(first);
  } while (first !== null && !values.some((v, c) => c > 0 && v !== ''));
  if (first === null) throw new DataError(`sheet ${shown(name)} of ${source} is empty, put the data with a header row in it`);
  const headerRow = first.number;
  let width = values.length - 1;
  while (width > 0 && (values[width] ?? '') === '') width--;
  const header: string[] = [];
  for (let c = 1; c <= width; c++) {
    const text = (values[c] ?? '').trim();
    if (text === '') {
      throw new DataError(
        `header cell ${cellAddress(c, headerRow)} is empty (or part of a merged cell), sheet ${shown(name)} of ${source}, give every column its own name in one cell`,
      );
    }
    header.push(text);
  }

  return {
    sheet: name,
    header,
    headerRow,
    async *batches(size: number) {
      let batch: string[][] = [];
      let lines: number[] = [];
      for (;;) {
        const row = reader.next();
        if (row === null) break;
        const cells = texts(row);
        if (!cells.some((v, c) => c > 0 && v !== '')) continue;
        for (let c = width + 1; c < cells.length; c++) {
          if (cells[c] !== '' && cells[c] !== undefined) {
            throw new DataError(
              `cell ${cellAddress(c, row.number)} has a value beyond the last named column (${cellAddress(width, headerRow)}), sheet ${shown(name)} of ${source}, name its column or clear it`,
            );
          }
        }
        const out: string[] = new Array(width);
        for (let c = 1; c <= width; c++) out[c - 1] = cells[c] ?? '';
        batch.push(out);
        lines.push(row.number);
        if (batch.length === size) {
          yield { rows: batch, lines };
          batch = [];
          lines = [];
        }
      }
      if (batch.length > 0) yield { rows: batch, lines };
    },
  };
}
