export { compilerFingerprint } from './compiler-fingerprint.js';
export { openPartialParse } from './partial-parse.js';
export type { ParseReport, PartialParse, Resolvers } from './partial-parse.js';
