/**
 * A small file read whole for the record of a run — a config, a plan, an instrument definition: its path as given,
 * the SHA-256 of its bytes and its text. The report's provenance keeps all three, so `report --replay` applies the
 * text as recorded instead of reading the file again.
 */
import { readFileSync } from 'node:fs';
import { DataError, UsageError, words, type GivenIn, type Words } from '../errors';
import { sha256Of } from './input';

export interface RecordedFile {
  path: string;
  sha256: string;
  content: string;
}

/**
 * Reads `path` whole. `flag` is where the path was given (the option `plan`, `config`, …): the errors name it, with the errno
 * code when the file exists but cannot be read (EISDIR for a folder, EACCES), "not found" only for ENOENT (exit 2).
 */
export async function readRecordedFile(path: string, flag: GivenIn): Promise<RecordedFile> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(words`${flag} ${path} not found, check the path`);
    throw new UsageError(words`cannot read ${flag} ${path} (${code ?? (error as Error).message}), check the path`);
  }
  const content = utf8Text(bytes, words`${flag} ${path}`);
  return { path, sha256: await sha256Of(bytes), content };
}

/**
 * The bytes as UTF-8 text, refused when they are not UTF-8: a replay checks the recorded text against the SHA-256 of
 * the bytes, which holds only when decoding loses nothing (a lenient decoder would put U+FFFD for each bad byte, and
 * dropping a BOM would change the bytes too, hence ignoreBOM: the BOM is kept in the text).
 */
function utf8Text(bytes: Buffer, shown: Words): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new DataError(words`${shown} is not UTF-8 text, save it as UTF-8`);
  }
}
