/** The package version: injected by the bundler (scripts/build.mjs), read from package.json under jest. */
declare const __VERSION__: string;
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : require('../package.json').version;
