/**
 * The achieved values of the simulator's calibration (README "Simulated data" → "Calibration"): draws n app-arm
 * rows of the default model (or of the model with the JSON overrides given) and prints, on the scored columns, the
 * subscale means and SDs, the partial correlations the published analysis reports (pooled and by sex), the subscale
 * correlations, and the WAI-I's three-factor CFA (stats/cfa.ts) factor correlations and standardized loadings.
 * The partial r of the alliance with distress is proportional to k_sex to first order, so k_new = k·target/achieved
 * (repeated) calibrates k_female and k_male.
 *
 *   node_modules/.bin/esbuild scripts/calibrate-simulation.ts --bundle --platform=node --outfile=/tmp/calibrate.js
 *   node /tmp/calibrate.js [--n 1000000] [--seed 1] ['{"alliance": {...}}']   (overrides merge into the defaults)
 */
import { simulateRowsWith, SIMULATION_PARAMETERS, type SimulationParameters } from '../src/data/simulate';
import { fitCfa, groupMoments, standardizedLoading } from '../src/stats/cfa';
import { CoMoments } from '../src/stats/moments';
import { partialR } from '../src/stats/partial';

function merge<T>(base: T, over: unknown): T {
  if (over === null || typeof over !== 'object' || Array.isArray(over)) return over as T;
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args.splice(at, 2)[1]);
};
const n = option('--n', 1_000_000);
const seed = option('--seed', 1);
const params: SimulationParameters = merge(structuredClone(SIMULATION_PARAMETERS) as SimulationParameters, args[0] ? JSON.parse(args[0]) : {});

const WAI = Array.from({ length: 12 }, (_, i) => 5 + i);
const KEY = { task: [1, 2, 10, 12], bond: [3, 5, 7, 9], goal: [4, 6, 8, 11] };
const cols = (items: number[]) => items.map((i) => 4 + i);
const T0 = Array.from({ length: 16 }, (_, i) => 17 + i);
const W10 = Array.from({ length: 16 }, (_, i) => 33 + i);

/** Built-in scoring rules: mean of the answered items when at least `min` are answered (README "Instruments"). */
function itemMean(row: string[], c: number[], min: number): number {
  let s = 0;
  let k = 0;
  for (const j of c) if (row[j] !== '') (s += Number(row[j])), k++;
  return k >= min ? s / k : NaN;
}
const phqads = (row: string[], c: number[]) => itemMean(row, c.slice(0, 9), 7) * 9 + itemMean(row, c.slice(9), 6) * 7;

// Variables: 0 task, 1 bond, 2 goal, 3 total, 4 d0, 5 d1, 6 male, 7 age, 8 expectation.
const all = new CoMoments(9);
const bySex = { female: new CoMoments(9), male: new CoMoments(9) };
const complete: Float64Array[] = [];
for (const row of simulateRowsWith({ n, seed }, { ...params, appShare: 1 })) {
  const items = Float64Array.from(WAI, (j) => (row[j] === '' ? NaN : Number(row[j])));
  if (items.every((v) => v === v)) complete.push(items);
  const v = [
    itemMean(row, cols(KEY.task), 3), itemMean(row, cols(KEY.bond), 3), itemMean(row, cols(KEY.goal), 3), itemMean(row, WAI, 9),
    phqads(row, T0), phqads(row, W10), row[2] === 'male' ? 1 : 0, Number(row[3]), Number(row[4]),
  ];
  if (v.some((x) => x !== x)) continue;
  all.add(v);
  bySex[row[2] as 'female' | 'male'].add(v);
}
const sd = (m: CoMoments, i: number) => Math.sqrt(m.m2[i * 9 + i] / (m.n - 1));
const f3 = (x: number | null) => (x === null ? 'NA' : x.toFixed(3));
console.log(`n = ${n} app-arm rows, seed ${seed}: ${all.n} scorable`);
for (const [name, i] of [['task', 0], ['bond', 1], ['goal', 2]] as const) console.log(`${name}: mean ${all.mean[i].toFixed(4)}, SD ${sd(all, i).toFixed(4)}`);
console.log(`total with week-10 PHQ-ADS | baseline, sex, age, expectation: ${f3(partialR(all, 3, 5, [4, 6, 7, 8]))}`);
console.log(`… females / males (| baseline, age, expectation): ${f3(partialR(bySex.female, 3, 5, [4, 7, 8]))} / ${f3(partialR(bySex.male, 3, 5, [4, 7, 8]))}`);
console.log(`task, goal, bond with week-10 PHQ-ADS: ${[0, 2, 1].map((i) => f3(partialR(all, i, 5, [4, 6, 7, 8]))).join(', ')}`);
console.log(`expectation with total | age, sex: ${f3(partialR(all, 8, 3, [7, 6]))}`);
console.log(`scored subscales task–bond, task–goal, bond–goal: ${[[0, 1], [0, 2], [1, 2]].map(([a, b]) => f3(partialR(all, a, b, []))).join(', ')}`);
const factors = Object.values(KEY).map((items) => items.map((i) => i - 1));
const fit = fitCfa({ items: 12, factors }, [groupMoments(complete, 12, Int32Array.from(complete.keys()))], { standardErrors: false });
const est = fit.groups[0];
const r = (a: number, b: number) => est.psi[a * 3 + b] / Math.sqrt(est.psi[a * 3 + a] * est.psi[b * 3 + b]);
console.log(`CFA (${complete.length} complete rows, ${fit.converged ? 'converged' : 'NOT converged'}): factor r task–bond ${f3(r(0, 1))}, task–goal ${f3(r(0, 2))}, bond–goal ${f3(r(1, 2))}`);
console.log(`standardized loadings: ${factors.map((items, f) => items.map((i) => standardizedLoading(est, i, f, 12, 3).toFixed(2)).join(' ')).join(' | ')}`);
