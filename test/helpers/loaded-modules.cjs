// Preloaded (node -r) by test/cli/lazy-parts.test.ts: at exit, writes to the file LOADED_MODULES_FILE the Node
// built-ins the run loaded and the files it required (the bundle's externals and dist/math-parser.js), as JSON.
const { writeFileSync } = require('node:fs');
const Module = require('node:module');

const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  writeFileSync(process.env.LOADED_MODULES_FILE, JSON.stringify({ builtins, files: Object.keys(Module._cache) }));
});
