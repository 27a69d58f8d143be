/**
 * mathjs's expression parser alone: `create({ parseDependencies })` from the number-only build. This file is the one
 * place that imports mathjs, and expression.ts requires it inside a function, on the first expression, so that a
 * run without one never evaluates it. Imported as ES modules, the bundle keeps only `create`, the parse factory and
 * what they use (esbuild's tree shaking; mathjs declares no side effects): about a quarter of mathjs's number build.
 */
import { create, parseDependencies } from 'mathjs/number';

export const parse = create({ parseDependencies }).parse;
