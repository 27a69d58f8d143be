/**
 * Fuzz: seeded random mutations of valid exports through validate, score and correlate, in-process (and a
 * sample as real processes). Every case is reproducible from its seed (helpers.ts `makeCase`).
 *
 * Each case runs twice: on the input as one chunk, then with the reader's --chunk-size (and, for score and
 * correlate, sometimes --out to a temporary folder). Both runs must end with exit 0, 1 or 2, on error exactly
 * one line on stderr (prefixed, no stack trace, no "internal error"), within 10 s; and they must agree — the
 * same exit code, the same stderr, the same output — since how the input is cut into chunks must not matter,
 * not even to which problem is reported first. With --out: a failure leaves nothing in the folder (no
 * temporary files either); a success leaves exactly the complete file.
 *
 * Then invariance on valid inputs: correlate's results and comparisons, and score's output bytes, are identical
 * from a file, from stdin, in CRLF, with a BOM, and for every chunk size of the reader.
 *
 * Seeds that once failed are in regressions.json and run first. More seeds: FUZZ_SEEDS=start:count.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import {
  Base,
  EXAMPLE,
  FuzzCase,
  SAT_ACT,
  canrelaxExport,
  checkRun,
  listing,
  makeCase,
  makeHostileCase,
  runBinTimed,
  runTimed,
  satAct,
  tempDir,
  toCrlf,
  withBom,
} from './helpers';

interface Regression {
  seed: number;
  found: string;
  fixed: string;
}
const REGRESSIONS: Regression[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'regressions.json'), 'utf8')).fuzz;

const [FIRST_SEED, SEED_COUNT] = (process.env.FUZZ_SEEDS ?? '1:2000').split(':').map(Number);
const GROUP = 250;
const REAL_PROCESSES = 30;

let bases: Record<Base, Buffer>;
let dir: string;

beforeAll(async () => {
  bases = { canrelax: await canrelaxExport(), satact: satAct() };
  dir = tempDir('cra-fuzz-');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function describeCase(c: FuzzCase): string {
  return `seed ${c.seed} (${c.base}: ${c.ops.join('; ') || 'unchanged'}) | ${c.args.join(' ')} | chunk ${c.chunkSize}${c.out ? ' --out' : ''}`;
}

/** Runs one case; returns what went wrong, or null. */
async function runCase(c: FuzzCase): Promise<string | null> {
  const whole = await runTimed(c.args, c.input);
  const wholeProblem = checkRun(whole, c.args);
  if (wholeProblem !== null) return `one chunk: ${wholeProblem}`;

  const target = path.join(dir, `out-${c.seed}.txt`);
  const before = listing(dir);
  const args = [...c.args, '--chunk-size', String(c.chunkSize), ...(c.out ? ['--out', target] : [])];
  const chunked = await runTimed(args, c.input);
  const chunkedProblem = checkRun(chunked, args);
  if (chunkedProblem !== null) return `chunk size ${c.chunkSize}: ${chunkedProblem}`;

  if (c.out) {
    const after = listing(dir);
    const written = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    fs.rmSync(target, { force: true });
    if (chunked.code !== 0) {
      if (after.join('\n') !== before.join('\n')) return `failed run left ${after.filter((f) => !before.includes(f)).join(', ')} in the --out folder`;
    } else {
      const added = after.filter((f) => !before.includes(f));
      if (added.length !== 1 || added[0] !== path.basename(target)) return `successful run left ${added.join(', ')} in the --out folder`;
      if (chunked.stdout !== '') return 'with --out, something was written to stdout';
      if (written !== whole.stdout) return 'the --out file is not the output of the run to stdout';
    }
  }
  if (whole.code !== chunked.code || whole.stderr !== chunked.stderr) {
    return `differs by chunk size: one chunk → ${whole.code} ${JSON.stringify(whole.stderr)}; chunk ${c.chunkSize} → ${chunked.code} ${JSON.stringify(chunked.stderr)}`;
  }
  if (!c.out && (whole.code === 0 || c.args[0] === 'validate') && whole.stdout !== chunked.stdout) {
    return `output differs by chunk size ${c.chunkSize}`;
  }
  return null;
}

async function runSeeds(seeds: number[], make = makeCase): Promise<void> {
  const failures: string[] = [];
  for (const seed of seeds) {
    const c = make(seed, bases);
    let problem: string | null;
    try {
      problem = await runCase(c);
    } catch (error) {
      problem = `threw: ${(error as Error).message}`;
    }
    if (problem !== null) failures.push(`${describeCase(c)}\n    ${problem}`);
  }
  expect(failures).toEqual([]);
}

describe('regression seeds (regressions.json), first', () => {
  test(`${REGRESSIONS.length} seeds that once failed`, async () => {
    expect(REGRESSIONS.length).toBeGreaterThan(0);
    await runSeeds(REGRESSIONS.map((r) => r.seed));
  });
});

describe(`fuzz: seeds ${FIRST_SEED}–${FIRST_SEED + SEED_COUNT - 1}, in-process, one chunk against --chunk-size`, () => {
  const groups: number[][] = [];
  for (let s = FIRST_SEED; s < FIRST_SEED + SEED_COUNT; s += GROUP) {
    groups.push(Array.from({ length: Math.min(GROUP, FIRST_SEED + SEED_COUNT - s) }, (_, i) => s + i));
  }
  test.each(groups.map((g) => [g[0], g[g.length - 1], g] as const))('seeds %i–%i', async (_first, _last, seeds) => {
    await runSeeds(seeds);
  });

  test('the mix covers successes, data errors and command-line errors, every command and both reading paths', async () => {
    // Not a check of the program: of the fuzz, so that a change to makeCase cannot quietly make it trivial.
    const codes = new Map<number, number>();
    const commands = new Set<string>();
    let quoted = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + 200; seed++) {
      const c = makeCase(seed, bases);
      const r = await runCli(c.args, { stdin: c.input });
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      commands.add(c.args[0]);
      if (c.input.includes(0x22)) quoted++;
    }
    expect(codes.get(0)).toBeGreaterThan(20);
    expect(codes.get(1)).toBeGreaterThan(20);
    expect(codes.get(2)).toBeGreaterThan(2);
    expect(commands).toEqual(new Set(['validate', 'score', 'correlate']));
    expect(quoted).toBeGreaterThan(40);
  });
});

describe('hostile text seeds (issue 15): data text with terminal escapes, controls, HTML, pipes and backticks', () => {
  test('seeds 1–200', async () => {
    await runSeeds(Array.from({ length: 200 }, (_, i) => i + 1), makeHostileCase);
  });
});

describe('fuzz: a sample as real processes (the bundled binary)', () => {
  test(`${REAL_PROCESSES} cases agree with the in-process run`, async () => {
    const failures: string[] = [];
    const step = Math.max(1, Math.floor(SEED_COUNT / REAL_PROCESSES));
    for (let i = 0; i < REAL_PROCESSES; i++) {
      const c = makeCase(FIRST_SEED + i * step, bases);
      const real = runBinTimed(c.args, c.input);
      const problem = real.signal !== null ? `killed by ${real.signal} (hang?)` : checkRun(real);
      const inProcess = await runTimed(c.args, c.input);
      if (problem !== null) failures.push(`${describeCase(c)}\n    ${problem}`);
      else if (real.code !== inProcess.code || real.stderr !== inProcess.stderr || real.stdout !== inProcess.stdout) {
        failures.push(`${describeCase(c)}\n    real process ${real.code} ${JSON.stringify(real.stderr)}; in-process ${inProcess.code} ${JSON.stringify(inProcess.stderr)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('invariance: same results from a file, stdin, CRLF, a BOM, any chunk size', () => {
  const CHUNKS = [1, 2, 3, 7, 64, 1000, 65536];

  interface Variant {
    name: string;
    args: string[];
    stdin?: Buffer;
  }
  /** The same data, reached every way: file or stdin, LF or CRLF, with or without BOM, every chunk size. */
  function variants(file: string): Variant[] {
    const bytes = fs.readFileSync(file);
    const crlfBom = withBom(toCrlf(bytes));
    const list: Variant[] = [
      { name: 'file', args: [file] },
      { name: 'stdin', args: ['-'], stdin: bytes },
      { name: 'stdin CRLF', args: ['-'], stdin: toCrlf(bytes) },
      { name: 'stdin BOM', args: ['-'], stdin: withBom(bytes) },
    ];
    for (const size of CHUNKS) {
      list.push({ name: `file, chunk ${size}`, args: [file, '--chunk-size', String(size)] });
      list.push({ name: `stdin CRLF + BOM, chunk ${size}`, args: ['-', '--chunk-size', String(size)], stdin: crlfBom });
    }
    return list;
  }

  async function sameEverywhere(file: string, command: string, args: string[], pick: (stdout: string) => unknown): Promise<void> {
    let reference: unknown = undefined;
    for (const v of variants(file)) {
      const r = await runTimed([command, ...v.args, ...args], v.stdin, 20_000);
      expect({ variant: v.name, code: r.code, stderr: r.stderr }).toEqual({ variant: v.name, code: 0, stderr: expect.any(String) });
      const got = pick(r.stdout);
      if (reference === undefined) reference = got;
      // toStrictEqual on numbers parsed from JSON's round-trip text: equal to the last bit.
      else expect({ variant: v.name, got }).toStrictEqual({ variant: v.name, got: reference });
    }
  }

  const resultsOf = (stdout: string) => {
    const doc = JSON.parse(stdout);
    return { results: doc.results, comparisons: doc.comparisons, heterogeneity: doc.heterogeneity };
  };
  const CANRELAX_ARGS = ['--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation', '--format', 'json'];

  test('correlate on the example export', async () => {
    await sameEverywhere(EXAMPLE, 'correlate', CANRELAX_ARGS, resultsOf);
  });

  test('correlate --by sex on the example export (comparisons)', async () => {
    await sameEverywhere(EXAMPLE, 'correlate', [...CANRELAX_ARGS, '--by', 'sex'], (stdout) => {
      const got = resultsOf(stdout);
      expect(got.comparisons.length).toBeGreaterThan(0);
      return got;
    });
  });

  test('correlate on sat_act (quoted fields: papaparse)', async () => {
    await sameEverywhere(SAT_ACT, 'correlate', ['--x', 'ACT', '--y', 'SATQ', '--adjust', 'age,education', '--by', 'gender', '--format', 'json'], (stdout) => {
      const got = resultsOf(stdout);
      expect(got.results).toHaveLength(2);
      expect(got.comparisons).toHaveLength(1);
      return got;
    });
  });

  test('score output bytes on the example export and on sat_act', async () => {
    await sameEverywhere(EXAMPLE, 'score', [], (stdout) => stdout);
    await sameEverywhere(SAT_ACT, 'score', [], (stdout) => stdout);
  });

  test('a fully quoted CRLF export, cut at every byte (a chunk ending between a closing quote and its CRLF)', async () => {
    const text = '"id","sex","age","q1"\r\n"A","female","30","3"\r\n"B","male","41","5"\r\n"C","female","52",""\r\n';
    const want = await runCli(['score', '-'], { stdin: text });
    expect(want.code).toBe(0);
    expect(want.stdout).toBe('id,sex,age,q1\nA,female,30,3\nB,male,41,5\nC,female,52,\n');
    for (let size = 1; size <= text.length; size++) {
      const r = await runCli(['score', '-', '--chunk-size', String(size)], { stdin: text });
      expect({ size, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ size, ...want });
    }
  });
});
