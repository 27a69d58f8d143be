/**
 * Options declared once. An analysis (or the reader, or the imputation floor) declares each option it takes here:
 * its key, what kind of value it is, its default, its check, one line saying what it does, and where the report
 * takes it from. Every front end derives its spelling from that one declaration — the command line its flag
 * (`--imputations <m>`, cli/command.ts), the report its plan key (`missing.imputations`, report/plan.ts) — and reads
 * a raw value through it: command-line text by `fromText`, a plan's JSON value by `fromJson`. A bad value is a
 * UsageError whose words name the option by key (errors.ts `option`), so each front end shows it in its own words:
 *   --imputations must be a whole number from 2 to 100000, got "x"
 *   plan key "missing.imputations" must be a whole number from 2 to 100000, got "x", plan.json; fix the plan …
 */
import { option, UsageError, words, type Words } from './errors';

/** What kind of value an option takes. */
export type OptionKind =
  | 'whole' // a whole number within a range
  | 'number' // any finite number (its range is the analysis's to check)
  | 'level' // a confidence level strictly between 0 and 1
  | 'fraction' // a fraction in (0, 1]
  | 'choice' // one of a fixed list
  | 'flag' // on or off
  | 'text' // text, as given
  | 'column' // one column or role name
  | 'columns' // a comma-separated list of column or role names (a JSON list in a plan)
  | 'repeated' // a repeatable value, every one in order
  | 'numbers'; // a comma-separated list of numbers (a JSON list in a plan)

/**
 * Where the report takes an option: its plan key (a path such as "missing.impute_by") or its config key (the
 * reading options a config file sets), or neither.
 */
export type ReportKey =
  | {
      readonly plan: string;
      /** The report's own default, where it differs from the option's. */
      readonly default?: unknown;
      /** What the key does in the report, where the option's description does not say it (report --help). */
      readonly description?: string;
    }
  | { readonly config: string };

/**
 * The one seed rule of every random procedure (bootstrap, imputation, simulation, null resamples): the seed given,
 * else DEFAULT_SEED, so that the same command gives the same numbers; the seed used is recorded in the JSON output
 * (and the report's provenance), and said beside the numbers it made.
 */
export const DEFAULT_SEED = 1;

/** A seed: a whole number that fits 32 bits. */
export const SEED_RULE = { min: 0, max: 0xffffffff } as const;

export interface OptionDeclaration<T> {
  /** camelCase, the name messages use (errors.ts option(key)); the command line's flag is its kebab-case. */
  readonly key: string;
  readonly kind: OptionKind;
  /** One line: what the option does (--help, report --help); other options it names are named by key, as in messages. */
  readonly description: string | Words;
  /** Name of the value in --help (`cols` in `--adjust <cols>`); none for a flag. */
  readonly placeholder?: string;
  /** The value when not given; undefined: none (the analysis decides, e.g. from the file). */
  readonly default?: T;
  /** The values a choice takes. */
  readonly choices?: readonly string[];
  /** The range of a whole number (0 taken too when `orZero`). */
  readonly range?: { readonly min: number; readonly max: number; readonly orZero?: boolean };
  /** Where the report takes it, if it does. */
  readonly report?: ReportKey;
  /** Left out of --help (options for tests). */
  readonly hidden?: boolean;
  /** The value from command-line text (`previous`: the value so far, for a repeated option). */
  fromText(text: string, previous?: T): T;
  /** The value from a plan's JSON value. */
  fromJson(value: unknown): T;
}

/** A declaration, typed with a default when `common` gives one (then a front end's value is never undefined). */
export type Declared<T, C> = OptionDeclaration<T> & Pick<C, 'default' & keyof C>;

/** Declarations under the names an analysis's code reads them by. */
export type OptionDeclarations = Readonly<Record<string, OptionDeclaration<unknown>>>;

/** The values of a set of declarations, each undefined when not given unless it has a default. */
export type DeclaredValues<D extends OptionDeclarations> = {
  -readonly [K in keyof D]: D[K] extends OptionDeclaration<infer T> ? (undefined extends D[K]['default'] ? T | undefined : T) : never;
};

/** Every option at its default: what an analysis is run with when a front end gives nothing. */
export function declaredDefaults<D extends OptionDeclarations>(declarations: D): DeclaredValues<D> {
  return Object.fromEntries(Object.entries(declarations).map(([name, declaration]) => [name, declaration.default])) as DeclaredValues<D>;
}

/** A plan's JSON value in a message: JSON, cut at 40 characters. */
export function shownJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Words naming `key` before `rule`, then the value as given. */
const bad = (key: string, rule: string | Words, got: string): UsageError => new UsageError(words`${option(key)} ${rule}, got ${got}`);

export interface Common<T> {
  description: string | Words;
  placeholder?: string;
  default?: T;
  report?: ReportKey;
  hidden?: boolean;
}

export interface WholeRule {
  min: number;
  max: number;
  /** Said after "a whole number", e.g. " of resamples". */
  unit?: string;
  /** 0 is taken too, below `min` (e.g. no bootstrap). */
  orZero?: boolean;
  /** A value in range that is wrong for another reason, said in its own words (checked first). */
  check?(n: number): string | Words | undefined;
}

/** Command-line text of a number: `10000`, `1e7`, `2.0e3`, `-0.5`; not `0x10`, `1,000` or an empty text. */
function numberText(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

/** A numeric declaration: `checked` takes the number (NaN when the text or JSON value is none) and what was given. */
function numeric<C extends Common<number>>(key: string, kind: OptionKind, common: C, checked: (n: number, got: string) => number, read: (text: string) => number): Declared<number, C> {
  return {
    key,
    kind,
    ...common,
    fromText: (text) => checked(read(text), `"${text}"`),
    fromJson: (value) => checked(typeof value === 'number' ? value : NaN, shownJson(value)),
  };
}

/**
 * A whole number within [min, max] (or 0 with `orZero`): written as a number on the command line (`10000`, `1e7`,
 * `2.0e3`; not `0x10`, `1.5` or `1,000`), a JSON number in a plan; a safe integer either way.
 */
export function whole<C extends Common<number>>(key: string, rule: WholeRule, common: C): Declared<number, C> {
  const range = `${rule.orZero ? '0 or ' : ''}a whole number${rule.unit ?? ''} from ${rule.min} to ${rule.max}`;
  const checked = (n: number, got: string): number => {
    if (Number.isSafeInteger(n)) {
      const own = rule.check?.(n);
      if (own !== undefined) throw new UsageError(words`${option(key)} ${n}: ${own}`);
    }
    if (!Number.isSafeInteger(n) || ((n < rule.min || n > rule.max) && !(rule.orZero && n === 0))) throw bad(key, `must be ${range}`, got);
    return n;
  };
  return { ...numeric(key, 'whole', common, checked, numberText), range: { min: rule.min, max: rule.max, orZero: rule.orZero } };
}

/** Any finite number (the analysis checks its range, where the range depends on other options). */
export function number<C extends Common<number>>(key: string, common: C): Declared<number, C> {
  const checked = (n: number, got: string): number => {
    if (!Number.isFinite(n)) throw bad(key, 'must be a number', got);
    return n;
  };
  // Any number JavaScript reads (0x10 included), as power's flags always took.
  return numeric(key, 'number', common, checked, (text) => (text.trim() === '' ? NaN : Number(text.trim())));
}

/** A confidence level strictly between 0 and 1. */
export function level<C extends Common<number>>(key: string, common: C): Declared<number, C> {
  const checked = (n: number, got: string): number => {
    if (!(n > 0 && n < 1)) throw bad(key, 'must be a confidence level between 0 and 1, e.g. 0.95', got);
    return n;
  };
  return numeric(key, 'level', common, checked, numberText);
}

/** A fraction in (0, 1]. */
export function fraction<C extends Common<number>>(key: string, common: C): Declared<number, C> {
  const checked = (n: number, got: string): number => {
    if (!(n > 0 && n <= 1)) throw bad(key, 'must be a fraction in (0, 1]', got);
    return n;
  };
  return numeric(key, 'fraction', common, checked, numberText);
}

/** One of `choices` (the command line's parser also refuses anything else, in its own words). */
export function choice<const C extends string, O extends Common<C> & { rule?: string }>(key: string, choices: readonly C[], common: O): Declared<C, O> {
  const checked = (value: unknown, got: string): C => {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw bad(key, common.rule ?? `must be one of ${choices.join(', ')}`, got);
    return value as C;
  };
  return {
    key,
    kind: 'choice',
    choices,
    ...common,
    fromText: (text) => checked(text, `"${text}"`),
    fromJson: (value) => checked(value, shownJson(value)),
  };
}

/** On or off: a flag on the command line (given: true), true or false in a plan. */
export function flag(key: string, common: Omit<Common<boolean>, 'default' | 'placeholder'>): OptionDeclaration<boolean> & { default: boolean } {
  return {
    key,
    kind: 'flag',
    ...common,
    default: false,
    fromText: (text) => text === 'true',
    fromJson: (value) => {
      if (typeof value !== 'boolean') throw bad(key, 'must be true or false', shownJson(value));
      return value;
    },
  };
}

/** Text as given (a plan's: non-empty text, trimmed). */
export function text<C extends Common<string> & { rule?: string }>(key: string, common: C): Declared<string, C> {
  return {
    key,
    kind: 'text',
    ...common,
    fromText: (value) => value,
    fromJson: (value) => {
      if (typeof value !== 'string' || value.trim() === '') throw bad(key, common.rule ?? 'must be text', shownJson(value));
      return value.trim();
    },
  };
}

/** One column or role name (the command line's text as given: the analysis says what it needs of it). */
export function column<C extends Common<string>>(key: string, common: C): Declared<string, C> {
  return {
    key,
    kind: 'column',
    ...common,
    fromText: (value) => value,
    fromJson: (value) => {
      if (typeof value !== 'string' || value.trim() === '') throw bad(key, 'must be a column or role name', shownJson(value));
      return value.trim();
    },
  };
}

/** A comma-separated flag value as a list of names, blanks dropped. */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Column or role names: comma-separated on the command line (blanks dropped), a JSON list in a plan (each a name,
 * each once; `empty`: the list may be empty).
 */
export function columns<C extends Common<string[]> & { empty?: boolean }>(key: string, common: C): Declared<string[], C> {
  return {
    key,
    kind: 'columns',
    ...common,
    fromText: (value) => list(value),
    fromJson: (value) => {
      if (!Array.isArray(value)) throw bad(key, 'must be a list of column or role names', shownJson(value));
      if (!common.empty && value.length === 0) throw bad(key, 'must name at least one column', shownJson(value));
      const seen = new Set<string>();
      return value.map((v) => {
        if (typeof v !== 'string' || v.trim() === '') throw bad(key, 'must be a list of column or role names', shownJson(value));
        const name = v.trim();
        if (seen.has(name)) throw bad(key, `names ${name} twice, name each once`, shownJson(value));
        seen.add(name);
        return name;
      });
    },
  };
}

/** A repeatable value: every one in the order given (a plan's: a list of texts). */
export function repeated<C extends Common<string[]>>(key: string, common: C): Declared<string[], C> {
  return {
    key,
    kind: 'repeated',
    ...common,
    fromText: (value, previous) => [...(previous ?? []), value],
    fromJson: (value) => {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) throw bad(key, 'must be a list of texts', shownJson(value));
      return value.map((v: string) => v.trim());
    },
  };
}

/** The same declaration with another description, default or report key (an option an analysis takes its own way). */
export function restated<D extends OptionDeclaration<unknown>>(declaration: D, over: Partial<Common<D extends OptionDeclaration<infer T> ? T : never>>): D {
  return { ...declaration, ...over };
}

/** The plan key of a declaration, or undefined when the report does not take it from the plan. */
export function planKeyOf(declaration: OptionDeclaration<unknown>): string | undefined {
  return declaration.report !== undefined && 'plan' in declaration.report ? declaration.report.plan : undefined;
}
