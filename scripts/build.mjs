// Bundles the CLI with esbuild: one ESM entry plus lazily loaded chunks, so `--help` and `correlate`
// never parse the code of `report` (vega) or `model`. Runs on `npm ci` (prepare) and `npm run build`.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // vega is large and only `report` needs it: load it from node_modules at run time.
  external: ['vega', 'vega-lite'],
  define: { __VERSION__: JSON.stringify(pkg.version) },
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
