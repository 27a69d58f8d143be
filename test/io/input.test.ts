/**
 * holdInput: the input read once for a command that passes over it several times (report) — its size and
 * SHA-256 (expected digests from coreutils `sha256sum`), standard input handed on again byte for byte, a file
 * opened again by each pass, and the same one-line errors as every command's input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { holdInput, type ByteSource } from '../../src/io/input';
import { UsageError } from '../../src/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'input-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(source: ByteSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks);
}

async function* from(...chunks: Array<string | Buffer>): AsyncGenerator<string | Buffer> {
  yield* chunks;
}

test('a file: size and SHA-256 of its bytes; each pass gets the streams it was given (the file is opened again)', async () => {
  const file = path.join(dir, 'small.csv');
  fs.writeFileSync(file, 'a,b\n1,2\n');
  const streams = { stdin: from() };
  const held = await holdInput(file, streams);
  // printf 'a,b\n1,2\n' | sha256sum
  expect({ bytes: held.bytes, sha256: held.sha256 }).toEqual({ bytes: 8, sha256: '492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470' });
  expect(held.streams(streams)).toBe(streams);
});

test('a file over 1 MiB (streamed, not read at once): the same digest as sha256sum', async () => {
  const file = path.join(dir, 'large.csv');
  fs.writeFileSync(file, Buffer.alloc(2_000_000, 'a'));
  const held = await holdInput(file, { stdin: from() });
  // head -c 2000000 /dev/zero | tr '\0' 'a' | sha256sum
  expect({ bytes: held.bytes, sha256: held.sha256 }).toEqual({ bytes: 2_000_000, sha256: 'bcf7f9d1b4311c3352e60502255ce09a6744df84e8f2c89f79c4b5d74933a95a' });
});

test('stdin: read once, hashed, and handed on again byte for byte to every pass (a character split across chunks included)', async () => {
  const e = Buffer.from('é', 'utf8');
  const held = await holdInput('-', { stdin: from('x,', e.subarray(0, 1), e.subarray(1), '\n3,4\n') });
  // printf 'x,é\n3,4\n' | sha256sum
  expect({ bytes: held.bytes, sha256: held.sha256 }).toEqual({ bytes: 9, sha256: '17a87730c463ea5a4473d2318f3be96d5bf1431aba55ae00700f31b44c68dece' });
  const unused = { stdin: from('not read') };
  expect((await collect(held.streams(unused).stdin)).toString('utf8')).toBe('x,é\n3,4\n');
  expect((await collect(held.streams(unused).stdin)).toString('utf8')).toBe('x,é\n3,4\n');
});

test('a missing path and a folder: the errors every command gives', async () => {
  const fails = (p: string) => holdInput(p, { stdin: from() });
  await expect(fails(path.join(dir, 'nope.csv'))).rejects.toThrow(new UsageError(`file not found: ${path.join(dir, 'nope.csv')}, check the path (or use - for stdin)`));
  await expect(fails(dir)).rejects.toThrow(new UsageError(`not a file: ${dir}, give a CSV file (or - for stdin)`));
});
