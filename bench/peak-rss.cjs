// Runs the CLI in this process and, at exit, writes its peak resident set size (kB) to the file named first:
// `node bench/peak-rss.cjs RSS_FILE <canrelax-analyze arguments…>`. Used by bench/run.mjs.
'use strict';
const { writeFileSync } = require('node:fs');
const [rssFile, ...args] = process.argv.slice(2);
process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
// Through bin/canrelax-analyze, as a user runs it (the files in dist/ are module functions only it loads).
process.argv = [process.argv[0], require.resolve('../bin/canrelax-analyze'), ...args];
require('../bin/canrelax-analyze');
