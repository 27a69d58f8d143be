/**
 * Errors the user can act on. Every one ends the command with a single line on stderr,
 * `canrelax-analyze: <what>, <where>, <what to do>`, and an exit code chosen here, in one place:
 *   2 — the command line is wrong (unknown option or column named in a flag, missing file, bad flag value);
 *   1 — the data are wrong (bad values, columns an instrument or the schema needs, no usable rows), or the output
 *       could not be written whole (a full disk, an I/O error: io/output.ts).
 * Anything else that escapes is a bug: it is reported as such (exit 1), with the stack only under --debug.
 */
export class CliError extends Error {
  /** The message as words with the options it names kept as keys (see Words); `message` is it named by key. */
  private words: Words;

  constructor(message: string | Words, readonly exitCode: 1 | 2) {
    const words = typeof message === 'string' ? new Words([message]) : message;
    super(words.text(byKey));
    this.words = words;
    this.name = 'CliError';
  }

  /** The message as words, for a result that reports an error instead of ending with it (a reason). */
  get wording(): Words {
    return this.words;
  }

  /** The message with each option named as a front end names it (the CLI `--adjust`, the report `covariates`). */
  shown(name: OptionNamer): string {
    return this.words.text(name);
  }

  /**
   * Names its options for good, `before` put in front: a front end that shows the message in its own words (the
   * report: plan keys, and which step failed) does so before the one place that prints errors (cli/main.ts) sees it.
   */
  nameOptions(name: OptionNamer, before = ''): void {
    this.words = new Words([before + this.words.text(name)]);
    this.message = this.words.text(byKey);
  }
}

/** The command line asked for something that cannot be done (exit 2). */
export class UsageError extends CliError {
  constructor(message: string | Words) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The input data cannot be used as asked (exit 1). */
export class DataError extends CliError {
  constructor(message: string | Words) {
    super(message, 1);
    this.name = 'DataError';
  }
}

/**
 * An option as a message below the front ends names it: by its key, the name its declaration gives it (`adjust`,
 * `minAnswered`, `imputeBy`), never by a command-line spelling. A report user wrote a plan, not flags: each front end
 * names the option its own way when it shows the message — the CLI as its flag (`--adjust`), the report as its plan
 * or config key (`covariates`).
 */
export interface OptionName {
  readonly option: string;
}

/** The option of this key, to put in `words`. */
export const option = (key: string): OptionName => ({ option: key });

/**
 * Where a name or a path was given, for messages: an option (`option('adjust')`), or words for what is not one
 * (`words\`plan key "x"\``, `Table 1`).
 */
export type GivenIn = OptionName | Words;

/** Whether `given` is the option of this key. */
export const isOption = (given: GivenIn, key: string): boolean => !(given instanceof Words) && given.option === key;

/** How a front end names an option, by its key. */
export type OptionNamer = (key: string) => string;

/** The name of a message's option when no front end has named it (tests, internal logs): its key in quotes. */
export const byKey: OptionNamer = (key) => `"${key}"`;

/**
 * Words said only where a front end names the option of `key` as a command-line flag (a name beginning "--"): the
 * config file's alternative to the flag, ` (or "na" in the config)`, which a report naming the option as its config
 * key already says.
 */
export interface FlagAlternative {
  readonly afterFlag: string;
  readonly text: string;
}

export const afterFlag = (key: string, text: string): FlagAlternative => ({ afterFlag: key, text });

type WordsPart = string | OptionName | FlagAlternative;

/** A message or note whose options stay keys until a front end shows it (words`…${option('adjust')}…`). */
export class Words {
  constructor(readonly parts: readonly WordsPart[]) {}

  text(name: OptionNamer): string {
    return this.parts
      .map((part) => (typeof part === 'string' ? part : 'option' in part ? name(part.option) : name(part.afterFlag).startsWith('--') ? part.text : ''))
      .join('');
  }

  /** The keys of the options it names, in order. */
  get options(): string[] {
    return this.parts.filter((part): part is OptionName => typeof part !== 'string' && 'option' in part).map((part) => part.option);
  }

  toString(): string {
    return this.text(byKey);
  }
}

const isFlagAlternative = (value: unknown): value is FlagAlternative =>
  typeof value === 'object' && value !== null && typeof (value as FlagAlternative).afterFlag === 'string' && typeof (value as FlagAlternative).text === 'string';

const isOptionName = (value: unknown): value is OptionName =>
  typeof value === 'object' && value !== null && typeof (value as OptionName).option === 'string' && Object.keys(value).length === 1;

/**
 * Tagged template of Words: words`${option('adjust')} names ${column} twice`. An `option(key)` stays a key, Words
 * inside are spliced in, anything else is String(value) as in a template string.
 */
export function words(strings: TemplateStringsArray, ...values: unknown[]): Words {
  const parts: WordsPart[] = [strings[0]];
  values.forEach((value, i) => {
    if (isOptionName(value) || isFlagAlternative(value)) parts.push(value);
    else if (value instanceof Words) parts.push(...value.parts);
    else parts.push(String(value));
    parts.push(strings[i + 1]);
  });
  return new Words(parts.filter((part) => part !== ''));
}

/** A message or note: plain text, or words that name options by key. */
export type Wording = string | Words;

/** Texts and words as one Words, `separator` between each two (Array.join for words). */
export function joinedWords(parts: readonly Wording[], separator: string): Words {
  return new Words(parts.flatMap((part, i) => [...(i > 0 ? [separator] : []), ...(typeof part === 'string' ? [part] : part.parts)]).filter((part) => part !== ''));
}

/** Text or words shown by `name`. */
export function shownWith(message: string | Words, name: OptionNamer): string {
  return typeof message === 'string' ? message : message.text(name);
}

/**
 * Up to `max` names closest to `name` by edit distance (Levenshtein), for "did you mean" hints: those within
 * max(2, ⌈length/2⌉) edits, nearest first. A name whose length differs by more than that cannot qualify and is not
 * compared, and a comparison stops once every path exceeds the limit, so 100,000 header names cost a pass over them.
 */
export function nearestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.ceil(name.length / 2));
  const distance = new BoundedEditDistance(lower, limit);
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    // The distance is at least the difference in length (measured before lower-casing, which changes it only for a
    // few non-ASCII letters such as İ). Never the name that was not found (a role can name a column that is absent).
    if (Math.abs(c.length - name.length) > limit || c === name) continue;
    const d = distance.to(c);
    if (d <= limit) scored.push([d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  // Each name once.
  return [...new Set(scored.map(([, c]) => c))].slice(0, max);
}

/** A character that lower-casing may change. */
const NOT_LOWER = /[A-Z\u0080-\uffff]/;

/**
 * Levenshtein distance from a fixed lower-case string to another, lower-cased, or limit + 1 as soon as it must exceed `limit` (the minimum of
 * a row of the table never decreases); the two rows of the table are reused from call to call.
 */
class BoundedEditDistance {
  private prev = new Int32Array(0);
  private cur = new Int32Array(0);

  /** How often each character code (mod 1024) occurs in `a`, and a working copy restored after each use. */
  private readonly counts = new Int32Array(1024);
  private readonly left = new Int32Array(1024);

  constructor(
    private readonly a: string,
    private readonly limit: number,
  ) {
    for (let i = 0; i < a.length; i++) this.counts[a.charCodeAt(i) & 1023]++;
    this.left.set(this.counts);
  }

  /**
   * The bag distance, max(|a \ b|, |b \ a|) of the two strings' multisets of characters: a lower bound of the edit
   * distance (each edit changes each side by at most one; Bartolini, Ciaccia & Patella 2002), found in one pass, so that
   * most names are ruled out without the table. Codes taken mod 1024 merge a few characters, which only lowers it.
   */
  private bagDistance(b: string): number {
    const { left, counts } = this;
    let extra = 0;
    let ascii = true;
    for (let j = 0; j < b.length; j++) {
      let code = b.charCodeAt(j);
      if (code >= 65 && code <= 90) code += 32; // ASCII lower-casing; `a` is lower-cased already
      else if (code > 127) ascii = false;
      code &= 1023;
      if (left[code] > 0) left[code]--;
      else extra++;
    }
    for (let j = 0; j < b.length; j++) {
      const code = (b.charCodeAt(j) | 32) & 1023; // covers both cases of an ASCII letter
      left[code] = counts[code];
      left[code & ~32] = counts[code & ~32];
    }
    // Lower-casing a non-ASCII letter may turn it into one of a's: no bound then.
    if (!ascii) return 0;
    // |a \ b| = |a| − matched = |a| − (|b| − extra).
    return Math.max(extra, this.a.length - (b.length - extra));
  }

  to(b: string): number {
    const { a, limit } = this;
    if (Math.abs(a.length - b.length) > limit || this.bagDistance(b) > limit) return limit + 1;
    if (NOT_LOWER.test(b)) b = b.toLowerCase();
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    if (this.prev.length <= b.length) {
      this.prev = new Int32Array(b.length + 1);
      this.cur = new Int32Array(b.length + 1);
    }
    let prev = this.prev;
    let cur = this.cur;
    for (let j = 0; j <= b.length; j++) prev[j] = j;
    for (let i = 1; i <= a.length; i++) {
      cur[0] = i;
      let best = i;
      const ca = a.charCodeAt(i - 1);
      for (let j = 1; j <= b.length; j++) {
        const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
        cur[j] = v;
        if (v < best) best = v;
      }
      if (best > limit) return limit + 1;
      [prev, cur] = [cur, prev];
    }
    return prev[b.length];
  }
}

// Messages quote cells, column names and paths: they are shown by the terminal rule (text.ts).
export { oneLine, shown } from './text';
