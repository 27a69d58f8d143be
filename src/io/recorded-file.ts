/**
 * A small file read whole for the record of a run — a config, a plan, an instrument definition: its path as given,
 * the SHA-256 of its bytes and its text. The report's provenance keeps all three, so `report --replay` applies the
 * text as recorded instead of reading the file again.
 */
import { readFileSync } from 'node:fs';
import type { CliError } from '../errors';
import { sha256Of } from './input';

export interface RecordedFile {
  path: string;
  sha256: string;
  content: string;
}

/** Reads `path` whole; `unreadable` makes the error for the caller's flag from the errno code. */
export function readRecordedFile(path: string, unreadable: (code: string) => CliError): RecordedFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw unreadable((error as NodeJS.ErrnoException).code ?? String(error));
  }
  return { path, sha256: sha256Of(bytes), content: bytes.toString('utf8') };
}
