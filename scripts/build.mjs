// Bundles the CLI with esbuild into CommonJS: dist/cli.js, plus one file per heavy dependency in dist/lib/.
//
// Start-up matters (users call the CLI in loops), and most of a bundle's cost is loading code a run never
// uses. So: CommonJS (Node loads it faster than ES modules); every subcommand's code sits behind a dynamic
// import() that esbuild turns into a lazy initialiser; and the heavy dependencies — the @stdlib distribution
// functions, the random generator, papaparse (needed only for quoted fields), cli-table3 and chalk (tables
// only) — are bundled into files of their own under dist/lib/, required by cli.js the first time a function
// needs them. vega and vega-lite, for `report` figures only, stay in node_modules.
// Runs on `npm ci` (prepare) and `npm run build`. NO_MINIFY=1 keeps names readable for profiling.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

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
const fileOf = (name) => `lib/${name.replace(/^@/, '').replace(/\//g, '__')}.js`;

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify, logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    external: ['vega', 'vega-lite'],
    define: { __VERSION__: JSON.stringify(pkg.version) },
    plugins: [
      {
        name: 'lazy-dependencies',
        setup(b) {
          const filter = new RegExp(`^(${LAZY.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
          b.onResolve({ filter }, (args) => ({ path: `./${fileOf(args.path)}`, external: true }));
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
  ...LAZY.map((name) => build({ ...common, entryPoints: [require.resolve(name)], outfile: `dist/${fileOf(name)}` })),
]);
