/**
 * `init`'s reading of an unknown export: what each column holds (numbers, their range, text levels, missing-value
 * codes, decimal commas), and from that a config and a plan: columns matched to the instruments' items and to the
 * roles by name (case, separators and leading zeros aside, then known synonyms) and checked by their values. Every
 * choice comes with the reason for it; a choice that cannot be made with confidence is left as a placeholder
 * ("TODO: …", schema.ts PLACEHOLDER) that `validate` reports until it is filled.
 */
import { CANRELAX } from './canrelax';
import type { CsvInput } from '../io/input';
import type { InstrumentDefinition } from '../instruments/definition';
import { DEFAULT_ROLES, PLACEHOLDER } from './schema';
import { DEFAULT_MISSING, INVALID, MISSING_CODES, numberFormat, parseNumber } from './values';

export interface ColumnProfile {
  name: string;
  /** Cells that are not missing (by the default missing codes). */
  present: number;
  /** Cells read as numbers (decimal commas included), and of those whole numbers; min and max over them less codes. */
  numbers: number;
  integers: number;
  min: number;
  max: number;
  /** Distinct numbers (up to LEVEL_CAP + 1) and distinct texts that are not numbers (up to LEVEL_CAP + 1). */
  values: Set<number>;
  texts: Map<string, number>;
  /** Cells like 3,5 (a decimal comma). */
  decimalCommas: number;
  /** Candidate missing-value codes found in the column: code text → cells. */
  codes: Map<string, number>;
  /** SPSS value labels present (the column reads as a factor, named by them, unless it holds numbers by definition). */
  labelled: boolean;
  labels: ReadonlyMap<number, string> | null;
}

/** Numeric codes exports use for "missing" (values.ts): taken as such only where they stand far outside the column's other values. */
const NUMBER_CODES = MISSING_CODES;
/** Texts for "missing" that are not among the default missing codes (values.ts DEFAULT_MISSING). */
const TEXT_CODES = ['n/a', 'na', 'N/a', 'missing', 'Missing', '-', '--', '?', 'NULL', 'null', 'none', '#N/A', '#NV', 'k.A.'];
const LEVEL_CAP = 20;
const DECIMAL_COMMA = /^[+-]?[0-9]+,[0-9]+$/;

/** Reads every row once and profiles each column. */
export async function profileColumns(input: CsvInput): Promise<ColumnProfile[]> {
  const format = numberFormat();
  const profiles: ColumnProfile[] = input.header.map((name, i) => ({
    name,
    present: 0,
    numbers: 0,
    integers: 0,
    min: Infinity,
    max: -Infinity,
    values: new Set(),
    texts: new Map(),
    decimalCommas: 0,
    codes: new Map(),
    labelled: input.valueLabels.has(i),
    labels: input.valueLabels.get(i) ?? null,
  }));
  const codeNumbers = new Set(NUMBER_CODES);
  const width = input.header.length;
  const delimiter = input.delimiter;
  for await (const batch of input.batches()) {
    const count = batch.lines.length;
    for (let r = 0; r < count; r++) {
      const cells = batch.rows !== null ? batch.rows[r] : batch.raw![r].split(delimiter);
      for (let c = 0; c < width && c < cells.length; c++) {
        const cell = cells[c].trim();
        const p = profiles[c];
        if (DEFAULT_MISSING.includes(cell)) continue;
        p.present++;
        let value = parseNumber(cell, format);
        if (value === INVALID && DECIMAL_COMMA.test(cell)) {
          p.decimalCommas++;
          value = Number(cell.replace(',', '.'));
        }
        if (value === INVALID) {
          if (TEXT_CODES.includes(cell)) p.codes.set(cell, (p.codes.get(cell) ?? 0) + 1);
          else if (p.texts.size <= LEVEL_CAP || p.texts.has(cell)) p.texts.set(cell, (p.texts.get(cell) ?? 0) + 1);
          continue;
        }
        if (codeNumbers.has(value)) {
          p.codes.set(String(value), (p.codes.get(String(value)) ?? 0) + 1);
          continue;
        }
        p.numbers++;
        if (Number.isInteger(value)) p.integers++;
        if (value < p.min) p.min = value;
        if (value > p.max) p.max = value;
        if (p.values.size <= LEVEL_CAP) p.values.add(value);
      }
    }
  }
  // A code is a code only far outside the column's other numbers; else it is a value (99 years, 77 kg) after all.
  for (const p of profiles) {
    for (const [code, cells] of [...p.codes]) {
      const n = Number(code);
      if (!Number.isFinite(n)) continue;
      const outside = p.numbers === 0 ? false : n < 0 ? n < p.min : n > 10 * Math.max(Math.abs(p.max), 1);
      if (outside) continue;
      p.codes.delete(code);
      p.numbers += cells;
      p.integers += cells;
      p.min = Math.min(p.min, n);
      p.max = Math.max(p.max, n);
      if (p.values.size <= LEVEL_CAP) p.values.add(n);
    }
  }
  return profiles;
}

/** Name tokens: lower case, split at separators and letter/digit boundaries, leading zeros dropped ("WAI_01" → wai 1). */
export function nameTokens(name: string): string[] {
  return (name.toLowerCase().match(/[a-z\u00c0-\u024f]+|[0-9]+/g) ?? []).map((t) => (/^[0-9]+$/.test(t) ? String(Number(t)) : t));
}

export type Confidence = 'high' | 'medium' | 'none';

/** One decision, as printed. */
export interface Choice {
  what: string;
  choice: string;
  confidence: Confidence;
  why: string;
}

export interface InitResult {
  config: Record<string, unknown>;
  plan: Record<string, unknown>;
  choices: Choice[];
  /** Placeholders left to fill (each also a Choice with confidence none). */
  placeholders: number;
}

const ROLE_SYNONYMS: Record<string, string[]> = {
  id: ['id', 'participant', 'participant id', 'subject', 'pid', 'record id', 'code', 'case'],
  arm: ['arm', 'group', 'condition', 'treatment', 'allocation', 'randomisation', 'randomization', 'gruppe'],
  sex: ['sex', 'gender', 'geschlecht'],
  age: ['age', 'age years', 'alter', 'age y'],
  expectation: ['expectation', 'expectancy', 'treatment expectation', 'expect', 'erwartung'],
};

/** How well a column name fits a wanted name: exact, same tokens, a synonym's tokens, or not at all. */
function nameFit(column: string, wanted: string[]): 'exact' | 'tokens' | null {
  if (wanted.includes(column)) return 'exact';
  const tokens = nameTokens(column).join(' ');
  return wanted.some((w) => nameTokens(w).join(' ') === tokens) ? 'tokens' : null;
}

const placeholder = (text: string) => `${PLACEHOLDER} ${text}`;
const range = (p: ColumnProfile) => (p.numbers > 0 ? `${p.min}–${p.max}` : 'no numbers');

/** Baseline time points by name; the other time point of two is the follow-up. */
const BASELINE = new Set(['t0', 'baseline', 'bl', 'pre', 'base', 'screening', '0']);

export function inferSetup(profiles: ColumnProfile[], instruments: InstrumentDefinition[], input: { source: string; format: string; delimiter: string }): InitResult {
  const choices: Choice[] = [];
  const config: Record<string, unknown> = {};
  const map: Record<string, string> = {};
  const roles: Record<string, string> = {};
  const used = new Set<string>();
  let placeholders = 0;
  const choose = (what: string, choice: string, confidence: Confidence, why: string) => {
    choices.push({ what, choice, confidence, why });
    if (confidence === 'none') placeholders++;
  };

  // Items: a column whose name tokens start with an item's tokens; the rest of its tokens name the time point.
  const found = new Map<string, Map<string, string>>(); // instrument → "item|timepoint" → column
  const timepointsOf = new Map<string, Set<string>>();
  const kept: string[] = [];
  for (const def of instruments) {
    const items = [...new Set(def.subscales.flatMap((s) => s.items))];
    const matches = new Map<string, string[]>();
    for (const p of profiles) {
      const tokens = nameTokens(p.name);
      for (const item of items) {
        const itemTokens = nameTokens(item);
        if (tokens.length < itemTokens.length || itemTokens.some((t, i) => tokens[i] !== t)) continue;
        const timepoint = tokens.slice(itemTokens.length).join('');
        const key = `${item}|${timepoint}`;
        matches.set(key, [...(matches.get(key) ?? []), p.name]);
      }
    }
    if (matches.size === 0) {
      choose(`instrument ${def.id}`, 'not scored', 'high', `no column is named like its items (${items[0]}, …)`);
      continue;
    }
    kept.push(def.id);
    const timepoints = new Set([...matches.keys()].map((k) => k.split('|')[1]));
    timepointsOf.set(def.id, timepoints);
    const columns = new Map<string, string>();
    found.set(def.id, columns);
    for (const timepoint of [...timepoints].sort()) {
      const suffix = timepoint === '' ? '' : `_${timepoint}`;
      for (const item of items) {
        const logical = item + suffix;
        const candidates = matches.get(`${item}|${timepoint}`) ?? [];
        if (candidates.length !== 1) {
          const why = candidates.length === 0 ? 'no column is named like it' : `${candidates.length} columns fit: ${candidates.join(', ')}`;
          map[placeholder(`the column of ${logical}`)] = logical;
          choose(`item ${logical}`, 'placeholder in "map"', 'none', why);
          continue;
        }
        const column = candidates[0];
        const p = profiles.find((q) => q.name === column)!;
        used.add(column);
        const inRange = p.numbers === 0 || (p.integers === p.numbers && p.min >= def.min && p.max <= def.max);
        const texts = [...p.texts.keys()];
        if (!inRange || texts.length > 0) {
          map[placeholder(`check ${column}: values ${range(p)}${texts.length ? `, text ${texts.slice(0, 3).join(', ')}` : ''}, ${def.id} answers are whole numbers ${def.min}–${def.max}`)] = logical;
          choose(`item ${logical}`, `${column}? placeholder in "map"`, 'none', `named like it, but its values do not fit ${def.min}–${def.max} (${range(p)})`);
          continue;
        }
        columns.set(logical, column);
        if (column !== logical) map[column] = logical;
        choose(
          `item ${logical}`,
          column,
          'high',
          `${column === logical ? 'same name' : 'same name but for case, separators and leading zeros'}; values ${range(p)} within ${def.min}–${def.max}`,
        );
      }
    }
  }
  config.instruments = kept;
  // Score columns the export already holds (a database's wai_total): set aside for the scores computed from the items.
  for (const def of instruments.filter((d) => kept.includes(d.id))) {
    const parts = [...def.subscales.map((sub) => sub.id), ...(def.total ? ['total'] : [])];
    for (const p of profiles) {
      if (!parts.some((part) => p.name === `${def.id}_${part}` || p.name.startsWith(`${def.id}_${part}_`))) continue;
      choose(`score ${p.name}`, 'set aside', 'high', `the file's own score: computed from the ${def.id} items instead (every output says how many rows differ); "scores": "file" in the config uses it`);
    }
  }

  // Roles that name score columns: the instrument's time point (one of several is a choice to make).
  const scoreRole = (role: string, instrument: string, subscale: string, pick: 'only' | 'baseline' | 'followup') => {
    const tps = [...(timepointsOf.get(instrument) ?? [])].sort();
    const name = (tp: string) => `${instrument}_${subscale}${tp === '' ? '' : `_${tp}`}`;
    if (tps.length === 0) {
      roles[role] = placeholder(`the column of ${role} (no ${instrument} items found)`);
      choose(`role ${role}`, 'placeholder in "roles"', 'none', `${instrument} is not scored`);
      return;
    }
    let tp: string | undefined;
    let why = '';
    if (pick === 'only') {
      if (tps.length === 1) [tp, why] = [tps[0], 'the one time point'];
    } else {
      const base = tps.filter((t) => BASELINE.has(t));
      const rest = tps.filter((t) => !BASELINE.has(t));
      if (tps.length === 2 && base.length === 1) {
        tp = pick === 'baseline' ? base[0] : rest[0];
        why = pick === 'baseline' ? `time point ${base[0]} reads as baseline` : `the time point after baseline ${base[0]}`;
      } else if (tps.length === 1 && pick === 'followup' && !BASELINE.has(tps[0])) {
        [tp, why] = [tps[0], 'the one time point'];
      }
    }
    if (tp === undefined) {
      roles[role] = placeholder(`the column of ${role}, one of ${tps.map(name).join(', ')}`);
      choose(`role ${role}`, 'placeholder in "roles"', 'none', `time points ${tps.map((t) => t || '(none)').join(', ')}: which one is not clear from the names`);
      return;
    }
    roles[role] = name(tp);
    choose(`role ${role}`, name(tp), 'high', why);
  };
  const wai = instruments.find((d) => d.id === 'wai');
  if (wai !== undefined) {
    scoreRole('alliance', 'wai', 'total', 'only');
    for (const s of wai.subscales) if (['bond', 'task', 'goal'].includes(s.id)) scoreRole(s.id, 'wai', s.id, 'only');
  }
  if (instruments.some((d) => d.id === 'phqads')) {
    scoreRole('baseline', 'phqads', 'total', 'baseline');
    scoreRole('distress', 'phqads', 'total', 'followup');
  }

  // Columns by name: id, arm (used by validate and the plan's filter) and the roles sex, age, expectation.
  const columnFor = (what: string, check: (p: ColumnProfile) => string | null): { column: string | null; confidence: Confidence } => {
    const wanted = ROLE_SYNONYMS[what];
    const fits = profiles.filter((p) => !used.has(p.name)).map((p) => ({ p, fit: nameFit(p.name, wanted) })).filter((f) => f.fit !== null);
    const exact = fits.filter((f) => f.fit === 'exact');
    const pickFrom = exact.length > 0 ? exact : fits;
    if (pickFrom.length !== 1) return { column: null, confidence: 'none' };
    const { p, fit } = pickFrom[0];
    const problem = check(p);
    if (problem !== null) {
      choose(`${what}`, `${p.name}?`, 'none', `named like it, but ${problem}`);
      return { column: null, confidence: 'none' };
    }
    used.add(p.name);
    choose(what, p.name, fit === 'exact' ? 'high' : 'medium', `${fit === 'exact' ? 'same name' : `a name for ${what}`}${p.labelled ? '; SPSS value labels' : ''}; ${describe(p)}`);
    return { column: p.name, confidence: fit === 'exact' ? 'high' : 'medium' };
  };
  const notFound = (what: string) => {
    const wanted = ROLE_SYNONYMS[what];
    const fits = profiles.filter((p) => nameFit(p.name, wanted) !== null).map((p) => p.name);
    return fits.length > 1 ? `${fits.length} columns fit: ${fits.join(', ')}` : `no column is named ${wanted.slice(0, 4).join(', ')} or alike`;
  };

  const id = columnFor('id', (p) => (p.present > 0 && p.texts.size + p.values.size < Math.min(p.present, LEVEL_CAP) ? 'its values repeat' : null));
  if (id.column === null && !choices.some((c) => c.what === 'id')) choose('id', 'none', 'medium', `${notFound('id')}; validate's duplicate-id check and excluded-row ids are skipped`);
  const arm = columnFor('arm', (p) => (levelsOf(p).length < 2 || levelsOf(p).length > 6 ? `it has ${levelsOf(p).length} levels` : null));
  if (arm.column === null && !choices.some((c) => c.what === 'arm')) choose('arm', 'none', 'medium', `${notFound('arm')}; the plan analyses every row`);
  for (const role of ['sex', 'age', 'expectation']) {
    const check = (p: ColumnProfile): string | null => {
      if (role === 'sex') return levelsOf(p).length > 3 ? `it has ${levelsOf(p).length} levels` : null;
      if (p.texts.size > 0) return `it holds text (${[...p.texts.keys()].slice(0, 3).join(', ')})`;
      if (role === 'age' && p.numbers > 0 && (p.min < 0 || p.max > 120)) return `its values ${range(p)} are not ages`;
      return null;
    };
    const r = columnFor(role, check);
    if (r.column === null) {
      roles[role] = placeholder(`the column of ${role}`);
      if (!choices.some((c) => c.what === role)) choose(`role ${role}`, 'placeholder in "roles"', 'none', notFound(role));
    } else if (r.column !== DEFAULT_ROLES.find(([name]) => name === role)?.[1]) roles[role] = r.column;
  }
  // Roles the file fits as the schema names them need no entry; the rest are written.
  const defaults = new Map(DEFAULT_ROLES);
  config.roles = Object.fromEntries(Object.entries(roles).filter(([role, column]) => defaults.get(role) !== column));
  config.map = map;

  // Missing-value codes, the decimal mark, categorical columns.
  const codes = new Map<string, string[]>();
  for (const p of profiles) for (const code of p.codes.keys()) codes.set(code, [...(codes.get(code) ?? []), p.name]);
  config.na = [...codes.keys()];
  for (const [code, columns] of codes) {
    const cells = profiles.reduce((sum, p) => sum + (p.codes.get(code) ?? 0), 0);
    choose(`missing code ${code}`, 'in "na"', 'high', `${cells} cell${cells === 1 ? '' : 's'} in ${columns.slice(0, 4).join(', ')}${columns.length > 4 ? `, … (${columns.length} columns)` : ''}, far outside the other values`);
  }
  if (codes.size === 0) choose('missing codes', 'none beyond the defaults', 'high', `no -99, 999, n/a or alike found (empty, NA, N/A, NaN and "." are missing by default)`);
  if (input.format === 'csv') {
    const commas = profiles.filter((p) => p.decimalCommas > 0);
    const points = profiles.filter((p) => p.numbers - p.decimalCommas > p.integers);
    const decimal = commas.length > 0 && points.length === 0 ? ',' : '.';
    config.decimal = decimal;
    choose(
      'decimal mark',
      `"${decimal}"`,
      commas.length > 0 && points.length > 0 ? 'medium' : 'high',
      commas.length > 0 ? `${commas.reduce((s, p) => s + p.decimalCommas, 0)} cells like 3,5 in ${commas.map((p) => p.name).slice(0, 3).join(', ')}${points.length ? ', but decimal points elsewhere' : ''}` : 'no cell like 3,5',
    );
    config.delimiter = input.delimiter === '\t' ? 'tab' : input.delimiter;
    choose('delimiter', input.delimiter === '\t' ? 'tab' : `"${input.delimiter}"`, 'high', 'read off the header line');
  } else {
    choose('decimal mark', 'none needed', 'high', `${input.format === 'sav' ? 'SPSS' : 'Excel'} stores numbers as numbers`);
  }
  const numberColumns = new Set([...used, ...Object.values(roles)]);
  const categorical: string[] = [];
  for (const p of profiles) {
    if (numberColumns.has(p.name) && p.name !== rolesColumn(roles, 'sex')) continue;
    const levels = levelsOf(p);
    if (p.labelled || (p.texts.size > 0 && p.numbers === 0 && levels.length <= LEVEL_CAP && levels.length < p.present)) {
      choose(`categorical ${p.name}`, `levels ${levels.join(', ')}`, 'high', p.labelled ? 'SPSS value labels' : 'text with few levels');
    } else if (p.texts.size === 0 && p.numbers > 0 && p.integers === p.numbers && levels.length >= 2 && levels.length <= 4 && levels.length < p.present / 2) {
      categorical.push(p.name);
      choose(`categorical ${p.name}`, `codes ${levels.join(', ')}, in "categorical"`, 'medium', `only ${levels.length} whole-number codes: read as a factor when used (remove it from "categorical" if it is a count)`);
    }
  }
  config.categorical = categorical;

  // The plan: the published analysis on the roles found, filtered to the intervention arm when it can be told.
  const plan: Record<string, unknown> = { plan_version: 1, title: `Reanalysis of ${input.source}` };
  const armProfile = arm.column === null ? null : profiles.find((p) => p.name === arm.column)!;
  if (armProfile !== null) {
    const levels = levelsOf(armProfile);
    const app = levels.find((l) => ['app', 'intervention', 'treatment', 'tx', 'active'].includes(l.toLowerCase()));
    if (app !== undefined) {
      plan.where = `${armProfile.name}=${app}`;
      choose('plan filter', `${armProfile.name}=${app}`, 'high', `the intervention arm among ${levels.join(', ')}`);
    } else {
      plan.where = placeholder(`${armProfile.name}=<the intervention arm: one of ${levels.join(', ')}>`);
      choose('plan filter', 'placeholder in "where"', 'none', `which of ${levels.join(', ')} is the intervention arm is not clear from the names`);
    }
  } else {
    plan.where = null;
    choose('plan filter', 'none (every row)', 'medium', 'no arm column');
  }
  // Every role of the published analysis, found or not: a role init could not resolve is a "TODO:" in the config's
  // "roles", which validate reports and every command refuses until it is filled in (never a plan that quietly
  // runs without baseline or expectation).
  plan.x = [...CANRELAX.x];
  plan.y = CANRELAX.y;
  plan.covariates = [...CANRELAX.covariates];
  plan.stratifier = CANRELAX.stratifier;
  plan.expectation = { variable: CANRELAX.expectation.variable, covariates: [...CANRELAX.expectation.covariates] };
  const open = Object.keys(roles).filter((role) => roles[role].startsWith(PLACEHOLDER));
  choose(
    'plan variables',
    `x ${CANRELAX.x.join(', ')}; y ${CANRELAX.y}; covariates ${CANRELAX.covariates.join(', ')}`,
    open.length === 0 ? 'high' : 'medium',
    `the published analysis${open.length === 0 ? ', on the roles found' : `; fill in the "TODO:" of ${open.join(', ')} in the config's "roles"`}`,
  );
  return { config, plan, choices, placeholders };
}

function rolesColumn(roles: Record<string, string>, role: string): string {
  return roles[role] ?? role;
}

/** A column's levels: its texts, else its numbers in order (as their SPSS value labels where they have one). */
function levelsOf(p: ColumnProfile): string[] {
  if (p.texts.size > 0) return [...p.texts.keys()].sort();
  return [...p.values].sort((a, b) => a - b).map((v) => p.labels?.get(v) ?? String(v));
}

function describe(p: ColumnProfile): string {
  if (p.texts.size > 0) return `levels ${levelsOf(p).slice(0, 6).join(', ')}${p.texts.size > 6 ? ', …' : ''}`;
  return `numbers ${range(p)}`;
}
