/**
 * readRecordedFile: the text recorded is the file's bytes decoded without loss, so that a replay's check (the SHA-256
 * of the recorded text against the recorded SHA-256 of the bytes, src/cli/replay.ts) holds for every file it accepts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, option, UsageError } from '../../src/errors';
import { rejectedAsCli } from '../helpers/shown';
import { sha256Of } from '../../src/io/input';
import { readRecordedFile } from '../../src/io/recorded-file';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-recorded-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

test('a file that is not UTF-8 (Latin-1 "é" = byte 0xE9) is a one-line DataError, not a record a replay would refuse', async () => {
  const file = path.join(TMP, 'latin1.json');
  fs.writeFileSync(file, Buffer.from('{ "na": ["\xe9"] }\n', 'latin1'));
  await expect(readRecordedFile(file, option('config'))).rejects.toThrow(DataError);
  expect(await rejectedAsCli(readRecordedFile(file, option('config')))).toBe(`--config ${file} is not UTF-8 text, save it as UTF-8`);
});

test('UTF-8 text, with a BOM and multi-byte characters, is recorded whole: the text hashes to the bytes\' SHA-256', async () => {
  const file = path.join(TMP, 'bom.json');
  const bytes = Buffer.from('\uFEFF{ "na": ["é", "—"] }\n', 'utf8');
  fs.writeFileSync(file, bytes);
  const recorded = await readRecordedFile(file, option('config'));
  expect(recorded.content).toBe('\uFEFF{ "na": ["é", "—"] }\n');
  expect(recorded.sha256).toBe(await sha256Of(bytes));
  expect(await sha256Of(recorded.content)).toBe(recorded.sha256);
});

test('a path that cannot be read says why, with the flag it was given by: not found only for ENOENT (exit 2)', async () => {
  await expect(readRecordedFile(path.join(TMP, 'none.json'), option('plan'))).rejects.toThrow(UsageError);
  expect(await rejectedAsCli(readRecordedFile(path.join(TMP, 'none.json'), option('plan')))).toBe(`--plan ${path.join(TMP, 'none.json')} not found, check the path`);
  // A folder is there but is not a file: EISDIR, not "not found".
  expect(await rejectedAsCli(readRecordedFile(TMP, option('config')))).toBe(`cannot read --config ${TMP} (EISDIR), check the path`);
});
