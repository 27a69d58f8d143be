/**
 * holdInput: the input read once for a command that passes over it several times (report) — its size and
 * SHA-256 (expected digests from coreutils `sha256sum`), its records parsed once and replayed to every pass (standard
 * input and files alike; a pass that stops early leaves every record to the next; a broken record's error comes
 * again after the records before it), and the same one-line errors as every command's input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { holdInput, type ByteSource, type CsvInput } from '../../src/io/input';
import { UsageError } from '../../src/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'input-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The header and every record of one pass, as fields. */
async function records(input: CsvInput): Promise<string[][]> {
  const out = [input.header];
  for await (const batch of input.batches()) {
    for (let r = 0; r < batch.lines.length; r++) out.push(batch.rows ? batch.rows[r] : batch.raw![r].split(input.delimiter));
  }
  return out;
}

async function* from(...chunks: Array<string | Buffer>): AsyncGenerator<string | Buffer> {
  yield* chunks;
}

test('a file: size and SHA-256 of its bytes; every pass the same records, the file read once', async () => {
  const file = path.join(dir, 'small.csv');
  fs.writeFileSync(file, 'a,b\n1,2\n');
  const held = await holdInput(file, { stdin: from() });
  // printf 'a,b\n1,2\n' | sha256sum
  expect({ bytes: held.bytes, sha256: held.sha256 }).toEqual({ bytes: 8, sha256: '492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470' });
  fs.writeFileSync(file, 'changed,after\n3,4\n');
  const first = await held.open({});
  expect(await records(first)).toEqual([['a', 'b'], ['1', '2']]);
  expect(await records(await held.open({}))).toEqual([['a', 'b'], ['1', '2']]);
  expect(first.sha256()).toBe(held.sha256);
});

test('a pass that stops early leaves every record to the next; a broken record fails every pass after the records before it', async () => {
  const held = await holdInput('-', { stdin: from('a,b\n1,2\n3,4\n"5,6\n') });
  const early = (await held.open({ chunkSize: 4 })).batches();
  await early.next();
  await early.return(undefined);
  for (let pass = 0; pass < 2; pass++) {
    const seen: string[][] = [];
    const input = await held.open({ chunkSize: 4 });
    await expect(
      (async () => {
        for await (const batch of input.batches()) for (let r = 0; r < batch.lines.length; r++) seen.push(batch.raw ? batch.raw[r].split(',') : batch.rows![r]);
      })(),
    ).rejects.toThrow(/quote/);
    expect(seen).toEqual([['1', '2'], ['3', '4']]);
  }
});

test('a file over 1 MiB (streamed, not read at once): the same digest as sha256sum', async () => {
  const file = path.join(dir, 'large.csv');
  fs.writeFileSync(file, Buffer.alloc(2_000_000, 'a'));
  const held = await holdInput(file, { stdin: from() });
  // head -c 2000000 /dev/zero | tr '\0' 'a' | sha256sum
  expect({ bytes: held.bytes, sha256: held.sha256 }).toEqual({ bytes: 2_000_000, sha256: 'bcf7f9d1b4311c3352e60502255ce09a6744df84e8f2c89f79c4b5d74933a95a' });
});

test('stdin: read once, hashed, and its records handed on to every pass (a character split across chunks included)', async () => {
  const e = Buffer.from('é', 'utf8');
  const held = await holdInput('-', { stdin: from('x,', e.subarray(0, 1), e.subarray(1), '\n3,4\n') });
  // printf 'x,é\n3,4\n' | sha256sum
  expect({ bytes: held.bytes, sha256: held.sha256 }).toEqual({ bytes: 9, sha256: '17a87730c463ea5a4473d2318f3be96d5bf1431aba55ae00700f31b44c68dece' });
  expect(await records(await held.open({}))).toEqual([['x', 'é'], ['3', '4']]);
  expect(await records(await held.open({}))).toEqual([['x', 'é'], ['3', '4']]);
});

test('a missing path and a folder: the errors every command gives', async () => {
  const fails = (p: string) => holdInput(p, { stdin: from() });
  await expect(fails(path.join(dir, 'nope.csv'))).rejects.toThrow(new UsageError(`file not found: ${path.join(dir, 'nope.csv')}, check the path (or use - for stdin)`));
  await expect(fails(dir)).rejects.toThrow(new UsageError(`not a file: ${dir}, give a CSV file (or - for stdin)`));
});
