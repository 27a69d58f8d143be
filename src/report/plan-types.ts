/**
 * The plan's types, in a module of their own: the step modules (steps/) use them, and plan.ts, which checks a plan
 * against the registered steps (steps/index.ts), imports those modules — so the types cannot live in plan.ts
 * without an import cycle.
 */
import type { PAdjustMethod } from '../stats/padjust';

/** A step's name in a plan's "steps" (the registered steps: steps/index.ts). */
export type StepId = string;

/** A plan key that may be null, without which some steps cannot run (completePlan leaves them out or says so). */
export type PlanNeed = 'stratifier' | 'expectation' | 'published';

export interface ExpectationPlan {
  /** The predictor correlated with every x (role or column). */
  variable: string;
  /** Its covariates. */
  covariates: string[];
}

/** A plan with every key filled in: what the report runs and records as its provenance. */
export interface Plan {
  plan_version: 1;
  title: string;
  /** Row filter (as --where), or null for every row. */
  where: string | null;
  /**
   * Computed columns (NAME = EXPRESSION, as --compute), made after scoring and before `where`: the plan's, then the
   * --compute flags'. Left out when there are none (the plan as used then reads as before computed columns existed).
   */
  compute?: string[];
  /** Alliance variables: the x of every partial correlation (the first one is the moderation model's predictor). */
  x: string[];
  /** Outcome. */
  y: string;
  covariates: string[];
  /** Column the stratified step and the moderation model split by (null: neither step can run). */
  stratifier: string | null;
  /** The expectation step's variables (null: the step cannot run). */
  expectation: ExpectationPlan | null;
  /** A published-values file (src/data/published.ts) to check against the reanalysis (null: the published step cannot run). */
  published: string | null;
  steps: StepId[];
  bootstrap: { resamples: number; seed: number };
  ci: number;
  p_adjust: PAdjustMethod;
  /** JZS Bayes factors (BF10) beside the partial correlations. */
  bayes: boolean;
  /** Missing data: how the correlation steps handle them, and the imputation the `missing` step runs. */
  missing: MissingPlan;
  /**
   * "none": figures drawn without their title and subtitle, left to the captions (as journals ask). Left out for
   * the default, "figure" (titles drawn), so that the plan as used reads as before the key existed.
   */
  figure_titles?: FigureTitles;
  /** Where a score comes from when the file has a column of its name (as --scores; left out: the config's, else items). */
  scores?: 'items' | 'file';
  /** Display labels by role or column, over the config's (report/labels.ts). */
  labels?: Record<string, string>;
  /** Names of coded values by column, over the config's: { "Geschlecht": { "1": "male", "2": "female" } }. */
  levels?: Record<string, Record<string, string>>;
  /** Reference levels by column or role, over the config's; report --ref over both. */
  reference?: Record<string, string>;
}

/** Plan key "figure_titles" (--figure-titles). */
export type FigureTitles = 'figure' | 'none';

/** Plan key "missing" (correlate's --missing options; docs/report.md). */
export interface MissingPlan {
  /** listwise: every step as today; mi: the correlations, stratified, expectation, moderation and mediation steps pooled over imputations. */
  method: 'listwise' | 'mi';
  imputations: number;
  iterations: number;
  seed: number;
  auxiliary: string[];
  /** Column imputed by; null: none; "auto": arm when the file has it with more than one level left. */
  impute_by: string | null;
  /** δ's in SDs of the observed outcome (the missing step's table; its figure draws −3 … 3). */
  mnar_delta: number[];
}

/** A plan as read from a file: any key may be missing (then the default applies). */
export type PlanInput = Partial<Omit<Plan, 'bootstrap' | 'expectation' | 'missing'>> & {
  bootstrap?: Partial<Plan['bootstrap']>;
  missing?: Partial<MissingPlan>;
  expectation?: Partial<ExpectationPlan> | null;
};

/** A plan variable: the name in the plan, its column, and the role it was typed as (if any). */
export interface PlanVariable {
  name: string;
  column: string;
  role: string | null;
  /** The label given (plan or config `labels`) or the column's SPSS variable label (data/labels.ts). */
  label?: string;
  /** [in a sentence, in a table]: the one label source's words for it (data/labels.ts VariableLabels.words). */
  words: [string, string];
}
