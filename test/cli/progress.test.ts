/**
 * Progress on stderr: only for a terminal and a large input (here a 9 MB file); never when stderr is a pipe.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { runCli } from '../helpers/cli';

async function scoreWithStderr(file: string, tty: boolean): Promise<{ code: number; stderr: string }> {
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = new PassThrough();
  stdout.resume();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const code = await main(['score', file, '--format', 'csv'], {
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

  test('a terminal gets rows and rate, redrawn in place and cleared at the end', async () => {
    const r = await scoreWithStderr(big, true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r\x1b\[Kcanrelax-analyze: [\d,]+ rows, [\d,]+ rows\/s/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
  });

  test('nothing when stderr is not a terminal, or the input is small', async () => {
    expect((await scoreWithStderr(big, false)).stderr).toBe('');
    expect((await scoreWithStderr(small, true)).stderr).toBe('');
  });
});
