// Costs that scale (issue 9): the bootstrap is resamples × rows (its BCa jackknife no longer O(n²)), `power` does
// not grow with n, `validate` on 100,000 columns costs what `score` does. Called by bench/run.mjs with its helpers.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {object} tools from run.mjs: wall(command, args) → seconds, median(values), exportOf(rows) → simulated
 *   export path, record(area, target, measured, met), fmt(x, digits), log(message), bin, data (folder), node.
 */
export function scaleCases({ wall, median, exportOf, record, fmt, log, bin, data, node }) {
  // ---- bootstrap: 2000 resamples, one x, four covariates, every row of the file ----------------------------
  const seconds = {};
  for (const n of [10_000, 100_000, 1_000_000]) {
    const file = exportOf(n);
    const args = [bin, 'correlate', file, '--x', 'alliance', '--y', 'distress', '--adjust', 'age,sex,baseline,expectation', '--bootstrap', '2000', '--seed', '1', '--format', 'json'];
    log(`bootstrap 2000 resamples, ${n} rows`);
    // One run at 10⁶ rows (minutes); the median of three below.
    seconds[n] = n >= 1_000_000 ? wall(node, args) : median([0, 1, 2].map(() => wall(node, args)));
  }
  const perRow = (n) => (seconds[n] / (2000 * n)) * 1e9;
  record(
    'bootstrap: 2000 resamples, one x, 4 covariates, 10⁴ / 10⁵ / 10⁶ rows (whole command)',
    'linear in rows (BCa jackknife from the full sample: no n² term)',
    `${fmt(seconds[10_000])} s / ${fmt(seconds[100_000])} s / ${fmt(seconds[1_000_000])} s = ${fmt(perRow(10_000), 0)} / ${fmt(perRow(100_000), 0)} / ${fmt(perRow(1_000_000), 0)} ns per row and resample`,
    seconds[1_000_000] / seconds[100_000] < 15,
  );

  // ---- power at n = 1e9 ----------------------------------------------------------------------------------------
  const power = median([0, 1, 2].map(() => wall(node, [bin, 'power', '--n', '1e9', '--k', '4', '--format', 'json'])));
  const powerR = median([0, 1, 2].map(() => wall(node, [bin, 'power', '--n', '1e9', '--r', '0.0001', '--format', 'json'])));
  record('power --n 1e9 (detectable r at 80%, 90%) / --n 1e9 --r 0.0001 (whole command)', 'about 1 s (was > 10 min)', `${fmt(power)} s / ${fmt(powerR)} s`, Math.max(power, powerR) < 1.5);

  // ---- validate vs score on 100,000 columns ------------------------------------------------------------------
  const width = 100_000;
  const wide = join(data, 'wide-100000-columns.csv');
  const head = Array.from({ length: width }, (_, j) => `c${j}`).join(',');
  const rows = Array.from({ length: 6 }, (_, i) => Array.from({ length: width }, (_, j) => (i * 7 + j * (i + 1)) % 10).join(','));
  writeFileSync(wide, [head, ...rows].join('\n') + '\n');
  const runs = { score: [], validate: [] };
  for (let round = 0; round < 5; round++) {
    runs.score.push(wall(node, [bin, 'score', wide]));
    // validate exits 1 (not a CanRelax export: five schema columns missing, each with its nearest names).
    const start = process.hrtime.bigint();
    spawnSync(node, [bin, 'validate', wide], { stdio: 'ignore' });
    runs.validate.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const score = median(runs.score);
  const validate = median(runs.validate);
  record('validate vs score, 100,000 columns × 6 rows', 'validate ≤ score (± noise; was 5 ×)', `${fmt(validate)} s vs ${fmt(score)} s = ${fmt(validate / score)} ×`, validate / score <= 1.25);
}
