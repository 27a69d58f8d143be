/**
 * Timing check for bootstrapPartial (not a test): 10,000 resamples, n = 117, 4 covariates.
 * Run: npx esbuild bench/bootstrap-timing.ts --bundle --platform=node --outfile=/tmp/bootstrap-timing.js && node /tmp/bootstrap-timing.js
 */
import { bootstrapPartial } from '../src/stats/bootstrap';
import { createRandom } from '../src/stats/random';

const n = 117;
const rng = createRandom(2024);
const covariates = Array.from({ length: 4 }, () => Float64Array.from({ length: n }, () => rng.normal()));
const x = Float64Array.from({ length: n }, (_, i) => covariates[0][i] + rng.normal());
const y = Float64Array.from({ length: n }, (_, i) => 0.5 * x[i] + covariates[1][i] + rng.normal());
const columns = [x, y, ...covariates];

for (const ranks of [false, true]) {
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    const result = bootstrapPartial(columns, 0, 1, [2, 3, 4, 5], { resamples: 10000, seed: run + 1, ranks });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${ranks ? 'spearman' : 'pearson '} run ${run + 1}: ${ms.toFixed(1)} ms`, JSON.stringify(result));
  }
}
