/**
 * The variables an analysis reads from each row (x, y, covariates, stratum, interaction column): resolved once
 * from roles or names, each read as a number or as a level of a category.
 *
 * A variable's type is a property of its whole column, never of one row (so the rows' order cannot change a
 * result). It is numeric when the analysis needs a number (x, y) or the column is one by definition
 * (Dataset.isNumberColumn: scores, items, number roles); categorical when named in --categorical or made a
 * stratum; otherwise its cells decide: numbers → numeric, text → categorical. While rows stream the first
 * non-missing cell sets the type tentatively and every cell is counted; after the last row (Dataset.atEnd) a
 * column with numbers in some rows and text in others, or text in a numeric variable, is an error naming the
 * offending lines and the likely fix. A text covariate with more than MAX_TEXT_LEVELS levels is refused, and
 * every categorical covariate is named with its levels in the notes.
 */
import { CliError, DataError, UsageError, afterFlag, isOption, oneLine, option, shown, words, type GivenIn, type Wording } from '../errors';
import type { Dataset } from './dataset';
import { levelComparator, levelKey, type LabelCodes } from './levels';
import type { RowReader } from './row';
import { NumberFormat, isOutOfRange, notANumberFix } from './values';

/** A text covariate with more levels than this is an id or free text, not a factor (unless --categorical). */
export const MAX_TEXT_LEVELS = 20;

/** How many offending cells an error quotes. */
const EXAMPLES = 3;

/** Non-missing cells of a column seen so far, by kind, with the first few of each (line, text). */
export interface TypeEvidence {
  numbers: number;
  texts: number;
  /** Of the texts, those that read as numbers with a decimal comma (26,4) where the mark is a point. */
  commas: number;
  firstNumbers: Array<[number, string]>;
  firstTexts: Array<[number, string]>;
}

export function newEvidence(): TypeEvidence {
  return { numbers: 0, texts: 0, commas: 0, firstNumbers: [], firstTexts: [] };
}

/** Counts the row's cell (not missing) as a number or as text. */
export function noteCell(evidence: TypeEvidence, isNumber: boolean, row: RowReader, column: number): void {
  if (isNumber) {
    if (evidence.numbers++ < EXAMPLES) evidence.firstNumbers.push([row.line, row.text(column)]);
  } else {
    if (DECIMAL_COMMA.test(row.text(column))) evidence.commas++;
    if (evidence.texts++ < EXAMPLES) evidence.firstTexts.push([row.line, row.text(column)]);
  }
}

/** A number written with a decimal comma: 26,4 or -0,5. */
const DECIMAL_COMMA = /^\s*[+-]?\d*,\d+\s*$/;

export interface TypedColumn {
  name: string;
  /** The option that named it (or words for what did), for messages. */
  flag: GivenIn;
  evidence: TypeEvidence;
  /** A number column by definition (Dataset.isNumberColumn). */
  numberColumn: boolean;
  /** The analysis needs numbers (x, y): text is a command-line error when the whole column is text. */
  numeric: boolean;
}

/**
 * The error a whole column's cells make, or null: numbers and text mixed (a data error quoting the odd cells,
 * those of the minority kind, and the likely fix), text in a number column, a cell beyond a double's range;
 * text where the analysis needs numbers (the wrong column named: exit 2).
 */
export function columnTypeError(column: TypedColumn, format: NumberFormat, source: string): CliError | null {
  const { numbers, texts, firstNumbers, firstTexts, commas } = column.evidence;
  if (texts === 0) return null;
  const { name, flag, numberColumn } = column;
  // Every cell a number with a decimal comma: the file's decimal mark, not a factor of as many levels.
  if (numbers === 0 && commas === texts && format.decimal === '.') {
    const example = firstTexts[0][1].trim();
    return new DataError(
      words`column "${name}" (${flag}) holds numbers with a decimal comma (${firstTexts.map(([line, text]) => `"${shown(oneLine(text), 40)}" at line ${line}`).join(', ')}${texts > firstTexts.length ? ', …' : ''}), ${source}, pass ${option('decimal')} ,${afterFlag('decimal', ' (or "decimal": "," in the config)')} if ${example} means ${example.replace(',', '.')}`,
    );
  }
  const numeric = numberColumn || column.numeric;
  const quote = (cells: Array<[number, string]>, count: number) =>
    cells.map(([line, text]) => `"${shown(oneLine(text), 40)}" at line ${line}`).join(', ') + (count > cells.length ? ', …' : '');
  const overflow = firstTexts.some(([, text]) => isOutOfRange(text, format));
  if (numbers > 0 || overflow || numberColumn) {
    // Mostly numbers (or a number column): the text cells are the odd ones; mostly text: the numbers are.
    const textOdd = numeric || overflow || texts <= numbers;
    const odd = textOdd ? firstTexts : firstNumbers;
    const fix = textOdd
      ? notANumberFix(odd.map(([, text]) => text), format, name, !numeric)
      : words`pass ${option('categorical')} ${name} if the column is a factor, or correct the numbers`;
    const what = numberColumn ? 'is a number column' : numeric ? 'must hold numbers' : textOdd ? 'holds mostly numbers' : 'holds mostly text';
    const odds = textOdd ? texts : numbers;
    const verb = textOdd ? (odds === 1 ? 'is not a number' : 'are not numbers') : odds === 1 ? 'is a number' : 'are numbers';
    return new DataError(words`column "${name}" (${flag}) ${what}, but ${quote(odd, odds)} ${verb} (${odds} of ${numbers + texts} values), ${source}, ${fix}`);
  }
  if (!numeric) return null;
  const hint = isOption(flag, 'x') ? words`; a categorical predictor goes in ${option('adjust')} ${name} (or model ${option('interaction')} ${name}, or ${option('by')} ${name})` : '';
  return new UsageError(words`${name} (${flag}) is a text column (${quote(firstTexts, texts)}), a variable in ${flag} must be numeric${hint}`);
}

export interface Variable {
  /** Column name (a role resolved). */
  name: string;
  column: number;
  /** The option that named it first, for messages. */
  flag: GivenIn;
  /** null until the first non-missing value decides (or the analysis fixes it). */
  categorical: boolean | null;
  forcedCategorical: boolean;
  /** The column holds numbers by definition (score, item, number role): text in it is a data error. */
  numberColumn: boolean;
  /** Named in --adjust (the level limit and the note apply). */
  covariate: boolean;
  evidence: TypeEvidence;
  /** Level key → level index, and the keys in order of first appearance (categorical). */
  levels: Map<string, number>;
  levelNames: string[];
  /** A column read as SPSS value labels: label → code, its levels' order (levels.ts levelComparator). */
  labelCodes?: LabelCodes;
}

export class VariableSet {
  readonly list: Variable[] = [];
  private readonly index = new Map<string, number>();
  /** The analysis's notes, where categorical covariates are named once the rows are read. */
  private notes: Wording[] | null = null;

  constructor(
    private readonly dataset: Dataset,
    private readonly categorical: ReadonlySet<string>,
  ) {
    dataset.atEnd(() => this.checkTypes());
  }

  /** Index of the variable a role or column name means, added on first mention (exit 2 when unknown). */
  add(name: string, flag: GivenIn): number {
    const column = this.dataset.resolve(name, flag);
    const columnName = this.dataset.columns[column];
    const existing = this.index.get(columnName);
    if (existing !== undefined) return existing;
    const forcedCategorical = this.categorical.has(columnName) || this.categorical.has(name) || this.dataset.config.categorical.includes(columnName);
    const numberColumn = this.dataset.isNumberColumn(column);
    this.list.push({
      name: columnName,
      column,
      flag,
      categorical: forcedCategorical ? true : numberColumn ? false : null,
      forcedCategorical,
      numberColumn,
      covariate: false,
      evidence: newEvidence(),
      levels: new Map(),
      levelNames: [],
      labelCodes: this.dataset.labelCodes.get(column),
    });
    this.index.set(columnName, this.list.length - 1);
    return this.list.length - 1;
  }

  /**
   * The covariates --adjust names, each once (a repeat is exit 2): not a variable the analysis is about
   * (`analysed`, an error naming them as `analysedAs`), and those in `leaving` (the stratifier, the interaction
   * column) dropped with their reason as a note. Categorical covariates are added to `notes` with their levels
   * after the last row.
   */
  covariates(names: string[], analysed: number[], analysedAs: string, leaving: ReadonlyMap<number, string>, notes: Wording[]): number[] {
    const covs: number[] = [];
    this.notes = notes;
    for (const name of names) {
      const v = this.add(name, option('adjust'));
      const column = this.list[v].name;
      if (analysed.includes(v)) {
        throw new UsageError(words`${option('adjust')} ${name} is the same column as ${analysedAs} (${column}), a variable cannot be adjusted for itself`);
      }
      const reason = leaving.get(v);
      if (reason !== undefined) {
        notes.push(`${column} ${reason}`);
        continue;
      }
      if (covs.includes(v)) throw new UsageError(words`${option('adjust')} names ${column} twice, name each covariate once`);
      covs.push(v);
      this.list[v].covariate = true;
    }
    return covs;
  }

  /** Index of a variable already added, by column name. */
  indexOf(columnName: string): number | undefined {
    return this.index.get(columnName);
  }

  /** The level of a categorical variable (a stratum) in the row, null when missing. */
  levelOf(row: RowReader, v: number): string | null {
    const level = this.read(row, v);
    return level !== level ? null : this.list[v].levelNames[level];
  }

  /**
   * The row's group in `groups`, one per level of the stratifier `by` (made on first sight), or the single group
   * under null when there is no stratifier; null when the row's stratum is missing.
   */
  groupOf<T>(row: RowReader, by: number | null, groups: Map<string | null, T>, make: (stratum: string | null) => T): T | null {
    const key = by === null ? null : this.levelOf(row, by);
    if (by !== null && key === null) return null;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = make(key)));
    return group;
  }

  /**
   * The variable's value in the row: NaN when missing, the number, or (categorical) the level's index. Text in a
   * numeric variable reads as NaN here and fails the command after the last row (checkTypes).
   */
  read(row: RowReader, v: number): number {
    const variable = this.list[v];
    const column = variable.column;
    if (variable.categorical === true && variable.forcedCategorical) return row.isMissing(column) ? NaN : this.level(variable, levelKey(row, column));
    if (row.isMissing(column)) return NaN;
    const value = row.numOrText(column);
    const evidence = variable.evidence;
    // noteCell, inlined: this runs for every variable of every row.
    if (!row.wasText) {
      if (value !== value) return NaN;
      if (evidence.numbers++ < EXAMPLES) evidence.firstNumbers.push([row.line, row.text(column)]);
      if (variable.categorical === null) variable.categorical = false;
      // A number's level is its shortest text, as levelKey makes it.
      return variable.categorical ? this.level(variable, String(value)) : value;
    }
    if (DECIMAL_COMMA.test(row.text(column))) evidence.commas++;
    if (evidence.texts++ < EXAMPLES) evidence.firstTexts.push([row.line, row.text(column)]);
    if (variable.categorical === null) variable.categorical = true;
    return variable.categorical ? this.level(variable, row.text(column).trim()) : NaN;
  }

  private level(variable: Variable, key: string): number {
    let level = variable.levels.get(key);
    if (level === undefined) {
      level = variable.levelNames.length;
      variable.levels.set(key, level);
      variable.levelNames.push(key);
    }
    // A covariate not declared --categorical with more levels than MAX_TEXT_LEVELS is refused after the last row
    // (checkTypes), with every level counted; until then its further levels share one index, so that the analysis
    // does not grow a column per level (an id column of 20,000 rows took minutes: each new level copies the
    // co-moments, O(levels³)). Nothing computed from them is shown.
    return variable.covariate && !variable.forcedCategorical ? Math.min(level, MAX_TEXT_LEVELS + 1) : level;
  }

  /** After the last row: each variable's type from its whole column (see the file comment). */
  private checkTypes(): void {
    const source = this.dataset.input.source;
    for (const variable of this.list) {
      if (variable.forcedCategorical) continue;
      const numeric = variable.categorical === false && ['x', 'y', 'm'].some((key) => isOption(variable.flag, key));
      const error = columnTypeError({ ...variable, numeric }, this.dataset.format, source);
      if (error !== null) throw error;
      if (!variable.covariate || variable.categorical !== true) continue;
      const levels = [...variable.levelNames].sort(levelComparator(variable.labelCodes));
      if (levels.length > MAX_TEXT_LEVELS) {
        throw new DataError(
          words`covariate ${variable.name} is text with ${levels.length} levels (${levels.slice(0, 5).join(', ')}, …), ${source}, more than ${MAX_TEXT_LEVELS} is an id or free text, not a factor: leave it out of ${option('adjust')}, or pass ${option('categorical')} ${variable.name} if it is one`,
        );
      }
      this.notes?.push(words`${variable.name} ${variable.labelCodes ? 'is coded with SPSS value labels' : 'is text'} and enters as categorical (levels ${levels.join(', ')}; reference ${levels[0]} unless ${option('ref')})`);
    }
  }
}

/**
 * The rows an analysis leaves out under listwise deletion, and why: each row counts once in `rows` and under
 * every variable it lacks in `by_reason` (so the reasons can add up to more than `rows`).
 */
export class Exclusions {
  rows = 0;
  private readonly byReason = new Map<string, number>();

  /** Records one row lacking the variables named. */
  add(missing: readonly string[]): void {
    this.rows++;
    for (const name of missing) {
      const reason = `missing ${name}`;
      this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
    }
  }

  /** As the JSON reports it, reasons in code-point order. */
  summary(): { rows: number; by_reason: Record<string, number> } {
    return { rows: this.rows, by_reason: Object.fromEntries([...this.byReason].sort(([p], [q]) => (p < q ? -1 : 1))) };
  }
}
