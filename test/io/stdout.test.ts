/**
 * FdStdout: stdout written with fs.writeSync when it is a file or a pipe (io/stdout.ts). Real processes
 * through pipes and `| head` are in test/cli/process.test.ts; here the cases a real pipe rarely shows:
 * partial writes, EINTR, EAGAIN on a non-blocking pipe, and errors.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { FdStdout, processStdout } from '../../src/io/stdout';
import { Output, PipeClosed } from '../../src/io/output';

const errno = (code: string) => Object.assign(new Error(`${code}: test`), { code });

describe('FdStdout', () => {
  test('writes every byte of a real file descriptor, multi-byte characters intact', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stdout-')), 'out.txt');
    const fd = fs.openSync(file, 'w');
    const out = new FdStdout(fd);
    const text = 'r = −.18 [−.35, .01], ρ, α\n'.repeat(10_000);
    expect(out.write(text)).toBe(true);
    expect(out.write(Buffer.from('end\n'))).toBe(true);
    fs.closeSync(fd);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${text}end\n`);
    expect(out.isTTY).toBe(false);
  });

  test('partial writes continue where they stopped; EINTR is retried', () => {
    const got: number[] = [];
    let calls = 0;
    const write = (_fd: number, bytes: Uint8Array, offset: number, length: number) => {
      calls++;
      if (calls === 2) throw errno('EINTR');
      const n = Math.min(length, 3); // at most 3 bytes a call: splits the 3-byte '−' and the 2-byte 'ρ'
      got.push(...bytes.subarray(offset, offset + n));
      return n;
    };
    const out = new FdStdout(1, write);
    expect(out.write('a −b ρ\n')).toBe(true);
    expect(Buffer.from(got).toString('utf8')).toBe('a −b ρ\n');
  });

  test('EAGAIN (a non-blocking pipe): the rest, and every later write, go to the fallback stream in order', () => {
    const fallback = new PassThrough();
    const chunks: Buffer[] = [];
    fallback.on('data', (c: Buffer) => chunks.push(c));
    const onError = jest.fn();
    let calls = 0;
    const write = (_fd: number, bytes: Uint8Array, offset: number, length: number) => {
      if (++calls > 1) throw errno('EAGAIN');
      return Math.min(length, 4); // 'ab −' is 'a', 'b', ' ' and the first byte of '−'
    };
    const out = new FdStdout(1, write, () => fallback);
    out.on('error', onError);
    out.write('ab −cd\n');
    out.write('next\n');
    // The listener moved with the output: an error on the fallback reaches it.
    fallback.emit('error', errno('EPIPE'));
    expect(onError).toHaveBeenCalledTimes(1);
    // Bytes handed over start in the middle of '−' and stay bytes: joined, the text is whole.
    expect(Buffer.concat([Buffer.from('ab −', 'utf8').subarray(0, 4), ...chunks]).toString('utf8')).toBe('ab −cd\nnext\n');
    expect(calls).toBe(2);
  });

  test('EPIPE is an error event with its code, once; later writes are dropped; Output turns it into PipeClosed', async () => {
    const write = jest.fn(() => {
      throw errno('EPIPE');
    });
    const out = new FdStdout(1, write);
    const output = Output.open(undefined, null, { stdout: out });
    output.write('x\n');
    await expect(output.close()).rejects.toBeInstanceOf(PipeClosed);
    expect(out.write('more\n')).toBe(true);
    expect(write).toHaveBeenCalledTimes(1);
  });

  test('another write error (disk full) is a one-line error from Output (exit 1), not a hang', async () => {
    const out = new FdStdout(1, () => {
      throw errno('ENOSPC');
    });
    const output = Output.open(undefined, null, { stdout: out });
    output.write('x\n');
    await expect(output.close()).rejects.toThrow(/cannot write the output \(ENOSPC: test\), check where it goes/);
    await expect(output.close()).rejects.toMatchObject({ exitCode: 1 });
  });

  test('off removes a listener', () => {
    const onError = jest.fn();
    const out = new FdStdout(1, () => {
      throw errno('EIO');
    });
    out.on('error', onError);
    out.off('error', onError);
    out.write('x');
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('processStdout', () => {
  test('a file, pipe or /dev/null gets FdStdout; a terminal (not here under jest) would get process.stdout', () => {
    // Under jest fd 1 is a pipe or a file; either way not a terminal.
    const stat = fs.fstatSync(1);
    const expected = stat.isFile() || stat.isFIFO() || stat.isSocket() || stat.rdev === fs.statSync('/dev/null').rdev;
    expect(processStdout() instanceof FdStdout).toBe(expected);
  });
});
