// One run of the CLI under bench/peak-rss.cjs: wall seconds and peak RSS in MB (used by run.mjs and formats.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const peak = join(root, 'bench', 'peak-rss.cjs');

/** Our CLI under peak-rss.cjs: wall seconds and peak RSS in MB; `data` is a folder for the RSS record. */
export function measure(args, data) {
  const rssFile = join(data, `rss-${process.pid}.txt`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [peak, rssFile, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`canrelax-analyze ${args.join(' ')} failed: ${r.stderr}`);
  const mb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(rssFile, { force: true });
  return { seconds, mb };
}
