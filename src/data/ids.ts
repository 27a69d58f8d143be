/**
 * Repeated participant ids, found while rows stream (score, correlate and validate warn of them): each row's id
 * is kept as a 53-bit hash (8 bytes a row, not the id's text), and repeats are found once at the end by sorting
 * the hashes. Two different ids share a hash with probability about n² / 2⁵⁴ (5·10⁻⁵ for a million rows): a
 * warning, not a result, so that is enough. Only the first MAX_ROWS rows are checked (under 1 MB, a few ms), so a
 * streaming command's time and memory on a long file stay as they were; a warning then says so.
 */
import { Float64Column, Int32Column } from './growable';

/** Two 32-bit FNV-1a variants (different offsets) folded into one integer below 2⁵³. */
function hash53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Rows checked at most (2¹⁶ = 65536): a trial's export is far shorter. */
export const MAX_ROWS = 1 << 16;

export class IdRepeats {
  /** More rows than MAX_ROWS were given: only the first were checked. */
  private partial = false;

  /** Whether more ids are still compared (a caller skips making the id's text once this is false). */
  get open(): boolean {
    if (this.hashes.length < MAX_ROWS) return true;
    this.partial = true;
    return false;
  }
  private readonly hashes = new Float64Column();
  private readonly lines = new Int32Column();

  constructor(readonly column: string) {}

  /** A row's id (missing ids are not compared). */
  add(id: string, line: number): void {
    if (this.hashes.length >= MAX_ROWS) {
      this.partial = true;
      return;
    }
    const text = id.trim();
    if (text === '') return;
    this.hashes.push(hash53(text));
    this.lines.push(line);
  }

  /** Rows whose id an earlier row has, as [line, earlier line], in file order. */
  repeats(): Array<[number, number]> {
    const hashes = this.hashes.view();
    const sorted = Float64Array.from(hashes).sort();
    const repeated = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i]);
    if (repeated.size === 0) return [];
    const first = new Map<number, number>();
    const out: Array<[number, number]> = [];
    const lines = this.lines.view();
    for (let i = 0; i < hashes.length; i++) {
      if (!repeated.has(hashes[i])) continue;
      const earlier = first.get(hashes[i]);
      if (earlier === undefined) first.set(hashes[i], lines[i]);
      else out.push([lines[i], earlier]);
    }
    return out;
  }

  /** The warning, or null: "2 rows repeat an earlier row's id (column id): line 9 (as line 3), line 12 (as line 4)". */
  warning(source: string): string | null {
    const repeats = this.repeats();
    if (repeats.length === 0) return null;
    const shown = repeats.slice(0, 3).map(([line, earlier]) => `line ${line} (as line ${earlier})`).join(', ');
    return (
      `${repeats.length} row${repeats.length === 1 ? ' repeats' : 's repeat'} an earlier row's ${this.column}: ${shown}${repeats.length > 3 ? ', …' : ''}, ` +
      `${source}${this.partial ? ` (ids checked in the first ${MAX_ROWS} rows)` : ''}; each row counts as a participant, run validate for the list`
    );
  }
}
