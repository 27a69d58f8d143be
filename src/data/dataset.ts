/**
 * A dataset as every command sees it: the input's columns followed by the score columns of the instruments
 * found in it and the --compute columns, rows streamed one at a time after `--where`, roles resolved to columns.
 * Order of work for each row: read → score → compute (in the order given) → --where → the command's analysis
 * (a --where on input columns only is tested first, so the rows it rules out are neither scored nor computed; the
 * report's typing pass, typeRows, scores and computes every row once, and a row that fails fails only a pass that
 * keeps it).
 */
import { CliError, DataError, UsageError, afterFlag, nearestNames, oneLine, option, shown, words, type GivenIn, type Wording } from '../errors';
import { CsvInput, InputStreams, openInput, type HeldInput } from '../io/input';
import type { RecordBatch } from '../io/csv-reader';
import { BUILT_IN, InstrumentDefinition, builtInInstrument, parseInstrument } from '../instruments/definition';
import { readRecordedFile, type RecordedFile } from '../io/recorded-file';
import { SCORE_SOURCES, ScoreSource, ScoringPlan, planScoring, scoreRow } from '../instruments/scorer';
import { IdRepeats } from './ids';
import { compareLevels, levelKey, withReference, type LabelCodes } from './levels';
import { VariableLabels } from './labels';
import { OutOfRangePolicy, RowReader } from './row';
import { TYPED_BLOCK, TypedRow, TypedRows, type TypedInput } from './typed-rows';
import { CATEGORICAL_ROLES, Config, levelNames, loadConfig, readConfigFile } from './schema';
import { NumberFormat, numberFormat } from './values';
import { Progress, ProgressStreams } from './progress';
import { RowPredicate, compileWhere, parseWhere } from './where';
import { type CompiledCompute, type ExpressionColumns, compileCompute, compileCondition, computedName, isExpression } from './expression';

/** Options every data command takes (see cli/common.ts). */
export interface DataOptions {
  delimiter?: string;
  decimal?: string;
  /** Excel: the sheet to read, by name or number from 1. */
  sheet?: string;
  /** SPSS value labels: 'labels' (default) reads labelled columns as factors named by their labels, 'codes' as numbers. */
  values?: string;
  na?: string;
  where?: string;
  /** --compute NAME=EXPRESSION, in order (after the config file's "compute"). */
  compute?: string[];
  config?: string;
  /** The config file already read (report: once for every pass, or as its provenance recorded it); null for none. */
  configFile?: RecordedFile | null;
  /** Instrument definition files already read (report: once for every pass, or as its provenance recorded them). */
  instrumentFiles?: readonly RecordedFile[];
  map?: string;
  instrument?: string[];
  minAnswered?: number;
  outOfRange?: string;
  /** Reader chunk size in bytes (tests). */
  chunkSize?: number;
  /** The input already read and held (report): its records, parsed once, instead of the path's. */
  held?: HeldInput;
  /**
   * The held input's rows typed, scored and computed (report: Dataset.typeRows on a pass opened with the same options
   * and no --where), typed when this pass first reads: it reads them, filtered by its own --where, not the records.
   */
  typed?: TypedInput;
  hash?: boolean;
  /** Names of coded values by column (the plan's `levels`, over the config's). */
  levels?: Record<string, Record<string, string>>;
  /** Reference levels by column or role (the plan's `reference`, over the config's). */
  reference?: Record<string, string>;
  /** Display labels by role or column (the plan's `labels`, over the config's): data/labels.ts. */
  labels?: Record<string, string>;
  /** report --ref COL=LEVEL, over both. */
  ref?: string[];
  /** --scores: a score column the file already has is computed from the items ('items', default) or used ('file'). */
  scores?: string;
  /** validate: collect missing item columns instead of failing. */
  onMissingColumn?: (instrument: string, column: string, nearest: string[]) => void;
}

/** How many distinct texts of a --where column a no-match message lists. */
const WHERE_LEVELS_SHOWN = 8;

export interface RowCounts {
  /** Records read from the file. */
  read: number;
  /** Records kept by --where. */
  kept: number;
}

/** The name a score column of the file is set aside under when the score is computed from the items. */
export function setAsideName(name: string): string {
  return `${name} (file)`;
}

/** A score column of the file set aside for the one computed from the items, and how often the two differ. */
interface SetAside {
  name: string;
  /** The file's column (its index in `columns`) and the computed score's. */
  file: number;
  score: number;
  /** Rows scored, and those where the file's value is not the computed score (missing in one only, or another number). */
  rows: number;
  differ: number;
}

export class Dataset {
  readonly columns: string[];
  readonly inputWidth: number;
  readonly row: RowReader;
  readonly counts: RowCounts = { read: 0, kept: 0 };
  private readonly index: Map<string, number>;
  /** --where conditions on input columns (tested before scoring) and on score columns (after). */
  private before: RowPredicate | null = null;
  private after: RowPredicate | null = null;
  private readonly scores: Float64Array;
  /** --compute columns, evaluated in order after scoring (their values go to the row from `computedFrom` on). */
  private computed: CompiledCompute[] = [];
  private readonly computedFrom: number;
  private progress: Progress | null = null;
  /** Checks that need every row (a column's type): run once the last record has been read. */
  private readonly endChecks: Array<() => void> = [];
  /** Until a row passes --where: what the filtered columns hold, to say why none matched (whereMissed). */
  private ids: { column: number; repeats: IdRepeats } | null = null;
  private whereValues: Array<{ column: number; texts: Set<string>; min: number; max: number }> = [];
  /** How cells are read as numbers (decimal mark, missing codes). */
  readonly format: NumberFormat;
  /** Columns read as SPSS value labels: label → code, which orders their levels (levels.ts levelComparator). */
  readonly labelCodes = new Map<number, LabelCodes>();
  /** The instrument definitions read from .json files, as read (for the report's provenance). */
  instrumentFiles: RecordedFile[] = [];
  /** Where scores come from when the file has a column of a score's name (scorer.ts ScoreSource). */
  readonly scoreSource: ScoreSource;
  private readonly setAside: SetAside[];
  /** Columns named as a score whose items are not in the file: the file's values are the score. */
  private readonly unscored: string[];
  /** How variables are named to readers (data/labels.ts): the config's and plan's labels, SPSS variable labels, roles. */
  labels: VariableLabels = new VariableLabels(new Map(), new Map());
  /** Reference levels to find in the rows read (a misspelt one is an error, not a silent default). */
  private readonly referenceChecks: Array<{ column: number; level: string; seen: Set<string> }> = [];

  private constructor(
    readonly input: CsvInput,
    readonly config: Config,
    readonly scoring: ScoringPlan,
    readonly instruments: InstrumentDefinition[],
    computedNames: string[],
    readonly whereText: string | null,
    private readonly outOfRange: OutOfRangePolicy,
    decimal: '.' | ',',
    na: string[],
    scoreSource: ScoreSource,
    private readonly typed: TypedInput | null,
  ) {
    this.inputWidth = input.header.length;
    this.computedFrom = this.inputWidth + scoring.columns.length;
    this.scoreSource = scoreSource;
    const asideNames = new Set(scoring.setAside);
    const header = input.header.map((name) => (asideNames.has(name) ? setAsideName(name) : name));
    for (const name of scoring.setAside) {
      if (input.header.includes(setAsideName(name))) {
        throw new DataError(words`${input.source} has both "${shown(name)}" and "${shown(setAsideName(name))}": rename one, or pass ${option('scores')} file to use the file's ${shown(name)}`);
      }
    }
    this.columns = [...header, ...scoring.columns.map((c) => c.name), ...computedNames];
    this.setAside = scoring.setAside.map((name) => ({
      name,
      file: input.header.indexOf(name),
      score: this.inputWidth + scoring.columns.findIndex((c) => c.name === name),
      rows: 0,
      differ: 0,
    }));
    this.unscored = unscoredColumns(input.header, instruments, scoring);
    this.index = new Map(this.columns.map((name, i) => [name, i]));
    this.format = numberFormat(na, decimal);
    this.row = new (typed === null ? RowReader : TypedRow)(this.columns, this.inputWidth, input.source, this.format, outOfRange, input.delimiter);
    for (const col of scoring.columns) {
      for (const item of col.items) this.row.setBounds(item, { min: col.min, max: col.max });
    }
    this.scores = new Float64Array(scoring.columns.length);
  }

  static async open(path: string, options: DataOptions, streams: InputStreams & ProgressStreams): Promise<Dataset> {
    const config = loadConfig(options.configFile !== undefined ? options.configFile : await readConfigFile(options.config), options.map);
    const na = [...config.na, ...(options.na ? options.na.split(',') : [])];
    const decimal = options.decimal ?? config.decimal ?? '.';
    if (decimal !== '.' && decimal !== ',') throw new UsageError(words`${option('decimal')} must be "." or ",", got "${decimal}"`);
    const outOfRange = options.outOfRange ?? 'error';
    if (outOfRange !== 'error' && outOfRange !== 'missing') {
      throw new UsageError(words`${option('outOfRange')} must be "error" or "missing", got "${outOfRange}"`);
    }
    // A fraction in (0, 1], checked by its declaration (data/reading-options.ts).
    const minAnswered = options.minAnswered;
    const explicit = options.instrument !== undefined && options.instrument.length > 0;
    const specs = explicit ? options.instrument! : (config.instruments ?? [...BUILT_IN.keys()]);
    const instrumentFiles: RecordedFile[] = [];
    const instruments: InstrumentDefinition[] = [];
    for (const spec of specs) {
      const builtIn = builtInInstrument(spec);
      if (builtIn !== null) {
        instruments.push(builtIn);
        continue;
      }
      const file =
        options.instrumentFiles?.find((f) => f.path === spec) ??
        (await readRecordedFile(spec, explicit ? option('instrument') : words`instrument (config "instruments")`));
      instrumentFiles.push(file);
      instruments.push(parseInstrument(file.content, spec));
    }
    const ids = new Set<string>();
    for (const def of instruments) {
      if (ids.has(def.id)) throw new UsageError(`instrument "${def.id}" is given twice, name each once`);
      ids.add(def.id);
    }
    const whereText = options.where ? options.where : null;
    const expression = whereText !== null && isExpression(whereText);
    const where = whereText !== null && !expression ? parseWhere(whereText) : [];
    const computes = [...config.compute, ...(options.compute ?? [])];
    const computedNames: string[] = [];
    for (const text of computes) computedNames.push(await computedName(text));

    const values = options.values ?? 'labels';
    if (values !== 'labels' && values !== 'codes') throw new UsageError(words`${option('values')} must be "labels" or "codes", got "${values}"`);
    const reading = { delimiter: options.delimiter ?? config.delimiter, chunkSize: options.chunkSize, sheet: options.sheet };
    const input = options.held ? await options.held.open(reading) : await openInput({ path, ...reading, hash: options.hash }, streams);
    const header = input.header;
    const headerIndex = new Map<string, number>();
    header.forEach((name, i) => {
      const prior = headerIndex.get(name);
      if (prior !== undefined) {
        throw new DataError(
          `duplicate column name "${shown(name)}" (columns ${prior + 1} and ${i + 1}), ${input.source} line 1, give each column its own name`,
        );
      }
      headerIndex.set(name, i);
    });
    const scoreSource = (options.scores ?? config.scores ?? 'items') as ScoreSource;
    if (!SCORE_SOURCES.includes(scoreSource)) throw new UsageError(words`${option('scores')} must be "items" or "file", got "${shown(String(scoreSource))}"`);
    const scoring = planScoring(header, (name) => headerIndex.get(name), instruments, {
      scores: scoreSource,
      explicit: explicit || config.instruments !== undefined,
      itemColumns: config.itemColumns,
      minAnswered,
      source: input.source,
      onMissing: options.onMissingColumn,
    });
    const existing = new Set([...header, ...scoring.columns.map((c) => c.name)]);
    computedNames.forEach((name, k) => {
      if (existing.has(name) || computedNames.indexOf(name) !== k) {
        throw new UsageError(
          words`${option('compute')} "${shown(oneLine(computes[k]), 80)}": "${shown(name)}" is a column already${existing.has(name) ? '' : words` (an earlier ${option('compute')})`}, name the new column otherwise`,
        );
      }
    });
    // SPSS and Excel cells hold numbers in the form the reader wrote them, with a decimal point whatever --decimal says.
    const mark = input.format === 'csv' ? decimal : '.';
    const dataset = new Dataset(input, config, scoring, instruments, computedNames, whereText, outOfRange, mark, na, scoreSource, options.typed ?? null);
    // SPSS value labels make a factor named by its labels, except where the column holds numbers by definition
    // (items, number roles, score columns), which keep their codes whatever labels they carry (as --values codes).
    if (values === 'labels') {
      const factors = [...input.valueLabels.keys()].filter((column) => !dataset.isNumberColumn(column));
      input.useLabels(new Set(factors));
      for (const column of factors) {
        dataset.labelCodes.set(column, new Map([...input.valueLabels.get(column)!].map(([code, label]) => [label, code])));
      }
    }
    dataset.nameLevels(options);
    dataset.labels = new VariableLabels(new Map([...config.labels, ...Object.entries(options.labels ?? {})]), input.variableLabels);
    // A pass over typed rows reads nothing: no progress to show.
    if (options.typed === undefined) dataset.progress = Progress.forInput(path, streams);
    dataset.instrumentFiles = instrumentFiles;
    for (const [k, text] of computes.entries()) {
      const limit = dataset.computedFrom + k;
      const compiled = await compileCompute(text, dataset.expressionColumns(limit));
      const role = dataset.config.roles.get(compiled.name);
      if (role !== undefined && role !== compiled.name && dataset.index.has(role)) {
        throw new UsageError(
          words`${option('compute')} "${shown(oneLine(text), 80)}": "${shown(compiled.name)}" is a role (column ${shown(role)}), name the new column otherwise`,
        );
      }
      dataset.computed.push(compiled);
    }
    // Rows the input columns already rule out are not scored or computed at all (their answers are not read; on a
    // pass over typed rows, a failure of theirs is not raised).
    const split = (onInput: boolean) => (columns: number[]) => columns.every((c) => c < dataset.inputWidth) === onInput;
    let filtered: number[] = [];
    if (expression) {
      const condition = await compileCondition(whereText!, dataset.expressionColumns(dataset.columns.length));
      const keep: RowPredicate = (row) => condition.evaluate(row) === 1;
      if (split(true)(condition.columns)) dataset.before = keep;
      else dataset.after = keep;
      filtered = condition.columns;
    } else if (where.length > 0) {
      const resolve = (column: string) => dataset.resolve(column, option('where'));
      const onInput = where.filter((c) => split(true)([resolve(c.column)]));
      const onDerived = where.filter((c) => split(false)([resolve(c.column)]));
      if (onInput.length > 0) dataset.before = compileWhere(onInput, resolve);
      if (onDerived.length > 0) dataset.after = compileWhere(onDerived, resolve);
      filtered = where.map((c) => resolve(c.column));
    }
    dataset.whereValues = [...new Set(filtered)].map((column) => ({ column, texts: new Set<string>(), min: Infinity, max: -Infinity }));
    return dataset;
  }

  /**
   * The config's and the plan's `levels` (coded values named at reading, ordered by their codes as SPSS value labels
   * are) and `reference` levels, then report's --ref: the reference sorts first (levels.ts withReference).
   */
  private nameLevels(options: DataOptions): void {
    const where = this.config.file?.path ?? 'config';
    const levels = new Map(this.config.levels);
    for (const [column, names] of Object.entries(options.levels ?? {})) levels.set(column, new Map(levelNames(names, `levels.${column}`, 'the plan')));
    for (const [name, names] of levels) {
      const column = this.resolve(name, words`"levels" (${where} or the plan)`);
      if (column >= this.inputWidth || this.isNumberColumn(column)) {
        throw new UsageError(`"levels" names ${shown(name)}, which holds numbers (a score, an item or a number role): name the levels of a factor`);
      }
      this.row.setLevelNames(column, names);
      const codes = [...names];
      this.labelCodes.set(column, new Map(codes.map(([code, label], i) => [label, Number.isFinite(Number(code)) && code !== '' ? Number(code) : i])));
    }
    const reference = new Map(this.config.reference);
    for (const [column, level] of Object.entries(options.reference ?? {})) reference.set(column, level);
    for (const pair of options.ref ?? []) {
      const at = pair.indexOf('=');
      if (at <= 0 || at === pair.length - 1) throw new UsageError(words`${option('ref')} takes COLUMN=LEVEL, got "${shown(pair)}", e.g. ${option('ref')} sex=male`);
      reference.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    for (const [name, level] of reference) {
      const column = this.resolve(name, words`"reference" or ${option('ref')}`);
      this.labelCodes.set(column, withReference(this.labelCodes.get(column), level));
      const seen = new Set<string>();
      this.referenceChecks.push({ column, level, seen });
      this.atEnd(() => {
        if (seen.size === 0 || seen.size >= 64 || seen.has(level) || seen.has(String(Number(level)))) return;
        const levels = [...seen].sort(compareLevels).slice(0, 8).map((l) => shown(l, 30)).join(', ');
        throw new DataError(`reference ${shown(name)}=${shown(level)}: no such level in the rows read (levels: ${levels}), ${this.input.source}; name one of them`);
      });
    }
  }

  /** The columns an expression may name: those before `limit` (a --compute sees the ones before it), roles resolved. */
  private expressionColumns(limit: number): ExpressionColumns {
    return {
      find: (name) => {
        const i = this.index.get(this.columnName(name));
        return i !== undefined && i < limit ? i : null;
      },
      names: () => [...this.columns.slice(0, limit), ...this.config.roles.keys()],
    };
  }

  /** Names a role or column resolves to: roles first (unless a column of that name exists), then columns. */
  columnName(name: string): string {
    if (this.index.has(name)) return name;
    return this.config.roles.get(name) ?? name;
  }

  /** The role typed, when `name` was one. */
  roleOf(name: string): string | null {
    return !this.index.has(name) && this.config.roles.has(name) ? name : null;
  }

  has(name: string): boolean {
    return this.index.has(this.columnName(name));
  }

  /** Column index of a role or column named in an option (`flag`, or words for elsewhere); exit 2 naming it, the nearest names and the roles. */
  resolve(name: string, flag: GivenIn): number {
    const column = this.columnName(name);
    const i = this.index.get(column);
    if (i !== undefined) return i;
    const near = nearestNames(name, [...this.columns, ...this.config.roles.keys()]);
    const role = column !== name ? ` (role ${name} means column "${column}", which is not in the file and whose items are not either)` : '';
    throw new UsageError(
      words`unknown column "${shown(name)}" in ${flag}${role}, ${this.input.source}${near.length ? `; nearest: ${near.join(', ')}` : ''}${this.renamedItems(column)}; roles: ${[...this.config.roles.keys()].join(', ')}`,
    );
  }

  /**
   * Whether a column holds numbers by definition, whatever its cells say: a score column, an instrument's item,
   * or the column of a number role of the schema (every role but sex, unless the config maps it elsewhere).
   */
  isNumberColumn(column: number): boolean {
    if (column >= this.inputWidth) return true;
    const name = this.columns[column];
    if (this.scoring.existing.includes(name) || this.setAside.some((a) => a.file === column) || this.unscored.includes(name)) return true;
    if (this.scoring.itemColumns.includes(column)) return true;
    for (const [role, mapped] of this.config.roles) if (mapped === name && !CATEGORICAL_ROLES.has(role)) return true;
    return false;
  }

  /** Runs `check` after the last record of forEach (a decision that needs the whole column). */
  atEnd(check: () => void): void {
    this.endChecks.push(check);
  }

  /**
   * For a score column that is missing because its instrument's items are (renamed in the export, e.g. WAI4_1):
   * where the items probably are and how to map them; '' otherwise.
   */
  private renamedItems(column: string): Wording {
    const def = this.instruments.find((d) => column.startsWith(`${d.id}_`));
    if (def === undefined) return '';
    const first = def.subscales[0]?.items[0];
    if (first === undefined || this.index.has(first)) return '';
    const near = nearestNames(first, this.input.header);
    if (near.length === 0) return '';
    return words`; the ${def.id} items (${first}, …) are not in the file under those names (nearest to ${first}: ${near.join(', ')}), map them with ${option('map')} ${near[0]}=${first},…${afterFlag('map', ' or "map" in canrelax.config.json')}`;
  }

  /**
   * Checks the id column (when the file has it) for repeated ids over the rows kept; `idRepeats()` after the
   * rows have been read tells the warning.
   */
  watchIds(name: string): void {
    const column = this.index.get(name);
    if (column !== undefined && column < this.inputWidth) this.ids = { column, repeats: new IdRepeats(name) };
  }

  /** The repeated-id warning for the rows read (watchIds), or null. */
  idRepeats(): string | null {
    return this.ids === null ? null : this.ids.repeats.warning(this.input.source);
  }

  /** Whether the loaded row passes the --where conditions on input columns (validate does not score). */
  matchesInput(row: RowReader): boolean {
    if (this.after !== null) throw new UsageError(words`validate filters on input columns only, drop the score columns from ${option('where')}`);
    return this.before === null || this.before(row);
  }

  /**
   * Streams every record: parses, scores, filters, then calls `each` with the row. `afterBatch` runs between
   * batches (the place to wait for a slow consumer). A pass over typed rows (`typed`) replays them instead: no cell
   * parsed, scored or computed again, a row's failure raised where scoring it would have raised it.
   */
  async forEach(each: (row: RowReader) => void, afterBatch?: () => Promise<void> | void): Promise<void> {
    const row = this.row;
    const typed = this.typed === null ? null : (row as TypedRow);
    const rows = this.typed === null ? null : await this.typed.rows();
    if (rows !== null) typed!.use(rows);
    const { before, after, ids } = this;
    try {
      for await (const block of this.blocks(rows)) {
        const count = block.count;
        this.counts.read += count;
        for (let r = 0; r < count; r++) {
          if (typed !== null) typed.at(block.first + r);
          else row.load(block.batch!, r);
          if (before !== null && !before(row)) {
            if (this.counts.kept === 0) this.noteMissed(row, false);
            continue;
          }
          if (typed !== null) typed.raiseFailure();
          else this.derive(row);
          if (this.setAside.length > 0) this.compareSetAside(row);
          if (after !== null && !after(row)) {
            if (this.counts.kept === 0) this.noteMissed(row, true);
            continue;
          }
          this.counts.kept++;
          if (ids !== null && ids.repeats.open) ids.repeats.add(row.text(ids.column), row.line);
          for (let k = 0; k < this.referenceChecks.length; k++) {
            const check = this.referenceChecks[k];
            if (check.seen.size < 64 && !row.isMissing(check.column)) check.seen.add(levelKey(row, check.column));
          }
          each(row);
        }
        this.progress?.update(this.counts.read, this.input.bytesRead());
        if (afterBatch) await afterBatch();
      }
    } finally {
      // Cleared on errors too, so the one-line message starts at the left.
      this.progress?.done();
    }
    // What ended the records (a damaged line), after the rows before it, as on a pass over the records.
    if (rows?.end) throw rows.end;
    if (this.counts.read === 0) {
      throw new DataError(`no data rows after the header, ${this.input.source}, export the data rows too`);
    }
    if (this.counts.kept === 0 && this.whereText !== null) throw this.whereMissed();
    for (const check of this.endChecks) check();
  }

  /** The rows of a pass: the input's record batches, or blocks of the typed rows. */
  private async *blocks(typed: TypedRows | null): AsyncGenerator<{ batch: RecordBatch | null; first: number; count: number }> {
    if (typed === null) {
      for await (const batch of this.input.batches()) yield { batch, first: 0, count: batch.lines.length };
      return;
    }
    for (let first = 0; first < typed.n; first += TYPED_BLOCK) yield { batch: null, first, count: Math.min(TYPED_BLOCK, typed.n - first) };
  }

  /** Scores the loaded row (the instruments' items read as numbers) and computes its --compute columns, in order. */
  private derive(row: RowReader): void {
    if (this.scoring.columns.length > 0) {
      row.loadNumbers(this.scoring.itemColumns);
      scoreRow(this.scoring, row.values, this.scores);
      row.setDerived(this.inputWidth, this.scores);
    }
    const computed = this.computed;
    for (let k = 0; k < computed.length; k++) row.setValue(this.computedFrom + k, computed[k].evaluate(row));
  }

  /**
   * The one typing pass (data/typed-rows.ts): every record read, scored and computed, each cell kept as it reads, for
   * passes opened with `typed` to replay. On a pass opened with no --where; a row whose scoring or computing fails keeps
   * its failure (for the passes that keep the row); a failure that ends the records (a line with the wrong number of
   * fields, the file's own) ends it and is kept, for every pass to raise after the rows before it.
   */
  async typeRows(): Promise<TypedRows> {
    if (this.whereText !== null || this.typed !== null) throw new Error('Dataset.typeRows: on an unfiltered pass over the records');
    const row = this.row;
    const typed = new TypedRows(this.columns.length, this.inputWidth, row, (loaded) => this.derive(loaded));
    const items = this.scoring.columns.length > 0 ? this.scoring.itemColumns : new Int32Array(0);
    const strict = this.outOfRange === 'error';
    try {
      for await (const batch of this.input.batches()) {
        const count = batch.lines.length;
        this.counts.read += count;
        typed.addBatch(batch);
        for (let r = 0; r < count; r++) {
          row.load(batch, r);
          typed.add(row, r, items, strict);
        }
        this.progress?.update(this.counts.read, this.input.bytesRead());
      }
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      typed.end = error;
    } finally {
      this.progress?.done();
    }
    typed.done();
    return typed;
  }

  /** Counts the rows where a set-aside file column differs from the score computed from the items. */
  private compareSetAside(row: RowReader): void {
    for (const a of this.setAside) {
      a.rows++;
      const computed = row.values[a.score];
      const own = row.isMissing(a.file) ? NaN : row.tryNum(a.file);
      if (own === null) a.differ++;
      else if (own !== own || computed !== computed) {
        if ((own !== own) !== (computed !== computed)) a.differ++;
      } else if (Math.abs(own - computed) > 1e-9 * Math.max(1, Math.abs(computed))) a.differ++;
    }
  }

  /**
   * Where each score a file column could stand for comes from, once the rows have been read: a column set aside for
   * the score computed from the items (and how many rows differ), a file column used as the score (--scores file), or
   * a file column used because its items are not in the file. Every analysing command says these (JSON notes, the
   * report's scoring section) and warns of those that matter (`warn`: on stderr); set-aside columns equal to the
   * computed scores in every row (a file `score` wrote) are one note and no warning.
   */
  scoreNotes(): Array<{ text: Wording; warn: boolean }> {
    const notes: Array<{ text: Wording; warn: boolean }> = [];
    const equal = this.setAside.filter((a) => a.differ === 0);
    if (equal.length > 0) {
      const names = equal.map((a) => a.name);
      notes.push({
        text: `${joinNames(names)} computed from the items as the instrument defines it; the file's column${names.length === 1 ? '' : 's'} of ${names.length === 1 ? 'that name equals' : 'those names equal'} the computed score${names.length === 1 ? '' : 's'} in all ${equal[0].rows} rows and ${names.length === 1 ? 'is' : 'are'} set aside as "${setAsideName(names[0])}"${names.length === 1 ? '' : ', …'}`,
        warn: false,
      });
    }
    for (const a of this.setAside.filter((x) => x.differ > 0)) {
      notes.push({
        text: words`${a.name} computed from the items as the instrument defines it; the file's column ${a.name} is set aside as "${setAsideName(a.name)}" (${a.differ} of ${a.rows} rows differ from the computed score; ${option('scores')} file uses it instead)`,
        warn: true,
      });
    }
    for (const name of this.scoring.existing) notes.push({ text: words`${name} taken from the file's column ${name}, not computed from the items (${option('scores')} file)`, warn: true });
    for (const name of this.unscored) notes.push({ text: `${name} taken from the file's column ${name}: its instrument's items are not in the file`, warn: true });
    return notes;
  }

  /** Records what a row --where turned away holds in the filtered columns (score columns only once scored). */
  private noteMissed(row: RowReader, scored: boolean): void {
    for (const seen of this.whereValues) {
      if (seen.column >= this.inputWidth && !scored) continue;
      if (row.isMissing(seen.column)) continue;
      const n = row.tryNum(seen.column);
      if (n !== null) {
        if (n < seen.min) seen.min = n;
        if (n > seen.max) seen.max = n;
      } else if (seen.texts.size <= WHERE_LEVELS_SHOWN) seen.texts.add(row.text(seen.column).trim());
    }
  }

  /** "no rows where arm=App, data.csv; arm has app, waitlist": the filter and what its columns hold. */
  private whereMissed(): DataError {
    const held = this.whereValues.map(({ column, texts, min, max }) => {
      const name = this.columns[column];
      const parts: string[] = [];
      if (texts.size > 0) {
        const sorted = [...texts].sort(compareLevels);
        parts.push(sorted.slice(0, WHERE_LEVELS_SHOWN).map((t) => shown(oneLine(t), 30)).join(', ') + (sorted.length > WHERE_LEVELS_SHOWN ? ', …' : ''));
      }
      const num = (n: number) => String(Number(n.toPrecision(6)));
      if (min <= max) parts.push(min === max ? num(min) : `numbers from ${num(min)} to ${num(max)}`);
      return parts.length > 0 ? `${name} has ${parts.join(' and ')}` : `${name} is missing in every row`;
    });
    return new DataError(
      `no rows where ${oneLine(this.whereText ?? '')}, ${this.input.source}; ${held.join('; ')}; check the values and their case`,
    );
  }
}

/**
 * Columns of the file named as a score of an instrument (`wai_total`, `phqads_total_t2`) that nothing scores: their
 * items are not in the file, so the file's values are the score.
 */
function unscoredColumns(header: readonly string[], instruments: readonly InstrumentDefinition[], scoring: ScoringPlan): string[] {
  const scored = new Set([...scoring.columns.map((c) => c.name), ...scoring.existing]);
  return header.filter((name) => {
    if (scored.has(name)) return false;
    return instruments.some((def) => {
      const parts = [...def.subscales.map((s) => s.id), ...(def.total ? ['total'] : [])];
      return parts.some((part) => name === `${def.id}_${part}` || name.startsWith(`${def.id}_${part}_`));
    });
  });
}

/** "a, b and c". */
function joinNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
