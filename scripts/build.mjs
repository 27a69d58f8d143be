// Bundles the CLI with esbuild into one CommonJS file, dist/cli.js, run by bin/canrelax-analyze, then writes
// V8's code cache for it. Runs on `npm ci` (prepare) and `npm run build`; NO_MINIFY=1 keeps names readable.
//
// Lazy loading is the source's own `await import(…)`, nothing else: cli/main.ts imports the module of the command a
// run names (all of them for the help listing), and a heavy part is imported where it is chosen — the SPSS and
// Excel readers for their input format and node:crypto for a hash (io/input.ts), correlate's --missing mi and
// --bootstrap engines (analyses/correlate*), mathjs's parser on the first expression (data/expression.ts), vega for
// a figure, the PNG/PDF and Word writers for their format (report/). Everything else is imported statically. In esbuild's CommonJS output every module reached by an
// import() is a lazy initialiser (`__esm`): its code is in dist/cli.js, compiled from the code cache, but its top
// level (and its static imports') runs on the first import() only. `supported: { 'dynamic-import': false }` makes
// esbuild turn import() of the external packages below into require() too (a real import() inside a vm.Script
// would need an ESM loader callback, and loads CommonJS packages more slowly).
//
// CommonJS and one file, not ESM with code splitting, by measurement (one interleaved run of 15, medians, this
// machine under load; CPU time of the process): correlate (example, 4 covariates, --by sex) and --help took
// 1.89 × and 1.59 × `node -e 0` as dist/cli.js with its code cache, 2.91 × and 2.84 × as 77 ESM chunks, which
// Node 20 compiles on every run (it has no compile cache for them: module.enableCompileCache is Node 22; a
// vm.Script takes a cache for one CommonJS file only).
//
// External (required from node_modules at their first import): vega and vega-lite (figures), @resvg/resvg-js (a
// native module), pdfkit and dejavu-fonts-ttf (they read files beside their code), svg-to-pdfkit, docx (large),
// fflate (docx's zip library, also the inflater of .xlsx input) and saxes (the XML parser of .xlsx input).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));

rmSync(path('../dist'), { recursive: true, force: true });
const common = {
  absWorkingDir: path('..'),
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  supported: { 'dynamic-import': false },
  minify: process.env.NO_MINIFY !== '1',
  logLevel: 'warning',
};
// mathjs's parser (src/data/math-parser.ts, for --compute and expression filters only) is a file of its own,
// dist/math-parser.js, which cli.js requires at expression.ts's import('./math-parser'). Bundled as an entry point
// from mathjs's ES modules it keeps only `create` and the parse factory's dependencies, 144 kB; as a lazily
// initialised module inside cli.js, esbuild keeps 407 kB of mathjs (cli.js 1,296 kB against 889 kB, minified: a
// module it wraps is not tree-shaken as far).
const mathParserApart = {
  name: 'math-parser-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/math-parser$/ }, () => ({ path: './math-parser.js', external: true }));
  },
};
await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    external: ['vega', 'vega-lite', '@resvg/resvg-js', 'pdfkit', 'svg-to-pdfkit', 'docx', 'dejavu-fonts-ttf', 'fflate', 'saxes'],
    plugins: [mathParserApart],
  }),
  build({ ...common, entryPoints: { 'math-parser': 'src/data/math-parser.ts' } }),
]);

// The code cache (dist/cli.js.cache, read by bin/canrelax-analyze): runs of the commands whose start-up the bench
// measures, so that the cache holds the functions that run compiled, not only the bundle's top level (a
// top-level-only cache measured 1.96 × node -e 0 against 1.74 × for this one, in one interleaved run). Each run
// starts from the cache the one before wrote and adds what it compiled: the `correlate` example, then `--help`,
// which initialises every command's modules (each module's top level is a function of its own in the bundle, compiled
// on first run: without this second run --help compiled them all and took 0.2 × node -e 0 more).
const warmRuns = [
  ['correlate', path('../examples/canrelax-synthetic.csv'), '--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation', '--by', 'sex'],
  ['--help'],
];
for (const args of warmRuns) {
  const warm = spawnSync(process.execPath, [path('../bin/canrelax-analyze'), ...args], {
    env: { ...process.env, CANRELAX_WRITE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (warm.status !== 0) console.warn(`build: the code cache run ${args[0]} failed (the CLI works, only its start-up is slower)`);
}
