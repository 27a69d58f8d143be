/**
 * The dimensions of a specification curve (analyses/robustness.ts) and their options, and the analysis's options
 * (ROBUSTNESS_OPTIONS), in a module of their own with no numeric imports: the command line and the report build
 * them before any analysis is loaded.
 */
import { option, words } from '../errors';
import { CANRELAX } from '../data/canrelax';
import { columns, DEFAULT_SEED, flag, restated, SEED_RULE, text, whole } from '../options';
import { MISSING_OPTIONS } from '../frame/missing-options';
import { ADJUST, CATEGORICAL, CI, ID, REF, canrelaxText } from './options';

/** robustness's options, declared once (options.ts): its command-line flags come from here. */
export const ROBUSTNESS_OPTIONS = {
  x: columns('x', { placeholder: 'cols', description: `x variables, one curve each (default on a CanRelax export: ${canrelaxText(CANRELAX.x)})` }),
  y: columns('y', { placeholder: 'cols', description: `y variables (default on a CanRelax export: ${CANRELAX.y})` }),
  adjust: restated(ADJUST, { description: `covariates: every subset is a specification, the full set the primary (default on a CanRelax export: ${canrelaxText(CANRELAX.covariates)})` }),
  specs: text('specs', { placeholder: 'file', description: 'JSON naming the dimensions and their options instead (schema/specs.schema.json)' }),
  maxSpecs: whole('maxSpecs', { min: 1, max: 1_000_000 }, { placeholder: 'n', description: 'most specifications a curve may have', default: 1024 }),
  nullSamples: whole('nullSamples', { min: 0, max: 1_000_000 }, { placeholder: 'n', description: 'bootstrap resamples of the null data for the joint test (0: none)', default: 500 }),
  seed: whole('seed', SEED_RULE, { placeholder: 'seed', description: "seed of the null resamples (as every random procedure's)", default: DEFAULT_SEED }),
  ci: CI,
  ref: REF,
  categorical: CATEGORICAL,
  id: restated(ID, { description: 'id column naming the influential rows' }),
  withMi: flag('withMi', { description: words`add the missing-data dimension: each covariate set × method also by multiple imputation (correlate ${option('missing')} mi)` }),
  imputations: restated(MISSING_OPTIONS.imputations, { description: words`imputations of ${option('withMi')} (at least 2)` }),
};

export type SpecMethod = 'pearson' | 'spearman';
export type InfluentialRule = 'kept' | 'removed';

/** The options of each dimension; the first of each makes the primary specification. */
export interface SpecDimensions {
  covariates: string[][];
  method: SpecMethod[];
  influential: InfluentialRule[];
}

/** The number of specifications per curve the dimensions make. */
export function specificationCount(d: SpecDimensions): number {
  return d.covariates.length * d.method.length * d.influential.length;
}

/** Every subset of `names`, the full set first, then by size descending (within a size, keeping `names`' order). */
export function covariateSubsets(names: string[]): string[][] {
  const k = names.length;
  const has = (mask: number, i: number) => (mask & (1 << (k - 1 - i))) !== 0;
  const masks = Array.from({ length: 2 ** k }, (_, m) => 2 ** k - 1 - m);
  const size = (mask: number) => names.filter((_, i) => has(mask, i)).length;
  masks.sort((a, b) => size(b) - size(a) || b - a);
  return masks.map((mask) => names.filter((_, i) => has(mask, i)));
}
