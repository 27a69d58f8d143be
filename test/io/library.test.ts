/** A format's library that fails to load (an install without it) is one line and exit 1 (src/io/library.ts). */
import { CliError } from '../../src/errors';
import { importLibrary } from '../../src/io/library';

test('a library that cannot be imported is a CliError naming it, exit 1; one that can is its module', async () => {
  const missing = 'canrelax-no-such-package';
  const error = await importLibrary('the thing (canrelax-no-such-package)', import(missing)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).exitCode).toBe(1);
  // The loader's own first line in the middle (Node's, or jest's resolver here).
  expect((error as CliError).message).toMatch(/^cannot load the thing \(canrelax-no-such-package\) \(Cannot find module 'canrelax-no-such-package'[^\n]*\), reinstall canrelax-analyze with its dependencies$/);
  const { unzipSync } = await importLibrary('fflate', import('fflate'));
  expect(typeof unzipSync).toBe('function');
});
