/**
 * Shared by the robustness tests: a seeded PRNG, the mutations of the fuzz test, time limits, real-process runs
 * with a timeout, and the checks every run must pass (exit code, one line on stderr, no half-written --out file).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, CliResult, EXAMPLE, REFERENCE, ROOT, runCli } from '../helpers/cli';
import { HOSTILE_TEXTS, markdownLink, RAW_CONTROL } from '../helpers/hostile';

export const SAT_ACT = path.join(REFERENCE, 'sat_act.csv');
export { EXAMPLE };

/** mulberry32: a small 32-bit PRNG, so every case is reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The valid CanRelax export of the default schema (`simulate --n 50 --seed 1`), made once per test file. */
let canrelax: Buffer | null = null;
export async function canrelaxExport(): Promise<Buffer> {
  if (canrelax === null) {
    const r = await runCli(['simulate', '--n', '50', '--seed', '1']);
    if (r.code !== 0) throw new Error(`simulate failed: ${r.stderr}`);
    canrelax = Buffer.from(r.stdout, 'utf8');
  }
  return canrelax;
}

export function satAct(): Buffer {
  return fs.readFileSync(SAT_ACT);
}

// ---------------------------------------------------------------------------------------------------------
// Transformations and mutations

export const toCrlf = (b: Buffer): Buffer => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
export const withBom = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);

/** Every field of a file without quotes quoted (papaparse's path instead of the raw-line one). */
export function quoteAll(b: Buffer): Buffer {
  const text = b.toString('utf8');
  return Buffer.from(
    text
      .split('\n')
      .map((line) => (line === '' ? line : line.split(',').map((f) => `"${f}"`).join(',')))
      .join('\n'),
    'utf8',
  );
}

function splice(b: Buffer, at: number, remove: number, insert: Buffer | string = Buffer.alloc(0)): Buffer {
  const ins = typeof insert === 'string' ? Buffer.from(insert, 'latin1') : insert;
  return Buffer.concat([b.subarray(0, at), ins, b.subarray(at + remove)]);
}

/** Position of the next `byte` at or after `from` (wrapping), or −1. */
function nextByte(b: Buffer, byte: number, from: number): number {
  const i = b.indexOf(byte, from);
  return i !== -1 ? i : b.indexOf(byte);
}

const TOKENS = ['\r', '\r\n', '\n', '\n\n', ';', '\t', ',', '"', '""', '"\n"', 'NA', '-1', '99', '1e400', ' ', '0x10', '.', '1,5'];

/**
 * One random mutation of `b`; returns the mutated bytes and its name. Byte flips, deleted or duplicated
 * delimiters and quotes, inserted quotes, cut files, joined / duplicated lines, swapped header cells,
 * NUL and invalid UTF-8 bytes, stray tokens.
 */
export function mutateOnce(b: Buffer, r: Random): [Buffer, string] {
  if (b.length === 0) return [Buffer.from(r.pick(TOKENS), 'latin1'), 'token into empty'];
  const at = r.int(b.length);
  switch (r.int(13)) {
    case 0: {
      const copy = Buffer.from(b);
      copy[at] ^= 1 << r.int(8);
      return [copy, `flip bit at ${at}`];
    }
    case 1: {
      const c = r.pick([',', '"', ';']).charCodeAt(0);
      const i = nextByte(b, c, at);
      return i === -1 ? [b, 'no delimiter to delete'] : [splice(b, i, 1), `delete ${String.fromCharCode(c)} at ${i}`];
    }
    case 2: {
      const c = r.pick([',', '"']).charCodeAt(0);
      const i = nextByte(b, c, at);
      return i === -1 ? [b, 'nothing to duplicate'] : [splice(b, i, 0, String.fromCharCode(c)), `duplicate ${String.fromCharCode(c)} at ${i}`];
    }
    case 3:
      return [splice(b, at, 0, '"'), `insert quote at ${at}`];
    case 4:
      return [b.subarray(0, at), `cut at ${at}`];
    case 5: {
      const i = nextByte(b, 10, at);
      return i === -1 ? [b, 'no line to join'] : [splice(b, i, 1), `join line at ${i}`];
    }
    case 6: {
      const start = b.lastIndexOf(10, at) + 1;
      let end = b.indexOf(10, at);
      end = end === -1 ? b.length : end + 1;
      return [splice(b, start, 0, b.subarray(start, end)), `duplicate line at ${start}`];
    }
    case 7: {
      const eol = b.indexOf(10);
      const head = (eol === -1 ? b : b.subarray(0, eol)).toString('latin1').split(',');
      const i = r.int(head.length);
      const j = r.int(head.length);
      [head[i], head[j]] = [head[j], head[i]];
      return [Buffer.concat([Buffer.from(head.join(','), 'latin1'), eol === -1 ? Buffer.alloc(0) : b.subarray(eol)]), `swap header cells ${i} ${j}`];
    }
    case 8:
      return [splice(b, at, 0, Buffer.from([0])), `NUL at ${at}`];
    case 9: {
      const bytes = r.pick([[0x80], [0xc3], [0xff], [0xfe], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc0, 0xaf]]);
      return [splice(b, at, 0, Buffer.from(bytes)), `invalid UTF-8 ${bytes.map((x) => x.toString(16)).join(' ')} at ${at}`];
    }
    case 10: {
      const token = r.pick(TOKENS);
      return [splice(b, at, 0, token), `insert ${JSON.stringify(token)} at ${at}`];
    }
    case 11: {
      // replace one cell's digit by another value
      const i = b.indexOf(44, at);
      if (i === -1 || i + 1 >= b.length) return [b, 'no cell'];
      return [splice(b, i + 1, 0, r.pick(['9', '-', 'x', '7', ' '])), `cell text at ${i + 1}`];
    }
    default: {
      const i = nextByte(b, 13, at);
      return i === -1 ? [b, 'no CR'] : [splice(b, i, 1), `delete CR at ${i}`];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Fuzz cases

export type Base = 'canrelax' | 'satact';

export interface FuzzCase {
  seed: number;
  base: Base;
  /** What was done to the base export, for the failure message. */
  ops: string[];
  input: Buffer;
  /** Arguments, input from stdin ('-'). */
  args: string[];
  /** The reader's chunk size in the second run. */
  chunkSize: number;
  /** The second run writes to --out (score and correlate only). */
  out: boolean;
}

const CANRELAX_COMMANDS: string[][] = [
  ['validate', '-'],
  ['validate', '-', '--format', 'json'],
  ['score', '-'],
  ['score', '-', '--format', 'ndjson'],
  ['score', '-', '--summary', '--format', 'json'],
  ['score', '-', '--where', 'age>=30,arm=app'],
  ['correlate', '-', '--x', 'wai_total', '--y', 'phqads_total_w10', '--adjust', 'age,sex'],
  ['correlate', '-', '--x', 'wai_total', '--y', 'phqads_total_w10', '--adjust', 'age', '--by', 'sex', '--format', 'json'],
  ['correlate', '-', '--method', 'spearman', '--where', 'arm=app', '--format', 'csv'],
];
const SATACT_COMMANDS: string[][] = [
  ['validate', '-'],
  ['score', '-'],
  ['correlate', '-', '--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,education', '--by', 'gender', '--format', 'json'],
];

/** Columns the commands above name in their flags. */
const FLAG_COLUMNS = ['id', 'arm', 'sex', 'age', 'ACT', 'SATQ', 'gender', 'education'];

/** Everything about a case follows from its seed. */
export function makeCase(seed: number, bases: Record<Base, Buffer>): FuzzCase {
  const r = new Random(seed);
  const base: Base = r.chance(0.3) ? 'satact' : 'canrelax';
  let input = bases[base];
  const ops: string[] = [];
  // Transformations that keep the file valid, so the mutations also meet CRLF, BOM, quoted fields.
  if (base === 'canrelax' && r.chance(0.15)) {
    input = quoteAll(input);
    ops.push('quote all');
  }
  if (r.chance(0.15)) {
    input = toCrlf(input);
    ops.push('CRLF');
  }
  if (r.chance(0.1)) {
    input = withBom(input);
    ops.push('BOM');
  }
  if (r.chance(0.1)) {
    input = input.subarray(0, input.length - 1);
    ops.push('no final newline');
  }
  // About a quarter of the cases stay valid: they check that a success writes a complete --out file.
  const mutations = r.chance(0.25) ? 0 : 1 + r.int(4);
  for (let i = 0; i < mutations; i++) {
    const [next, op] = mutateOnce(input, r);
    input = next;
    ops.push(op);
  }
  // A renamed header cell, mostly one the flags name (age, sex, ACT…): the errors of a command line that does
  // not fit the file (exit 2). From a stream of its own, so adding it left the other cases as they were.
  const extra = new Random((seed ^ 0x5bd1e995) >>> 0);
  if (extra.chance(0.25)) {
    const eol = input.indexOf(10);
    const head = (eol === -1 ? input : input.subarray(0, eol)).toString('utf8').split(',');
    const named = head.map((h, i) => [h.replace(/"/g, ''), i] as const).filter(([h]) => FLAG_COLUMNS.includes(h));
    const i = named.length > 0 && extra.chance(0.7) ? extra.pick(named)[1] : extra.int(head.length);
    head[i] = head[i].endsWith('"') ? `${head[i].slice(0, -1)}_x"` : `${head[i]}_x`;
    input = Buffer.concat([Buffer.from(head.join(','), 'utf8'), eol === -1 ? Buffer.alloc(0) : input.subarray(eol)]);
    ops.push(`rename header cell ${i}`);
  }
  const commands = base === 'satact' ? SATACT_COMMANDS : CANRELAX_COMMANDS;
  const args = [...r.pick(commands)];
  const chunkSize = r.pick([1, 2, 3, 5, 7, 13, 64, 100, 1000, 4096]) + (r.chance(0.5) ? r.int(50) : 0);
  const out = args[0] !== 'validate' && r.chance(0.4);
  return { seed, base, ops, input, args, chunkSize, out };
}

/**
 * A hostile-text case (issue 15): the case of `seed` with hostile strings (test/helpers/hostile.ts) put, quoted, in
 * place of one header cell and of a few data cells, from a stream of its own (the plain cases stay as they were).
 * Checked as every case, and also: nothing on stderr holds a raw control character, and a quarter of the cases run
 * describe --format markdown, whose output may hold no live link or image from the data.
 */
export function makeHostileCase(seed: number, bases: Record<Base, Buffer>): FuzzCase {
  const c = makeCase(seed, bases);
  const quote = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const lines = c.input.toString('utf8').split('\n');
  // A quarter of the cases, from a stream of their own (issue 20): one more column, a factor with a hostile name and
  // hostile levels, shown by describe --format markdown, whose output may hold no live link or image from the data.
  const md = new Random((seed ^ 0x6d2b79f5) >>> 0);
  if (md.chance(0.25)) {
    const name = md.pick(HOSTILE_TEXTS);
    const levels = [md.pick(HOSTILE_TEXTS), md.pick(HOSTILE_TEXTS)];
    const last = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    for (let i = 0; i < last; i++) {
      const cr = lines[i].endsWith('\r') ? '\r' : '';
      lines[i] = `${lines[i].slice(0, lines[i].length - cr.length)},${quote(i === 0 ? name : levels[i % 2])}${cr}`;
    }
    return { ...c, args: ['describe', '-', '--vars', name, '--format', 'markdown'], ops: [...c.ops, 'a hostile factor, as Markdown'], input: Buffer.from(lines.join('\n'), 'utf8') };
  }
  const r = new Random((seed ^ 0x2f6b9c4d) >>> 0);
  const pick = () => r.pick(HOSTILE_TEXTS);
  // Split on commas: a quoted cell holding one is cut in two, which is one more mutation.
  const head = lines[0].split(',');
  const column = r.int(head.length);
  head[column] = quote(pick());
  lines[0] = head.join(',');
  for (let k = 0; k < 1 + r.int(5); k++) {
    const line = 1 + r.int(Math.max(1, lines.length - 2));
    const cells = lines[line].split(',');
    cells[r.int(cells.length)] = quote(pick());
    lines[line] = cells.join(',');
  }
  return { ...c, ops: [...c.ops, `hostile header cell ${column} and cells`], input: Buffer.from(lines.join('\n'), 'utf8') };
}

// ---------------------------------------------------------------------------------------------------------
// Running and checking

/**
 * In-process run. No time limit of its own: time belongs to the bench (`npm run bench`), and a run that hangs is
 * ended by jest's testTimeout (jest.config.js). The third argument, once a limit in ms, is ignored.
 */
export async function runTimed(args: string[], stdin?: Buffer | string | Array<Buffer | string>, _ms?: number): Promise<CliResult> {
  return runCli(args, stdin === undefined ? {} : { stdin });
}

/**
 * Real process through the bundled binary, killed after `ms` only so that a hang cannot block the test worker
 * (spawnSync is beyond jest's testTimeout): the default is that timeout, never a speed requirement.
 */
export function runBinTimed(args: string[], input?: Buffer | string, ms = 60_000): CliResult & { signal: string | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    input,
    timeout: ms,
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), signal: r.signal };
}

/** What every run must show, whatever the input: a known exit code, and on error one clean line. */
export function checkRun(r: CliResult, args: string[] = []): string | null {
  if (![0, 1, 2].includes(r.code)) return `exit code ${r.code}`;
  // Text from the data is shown, never obeyed (issue 15): no raw control character in a message.
  const raw = RAW_CONTROL.exec(r.stderr);
  if (raw) return `raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} on stderr: ${JSON.stringify(r.stderr.slice(0, 300))}`;
  // Tables and JSON are shown too; csv and score's output carry the cells as they came.
  const shownOutput = args.length > 0 && args[0] !== 'score' && !args.includes('csv') && !args.includes('--out');
  const rawOut = shownOutput ? RAW_CONTROL.exec(r.stdout) : null;
  if (rawOut) return `raw U+${rawOut[0].charCodeAt(0).toString(16).padStart(4, '0')} on stdout`;
  const link = shownOutput && args.includes('markdown') ? markdownLink(r.stdout) : null;
  if (link !== null) return `Markdown: ${link}`;
  if (/internal error/.test(r.stderr)) return `internal error: ${r.stderr.trim()}`;
  if (/\n\s+at /.test(r.stderr)) return 'stack trace on stderr';
  if (r.code !== 0) {
    const lines = r.stderr.trimEnd().split('\n');
    if (lines.length !== 1) return `${lines.length} lines on stderr: ${JSON.stringify(r.stderr.slice(0, 500))}`;
    if (!lines[0].startsWith('canrelax-analyze: ')) return `stderr does not start with the prefix: ${JSON.stringify(lines[0])}`;
  }
  return null;
}

/** The one-line error convention, with the exit code and a pattern. */
export function expectError(r: CliResult, code: 1 | 2, pattern: RegExp): void {
  const problem = checkRun(r);
  if (problem !== null) throw new Error(`${problem}\nstderr: ${r.stderr}`);
  expect({ code: r.code, stderr: r.stderr.trimEnd() }).toEqual({ code, stderr: expect.stringMatching(pattern) });
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'cra-robust-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Names in a folder, hidden (temporary) files included, sorted. */
export function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
