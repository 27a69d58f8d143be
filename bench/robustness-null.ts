/**
 * Calibration of the robustness joint test under the null (a bench entry, not a test): data sets simulated with
 * no effect of x in any specification (y depends on two covariates, x on nothing), each run through the full
 * specification curve (4 covariate subsets × 2 methods × 2 influential-row rules = 16 specifications, 500 null
 * resamples); prints, as JSON, the share of data sets with each joint p below .05 and its Monte-Carlo SE.
 * Run by bench/run.mjs; alone: npx esbuild bench/robustness-null.ts --bundle --platform=node --outfile=/tmp/rn.js && node /tmp/rn.js [sets] [n]
 */
import { Dataset } from '../src/data/dataset';
import { chunksOf } from '../src/io/input';
import { robustness } from '../src/analyses/robustness';
import { covariateSubsets } from '../src/analyses/specifications';
import { createRandom } from '../src/stats/random';

const sets = Number(process.argv[2] ?? 200);
const n = Number(process.argv[3] ?? 100);

function nullData(seed: number): string {
  const rng = createRandom(seed);
  const lines = ['id,x,y,c1,c2'];
  for (let i = 0; i < n; i++) {
    const c1 = rng.normal();
    const c2 = rng.normal();
    lines.push(`r${i},${rng.normal()},${0.4 * c1 - 0.3 * c2 + rng.normal()},${c1},${c2}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const names = ['median_r_p', 'share_significant_p', 'stouffer_p'] as const;
  const below = { median_r_p: 0, share_significant_p: 0, stouffer_p: 0 };
  const start = process.hrtime.bigint();
  for (let s = 0; s < sets; s++) {
    const dataset = await Dataset.open('-', {}, { stdin: chunksOf(Buffer.from(nullData(10_000 + s))) });
    const output = await robustness(dataset, {
      x: ['x'],
      y: ['y'],
      dimensions: { covariates: covariateSubsets(['c1', 'c2']), method: ['pearson', 'spearman'], influential: ['kept', 'removed'] },
      nullSamples: 500,
      seed: s + 1,
      ciLevel: 0.95,
      alpha: 0.05,
      maxSpecs: 1024,
      ref: new Map(),
      categorical: new Set(),
      idColumn: 'id',
    });
    const joint = output.curves[0].joint;
    for (const name of names) if (joint[name]! < 0.05) below[name]++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const share = Object.fromEntries(names.map((name) => [name, below[name] / sets]));
  process.stdout.write(`${JSON.stringify({ sets, n, share, se: Math.sqrt((0.05 * 0.95) / sets), seconds })}\n`);
}

void main();
