/**
 * --compute and expression --where (src/data/expression.ts) through Dataset: values worked by hand (the formula in
 * each test), R's values for round (R 4.x, quoted), and the refusals of the sandbox, each one line pointing at a character.
 */
import { flagName } from '../../src/cli/flag-name';
import { Dataset, type DataOptions } from '../../src/data/dataset';
import { isExpression, roundR } from '../../src/data/expression';
import { chunksOf } from '../../src/io/input';
import { CliError, UsageError } from '../../src/errors';

// a, b, c numbers (row 3: a missing, row 4: c is 0); arm text; code as written ("01" and "1"); `wai 1` a name with a space.
const CSV = `id,a,b,c,arm,code,wai 1
r1,2,3,4,app,01,5
r2,-1.5,0.5,2,waitlist,1,6
r3,,3,1,app,x,7
r4,9,-2,0,,2,
`;

const open = (options: DataOptions, csv = CSV) => Dataset.open('-', { instrument: [], ...options }, { stdin: chunksOf(Buffer.from(csv, 'utf8')) });

/** The last computed column of every row kept (NaN = missing). */
async function values(compute: string[], where?: string, csv?: string): Promise<number[]> {
  const dataset = await open({ compute, where }, csv);
  const column = dataset.columns.length - 1;
  const out: number[] = [];
  await dataset.forEach((row) => out.push(row.values[column]));
  return out;
}

async function kept(where: string, options: DataOptions = {}, csv?: string): Promise<string[]> {
  const dataset = await open({ where, ...options }, csv);
  const ids: string[] = [];
  await dataset.forEach((row) => ids.push(row.text(0)));
  return ids;
}

async function refusal(options: DataOptions, csv?: string): Promise<UsageError> {
  try {
    await open(options, csv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('\n');
    return error as UsageError;
  }
  throw new Error('not refused');
}

const y = (expr: string) => [`y = ${expr}`];

describe('arithmetic and missing values', () => {
  test('the four operations and powers, row by row', async () => {
    // r1: 2 + 3·4 = 14; r2: −1.5 + 0.5·2 = −0.5; r3: a missing; r4: 9 + (−2)·0 = 9
    expect(await values(y('a + b * c'))).toEqual([14, -0.5, NaN, 9]);
    // (2 + 3)·4 = 20; (−1.5 + 0.5)·2 = −2; r4: 7·0 = 0
    expect(await values(y('(a + b) * c'))).toEqual([20, -2, NaN, 0]);
    // 2 − 3 − 4 = −5 (left to right)
    expect((await values(y('a - b - c')))[0]).toBe(-5);
    // x / 0 is not a finite number: missing (r4: 9 / 0)
    expect(await values(y('a / c'))).toEqual([0.5, -0.75, NaN, NaN]);
  });

  test('precedence: ^ over unary minus, right to left; * over +; comparisons under arithmetic', async () => {
    // −a^2 = −(a²): r1 −4 (as R: -2^2 is -4); 2^3^2 = 2^9 = 512 (right to left, as R)
    expect((await values(y('-a^2')))[0]).toBe(-4);
    expect((await values(y('2^3^2')))[0]).toBe(512);
    // a + b > c is (a + b) > c: r1 5 > 4 → 1; r2 −1 > 2 → 0
    expect((await values(y('a + b > c'))).slice(0, 2)).toEqual([1, 0]);
    // and binds tighter than or: true or (false and false) = 1
    expect((await values(y('a > 0 or a > 5 and b > 5')))[0]).toBe(1);
  });

  test('missing in, missing out; conditions stored as 1/0; isMissing never missing', async () => {
    expect(await values(y('a * 0'))).toEqual([0, -0, NaN, 0]);
    expect(await values(y('a > 0'))).toEqual([1, 0, NaN, 1]);
    expect(await values(y('isMissing(a)'))).toEqual([0, 0, 1, 0]);
    expect(await values(y('isMissing(a * b)'))).toEqual([0, 0, 1, 0]);
    // wai 1 is empty in r4
    expect(await values(y('`wai 1` * 2'))).toEqual([10, 12, 14, NaN]);
  });

  test("R's three-valued logic: missing and false is false, missing or true is true", async () => {
    // r3: a missing. a > 0 and b > 5 → NA & FALSE = FALSE; a > 0 or b > 0 → NA | TRUE = TRUE; a > 0 and b > 0 → NA
    expect((await values(y('a > 0 and b > 5')))[2]).toBe(0);
    expect((await values(y('a > 0 or b > 0')))[2]).toBe(1);
    expect((await values(y('a > 0 and b > 0')))[2]).toBeNaN();
    expect((await values(y('a > 0 or b > 5')))[2]).toBeNaN();
    expect((await values(y('not (a > 0)')))).toEqual([0, 1, NaN, 0]);
  });

  test('computed columns in order: a later one may use an earlier one', async () => {
    expect(await values(['s = a + b', 'y = s * 2'])).toEqual([10, -2, NaN, 14]);
  });
});

describe('functions (every one of the whitelist)', () => {
  test.each([
    ['abs(b)', [3, 0.5, 3, 2]],
    ['sqrt(c)', [2, Math.SQRT2, 1, 0]],
    // sqrt of a negative number is not a number: missing
    ['sqrt(b)', [Math.sqrt(3), Math.sqrt(0.5), Math.sqrt(3), NaN]],
    ['exp(c)', [Math.exp(4), Math.exp(2), Math.E, 1]],
    // log(0) = −Inf: missing
    ['log(c)', [Math.log(4), Math.LN2, 0, NaN]],
    ['log10(c * 25)', [2, Math.log10(50), Math.log10(25), NaN]],
    ['floor(a)', [2, -2, NaN, 9]],
    ['ceil(a)', [2, -1, NaN, 9]],
    ['min(a, b, c)', [2, -1.5, NaN, -2]],
    ['max(a, b, c)', [4, 2, NaN, 9]],
    ['min(b)', [3, 0.5, 3, -2]],
    ['round(b * 5)', [15, 2, 15, -10]],
    ['isMissing(arm)', [0, 0, 0, 1]],
  ])('%s', async (expr, want) => {
    expect(await values(y(expr))).toEqual(want);
  });

  test("round as R's: halves to even, the nearer decimal neighbour (values from R 4.x)", () => {
    // R: round(2.5) 2, round(-2.5) -2, round(0.5) 0, round(1.5) 2, round(5.5) 6, round(-0.5) -0
    expect([2.5, -2.5, 0.5, 1.5, 5.5].map((x) => roundR(x))).toEqual([2, -2, 0, 2, 6]);
    // R: round(0.15, 1) 0.1; round(2.675, 2) 2.67; round(-1.005, 2) -1; round(2.345, 2) 2.35; round(1234.5678, -2) 1200
    expect(roundR(0.15, 1)).toBe(0.1);
    expect(roundR(2.675, 2)).toBe(2.67);
    expect(roundR(-1.005, 2)).toBe(-1);
    expect(roundR(2.345, 2)).toBe(2.35);
    expect(roundR(1234.5678, -2)).toBe(1200);
  });

  test('round(x, digits) in an expression', async () => {
    // r2: −1.5 / 0.5·… : round(a / 3, 2): 0.67, −0.5, NA, 3
    expect(await values(y('round(a / 3, 2)'))).toEqual([0.67, -0.5, NaN, 3]);
  });
});

describe('text and numbers in comparisons', () => {
  test("== 'text' compares the cell's text (not as numbers: '01' is not '1'); == 1 compares numbers", async () => {
    expect(await kept("code == '01'")).toEqual(['r1']);
    expect(await kept("code == '1'")).toEqual(['r2']);
    // "01" and "1" are both the number 1; "x" is text, unequal to any number
    expect(await kept('code == 1')).toEqual(['r1', 'r2']);
    expect(await kept('code != 1')).toEqual(['r3', 'r4']);
  });

  test('a comparison with a missing value is missing, and --where drops the row (as subset in R)', async () => {
    // r4's arm is empty: neither == nor != keeps it
    expect(await kept("arm == 'app'")).toEqual(['r1', 'r3']);
    expect(await kept("arm != 'app'")).toEqual(['r2']);
    expect(await kept("isMissing(arm) or arm == 'waitlist'")).toEqual(['r2', 'r4']);
    expect(await kept('a > 0')).toEqual(['r1', 'r4']);
    expect(await kept('not (a > 0)')).toEqual(['r2']);
  });

  test("ordered comparisons against 'text' compare text by code point", async () => {
    expect(await kept("arm < 'b'")).toEqual(['r1', 'r3']);
  });

  test('--where on a computed column, and the computed columns of the rows kept', async () => {
    expect(await kept('s > 4', { compute: ['s = a + b'] })).toEqual(['r1', 'r4']);
    expect(await kept('s=7', { compute: ['s = a + b'] })).toEqual(['r4']);
    expect(await values(['s = a + b'], "arm == 'app'")).toEqual([5, NaN]);
  });

  test('a column named like a keyword or with a space goes in backticks', async () => {
    expect(await kept('`wai 1` >= 6')).toEqual(['r2', 'r3']);
  });
});

describe('the simple form and the expression keep the same rows', () => {
  test.each([
    ['arm=app', "arm == 'app'"],
    ['arm!=app', "arm != 'app'"],
    ['a>=2', 'a >= 2'],
    ['a<9,b>0', 'a < 9 and b > 0'],
    ['code=1', 'code == 1'],
    ["code='01'", "code == '01'"],
    ['arm<b', "arm < 'b'"],
  ])('%s ≡ %s', async (simple, expression) => {
    expect(isExpression(simple)).toBe(false);
    expect(isExpression(expression)).toBe(expression.includes('==') || expression.includes(' and ') || expression.includes('('));
    expect(await kept(simple)).toEqual(await kept(`(${expression})`));
  });

  test('what makes a filter an expression: ==, parentheses, backticks, and/or/not outside quotes', () => {
    const simple = ['age>=18', 'arm=app,age>=18', 'arm!=app', "note='a and b'", 'brand=Android', 'orange>1', 'site=Bern (CH)', 'arm!=x<script>alert(1)</script>', 'x=band'];
    expect(simple.filter(isExpression)).toEqual([]);
    const expressions = ['a == 1', '(a>1)', '`x y`>1', 'a>1 and b>1', 'a>1 or b>1', 'not a>1', 'isMissing(age)', 'abs(x) > 2', 'a>1 and(b>1)'];
    expect(expressions.filter((t) => !isExpression(t))).toEqual([]);
  });
});

describe('the sandbox: refused with one line pointing at the character', () => {
  test.each<[string, DataOptions, RegExp]>([
    ['assignment to an existing column', { compute: ['a = b + 1'] }, /"a" is a column already/],
    ['a second assignment', { compute: ['y = (b = 1)'] }, /only one assignment.*at character 8 \("= 1\)"\)/],
    ['assignment in --where', { where: "arm = 'app' and a > 1" }, /assignment \(=\) is not allowed.*at character 5/],
    ['function definition', { compute: ['y = f(x) = x'] }, /assignment|function definitions/],
    ['function definition at the root', { where: 'f(x) = x^2' }, /not allowed.*at character/],
    ['import', { compute: ['y = import({})'] }, /function import is not allowed \(functions: abs.*at character 5/],
    ['evaluate', { where: "evaluate('1 == 1')" }, /function evaluate is not allowed.*at character 1 /],
    ['createUnit', { compute: ['y = createUnit("foo") * 1'] }, /function createUnit is not allowed.*at character 5/],
    ['parse', { compute: ['y = parse("a")'] }, /function parse is not allowed/],
    ['unknown symbols', { compute: ['y = a + bb'] }, /unknown column bb \(nearest: b.*at character 9 \("bb"\)/],
    ['a bare text in --where', { where: 'arm == app' }, /unknown column app.*text goes in quotes \('app'\).*at character 8/],
    ['a later computed column', { compute: ['y = z + 1', 'z = a'] }, /unknown column z/],
    ['a function outside the whitelist', { compute: ['y = cos(a)'] }, /function cos is not allowed/],
    ['an operator outside the grammar', { compute: ['y = a % b'] }, /operator % is not allowed.*at character 7/],
    ['implicit multiplication', { compute: ['y = 2 a'] }, /two terms without an operator.*at character 7/],
    ['property access', { compute: ['y = a.b'] }, /property access.*backticks/],
    ['chained comparison', { where: '(a < b < c)' }, /chained comparisons.*at character 8/],
    ['several expressions', { where: '(a > 1); b > 1' }, /one expression only/],
    ['conditional', { compute: ['y = a > 1 ? 1 : 0'] }, /conditional.*at character 11/],
    ['not over a comparison', { where: 'not a == 1' }, /not binds tighter than ==/],
    ['text as a number', { compute: ["y = 'x' + 1"] }, /the text 'x' is not a number/],
    ['a number compared with text', { where: "a + 1 == 'x'" }, /compares a number with the text 'x'/],
    ['--where that is not a condition', { where: '(a + 1)' }, /--where needs a condition/],
    ['NaN', { compute: ['y = NaN'] }, /NaN is not allowed, test a missing value with isMissing/],
    ['wrong arity', { compute: ['y = abs(a, b)'] }, /abs takes 1 argument, got 2/],
    ['not an assignment', { compute: ['a + b'] }, /NAME = expression/],
    ['syntax error', { compute: ['y = a + '] }, /syntax error: Unexpected end of expression, at character 9 \(at the end\)/],
    ['unclosed backtick', { where: '`wai 1 > 2' }, /backtick is not closed.*at character 1/],
  ])('%s', async (_what, options, pattern) => {
    const error = await refusal(options);
    expect(error.exitCode).toBe(2);
    expect(error.shown(flagName)).toMatch(pattern);
  });

  test('a role naming another column that exists is refused as a new name; a role naming its own absent column is not', async () => {
    const csv = 'a,phqads_total_t0\n1,2\n';
    // role baseline → phqads_total_t0 (src/data/schema.ts)
    expect((await refusal({ compute: ['baseline = a'] }, csv)).message).toMatch(/"baseline" is a role \(column phqads_total_t0\)/);
    // role age → age, absent: computing it gives the role its column
    expect(await values(['age = a * 2'], undefined, csv)).toEqual([2]);
  });

  test('a cell that is not a number, read as one, is a data error naming line and column', async () => {
    const dataset = await open({ compute: ['y = code * 2'] });
    const error = await dataset.forEach(() => undefined).catch((e: CliError) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(1);
    expect((error as Error).message).toMatch(/"x" is not a number at line 4, column "code"/);
  });
});

describe('random expressions: every outcome is a value or a one-line CliError', () => {
  // Token soup from the grammar and around it (forbidden functions, brackets, units, keywords, stray quotes),
  // seeded (a 32-bit LCG, Numerical Recipes' constants) so that a failure is reproducible by its index.
  const TOKENS = [
    'a', 'b', 'c', 'arm', 'code', '`wai 1`', 'zz', '1', '0', '2.5', '1e308', "'app'", '"x"', 'true', 'NaN', 'pi',
    '+', '-', '*', '/', '^', '%', '==', '!=', '<', '<=', '>', '>=', '=', 'and', 'or', 'not', 'xor', 'to', 'cm',
    '(', ')', '(', ')', '[', ']', '{', '}', ',', ';', '.', '?', ':', "'", '`', '!', '&', '|',
    'abs(', 'round(', 'min(', 'isMissing(', 'evaluate(', 'import(', 'createUnit(', 'parse(', 'f(x) =',
  ];
  let state = 20260;
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const soup = () => Array.from({ length: 1 + next(9) }, () => TOKENS[next(TOKENS.length)]).join(' ');
  // And well-formed ones from the grammar: numbers (N) and conditions (C), nested up to depth 4.
  const pick = <T>(items: T[]): T => items[next(items.length)];
  const num = (d: number): string =>
    d === 0 || next(3) === 0
      ? pick(['a', 'b', 'c', '`wai 1`', '2', '0.5', '0'])
      : pick([
          () => `${num(d - 1)} ${pick(['+', '-', '*', '/', '^'])} ${num(d - 1)}`,
          () => `-${num(d - 1)}`,
          () => `(${num(d - 1)})`,
          () => `${pick(['abs', 'sqrt', 'exp', 'log', 'log10', 'floor', 'ceil', 'round'])}(${num(d - 1)})`,
          () => `${pick(['min', 'max'])}(${num(d - 1)}, ${num(d - 1)})`,
          () => `round(${num(d - 1)}, ${pick(['0', '1', '2', '-1'])})`,
          () => `(${cond(d - 1)})`,
        ])();
  const cond = (d: number): string =>
    d === 0 || next(3) === 0
      ? pick(["arm == 'app'", "arm != 'waitlist'", 'code == 1', "code == '01'", 'isMissing(a)', 'a > b', 'true'])
      : pick([
          () => `${num(d - 1)} ${pick(['==', '!=', '<', '<=', '>', '>='])} ${num(d - 1)}`,
          () => `${cond(d - 1)} ${pick(['and', 'or'])} ${cond(d - 1)}`,
          () => `not (${cond(d - 1)})`,
          () => `isMissing(${num(d - 1)})`,
        ])();
  const cases = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? soup() : i % 3 === 1 ? num(4) : cond(4)));

  test('300 --compute and --where texts', async () => {
    const outcomes = { value: 0, refused: 0 };
    for (const [i, text] of cases.entries()) {
      for (const options of [{ compute: [`y = ${text}`] }, { where: `(${text})` }]) {
        try {
          const dataset = await open(options);
          await dataset.forEach(() => undefined);
          outcomes.value++;
        } catch (error) {
          if (!(error instanceof CliError) || (error as Error).message.includes('\n')) throw new Error(`case ${i} ${JSON.stringify(options)}: ${String(error)}`);
          outcomes.refused++;
        }
      }
    }
    // Both kinds occur: the grammar's texts run (a --where keeping no row is a refusal too), the soup is refused.
    expect(outcomes.value).toBeGreaterThan(200);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
