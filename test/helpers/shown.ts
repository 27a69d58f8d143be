/**
 * The message of an error a lower layer throws, as the command line shows it (options named as flags,
 * cli/flag-name.ts): `error.message` alone names them by key (errors.ts), so in-process tests read it through here.
 */
import { CliError } from '../../src/errors';
import { flagName } from '../../src/cli/flag-name';

/** What `run` throws, shown as the CLI shows it; fails when it throws nothing or not a CliError. */
export function thrownAsCli(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error.shown(flagName);
    throw error;
  }
  throw new Error('expected an error, none was thrown');
}

/** The message a rejected promise's CliError shows on the command line (its options named as flags). */
export async function rejectedAsCli(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CliError) return error.shown(flagName);
    throw error;
  }
  throw new Error('expected a rejection, the promise resolved');
}
