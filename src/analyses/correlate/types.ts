/**
 * The types the correlate engines share (a leaf: imports no correlate module): the command's options and output,
 * one (x, y, stratum) analysis, and an analysis's covariates as coded for the partial-correlation machinery.
 */
import type { Wording } from '../../errors';
import type { Progress } from '../../data/progress';
import type { CoMoments } from '../../stats/moments';
import type { Alternative } from '../../stats/distributions';
import type { PAdjustMethod } from '../../stats/padjust';
import type { Exclusions, VariableSet } from '../../data/variables';
import type { RowEncoder } from '../../data/design';
import type { ImputationSummary, MissingOptions } from '../../frame/missing';

export interface CorrelateOptions {
  x: string[];
  y: string[];
  adjust: string[];
  method: 'pearson' | 'spearman';
  by: string | null;
  ciLevel: number;
  alternative: Alternative;
  pAdjust: PAdjustMethod;
  semi: 'x' | 'y' | null;
  bootstrap: number | null;
  seed: number;
  ref: Map<string, string>;
  categorical: Set<string>;
  listExcluded: boolean;
  idColumn: string;
  /** Adds bf10, the JZS Bayes factor (stats/bayes.ts), to each result; absent is false. */
  bayes?: boolean;
  /** --missing and its options (listwise when absent). */
  missing?: MissingOptions;
  /** Receives the completed data sets as rows of fields, the header first (--write-imputations). */
  imputationSink?: (rows: string[][]) => void;
  /** A progress line for a long phase (the bootstrap), or null for none: see data/progress.ts. */
  phase?: (label: string) => Progress | null;
}

export interface CorrelateResult {
  x: string;
  x_role?: string;
  y: string;
  y_role?: string;
  stratum: string | null;
  covariates: string[];
  dropped_covariates: string[];
  k: number;
  n: number;
  excluded: { rows: number; by_reason: Record<string, number>; ids?: string[] };
  df: number | null;
  r: number | null;
  t: number | null;
  p: number | null;
  p_adjusted: number | null;
  ci: [number, number] | null;
  zero_order: { r: number | null; p: number | null; ci: [number, number] | null };
  semi?: {
    residualised: string;
    r: number | null;
    ppcor: { t: number; df: number; p: number } | null;
    unique: { t: number; df: number; p: number } | null;
  };
  bootstrap?: {
    resamples: number;
    failed: number;
    seed: number;
    percentile: [number, number] | null;
    bca: [number, number] | null;
    reason?: string;
  };
  bf10?: number | null;
  /** Rubin's rules on Fisher's z (--missing mi): r, ci, t, df, p above are the pooled values. */
  mi?: MiDetails;
  /** The pooled result with δ added to every imputed y (--mnar-delta). */
  mnar?: Array<{ delta: number; raw_delta: number; r: number | null; ci: [number, number] | null; p: number | null }>;
  /** Tipping points of the delta adjustment, in SDs of the observed y (stats/tipping.ts). */
  tipping?: TippingSummary;
  reason?: string;
}

export interface MiDetails {
  m: number;
  within: number;
  between: number;
  total_variance: number;
  riv: number;
  lambda: number;
  fmi: number;
  df_com: number;
  /** Values of y imputed in this analysis's rows. */
  imputed_y: number;
}

export interface TippingSummary {
  /** The interval's relation to 0 without a shift. */
  at_zero: 'above' | 'below' | 'contains';
  up: { delta: number; relation: 'above' | 'below' | 'contains' } | null;
  down: { delta: number; relation: 'above' | 'below' | 'contains' } | null;
  /** SD of the observed y (the unit of δ). */
  sd: number;
  limit: number;
  step: number;
  tolerance: number;
}

export interface Comparison {
  x: string;
  y: string;
  strata: [string, string];
  z: number;
  p: number;
  difference: number;
  ci: [number, number];
}

export interface Heterogeneity {
  x: string;
  y: string;
  q: number;
  df: number;
  p: number;
}

export interface CorrelateOutput {
  results: CorrelateResult[];
  comparisons: Comparison[];
  heterogeneity: Heterogeneity[];
  /** Covariate list as used (the stratifier removed). */
  adjust: string[];
  /** Rows left out of every analysis because the stratum was missing. */
  missingStratum: number;
  /** Notes for the reader (stratifier removed from covariates, …). */
  notes: Wording[];
  /** --missing mi: how. */
  imputation?: ImputationSummary;
}

/** One (x, y, stratum) analysis. */
export interface Analysis {
  x: number;
  y: number;
  /** Variables (indices into `vars`) of this analysis: x, y, covariates. */
  members: number[];
  stratum: string | null;
  n: number;
  excluded: Exclusions;
  ids: string[];
  /** Streaming: the stratum's shared co-moments, and this analysis's own slot in them. */
  group: StreamGroup;
  slot: number;
}

/**
 * Streaming co-moments of one stratum, shared by its analyses. Every variable of any analysis has a place in one
 * layout (the encoder's: numeric variables, then an indicator column per categorical level as levels appear). A row
 * complete for every analysis — nearly all of them — is added once to `shared`; a row complete for some analyses
 * only is added to each of those analyses' `own` moments, its missing values (of variables those analyses do not
 * use) set to 0. An analysis's moments are then shared ⊕ own (Chan et al. 1979), exact for its own variables: one
 * update per row instead of one per analysis.
 */
export interface StreamGroup {
  /** The stratum's number, in order of first sight. */
  index: number;
  /** Laid out on the first row an analysis uses (null before). */
  encoder: RowEncoder | null;
  shared: CoMoments | null;
  own: (CoMoments | null)[];
}

/** An analysis's variables as the partial-correlation machinery takes them. */
export interface Coded {
  moments: CoMoments;
  /** Moment indices of x and y. */
  x: number;
  y: number;
  /** Moment indices of the covariate columns, in R's model-matrix order. */
  z: number[];
  names: string[];
  /** Columns (held mode), for the bootstrap. */
  columns: Float64Array[] | null;
}

/** The variables of a correlate run, resolved from the options (correlate.ts `correlateVariables`): x's, y's, covariates, stratifier and the (x, y) pairs. */
export interface CorrelateVariables {
  variables: VariableSet;
  xs: number[];
  ys: number[];
  covs: number[];
  byVar: number | null;
  pairs: Array<[number, number]>;
  notes: Wording[];
}


/** A result's statistics before any is computed (and as they stay when the analysis cannot be done): all null. */
export function untested(): Pick<CorrelateResult, 'df' | 'r' | 't' | 'p' | 'p_adjusted' | 'ci' | 'zero_order'> {
  return { df: null, r: null, t: null, p: null, p_adjusted: null, ci: null, zero_order: { r: null, p: null, ci: null } };
}
