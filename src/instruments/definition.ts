/**
 * Questionnaire definitions are data (JSON), checked on load; one scorer (`scorer.ts`) serves them all.
 *
 *   { "id", "label"?, "min", "max", "score": "mean" | "sum", "minAnswered"?: (0, 1] (default 0.75),
 *     "subscales": [ { "id", "items": [...], "reverse"?: [...], "minAnswered"? } ], "total"?: true | "subscales" }
 */
import { DataError, UsageError } from '../errors';
import { parseJson } from '../io/json';

export interface SubscaleDefinition {
  id: string;
  items: string[];
  reverse?: string[];
  minAnswered?: number;
}

export interface InstrumentDefinition {
  id: string;
  label?: string;
  min: number;
  max: number;
  score: 'mean' | 'sum';
  minAnswered?: number;
  subscales: SubscaleDefinition[];
  total?: true | 'subscales';
}

export const DEFAULT_MIN_ANSWERED = 0.75;

const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
const wai = (numbers: number[]): string[] => numbers.map((n) => `wai_${n}`);

/**
 * Built-in instruments.
 * WAI-I (working alliance inventory for internet interventions; Gómez Penedo et al. 2020), 12 items 1–5, scored
 * as item means with the WAI-SR key it derives from (Hatcher & Gillaspy 2006): no reversed items.
 * PHQ-ADS (Kroenke et al. 2016) = PHQ-9 (0–27) + GAD-7 (0–21), 0–48; PHQ-9 scored with ≥ 7 of 9 answered,
 * GAD-7 with ≥ 6 of 7, prorated (mean of answered items × number of items).
 */
export const BUILT_IN: ReadonlyMap<string, InstrumentDefinition> = new Map([
  [
    'wai',
    {
      id: 'wai',
      label: 'Working Alliance Inventory for internet interventions (WAI-I)',
      min: 1,
      max: 5,
      score: 'mean',
      subscales: [
        { id: 'task', items: wai([1, 2, 10, 12]) },
        { id: 'bond', items: wai([3, 5, 7, 9]) },
        { id: 'goal', items: wai([4, 6, 8, 11]) },
      ],
      total: true,
    },
  ],
  [
    'phqads',
    {
      id: 'phqads',
      label: 'PHQ Anxiety and Depression Scale (PHQ-9 + GAD-7)',
      min: 0,
      max: 3,
      score: 'sum',
      subscales: [
        { id: 'phq9', items: range('phq9_', 1, 9), minAnswered: 7 / 9 },
        { id: 'gad7', items: range('gad7_', 1, 7), minAnswered: 6 / 7 },
      ],
      total: 'subscales',
    },
  ],
] as Array<[string, InstrumentDefinition]>);

const TOP_KEYS = new Set(['id', 'label', 'min', 'max', 'score', 'minAnswered', 'subscales', 'total']);
const SUBSCALE_KEYS = new Set(['id', 'items', 'reverse', 'minAnswered']);

function fail(where: string, what: string): never {
  throw new DataError(`instrument ${where}: ${what}, fix the definition (format in README "Instruments")`);
}

function checkFraction(value: unknown, where: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) fail(where, `minAnswered must be a fraction in (0, 1], got ${JSON.stringify(value)}`);
}

function checkNames(value: unknown, where: string, key: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    fail(where, `"${key}" must be a list of column names`);
  }
  return value as string[];
}

/** Checks a parsed JSON value against the instrument format; `origin` names it in messages. */
export function validateInstrument(raw: unknown, origin: string): InstrumentDefinition {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(origin, 'must be a JSON object');
  const def = raw as Record<string, unknown>;
  for (const key of Object.keys(def)) {
    if (!TOP_KEYS.has(key)) fail(origin, `unknown key "${key}" (known: ${[...TOP_KEYS].join(', ')})`);
  }
  if (typeof def.id !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(def.id)) {
    fail(origin, `"id" must be letters and digits, starting with a letter (it prefixes score columns), got ${JSON.stringify(def.id)}`);
  }
  const where = `"${def.id}" (${origin})`;
  if (def.label !== undefined && typeof def.label !== 'string') fail(where, '"label" must be text');
  if (typeof def.min !== 'number' || typeof def.max !== 'number' || !Number.isFinite(def.min) || !Number.isFinite(def.max)) {
    fail(where, '"min" and "max" must be numbers');
  }
  if (def.min >= def.max) fail(where, `"min" (${def.min}) must be below "max" (${def.max})`);
  if (def.score !== 'mean' && def.score !== 'sum') fail(where, `"score" must be "mean" or "sum", got ${JSON.stringify(def.score)}`);
  checkFraction(def.minAnswered, where);
  if (def.total !== undefined && def.total !== true && def.total !== 'subscales') {
    fail(where, `"total" must be true (all items) or "subscales" (combine the subscale scores), got ${JSON.stringify(def.total)}`);
  }
  if (!Array.isArray(def.subscales) || def.subscales.length === 0) fail(where, '"subscales" must be a non-empty list');
  const ids = new Set<string>();
  const subscales = def.subscales.map((s: unknown, i: number): SubscaleDefinition => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) fail(where, `subscale ${i + 1} must be an object`);
    const sub = s as Record<string, unknown>;
    for (const key of Object.keys(sub)) {
      if (!SUBSCALE_KEYS.has(key)) fail(where, `unknown key "${key}" in subscale ${i + 1} (known: ${[...SUBSCALE_KEYS].join(', ')})`);
    }
    if (typeof sub.id !== 'string' || !/^[A-Za-z0-9]+$/.test(sub.id)) fail(where, `subscale ${i + 1} needs an "id" of letters and digits`);
    if (sub.id === 'total' && def.total !== undefined) fail(where, 'a subscale may not be called "total" when the instrument has a total');
    if (ids.has(sub.id)) fail(where, `subscale "${sub.id}" is defined twice`);
    ids.add(sub.id);
    const items = checkNames(sub.items, where, `subscales[${i}].items`);
    if (items.length === 0) fail(where, `subscale "${sub.id}" has no items`);
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item)) fail(where, `item "${item}" is listed twice in subscale "${sub.id}"`);
      seen.add(item);
    }
    const reverse = sub.reverse === undefined ? [] : checkNames(sub.reverse, where, `subscales[${i}].reverse`);
    for (const item of reverse) {
      if (!seen.has(item)) fail(where, `reversed item "${item}" is not among the items of subscale "${sub.id}"`);
    }
    checkFraction(sub.minAnswered, `${where} subscale "${sub.id}"`);
    return { id: sub.id, items, reverse, minAnswered: sub.minAnswered as number | undefined };
  });
  // An item reversed in one subscale and not in another would have two meanings in the total.
  if (def.total === true) {
    const reversedIn = new Map<string, boolean>();
    for (const sub of subscales) {
      for (const item of sub.items) {
        const rev = sub.reverse!.includes(item);
        if (reversedIn.has(item) && reversedIn.get(item) !== rev) {
          fail(where, `item "${item}" is reversed in one subscale and not in another, so the total is ambiguous`);
        }
        reversedIn.set(item, rev);
      }
    }
  }
  return {
    id: def.id,
    label: def.label as string | undefined,
    min: def.min,
    max: def.max,
    score: def.score,
    minAnswered: def.minAnswered as number | undefined,
    subscales,
    total: def.total as InstrumentDefinition['total'],
  };
}

/**
 * A built-in id (`wai`, `phqads`) as its definition, or null when `spec` is a path to a JSON definition (whose text
 * the caller reads, and records: data/dataset.ts); any other name is an error.
 */
export function builtInInstrument(spec: string): InstrumentDefinition | null {
  const builtIn = BUILT_IN.get(spec);
  if (builtIn) return builtIn;
  if (!spec.toLowerCase().endsWith('.json')) {
    throw new UsageError(`unknown instrument "${spec}", use a built-in (${[...BUILT_IN.keys()].join(', ')}) or a .json definition`);
  }
  return null;
}

/** An instrument definition from the text of its JSON file `spec`. */
export function parseInstrument(text: string, spec: string): InstrumentDefinition {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (error) {
    throw new DataError(`instrument ${spec} is not valid JSON (${(error as Error).message}), fix the file`);
  }
  return validateInstrument(raw, spec);
}
