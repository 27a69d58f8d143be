/**
 * The report plan: which analyses `report` runs, on which rows and variables, with which settings.
 *
 * A plan file is JSON (schema/plan.schema.json, documented in docs/report.md). Every key is optional; a key left
 * out takes the default plan's value, the published CanRelax analysis:
 *   where "arm=app" (when the file has an `arm` column), x alliance, bond, task, goal, y distress, covariates age,
 *   sex, baseline, expectation, stratifier sex, expectation step: expectation with alliance, bond, task, goal
 *   adjusted for age and sex, the steps in order (the published check only with a published-values file), 2000 bootstrap resamples with seed 2026, 95% intervals,
 *   no p adjustment, Bayes factors on.
 *
 * Checking is by hand here (ajv is a development dependency); the rules are the schema's, and the tests check
 * that the two agree. Every problem is a UsageError (exit 2) naming the key by its path, e.g. `bootstrap.seed`.
 */
import { byKey, option, UsageError, type OptionNamer } from '../errors';
import { readRecordedFile, type RecordedFile } from '../io/recorded-file';
import { P_ADJUST_METHODS, type PAdjustMethod } from '../stats/padjust';
import type { ExpectationPlan, MissingPlan, Plan, PlanInput, PlanNeed, StepId } from './plan-types';
import { STEPS, stepNamed } from './steps';
import { joinAnd } from './wording';
import { parseWhere } from '../data/where';
import { isExpression } from '../data/expression';
import { parseJson } from '../io/json';

export type { ExpectationPlan, Plan, PlanInput, StepId } from './plan-types';

/** The registered steps' names, in the default order. */
const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id);

export const DEFAULT_TITLE = 'Working alliance and distress: reanalysis report';
export const DEFAULT_X = ['alliance', 'bond', 'task', 'goal'];
export const DEFAULT_Y = 'distress';
export const DEFAULT_COVARIATES = ['age', 'sex', 'baseline', 'expectation'];
export const DEFAULT_STRATIFIER = 'sex';
export const DEFAULT_EXPECTATION: ExpectationPlan = { variable: 'expectation', covariates: ['age', 'sex'] };
export const DEFAULT_WHERE = 'arm=app';
export const DEFAULT_BOOTSTRAP = { resamples: 2000, seed: 2026 };
export const DEFAULT_MISSING: MissingPlan = { method: 'listwise', imputations: 20, iterations: 10, seed: 2026, auxiliary: [], impute_by: 'auto', mnar_delta: [-1, -0.5, 0.5, 1] };

/** The plan's keys (report --help lists them from here). */
export const KEYS = ['$schema', 'plan_version', 'title', 'where', 'compute', 'x', 'y', 'covariates', 'stratifier', 'expectation', 'published', 'steps', 'bootstrap', 'ci', 'p_adjust', 'bayes', 'missing', 'figure_titles', 'scores', 'labels', 'levels', 'reference'];
const MISSING_KEYS = ['method', 'imputations', 'iterations', 'seed', 'auxiliary', 'impute_by', 'mnar_delta'];
const BOOTSTRAP_KEYS = ['resamples', 'seed'];
const EXPECTATION_KEYS = ['variable', 'covariates'];

/**
 * The plan (or config) key of an option the analyses name by key (errors.ts `option`), for messages in the
 * report: the report's user wrote a plan, not flags.
 */
const PLAN_KEY_OF: Readonly<Record<string, string>> = {
  x: 'x',
  y: 'y',
  adjust: 'covariates',
  by: 'stratifier',
  where: 'where',
  compute: 'compute',
  ref: 'reference',
  scores: 'scores',
  bootstrap: 'bootstrap.resamples',
  seed: 'bootstrap.seed',
  ci: 'ci',
  pAdjust: 'p_adjust',
  bayes: 'bayes',
  missing: 'missing.method',
  imputations: 'missing.imputations',
  iterations: 'missing.iterations',
  auxiliary: 'missing.auxiliary',
  imputeBy: 'missing.impute_by',
  mnarDelta: 'missing.mnar_delta',
};

/** Reading options the report takes from the config file (canrelax.config.json), not from the plan. */
const CONFIG_KEY_OF: Readonly<Record<string, string>> = {
  na: 'na',
  decimal: 'decimal',
  delimiter: 'delimiter',
  map: 'map',
  instrument: 'instruments',
  categorical: 'categorical',
};

/**
 * Options the report sets itself, named in words: the power of the sensitivity step (n and k are the sample's, r the
 * partial r found, alpha 1 − ci).
 */
const IN_WORDS: Readonly<Record<string, string>> = { n: 'n', k: 'k', r: 'r', alpha: 'alpha', power: 'the power' };

/**
 * How the report names an option: `plan key "covariates"`, `config key "na"`, a word for one the report sets itself;
 * any other by its key.
 */
export const planKeyName: OptionNamer = (key) =>
  PLAN_KEY_OF[key] !== undefined
    ? `plan key "${PLAN_KEY_OF[key]}"`
    : CONFIG_KEY_OF[key] !== undefined
      ? `config key "${CONFIG_KEY_OF[key]}"`
      : (IN_WORDS[key] ?? byKey(key));

/** The --plan file, read whole: the provenance records its path, SHA-256 and text. */
export function readPlanFile(path: string): RecordedFile {
  return readRecordedFile(path, option('plan'));
}

/** Parses and checks plan text (JSON). */
export function parsePlan(text: string, source: string): PlanInput {
  let raw: unknown;
  try {
    raw = parseJson(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new UsageError(`plan ${source} is not valid JSON (${reason}), fix the plan file`);
  }
  return checkPlan(raw, source);
}

const bad = (source: string, key: string, rule: string, value: unknown) =>
  new UsageError(`plan key "${key}" ${rule}, got ${shown(value)}, ${source}; fix the plan (see docs/report.md)`);

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function unknownKeys(object: Record<string, unknown>, known: string[], prefix: string, source: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new UsageError(`unknown plan key "${prefix}${key}", ${source}; known keys: ${known.filter((k) => k !== '$schema').map((k) => prefix + k).join(', ')}`);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function name(value: unknown, key: string, source: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(source, key, 'must be a column or role name', value);
  return value.trim();
}

function names(value: unknown, key: string, source: string, allowEmpty: boolean): string[] {
  if (!Array.isArray(value)) throw bad(source, key, 'must be a list of column or role names', value);
  if (!allowEmpty && value.length === 0) throw bad(source, key, 'must name at least one column', value);
  const out = value.map((v, i) => name(v, `${key}[${i}]`, source));
  const seen = new Set<string>();
  out.forEach((n, i) => {
    if (seen.has(n)) throw bad(source, `${key}[${i}]`, `names ${n} twice, name each once`, n);
    seen.add(n);
  });
  return out;
}

/** Checks a parsed plan: keys, types and ranges (variables are checked against the data later). */
export function checkPlan(raw: unknown, source: string): PlanInput {
  if (!isObject(raw)) throw new UsageError(`plan ${source} must hold a JSON object of plan keys, fix the plan file (see docs/report.md)`);
  unknownKeys(raw, KEYS, '', source);
  const plan: PlanInput = {};
  if ('plan_version' in raw) {
    if (raw.plan_version !== 1) throw bad(source, 'plan_version', 'must be 1', raw.plan_version);
    plan.plan_version = 1;
  }
  if ('title' in raw) {
    if (typeof raw.title !== 'string' || raw.title.trim() === '') throw bad(source, 'title', 'must be text', raw.title);
    plan.title = raw.title.trim();
  }
  if ('where' in raw) {
    if (raw.where !== null && typeof raw.where !== 'string') throw bad(source, 'where', 'must be a filter such as "arm=app", or null for every row', raw.where);
    plan.where = raw.where === null || raw.where.trim() === '' ? null : raw.where.trim();
  }
  if ('compute' in raw) {
    const c = raw.compute;
    if (!Array.isArray(c)) throw bad(source, 'compute', 'must be a list of computed columns such as "change = phqads_total_w10 - phqads_total_t0"', c);
    plan.compute = c.map((text, i) => {
      if (typeof text !== 'string' || text.trim() === '') throw bad(source, `compute[${i}]`, 'must be NAME = EXPRESSION', text);
      return text.trim();
    });
  }
  if ('x' in raw) plan.x = names(raw.x, 'x', source, false);
  if ('y' in raw) plan.y = name(raw.y, 'y', source);
  if ('covariates' in raw) plan.covariates = names(raw.covariates, 'covariates', source, true);
  if ('stratifier' in raw) plan.stratifier = raw.stratifier === null ? null : name(raw.stratifier, 'stratifier', source);
  if ('expectation' in raw) {
    const e = raw.expectation;
    if (e === null) plan.expectation = null;
    else {
      if (!isObject(e)) throw bad(source, 'expectation', 'must be an object { "variable", "covariates" } or null', e);
      unknownKeys(e, EXPECTATION_KEYS, 'expectation.', source);
      plan.expectation = {};
      if ('variable' in e) plan.expectation.variable = name(e.variable, 'expectation.variable', source);
      if ('covariates' in e) plan.expectation.covariates = names(e.covariates, 'expectation.covariates', source, true);
    }
  }
  if ('published' in raw) {
    const p = raw.published;
    if (p !== null && (typeof p !== 'string' || p.trim() === '')) throw bad(source, 'published', 'must be the path of a published-values file, or null for none', p);
    plan.published = p === null ? null : p.trim();
  }
  if ('steps' in raw) {
    const steps = raw.steps;
    if (!Array.isArray(steps) || steps.length === 0) throw bad(source, 'steps', `must be a list of steps (${STEP_IDS.join(', ')})`, steps);
    const seen = new Set<string>();
    plan.steps = steps.map((step, i) => {
      if (typeof step !== 'string' || !STEP_IDS.includes(step)) {
        throw new UsageError(`unknown step ${shown(step)} at plan key "steps[${i}]", ${source}; steps: ${STEP_IDS.join(', ')}`);
      }
      if (seen.has(step)) throw bad(source, `steps[${i}]`, `repeats the step ${step}, list each step once`, step);
      seen.add(step);
      return step;
    });
  }
  if ('bootstrap' in raw) {
    const b = raw.bootstrap;
    if (!isObject(b)) throw bad(source, 'bootstrap', 'must be an object { "resamples", "seed" }', b);
    unknownKeys(b, BOOTSTRAP_KEYS, 'bootstrap.', source);
    plan.bootstrap = {};
    if ('resamples' in b) {
      const n = b.resamples;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 10_000_000) {
        throw bad(source, 'bootstrap.resamples', 'must be a whole number of resamples from 100 to 10000000', n);
      }
      plan.bootstrap.resamples = n;
    }
    if ('seed' in b) {
      const s = b.seed;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 0xffffffff) throw bad(source, 'bootstrap.seed', 'must be a whole number from 0 to 4294967295', s);
      plan.bootstrap.seed = s;
    }
  }
  if ('ci' in raw) {
    const ci = raw.ci;
    if (typeof ci !== 'number' || !(ci > 0 && ci < 1)) throw bad(source, 'ci', 'must be a confidence level between 0 and 1, e.g. 0.95', ci);
    plan.ci = ci;
  }
  if ('p_adjust' in raw) {
    const p = raw.p_adjust;
    if (typeof p !== 'string' || !(P_ADJUST_METHODS as readonly string[]).includes(p)) throw bad(source, 'p_adjust', `must be one of ${P_ADJUST_METHODS.join(', ')}`, p);
    plan.p_adjust = p as PAdjustMethod;
  }
  if ('bayes' in raw) {
    if (typeof raw.bayes !== 'boolean') throw bad(source, 'bayes', 'must be true or false', raw.bayes);
    plan.bayes = raw.bayes;
  }
  if ('missing' in raw) plan.missing = checkMissing(raw.missing, source);
  if ('figure_titles' in raw) {
    if (raw.figure_titles !== 'figure' && raw.figure_titles !== 'none') throw bad(source, 'figure_titles', 'must be "figure" (titles drawn in the figures) or "none" (left to the captions)', raw.figure_titles);
    plan.figure_titles = raw.figure_titles;
  }
  if ('scores' in raw) {
    if (raw.scores !== 'items' && raw.scores !== 'file') throw bad(source, 'scores', 'must be "items" (computed from the items) or "file" (the file\'s score columns)', raw.scores);
    plan.scores = raw.scores;
  }
  const texts = (key: 'labels' | 'reference'): Record<string, string> | undefined => {
    if (!(key in raw)) return undefined;
    const v = raw[key];
    if (!isObject(v)) throw bad(source, key, `must be an object { "column or role": "${key === 'labels' ? 'label' : 'level'}" }`, v);
    for (const [k, text] of Object.entries(v)) if (typeof text !== 'string' || text.trim() === '') throw bad(source, `${key}.${k}`, 'must be text', text);
    return Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, text]) => [k, text.trim()]));
  };
  const labels = texts('labels');
  if (labels !== undefined) plan.labels = labels;
  const reference = texts('reference');
  if (reference !== undefined) plan.reference = reference;
  if ('levels' in raw) {
    const v = raw.levels;
    if (!isObject(v)) throw bad(source, 'levels', 'must be an object { "column": { "code": "name" } }', v);
    for (const [column, names] of Object.entries(v)) {
      if (!isObject(names) || !Object.values(names).every((n) => typeof n === 'string' && n.trim() !== '')) throw bad(source, `levels.${column}`, 'must be an object { "code": "name" }', names);
    }
    plan.levels = v as Record<string, Record<string, string>>;
  }
  return plan;
}

/** Plan key "missing": the rules of correlate's --missing options (cli/common.ts missingOptions). */
function checkMissing(m: unknown, source: string): Partial<MissingPlan> {
  if (!isObject(m)) throw bad(source, 'missing', 'must be an object { "method", "imputations", "iterations", "seed", "auxiliary", "impute_by", "mnar_delta" }', m);
  unknownKeys(m, MISSING_KEYS, 'missing.', source);
  const out: Partial<MissingPlan> = {};
  const whole = (key: 'imputations' | 'iterations' | 'seed', min: number, max: number): void => {
    if (!(key in m)) return;
    const v = m[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(source, `missing.${key}`, `must be a whole number from ${min} to ${max}`, v);
    out[key] = v;
  };
  if ('method' in m) {
    if (m.method !== 'listwise' && m.method !== 'mi') throw bad(source, 'missing.method', 'must be "listwise" or "mi"', m.method);
    out.method = m.method;
  }
  whole('imputations', 2, 100_000);
  whole('iterations', 1, 10_000);
  whole('seed', 0, 0xffffffff);
  if ('auxiliary' in m) out.auxiliary = names(m.auxiliary, 'missing.auxiliary', source, true);
  if ('impute_by' in m) out.impute_by = m.impute_by === null ? null : name(m.impute_by, 'missing.impute_by', source);
  if ('mnar_delta' in m) {
    const d = m.mnar_delta;
    if (!Array.isArray(d) || d.length === 0 || !d.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw bad(source, 'missing.mnar_delta', 'must be a list of numbers (SDs of the observed outcome)', d);
    }
    out.mnar_delta = d as number[];
  }
  return out;
}

/** What the data tell the plan's defaults: which names the file has (roles or columns). */
export interface PlanContext {
  has(name: string): boolean;
  /** Source in messages (file path or stdin). */
  source: string;
  /** The --where flag, which takes the place of the plan's `where`. */
  whereFlag: string | null;
  /** The --compute flags, which come after the plan's `compute`. */
  computeFlag?: readonly string[];
  /** Whether a config (canrelax.config.json, --config) was read: without one, an export of another schema is told to run init. */
  configured?: boolean;
}

/** The computed columns a report makes: the plan's `compute`, then the --compute flags. */
export function planComputes(input: PlanInput, computeFlag: readonly string[] | undefined): string[] {
  return [...(input.compute ?? []), ...(computeFlag ?? [])];
}

/**
 * Fills the defaults. x, y and covariates default to the CanRelax roles and must then be in the file; the
 * stratifier and the expectation step default to theirs when the file has them, and to null (steps needing them
 * left out, when the steps were not listed) otherwise. A listed step that cannot run is a UsageError.
 */
export function completePlan(input: PlanInput, context: PlanContext, planSource: string | null): { plan: Plan; notes: string[] } {
  const notes: string[] = [];
  const from = planSource ? `plan ${planSource}` : 'the default plan';
  const need = (key: string, defaults: string[]): void => {
    const missing = defaults.find((n) => !context.has(n));
    if (missing !== undefined) {
      throw new UsageError(
        `plan key "${key}" is needed: ${context.source} is not a CanRelax export (no ${missing}), name the variables in a plan file (--plan, see docs/report.md)` +
          (context.configured === false ? `; or run \`canrelax-analyze init ${context.source}\` to map its columns` : ''),
      );
    }
  };
  if (input.x === undefined) need('x', DEFAULT_X);
  if (input.y === undefined) need('y', [DEFAULT_Y]);
  if (input.covariates === undefined) need('covariates', DEFAULT_COVARIATES);
  const stratifier = input.stratifier === undefined ? (context.has(DEFAULT_STRATIFIER) ? DEFAULT_STRATIFIER : null) : input.stratifier;
  let expectation: ExpectationPlan | null;
  if (input.expectation === null) expectation = null;
  else if (input.expectation === undefined) {
    const d = DEFAULT_EXPECTATION;
    expectation = [d.variable, ...d.covariates].every((n) => context.has(n)) ? { variable: d.variable, covariates: [...d.covariates] } : null;
  } else {
    const variable = input.expectation.variable ?? DEFAULT_EXPECTATION.variable;
    expectation = { variable, covariates: input.expectation.covariates ?? DEFAULT_EXPECTATION.covariates.filter((c) => c !== variable) };
  }
  let where: string | null;
  if (context.whereFlag !== null) {
    where = context.whereFlag;
    if (input.where !== undefined && input.where !== where) notes.push(`--where ${where} replaces the plan's "where" (${input.where ?? 'null'})`);
  } else if (input.where !== undefined) where = input.where;
  else where = context.has('arm') ? DEFAULT_WHERE : null;

  // A step that needs a plan key the plan lacks: an error when the plan lists it, left out (with a note) otherwise.
  const published = input.published ?? null;
  const lacks = (need: PlanNeed): boolean => (need === 'stratifier' ? stratifier === null : need === 'expectation' ? expectation === null : published === null);
  // note null: left out without a note (no published file is the ordinary case, not a lack of the data).
  const lacking: Record<PlanNeed, { error: (step: StepId) => string; note: string | null }> = {
    stratifier: {
      error: (step) =>
        `step "${step}" needs a stratifier, ${from} has none${input.stratifier === undefined ? ` and ${context.source} has no ${DEFAULT_STRATIFIER} column` : ''}; set plan key "stratifier" or drop the step`,
      note:
        input.stratifier === null
          ? `${from} sets "stratifier" to null`
          : `${from} names no stratifier and ${context.source} has no ${DEFAULT_STRATIFIER} column (role ${DEFAULT_STRATIFIER})`,
    },
    expectation: {
      error: (step) => `step "${step}" needs plan key "expectation" (a variable and its covariates), ${from}; set it or drop the step`,
      note:
        input.expectation === null
          ? `${from} sets "expectation" to null`
          : `${from} names no expectation variable and ${context.source} has no ${[DEFAULT_EXPECTATION.variable, ...DEFAULT_EXPECTATION.covariates].find((n) => !context.has(n)) ?? DEFAULT_EXPECTATION.variable} column (the default is ${DEFAULT_EXPECTATION.variable} adjusted for ${DEFAULT_EXPECTATION.covariates.join(' and ')})`,
    },
    published: {
      error: (step) => `step "${step}" needs plan key "published" (a published-values file) or --published, ${from}; set one or drop the step`,
      note: null,
    },
  };
  let steps: StepId[];
  if (input.steps !== undefined) {
    steps = input.steps;
    for (const id of steps) {
      const need = stepNamed(id).needs;
      if (need !== undefined && lacks(need)) throw new UsageError(lacking[need].error(id));
    }
  } else {
    // `--where sex=male` leaves the stratifier one level: nothing to stratify by or interact with.
    // (Read off the simple form only: an expression that fixes the stratifier leaves the steps in, and the stratified
    // step then says it has one level.)
    const fixed = stratifier === null || where === null || isExpression(where) ? undefined : parseWhere(where).find((c) => c.column === stratifier && c.op === '=');
    const leftOut = (need: PlanNeed): boolean => lacks(need) || (need === 'stratifier' && fixed !== undefined);
    steps = STEPS.filter((step) => !step.optIn && (step.needs === undefined || !leftOut(step.needs))).map((step) => step.id);
    const needs = [...new Set(STEPS.flatMap((step) => (step.needs === undefined ? [] : [step.needs])))];
    for (const need of needs.filter(leftOut)) {
      const left = STEPS.filter((step) => step.needs === need).map((step) => step.id);
      const note = lacks(need) ? lacking[need].note : `where ${stratifier}=${fixed!.value} leaves one level of ${stratifier}`;
      if (note !== null) notes.push(`${left.length === 1 ? 'step' : 'steps'} ${joinAnd(left)} left out: ${note}`);
    }
  }
  const x = input.x ?? DEFAULT_X;
  const y = input.y ?? DEFAULT_Y;
  const covariates = input.covariates ?? DEFAULT_COVARIATES;
  const compute = planComputes(input, context.computeFlag);
  if (stratifier !== null && (stratifier === y || x.includes(stratifier))) {
    throw new UsageError(`plan key "stratifier" (${stratifier}) is also an x or the y, ${from}; stratify by another column`);
  }
  return {
    plan: {
      plan_version: 1,
      title: input.title ?? DEFAULT_TITLE,
      where,
      ...(compute.length > 0 ? { compute } : {}),
      x,
      y,
      covariates,
      stratifier,
      expectation,
      published,
      steps,
      bootstrap: { resamples: input.bootstrap?.resamples ?? DEFAULT_BOOTSTRAP.resamples, seed: input.bootstrap?.seed ?? DEFAULT_BOOTSTRAP.seed },
      ci: input.ci ?? 0.95,
      p_adjust: input.p_adjust ?? 'none',
      bayes: input.bayes ?? true,
      missing: { ...DEFAULT_MISSING, ...input.missing },
      ...(input.figure_titles === 'none' ? { figure_titles: 'none' as const } : {}),
      ...(input.scores !== undefined ? { scores: input.scores } : {}),
      ...(input.labels !== undefined ? { labels: input.labels } : {}),
      ...(input.levels !== undefined ? { levels: input.levels } : {}),
      ...(input.reference !== undefined ? { reference: input.reference } : {}),
    },
    notes,
  };
}
