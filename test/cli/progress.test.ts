/**
 * Progress on stderr: only for a terminal, without --quiet, for a large input (here a 9 MB file: percent of its bytes
 * and an ETA) or a long phase (the bootstrap: resamples done of the total, ETA); never when stderr is a pipe.
 * CANRELAX_PROGRESS_AFTER_MS = 0 shows the line at once (normally after a second).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { runCli } from '../helpers/cli';

async function scoreWithStderr(file: string, tty: boolean, extra: string[] = []): Promise<{ code: number; stderr: string }> {
  return runWithStderr(['score', file, '--format', 'csv', ...extra], tty);
}

async function runWithStderr(args: string[], tty: boolean): Promise<{ code: number; stderr: string }> {
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = new PassThrough();
  stdout.resume();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const code = await main(args, {
    stdin: Readable.from([]),
    stdout,
    stderr,
    env: { CANRELAX_PROGRESS_AFTER_MS: '0' },
  });
  return { code, stderr: text };
}

describe('progress', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-progress-'));
  const big = path.join(dir, 'big.csv');
  const small = path.join(dir, 'small.csv');

  beforeAll(async () => {
    // ≈ 108 bytes a row: 90,000 rows ≈ 9.7 MB, above the 8 MB threshold.
    fs.writeFileSync(big, (await runCli(['simulate', '--n', '90000', '--seed', '5'])).stdout);
    fs.writeFileSync(small, (await runCli(['simulate', '--n', '100', '--seed', '5'])).stdout);
    expect(fs.statSync(big).size).toBeGreaterThan(8 * 1024 * 1024);
  });

  test('a terminal gets the percent of the file read, the rows and an ETA, redrawn in place and cleared at the end', async () => {
    const r = await scoreWithStderr(big, true);
    expect(r.code).toBe(0);
    const size = Math.round(fs.statSync(big).size / 1e6);
    expect(r.stderr).toMatch(new RegExp(`\\r\\x1b\\[Kcanrelax-analyze: reading \\d{1,3}% of ${size} MB, [\\d,]+ rows(, ETA \\d+ s)?`));
    expect(r.stderr).toMatch(/, ETA \d+ s/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
  });

  test('stdin (size unknown): rows and rows per second', async () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    stdout.resume();
    let text = '';
    stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const code = await main(['score', '-', '--format', 'csv'], { stdin: fs.createReadStream(big), stdout, stderr, env: { CANRELAX_PROGRESS_AFTER_MS: '0' } });
    expect(code).toBe(0);
    expect(text).toMatch(/\r\x1b\[Kcanrelax-analyze: [\d,]+ rows, [\d,]+ rows\/s/);
  });

  // alliance and distress are roles: the line names their columns.
  test('the bootstrap: a line per analysis, resamples done of the total, cleared at the end', async () => {
    const args = ['correlate', small, '--x', 'alliance', '--y', 'distress', '--bootstrap', '400', '--format', 'json'];
    const r = await runWithStderr(args, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r\x1b\[Kcanrelax-analyze: bootstrap r\(wai_total, phqads_total_w10\): [\d,]+ of 400 resamples \(\d+%\)/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect((await runWithStderr([...args, '--quiet'], true)).stderr).toBe('');
    expect((await runWithStderr(args, false)).stderr).toBe('');
  });

  test('mediate: a line for the bootstrap of every mediation quantity, resamples done of the total, cleared at the end', async () => {
    const args = ['mediate', small, '--x', 'expectation', '--m', 'alliance', '--y', 'distress', '--by', 'sex', '--bootstrap', '400', '--format', 'json'];
    const r = await runWithStderr(args, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r\x1b\[Kcanrelax-analyze: bootstrap mediation, female: [\d,]+ of 400 resamples \(\d+%\)/);
    expect(r.stderr).toMatch(/\r\x1b\[Kcanrelax-analyze: bootstrap differences between strata: [\d,]+ of 400 resamples/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect((await runWithStderr([...args, '--quiet'], true)).stderr).toBe('');
  });

  test('report: a line per step (done of the total) and the sensitivity bootstrap, cleared at the end', async () => {
    const out = path.join(dir, 'report');
    const r = await runWithStderr(['report', small, '--out-dir', out], true);
    expect(r.code).toBe(0);
    // The default plan on a CanRelax export: 10 steps (the published step needs --published); redraws are throttled,
    // so only the first step's line is certain.
    expect(r.stderr).toMatch(/\r\x1b\[Kcanrelax-analyze: report: 0 of 10 steps \(sample\) \(0%\)/);
    expect(r.stderr).toMatch(/bootstrap r\(wai_total, phqads_total_w10\): [\d,]+ of \d[\d,]* resamples/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect((await runWithStderr(['report', small, '--out-dir', out, '--quiet'], true)).stderr).toBe('');
  });

  test('nothing when stderr is not a terminal, with --quiet, or when the input is small', async () => {
    expect((await scoreWithStderr(big, false)).stderr).toBe('');
    expect((await scoreWithStderr(big, true, ['--quiet'])).stderr).toBe('');
    expect((await scoreWithStderr(small, true)).stderr).toBe('');
  });
});
