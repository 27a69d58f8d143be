/**
 * Output that fits where it is read (issue 9.6): excluded ids in table and Markdown, significance marked without
 * colour, the sign of an interval end that rounds to zero (test/render/apa.test.ts), alpha of the PHQ-ADS total,
 * and tables that fit a narrow terminal (test/render/table.test.ts).
 */
import { PassThrough } from 'node:stream';
import { Readable } from 'node:stream';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, EXAMPLE, ROOT, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';
import { main } from '../../src/cli/main';

const REF = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/phqads_alpha.json'), 'utf8'));
// Eight app-arm rows miss wai_total or the outcome: R with bench/scoring.R's rules on the example gives
// CR0033 CR0081 CR0103 CR0111 CR0114 CR0130 CR0160 CR0175 (is.na(wai_total) | is.na(phqads_total_w10)).
const ARGS = ['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'wai_total,expectation', '--list-excluded'];

test('--list-excluded: the ids in the table and the Markdown footer, the same as in JSON', async () => {
  const json = await runJson(ARGS);
  const ids: string[] = json.results[0].excluded.ids;
  expect(ids).toEqual(['CR0033', 'CR0081', 'CR0103', 'CR0111', 'CR0114', 'CR0130', 'CR0160', 'CR0175']);
  const table = await runCli(ARGS);
  expect(table.stdout).toContain(`Excluded wai_total–distress: ${ids.join(', ')}.`);
  const md = await runCli([...ARGS, '--format', 'markdown']);
  expect(md.stdout).toContain(`*Excluded wai_total–distress: ${ids.join(', ')}.*`);
});

async function ttyRun(args: string[]): Promise<string> {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 300 });
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  const code = await main(args, { stdin: Readable.from([]), stdout, stderr: new PassThrough(), env: {} });
  expect(code).toBe(0);
  return Buffer.concat(chunks).toString('utf8');
}

test('significant rows: `*` and a footer saying so without colour, highlighted (and "Highlighted") with it', async () => {
  // In the app arm, expectation–alliance is p < .001, expectation–distress p = .862 (the JSON's p, checked first).
  const args = ['correlate', EXAMPLE, '--where', 'arm=app', '--x', 'expectation', '--y', 'wai_total,phqads_total_w10', '--adjust', 'age,sex'];
  const json = await runJson(args);
  const significant = json.results.map((r: { p: number }) => r.p < 0.05);
  expect(significant).toEqual([true, false]);
  const plain = await runCli(args);
  expect(plain.stdout).toContain('*: p < .05.');
  expect(plain.stdout).not.toContain('Highlighted');
  const starredRows = plain.stdout.split('\n').filter((l) => /^│ \S+ \*/.test(l));
  expect(starredRows).toHaveLength(significant.filter(Boolean).length);
  const coloured = await ttyRun(args);
  expect(coloured).toContain('Highlighted: p < .05.');
  expect(coloured).toContain('\x1b[33m');
  expect(coloured).not.toMatch(/\*: p/);
});

test('score --summary: alpha of the PHQ-ADS total over its 16 items, as psych::alpha', async () => {
  const doc = await runJson(['score', EXAMPLE, '--summary']);
  for (const column of ['phqads_total_t0', 'phqads_total_w10']) {
    const total = doc.instruments.flatMap((g: { subscales: unknown[] }) => g.subscales).find((s: { column: string }) => s.column === column);
    expect(total.items).toHaveLength(16);
    expectClose(total.alpha, REF[column].alpha);
    expect(total.alpha_n).toBe(REF[column].n);
    total.items.forEach((item: { item_total_r: number }, i: number) => expectClose(item.item_total_r, REF[column].item_total_r[i]));
  }
});

test('a wide table on an 80-column pseudo-terminal: split into tables of at most 80 columns, in a pipe whole', () => {
  // script(1) gives the real binary a pty of 80 columns; with --bootstrap and --bayes the table is 107 wide.
  const args = `correlate "${EXAMPLE}" --where arm=app --by sex --bootstrap 200 --bayes`;
  const tty = spawnSync('script', ['-qec', `stty cols 80; "${process.execPath}" "${BIN}" ${args} --no-color`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
  expect(tty.status).toBe(0);
  const boxes = tty.stdout.replace(/\r\n/g, '\n').split('\n').filter((l) => /^[│┌└├]/.test(l));
  expect(Math.max(...boxes.map((l) => [...l].length))).toBeLessThanOrEqual(80);
  // The results in two tables, then the stratum comparison (which fits) in one.
  expect(boxes.filter((l) => l.startsWith('┌'))).toHaveLength(3);
  const pipe = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} | cat`], { cwd: ROOT, encoding: 'utf8' });
  const pipeBoxes = pipe.stdout.split('\n').filter((l) => /^[│┌└├]/.test(l));
  expect(pipeBoxes.filter((l) => l.startsWith('┌'))).toHaveLength(2);
  expect(Math.max(...pipeBoxes.map((l) => [...l].length))).toBeGreaterThan(80);
});
