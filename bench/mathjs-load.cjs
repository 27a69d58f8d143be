// The one-off cost of mathjs in a run with an expression: `node bench/mathjs-load.cjs subset|full` loads either the
// parser subset the build writes (dist/math-parser.js: `create({ parseDependencies })` from mathjs/number, as
// src/data/math-parser.ts makes it) or the whole package (`require('mathjs')`), parses one expression, and prints
// {"ms", "heapMB", "rssMB"}: wall time and the growth of the V8 heap and of the resident set. Used by bench/run.mjs.
'use strict';
const path = require('node:path');

const which = process.argv[2];
const before = process.memoryUsage();
const start = process.hrtime.bigint();
let parse;
if (which === 'subset') {
  parse = require(path.join(__dirname, '..', 'dist', 'math-parser.js')).parse;
} else {
  parse = require('mathjs').parse;
}
parse("change = phqads_total_w10 - phqads_total_t0 and arm == 'app'");
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const after = process.memoryUsage();
process.stdout.write(JSON.stringify({ ms, heapMB: (after.heapUsed - before.heapUsed) / 1e6, rssMB: (after.rss - before.rss) / 1e6 }));
