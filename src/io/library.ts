/**
 * The libraries of one format are imported where that format is chosen, with `await import(…)`: saxes and fflate
 * for an Excel input (io/input.ts), vega for the report's figures, @resvg/resvg-js and pdfkit for PNG and PDF,
 * docx for Word (report/). An install that lacks one ends in one line and exit 1, not a stack trace.
 */
import { CliError } from '../errors';

/** The error for a library (or its data file) that cannot be loaded. */
export function missingLibrary(what: string, error: unknown): CliError {
  return new CliError(`cannot load ${what} (${(error as Error).message.split('\n')[0]}), reinstall canrelax-analyze with its dependencies`, 1);
}

/** The module `loading` resolves to, or the error that names `what` when it fails to load. */
export async function importLibrary<T>(what: string, loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (error) {
    throw missingLibrary(what, error);
  }
}
