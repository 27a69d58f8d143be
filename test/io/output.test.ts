/**
 * Output: the one way commands write — closed on success, nothing left behind on failure; every write checked, devices
 * and FIFOs written through, never an input overwritten.
 */
import { option } from '../../src/errors';
import { thrownAsCli } from '../helpers/shown';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { inputAt, Output } from '../../src/io/output';

describe('Output.complete', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-'));
  const stdout = { write: () => true, on: () => undefined, off: () => undefined };

  test('success: the file holds what was written, no temporary file remains', async () => {
    const target = path.join(dir, 'ok.csv');
    const out = Output.open(target, null, { stdout });
    await out.complete(() => out.write('a,b\n1,2\n'));
    expect(fs.readFileSync(target, 'utf8')).toBe('a,b\n1,2\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('failure part-way: the error goes on, no target and no temporary file are left', async () => {
    const target = path.join(dir, 'failed.csv');
    const out = Output.open(target, null, { stdout });
    await expect(
      out.complete(async () => {
        out.write('a,b\n');
        await out.flush(true);
        throw new Error('bad row');
      }),
    ).rejects.toThrow('bad row');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.failed.csv'))).toEqual([]);
  });
});

/** An errno error as fs throws it. */
function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: test`), { code });
}

describe('Output: every write checked (issue 20)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-checked-'));
  const stdout = { write: () => true, on: () => undefined, off: () => undefined };
  const text = 'a,b\n'.repeat(1000); // 4,000 bytes
  const temporaries = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  test('short writes are written again until every byte is: the file is whole', async () => {
    const target = path.join(dir, 'short.csv');
    // write(2) may write fewer bytes than asked: at most 7 per call here.
    const writeBytes = (fd: number, bytes: Uint8Array, offset: number, length: number) => fs.writeSync(fd, bytes, offset, Math.min(length, 7));
    const out = Output.open(target, null, { stdout, writeBytes });
    await out.complete(() => out.write(text));
    expect(fs.readFileSync(target, 'utf8')).toBe(text);
    expect(temporaries()).toEqual([]);
  });

  test.each([
    // A full disk: the bytes that fit, then a write of nothing (a device that stops taking bytes) …
    ['a write that makes no progress', () => 0, /\(ENOSPC: nothing more written after 1000 bytes\), the previous full\.csv \(if any\) is kept, free some space on its disk$/],
    // … or ENOSPC, as Linux reports a full disk on the next write.
    ['ENOSPC', () => { throw errno('ENOSPC'); }, /\(ENOSPC\), the previous full\.csv \(if any\) is kept, free some space on its disk$/],
    ['EIO', () => { throw errno('EIO'); }, /\(EIO\), the previous full\.csv \(if any\) is kept, check the disk and the folder$/],
  ])('%s after 1,000 bytes: exit 1, one line, the previous file kept, no temporary', async (_what, fail, message) => {
    const target = path.join(dir, 'full.csv');
    fs.writeFileSync(target, 'the previous results\n');
    let written = 0;
    const writeBytes = (fd: number, bytes: Uint8Array, offset: number, length: number) => {
      if (written >= 1000) return (fail as () => number)();
      const n = fs.writeSync(fd, bytes, offset, Math.min(length, 1000 - written));
      written += n;
      return n;
    };
    const out = Output.open(target, null, { stdout, writeBytes });
    const error = await out.complete(() => out.write(text)).then(() => null, (e: unknown) => e as { exitCode: number; message: string });
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(new RegExp(`^cannot write ${target.replace(/[.]/g, '\\.')} `));
    expect(error?.message).toMatch(message);
    expect(fs.readFileSync(target, 'utf8')).toBe('the previous results\n');
    expect(temporaries()).toEqual([]);
  });
});

describe('Output: targets that are not regular files are written through, never renamed over (issue 20)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-node-'));
  const stdout = { write: () => true, on: () => undefined, off: () => undefined };

  test('a FIFO: the bytes reach its reader, the FIFO stays a FIFO, nothing else appears', async () => {
    const fifo = path.join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = path.join(dir, 'received.txt');
    // The reader: cat from the FIFO into a file (opening the FIFO for writing waits for it).
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${received}"`]);
    const done = new Promise((resolve) => reader.on('exit', resolve));
    const out = Output.open(fifo, null, { stdout });
    await out.complete(() => out.write('through the pipe\n'));
    await done;
    expect(fs.readFileSync(received, 'utf8')).toBe('through the pipe\n');
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['pipe', 'received.txt']);
  });

  test('a character device (a copy of /dev/null where mknod is allowed, else /dev/null itself): still that device after the write', async () => {
    const own = path.join(dir, 'null');
    const device = spawnSync('mknod', [own, 'c', '1', '3']).status === 0 ? own : '/dev/null';
    const before = fs.statSync(device);
    expect(before.isCharacterDevice()).toBe(true);
    const out = Output.open(device, null, { stdout });
    await out.complete(() => out.write('gone\n'));
    const after = fs.statSync(device);
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a socket cannot be opened as a file: a one-line error (exit 2), the socket left as it was', async () => {
    const socket = path.join(dir, 'sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const out = Output.open(socket, null, { stdout });
      const error = await out.complete(() => out.write('x\n')).then(() => null, (e: unknown) => e as { exitCode: number; message: string });
      expect(error?.exitCode).toBe(2);
      expect(error?.message).toBe(`cannot write ${socket} (ENXIO), check the folder exists and is writable`);
      expect(fs.statSync(socket).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('Output: the input guard (issue 20)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-guard-'));
  const stdout = { write: () => true, on: () => undefined, off: () => undefined };
  const input = path.join(dir, 'data.csv');
  fs.writeFileSync(input, 'a\n1\n');

  test.each([
    ['the input itself', () => input],
    ['a symbolic link to it', () => (fs.symlinkSync(input, path.join(dir, 'link.csv')), path.join(dir, 'link.csv'))],
    ['a hard link to it (another path, the same inode)', () => (fs.linkSync(input, path.join(dir, 'hard.csv')), path.join(dir, 'hard.csv'))],
  ])('%s is refused before anything is written', (_what, target) => {
    const t = target();
    expect(thrownAsCli(() => Output.open(t, [null, 'config.json', input], { stdout }, option('writeImputations')))).toBe(`--write-imputations ${t} is the input file, write the results to another file`);
    expect(fs.readFileSync(input, 'utf8')).toBe('a\n1\n');
  });

  test('inputAt: the input a target is, by device and inode; null for another file or one not there', () => {
    expect(inputAt(input, ['-', undefined, input])).toBe(input);
    expect(inputAt(path.join(dir, 'new.csv'), [input])).toBeNull();
    fs.writeFileSync(path.join(dir, 'other.csv'), 'a\n1\n');
    expect(inputAt(path.join(dir, 'other.csv'), input)).toBeNull();
  });
});
