/**
 * Interrupts and odd paths (issue 9.3, 20): Ctrl-C (SIGINT), SIGTERM, SIGHUP or SIGPIPE while `score --out` is writing
 * leaves the folder as it was (no temporary file, no half-written output) and exits 130 / 143 / 129 / 141; `report --out-dir` on a place that
 * cannot be created is a one-line error before any analysis, and leaves no folder behind.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, EXAMPLE, ROOT, runBin, runCli } from '../helpers/cli';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cra-interrupt-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * `score - --out z.csv` reading a stdin that is held open: the header and rows are sent until the temporary file is
 * there (it is made at the first 64 KB of output: score is mid-write), then the signal. Polls the folder; no time
 * limit of its own.
 */
async function interruptScore(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGPIPE'): Promise<{ code: number | null; stderr: string; before: string[]; during: string[]; after: string[] }> {
  fs.writeFileSync(path.join(dir, 'z.csv'), 'the previous results\n');
  const before = fs.readdirSync(dir).sort();
  const child = spawn(process.execPath, [BIN, 'score', '-', '--out', path.join(dir, 'z.csv')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const lines = fs.readFileSync(EXAMPLE, 'utf8').split('\n');
  child.stdin.write(`${lines.slice(0, 100).join('\n')}\n`);
  let during = before;
  // The temporary file itself (.tmp): the writability probe made when --out is opened (.probe) comes before the
  // interrupt handlers and is not what this waits for.
  while (!during.some((f) => f.endsWith('.tmp'))) {
    child.stdin.write(`${lines.slice(1, 100).join('\n')}\n`);
    await new Promise((r) => setTimeout(r, 20));
    during = fs.readdirSync(dir).sort();
  }
  child.kill(signal);
  const code = await exited;
  child.stdin.destroy();
  return { code, stderr, before, during, after: fs.readdirSync(dir).sort() };
}

test('SIGINT during score --out: exit 130, the folder as it was (no temporary, the old file untouched)', async () => {
  const r = await interruptScore('SIGINT');
  expect(r.during.some((f) => f.endsWith('.tmp'))).toBe(true); // it was interrupted mid-write
  expect(r.code).toBe(130);
  expect(r.after).toEqual(r.before);
  expect(fs.readFileSync(path.join(dir, 'z.csv'), 'utf8')).toBe('the previous results\n');
  expect(r.stderr).toBe('');
});

test('SIGTERM during score --out: exit 143, the folder as it was', async () => {
  const r = await interruptScore('SIGTERM');
  expect(r.code).toBe(143);
  expect(r.after).toEqual(r.before);
});

test.each([
  // The terminal closed (issue 20: the 4–10 MB temporary file was left behind) …
  ['SIGHUP', 129],
  // … and SIGPIPE, which Node otherwise ignores, while a file is written.
  ['SIGPIPE', 141],
] as const)('%s during score --out: exit %d, the folder as it was', async (signal, code) => {
  const r = await interruptScore(signal);
  expect(r.during.some((f) => f.endsWith('.tmp'))).toBe(true);
  expect(r.code).toBe(code);
  expect(r.after).toEqual(r.before);
  expect(fs.readFileSync(path.join(dir, 'z.csv'), 'utf8')).toBe('the previous results\n');
});

test('after a file was written, stdout into a closed pipe still ends quietly (exit 0): SIGPIPE is not left at its default action', () => {
  // report writes its files, then says so on stdout, whose reader (true) has gone: EPIPE, not death by SIGPIPE (141).
  const plan = path.join(dir, 'plan.json');
  fs.writeFileSync(plan, JSON.stringify({ steps: ['sample'] }));
  const node = JSON.stringify(process.execPath);
  const r = runBin([], { shell: `${node} ${JSON.stringify(BIN)} report ${JSON.stringify(EXAMPLE)} --plan ${JSON.stringify(plan)} --out-dir ${JSON.stringify(path.join(dir, 'r'))} --formats json | true; exit \${PIPESTATUS[0]}` });
  expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  // --out /dev/stdout into a pipe is written through; its reader going away ends the run quietly too.
  const piped = runBin([], { shell: `${node} ${JSON.stringify(BIN)} simulate --n 100000 --out /dev/stdout | head -c 3; exit \${PIPESTATUS[0]}` });
  expect(piped).toEqual({ code: 0, stdout: 'id,', stderr: '' });
});

test('SIGINT while correlate --out computes (a long bootstrap): the process ends at once, nothing left behind', async () => {
  // The temporary file is made at the first bytes of output, so during the computation there is nothing to remove and
  // Ctrl-C keeps its ordinary meaning (a JS handler could not run inside the synchronous bootstrap loop).
  const before = fs.readdirSync(dir).sort();
  const out = path.join(dir, 'c.json');
  const child = spawn(process.execPath, [BIN, 'correlate', EXAMPLE, '--bootstrap', '10000000', '--format', 'json', '--out', out], { cwd: ROOT, stdio: 'ignore' });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGINT');
  const r = await exited;
  // Ended by the signal itself (a shell reports 130), or by our handler with 130.
  expect(r.signal === 'SIGINT' || r.code === 130).toBe(true);
  expect(fs.readdirSync(dir).sort()).toEqual(before);
});

test('report --out-dir where no folder can be made: one line at once (exit 2), nothing left behind', async () => {
  // /proc does not take new folders: Node's recursive mkdir looped there for ever.
  const proc = runBin(['report', EXAMPLE, '--out-dir', '/proc/forbidden/report']);
  expect(proc.code).toBe(2);
  expect(proc.stderr).toBe('canrelax-analyze: cannot create --out-dir /proc/forbidden/report (ENOENT), check the path and its permissions\n');
  // Under a file: ENOTDIR, and the missing folders are not created.
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  const underFile = await runCli(['report', EXAMPLE, '--out-dir', path.join(dir, 'a-file', 'sub', 'report')]);
  expect(underFile.code).toBe(2);
  expect(underFile.stderr).toMatch(/^canrelax-analyze: cannot create --out-dir .*\(ENOTDIR\)/);
});

test('a report that fails after its folder was made removes the folders it made', async () => {
  const target = path.join(dir, 'new', 'report');
  const r = await runCli(['report', EXAMPLE, '--out-dir', target, '--where', 'arm=nobody']);
  expect(r.code).toBe(1);
  expect(fs.readdirSync(dir)).toEqual([]);
});
