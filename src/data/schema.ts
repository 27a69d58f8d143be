/**
 * The CanRelax export schema, its roles, and `canrelax.config.json`, which overrides them.
 *
 * Roles are names users type for the columns of the published analysis:
 *   alliance → wai_total, bond → wai_bond, task → wai_task, goal → wai_goal,
 *   baseline → phqads_total_t0, distress → phqads_total_w10, expectation / sex / age → same name.
 *
 * canrelax.config.json (in the working directory, or --config FILE):
 *   { "roles": { "<role>": "<column>" }, "map": { "<column in the file>": "<item name>" },
 *     "instruments": ["wai", "phqads", "path/to/def.json"], "na": ["-99"], "delimiter": ";", "decimal": ",",
 *     "categorical": ["group"],
 *     "compute": ["change = phqads_total_w10 - phqads_total_t0"] }
 */
import { existsSync } from 'node:fs';
import { option, UsageError, words } from '../errors';
import { readRecordedFile, type RecordedFile } from '../io/recorded-file';
import { parseJson } from '../io/json';

export const DEFAULT_ROLES: ReadonlyArray<[string, string]> = [
  ['alliance', 'wai_total'],
  ['bond', 'wai_bond'],
  ['task', 'wai_task'],
  ['goal', 'wai_goal'],
  ['baseline', 'phqads_total_t0'],
  ['distress', 'phqads_total_w10'],
  ['expectation', 'expectation'],
  ['sex', 'sex'],
  ['age', 'age'],
];

/**
 * Marks a value `init` could not choose with confidence (a role's column, an item's column, the plan's filter): the
 * text after it says what to fill in. `validate` reports every one left; a command that needs one fails naming it.
 */
export const PLACEHOLDER = 'TODO:';

/** The placeholders left in a config or plan: "where: text" for each string (or object key) starting with PLACEHOLDER. */
export function placeholdersIn(value: unknown, where = ''): string[] {
  if (typeof value === 'string') return value.startsWith(PLACEHOLDER) ? [`${where}: ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersIn(v, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const at = where === '' ? k : `${where}.${k}`;
      return k.startsWith(PLACEHOLDER) ? [`${where === '' ? k : where}: ${k}`] : placeholdersIn(v, at);
    });
  }
  return [];
}

/** The schema's factor roles; every other role names a number column (a score, age, expectation). */
export const CATEGORICAL_ROLES: ReadonlySet<string> = new Set(['sex']);

export interface Config {
  roles: Map<string, string>;
  /** logical item name → physical column (the inverse of what users write, "column": "item"). */
  itemColumns: Map<string, string>;
  instruments?: string[];
  na: string[];
  /** Columns read as factors when an analysis uses them, as if named in --categorical (init writes those it finds). */
  categorical: string[];
  delimiter?: string;
  decimal?: '.' | ',';
  /** Computed columns, NAME = EXPRESSION (data/expression.ts), before any --compute. */
  compute: string[];
  /** Where a score comes from when the file has a column of its name: 'items' (default) or 'file' (--scores). */
  scores?: 'items' | 'file';
  /** Display labels by role or column (report/labels.ts): "distress" → "Distress at week 12 (PHQ-ADS)". */
  labels: Map<string, string>;
  /** Names of coded values by column, applied at reading as SPSS value labels are: "Geschlecht" → { "1": "male" }. */
  levels: Map<string, Map<string, string>>;
  /** Reference level by column (or role): listed first, the level the others are compared with. */
  reference: Map<string, string>;
  /** The config file read, as the report's provenance records it (null: none). */
  file: RecordedFile | null;
}

/**
 * The one place the config file is read: --config FILE, else ./canrelax.config.json when present, else none. The
 * text is kept so that a record of the run (the report's provenance) holds exactly what was applied.
 */
export async function readConfigFile(explicitPath: string | undefined): Promise<RecordedFile | null> {
  const path = explicitPath ?? (existsSync('canrelax.config.json') ? 'canrelax.config.json' : null);
  if (path === null) return null;
  return readRecordedFile(path, option('config'));
}

const KEYS = new Set(['roles', 'map', 'instruments', 'na', 'delimiter', 'decimal', 'categorical', 'compute', 'scores', 'labels', 'levels', 'reference']);

function stringRecord(value: unknown, key: string, path: string): Array<[string, string]> {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`"${key}" in ${path} must be an object of names, fix the config`);
  }
  return Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    if (typeof v !== 'string' || v === '') throw new UsageError(`"${key}.${k}" in ${path} must be a column name, fix the config`);
    return [k, v];
  });
}

/** One column's `levels`: code → name, each name given once. */
export function levelNames(value: unknown, key: string, path: string): Array<[string, string]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`"${key}" in ${path} must be an object { "code": "name" }, fix the config`);
  const pairs = Object.entries(value as Record<string, unknown>).map(([code, name]): [string, string] => {
    if (typeof name !== 'string' || name.trim() === '') throw new UsageError(`"${key}.${code}" in ${path} must be a level name, fix the config`);
    return [code.trim(), name.trim()];
  });
  const names = pairs.map(([, name]) => name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new UsageError(`"${key}" in ${path} names two codes "${twice}", give each level its own name`);
  return pairs;
}

/** Parses `COLUMN=ITEM,COLUMN=ITEM` (--map) into pairs. */
export function parseMapFlag(text: string): Array<[string, string]> {
  return text.split(',').map((pair) => {
    const at = pair.indexOf('=');
    const column = pair.slice(0, at).trim();
    const item = pair.slice(at + 1).trim();
    if (at <= 0 || item === '') throw new UsageError(words`${option('map')} takes COLUMN=ITEM pairs, got "${pair}", e.g. ${option('map')} WAI4_01=wai_1`);
    return [column, item];
  });
}

/** The config (a file as readConfigFile read it, or none) with --map pairs folded in. */
export function loadConfig(file: RecordedFile | null, mapFlag: string | undefined): Config {
  const path = file?.path ?? null;
  let raw: Record<string, unknown> = {};
  if (file !== null) {
    try {
      raw = parseJson(file.content) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${path} is not valid JSON (${(error as Error).message}), fix the config`);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${path} must hold a JSON object, fix the config`);
    for (const key of Object.keys(raw)) {
      if (!KEYS.has(key)) throw new UsageError(`unknown key "${key}" in ${path} (known: ${[...KEYS].join(', ')}), fix the config`);
    }
  }
  const where = path ?? 'config';
  const roles = new Map(DEFAULT_ROLES);
  for (const [role, column] of stringRecord(raw.roles, 'roles', where)) roles.set(role, column);
  const itemColumns = new Map<string, string>();
  const pairs = [...stringRecord(raw.map, 'map', where), ...(mapFlag ? parseMapFlag(mapFlag) : [])];
  for (const [column, item] of pairs) itemColumns.set(item, column);
  const list = (key: string): string[] | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new UsageError(`"${key}" in ${where} must be a list of strings, fix the config`);
    return v as string[];
  };
  const decimal = raw.decimal;
  if (decimal !== undefined && decimal !== '.' && decimal !== ',') throw new UsageError(`"decimal" in ${where} must be "." or ",", fix the config`);
  if (raw.scores !== undefined && raw.scores !== 'items' && raw.scores !== 'file') throw new UsageError(`"scores" in ${where} must be "items" or "file", fix the config`);
  if (raw.delimiter !== undefined && typeof raw.delimiter !== 'string') throw new UsageError(`"delimiter" in ${where} must be text, fix the config`);
  const levels = new Map<string, Map<string, string>>();
  if (raw.levels !== undefined) {
    if (raw.levels === null || typeof raw.levels !== 'object' || Array.isArray(raw.levels)) {
      throw new UsageError(`"levels" in ${where} must be an object of columns, each { "code": "name" }, fix the config`);
    }
    for (const [column, names] of Object.entries(raw.levels as Record<string, unknown>)) {
      levels.set(column, new Map(levelNames(names, `levels.${column}`, where)));
    }
  }
  return {
    roles,
    itemColumns,
    labels: new Map(stringRecord(raw.labels, 'labels', where)),
    levels,
    reference: new Map(stringRecord(raw.reference, 'reference', where)),
    instruments: list('instruments'),
    na: list('na') ?? [],
    categorical: list('categorical') ?? [],
    compute: list('compute') ?? [],
    delimiter: raw.delimiter as string | undefined,
    decimal: decimal as '.' | ',' | undefined,
    scores: raw.scores as 'items' | 'file' | undefined,
    file,
  };
}
