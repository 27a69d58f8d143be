/**
 * Fuzz of the binary readers (issue 20): seeded byte flips, overwritten bytes and truncations of the SPSS and Excel
 * fixtures (test/fixtures/spss-excel), and for half the workbooks bytes changed in the sheet's XML itself (zipped
 * again, so they reach the XML parser and the cell rules past the CRC-32s), each through a command in-process and a
 * handful as real processes. Every run
 * must end with exit 0, 1 or 2, on error exactly one line on stderr (prefixed, no stack trace, no "internal
 * error", helpers.ts checkRun), and never exit 0 with nothing written — the unzip stall that ended every command
 * so, with no output and no error, on one flipped byte of an .xlsx. A hang is ended by jest's testTimeout.
 *
 * A mutation may leave a file readable (a flipped bit in a label, or in a .sav's number, which no checksum
 * guards); a workbook's parts carry CRC-32s, so there a changed byte that still inflates is an error too.
 * Every case follows from its seed; more seeds: BINARY_FUZZ_SEEDS=start:count.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli } from '../helpers/cli';
import { Random, checkRun, runBinTimed, tempDir } from './helpers';

const FIXTURES = ['canrelax.sav', 'canrelax.zsav', 'features.sav', 'levels.sav', 'canrelax.xlsx', 'features.xlsx', 'second.xlsx'];
const COMMANDS = [['validate', '--format', 'json'], ['score'], ['describe', '--format', 'json']];
const [FIRST_SEED, SEED_COUNT] = (process.env.BINARY_FUZZ_SEEDS ?? '1:300').split(':').map(Number);
const REAL_PROCESSES = 6;

let dir: string;
let bases: Map<string, Buffer>;

beforeAll(() => {
  dir = tempDir('cra-binary-fuzz-');
  bases = new Map(FIXTURES.map((name) => [name, fs.readFileSync(path.join(ROOT, 'test/fixtures/spss-excel', name))]));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface BinaryCase {
  seed: number;
  fixture: string;
  ops: string[];
  bytes: Buffer;
  args: string[];
}

/**
 * A workbook whose sheet XML (inflated) is mutated and zipped again: past the CRC-32s, to the XML parser and the
 * cell rules (a flipped digit in a <v>, a changed t= or r=, a broken tag).
 */
function mutateSheetXml(bytes: Buffer, r: Random, ops: string[]): Buffer {
  const { unzipSync, zipSync } = require('fflate') as typeof import('fflate');
  const parts = unzipSync(bytes);
  const name = Object.keys(parts).filter((p) => p.startsWith('xl/worksheets/sheet'))[0];
  const xml = Buffer.from(parts[name]);
  for (let i = 1 + r.int(3); i > 0; i--) {
    const at = r.int(xml.length);
    const value = r.pick([0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x30, 0x31, 0x3c, 0x3e, 0x41, 0x65, 0x73, 0x78, 0xff]);
    ops.push(`sheet XML byte ${value} at ${at}`);
    xml[at] = value;
  }
  parts[name] = xml;
  return Buffer.from(zipSync(parts));
}

/** One to three mutations of a fixture: a flipped bit, a byte set at random, or the file cut short. */
function makeBinaryCase(seed: number): BinaryCase {
  const r = new Random(seed);
  const fixture = r.pick(FIXTURES);
  let bytes = Buffer.from(bases.get(fixture)!);
  const ops: string[] = [];
  // From a stream of its own, so that adding it left the byte-level cases as they were.
  const xmlLevel = new Random((seed ^ 0x6a09e667) >>> 0);
  if (fixture.endsWith('.xlsx') && xmlLevel.chance(0.5)) {
    const [command, ...flags] = r.pick(COMMANDS);
    const file = path.join(dir, `case-${seed}.xlsx`);
    return { seed, fixture, ops, bytes: mutateSheetXml(bytes, xmlLevel, ops), args: [command, file, ...flags] };
  }
  for (let i = 1 + r.int(3); i > 0; i--) {
    // Past the first bytes mostly: the signature decides the format, and a changed one makes a CSV of the file.
    const at = r.chance(0.1) ? r.int(8) : 8 + r.int(bytes.length - 8);
    const kind = r.int(10);
    if (kind < 5) {
      const bit = r.int(8);
      bytes[at] ^= 1 << bit;
      ops.push(`flip bit ${bit} at ${at}`);
    } else if (kind < 8) {
      const value = r.int(256);
      bytes[at] = value;
      ops.push(`byte ${value} at ${at}`);
    } else {
      bytes = bytes.subarray(0, at);
      ops.push(`cut at ${at}`);
    }
  }
  const [command, ...flags] = r.pick(COMMANDS);
  const file = path.join(dir, `case-${seed}${path.extname(fixture)}`);
  return { seed, fixture, ops, bytes, args: [command, file, ...flags] };
}

function problemOf(r: { code: number; stdout: string; stderr: string }, args: string[]): string | null {
  const problem = checkRun(r, args);
  if (problem !== null) return problem;
  if (r.code === 0 && r.stdout === '') return 'exit 0 with nothing on stdout';
  return null;
}

const describeCase = (c: BinaryCase) => `seed ${c.seed} (${c.fixture}: ${c.ops.join('; ')}) | ${c.args[0]}`;

test(`seeds ${FIRST_SEED}–${FIRST_SEED + SEED_COUNT - 1}: byte flips and truncations of the SPSS and Excel fixtures, in-process`, async () => {
  const failures: string[] = [];
  const codes = new Map<number, number>();
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEED_COUNT; seed++) {
    const c = makeBinaryCase(seed);
    fs.writeFileSync(c.args[1], c.bytes);
    const r = await runCli(c.args);
    fs.rmSync(c.args[1]);
    codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    const problem = problemOf(r, c.args);
    if (problem !== null) failures.push(`${describeCase(c)}\n    ${problem}`);
  }
  expect(failures).toEqual([]);
  // Of the fuzz, not of the program: mutations that are read and mutations that are refused both occur.
  expect(codes.get(0)).toBeGreaterThan(SEED_COUNT / 20);
  expect(codes.get(1)).toBeGreaterThan(SEED_COUNT / 4);
});

test(`${REAL_PROCESSES} workbook mutations as real processes (where a stalled stream once ended with exit 0 and no output)`, () => {
  const failures: string[] = [];
  let made = 0;
  for (let seed = FIRST_SEED; made < REAL_PROCESSES; seed++) {
    const c = makeBinaryCase(seed);
    if (!c.fixture.endsWith('.xlsx')) continue;
    made++;
    fs.writeFileSync(c.args[1], c.bytes);
    const r = runBinTimed(c.args);
    fs.rmSync(c.args[1]);
    const problem = r.signal !== null ? `killed by ${r.signal} (hang?)` : problemOf(r, c.args);
    if (problem !== null) failures.push(`${describeCase(c)}\n    ${problem}`);
  }
  expect(failures).toEqual([]);
});
