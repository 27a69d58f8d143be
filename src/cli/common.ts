/** The reading options every data command shares, and the parsers of values several commands take. */
import { choice, hidden, parsed, repeated, text, type OptionValues } from './command';
import { UsageError, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import type { MissingOptions, MnarDelta } from '../frame/missing';

/**
 * The one seed rule of every random procedure (bootstrap, imputation, simulation, null resamples): --seed S, else
 * DEFAULT_SEED, so that the same command gives the same numbers; the seed used is recorded in the JSON output (and
 * the report's provenance), and said beside the numbers it made.
 */
export const DEFAULT_SEED = 1;

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
  options: {
    delimiter: text('--delimiter <d>', 'field delimiter: "," ";" or tab (default: .tsv means tab, else read off the header)'),
    decimal: text('--decimal <mark>', 'decimal mark: "." (default) or ","'),
    sheet: text('--sheet <name|n>', 'Excel: the sheet to read, by name or number from 1 (default: the first)'),
    values: choice('--values <kind>', 'SPSS value-labelled columns: labels (factors named by their labels) or codes', ['labels', 'codes'], 'labels'),
    na: text('--na <codes>', 'extra missing-value codes, comma-separated, e.g. -99,-999'),
    where: text('--where <filter>', 'keep rows that match, e.g. "arm=app,age>=18" or "arm == \'app\' and age >= 18"'),
    compute: repeated('--compute <name=expr>', 'add a column computed from others, e.g. "change = phqads_total_w10 - phqads_total_t0" (repeatable, in order)'),
    config: text('--config <file>', 'roles, item mapping and defaults (default: ./canrelax.config.json if present)'),
    map: text('--map <pairs>', 'item columns under other names, COLUMN=ITEM,… e.g. WAI4_01=wai_1'),
    instrument: repeated('--instrument <id|file>', 'instrument to score: wai, phqads or a .json definition (repeatable)'),
    minAnswered: text('--min-answered <fraction>', "override every instrument's threshold of answered items, in (0, 1]"),
    outOfRange: choice('--out-of-range <policy>', "answers outside the instrument's range", ['error', 'missing'], 'error'),
    scores: choice('--scores <source>', "a score column the file already has (wai_total): computed from the items, the file's set aside (items), or the file's used (file)", ['items', 'file']),
    // Reader chunk size, for tests that show results do not depend on it: a positive whole number of bytes (0 made
    // the reader loop for ever), also when a hand-edited report.json gives it to --replay (read by the same parser).
    chunkSize: hidden(parsed<number | undefined>('--chunk-size <bytes>', '', (v) => wholeNumber(v, '--chunk-size', 1, 1 << 30, ' of bytes'), undefined)),
  },
};

/**
 * report's reading options: every data command's, and --ref, which the report applies to every step (the reference
 * level of a factor, listed first; a difference between strata is first − second). Recorded and replayed with them.
 */
export const REPORT_DATA_OPTIONS = {
  ...DATA_OPTIONS,
  options: {
    ...DATA_OPTIONS.options,
    ref: repeated('--ref <col=level>', 'reference level of a factor (repeatable), over the plan\'s and the config\'s "reference"'),
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
  options: {
    missing: choice('--missing <how>', 'missing values: listwise deletion, or multiple imputation', ['listwise', 'mi'], 'listwise'),
    imputations: text('--imputations <m>', 'imputations (at least 2)', '20'),
    iterations: text('--iterations <t>', 'chained-equation iterations per imputation', '10'),
    seed: text('--seed <seed>', `random seed of the imputations and of correlate's and mediate's --bootstrap (default ${DEFAULT_SEED}, as every random procedure)`),
    auxiliary: text('--auxiliary <cols>', 'extra predictors used only in the imputation model'),
    imputeBy: text('--impute-by <col>', 'impute within each level of this column (default: arm when it has more than one level; none: off)'),
    mnarDelta: text('--mnar-delta <deltas>', 'correlate: add δ × SD of the observed outcome to every imputed outcome value, e.g. -0.5,0.5 (raw:-2,2 for raw units)'),
    writeImputations: text('--write-imputations <dir>', 'correlate, model, mediate: write DIR/imputations.csv, the completed data sets in mice::complete(imp, "long") layout'),
  },
};

/** The missing-data options as MissingOptions (the seed by the one rule: DEFAULT_SEED without --seed). */
export function missingOptions(values: OptionValues<typeof MISSING_OPTIONS.options>): MissingOptions {
  const mi = values.missing === 'mi';
  if (values.imputations.trim() === '1') throw new UsageError("--imputations 1: Rubin's rules need at least 2 imputations (a between-imputation variance), give 2 or more");
  const imputations = wholeNumber(values.imputations, '--imputations', 2, 100_000);
  const iterations = wholeNumber(values.iterations, '--iterations', 1, 10_000);
  const seed = values.seed !== undefined ? wholeNumber(values.seed, '--seed', 0, 0xffffffff) : DEFAULT_SEED;
  const mnarDelta = values.mnarDelta === undefined ? [] : parseDeltas(values.mnarDelta);
  if (!mi) {
    const given = (['auxiliary', 'imputeBy', 'mnarDelta', 'writeImputations'] as const).find((k) => values[k] !== undefined);
    if (given) throw new UsageError(`--${given.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --missing mi`);
  }
  const imputeBy = values.imputeBy === undefined ? undefined : values.imputeBy.trim() === 'none' ? null : values.imputeBy.trim();
  return {
    missing: values.missing,
    imputations,
    iterations,
    seed,
    auxiliary: values.auxiliary ? list(values.auxiliary) : [],
    imputeBy,
    mnarDelta,
    writeImputations: values.writeImputations ?? null,
  };
}

/** --mnar-delta: numbers in SD units, or with a `raw:` prefix in the outcome's units. */
function parseDeltas(value: string): MnarDelta[] {
  const raw = value.trim().startsWith('raw:');
  const body = raw ? value.trim().slice(4) : value;
  const deltas = list(body).map((text) => {
    const d = Number(text);
    if (!Number.isFinite(d)) throw new UsageError(`--mnar-delta takes numbers, e.g. -0.5,0.5 or raw:-2,2, got "${text}"`);
    return { value: d, raw };
  });
  if (deltas.length === 0) throw new UsageError('--mnar-delta needs at least one δ, e.g. -0.5,0.5');
  return deltas;
}

/**
 * The files a data command reads: the data file, --config (or ./canrelax.config.json, read when present) and
 * instrument definition files. No output may be one of them (io/output.ts inputAt).
 */
export function readPaths(file: string, data: { config?: string; instrument?: string[] }, ...more: (string | undefined)[]): string[] {
  return [file, data.config ?? 'canrelax.config.json', ...(data.instrument ?? []), ...more].filter((p): p is string => p !== undefined);
}

/** Options several commands declare alike. */
export const OUT_OPTION = text('--out <file>', 'write to FILE atomically instead of stdout');
export const CI_OPTION = text('--ci <level>', 'confidence level', '0.95');
export const ADJUST_OPTION = text('--adjust <cols>', 'covariates (numeric, or categorical: text columns and --categorical ones)');

/** The file argument of every data command. */
export const INPUT_FILE = { name: 'file', description: 'CSV, SPSS .sav/.zsav or Excel .xlsx export, or - for stdin' } as const;

/** A comma-separated flag value as a list of names, blanks dropped. */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

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

/** --ref COLUMN=LEVEL (repeatable) as a map. */
export function parseRef(pairs: string[] | undefined): Map<string, string> {
  const ref = new Map<string, string>();
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--ref takes COLUMN=LEVEL, got "${pair}", e.g. --ref sex=male`);
    ref.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return ref;
}

/**
 * A whole-number flag, the one rule of every command: written as a number (`10000`, `1e7`, `2.0e3`; not `0x10`,
 * `1.5` or `1,000`), a safe integer, within [min, max]; a UsageError naming the flag otherwise.
 */
export function wholeNumber(value: unknown, flag: string, min: number, max: number, what = ''): number {
  const text = String(value).trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number${what} from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** --ci as a level strictly between 0 and 1. */
export function parseCiLevel(value: string): number {
  const ci = Number(value);
  if (!(ci > 0 && ci < 1)) throw new UsageError(`--ci must be a level between 0 and 1, e.g. 0.95, got "${value}"`);
  return ci;
}

/** The columns of x and y on a CanRelax export when not given: the four WAI-I scores against week-10 distress. */
export const CANRELAX_X = ['alliance', 'bond', 'task', 'goal'];
export const CANRELAX_Y = ['distress'];

/** The columns given in a flag, else `fallback` when the file has them all (a CanRelax export), else exit 2. */
export function columnsOrDefault(dataset: Dataset, given: string[] | null, fallback: string[], flag: string): string[] {
  if (given) return given;
  if (fallback.every((name) => dataset.has(name))) return fallback;
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
