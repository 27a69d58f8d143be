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
 * Checking is by hand here (ajv is a development dependency): a key that is an analysis's or the reader's option is
 * read by that option's declaration (options.ts), so the plan and the command line take the same values with the
 * same words; the rules are the schema's, and the tests check that the two agree. Every problem is a UsageError
 * (exit 2) naming the key by its path, e.g. `bootstrap.seed`.
 */
import { byKey, option, shownWith, UsageError, type OptionNamer } from '../errors';
import { readRecordedFile, type RecordedFile } from '../io/recorded-file';
import type { ExpectationPlan, MissingPlan, Plan, PlanInput, PlanNeed, StepId } from './plan-types';
import { STEPS, stepNamed } from './steps';
import { joinAnd } from './wording';
import { parseWhere } from '../data/where';
import { isExpression } from '../data/expression';
import { parseJson } from '../io/json';
import { CANRELAX } from '../data/canrelax';
import { READING_OPTIONS } from '../data/reading-options';
import { MISSING_OPTIONS } from '../frame/missing-options';
import { CORRELATE_OPTIONS } from '../analyses/correlate/options';
import { BOOTSTRAP_SEED, CATEGORICAL } from '../analyses/options';
import { choice, column, columns, planKeyOf, shownJson, text, type OptionDeclaration } from '../options';

export type { ExpectationPlan, Plan, PlanInput, StepId } from './plan-types';

/** The registered steps' names, in the default order. */
const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id);

export const DEFAULT_TITLE = 'Working alliance and distress: reanalysis report';

/** The report's own options (the analyses' and the reader's are declared with them): options.ts declarations. */
export const REPORT_OPTIONS = {
  title: text('title', { placeholder: 'text', description: "the report's title", report: { plan: 'title', default: DEFAULT_TITLE } }),
  y: column('y', { placeholder: 'col', description: 'the outcome of every analysis', report: { plan: 'y', default: CANRELAX.y } }),
  expectationVariable: column('expectationVariable', {
    placeholder: 'col',
    description: 'the expectation step: the predictor correlated with every x',
    report: { plan: 'expectation.variable', default: CANRELAX.expectation.variable },
  }),
  expectationCovariates: columns('expectationCovariates', {
    placeholder: 'cols',
    description: "the expectation step's covariates",
    empty: true,
    report: { plan: 'expectation.covariates', default: CANRELAX.expectation.covariates },
  }),
  published: text('published', {
    placeholder: 'file',
    description: 'published values (JSON, schema/published.schema.json) to check against the reanalysis: adds the "published" step',
    report: { plan: 'published' },
    rule: 'must be the path of a published-values file, or null for none',
  }),
  figureTitles: choice('figureTitles', ['figure', 'none'], {
    placeholder: 'where',
    description: 'figure: titles drawn in the figures; none: left to the captions, as journals ask',
    report: { plan: 'figure_titles' },
    rule: 'must be "figure" (titles drawn in the figures) or "none" (left to the captions)',
  }),
};

/**
 * The plan's keys, in order: each the report's own (checked here, with its description) or an option an analysis
 * or the reader declares (checked by its declaration, described by it). KEYS, the defaults below, the plan keys of
 * messages (planKeyName) and the listings of report --help and --dry-run come from here.
 */
export interface PlanKey {
  readonly path: string;
  readonly description: string;
  readonly declaration?: OptionDeclaration<unknown>;
}

/** How the report's listings name an option a description names by key: its plan key, else its key. */
const listed: OptionNamer = (key) => (PLAN_KEY_OF.get(key) !== undefined ? `"${PLAN_KEY_OF.get(key)}"` : byKey(key));

const declaredKey = (declaration: OptionDeclaration<unknown>): PlanKey => ({
  path: planKeyOf(declaration)!,
  get description() {
    const report = declaration.report;
    return report !== undefined && 'plan' in report && report.description !== undefined ? report.description : shownWith(declaration.description, listed);
  },
  declaration,
});
const own = (path: string, description: string): PlanKey => ({ path, description });

export const PLAN_KEYS: readonly PlanKey[] = [
  own('plan_version', 'the plan format: 1'),
  declaredKey(REPORT_OPTIONS.title),
  declaredKey(READING_OPTIONS.where),
  declaredKey(READING_OPTIONS.compute),
  declaredKey(CORRELATE_OPTIONS.x),
  declaredKey(REPORT_OPTIONS.y),
  declaredKey(CORRELATE_OPTIONS.adjust),
  declaredKey(CORRELATE_OPTIONS.by),
  declaredKey(REPORT_OPTIONS.expectationVariable),
  declaredKey(REPORT_OPTIONS.expectationCovariates),
  declaredKey(REPORT_OPTIONS.published),
  own('steps', 'the steps to run, in order'),
  declaredKey(CORRELATE_OPTIONS.bootstrap),
  declaredKey(BOOTSTRAP_SEED),
  declaredKey(CORRELATE_OPTIONS.ci),
  declaredKey(CORRELATE_OPTIONS.pAdjust),
  declaredKey(CORRELATE_OPTIONS.bayes),
  ...Object.values(MISSING_OPTIONS).filter((declaration) => planKeyOf(declaration) !== undefined).map(declaredKey),
  declaredKey(REPORT_OPTIONS.figureTitles),
  declaredKey(READING_OPTIONS.scores),
  own('labels', 'display labels by role or column, over the config\'s: { "column or role": "label" }'),
  own('levels', 'names of coded values by column, over the config\'s: { "column": { "code": "name" } }'),
  declaredKey(CORRELATE_OPTIONS.ref),
];

/** The plan key of an option by its key (the first that names it: --seed is the bootstrap's seed). */
const PLAN_KEY_OF: ReadonlyMap<string, string> = new Map(
  PLAN_KEYS.filter((k) => k.declaration !== undefined)
    .reverse()
    .map((k) => [k.declaration!.key, k.path]),
);

/** The config key of an option the report takes from the config file (canrelax.config.json), not from the plan. */
const CONFIG_KEY_OF: ReadonlyMap<string, string> = new Map(
  [...Object.values(READING_OPTIONS), CATEGORICAL].flatMap((d) => (d.report !== undefined && 'config' in d.report ? [[d.key, d.report.config] as [string, string]] : [])),
);

/** The report's default of a declared plan key: its own where it differs from the option's. */
function reportDefault(path: string): unknown {
  const declaration = PLAN_KEYS.find((k) => k.path === path)?.declaration;
  const report = declaration?.report;
  return report !== undefined && 'plan' in report && 'default' in report ? report.default : declaration?.default;
}

/** The keys under `prefix.` (bootstrap., missing., expectation.). */
const keysUnder = (prefix: string): string[] => PLAN_KEYS.filter((k) => k.path.startsWith(`${prefix}.`)).map((k) => k.path.slice(prefix.length + 1));

export const DEFAULT_X = reportDefault('x') as string[];
export const DEFAULT_Y = reportDefault('y') as string;
export const DEFAULT_COVARIATES = reportDefault('covariates') as string[];
export const DEFAULT_STRATIFIER = reportDefault('stratifier') as string;
export const DEFAULT_EXPECTATION: ExpectationPlan = { variable: reportDefault('expectation.variable') as string, covariates: [...(reportDefault('expectation.covariates') as string[])] };
export const DEFAULT_WHERE = reportDefault('where') as string;
export const DEFAULT_CI = reportDefault('ci') as number;
export const DEFAULT_P_ADJUST = reportDefault('p_adjust') as Plan['p_adjust'];
export const DEFAULT_BAYES = reportDefault('bayes') as boolean;
export const DEFAULT_BOOTSTRAP = { resamples: reportDefault('bootstrap.resamples') as number, seed: reportDefault('bootstrap.seed') as number };
export const DEFAULT_MISSING = Object.fromEntries(keysUnder('missing').map((key) => [key, reportDefault(`missing.${key}`)])) as unknown as MissingPlan;

/** A plan value as the listings show it: a list comma-separated, null as none. */
export function planValueText(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(', ');
  return String(value);
}

/** The value of a plan key (a path) in a plan. */
export function planValueAt(plan: Plan, path: string): unknown {
  return path.split('.').reduce<unknown>((object, key) => (object === null || object === undefined ? undefined : (object as Record<string, unknown>)[key]), plan);
}

/** report --help: each plan key, what it does and its default (the report's; x, y and the like when the file has them). */
export function planKeyListing(): string {
  return PLAN_KEYS.map((k) => {
    const value = k.declaration === undefined ? undefined : reportDefault(k.path);
    return `  ${k.path}: ${k.description}${value === undefined ? '' : ` (default: ${planValueText(value)})`}`;
  }).join('\n');
}

/** The plan's keys (report --help lists them from here). */
export const KEYS = ['$schema', ...new Set(PLAN_KEYS.map((k) => k.path.split('.')[0]))];
const MISSING_KEYS = keysUnder('missing');
const BOOTSTRAP_KEYS = keysUnder('bootstrap');
const EXPECTATION_KEYS = keysUnder('expectation');

/**
 * Options the report sets itself, named in words: the power of the sensitivity step (n and k are the sample's, r the
 * partial r found, alpha 1 − ci).
 */
const IN_WORDS: Readonly<Record<string, string>> = { n: 'n', k: 'k', r: 'r', alpha: 'alpha', power: 'the power' };

/**
 * How the report names an option the analyses name by key (errors.ts `option`), for messages in the report: the
 * report's user wrote a plan, not flags: `plan key "covariates"`; a reading option the config file sets
 * `config key "na"`; an option the report does not take by its key.
 */
export const planKeyName: OptionNamer = (key) => {
  const path = PLAN_KEY_OF.get(key);
  if (path !== undefined) return `plan key "${path}"`;
  const config = CONFIG_KEY_OF.get(key);
  return config !== undefined ? `config key "${config}"` : (IN_WORDS[key] ?? byKey(key));
};

/** The --plan file, read whole: the provenance records its path, SHA-256 and text. */
export function readPlanFile(path: string): Promise<RecordedFile> {
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
  new UsageError(`plan key "${key}" ${rule}, got ${shownJson(value)}, ${source}; fix the plan (see docs/report.md)`);

function unknownKeys(object: Record<string, unknown>, known: string[], prefix: string, source: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new UsageError(`unknown plan key "${prefix}${key}", ${source}; known keys: ${known.filter((k) => k !== '$schema').map((k) => prefix + k).join(', ')}`);
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A plan key's value read by the declaration of its option; its error names the key by its path in the plan (the
 * same words the command line says with the flag), then the plan.
 */
function declaredValue<T>(declaration: OptionDeclaration<T>, value: unknown, source: string): T {
  try {
    return declaration.fromJson(value);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const path = planKeyOf(declaration);
    const name: OptionNamer = (key) => (key === declaration.key && path !== undefined ? `plan key "${path}"` : planKeyName(key));
    throw new UsageError(`${error.shown(name)}, ${source}; fix the plan (see docs/report.md)`);
  }
}

/** Checks a parsed plan: keys, types and ranges (variables are checked against the data later). */
export function checkPlan(raw: unknown, source: string): PlanInput {
  if (!isObject(raw)) throw new UsageError(`plan ${source} must hold a JSON object of plan keys, fix the plan file (see docs/report.md)`);
  unknownKeys(raw, KEYS, '', source);
  const plan: PlanInput = {};
  const read = <T>(declaration: OptionDeclaration<T>, value: unknown): T => declaredValue(declaration, value, source);
  if ('plan_version' in raw) {
    if (raw.plan_version !== 1) throw bad(source, 'plan_version', 'must be 1', raw.plan_version);
    plan.plan_version = 1;
  }
  if ('title' in raw) plan.title = read(REPORT_OPTIONS.title, raw.title);
  if ('where' in raw) {
    // null or blank: every row.
    const where = raw.where;
    plan.where = where === null || (typeof where === 'string' && where.trim() === '') ? null : read(READING_OPTIONS.where, where);
  }
  if ('compute' in raw) {
    const c = raw.compute;
    if (!Array.isArray(c)) throw bad(source, 'compute', 'must be a list of computed columns such as "change = phqads_total_w10 - phqads_total_t0"', c);
    plan.compute = c.map((text, i) => {
      if (typeof text !== 'string' || text.trim() === '') throw bad(source, `compute[${i}]`, 'must be NAME = EXPRESSION', text);
      return text.trim();
    });
  }
  if ('x' in raw) plan.x = read(CORRELATE_OPTIONS.x, raw.x);
  if ('y' in raw) plan.y = read(REPORT_OPTIONS.y, raw.y);
  if ('covariates' in raw) plan.covariates = read(CORRELATE_OPTIONS.adjust, raw.covariates);
  if ('stratifier' in raw) plan.stratifier = raw.stratifier === null ? null : read(CORRELATE_OPTIONS.by, raw.stratifier);
  if ('expectation' in raw) {
    const e = raw.expectation;
    if (e === null) plan.expectation = null;
    else {
      if (!isObject(e)) throw bad(source, 'expectation', 'must be an object { "variable", "covariates" } or null', e);
      unknownKeys(e, EXPECTATION_KEYS, 'expectation.', source);
      plan.expectation = {};
      if ('variable' in e) plan.expectation.variable = read(REPORT_OPTIONS.expectationVariable, e.variable);
      if ('covariates' in e) plan.expectation.covariates = read(REPORT_OPTIONS.expectationCovariates, e.covariates);
    }
  }
  if ('published' in raw) plan.published = raw.published === null ? null : read(REPORT_OPTIONS.published, raw.published);
  if ('steps' in raw) {
    const steps = raw.steps;
    if (!Array.isArray(steps) || steps.length === 0) throw bad(source, 'steps', `must be a list of steps (${STEP_IDS.join(', ')})`, steps);
    const seen = new Set<string>();
    plan.steps = steps.map((step, i) => {
      if (typeof step !== 'string' || !STEP_IDS.includes(step)) {
        throw new UsageError(`unknown step ${shownJson(step)} at plan key "steps[${i}]", ${source}; steps: ${STEP_IDS.join(', ')}`);
      }
      if (seen.has(step)) throw bad(source, `steps[${i}]`, `repeats the step ${step}, list each step once`, step);
      seen.add(step);
      return step;
    });
  }
  if ('bootstrap' in raw) {
    const b = raw.bootstrap;
    if (!isObject(b)) throw bad(source, 'bootstrap', `must be an object { ${BOOTSTRAP_KEYS.map((k) => `"${k}"`).join(', ')} }`, b);
    unknownKeys(b, BOOTSTRAP_KEYS, 'bootstrap.', source);
    plan.bootstrap = {};
    if ('resamples' in b) plan.bootstrap.resamples = read(CORRELATE_OPTIONS.bootstrap, b.resamples);
    if ('seed' in b) plan.bootstrap.seed = read(BOOTSTRAP_SEED, b.seed);
  }
  if ('ci' in raw) plan.ci = read(CORRELATE_OPTIONS.ci, raw.ci);
  if ('p_adjust' in raw) plan.p_adjust = read(CORRELATE_OPTIONS.pAdjust, raw.p_adjust);
  if ('bayes' in raw) plan.bayes = read(CORRELATE_OPTIONS.bayes, raw.bayes);
  if ('missing' in raw) plan.missing = checkMissing(raw.missing, source);
  if ('figure_titles' in raw) plan.figure_titles = read(REPORT_OPTIONS.figureTitles, raw.figure_titles);
  if ('scores' in raw) plan.scores = read(READING_OPTIONS.scores, raw.scores);
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

/** Plan key "missing": each key read by the declaration of its missing-data option (frame/missing-options.ts). */
function checkMissing(m: unknown, source: string): Partial<MissingPlan> {
  if (!isObject(m)) throw bad(source, 'missing', `must be an object { ${MISSING_KEYS.map((k) => `"${k}"`).join(', ')} }`, m);
  unknownKeys(m, MISSING_KEYS, 'missing.', source);
  const read = <T>(declaration: OptionDeclaration<T>, value: unknown): T => declaredValue(declaration, value, source);
  const out: Partial<MissingPlan> = {};
  if ('method' in m) out.method = read(MISSING_OPTIONS.missing, m.method);
  if ('imputations' in m) out.imputations = read(MISSING_OPTIONS.imputations, m.imputations);
  if ('iterations' in m) out.iterations = read(MISSING_OPTIONS.iterations, m.iterations);
  if ('seed' in m) out.seed = read(MISSING_OPTIONS.seed, m.seed);
  if ('auxiliary' in m) out.auxiliary = read(MISSING_OPTIONS.auxiliary, m.auxiliary);
  if ('impute_by' in m) out.impute_by = m.impute_by === null ? null : read(MISSING_OPTIONS.imputeBy, m.impute_by);
  if ('mnar_delta' in m) out.mnar_delta = read(MISSING_OPTIONS.mnarDelta, m.mnar_delta).map((d) => d.value);
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
      ci: input.ci ?? DEFAULT_CI,
      p_adjust: input.p_adjust ?? DEFAULT_P_ADJUST,
      bayes: input.bayes ?? DEFAULT_BAYES,
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
