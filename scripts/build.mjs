// Bundles the CLI with esbuild into one CommonJS file, dist/cli.js, which bin/canrelax-analyze requires.
// Runs on `npm ci` (prepare) and `npm run build`; NO_MINIFY=1 keeps names readable for profiling.
//
// vega and vega-lite (report figures only) stay outside the bundle and are required from node_modules when a
// report draws its first figure. Every other dependency is bundled; the few that a run may not need (@stdlib,
// papaparse, cli-table3, chalk) are required inside the function that first uses them, which esbuild keeps as a
// lazy initialiser: their code is in dist/cli.js but runs only when called.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: process.env.NO_MINIFY !== '1',
  external: ['vega', 'vega-lite'],
  logLevel: 'warning',
});

// V8's code cache for bin/canrelax-analyze: one run of the command whose start-up is measured (bench/run.mjs),
// so that the functions it compiled are saved with the bundle's top level. Only that one: every function in
// the cache is read on every run, so caching more commands makes the common case slower.
const warm = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('../bin/canrelax-analyze', import.meta.url)), 'correlate', fileURLToPath(new URL('../examples/canrelax-synthetic.csv', import.meta.url)), '--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation', '--by', 'sex'],
  { env: { ...process.env, CANRELAX_WRITE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'inherit'] },
);
if (warm.status !== 0) console.warn('build: the code cache was not written (the CLI works, only its start-up is slower)');
