// Bundles the CLI with esbuild into CommonJS: dist/cli.js, plus one file per heavy dependency in dist/lib/.
//
// Start-up matters (users call the CLI in loops), and most of a bundle's cost is loading code a run never
// uses. So: CommonJS (Node loads it faster than ES modules); every subcommand's code sits behind a dynamic
// import() that esbuild turns into a lazy initialiser; and the heavy dependencies — the @stdlib distribution
// functions, the random generator, papaparse (needed only for quoted fields), cli-table3 and chalk (tables
// only) — are bundled into files of their own under dist/lib/, required by cli.js the first time a function
// needs them. vega and vega-lite, for `report` figures only, and exceljs, for .xlsx input only, stay in node_modules.
// Finally the build runs a few typical commands once with CANRELAX_WRITE_CACHE=1, so that bin/canrelax-analyze
// can start from V8's compiled code (dist/cache/) instead of compiling the bundle on every run.
// Runs on `npm ci` (prepare) and `npm run build`. NO_MINIFY=1 keeps names readable for profiling.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { patchCellSource } from './shims/cli-table3-cell.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const minify = process.env.NO_MINIFY !== '1';

const LAZY = [
  'papaparse',
  'cli-table3',
  'chalk',
  '@stdlib/stats-base-dists-t-cdf',
  '@stdlib/stats-base-dists-t-quantile',
  '@stdlib/stats-base-dists-normal-cdf',
  '@stdlib/stats-base-dists-normal-quantile',
  '@stdlib/math-base-special-gammainc',
  '@stdlib/math-base-special-betainc',
  '@stdlib/random-base-mt19937',
];
// Packages used together share one file, so the @stdlib base modules they have in common are loaded once:
// correlate needs the t CDF and the normal CDF and quantile in every run.
const SHARED = { 'lib/stdlib-correlation.js': ['@stdlib/stats-base-dists-t-cdf', '@stdlib/stats-base-dists-normal-cdf', '@stdlib/stats-base-dists-normal-quantile'] };
const groupOf = (name) => Object.keys(SHARED).find((file) => SHARED[file].includes(name));
const fileOf = (name) => groupOf(name) ?? `lib/${name.replace(/^@/, '').replace(/\//g, '__')}.js`;

// cli-table3 measures every cell with string-width, which calls the emoji-regex and ansi-regex factories each
// time: a new RegExp per call (emoji-regex's from a 10 kB source, about 0.5 ms). The factories are pure and
// String.replace resets a global regex's lastIndex, so one instance per set of options serves every call: the
// same widths, without the cost.
const memoRegexFactories = {
  name: 'memo-regex-factories',
  setup(b) {
    b.onResolve({ filter: /^(emoji-regex|ansi-regex)$/ }, (args) => ({
      path: require.resolve(args.path, { paths: [args.resolveDir] }),
      namespace: 'memo-regex-factory',
    }));
    b.onLoad({ filter: /.*/, namespace: 'memo-regex-factory' }, (args) => ({
      contents:
        `const make = require(${JSON.stringify(args.path)}); const made = new Map();\n` +
        `module.exports = (options) => { const key = JSON.stringify(options ?? null); let regex = made.get(key);\n` +
        `  if (regex === undefined) made.set(key, (regex = make(options))); return regex; };`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

// string-width gets a shortcut for plain text (scripts/shims/string-width.cjs): the same widths, measured
// without the emoji regular expression for the cells that cannot contain one.
const plainStringWidth = {
  name: 'plain-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => ({
      path: require.resolve(args.path, { paths: [args.resolveDir] }),
      namespace: 'plain-string-width',
    }));
    b.onLoad({ filter: /.*/, namespace: 'plain-string-width' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(fileURLToPath(new URL('./shims/string-width.cjs', import.meta.url)))})(require(${JSON.stringify(args.path)}));`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

// cli-table3's per-cell option merge, made cheap (scripts/shims/cli-table3-cell.mjs): the same tables.
const cheapCellOptions = {
  name: 'cli-table3-cell-options',
  setup(b) {
    b.onLoad({ filter: /cli-table3[\\/]src[\\/]cell\.js$/ }, (args) => ({
      contents: patchCellSource(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
// Every file is written already wrapped as a CommonJS module function, which bin/canrelax-analyze compiles and
// calls itself: the source string is then read once, instead of read and copied into Module.wrap's wrapper
// (half a megabyte less for V8's young generation in a short run: one scavenge fewer, about 1 ms).
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify,
  logLevel: 'warning',
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '\n})' },
};

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    external: ['vega', 'vega-lite', 'exceljs'],
    define: { __VERSION__: JSON.stringify(pkg.version) },
    plugins: [
      {
        name: 'lazy-dependencies',
        setup(b) {
          const filter = new RegExp(`^(${LAZY.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
          // Each lazy dependency is its own file, loaded through bin/canrelax-analyze's cached loader (the
          // files are wrapped module functions that only that loader runs).
          b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-lib' }));
          b.onLoad({ filter: /.*/, namespace: 'lazy-lib' }, (args) => {
            const file = fileOf(args.path);
            const pick = groupOf(args.path) ? `[${JSON.stringify(args.path)}]` : '';
            return {
              contents: `module.exports = __canrelaxLoad(${JSON.stringify(file)})${pick};`,
              loader: 'js',
            };
          });
          // commander requires child_process at load for executable subcommands, which this CLI has none of:
          // give it a stub that loads the real module only if it is ever used (saves ~5 ms per run).
          b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
            args.importer.includes('commander') ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
          );
          b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
            contents: `module.exports = new Proxy({}, { get: (_, key) => require('node:${args.path}')[key] });`,
            loader: 'js',
          }));
        },
      },
    ],
  }),
  ...LAZY.filter((name) => !groupOf(name)).map((name) =>
    build({ ...common, entryPoints: [require.resolve(name)], outfile: `dist/${fileOf(name)}`, plugins: [memoRegexFactories, plainStringWidth, cheapCellOptions] }),
  ),
  ...Object.entries(SHARED).map(([file, names]) =>
    build({
      ...common,
      stdin: { contents: `module.exports = {${names.map((n) => `${JSON.stringify(n)}: require(${JSON.stringify(n)})`).join(', ')}};`, resolveDir: '.' },
      outfile: `dist/${file}`,
    }),
  ),
]);

// The bundles stay ASCII (esbuild escapes non-ASCII text, but not inside a regular expression literal): V8
// keeps an ASCII source as one byte a character, half the memory of a two-byte string, and reads it faster.
for (const file of ['cli.js', ...readdirSync(new URL('../dist/lib', import.meta.url)).map((f) => `lib/${f}`)]) {
  const at = readFileSync(new URL(`../dist/${file}`, import.meta.url)).findIndex((byte) => byte > 0x7f);
  if (at !== -1) console.warn(`build: dist/${file} has a non-ASCII character at byte ${at} (write it as a \\u escape in the source)`);
}

// Warm the code cache: one process runs the commands users run most, then writes what V8 compiled.
const warm = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/canrelax-analyze', import.meta.url)), '--warm-cache'], {
  env: { ...process.env, CANRELAX_WRITE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (warm.status !== 0) console.warn('build: the code cache was not written (the CLI still works, only its start-up is slower)');
