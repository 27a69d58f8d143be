/**
 * The variables an analysis reads from each row (x, y, covariates, stratum, interaction column): resolved once
 * from roles or names, each read as a number or as a level of a category.
 *
 * A variable is categorical when named in --categorical or when its first non-missing value is text; a numeric
 * variable whose first value is text is an error of the command line (the wrong column was named), a later text
 * value an error of the data (RowReader.num names line and column).
 */
import { UsageError } from '../errors';
import type { Dataset } from './dataset';
import { levelKey } from './levels';
import type { RowReader } from './row';

export interface Variable {
  /** Column name (a role resolved). */
  name: string;
  column: number;
  /** The flag that named it first, for messages. */
  flag: string;
  /** null until the first non-missing value decides (or the analysis fixes it). */
  categorical: boolean | null;
  forcedCategorical: boolean;
  /** A non-missing value has been read. */
  seen: boolean;
  /** Level key → level index, and the keys in order of first appearance (categorical). */
  levels: Map<string, number>;
  levelNames: string[];
}

export class VariableSet {
  readonly list: Variable[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly dataset: Dataset,
    private readonly categorical: ReadonlySet<string>,
  ) {}

  /** Index of the variable a role or column name means, added on first mention (exit 2 when unknown). */
  add(name: string, flag: string): number {
    const column = this.dataset.resolve(name, flag);
    const columnName = this.dataset.columns[column];
    const existing = this.index.get(columnName);
    if (existing !== undefined) return existing;
    this.list.push({
      name: columnName,
      column,
      flag,
      categorical: null,
      forcedCategorical: this.categorical.has(columnName) || this.categorical.has(name),
      seen: false,
      levels: new Map(),
      levelNames: [],
    });
    this.index.set(columnName, this.list.length - 1);
    return this.list.length - 1;
  }

  /**
   * The covariates --adjust names, each once (a repeat is exit 2): not a variable the analysis is about
   * (`analysed`, an error naming them as `analysedAs`), and those in `leaving` (the stratifier, the interaction
   * column) dropped with their reason as a note.
   */
  covariates(names: string[], analysed: number[], analysedAs: string, leaving: ReadonlyMap<number, string>, notes: string[]): number[] {
    const covs: number[] = [];
    for (const name of names) {
      const v = this.add(name, '--adjust');
      const column = this.list[v].name;
      if (analysed.includes(v)) {
        throw new UsageError(`--adjust ${name} is the same column as ${analysedAs} (${column}), a variable cannot be adjusted for itself`);
      }
      const reason = leaving.get(v);
      if (reason !== undefined) {
        notes.push(`${column} ${reason}`);
        continue;
      }
      if (covs.includes(v)) throw new UsageError(`--adjust names ${column} twice, name each covariate once`);
      covs.push(v);
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

  /** The variable's value in the row: NaN when missing, the number, or (categorical) the level's index. */
  read(row: RowReader, v: number): number {
    const variable = this.list[v];
    if (row.isMissing(variable.column)) return NaN;
    if (variable.categorical === null) variable.categorical = variable.forcedCategorical || row.tryNum(variable.column) === null;
    if (!variable.categorical) {
      if (!variable.seen && row.tryNum(variable.column) === null) {
        throw new UsageError(
          `${variable.name} (${variable.flag}) is a text column ("${row.text(variable.column)}" at line ${row.line}), ` +
            `a variable in ${variable.flag} must be numeric`,
        );
      }
      variable.seen = true;
      return row.num(variable.column);
    }
    const key = levelKey(row, variable.column);
    let level = variable.levels.get(key);
    if (level === undefined) {
      level = variable.levelNames.length;
      variable.levels.set(key, level);
      variable.levelNames.push(key);
    }
    return level;
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
