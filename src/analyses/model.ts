/**
 * Linear models as R's `lm(y ~ x * group + covariates)`: one model per stratum, read from a Dataset in one pass.
 * Composes src/stats/ols.ts (fit, HC3, contrasts, VIF, Cook's distance, β, partial and semi-partial r).
 *
 * Formula: `y ~ x1 + x2 + covs` without --interaction; with it, `y ~ (x1 + x2) * g + covs`, whose model-matrix
 * columns R orders (Intercept), x1, x2, g-columns, covariate columns, x1:g-columns, x2:g-columns.
 *
 * Sample: listwise deletion over y, every x, the interaction column and the covariates; with --by, each stratum is
 * its own sample and rows missing the stratum are left out of every model.
 *
 * Coding: y and the x's must be numeric. The interaction column and covariates are categorical when named in
 * --categorical or when their first non-missing value is not a number (correlate's rule); categorical ones enter as
 * treatment-coded 0/1 columns of the levels present in the model's rows (lm drops unused levels), the first level in
 * sort order being the reference unless --ref. The matrix is built by src/data/design.ts (as correlate's and the
 * added-variable plots' are), which names columns as R does: `sexmale`, `ACT:sexmale`. A numeric interaction column is a continuous moderator
 * (`ACT:age`), its simple slopes taken at its mean and mean ± 1 SD.
 *
 * Memory: only the model's variables are held, as growable Float64Arrays over the rows a model uses (categorical
 * values as level indices), plus their ids; the model matrix is built from them per stratum.
 */
import { UsageError, option, words, type GivenIn, type Wording } from '../errors';
import type { Dataset } from '../data/dataset';
import {
  cooksDistance,
  fitOls,
  hc3,
  linearCombination,
  partialAndSemiPartialR,
  robustCoefficients,
  standardizedCoefficients,
  vif,
  type OlsFit,
  type OlsTerm,
} from '../stats/ols';
import { Variable, VariableSet } from '../data/variables';
import { columnOf, readSample, type Sample } from '../frame/sample';
import { Design, interactionName, type Term } from '../data/design';
import { poolRSquared } from '../stats/pool';
import type { ImputationSummary, MissingOptions } from '../frame/missing';
import { completedSamples, fitEachPool, withSe, type CompletedSamples, type ImputationSink } from '../frame/completed';
import { choice, column, columns, flag, restated, text, type DeclaredValues } from '../options';
import { ADJUST, BY, CATEGORICAL, CI, REF, referenceLevels } from './options';

/** model's options, declared once (options.ts): its command-line flags come from here. */
export const MODEL_OPTIONS = {
  y: column('y', { placeholder: 'col', description: 'outcome (numeric), e.g. distress' }),
  x: columns('x', { placeholder: 'cols', description: 'predictors (numeric), comma-separated, e.g. alliance or bond,task,goal' }),
  adjust: ADJUST,
  interaction: column('interaction', { placeholder: 'col', description: 'interact every x with this column (a group, or a numeric moderator): y ~ x * col' }),
  by: restated(BY, { description: 'fit one model per level of this column' }),
  categorical: restated(CATEGORICAL, { description: 'numeric columns to treat as categorical (factors)' }),
  ref: restated(REF, { description: 'reference level of a categorical covariate or interaction column (repeatable)' }),
  robust: choice('robust', ['hc3'], { placeholder: 'type', description: 'heteroskedasticity-consistent SEs (sandwich::vcovHC), tests as lmtest::coeftest' }),
  standardize: flag('standardize', { description: 'add standardized coefficients β (model-matrix columns as coded, as lm.beta)' }),
  ci: CI,
  id: text('id', { placeholder: 'column', description: "id column naming rows in Cook's distance diagnostics (default: id, else line numbers)" }),
};

/** model's option values as ModelOptions: one outcome, at least one predictor, one interaction column. */
export function modelOptionsOf(values: DeclaredValues<typeof MODEL_OPTIONS>): ModelOptions {
  if (values.y === undefined || values.y.trim() === '') throw new UsageError(words`${option('y')} is needed: name the outcome column or role, e.g. ${option('y')} distress`);
  const y = values.y.trim();
  if (y.includes(',')) throw new UsageError(words`${option('y')} takes one outcome, got "${values.y}", fit one model per outcome`);
  const x = values.x ?? [];
  if (x.length === 0) throw new UsageError(words`${option('x')} is needed: name the predictor columns or roles, e.g. ${option('x')} alliance`);
  const ref = referenceLevels(values.ref);
  const interaction = values.interaction === undefined ? null : values.interaction.trim();
  if (interaction !== null && (interaction === '' || interaction.includes(','))) {
    throw new UsageError(words`${option('interaction')} takes one column, got "${values.interaction}", e.g. ${option('interaction')} sex`);
  }
  return {
    y,
    x,
    adjust: values.adjust ?? [],
    interaction,
    by: values.by ?? null,
    categorical: new Set(values.categorical ?? []),
    ref,
    robust: values.robust ?? null,
    standardize: values.standardize,
    ciLevel: values.ci,
    idColumn: values.id ?? 'id',
    idExplicit: values.id !== undefined,
  };
}

export interface ModelOptions {
  /** Outcome (role or column). */
  y: string;
  /** Predictors (roles or columns), numeric. */
  x: string[];
  adjust: string[];
  /** Column every x interacts with (`x * g`), or null. */
  interaction: string | null;
  by: string | null;
  categorical: Set<string>;
  /** Reference level per categorical column (covariate or interaction column). */
  ref: Map<string, string>;
  robust: 'hc3' | null;
  standardize: boolean;
  ciLevel: number;
  /** Id column for Cook's distance rows; absent from the file → "line N". */
  idColumn: string;
  /** True when the id column was named explicitly (then it must exist). */
  idExplicit?: boolean;
  /** --missing and its options (listwise when absent). */
  missing?: MissingOptions;
  /** Receives the completed data sets as rows of fields, the header first (--write-imputations). */
  imputationSink?: ImputationSink;
}

export interface ModelTerm {
  term: string;
  estimate: number | null;
  se: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
  /** Standardized coefficient (--standardize): β̂·sd(column as coded)/sd(y); null for the intercept. */
  beta?: number | null;
  partial_r: number | null;
  semi_r: number | null;
  vif: number | null;
  aliased: boolean;
  /** --missing mi: Rubin's rules as mice::pool (estimate, se, t, p, ci above are pooled; df is Barnard–Rubin). */
  mi?: { df: number; ubar: number; b: number; t: number; riv: number; lambda: number; fmi: number; dfcom: number };
}

export interface SimpleSlope {
  x: string;
  /** The group level, or for a numeric moderator "mean − 1 SD", "mean", "mean + 1 SD". */
  level: string;
  /** The moderator's value (numeric moderator only). */
  at?: number;
  estimate: number | null;
  se: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
  /** --missing mi: the Barnard–Rubin df of the pooled slope (t, p and ci above are on it). */
  df?: number;
  reason?: Wording;
}

export interface ModelDiagnostics {
  /** Largest Cook's distance (rows with leverage 1 have none). */
  cooks_max: number | null;
  cooks_max_id: string | null;
  /** 4 / n. */
  cooks_threshold: number | null;
  /** Ids of rows with Cook's distance above 4 / n, in file order. */
  influential: string[];
  /** Ids of rows with leverage 1 (fitted exactly; HC3 and Cook's distance undefined there). */
  leverage_one: string[];
  /** VIF per non-intercept, non-aliased term (over the non-aliased columns, as coded). */
  vif: Record<string, number | null>;
}

export interface ModelResult {
  stratum: string | null;
  n: number;
  excluded: { rows: number; by_reason: Record<string, number> };
  /** Non-aliased columns. */
  rank: number | null;
  /** Residual df, n − rank. */
  df: number | null;
  r2: number | null;
  adj_r2: number | null;
  f: number | null;
  f_df: [number, number] | null;
  f_p: number | null;
  sigma: number | null;
  se_type: 'OLS' | 'HC3';
  /** Why the HC3 standard errors are null. */
  robust_reason?: Wording;
  terms: ModelTerm[];
  /** Terms reported as R's NA (linear combinations of earlier columns). */
  aliased: string[];
  /** Categorical covariates that enter no column (one level in this model's rows). */
  dropped: string[];
  simple_slopes?: SimpleSlope[];
  diagnostics: ModelDiagnostics;
  notes: Wording[];
  /** Why the model could not be fitted at all. */
  reason?: string;
  /** --missing mi: R² pooled as mice::pool.r.squared (r2 above is its estimate). */
  r2_pooled?: { estimate: number; ci: [number, number]; fmi: number };
}

export interface ModelOutput {
  y: string;
  y_role: string | null;
  x: string[];
  x_roles: (string | null)[];
  interaction: string | null;
  /** 'categorical' (treatment-coded) or 'numeric' (continuous moderator); null without --interaction. */
  interaction_type: 'categorical' | 'numeric' | null;
  /** Covariates as used (the stratifier and the interaction column removed). */
  adjust: string[];
  by: string | null;
  /** As R's formula, e.g. `SATQ ~ ACT * sex + age + education`. */
  formula: string;
  models: ModelResult[];
  /** Rows left out of every model because the stratum was missing (null without --by). */
  missingStratum: number | null;
  notes: Wording[];
  /** --missing mi: how (the same summary correlate gives). */
  imputation?: ImputationSummary;
}

export async function model(dataset: Dataset, options: ModelOptions): Promise<ModelOutput> {
  const variables = new VariableSet(dataset, options.categorical);
  const vars = variables.list;
  const addVar = (name: string, flag: GivenIn): number => variables.add(name, flag);
  if (!options.y) throw new UsageError(words`${option('y')} is needed: name the outcome column or role, e.g. ${option('y')} distress`);
  if (options.x.length === 0) throw new UsageError(words`${option('x')} is needed: name the predictor columns or roles, e.g. ${option('x')} alliance`);
  for (const name of options.categorical) dataset.resolve(name, option('categorical'));
  const y = addVar(options.y, option('y'));
  const xs: number[] = [];
  for (const name of options.x) {
    const v = addVar(name, option('x'));
    if (v === y) throw new UsageError(words`${option('x')} ${name} is the outcome ${vars[y].name} (${option('y')}), a variable cannot predict itself, name another x`);
    if (xs.includes(v)) throw new UsageError(words`${option('x')} names ${vars[v].name} twice, name each predictor once`);
    xs.push(v);
  }
  for (const v of [y, ...xs]) {
    if (vars[v].forcedCategorical) {
      throw new UsageError(words`${option('categorical')} ${vars[v].name} is the outcome or an x, which must be numeric; model a group through ${option('interaction')} or ${option('adjust')}`);
    }
    vars[v].categorical = false;
  }
  const notes: Wording[] = [];
  let g: number | null = null;
  if (options.interaction !== null) {
    g = addVar(options.interaction, option('interaction'));
    if (g === y || xs.includes(g)) {
      throw new UsageError(words`${option('interaction')} ${options.interaction} is the outcome or an x, interact the x's with another column`);
    }
  }
  let byVar: number | null = null;
  if (options.by !== null) {
    byVar = addVar(options.by, option('by'));
    if (byVar === y || xs.includes(byVar) || byVar === g) {
      throw new UsageError(words`${option('by')} ${options.by} is also the outcome, an x or the interaction column, stratify by another column`);
    }
    vars[byVar].categorical = true;
  }
  const leaving = new Map<number, string>();
  if (byVar !== null) leaving.set(byVar, 'is the stratifier and leaves the covariates');
  if (g !== null) leaving.set(g, 'is the interaction column and enters as a main effect already');
  const covs = variables.covariates(options.adjust, [y, ...xs], 'the outcome or an x', leaving, notes);
  for (const [name, level] of options.ref) {
    const column = dataset.columns[dataset.resolve(name, option('ref'))];
    const v = variables.indexOf(column);
    if (v === undefined || !(covs.includes(v) || v === g || v === byVar)) {
      throw new UsageError(words`${option('ref')} ${name}=${level} names no covariate, interaction column or stratifier, use it for a categorical column in ${option('adjust')}, ${option('interaction')} or ${option('by')}`);
    }
  }
  let idColumn = dataset.columns.indexOf(options.idColumn);
  if (options.idExplicit) idColumn = dataset.resolve(options.idColumn, option('id'));

  // Model variables in model-matrix order: y, x's, interaction column, covariates.
  const members = [y, ...xs, ...(g === null ? [] : [g]), ...covs];
  if (options.missing?.missing === 'mi') {
    const spec: ModelSpec = { vars, members, y, xs, g, covs, options };
    const completed = await completedSamples(dataset, { variables, members, by: byVar, ref: byVar === null ? undefined : options.ref.get(vars[byVar].name), idColumn }, options.missing, options.imputationSink);
    const { droppedRows } = completed.setUp;
    if (droppedRows > 0 && byVar === null) notes.push(`${droppedRows} rows missing ${completed.setUp.imputeBy} are left out`);
    const models = fitImputed(completed, spec);
    return { ...modelOutput(dataset, options, spec, byVar, models, byVar === null ? null : droppedRows, notes), imputation: completed.summary };
  }
  const { samples: all, missingStratum } = await readSample(dataset, {
    variables,
    members,
    by: byVar,
    idColumn,
    needs: 'the outcome, an x, the interaction column or a covariate',
    ref: byVar === null ? undefined : options.ref.get(vars[byVar].name),
  });
  for (const [name, level] of options.ref) {
    const variable = vars[variables.indexOf(dataset.columnName(name))!];
    if (variable.categorical === false) {
      throw new UsageError(words`${option('ref')} ${name}=${level}: ${variable.name} is a numeric column, name it in ${option('categorical')} too to treat it as a factor`);
    }
  }
  if (byVar !== null && all.length === 1) notes.push(`${vars[byVar].name} has one level (${all[0].stratum}) in the rows read: one model`);

  const spec: ModelSpec = { vars, members, y, xs, g, covs, options };
  const models = all.map((sample) => fitSample(sample, spec));
  return modelOutput(dataset, options, spec, byVar, models, byVar === null ? null : missingStratum, notes);
}

function modelOutput(
  dataset: Dataset,
  options: ModelOptions,
  { vars, y, xs, g, covs }: ModelSpec,
  byVar: number | null,
  models: ModelResult[],
  missingStratum: number | null,
  notes: Wording[],
): ModelOutput {
  const gType = g === null ? null : vars[g].categorical ? 'categorical' : 'numeric';
  return {
    y: vars[y].name,
    y_role: dataset.roleOf(options.y),
    x: xs.map((v) => vars[v].name),
    x_roles: options.x.map((name) => dataset.roleOf(name)),
    interaction: g === null ? null : vars[g].name,
    interaction_type: gType,
    adjust: covs.map((c) => vars[c].name),
    by: byVar === null ? null : vars[byVar].name,
    formula: formulaText(vars[y].name, xs.map((v) => vars[v].name), g === null ? null : vars[g].name, covs.map((c) => vars[c].name)),
    models,
    missingStratum,
    notes,
  };
}

/**
 * --missing mi: the model fitted on each completed data set (per stratum), pooled term by term by Rubin's rules
 * exactly as mice::pool (frame/completed.ts fitEachPool: Ū from the squared standard errors, ν_com = the fit's residual
 * df, Barnard–Rubin ν; t = Q̄/√T, p from t on ν, CI Q̄ ± t_{ν, 1−α/2}·√T), the simple slopes likewise (each a linear
 * combination of coefficients with its own SE on the same ν_com), R² as mice::pool.r.squared. The statistics of one
 * fit that have no pooling rule here (F, σ, adjusted R², pr, sr, VIF, diagnostics) are left out. With nothing
 * missing the complete-data fit is given (the caller warns).
 */
function fitImputed(completed: CompletedSamples, spec: ModelSpec): ModelResult[] {
  const r2 = completed.strata.map(() => [] as number[]);
  const pooledFits = fitEachPool(
    completed,
    (sample, s) => {
      const fit = fitSample(sample, spec);
      r2[s].push(fit.r2 ?? NaN);
      return fit;
    },
    (fit) => [...fit.terms, ...(fit.simple_slopes ?? [])].map(({ estimate, se }) => withSe(estimate, se, fit.reason ? null : fit.df)),
    spec.options.ciLevel,
  );
  if (completed.nothingMissing) return pooledFits.map((f) => f.first);
  return pooledFits.map(({ first: base, pooled }, s) => {
    if (base.reason || base.df === null) return base;
    const dfCom = base.df;
    const pooledAt = (j: number) => {
      const p = pooled[j];
      if (p === null) return { estimate: null, se: null, t: null, p: null, ci: null };
      return { estimate: p.estimate, se: p.se, t: p.t, p: p.p, ci: p.ci };
    };
    const terms: ModelTerm[] = base.terms.map((term, j) => {
      const empty = { ...term, partial_r: null, semi_r: null, vif: null, ...(term.beta !== undefined ? { beta: null } : {}) };
      const p = pooled[j];
      if (p === null) return { ...empty, ...pooledAt(j) };
      const { within, between, total, df, riv, lambda, fmi } = p.pooled;
      return { ...empty, ...pooledAt(j), mi: { df, ubar: within, b: between, t: total, riv, lambda, fmi, dfcom: dfCom } };
    });
    const r2Pooled = poolRSquared(r2[s], r2[s].map(() => base.n));
    const notes = [...base.notes, "pooled over the imputations by Rubin's rules (mice::pool); F, σ, adjusted R², pr, sr, VIF and diagnostics are not pooled"];
    const model: ModelResult = {
      ...base,
      r2: r2Pooled.estimate,
      r2_pooled: r2Pooled,
      adj_r2: null,
      f: null,
      f_df: null,
      f_p: null,
      sigma: null,
      terms,
      diagnostics: emptyDiagnostics(),
      notes,
    };
    if (base.simple_slopes) {
      model.simple_slopes = base.simple_slopes.map((slope, i) => {
        const { reason: _reason, ...rest } = slope;
        const at = base.terms.length + i;
        return pooled[at] === null ? slope : { ...rest, ...pooledAt(at), df: pooled[at]!.pooled.df };
      });
    }
    return model;
  });
}

/** `y ~ x * g + a + b`, `y ~ (x1 + x2) * g + a`, `y ~ x1 + x2 + a`. */
export function formulaText(y: string, xs: string[], g: string | null, covs: string[]): string {
  const xPart = g === null ? xs.join(' + ') : `${xs.length > 1 ? `(${xs.join(' + ')})` : xs[0]} * ${g}`;
  return `${y} ~ ${[xPart, ...covs].join(' + ')}`;
}

interface ModelSpec {
  vars: Variable[];
  members: number[];
  y: number;
  xs: number[];
  g: number | null;
  covs: number[];
  options: ModelOptions;
}

function emptyDiagnostics(): ModelDiagnostics {
  return { cooks_max: null, cooks_max_id: null, cooks_threshold: null, influential: [], leverage_one: [], vif: {} };
}

/** Builds the model matrix of one sample in R's column order, fits it, and assembles the result. */
function fitSample(sample: Sample, d: ModelSpec): ModelResult {
  const { vars, members, xs, g, covs, options } = d;
  const n = sample.n;
  const col = (v: number) => columnOf(sample, members, v);
  const seType = options.robust === 'hc3' ? 'HC3' : 'OLS';
  const base = {
    stratum: sample.stratum,
    n,
    excluded: sample.excluded.summary(),
  };
  if (n === 0) {
    return {
      ...base, rank: null, df: null, r2: null, adj_r2: null, f: null, f_df: null, f_p: null, sigma: null, se_type: seType,
      terms: [], aliased: [], dropped: [], diagnostics: emptyDiagnostics(), notes: [],
      reason: 'no rows with the outcome, every x, the interaction column and every covariate present',
    };
  }
  const notes: Wording[] = [];
  const yv = col(d.y);
  const design = new Design(n, { ref: options.ref, stratum: sample.stratum });
  design.intercept();
  const xTerms = xs.map((x) => design.numeric(vars[x], col(x)));

  // Interaction column: its main-effect columns, which each x is multiplied by.
  let gTerm: Term | null = null;
  if (g !== null) {
    const variable = vars[g];
    const values = col(g);
    const where = sample.stratum !== null ? ` in stratum ${sample.stratum}` : '';
    if (!variable.categorical && values.every((v) => v === values[0])) {
      throw new UsageError(words`${option('interaction')} ${variable.name} takes one value (${values[0]}) in the rows used${where}, interact with a column that varies`);
    }
    gTerm = design.term(variable, values)!;
    if (gTerm.coding !== null && gTerm.coding.levels.length === 0) {
      throw new UsageError(
        words`${option('interaction')} ${variable.name} has one level (${variable.levelNames[gTerm.coding.ref]}) in the rows used${where}, interact with a column that has at least two`,
      );
    }
  }
  const dropped: string[] = [];
  for (const c of covs) {
    const variable = vars[c];
    const term = design.term(variable, col(c))!;
    if (term.coding !== null && term.coding.levels.length === 0) {
      dropped.push(variable.name);
      notes.push(`${variable.name} has one level (${variable.levelNames[term.coding.ref]}) in the rows used and enters no column`);
    }
  }
  if (gTerm !== null) for (const xTerm of xTerms) design.interaction(xTerm, gTerm);
  const { columns, names } = design;

  const fit = fitOls(columns, names, yv, { ciLevel: options.ciLevel });
  notes.push(...fit.notes);

  // Standard errors: OLS, or HC3 (sandwich::vcovHC) with coeftest's t on the residual df.
  const leverageOne: string[] = [];
  for (let i = 0; i < n; i++) if (Math.abs(1 - fit.hat[i]) <= 1e-10) leverageOne.push(sample.ids[i]);
  let coefficients: OlsTerm[] = fit.coefficients;
  let vcov: Float64Array | null = fit.vcov;
  let robustReason: Wording | undefined;
  if (options.robust === 'hc3') {
    const robust = hc3(fit, columns);
    if (robust.vcov) {
      coefficients = robustCoefficients(fit, robust.vcov);
      vcov = robust.vcov;
    } else {
      const shown = leverageOne.slice(0, 10).join(', ') + (leverageOne.length > 10 ? `, … (${leverageOne.length} rows)` : '');
      robustReason = words`HC3 undefined: leverage 1 at ${shown}, where HC3 divides by (1 − h)² = 0 (sandwich gives NaN); drop ${option('robust')} or the row`;
      coefficients = fit.coefficients.map((c) => ({ ...c, se: null, t: null, p: null, ci: null }));
      vcov = null;
    }
  }

  const partial = partialAndSemiPartialR(fit);
  const beta = options.standardize ? standardizedCoefficients(fit, columns, yv) : null;
  // VIF over the non-aliased columns (an aliased column makes every column it combines with infinite).
  const keptColumns = fit.kept.map((j) => columns[j]);
  const keptNames = fit.kept.map((j) => names[j]);
  const vifs: (number | null)[] = new Array(names.length).fill(null);
  if (fit.kept[0] === 0 && fit.kept.length > 1) vif(keptColumns, keptNames).forEach((v, i) => (vifs[fit.kept[i + 1]] = v));

  const terms: ModelTerm[] = coefficients.map((c, j) => ({
    term: c.term,
    estimate: c.estimate,
    se: c.se,
    t: c.t,
    p: c.p,
    ci: c.ci,
    ...(beta ? { beta: beta[j] } : {}),
    partial_r: partial[j].partial,
    semi_r: partial[j].semiPartial,
    vif: vifs[j],
    aliased: c.aliased,
  }));

  const result: ModelResult = {
    ...base,
    rank: fit.rank,
    df: fit.dfResidual,
    r2: fit.r2,
    adj_r2: fit.adjR2,
    f: fit.f,
    f_df: fit.fDf,
    f_p: fit.fP,
    sigma: fit.sigma,
    se_type: seType,
    ...(robustReason ? { robust_reason: robustReason } : {}),
    terms,
    aliased: fit.coefficients.filter((c) => c.aliased).map((c) => c.term),
    dropped,
    diagnostics: diagnostics(fit, sample.ids, leverageOne, vifs, names),
    notes,
  };
  if (g !== null) {
    result.simple_slopes = simpleSlopes(fit, vcov, robustReason, xs.map((x) => vars[x].name), gTerm!, design.index);
  }
  return result;
}

function diagnostics(fit: OlsFit, ids: string[], leverageOne: string[], vifs: (number | null)[], names: string[]): ModelDiagnostics {
  const cooks = cooksDistance(fit);
  let max: number | null = null;
  let maxAt = -1;
  cooks.forEach((c, i) => {
    if (c !== null && (max === null || c > max)) {
      max = c;
      maxAt = i;
    }
  });
  const threshold = 4 / fit.n;
  const vif: Record<string, number | null> = {};
  names.forEach((name, j) => {
    if (j > 0 && !fit.coefficients[j].aliased) vif[name] = vifs[j];
  });
  return {
    cooks_max: max,
    cooks_max_id: maxAt >= 0 ? ids[maxAt] : null,
    cooks_threshold: threshold,
    influential: ids.filter((_, i) => cooks[i] !== null && cooks[i]! > threshold),
    leverage_one: leverageOne,
    vif,
  };
}

/**
 * Slope of each x at each level of the interaction column: β_x (reference level) and β_x + β_{x:level}; for a
 * numeric moderator m, β_x + m·β_{x:m} at mean(m) − SD, mean, mean + SD. Through linearCombination with the
 * model's covariance (HC3 when --robust).
 */
function simpleSlopes(
  fit: OlsFit,
  vcov: Float64Array | null,
  robustReason: Wording | undefined,
  xNames: string[],
  g: Term,
  termIndex: Map<string, number>,
): SimpleSlope[] {
  const p = fit.coefficients.length;
  const points: Array<{ level: string; at?: number; weights: Array<[string, number]> }> = [];
  const gVar = g.variable;
  if (g.coding !== null) {
    points.push({ level: gVar.levelNames[g.coding.ref], weights: [] });
    g.coding.levels.forEach((level, i) => points.push({ level: gVar.levelNames[level], weights: [[g.names[i], 1]] }));
  } else {
    const gValues = g.columns[0];
    let mean = 0;
    for (const v of gValues) mean += v;
    mean /= gValues.length;
    let ss = 0;
    for (const v of gValues) ss += (v - mean) * (v - mean);
    const sd = Math.sqrt(ss / (gValues.length - 1));
    for (const [level, at] of [['mean − 1 SD', mean - sd], ['mean', mean], ['mean + 1 SD', mean + sd]] as Array<[string, number]>) {
      points.push({ level, at, weights: [[gVar.name, at]] });
    }
  }
  const slopes: SimpleSlope[] = [];
  for (const x of xNames) {
    for (const point of points) {
      const c = new Array<number>(p).fill(0);
      c[termIndex.get(x)!] = 1;
      for (const [suffix, w] of point.weights) c[termIndex.get(interactionName(x, suffix))!] = w;
      const base = { x, level: point.level, ...(point.at !== undefined ? { at: point.at } : {}) };
      const aliased = c.map((w, j) => (w !== 0 && fit.coefficients[j].aliased ? fit.coefficients[j].term : null)).filter((t): t is string => t !== null);
      if (aliased.length > 0) {
        slopes.push({ ...base, estimate: null, se: null, t: null, p: null, ci: null, reason: `${aliased.join(', ')} aliased` });
        continue;
      }
      if (vcov === null) {
        const estimate = linearCombination(fit, c).estimate;
        slopes.push({ ...base, estimate, se: null, t: null, p: null, ci: null, reason: robustReason ?? 'no covariance' });
        continue;
      }
      const lc = linearCombination(fit, c, vcov);
      slopes.push({ ...base, estimate: lc.estimate, se: lc.se, t: lc.t, p: lc.p, ci: lc.ci, ...(lc.reason ? { reason: lc.reason } : {}) });
    }
  }
  return slopes;
}
