/**
 * Nothing lost (issue 20, "Data lost"): every output goes through io/output.ts, so a full disk is an error that keeps
 * the previous output, a device is written through, no output replaces an input (--out, --write-imputations, simulate
 * --out, init, report --out-dir), and report removes only figures a report of ours recorded. Each case: the exit code,
 * the one-line message, and every file that was there before, byte for byte. In-process (runCli), small data.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE, expectOneLineError, runCli } from '../helpers/cli';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-lost-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file under `dir` (recursively) and its bytes: the state a failed run must leave unchanged. */
function snapshot(root = dir): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(root, { recursive: true }) as string[]) {
    const full = path.join(root, name);
    if (fs.statSync(full).isFile()) files[name] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return files;
}

/** A 16 KB tmpfs at `mount` (root where mount(2) is allowed); false where it is not. */
function smallDisk(mount: string): boolean {
  fs.mkdirSync(mount);
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mount]).status === 0;
}

test('a full disk (a 16 KB tmpfs): score --out ends with exit 1 and one line, the previous output kept, no temporary file', async () => {
  const mount = path.join(dir, 'disk');
  if (!smallDisk(mount)) {
    // Without mount(2) the same path is shown by the injected short writes of test/io/output.test.ts.
    console.warn('no tmpfs here (not root, or mount not allowed): see test/io/output.test.ts for the injected short write');
    return;
  }
  try {
    const target = path.join(mount, 'scores.csv');
    fs.writeFileSync(target, 'the previous results\n');
    const r = await runCli(['score', EXAMPLE, '--out', target]);
    // The scored export is about 34 KB: it cannot fit.
    expectOneLineError(r, 1, new RegExp(`cannot write ${target.replace(/\./g, '\\.')} \\(ENOSPC[^)]*\\), the previous scores\\.csv \\(if any\\) is kept, free some space on its disk$`));
    expect(fs.readdirSync(mount)).toEqual(['scores.csv']);
    expect(fs.readFileSync(target, 'utf8')).toBe('the previous results\n');
  } finally {
    spawnSync('umount', [mount]);
  }
});

test('--out onto a character device writes through it: the device is still there, exit 0', async () => {
  const device = path.join(dir, 'null');
  if (spawnSync('mknod', [device, 'c', '1', '3']).status !== 0) return; // not root: test/io/output.test.ts uses /dev/null
  const r = await runCli(['score', EXAMPLE, '--out', device]);
  expect(r.code).toBe(0);
  expect(fs.statSync(device).isCharacterDevice()).toBe(true);
  expect(fs.readdirSync(dir)).toEqual(['null']);
});

test('correlate DIR/imputations.csv --write-imputations DIR: refused (exit 2), the input unchanged', async () => {
  const input = path.join(dir, 'imputations.csv');
  fs.copyFileSync(EXAMPLE, input);
  const before = snapshot();
  const r = await runCli(['correlate', input, '--missing', 'mi', '--imputations', '2', '--iterations', '1', '--seed', '1', '--write-imputations', dir]);
  expectOneLineError(r, 2, new RegExp(`^canrelax-analyze: --write-imputations ${input.replace(/\./g, '\\.')} is the input file, write the results to another file$`));
  expect(snapshot()).toEqual(before);
});

test('--out onto the --config file: refused (exit 2), the config unchanged', async () => {
  const config = path.join(dir, 'canrelax.config.json');
  fs.writeFileSync(config, '{}\n');
  const r = await runCli(['score', EXAMPLE, '--config', config, '--out', config]);
  expectOneLineError(r, 2, /--out .*canrelax\.config\.json is the input file/);
  expect(fs.readFileSync(config, 'utf8')).toBe('{}\n');
});

test('simulate --out onto its --match file: refused (exit 2), the file unchanged', async () => {
  const published = path.join(dir, 'published.json');
  fs.copyFileSync(path.join(__dirname, '../../examples/published/canrelax-2026.json'), published);
  const before = snapshot();
  const r = await runCli(['simulate', '--match', published, '--out', published]);
  expectOneLineError(r, 2, /--out .*published\.json is the input file, write the results to another file$/);
  expect(snapshot()).toEqual(before);
});

test('init --force with --dir where plan.json is the input: refused (exit 2), the input unchanged', async () => {
  const input = path.join(dir, 'plan.json');
  fs.copyFileSync(EXAMPLE, input);
  const before = snapshot();
  const r = await runCli(['init', input, '--dir', dir, '--force']);
  expectOneLineError(r, 2, /plan\.json is the input file/);
  expect(snapshot()).toEqual(before);
});

test('report --out-dir holding a report.json that is not ours: the files it names are left alone, said once', async () => {
  const out = path.join(dir, 'thesis');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify({ figures: [{ file: 'thesis.pdf', files: ['thesis.pdf', 'chapter1.png'] }] }));
  fs.writeFileSync(path.join(out, 'thesis.pdf'), 'my thesis');
  fs.writeFileSync(path.join(out, 'chapter1.png'), 'a figure');
  const plan = path.join(dir, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'] }));
  const r = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(`canrelax-analyze: warning: ${out}/report.json is not a report of canrelax-analyze (no provenance of ours): no file it names is removed\n`);
  expect(fs.readFileSync(path.join(out, 'thesis.pdf'), 'utf8')).toBe('my thesis');
  expect(fs.readFileSync(path.join(out, 'chapter1.png'), 'utf8')).toBe('a figure');
  // Our own report.json now: a second run believes it (and removes nothing of the user's, which it never listed).
  const again = await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json']);
  expect(again.stderr).toBe('');
  expect(fs.readFileSync(path.join(out, 'thesis.pdf'), 'utf8')).toBe('my thesis');
});

test('report --out-dir where an input (--config) is one of the report files: refused (exit 2), nothing changed', async () => {
  const config = path.join(dir, 'report.json');
  fs.writeFileSync(config, '{}\n');
  const before = snapshot();
  const plan = path.join(dir, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'] }));
  const r = await runCli(['report', EXAMPLE, '--plan', plan, '--config', config, '--out-dir', dir, '--formats', 'json']);
  expectOneLineError(r, 2, /--out-dir .* holds an input file as report\.json, write the report to another folder$/);
  expect(snapshot()).toEqual({ ...before, 'plan.json': createHash('sha256').update(fs.readFileSync(plan)).digest('hex') });
});

test('report --replay r/report.json --out-dir r: refused (exit 2), the record it replays kept', async () => {
  const out = path.join(dir, 'r');
  const plan = path.join(dir, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'] }));
  expect((await runCli(['report', EXAMPLE, '--plan', plan, '--out-dir', out, '--formats', 'json'])).code).toBe(0);
  const before = snapshot();
  const r = await runCli(['report', '--replay', path.join(out, 'report.json'), '--out-dir', out]);
  expectOneLineError(r, 2, /--out-dir .* holds an input file as report\.json, write the report to another folder$/);
  expect(snapshot()).toEqual(before);
});
