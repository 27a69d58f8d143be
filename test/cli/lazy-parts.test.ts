/**
 * A heavy part is loaded where it is chosen (issue 19, "ordinary lazy loading"; scripts/build.mjs): a plain correlate
 * table loads no hash, expression parser, spreadsheet reader or report library; an expression and JSON output load
 * the parser and node:crypto, and still no report library. What the real binary loaded is read at its exit
 * (test/helpers/loaded-modules.cjs).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, EXAMPLE, ROOT } from '../helpers/cli';

const HEAVY = ['vega', 'vega-lite', 'docx', 'fflate', 'saxes', '@resvg/resvg-js', 'pdfkit', 'svg-to-pdfkit'];

function loaded(args: string[]): { builtins: string[]; packages: string[]; mathParser: boolean } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-loaded-')), 'loaded.json');
  const r = spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/helpers/loaded-modules.cjs'), BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOADED_MODULES_FILE: file },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const { builtins, files } = JSON.parse(fs.readFileSync(file, 'utf8')) as { builtins: string[]; files: string[] };
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const packages = HEAVY.filter((name) => files.some((f) => f.includes(`${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`)));
  return { builtins, packages, mathParser: files.some((f) => f.endsWith(`${path.sep}dist${path.sep}math-parser.js`)) };
}

const APP_ADJUSTED = ['--adjust', 'age,sex,baseline,expectation', '--by', 'sex'];

test('a correlate table loads no hash, no expression parser, no spreadsheet reader and no report library', () => {
  const run = loaded(['correlate', EXAMPLE, '--where', 'arm=app', ...APP_ADJUSTED]);
  expect(run.builtins).not.toContain('crypto');
  expect(run.mathParser).toBe(false);
  expect(run.packages).toEqual([]);
});

test('an expression loads the parser, JSON output the hash; still no spreadsheet reader or report library', () => {
  const run = loaded(['correlate', EXAMPLE, '--where', "arm == 'app'", ...APP_ADJUSTED, '--format', 'json']);
  expect(run.builtins).toContain('crypto');
  expect(run.mathParser).toBe(true);
  expect(run.packages).toEqual([]);
});
