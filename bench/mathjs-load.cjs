// The one-off cost of mathjs in a run with an expression: `node bench/mathjs-load.cjs subset|full` loads either the
// parser subset the CLI bundles (dist/lib/mathjs-parse.js: `create({ parseDependencies })` from mathjs/number, as
// src/data/expression.ts builds it) or the whole package (`require('mathjs')`), parses one expression, and prints
// {"ms", "heapMB", "rssMB"}: wall time and the growth of the V8 heap and of the resident set. Used by bench/run.mjs.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const vm = require('node:vm');
const Module = require('node:module');

const which = process.argv[2];
const before = process.memoryUsage();
const start = process.hrtime.bigint();
let parse;
if (which === 'subset') {
  // The files in dist/lib are wrapped module functions (scripts/build.mjs): run as bin/canrelax-analyze runs them.
  const filename = path.join(__dirname, '..', 'dist', 'lib', 'mathjs-parse.js');
  const module = { exports: {} };
  new vm.Script(fs.readFileSync(filename, 'utf8'), { filename }).runInThisContext()(module.exports, Module.createRequire(filename), module, filename, path.dirname(filename));
  const { create, parseDependencies } = module.exports;
  parse = create({ parseDependencies }).parse;
} else {
  parse = require('mathjs').parse;
}
parse("change = phqads_total_w10 - phqads_total_t0 and arm == 'app'");
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const after = process.memoryUsage();
process.stdout.write(JSON.stringify({ ms, heapMB: (after.heapUsed - before.heapUsed) / 1e6, rssMB: (after.rss - before.rss) / 1e6 }));
