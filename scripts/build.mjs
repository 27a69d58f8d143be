// Bundles the CLI with esbuild into one CommonJS file, dist/cli.js, run by bin/canrelax-analyze, then writes
// V8's code cache for it. Runs on `npm ci` (prepare) and `npm run build`; NO_MINIFY=1 keeps names readable.
//
// vega and vega-lite (report figures only) stay outside the bundle and are required from node_modules when a
// report draws its first figure. Every other dependency is bundled; those a run may not need (@stdlib,
// cli-table3, chalk, node:crypto) are required inside the function that first uses them, which esbuild keeps
// as a lazy initialiser: their code is in dist/cli.js but runs only when called.
// So do the libraries of `report --figures png,pdf` and `--formats docx` (@resvg/resvg-js is a native module, pdfkit
// and the font package read files beside their code, docx is large): each is required only when its format is asked for.
// saxes (the XML parser of .xlsx input) stays outside too, required when a workbook is read.
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
// dist/math-parser.js, which cli.js requires on the first expression. Bundled as an entry point from mathjs's ES
// modules it keeps only `create` and the parse factory's dependencies, 144 kB; behind a lazy require inside cli.js,
// esbuild would keep 332 kB of mathjs (a module it wraps for a lazy require is not tree-shaken as far).
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

// The code cache (dist/cli.js.cache, read by bin/canrelax-analyze): one run of the command whose start-up the
// bench measures, so that the cache holds the functions that run compiled, not only the bundle's top level
// (a top-level-only cache measured 1.96 × node -e 0 against 1.74 × for this one, in one interleaved run).
const warm = spawnSync(
  process.execPath,
  [path('../bin/canrelax-analyze'), 'correlate', path('../examples/canrelax-synthetic.csv'), '--where', 'arm=app', '--adjust', 'age,sex,baseline,expectation', '--by', 'sex'],
  { env: { ...process.env, CANRELAX_WRITE_CACHE: '1' }, stdio: ['ignore', 'ignore', 'inherit'] },
);
if (warm.status !== 0) console.warn('build: the code cache was not written (the CLI works, only its start-up is slower)');
