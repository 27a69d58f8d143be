/**
 * Test-only access to the shared reference data (../shared/reference beside the repository; see its README)
 * and to this project's own expected values (test/reference).
 */
import * as fs from 'fs';
import * as path from 'path';
import Papa from 'papaparse';

/**
 * The shared reference folder: $CANRELAX_REFERENCE_DIR if set, else the first `shared/reference` found
 * walking up from this file (the repository may be checked out at any depth, e.g. a worktree).
 */
export function referenceDir(): string {
  const fromEnv = process.env.CANRELAX_REFERENCE_DIR;
  if (fromEnv) return fromEnv;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'reference');
    if (fs.existsSync(path.join(candidate, 'README.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no shared/reference folder above ${__dirname}; set CANRELAX_REFERENCE_DIR`);
    dir = parent;
  }
}

export function referencePath(name: string): string {
  return path.join(referenceDir(), name);
}

export function readReferenceJson<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(referencePath(name), 'utf8')) as T;
}

/** Expected values this project computed itself (test/reference/<name>, with the R script beside it). */
export function readProjectReference<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'reference', name), 'utf8')) as T;
}

export interface Table {
  header: string[];
  /** Cells as text; '' (an empty cell) is null. */
  rows: (string | null)[][];
  /** A column as numbers, null where missing. Throws on text that is not a number. */
  numbers(name: string): (number | null)[];
}

/** Parses a reference CSV (first line the header) synchronously with papaparse. */
export function readReferenceCsv(name: string): Table {
  const text = fs.readFileSync(referencePath(name), 'utf8');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`${name}: ${parsed.errors[0].message} (row ${parsed.errors[0].row})`);
  const [header, ...body] = parsed.data;
  const rows = body.map((r) => r.map((cell) => (cell === '' ? null : cell)));
  return {
    header,
    rows,
    numbers(column: string) {
      const j = header.indexOf(column);
      if (j < 0) throw new Error(`${name}: no column ${column}`);
      return rows.map((r, i) => {
        const cell = r[j];
        if (cell === null) return null;
        const v = Number(cell);
        if (!Number.isFinite(v)) throw new Error(`${name}: row ${i + 2}, ${column} = ${cell} is not a number`);
        return v;
      });
    },
  };
}

/**
 * Listwise deletion: the rows where every named column is present (and `keep(row index)` holds),
 * returned as one Float64Array per column, in the order named.
 */
export function completeCases(table: Table, columns: string[], keep: (row: number) => boolean = () => true): Float64Array[] {
  const data = columns.map((c) => table.numbers(c));
  const rows: number[] = [];
  for (let i = 0; i < table.rows.length; i++) {
    if (keep(i) && data.every((col) => col[i] !== null)) rows.push(i);
  }
  return data.map((col) => Float64Array.from(rows, (i) => col[i] as number));
}

/**
 * The README's comparison: relative 1e-10, absolute 1e-12 near zero; below 1e-300 the decimal exponents must agree.
 */
export function expectClose(actual: number | null | undefined, expected: number, relative = 1e-10, absolute = 1e-12): void {
  if (typeof actual !== 'number' || !Number.isFinite(actual)) {
    throw new Error(`expected a finite number close to ${expected}, got ${actual}`);
  }
  if (expected !== 0 && Math.abs(expected) < 1e-300) {
    if (Math.floor(Math.log10(Math.abs(actual))) !== Math.floor(Math.log10(Math.abs(expected)))) {
      throw new Error(`expected about ${expected}, got ${actual} (exponents differ)`);
    }
    return;
  }
  const error = Math.abs(actual - expected);
  if (error > absolute && error > relative * Math.abs(expected)) {
    throw new Error(`expected ${expected}, got ${actual} (relative error ${(error / Math.abs(expected)).toExponential(2)}, allowed ${relative})`);
  }
}

/** Rounds to `digits` decimals, as the ppcor values quoted by pingouin's tests are given. */
export function roundTo(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
