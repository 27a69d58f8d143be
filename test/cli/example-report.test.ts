/**
 * The report committed in docs/example-report/ (shown in the README) is exactly what `npm start` writes from the
 * bundled example, with its published values (--published) with the current code: a report has no timestamp, so the bytes must match.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runCli } from '../helpers/cli';

test('docs/example-report is current', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-example-'));
  const cwd = process.cwd();
  process.chdir(ROOT); // the provenance records the input path as given: examples/canrelax-synthetic.csv
  try {
    const r = await runCli(['report', 'examples/canrelax-synthetic.csv', '--published', 'examples/published/canrelax-2026.json', '--out-dir', out]);
    expect(r.code).toBe(0);
  } finally {
    process.chdir(cwd);
  }
  const committed = path.join(ROOT, 'docs', 'example-report');
  const files = fs.readdirSync(out).sort();
  expect(fs.readdirSync(committed).sort()).toEqual(files);
  for (const file of files) {
    // If this fails after a deliberate change: npm run build && npm start, then copy canrelax-report/ to docs/example-report/.
    const same = fs.readFileSync(path.join(out, file)).equals(fs.readFileSync(path.join(committed, file)));
    expect({ file, same }).toEqual({ file, same: true });
  }
});
