/**
 * One way to load a module (issue 19, "ordinary lazy loading"): static imports, and `await import('…')` where a heavy
 * part is chosen, each typed by the module itself. No `require(…)` call in src/, and no hand-written type for a
 * module: no `typeof import('…')` type, no cast of what a require or an import gives.
 */
import { readFileSync } from 'node:fs';
import { SRC, sourceFiles } from '../helpers/source-files';
import * as path from 'node:path';
import * as ts from 'typescript';


/** A call of `require` itself (`require.resolve` names a file, it loads nothing). */
const isRequireCall = (node: ts.Node): boolean => ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require';
const isDynamicImport = (node: ts.Node): boolean => ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;

/** What loads a module, looked through parentheses and `await`. */
function loads(node: ts.Node): boolean {
  let inner = node;
  while (ts.isParenthesizedExpression(inner) || ts.isAwaitExpression(inner)) inner = inner.expression;
  return isRequireCall(inner) || isDynamicImport(inner) || (ts.isPropertyAccessExpression(inner) && loads(inner.expression));
}

/** The places in a source text that load a module other than by a static or dynamic import, or type one by hand. */
export function loadingProblems(text: string, file = 'x.ts'): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const at = (node: ts.Node, what: string) => problems.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
  const visit = (node: ts.Node): void => {
    if (isRequireCall(node)) at(node, 'require() call');
    else if (ts.isImportTypeNode(node)) at(node, "typeof import('…') type");
    else if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && loads(node.expression)) at(node, 'cast of a loaded module');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

describe('the loading check', () => {
  test('finds each form it forbids, and passes static and dynamic imports', () => {
    expect(loadingProblems("const a = require('a') as { f(): void };")).toEqual(['x.ts:1 cast of a loaded module', 'x.ts:1 require() call']);
    expect(loadingProblems("let p: typeof import('./p') | null = null;")).toEqual(["x.ts:1 typeof import('…') type"]);
    expect(loadingProblems("async function f() { const m = (await import('./m')) as unknown as { g(): void }; }")).toEqual(['x.ts:1 cast of a loaded module']);
    expect(loadingProblems("async function f() { return (await import('./m')).parse as unknown as () => void; }")).toEqual(['x.ts:1 cast of a loaded module']);
    const fine = [
      "import { parse } from './p';",
      "import type { Hash } from 'node:crypto';",
      "async function f() { const { g } = await import('./m'); return g; }",
      "const font = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');",
      "// require('x') in a comment, and in a string: \"require('y')\"",
    ].join('\n');
    expect(loadingProblems(fine)).toEqual([]);
  });
});

test('src/ loads modules only by import, typed by the modules themselves', () => {
  const problems = sourceFiles(SRC).flatMap((file) => loadingProblems(readFileSync(file, 'utf8'), path.relative(SRC, file).split(path.sep).join('/')));
  expect(problems).toEqual([]);
});
