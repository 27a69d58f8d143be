// mathjs's number-only build has mathjs's API and types (package.json "exports" maps both to types/index.d.ts),
// which TypeScript's "node" module resolution does not read: said here.
declare module 'mathjs/number' {
  export * from 'mathjs';
}
