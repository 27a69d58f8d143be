/** Jest runs the TypeScript sources directly (ts-jest, transpile only); `npm test` type-checks first with tsc. */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // CLI tests spawn the bundled binary; give them room on a 2-core CI machine.
  testTimeout: 60000,
  // Both cores: jest's default (cores − 1) runs the suite in one worker, about 6 CPU-minutes serially; the spawned
  // CLIs and the in-process tests overlap well on two.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/global-setup.js',
};
