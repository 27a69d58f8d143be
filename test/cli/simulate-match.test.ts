/**
 * `simulate --match FILE [--seed S] [--n N]`: the command writes what src/data/simulate.ts's simulateMatch makes
 * (its values and claims are tested in test/analyses/published.test.ts against R), and fails cleanly.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli } from '../helpers/cli';

const PUBLISHED = path.join(ROOT, 'examples/published/canrelax-2026.json');

test('--match --seed 2026 writes the committed fixture byte for byte', async () => {
  const r = await runCli(['simulate', '--match', PUBLISHED, '--seed', '2026']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(readFileSync(path.join(ROOT, 'test/reference/published/match-2026.csv'), 'utf8'));
});

test('--n sets the whole file: 117 app rows (the published N), the rest waitlist', async () => {
  const r = await runCli(['simulate', '--match', PUBLISHED, '--seed', '5', '--n', '150']);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n').slice(1);
  expect(lines).toHaveLength(150);
  expect(lines.filter((l) => l.split(',')[1] === 'app')).toHaveLength(117);
  expect(lines.filter((l) => l.split(',')[1] === 'waitlist')).toHaveLength(33);
});

test('--n below the published N: exit 2, one line', async () => {
  const r = await runCli(['simulate', '--match', PUBLISHED, '--n', '100']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('canrelax-analyze: --n 100 is smaller than the published N of the app arm (117); give --n 117 or more\n');
});

test('a missing published file: exit 2; a malformed one: exit 1 naming the key', async () => {
  const missing = await runCli(['simulate', '--match', '/nonexistent/p.json']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toBe('canrelax-analyze: --match /nonexistent/p.json not found, check the path\n');
  // A folder exists but cannot be read as a file: the errno says so.
  const folder = await runCli(['simulate', '--match', path.join(ROOT, 'examples')]);
  expect(folder.code).toBe(2);
  expect(folder.stderr).toBe(`canrelax-analyze: cannot read --match ${path.join(ROOT, 'examples')} (EISDIR), check the path\n`);
  const bad = await runCli(['simulate', '--match', path.join(ROOT, 'examples/plan.json')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^canrelax-analyze: published values .*plan\.json: has unknown key "plan_version" .*\n$/);
});
