/**
 * Imports only run down the layers, and no file imports itself back through others (issue 10, "Must show").
 * A file may import its own folder and any lower rank; folders of equal rank may import each other. Every import
 * counts: `import`, `import type`, `export … from`, `require(…)`, `import(…)` (a type-only cycle is still a cycle).
 * A new folder or top-level file under src/ fails here until it is given a rank below.
 */
import { readFileSync, statSync } from 'node:fs';
import { SRC, sourceFiles } from '../helpers/source-files';
import * as path from 'node:path';
import * as ts from 'typescript';


const RANKS: Record<string, number> = {
  'errors.ts': 0,
  'version.ts': 0,
  'text.ts': 0,
  'options.ts': 0,
  stats: 1,
  io: 2,
  instruments: 2,
  data: 3,
  frame: 4,
  analyses: 5,
  render: 6,
  report: 7,
  cli: 8,
};

/** Module specifiers a source text imports, by any of the forms above (TypeScript's own scanner, comments and strings skipped). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** src-relative path with / separators, e.g. "cli/main.ts". */
const relative = (file: string): string => path.relative(SRC, file).split(path.sep).join('/');

/** The rank of a src-relative path: its top-level file or folder in RANKS, or undefined when it has none. */
function rankOf(file: string): number | undefined {
  return RANKS[file.split('/')[0]];
}

/** The src file a relative specifier names (x → x.ts or x/index.ts), or null for a package or node: import. */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(path.join(SRC, from)), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return relative(candidate);
    } catch {
      // not this form
    }
  }
  throw new Error(`${from}: import "${specifier}" names no file`);
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const from = relative(file);
    const targets = importsOf(readFileSync(file, 'utf8'))
      .map((specifier) => resolve(from, specifier))
      .filter((target): target is string => target !== null);
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle, each as the files around it (strongly connected components of more than one file, or a self-import). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

describe('the import reader', () => {
  test('sees every form of import, and none in comments or strings', () => {
    const text = [
      "import type { A } from './a';",
      'import { B } from "./b";',
      "export { C } from './c';",
      "export * from './d';",
      "export type { E } from './e';",
      "import './f';",
      "const g = require('./g');",
      "async function h() { return import('./h'); }",
      "type I = import('./i').I;",
      "// import { J } from './j';",
      "/* require('./k') */",
      "const l = \"import('./l')\";",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a', './b', './c', './d', './e', './f', './g', './h', './i']);
  });

  test('finds a cycle through three files, a self-import, and none in a tree', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
  });
});

describe('src/ layers', () => {
  const graph = importGraph();

  test('every file under src/ has a rank', () => {
    const unranked = [...graph.keys()].filter((file) => rankOf(file) === undefined);
    expect(unranked).toEqual([]);
  });

  test('no import runs from a lower rank to a higher one', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      for (const target of targets) {
        const a = rankOf(from);
        const b = rankOf(target);
        if (a !== undefined && b !== undefined && b > a) upward.push(`${from} (rank ${a}) imports ${target} (rank ${b})`);
      }
    }
    expect(upward.sort()).toEqual([]);
  });

  test('no import cycle', () => {
    expect(cycles(graph).map((component) => `cycle: ${component.join(', ')}`)).toEqual([]);
  });
});
