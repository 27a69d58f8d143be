/**
 * What only a real process shows: exit codes through bin/canrelax-analyze, pipes closed early (`| head`),
 * output never truncated, no colour in pipes, one-line errors without stack traces, validate and simulate.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, ROOT, expectOneLineError, runBin, runCli } from '../helpers/cli';

describe('pipes', () => {
  test('score … | head -1 exits 0 with nothing on stderr (EPIPE ends quietly)', () => {
    // 20,000 rows (≈ 3 MB) are far more than the pipe buffer, so score is still writing when head exits.
    const r = runBin([], {
      shell: 'set -o pipefail; node bin/canrelax-analyze simulate --n 20000 --seed 3 | node bin/canrelax-analyze score - | head -1',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^id,arm,sex,age,expectation,wai_1,.*,phqads_total_w10\n$/);
  });

  test('piped output is complete: every row arrives', () => {
    const r = runBin([], { shell: 'node bin/canrelax-analyze simulate --n 30000 --seed 4 | node bin/canrelax-analyze score - | wc -l' });
    expect(r.code).toBe(0);
    expect(Number(r.stdout.trim())).toBe(30001);
  });

  test('stdout redirected to a file (> out.csv) or /dev/null: the same bytes as through a pipe', () => {
    // Not a terminal, stdout is written with fs.writeSync (io/stdout.ts): a file must get every byte.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redirect-')), 'scored.csv');
    const redirected = runBin([], { shell: `node bin/canrelax-analyze simulate --n 5000 --seed 5 | node bin/canrelax-analyze score - > ${file}` });
    expect(redirected.code).toBe(0);
    const piped = runBin([], { shell: 'node bin/canrelax-analyze simulate --n 5000 --seed 5 | node bin/canrelax-analyze score - | cat' });
    expect(fs.readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(piped.stdout.trimEnd().split('\n')).toHaveLength(5001);
    const devNull = runBin([], { shell: `node bin/canrelax-analyze correlate ${EXAMPLE} > /dev/null` });
    expect(devNull).toMatchObject({ code: 0, stderr: '' });
  });

  test('score | correlate - on piped input', () => {
    const r = runBin([], {
      shell: `node bin/canrelax-analyze score ${EXAMPLE} | node bin/canrelax-analyze correlate - --where arm=app --x wai_task --y phqads_total_w10 --format csv`,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // The scored file already holds wai_task and phqads_total_w10 (kept as they are): same r as scoring on the fly.
    const direct = runBin(['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'wai_task', '--y', 'phqads_total_w10', '--format', 'csv']);
    expect(r.stdout).toBe(direct.stdout);
  });
});

describe('process conventions', () => {
  test('errors: one line, exit code, no stack trace, through the real binary', () => {
    expectOneLineError(runBin(['score', 'no/such/file.csv']), 2, /file not found/);
    expectOneLineError(runBin(['correlate', EXAMPLE, '--x', 'alliance', '--y', 'distres']), 2, /unknown column "distres"/);
    expectOneLineError(runBin(['correlate', '-', '--x', 'a', '--y', 'b'], { input: 'a,b\n1,2\n2,12abc\n3,4\n4,5\n' }), 1, /column "b" \(--y\) must hold numbers, but "12abc" at line 3 is not a number/);
    expectOneLineError(runBin(['nosuchcommand']), 2, /unknown command 'nosuchcommand'/);
  });

  test('no colour in a pipe, whatever the environment; --help and --version exit 0', () => {
    const table = runBin(['correlate', EXAMPLE, '--where', 'arm=app', '--adjust', 'age,baseline'], { env: { FORCE_COLOR: '1' } });
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/\x1b\[/);
    const help = runBin(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['score', 'validate', 'simulate', 'correlate', 'model', 'describe', 'power', 'report']) {
      expect(help.stdout).toContain(command);
    }
    const version = runBin(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version);
  });
});

describe('validate', () => {
  const header = ['id', 'arm', 'sex', 'age', 'expectation', ...Array.from({ length: 12 }, (_, i) => `wai_${i + 1}`)];
  const row = (id: string, age: string, items: string[]) => [id, 'app', 'female', age, '5', ...items].join(',');
  const ok = Array(12).fill('3');

  test('every problem with line and column; exit 1; json', async () => {
    const text = [
      header.join(','),
      row('P1', '40', ok),
      row('P2', 'forty', ok), // line 3: age not a number
      row('P3', '50', ['7', ...ok.slice(1)]), // line 4: wai_1 out of range
      row('P1', '60', ok), // line 5: repeated id
      row('P5', '70', Array(12).fill('')), // line 6: no answers
      row('P6', '71', ['x', ...ok.slice(1)]), // line 7: wai_1 not a number
    ].join('\n');
    const r = await runCli(['validate', '-', '--format', 'json'], { stdin: text });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^canrelax-analyze: 5 problems in stdin/);
    const doc = JSON.parse(r.stdout);
    const seen = doc.problems.map((p: { kind: string; line: number; column: string | null }) => [p.kind, p.line, p.column]);
    expect(seen).toEqual([
      ['not-a-number', 3, 'age'],
      ['range', 4, 'wai_1'],
      ['duplicate-id', 5, 'id'],
      ['no-answers', 6, null],
      ['not-a-number', 7, 'wai_1'],
    ]);
    expect(doc.rows).toBe(6);
  });

  test('missing schema columns with the nearest name; a clean file passes', async () => {
    const bad = await runCli(['validate', '-'], { stdin: header.map((h) => (h === 'expectation' ? 'expectations' : h)).join(',') + '\n' + row('P1', '40', ok) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/line 1, column "expectation": the CanRelax schema needs column "expectation" \(nearest: expectations/);
    const good = await runCli(['validate', EXAMPLE]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/234 rows, \d+ columns, no problems found/);
  });
});

describe('simulate', () => {
  test('same seed, byte-identical; another seed differs; --n rows', async () => {
    const a = await runCli(['simulate', '--n', '300', '--seed', '9']);
    const b = await runCli(['simulate', '--n', '300', '--seed', '9']);
    const c = await runCli(['simulate', '--n', '300', '--seed', '10']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    expect(a.stdout.trimEnd().split('\n')).toHaveLength(301);
  });

  test('the bundled example is simulate --match examples/published/canrelax-2026.json --seed 2026', async () => {
    const r = await runCli(['simulate', '--match', path.join(ROOT, 'examples/published/canrelax-2026.json'), '--seed', '2026']);
    expect(r.stdout).toBe(fs.readFileSync(EXAMPLE, 'utf8'));
  });

  test('--out writes the file; bad --n is exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-sim-'));
    const out = path.join(dir, 'sim.csv');
    expect((await runCli(['simulate', '--n', '5', '--out', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(6);
    expectOneLineError(await runCli(['simulate', '--n', '-3']), 2, /--n must be a whole number/);
  });
});
