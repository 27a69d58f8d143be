/**
 * Expressions: `--compute "change = phqads_total_w10 - phqads_total_t0"` and `--where "arm == 'app' and age >= 18"`.
 *
 * User text is parsed by mathjs's parser and never evaluated by mathjs: the node tree is walked here and compiled
 * into a closure over the row, and anything outside this grammar is refused (exit 2) with the character it stands at:
 *   constants   numbers, 'text' or "text", true, false
 *   columns     a name (column, score, earlier --compute, or role); a name that is not a symbol in `backticks`
 *   arithmetic  + - * / ^, unary - +
 *   comparison  == != < <= > >=
 *   logic       and, or, not
 *   functions   abs sqrt exp log log10 round floor ceil min max isMissing
 *   ( )         grouping; `name = …` only as the whole of a --compute, naming a new column
 * Refused: every other operator, function, assignment, function definition, property access, indexing, matrices,
 * ranges, conditionals, units, several expressions (`;` or `,`), and any name that is not a column. mathjs's
 * `evaluate`, `import`, `createUnit`, `parse` … are never reachable: they are not functions of this grammar.
 *
 * Semantics (R's, where R has one):
 * - A column is read as its cells say. `col == 'text'` and `col != 'text'` compare the cell's text exactly (as the
 *   simple --where form); `==`/`!=` against a number compare numbers when the cell is one, and a text cell is unequal
 *   to any number. `<` `<=` `>` `>=` against 'text' compare text by code point; anything else reads the column as
 *   numbers (a cell that is not one is an error naming line and column), as arithmetic does.
 * - Missing in, missing out: arithmetic, functions and comparisons with a missing value give missing; a result that is
 *   not a finite number (x / 0, log(0), sqrt(-1)) is missing too. `and`/`or` follow R's three-valued logic
 *   (missing and false = false, missing or true = true). isMissing(x) is true or false, never missing.
 * - A condition is true, false or missing; --where keeps the rows where it is true (a missing condition drops the
 *   row, as R's subset). A --compute of a condition stores 1 or 0.
 * - round(x) and round(x, digits) round as R ≥ 4.0.0 (halves to even; the nearer of the two decimal neighbours).
 * - `not` binds tighter than comparisons and arithmetic in mathjs (`not a == b` is `(not a) == b`, unlike R's `!`):
 *   an unparenthesised `not` as an operand is refused, write `not (a == b)`.
 *
 * mathjs is loaded once, on the first expression, and only its number-only parser (math-parser.ts, a file of its own
 * in the build): a run without an expression never loads it (README, "Expressions").
 */
import { UsageError, nearestNames, oneLine, option, shown, words, type Wording } from '../errors';
import type { RowAccess } from './where';

/** The columns an expression may name: index by name (column or role), and every name for hints. */
export interface ExpressionColumns {
  /** Column index of a name, or null when there is none (yet: a --compute sees the columns before it). */
  find(name: string): number | null;
  /** Names offered as the nearest to an unknown one. */
  names(): Iterable<string>;
}

/** A value of a row: a number, 1/0 for a condition's true/false, NaN for missing. */
export type RowFunction = (row: RowAccess) => number;

export interface CompiledCompute {
  /** The new column's name. */
  name: string;
  evaluate: RowFunction;
  /** Columns the expression reads. */
  columns: number[];
}

export interface CompiledCondition {
  /** 1 true, 0 false, NaN missing. */
  evaluate: RowFunction;
  columns: number[];
}

export const FUNCTIONS = ['abs', 'sqrt', 'exp', 'log', 'log10', 'round', 'floor', 'ceil', 'min', 'max', 'isMissing'] as const;

/**
 * Whether a --where text is an expression rather than the simple form (`arm=app,age>=18`, data/where.ts). Outside
 * quotes, it is one when it holds `==` or a backtick, the word and, or, not standing apart (between spaces or
 * parentheses), or a parenthesis before its first comparison (`(age > 18)`, `isMissing(age)`, `abs(x) > 2`). A
 * parenthesis inside a simple form's value (`site=Bern (CH)`) leaves it simple. Text valid in both forms (`age>=18`,
 * `arm!=app`) is the simple form, and the expression it reads as keeps the same rows.
 */
export function isExpression(text: string): boolean {
  const unquoted = text.replace(/'[^']*'|"[^"]*"/g, "''");
  const head = unquoted.slice(0, unquoted.search(/[=!<>]|$/));
  return /==|`/.test(unquoted) || /[()]/.test(head) || /(^|[\s()])(and|or|not)(?=[\s()]|$)/.test(unquoted);
}

// ---- parsing ---------------------------------------------------------------------------------------------------


/** The parts of mathjs's node types the compiler reads (MathNode's union, loosely). */
interface Node {
  type: string;
  name?: string;
  value?: unknown;
  op?: string;
  fn?: string | Node;
  args?: Node[];
  implicit?: boolean;
  content?: Node;
  object?: Node;
  index?: unknown;
}

interface Token {
  kind: 'word' | 'op' | 'text' | 'number';
  text: string;
  /** 0-based position in the text. */
  at: number;
}

/** An expression's text as given, its placeholders for `backticked` names, and its tokens (to point at a character). */
class Source {
  /** The text mathjs parses: each `name` replaced by a symbol of the same length, so positions stay the same. */
  readonly parsed: string;
  /** placeholder symbol → column name. */
  readonly quoted = new Map<string, string>();
  readonly tokens: Token[];

  constructor(
    readonly text: string,
    /** The option that gave it: `compute` or `where`. */
    readonly flag: 'compute' | 'where',
  ) {
    const spans: Array<{ start: number; end: number }> = [];
    let quote: string | null = null;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quote !== null) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '`') {
        const end = text.indexOf('`', i + 1);
        if (end === -1) throw this.error('the backtick is not closed, write `column name`', i);
        if (end === i + 1) throw this.error('empty `` names no column', i);
        spans.push({ start: i, end: end + 1 });
        i = end;
      }
    }
    const words = new Set(lex(text.replace(/`[^`]*`/g, (m) => ' '.repeat(m.length))).filter((t) => t.kind === 'word').map((t) => t.text));
    let parsed = text;
    spans.forEach(({ start, end }, k) => {
      const name = text.slice(start + 1, end - 1);
      let symbol: string | undefined;
      for (const mark of 'bcdefgh') {
        const id = mark + k.toString(36);
        const candidate = '_'.repeat(Math.max(0, end - start - id.length)) + id;
        if (candidate.length === end - start && !words.has(candidate) && !this.quoted.has(candidate)) {
          symbol = candidate;
          break;
        }
      }
      if (symbol === undefined) throw this.error('too many `quoted` names', start);
      this.quoted.set(symbol, name);
      parsed = parsed.slice(0, start) + symbol + parsed.slice(end);
    });
    this.parsed = parsed;
    this.tokens = lex(parsed);
  }

  /** A UsageError pointing at character `at` (0-based) of the expression. */
  error(what: Wording, at: number): UsageError {
    const from = Math.max(0, Math.min(at, this.text.length));
    const rest = this.text.slice(from);
    const excerpt = rest === '' ? 'at the end' : `"${shown(oneLine(rest.length > 24 ? `${rest.slice(0, 24)}…` : rest), 40)}"`;
    return new UsageError(words`${option(this.flag)} "${shown(oneLine(this.text), 80)}": ${what}, at character ${from + 1} (${excerpt})`);
  }

  /** Position of the nth token with this text (words and operators); else where the text first stands, or 0. */
  find(text: string, nth = 0): number {
    let seen = 0;
    for (const t of this.tokens) if ((t.kind === 'word' || t.kind === 'op') && t.text === text && seen++ === nth) return t.at;
    return Math.max(0, this.parsed.indexOf(text));
  }

  /** The column name a symbol stands for (a `quoted` name's placeholder, or itself). */
  nameOf(symbol: string): string {
    return this.quoted.get(symbol) ?? symbol;
  }

  /** The symbol as the user wrote it. */
  written(symbol: string): string {
    const name = this.quoted.get(symbol);
    return name === undefined ? symbol : `\`${name}\``;
  }

  /** Where a node starts, as far as the tokens tell (for refusals). */
  position(node: Node): number {
    switch (node.type) {
      case 'SymbolNode':
        return this.find(node.name!);
      case 'ConstantNode':
        return this.tokens.find((t) => t.text === String(node.value))?.at ?? 0;
      case 'FunctionNode':
        return typeof node.fn === 'object' ? this.position(node.fn) : 0;
      case 'FunctionAssignmentNode':
        return this.find(node.name!);
      case 'OperatorNode':
        if (node.implicit) return this.position(node.args![1]);
        return this.find(node.op!);
      case 'ParenthesisNode':
        return this.find('(');
      case 'AccessorNode':
      case 'IndexNode':
        return Math.min(...['.', '['].map((op) => this.find(op) || this.parsed.length));
      case 'ConditionalNode':
        return this.find('?');
      case 'RangeNode':
        return this.find(':');
      case 'ArrayNode':
        return this.find('[');
      case 'ObjectNode':
        return this.find('{');
      case 'BlockNode':
        return Math.min(...[';', ','].map((op) => this.find(op) || this.parsed.length), this.parsed.includes('\n') ? this.parsed.indexOf('\n') : this.parsed.length);
      case 'RelationalNode': {
        const ops = this.tokens.filter((t) => t.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.text));
        return ops[1]?.at ?? 0;
      }
      default:
        return 0;
    }
  }
}

/** Words, operators, quoted texts and numbers, with their positions (enough to point at a refused construct). */
function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const word = /[\p{L}_$][\p{L}\p{N}_$]*/uy;
  const number = /(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/iy;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      tokens.push({ kind: 'text', text: text.slice(i + 1, j), at: i });
      i = j + 1;
      continue;
    }
    word.lastIndex = i;
    number.lastIndex = i;
    const w = word.exec(text);
    const n = w === null ? number.exec(text) : null;
    if (w !== null || n !== null) {
      const m = (w ?? n)!;
      tokens.push({ kind: w !== null ? 'word' : 'number', text: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    const op = ['==', '!=', '<=', '>='].includes(two) ? two : ch;
    tokens.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  return tokens;
}

/**
 * Bounds on an expression's size, checked on its tokens before mathjs parses it: the parser and the compiler below
 * walk the tree recursively, and `a + a + … + a` with 2,000 terms (a tree 2,000 levels deep) overflowed the stack.
 * A sum of every item of a long questionnaire stays far below both.
 */
const MAX_OPERATORS = 500;
const MAX_NESTING = 50;

function checkSize(source: Source): void {
  let operators = 0;
  let depth = 0;
  for (const t of source.tokens) {
    if (t.kind === 'op' && '([{'.includes(t.text)) {
      if (++depth > MAX_NESTING) throw source.error(`brackets nested deeper than ${MAX_NESTING} levels`, t.at);
    } else if (t.kind === 'op' && ')]}'.includes(t.text)) depth--;
    else if ((t.kind === 'op' && t.text !== ',') || (t.kind === 'word' && ['and', 'or', 'not'].includes(t.text))) {
      if (++operators > MAX_OPERATORS) throw source.error(words`more than ${MAX_OPERATORS} operators, split it into several ${option('compute')} steps`, t.at);
    }
  }
}

/** The expression's tree by mathjs's parser (math-parser.ts), imported here: a run without an expression never loads it. */
async function parse(source: Source): Promise<Node> {
  checkSize(source);
  const mathjs = await import('./math-parser');
  try {
    return mathjs.parse(source.parsed) as unknown as Node;
  } catch (error) {
    const e = error as Error & { char?: number };
    let reason = e.message.replace(/\s*\(char \d+\)\s*$/, '').replace(/ in part "[^"]*"/, '');
    // mathjs's word for a character it has no rule for: most often a column name that is not a symbol.
    if (reason === 'Syntax error') reason = 'unexpected character (a column name that is not a symbol goes in backticks: `wai 1`)';
    // mathjs counts characters from 1.
    throw source.error(`syntax error: ${reason}`, typeof e.char === 'number' ? e.char - 1 : 0);
  }
}

// ---- compiling -------------------------------------------------------------------------------------------------

/** A compiled node: a number or a condition (closures), a text constant, or a column (read as its use needs). */
type Compiled =
  | { kind: 'number' | 'condition'; fn: RowFunction }
  | { kind: 'text'; text: string }
  | { kind: 'column'; column: number; name: string };

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
};
const ORDERED: Record<string, (order: number) => boolean> = {
  smaller: (o) => o < 0,
  smallerEq: (o) => o <= 0,
  larger: (o) => o > 0,
  largerEq: (o) => o >= 0,
};
const ALLOWED_OPERATORS = '+ - * / ^ == != < <= > >= and or not';

/** Not a finite number → missing. */
const finite = (x: number): number => (Number.isFinite(x) ? x : NaN);
/** A number as a condition: missing stays missing, 0 is false, anything else true. */
const truth = (x: number): number => (x !== x ? NaN : x === 0 ? 0 : 1);
const order = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * R's round (≥ 4.0.0, src/nmath/fround.c): digits 0 rounds halves to even (IEC 60559); otherwise the nearer of the
 * two neighbours with `digits` decimals, a tie to the even last digit; x unchanged when it has no more digits than that.
 */
export function roundR(x: number, digits = 0): number {
  if (Number.isNaN(x) || Number.isNaN(digits)) return NaN;
  if (!Number.isFinite(x) || x === 0) return x;
  const dig = Math.floor(digits + 0.5);
  if (dig === 0) {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  }
  if (x < 0) return -roundR(-x, dig);
  if (dig > 308 + 15) return x;
  if (dig > 0 && Math.LOG10E * Math.LN2 * (0.5 + Math.floor(Math.log2(x))) + dig > 15) return x;
  if (dig > 0) {
    const p10 = 10 ** dig;
    const xd = x * p10;
    const i10 = Math.floor(xd);
    const down = i10 / p10;
    const up = Math.ceil(xd) / p10;
    const du = up - x;
    const dd = x - down;
    return du < dd || (du === dd && i10 % 2 === 1) ? up : down;
  }
  const p10 = 10 ** -dig;
  const xd = x / p10;
  const i10 = Math.floor(xd);
  const down = i10 * p10;
  const up = Math.ceil(xd) * p10;
  const du = up - x;
  const dd = x - down;
  return du < dd || (du === dd && i10 % 2 === 1) ? up : down;
}

/** One-argument functions: the value, missing in → missing out. */
const UNARY: Record<string, (x: number) => number> = {
  abs: Math.abs,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  floor: Math.floor,
  ceil: Math.ceil,
};

class Compiler {
  readonly columns = new Set<number>();

  constructor(
    private readonly source: Source,
    private readonly available: ExpressionColumns,
  ) {}

  private refuse(what: string, node: Node): UsageError {
    return this.source.error(what, this.source.position(node));
  }

  compile(node: Node): Compiled {
    switch (node.type) {
      case 'ConstantNode':
        return this.constant(node);
      case 'SymbolNode':
        return this.symbol(node);
      case 'ParenthesisNode':
        return this.compile(node.content!);
      case 'OperatorNode':
        return this.operator(node);
      case 'FunctionNode':
        return this.call(node);
      case 'AssignmentNode': {
        // Inside a --compute, the first = is the new column's.
        const where = this.source.flag === 'where';
        throw this.source.error(
          where ? 'assignment (=) is not allowed, compare with ==' : 'only one assignment, the new column at the start, is allowed',
          this.source.find('=', where ? 0 : 1),
        );
      }
      case 'FunctionAssignmentNode':
        throw this.refuse('function definitions are not allowed', node);
      case 'AccessorNode':
      case 'IndexNode':
        throw this.refuse('property access and indexing are not allowed (a column name holding "." or "[" goes in backticks: `wai.1`)', node);
      case 'ConditionalNode':
        throw this.refuse('the conditional ?: is not allowed', node);
      case 'RelationalNode':
        throw this.refuse('chained comparisons are not allowed, write a < b and b < c', node);
      case 'BlockNode':
        throw this.refuse('one expression only (join conditions with and)', node);
      case 'ArrayNode':
      case 'ObjectNode':
      case 'RangeNode':
        throw this.refuse('matrices, objects and ranges are not allowed', node);
      default:
        throw this.refuse(`${node.type.replace(/Node$/, '').toLowerCase()} is not allowed`, node);
    }
  }

  private constant(node: Node): Compiled {
    const v = node.value;
    if (typeof v === 'string') return { kind: 'text', text: v };
    if (typeof v === 'boolean') {
      const x = v ? 1 : 0;
      return { kind: 'condition', fn: () => x };
    }
    if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'number', fn: () => v };
    throw this.refuse(`${String(v)} is not allowed, test a missing value with isMissing(column)`, node);
  }

  private symbol(node: Node): Compiled {
    const name = this.source.nameOf(node.name!);
    const column = this.available.find(name);
    if (column === null) {
      const near = nearestNames(name, this.available.names());
      const quote = this.source.flag === 'where' ? `; text goes in quotes ('${shown(name, 30)}')` : '';
      throw this.refuse(
        `unknown column ${this.source.written(node.name!)}${near.length ? ` (nearest: ${near.join(', ')})` : ''}${quote}; a name that is not a symbol goes in backticks`,
        node,
      );
    }
    this.columns.add(column);
    return { kind: 'column', column, name };
  }

  /** A compiled node as a number: a column read as numbers (a text cell is an error), a condition as 1/0. */
  number(c: Compiled, node: Node): RowFunction {
    if (c.kind === 'text') throw this.refuse(`the text '${shown(c.text, 30)}' is not a number`, node);
    if (c.kind === 'column') {
      const column = c.column;
      return (row) => row.num(column);
    }
    return c.fn;
  }

  /** A compiled node as a condition: numbers are true unless 0 (as R's as.logical). */
  condition(c: Compiled, node: Node): RowFunction {
    if (c.kind === 'condition') return c.fn;
    const f = this.number(c, node);
    return (row) => truth(f(row));
  }

  private operands(node: Node): Array<{ node: Node; compiled: Compiled }> {
    return node.args!.map((arg) => {
      if (arg.type === 'OperatorNode' && arg.fn === 'not' && node.fn !== 'not' && node.fn !== 'and' && node.fn !== 'or') {
        throw this.refuse(`not binds tighter than ${node.op}: write not (…) around what it negates`, arg);
      }
      return { node: arg, compiled: this.compile(arg) };
    });
  }

  private operator(node: Node): Compiled {
    const fn = node.fn as string;
    if (node.implicit) throw this.refuse('two terms without an operator between them (write *, or put a name with spaces in backticks)', node);
    const binary = ARITHMETIC[fn];
    if (binary !== undefined) {
      const [a, b] = this.operands(node).map((o) => this.number(o.compiled, o.node));
      return { kind: 'number', fn: (row) => finite(binary(a(row), b(row))) };
    }
    if (fn === 'unaryMinus' || fn === 'unaryPlus') {
      const [o] = this.operands(node);
      const a = this.number(o.compiled, o.node);
      return { kind: 'number', fn: fn === 'unaryMinus' ? (row) => -a(row) : a };
    }
    if (fn === 'equal' || fn === 'unequal') return { kind: 'condition', fn: this.equality(node, fn === 'equal') };
    const holds = ORDERED[fn];
    if (holds !== undefined) return { kind: 'condition', fn: this.ordered(node, holds) };
    if (fn === 'not') {
      const [o] = this.operands(node);
      const a = this.condition(o.compiled, o.node);
      return { kind: 'condition', fn: (row) => 1 - a(row) };
    }
    if (fn === 'and' || fn === 'or') {
      const [a, b] = this.operands(node).map((o) => this.condition(o.compiled, o.node));
      // R's three-valued logic; the right side is not read when the left decides (a text age in a row `arm == 'x'`
      // already rules out is no error, as with the simple form's comma).
      const decides = fn === 'and' ? 0 : 1;
      return {
        kind: 'condition',
        fn: (row) => {
          const x = a(row);
          if (x === decides) return decides;
          const y = b(row);
          if (y === decides) return decides;
          return x !== x || y !== y ? NaN : 1 - decides;
        },
      };
    }
    throw this.refuse(`operator ${node.op} is not allowed (operators: ${ALLOWED_OPERATORS})`, node);
  }

  /** == and !=: text against a column's cell text; numbers when both sides are; a text cell is unequal to a number. */
  private equality(node: Node, equal: boolean): RowFunction {
    const [a, b] = this.operands(node).map((o) => o.compiled);
    const yes = equal ? 1 : 0;
    const no = 1 - yes;
    if (a.kind === 'text' && b.kind === 'text') {
      const r = a.text === b.text ? yes : no;
      return () => r;
    }
    if (a.kind === 'text' || b.kind === 'text') {
      const [text, other] = a.kind === 'text' ? [a, b] : [b, a];
      if (other.kind !== 'column') throw this.refuse(`compares a number with the text '${shown((text as { text: string }).text, 30)}'`, node);
      const column = other.column;
      const t = (text as { text: string }).text;
      return (row) => (row.isMissing(column) ? NaN : row.textEquals(column, t) ? yes : no);
    }
    if (a.kind === 'column' && b.kind === 'column') {
      const [x, y] = [a.column, b.column];
      return (row) => {
        if (row.isMissing(x) || row.isMissing(y)) return NaN;
        const nx = row.tryNum(x);
        const ny = row.tryNum(y);
        if (nx !== null && ny !== null) return nx === ny ? yes : no;
        if (nx === null && ny === null) return row.text(x) === row.text(y) ? yes : no;
        return no;
      };
    }
    if (a.kind === 'column' || b.kind === 'column') {
      const [col, other] = a.kind === 'column' ? [a, b] : [b, a];
      const column = (col as { column: number }).column;
      const f = (other as { fn: RowFunction }).fn;
      return (row) => {
        const v = f(row);
        if (v !== v || row.isMissing(column)) return NaN;
        const n = row.tryNum(column);
        return n === null ? no : n === v ? yes : no;
      };
    }
    const [f, g] = [(a as { fn: RowFunction }).fn, (b as { fn: RowFunction }).fn];
    return (row) => {
      const x = f(row);
      const y = g(row);
      return x !== x || y !== y ? NaN : x === y ? yes : no;
    };
  }

  /** < <= > >=: a column against 'text' compares the cell's text; anything else compares numbers. */
  private ordered(node: Node, holds: (order: number) => boolean): RowFunction {
    const ops = this.operands(node);
    const [a, b] = ops.map((o) => o.compiled);
    if (a.kind === 'text' || b.kind === 'text') {
      const text = (c: Compiled, at: Node): ((row: RowAccess) => string | null) => {
        if (c.kind === 'text') return () => c.text;
        if (c.kind === 'column') {
          const column = c.column;
          return (row) => (row.isMissing(column) ? null : row.text(column));
        }
        throw this.refuse(`compares a number with text`, at);
      };
      const [x, y] = [text(a, ops[0].node), text(b, ops[1].node)];
      return (row) => {
        const s = x(row);
        const t = y(row);
        return s === null || t === null ? NaN : holds(order(s, t)) ? 1 : 0;
      };
    }
    const [f, g] = ops.map((o) => this.number(o.compiled, o.node));
    return (row) => {
      const x = f(row);
      const y = g(row);
      return x !== x || y !== y ? NaN : holds(order(x, y)) ? 1 : 0;
    };
  }

  private call(node: Node): Compiled {
    const callee = node.fn as Node;
    const name = callee.type === 'SymbolNode' ? callee.name! : null;
    if (name === null || !(FUNCTIONS as readonly string[]).includes(name)) {
      throw this.refuse(`${name === null ? 'this call' : `function ${this.source.written(name)}`} is not allowed (functions: ${FUNCTIONS.join(', ')})`, node);
    }
    const args = node.args!;
    const arity = (min: number, max: number) => {
      if (args.length < min || args.length > max) {
        const count = min === max ? `${min}` : max === Infinity ? `${min} or more` : `${min} or ${max}`;
        throw this.refuse(`${name} takes ${count} argument${min === 1 && max === 1 ? '' : 's'}, got ${args.length}`, node);
      }
    };
    if (name === 'isMissing') {
      arity(1, 1);
      const c = this.compile(args[0]);
      if (c.kind === 'text') return { kind: 'condition', fn: () => 0 };
      if (c.kind === 'column') {
        const column = c.column;
        return { kind: 'condition', fn: (row) => (row.isMissing(column) ? 1 : 0) };
      }
      const f = c.fn;
      return { kind: 'condition', fn: (row) => (Number.isNaN(f(row)) ? 1 : 0) };
    }
    const numbers = (): RowFunction[] => args.map((arg) => this.number(this.compile(arg), arg));
    const unary = UNARY[name];
    if (unary !== undefined) {
      arity(1, 1);
      const [f] = numbers();
      return { kind: 'number', fn: (row) => finite(unary(f(row))) };
    }
    if (name === 'round') {
      arity(1, 2);
      const [f, d] = numbers();
      return { kind: 'number', fn: d === undefined ? (row) => roundR(f(row)) : (row) => roundR(f(row), d(row)) };
    }
    // min, max: missing when any argument is (R's default na.rm = FALSE).
    arity(1, Infinity);
    const fs = numbers();
    const pick = name === 'min' ? Math.min : Math.max;
    return { kind: 'number', fn: (row) => pick(...fs.map((f) => f(row))) };
  }
}

// ---- the two uses ----------------------------------------------------------------------------------------------

/** The new column a --compute names, read before its expression is compiled (every name is known up front). */
export async function computedName(text: string): Promise<string> {
  const source = new Source(text, 'compute');
  return assigned(source, await parse(source));
}

function assigned(source: Source, root: Node): string {
  if (root.type !== 'AssignmentNode' || root.object?.type !== 'SymbolNode' || root.index != null) {
    const at = root.type === 'AssignmentNode' ? 0 : source.position(root);
    throw source.error(words`a ${option('compute')} is NAME = expression, e.g. change = phqads_total_w10 - phqads_total_t0`, at);
  }
  return source.nameOf(root.object.name!);
}

/** Compiles `NAME = expression` over the columns before it; NAME must be new (computedName told it). */
export async function compileCompute(text: string, available: ExpressionColumns): Promise<CompiledCompute> {
  const source = new Source(text, 'compute');
  const root = await parse(source);
  const name = assigned(source, root);
  const compiler = new Compiler(source, available);
  const value = root.value as unknown as Node;
  const result = compiler.compile(value);
  const evaluate = result.kind === 'condition' ? result.fn : compiler.number(result, value);
  return { name, evaluate, columns: [...compiler.columns] };
}

/** Compiles a --where expression: a condition, true, false or missing per row. */
export async function compileCondition(text: string, available: ExpressionColumns): Promise<CompiledCondition> {
  const source = new Source(text, 'where');
  const root = await parse(source);
  if (root.type === 'AssignmentNode') throw source.error('assignment (=) is not allowed in an expression, compare with ==', source.find('='));
  const compiler = new Compiler(source, available);
  const result = compiler.compile(root);
  if (result.kind !== 'condition') {
    throw source.error(words`${option('where')} needs a condition (a comparison, isMissing(), and, or, not), e.g. flag == 1`, source.position(root));
  }
  return { evaluate: result.fn, columns: [...compiler.columns] };
}
