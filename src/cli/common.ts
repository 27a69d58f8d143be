/** The reading options every data command shares, and the parsers of values several commands take. */
import { declared, declaredOptions, text } from './command';
import { UsageError, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import { CANRELAX } from '../data/canrelax';
import { DEFAULT_SEED, list } from '../options';
import { MISSING_OPTIONS as MISSING_DECLARATIONS } from '../frame/missing-options';
import { REF } from '../analyses/options';
import { READING_OPTIONS } from '../data/reading-options';

export { DEFAULT_SEED } from '../options';

/** Reading options: their values reach a command's action as `options.data`, a DataOptions (data/dataset.ts). */
export const DATA_OPTIONS = {
  heading: 'Reading options (every data command):',
  notes: `Input is a CSV path or - for stdin; UTF-8 with or without BOM, LF or CRLF line ends. SPSS (.sav, .zsav) and
Excel (.xlsx) files are read too, told by extension or content: SPSS value labels make factors named by their labels
(items, number roles and score columns keep their codes), user-missing codes are missing.
Missing by default: empty, NA, N/A, NaN, "." — a blank cell is missing, never 0.
--where "arm=app,age>=18" keeps rows where every condition holds (= != < <= > >=).
--where "arm == 'app' and age >= 18" is an expression (==, and, or, not, parentheses; README "Expressions"),
as is --compute "change = phqads_total_w10 - phqads_total_t0": computed after scoring, before --where.`,
  options: declaredOptions(READING_OPTIONS),
};

/**
 * report's reading options: every data command's, and --ref, which the report applies to every step (the reference
 * level of a factor, listed first; a difference between strata is first − second). Recorded and replayed with them.
 */
export const REPORT_DATA_OPTIONS = {
  ...DATA_OPTIONS,
  options: {
    ...DATA_OPTIONS.options,
    ref: declared(REF, 'reference level of a factor (repeatable), over the plan\'s and the config\'s "reference"'),
  },
};

/**
 * Missing-data options (correlate, model, mediate, describe): their values reach a command's action as
 * `options.missing`, read into MissingOptions (frame/missing.ts) by `missingOptions`.
 */
export const MISSING_OPTIONS = {
  heading: 'Missing-data options (correlate, model, mediate, describe):',
  notes: `--missing mi imputes by chained equations (as R's mice: predictive mean matching, logistic regression for
two-level columns) within each --impute-by group and --by stratum, M times, and pools by Rubin's rules. Without
--seed the seed is ${DEFAULT_SEED}, as for every random procedure (bootstrap, simulation, null resamples); it is recorded
in the JSON, so the same command gives the same numbers.`,
  options: declaredOptions(MISSING_DECLARATIONS),
};

/**
 * The files a data command reads: the data file, --config (or ./canrelax.config.json, read when present) and
 * instrument definition files. No output may be one of them (io/output.ts inputAt).
 */
export function readPaths(file: string, data: { config?: string; instrument?: string[] }, ...more: (string | undefined)[]): string[] {
  return [file, data.config ?? 'canrelax.config.json', ...(data.instrument ?? []), ...more].filter((p): p is string => p !== undefined);
}

/** Options several commands declare alike. */
export const OUT_OPTION = text('--out <file>', 'write to FILE atomically instead of stdout');

/** The file argument of every data command. */
export const INPUT_FILE = { name: 'file', description: 'CSV, SPSS .sav/.zsav or Excel .xlsx export, or - for stdin' } as const;

/** A comma-separated list of tokens from `choices` (each once, in the order of `choices`); anything else is a usage error. */
export function choiceList<const C extends string>(flag: string, choices: readonly C[]): (value: string) => C[] {
  return (value) => {
    const given = list(value);
    const unknown = given.filter((token) => !(choices as readonly string[]).includes(token));
    if (unknown.length || given.length === 0) {
      throw new UsageError(`${flag} takes a comma-separated list of ${choices.join(', ')}, got "${value}"`);
    }
    return choices.filter((c) => given.includes(c));
  };
}

/** The columns of x and y on a CanRelax export when not given: the four WAI-I scores against week-10 distress. */
export const CANRELAX_X: readonly string[] = CANRELAX.x;
export const CANRELAX_Y: readonly string[] = [CANRELAX.y];

/** The columns given in a flag, else `fallback` when the file has them all (a CanRelax export), else exit 2. */
export function columnsOrDefault(dataset: Dataset, given: string[] | null, fallback: readonly string[], flag: string): string[] {
  if (given) return given;
  if (fallback.every((name) => dataset.has(name))) return [...fallback];
  const init = dataset.config.file === null ? `; or run \`canrelax-analyze init ${dataset.input.source}\` to map its columns` : '';
  throw new UsageError(`${flag} is needed: this file is not a CanRelax export (no ${fallback.find((n) => !dataset.has(n))}), name the columns${init}`);
}

/**
 * Where the scores came from (Dataset.scoreNotes: a file column set aside for the score computed from the items, or
 * used as the score): first among the analysis's notes (JSON, table footers) and a line each on stderr.
 */
export function noteScores(dataset: Dataset, notes: Wording[], ctx: { warn(message: Wording): void }): void {
  const said = dataset.scoreNotes();
  notes.unshift(...said.map((n) => n.text));
  for (const note of said) if (note.warn) ctx.warn(note.text);
}
