// Tests that spawn bin/canrelax-analyze need the bundle of the current sources: build it once per run (≈0.2 s).
const { execFileSync } = require('node:child_process');
module.exports = () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: require('node:path').resolve(__dirname, '..'), stdio: 'inherit' });
};
